//! Recorded play: a RON list of preparations and (line id, seconds) choices, replayed through
//! the engine. Bad scripts get diagnostics naming the file, line:column and entry.

use crate::engine::bundle::CaseBundle;
use crate::engine::diagnostic::Diagnostic;
use crate::engine::load::{Source, parse, read_source};
use crate::engine::locate::FieldPath;
use crate::engine::negotiation::Negotiation;
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::sync::Arc;

/// `Script(preparations: ["invoices"], choices: [("greet_warm", 4.0), …])`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Script {
    #[serde(default)]
    pub preparations: Vec<String>,
    /// Line id and the seconds the trainee took to choose it.
    pub choices: Vec<(String, f64)>,
}

impl Script {
    pub fn load(file: &Path) -> Result<(Source, Script), Diagnostic> {
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
    pub fn play(
        &self,
        src: &Source,
        bundle: Arc<CaseBundle>,
        seed: u64,
    ) -> Result<Negotiation, Diagnostic> {
        let root = FieldPath::root();
        let mut n = Negotiation::new(bundle, seed, &self.preparations)
            .map_err(|e| src.at(&root.field("preparations"), e.to_string()))?;
        for (k, (id, secs)) in self.choices.iter().enumerate() {
            if let Err(e) = n.respond_id(id, *secs) {
                let open: Vec<&str> = n
                    .available()
                    .iter()
                    .map(|&i| n.bundle.choices[i].id.as_str())
                    .collect();
                let hint = if n.is_over() {
                    String::new()
                } else {
                    format!("; open now: {}", open.join(", "))
                };
                return Err(src.at(
                    &root.field("choices").index(k),
                    format!("turn {}: {e}{hint}", k + 1),
                ));
            }
        }
        Ok(n)
    }

    /// The script that reproduces a played meeting.
    pub fn of(n: &Negotiation) -> Script {
        Script {
            preparations: n.preparations.clone(),
            choices: n
                .turns
                .iter()
                .map(|t| (n.bundle.choices[t.choice].id.clone(), t.elapsed))
                .collect(),
        }
    }
}
