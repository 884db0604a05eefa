//! One file per command: its clap arguments and a `run` returning a `CliResult`.

pub mod analyze;
pub mod class;
pub mod dialogue;
pub mod game;
pub mod leaderboard;
pub mod list;
pub mod new;
pub mod play;
pub mod serve;
pub mod strings;
pub mod test;
pub mod validate;
pub mod validity;
