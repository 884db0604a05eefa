//! dunning-dojo: a negotiation-training simulator for collecting overdue B2B invoices.
//!
//! - [`engine`]: the pure negotiation engine (no Bevy): scenarios, debtor model, turns, scoring.
//! - [`game`]: the Bevy game (screens as states, the engine wrapped in a session resource,
//!   egui views).
//! - [`store`]: where results are kept: the local leaderboard and the class server's storage.
//! - [`server`]: the class server (axum): sessions, replay-verified results, the projector page.
//! - [`cli`]: the command-line edge (game, play, validate, leaderboard, serve, class…) that calls
//!   the engine.

pub mod cli;
pub mod engine;
pub mod game;
pub mod server;
pub mod store;
