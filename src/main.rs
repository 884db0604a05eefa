//! The `dunning-dojo` binary: the CLI, whose default command opens the game window.

mod cli;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    game::demo::LAUNCH.get_or_init(std::time::Instant::now);
    let cli = cli::Cli::parse();
    if cli.prints_a_report() {
        quiet_on_closed_pipe();
    }
    cli::run(cli)
}

/// A report piped into `head` ends quietly when the reader goes, as other Unix tools do,
/// instead of panicking on the broken pipe (Rust ignores SIGPIPE by default).
#[cfg(unix)]
fn quiet_on_closed_pipe() {
    // SAFETY: setting a signal's disposition to the default at start-up, before any thread
    // exists, has no memory-safety preconditions.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(not(unix))]
fn quiet_on_closed_pipe() {}
