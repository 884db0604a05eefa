//! The scenario sets `validate` and `test` check: whole folders on their own, and files (with
//! those of project folders) together with the program's scenarios.

use authoring::diagnostic::Diagnostic;
use authoring::load::RawScenarios;
use authoring::validate::{Scenarios, bundled_dir, validate};
use std::path::{Path, PathBuf};

/// One set of scenarios `validate` and `test` check.
pub struct Set {
    /// What was checked, for the summary line.
    pub label: String,
    pub scenarios: Result<Scenarios, Vec<Diagnostic>>,
    /// The trainer's own files when they were checked on top of the program's scenarios: only
    /// their cases' tests are the trainer's.
    pub own: Option<Vec<PathBuf>>,
}

impl Set {
    /// Whether the case at `index` of the scenarios came from what was asked for (not from the
    /// program's scenarios the trainer's files were checked with).
    pub fn asked_for(&self, sc: &Scenarios, index: usize) -> bool {
        match (&self.own, sc.sources.cases.get(index)) {
            (Some(own), Some(src)) => own.contains(&src.file),
            _ => true,
        }
    }
}

/// The scenario sets `validate` and `test` check: whole folders on their own, and files (with
/// project folders) together with the program's scenarios.
pub fn load_sets(dir: &Path, paths: &[PathBuf]) -> Vec<Set> {
    let mut diags = Vec::new();
    // A project folder given with --scenarios is checked on top of the program's scenarios.
    let project = authoring::validate::is_project(dir);
    let paths = if paths.is_empty() && project {
        vec![dir.to_owned()]
    } else {
        paths.to_vec()
    };
    let base = if project {
        bundled_dir()
    } else {
        dir.to_owned()
    };
    let dir = base.as_path();
    let (dirs, files) = validate_inputs(&paths);
    let mut results = Vec::new();
    if dirs.is_empty() || !files.is_empty() {
        let mut raw = RawScenarios::load_dir(dir, &mut diags);
        for f in &files {
            raw.add_file(f, None, &mut diags);
        }
        let label = if files.is_empty() {
            dir.display().to_string()
        } else {
            let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
            crate::cli::error::said(
                &format!("{}（与 {} 一起检查）", names.join(", "), dir.display()),
                &format!("{} (checked with {})", names.join(", "), dir.display()),
            )
        };
        results.push(Set {
            label,
            scenarios: validate(raw, std::mem::take(&mut diags)),
            own: (!files.is_empty()).then_some(files),
        });
    }
    for d in dirs {
        let mut ds = Vec::new();
        let raw = RawScenarios::load_dir(&d, &mut ds);
        results.push(Set {
            label: d.display().to_string(),
            scenarios: validate(raw, ds),
            own: None,
        });
    }
    results
}

/// What `validate` checks: whole scenario folders on their own, and files (with those of
/// project folders that hold only personas/ and cases/) together with the program's scenarios.
fn validate_inputs(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let (mut dirs, mut files) = (Vec::new(), Vec::new());
    for p in paths {
        if !p.is_dir() {
            files.push(p.clone());
        } else if p.join("tactics.ron").exists() {
            dirs.push(p.clone());
        } else {
            files.extend(authoring::validate::project_files(p));
        }
    }
    (dirs, files)
}
