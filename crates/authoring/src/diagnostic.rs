//! Diagnostics for trainers: file, line:column, field path, message, and a "did you mean".

use serde::Serialize;
use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diagnostic {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    /// The field path, e.g. `excuses[2].counters[0].tactic`; empty for whole-file problems.
    pub path: String,
    pub severity: Severity,
    /// A stable name for the kind of problem, e.g. `unknown-id`, `uncounterable-excuse`.
    pub code: &'static str,
    pub message: String,
    /// The message in Chinese, where one is written (the plain-language slips); shown when the
    /// trainer's language is Chinese.
    /// (Boxed, so a diagnostic stays small enough to return by value.)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zh: Option<Box<String>>,
}

impl Diagnostic {
    pub fn error(
        file: &Path,
        (line, column): (usize, usize),
        path: String,
        message: String,
    ) -> Self {
        Diagnostic {
            file: file.to_owned(),
            line,
            column,
            path,
            severity: Severity::Error,
            code: "invalid",
            message,
            zh: None,
        }
    }

    /// The same diagnostic with a Chinese message.
    pub fn with_zh(mut self, zh: String) -> Self {
        self.zh = Some(Box::new(zh));
        self
    }

    /// The message in `lang` (English where no Chinese one is written).
    pub fn message_in(&self, lang: sim::text::Lang) -> &str {
        match (lang, &self.zh) {
            (sim::text::Lang::Zh, Some(zh)) => zh,
            _ => &self.message,
        }
    }

    /// The one-line form in `lang`: `file:line:col: error in `path`: message`.
    pub fn line_in(&self, lang: sim::text::Lang) -> String {
        let mut d = self.clone();
        d.message = self.message_in(lang).to_owned();
        d.to_string()
    }

    /// The same diagnostic with another code.
    pub fn with_code(mut self, code: &'static str) -> Self {
        self.code = code;
        self
    }

    /// The same diagnostic as a warning.
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}:{}:{}: {sev}",
            self.file.display(),
            self.line,
            self.column
        )?;
        if !self.path.is_empty() {
            write!(f, " in `{}`", self.path)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Formats a list of diagnostics one per line.
pub fn report(diags: &[Diagnostic]) -> String {
    diags.iter().map(|d| format!("{d}\n")).collect()
}

/// Formats a list of diagnostics one per line, each in `lang` where it has that language.
pub fn report_in(diags: &[Diagnostic], lang: sim::text::Lang) -> String {
    diags
        .iter()
        .map(|d| format!("{}\n", d.line_in(lang)))
        .collect()
}

pub use sim::did_you_mean;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_ids_only() {
        assert_eq!(
            did_you_mean("praize", ["praise", "pressure"]),
            " (did you mean \"praise\"?)"
        );
        assert_eq!(did_you_mean("zzz", ["praise", "pressure"]), "");
    }
}
