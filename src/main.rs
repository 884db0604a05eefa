//! The `dunning-dojo` binary: assembles the CLI (and, later, the game window).

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    dunning_dojo::cli::run(dunning_dojo::cli::Cli::parse())
}
