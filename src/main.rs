//! The `dunning-dojo` binary: the CLI, whose default command opens the game window.

mod cli;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    game::demo::LAUNCH.get_or_init(std::time::Instant::now);
    cli::run(cli::Cli::parse())
}
