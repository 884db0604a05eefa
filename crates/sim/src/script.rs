//! Recorded play: a RON list of preparations and (line id, seconds) choices, replayed through
//! the engine. A script that cannot be replayed names the entry (`choices[3]`); reading a script
//! file and placing that entry at line:column is `authoring::script_file`.

use crate::bundle::CaseBundle;
use crate::meeting::Meeting;
use crate::path::FieldPath;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Why a script cannot be replayed, and which entry.
#[derive(Clone, Debug, PartialEq)]
pub struct ReplayError {
    pub path: FieldPath,
    pub message: String,
}

impl std::fmt::Display for ReplayError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

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
    /// Plays the script without a source file: the error names the entry (`choices[3]`) and
    /// says why, for callers such as the class server that got the script as JSON.
    pub fn replay(&self, bundle: Arc<CaseBundle>, seed: u64) -> Result<Meeting, ReplayError> {
        let root = FieldPath::root();
        let mut n = Meeting::new(bundle, seed, &self.preparations).map_err(|e| ReplayError {
            path: root.field("preparations"),
            message: e.to_string(),
        })?;
        for (k, (id, secs)) in self.choices.iter().enumerate() {
            if let Err(e) = n.respond_id(id, *secs) {
                let open = n.open_ids();
                let hint = if n.is_over() {
                    String::new()
                } else {
                    format!("; open now: {}", open.join(", "))
                };
                return Err(ReplayError {
                    path: root.field("choices").index(k),
                    message: format!("turn {}: {e}{hint}", k + 1),
                });
            }
        }
        Ok(n)
    }

    /// The script that reproduces a played meeting.
    pub fn of(n: &Meeting) -> Script {
        Script {
            preparations: n.preparations.to_vec(),
            choices: n
                .turns
                .iter()
                .map(|t| (n.bundle.choices[t.choice].id.clone(), t.elapsed))
                .collect(),
        }
    }
}
