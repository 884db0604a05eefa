//! How a command fails: every error carries its exit code and what to print on stderr, so a
//! command is written with `?` and `run` is the one place that prints and exits.

use authoring::diagnostic::{Diagnostic, report_in};
use std::process::ExitCode;

/// Exit code for bad input of any kind (malformed files, unknown ids, bad arguments).
pub const EXIT_BAD_INPUT: u8 = 2;

/// What a command returns.
pub type CliResult = Result<(), CliError>;

/// A failed command: its exit code and the text for stderr (empty when already shown).
#[derive(Debug)]
pub struct CliError {
    pub code: u8,
    pub text: String,
}

impl CliError {
    /// Bad input, said in one line: `error: …` and exit 2.
    pub fn msg(m: impl std::fmt::Display) -> CliError {
        CliError {
            code: EXIT_BAD_INPUT,
            text: format!("error: {m}\n"),
        }
    }

    /// Diagnostics with file, line:column and the source line, then the count; exit 2.
    pub fn diags(diags: &[Diagnostic]) -> CliError {
        let n = diags.len();
        CliError {
            code: EXIT_BAD_INPUT,
            text: format!(
                "{}{n} error{} found.\n",
                report_in(diags, super::env_lang()),
                if n == 1 { "" } else { "s" }
            ),
        }
    }

    /// An exit code whose reason was already printed (failed test plans, denied warnings).
    pub fn exit(code: u8) -> CliError {
        CliError {
            code,
            text: String::new(),
        }
    }

    /// Prints the text and gives the process's exit code.
    pub fn report(self) -> ExitCode {
        eprint!("{}", self.text);
        ExitCode::from(self.code)
    }
}

impl From<Vec<Diagnostic>> for CliError {
    fn from(d: Vec<Diagnostic>) -> CliError {
        CliError::diags(&d)
    }
}

impl From<Diagnostic> for CliError {
    fn from(d: Diagnostic) -> CliError {
        CliError::diags(&[d])
    }
}

impl From<String> for CliError {
    fn from(m: String) -> CliError {
        CliError::msg(m)
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> CliError {
        CliError::msg(e)
    }
}

/// `Err(CliError::msg(m))`, for a command's early exit on bad input.
pub fn fail<T>(m: impl std::fmt::Display) -> Result<T, CliError> {
    Err(CliError::msg(m))
}
