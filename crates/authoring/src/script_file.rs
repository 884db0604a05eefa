//! A recorded script read from its RON file and replayed, with errors at line:column.

use crate::diagnostic::Diagnostic;
use crate::load::{Source, SourceAt, parse, read_source};
use sim::CaseBundle;
use sim::meeting::Meeting;
use sim::script::Script;
use std::path::Path;
use std::sync::Arc;

/// A script file: `Script::load(path)` and `script.play(&src, bundle, seed)` with this in scope.
pub trait ScriptFile: Sized {
    /// Reads and parses a script file.
    fn load(file: &Path) -> Result<(Source, Self), Diagnostic>;
    /// Plays the script; the first choice that cannot be played is an error at its line:column.
    fn play(&self, src: &Source, bundle: Arc<CaseBundle>, seed: u64)
    -> Result<Meeting, Diagnostic>;
}

impl ScriptFile for Script {
    fn load(file: &Path) -> Result<(Source, Script), Diagnostic> {
        let text = read_source(file)?;
        let script = parse(file, &text)?;
        Ok((
            Source {
                file: file.to_owned(),
                text,
            },
            script,
        ))
    }

    /// Plays the script; stops at the first choice that cannot be played. Choices after the
    /// meeting ended are an error too, so a script never silently means less than it says.
    fn play(
        &self,
        src: &Source,
        bundle: Arc<CaseBundle>,
        seed: u64,
    ) -> Result<Meeting, Diagnostic> {
        self.replay(bundle, seed)
            .map_err(|e| src.at(&e.path, e.message))
    }
}
