//! A recorded script read from its RON file and replayed, with errors at line:column.

use crate::diagnostic::{Diagnostic, msg};
use crate::load::{Source, SourceAt, parse, read_source};
use crate::testplan::{start_error, turn_error};
use sim::CaseBundle;
use sim::meeting::Meeting;
use sim::path::FieldPath;
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
        let root = FieldPath::root();
        let mut n = Meeting::new(Arc::clone(&bundle), seed, &self.preparations).map_err(|e| {
            let (zh, en) = start_error(&bundle, &e);
            src.at_in(&root.field("preparations"), msg(zh, en))
        })?;
        for (k, (id, secs)) in self.choices.iter().enumerate() {
            if let Err(e) = n.respond_id(id, *secs) {
                let (zh, en) = turn_error(&n, &e);
                let open = n.open_ids();
                let (hint_zh, hint_en) = if n.is_over() {
                    (String::new(), String::new())
                } else {
                    (
                        format!("；现在可以说的：{}", open.join("、")),
                        format!("; open now: {}", open.join(", ")),
                    )
                };
                let turn = k + 1;
                return Err(src.at_in(
                    &root.field("choices").index(k),
                    msg(
                        format!("第 {turn} 轮：{zh}{hint_zh}"),
                        format!("turn {turn}: {en}{hint_en}"),
                    ),
                ));
            }
        }
        Ok(n)
    }
}
