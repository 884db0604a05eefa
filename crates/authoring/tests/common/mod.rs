//! Helpers shared by the authoring tests: the bundled scenarios with edits made in memory, and
//! the checks every bilingual message must pass.

#![allow(dead_code)]

use authoring::diagnostic::{Diagnostic, code_info};
use authoring::lint::lint;
use authoring::load::RawScenarios;
use authoring::validate::{bundled_dir, validate};
use sim::text::Lang;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The path of a bundled scenario file (`cases/print_shop.ron`).
pub fn bundled(rel: &str) -> PathBuf {
    bundled_dir().join(rel)
}

/// The text of a bundled file with `edits` (from, to) made once each, in order; every `from`
/// must be there.
pub fn edited(rel: &str, edits: &[(&str, &str)]) -> String {
    let mut text = std::fs::read_to_string(bundled(rel)).expect("a bundled file");
    for (from, to) in edits {
        assert!(text.contains(from), "fixture: {from:?} is not in {rel}");
        text = text.replacen(from, to, 1);
    }
    text
}

/// What `validate` (and, when the files are valid, the lints) report for the bundled
/// scenarios with `edits` (file, from, to) made in memory, each file read from the edited text.
pub fn diagnose(edits: &[(&str, &str, &str)]) -> Vec<Diagnostic> {
    let mut by_file: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
    for (rel, from, to) in edits {
        by_file.entry(rel).or_default().push((from, to));
    }
    let files: Vec<(PathBuf, String)> = by_file
        .into_iter()
        .map(|(rel, e)| (bundled(rel), edited(rel, &e)))
        .collect();
    diagnose_files(&files)
}

/// As [`diagnose`], with whole files (path, text) added on top of the bundled scenarios (a
/// bundled path replaces that file).
pub fn diagnose_files(files: &[(PathBuf, String)]) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut raw = RawScenarios::load_dir(&bundled_dir(), &mut diags);
    assert!(diags.is_empty(), "the bundled scenarios load: {diags:?}");
    for (path, text) in files {
        raw.add_source(path, text.clone(), None, &mut diags);
    }
    match validate(raw, diags) {
        Ok(sc) => lint(&sc),
        Err(d) => d,
    }
}

pub fn has_cjk(s: &str) -> bool {
    s.chars()
        .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c))
}

/// The texts an English message quotes ("x"): ids, names and values, which the Chinese keeps.
pub fn quoted(en: &str) -> Vec<&str> {
    en.split('"')
        .skip(1)
        .step_by(2)
        .filter(|q| !q.trim().is_empty())
        .collect()
}

/// A diagnostic's message exists in English and in Chinese, the Chinese is Chinese and not a
/// copy of the English, it keeps every id the English quotes, and the code is a listed one
/// with the severity the list gives.
pub fn assert_bilingual(d: &Diagnostic) {
    let en = d.message.as_str();
    assert!(!en.trim().is_empty(), "empty English message: {d:?}");
    let zh =
        d.zh.as_deref()
            .unwrap_or_else(|| panic!("no Chinese message: {d}"));
    assert!(
        has_cjk(zh),
        "the Chinese message has no Chinese: {zh:?} ({d})"
    );
    assert_ne!(zh, en, "the Chinese message is the English one: {d}");
    assert_eq!(d.message_in(Lang::En), en);
    assert_eq!(d.message_in(Lang::Zh), zh);
    assert!(d.line_in(Lang::Zh).ends_with(zh), "{}", d.line_in(Lang::Zh));
    for q in quoted(en) {
        assert!(
            zh.contains(q),
            "the Chinese drops {q:?}:\n  en: {en}\n  zh: {zh}"
        );
    }
    let info = code_info(d.code).unwrap_or_else(|| panic!("code `{}` is not in CODES", d.code));
    assert_eq!(info.severity, d.severity, "severity of `{}`: {d}", d.code);
}
