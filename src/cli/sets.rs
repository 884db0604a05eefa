//! The scenario sets `validate` and `test` check: whole folders on their own, and files (with
//! those of project folders) together with the program's scenarios.

use authoring::diagnostic::Diagnostic;
use authoring::load::RawScenarios;
use authoring::validate::{Scenarios, bundled_dir, validate};
use std::path::{Path, PathBuf};

/// The scenario sets `validate` and `test` check, each with its label: whole folders on their
/// own, and files (with project folders) together with the program's scenarios.
pub fn load_sets(
    dir: &Path,
    paths: &[PathBuf],
) -> Vec<(String, Result<Scenarios, Vec<Diagnostic>>)> {
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
            format!("{} (checked with {})", names.join(", "), dir.display())
        };
        results.push((label, validate(raw, std::mem::take(&mut diags))));
    }
    for d in dirs {
        let mut ds = Vec::new();
        let raw = RawScenarios::load_dir(&d, &mut ds);
        results.push((d.display().to_string(), validate(raw, ds)));
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
