//! How a command fails: every error carries its exit code and what to print on stderr, so a
//! command is written with `?` and `run` is the one place that prints and exits.

use authoring::diagnostic::{Diagnostic, report_in};
use sim::text::Lang;
use std::process::ExitCode;
use std::sync::OnceLock;

/// The language failures are told in, set once from the command line.
static LANG: OnceLock<Lang> = OnceLock::new();

/// Sets the language failures are told in (the first call wins).
pub fn set_lang(lang: Lang) {
    let _ = LANG.set(lang);
}

/// The language failures are told in: `--lang`, else `LANG`, else Chinese.
pub fn lang() -> Lang {
    *LANG.get_or_init(super::env_lang)
}

/// `zh` or `en`, in the language failures are told in.
pub fn said(zh: &str, en: &str) -> String {
    match lang() {
        Lang::Zh => zh.to_owned(),
        Lang::En => en.to_owned(),
    }
}

/// Exit code for bad input of any kind (malformed files, unknown ids, bad arguments).
pub const EXIT_BAD_INPUT: u8 = 2;

/// What a command returns.
pub type CliResult<T = ()> = Result<T, CliError>;

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
            text: format!("{}{m}\n", said("错误：", "error: ")),
        }
    }

    /// Bad input said in both languages, shown in the reader's: exit 2.
    pub fn say(zh: impl std::fmt::Display, en: impl std::fmt::Display) -> CliError {
        CliError::msg(said(&zh.to_string(), &en.to_string()))
    }

    /// Diagnostics with file, line:column and the source line, then the count; exit 2.
    pub fn diags(diags: &[Diagnostic]) -> CliError {
        let n = diags.len();
        CliError {
            code: EXIT_BAD_INPUT,
            text: format!(
                "{}{}\n",
                report_in(diags, lang()),
                match (lang(), n) {
                    (Lang::Zh, _) => format!("发现 {n} 个错误。"),
                    (Lang::En, 1) => "1 error found.".to_owned(),
                    (Lang::En, _) => format!("{n} errors found."),
                }
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

/// `Err(CliError::say(zh, en))`: bad input told in the reader's language.
pub fn fail_in<T>(zh: impl std::fmt::Display, en: impl std::fmt::Display) -> Result<T, CliError> {
    Err(CliError::say(zh, en))
}
