//! `dunning-dojo strings export / import`: the translation workflow. Export writes every text of
//! a scenario folder to CSV (id, file, zh, en, source hash); a translator fills in `en`; import
//! writes the translations back into the RON files in place (comments and layout kept) and
//! records which Chinese each English was translated from, in `strings-translated.ron`;
//! `validate` warns about every text whose Chinese has changed since.

use authoring::diagnostic::Diagnostic;
use authoring::strings::{apply, fingerprint, texts};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The file in a scenario folder that records, per text id, the fingerprint of the Chinese
/// its English was translated from.
pub const STATE_FILE: &str = "strings-translated.ron";

/// The scenario files of a folder (the shared files, then personas/ and cases/), relative
/// paths in a stable order.
fn ron_files(dir: &Path) -> Vec<PathBuf> {
    let mut shared: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .filter(|p| p.file_name().is_some_and(|n| n != STATE_FILE))
        .collect();
    shared.sort();
    shared
        .into_iter()
        .chain(authoring::validate::project_files(dir))
        .filter_map(|p| p.strip_prefix(dir).ok().map(Path::to_path_buf))
        .collect()
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Row {
    id: String,
    file: String,
    zh: String,
    en: String,
    source_hash: String,
}

/// Writes every text of `dir` to `out` as CSV; returns how many texts and files.
pub fn export(dir: &Path, out: &Path) -> Result<(usize, usize), String> {
    let files = ron_files(dir);
    let mut w =
        csv::Writer::from_path(out).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    let mut n = 0;
    for f in &files {
        let path = dir.join(f);
        let src = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        for e in texts(&src) {
            n += 1;
            w.serialize(Row {
                source_hash: fingerprint(&e.zh),
                id: e.id,
                file: f.to_string_lossy().replace('\\', "/"),
                zh: e.zh,
                en: e.en,
            })
            .map_err(|e| format!("cannot write {}: {e}", out.display()))?;
        }
    }
    w.flush()
        .map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    Ok((n, files.len()))
}

/// What an import did.
pub struct Imported {
    pub written: usize,
    pub files: usize,
    /// Ids in the CSV that no file has (renamed or deleted entries).
    pub unknown: Vec<String>,
    /// Ids whose Chinese changed after the export the translation was made from.
    pub stale: Vec<String>,
}

/// Reads translations from `csv_file` and writes them into the files of `dir`.
pub fn import(dir: &Path, csv_file: &Path) -> Result<Imported, String> {
    let mut r = csv::Reader::from_path(csv_file)
        .map_err(|e| format!("cannot read {}: {e}", csv_file.display()))?;
    let mut by_file: BTreeMap<String, Vec<Row>> = BTreeMap::new();
    for (k, row) in r.deserialize::<Row>().enumerate() {
        let row = row.map_err(|e| {
            format!(
                "{}: row {}: {e} (the columns are id, file, zh, en, source_hash)",
                csv_file.display(),
                k + 2
            )
        })?;
        if !row.en.trim().is_empty() {
            by_file.entry(row.file.clone()).or_default().push(row);
        }
    }
    let mut state = read_state(dir);
    let mut done = Imported {
        written: 0,
        files: 0,
        unknown: Vec::new(),
        stale: Vec::new(),
    };
    for (file, rows) in by_file {
        let path = dir.join(&file);
        let Ok(src) = std::fs::read_to_string(&path) else {
            done.unknown.extend(rows.into_iter().map(|r| r.id));
            continue;
        };
        let entries = texts(&src);
        // Each text's Chinese and English as the file has them now.
        let current: BTreeMap<&str, (&str, &str)> = entries
            .iter()
            .map(|e| (e.id.as_str(), (e.zh.as_str(), e.en.as_str())))
            .collect();
        // What changes: a text whose English in the file is not the CSV's already.
        let changed = rows
            .iter()
            .filter(|r| {
                current
                    .get(r.id.as_str())
                    .is_some_and(|(_, en)| *en != r.en)
            })
            .count();
        let translations: BTreeMap<String, String> =
            rows.iter().map(|r| (r.id.clone(), r.en.clone())).collect();
        let (out, missing) = apply(&src, &translations);
        for r in &rows {
            if let Some((zh, _)) = current.get(r.id.as_str()) {
                if fingerprint(zh) != r.source_hash {
                    done.stale.push(r.id.clone());
                }
                state.insert(r.id.clone(), r.source_hash.clone());
            }
        }
        done.unknown.extend(missing);
        if out != src {
            std::fs::write(&path, out)
                .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            done.files += 1;
            done.written += changed;
        }
    }
    write_state(dir, &state)?;
    Ok(done)
}

fn read_state(dir: &Path) -> BTreeMap<String, String> {
    std::fs::read_to_string(dir.join(STATE_FILE))
        .ok()
        .and_then(|s| ron::from_str(&s).ok())
        .unwrap_or_default()
}

fn write_state(dir: &Path, state: &BTreeMap<String, String>) -> Result<(), String> {
    let text = ron::ser::to_string_pretty(state, ron::ser::PrettyConfig::default())
        .map_err(|e| format!("cannot record the translations: {e}"))?;
    let path = dir.join(STATE_FILE);
    let header = "// Written by `dunning-dojo strings import`: for each text, the fingerprint of the\n\
                  // Chinese its English was translated from. validate warns when they differ.\n";
    std::fs::write(&path, format!("{header}{text}\n"))
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Warnings for the texts of `dir` whose Chinese changed since their English was translated.
pub fn stale(dir: &Path) -> Vec<Diagnostic> {
    let state = read_state(dir);
    if state.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for f in ron_files(dir) {
        let path = dir.join(&f);
        let Ok(src) = std::fs::read_to_string(&path) else {
            continue;
        };
        for e in texts(&src) {
            let Some(from) = state.get(&e.id) else {
                continue;
            };
            if *from == fingerprint(&e.zh) {
                continue;
            }
            let at = e.en_span.as_ref().map_or(e.zh_end, |s| s.start);
            let d = Diagnostic::error(
                &path,
                authoring::locate::line_col(&src, at),
                String::new(),
                format!(
                    "text {}: its Chinese changed after the English was translated; update the \
                     English (strings export, translate, strings import)",
                    e.id
                ),
            )
            .with_code("translation-needs-update")
            .with_zh(format!(
                "文字 {}：英文翻译之后中文又改过了，请更新英文（strings export → 翻译 → strings import）",
                e.id
            ))
            .warning();
            out.push(d);
        }
    }
    out
}
