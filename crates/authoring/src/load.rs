//! Reads scenario files (RON) from disk and parses them into the schema, turning every problem
//! into a [`Diagnostic`] that names the file, line:column and field path. Never panics.

use crate::diagnostic::Diagnostic;
use crate::locate::{FieldPath, Locator};
use serde::de::DeserializeOwned;
use sim::scenario::{Case, LineLibrary, Persona, Rubric, TacticBook};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Files larger than this are refused before parsing.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Reads a file as UTF-8, with a positioned diagnostic for I/O errors, oversize and bad bytes.
pub fn read_source(file: &Path) -> Result<String, Diagnostic> {
    let whole = |msg: String| Diagnostic::error(file, (1, 1), String::new(), msg);
    let meta = std::fs::metadata(file).map_err(|e| whole(format!("cannot read the file: {e}")))?;
    if meta.is_dir() {
        return Err(whole("expected a .ron file, found a folder".into()));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_big(file, meta.len()));
    }
    let bytes = std::fs::read(file).map_err(|e| whole(format!("cannot read the file: {e}")))?;
    decode(file, bytes)
}

fn too_big(file: &Path, len: u64) -> Diagnostic {
    Diagnostic::error(
        file,
        (1, 1),
        String::new(),
        format!("the file is {len} bytes; scenario files may be at most {MAX_FILE_BYTES} bytes"),
    )
}

/// Turns file bytes into text; bad UTF-8 is reported at the line and column of the bad byte.
/// A UTF-8 byte-order mark (what Windows Notepad writes first) is dropped.
pub fn decode(file: &Path, mut bytes: Vec<u8>) -> Result<String, Diagnostic> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big(file, bytes.len() as u64));
    }
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|e| {
        let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let text = String::from_utf8_lossy(good);
        Diagnostic::error(
            file,
            crate::locate::line_col(&text, text.len()),
            String::new(),
            "the file is not valid UTF-8 text (save it as UTF-8)".into(),
        )
    })
}

/// Parses RON text into `T`; on failure the diagnostic carries ron's line:column and the
/// field path serde was filling.
pub fn parse<T: DeserializeOwned>(file: &Path, src: &str) -> Result<T, Diagnostic> {
    let spanned = |e: ron::error::SpannedError, path: String| {
        let mut message = e.code.to_string();
        // A misspelt field name gets a suggestion, like a misspelt id.
        if let ron::Error::NoSuchStructField {
            expected, found, ..
        } = &e.code
        {
            let hint = crate::diagnostic::did_you_mean(found, expected.iter().copied());
            if !hint.is_empty() {
                message = format!("unknown field `{found}`{hint}");
            }
        }
        let at = (e.span.start.line, e.span.start.col);
        // A slip a trainer can fix from a plain description (in both languages).
        if let Some(slip) = crate::slips::explain(src, at, &e.code, &path) {
            return Diagnostic::error(file, (slip.line, slip.column), path, slip.en)
                .with_code(slip.code)
                .with_zh(slip.zh);
        }
        Diagnostic::error(file, at, path, message).with_code("syntax")
    };
    let mut de = ron::Deserializer::from_str(src).map_err(|e| spanned(e, String::new()))?;
    let value: Result<T, _> = serde_path_to_error::deserialize(&mut de);
    match value {
        Ok(v) => match de.end() {
            Ok(()) => Ok(v),
            Err(e) => Err(spanned(de.span_error(e), String::new())),
        },
        Err(e) => {
            let path = e.path().to_string();
            // serde_path_to_error writes "." for the top level and "?" where it lost track.
            let path = path.trim_end_matches(".?").trim_end_matches('?');
            let path = if path == "." {
                String::new()
            } else {
                path.to_owned()
            };
            Err(spanned(de.span_error(e.into_inner()), path))
        }
    }
}

pub use sim::Source;

/// A diagnostic at a field of a source file.
pub trait SourceAt {
    fn at(&self, path: &FieldPath, message: String) -> Diagnostic;
}

impl SourceAt for Source {
    fn at(&self, path: &FieldPath, message: String) -> Diagnostic {
        Diagnostic::error(
            &self.file,
            Locator::new(&self.text).find(path),
            path.to_string(),
            message,
        )
    }
}

/// Everything under a scenario folder, parsed but not yet cross-checked.
#[derive(Clone, Debug, Default)]
pub struct RawScenarios {
    pub book: Option<(Source, TacticBook)>,
    pub lines: Option<(Source, LineLibrary)>,
    pub rubric: Option<(Source, Rubric)>,
    pub personas: Vec<(Source, Persona)>,
    pub cases: Vec<(Source, Case)>,
    /// Stems of files that could not be read or parsed (so ids they may define are not
    /// reported again as unknown).
    pub failed: Vec<String>,
}

/// Which schema a file follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    TacticBook,
    LineLibrary,
    Rubric,
    Persona,
    Case,
}

impl Kind {
    /// From the leading struct name (`Persona(`), else from the file and folder names.
    pub fn detect(file: &Path, src: &str) -> Option<Kind> {
        let mut rest = src.trim_start_matches('\u{feff}');
        loop {
            rest = rest.trim_start();
            if let Some(r) = rest.strip_prefix("//") {
                rest = r.split_once('\n').map_or("", |(_, r)| r);
            } else if rest.starts_with("#![") {
                rest = rest.split_once(']').map_or("", |(_, r)| r);
            } else {
                break;
            }
        }
        let head: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let by_name = match head.as_str() {
            "TacticBook" => Some(Kind::TacticBook),
            "LineLibrary" => Some(Kind::LineLibrary),
            "Rubric" => Some(Kind::Rubric),
            "Persona" => Some(Kind::Persona),
            "Case" => Some(Kind::Case),
            _ => None,
        };
        by_name.or_else(|| {
            let stem = file.file_stem()?.to_str()?;
            let parent = file.parent()?.file_name().and_then(|p| p.to_str());
            match (stem, parent) {
                ("tactics", _) => Some(Kind::TacticBook),
                ("lines", _) => Some(Kind::LineLibrary),
                ("rubric", _) => Some(Kind::Rubric),
                (_, Some("personas")) => Some(Kind::Persona),
                (_, Some("cases")) => Some(Kind::Case),
                _ => None,
            }
        })
    }
}

impl RawScenarios {
    /// Reads `dir/tactics.ron`, `lines.ron`, `rubric.ron`, `personas/*.ron`, `cases/*.ron`.
    pub fn load_dir(dir: &Path, diags: &mut Vec<Diagnostic>) -> RawScenarios {
        let mut raw = RawScenarios::default();
        if !dir.is_dir() {
            diags.push(Diagnostic::error(
                dir,
                (1, 1),
                String::new(),
                "scenario folder not found".into(),
            ));
            return raw;
        }
        for (name, kind) in [
            ("tactics.ron", Kind::TacticBook),
            ("lines.ron", Kind::LineLibrary),
            ("rubric.ron", Kind::Rubric),
        ] {
            raw.add_file(&dir.join(name), Some(kind), diags);
        }
        for (sub, kind) in [("personas", Kind::Persona), ("cases", Kind::Case)] {
            for file in ron_files(&dir.join(sub), diags) {
                raw.add_file(&file, Some(kind), diags);
            }
        }
        raw
    }

    /// Parses one file and adds it, replacing anything earlier loaded from the same file.
    pub fn add_file(&mut self, file: &Path, kind: Option<Kind>, diags: &mut Vec<Diagnostic>) {
        match read_source(file) {
            Ok(text) => self.add_source(file, text, kind, diags),
            Err(d) => {
                self.failed.push(stem(file));
                diags.push(d);
            }
        }
    }

    /// Parses text already read (e.g. by the game's asset loader) as the file `file`.
    pub fn add_source(
        &mut self,
        file: &Path,
        text: String,
        kind: Option<Kind>,
        diags: &mut Vec<Diagnostic>,
    ) {
        let Some(kind) = kind.or_else(|| Kind::detect(file, &text)) else {
            return diags.push(Diagnostic::error(
                file,
                (1, 1),
                String::new(),
                "cannot tell what this file is: start it with `Persona(`, `Case(`, `TacticBook(`, \
                 `LineLibrary(` or `Rubric(`"
                    .into(),
            ));
        };
        let same = |s: &Source| same_file(&s.file, file);
        self.personas.retain(|(s, _)| !same(s));
        self.cases.retain(|(s, _)| !same(s));
        let src = Source {
            file: file.to_owned(),
            text,
        };
        let result = match kind {
            Kind::TacticBook => parse(file, &src.text).map(|v| self.book = Some((src.clone(), v))),
            Kind::LineLibrary => {
                parse(file, &src.text).map(|v| self.lines = Some((src.clone(), v)))
            }
            Kind::Rubric => parse(file, &src.text).map(|v| self.rubric = Some((src.clone(), v))),
            Kind::Persona => parse(file, &src.text).map(|v| self.personas.push((src.clone(), v))),
            Kind::Case => parse(file, &src.text).map(|v| self.cases.push((src.clone(), v))),
        };
        if let Err(d) = result {
            self.failed.push(stem(file));
            diags.push(d);
        }
    }
}

fn stem(file: &Path) -> String {
    file.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => a == b,
    }
}

fn ron_files(dir: &Path, diags: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            diags.push(Diagnostic::error(
                dir,
                (1, 1),
                String::new(),
                format!("cannot list the folder: {e}"),
            ));
            return Vec::new();
        }
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    files.sort();
    files
}

/// Counts ids, for duplicate detection.
pub fn duplicates<'a>(ids: impl IntoIterator<Item = &'a str>) -> Vec<(usize, &'a str)> {
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    let mut dups = Vec::new();
    for (i, id) in ids.into_iter().enumerate() {
        if seen.insert(id, i).is_some() {
            dups.push((i, id));
        }
    }
    dups
}
