//! dunning-dojo: a negotiation-training simulator for collecting overdue B2B invoices.
//!
//! - [`engine`]: the pure negotiation engine (no Bevy): scenarios, debtor model, turns, scoring.
//! - [`cli`]: the command-line edge (list, play, validate) that calls the engine.

pub mod cli;
pub mod engine;
