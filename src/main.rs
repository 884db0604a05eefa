//! The `dunning-dojo` binary: the CLI, whose default command opens the game window.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    dunning_dojo::game::demo::LAUNCH.get_or_init(std::time::Instant::now);
    dunning_dojo::cli::run(dunning_dojo::cli::Cli::parse())
}
