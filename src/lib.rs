//! dunning-dojo: a negotiation-training simulator for collecting overdue B2B invoices.
//!
//! - [`engine`]: the pure negotiation engine (no Bevy): scenarios, debtor model, turns, scoring.
//! - [`game`]: the Bevy game (screens as states, the engine wrapped in a session resource,
//!   egui views).
//! - [`cli`]: the command-line edge (game, list, play, validate) that calls the engine.

pub mod cli;
pub mod engine;
pub mod game;
