//! A validated set of scenario files, as the simulation uses them (loading and checking them
//! is `authoring`'s job), and where the bundled scenarios are.

use crate::scenario::{Case, LineLibrary, Persona, Rubric, TacticBook};
use std::path::PathBuf;

/// A validated set of scenario files.
#[derive(Clone, Debug)]
pub struct Scenarios {
    pub book: TacticBook,
    pub lines: LineLibrary,
    pub rubric: Rubric,
    pub personas: Vec<Persona>,
    pub cases: Vec<Case>,
    /// The text of every file, for positioned warnings.
    pub sources: Sources,
}

/// The source text of each validated file, in the same order as the items.
#[derive(Clone, Debug)]
pub struct Sources {
    pub book: Source,
    pub lines: Source,
    pub rubric: Source,
    pub personas: Vec<Source>,
    pub cases: Vec<Source>,
}

impl Scenarios {
    pub fn case(&self, id: &str) -> Option<&Case> {
        self.cases.iter().find(|c| c.id == id)
    }
    pub fn persona(&self, id: &str) -> Option<&Persona> {
        self.personas.iter().find(|p| p.id == id)
    }
}

/// One file's path and text, kept so that later findings can name line:column.
#[derive(Clone, Debug)]
pub struct Source {
    pub file: PathBuf,
    pub text: String,
}

/// The folder of scenarios shipped with the crate.
pub fn bundled_dir() -> PathBuf {
    // This crate sits at crates/sim in the repository; the scenarios are at its root.
    let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    here.ancestors().nth(2).unwrap_or(here).join("scenarios")
}
