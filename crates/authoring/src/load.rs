//! Reads scenario files (RON) from disk and parses them into the schema, turning every problem
//! into a [`Diagnostic`] that names the file, line:column and field path. Never panics.

use crate::diagnostic::{Diagnostic, msg};
use crate::locate::{FieldPath, Locator};
use serde::de::DeserializeOwned;
use sim::scenario::{Case, LineLibrary, Persona, Rubric, TacticBook};
use sim::text::Text;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Files larger than this are refused before parsing.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Reads a file as UTF-8, with a positioned diagnostic for I/O errors, oversize and bad bytes.
pub fn read_source(file: &Path) -> Result<String, Diagnostic> {
    let whole = |m: Text| Diagnostic::new(file, (1, 1), String::new(), m);
    let unreadable = |e: std::io::Error| {
        whole(msg(
            format!("读不了这个文件：{e}"),
            format!("cannot read the file: {e}"),
        ))
    };
    let meta = std::fs::metadata(file).map_err(unreadable)?;
    if meta.is_dir() {
        return Err(whole(msg(
            "这里要的是一个 .ron 文件，但这是一个文件夹",
            "expected a .ron file, found a folder",
        )));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_big(file, meta.len()));
    }
    let bytes = std::fs::read(file).map_err(unreadable)?;
    decode(file, bytes)
}

fn too_big(file: &Path, len: u64) -> Diagnostic {
    Diagnostic::new(
        file,
        (1, 1),
        String::new(),
        msg(
            format!("这个文件有 {len} 字节；场景文件最大只能有 {MAX_FILE_BYTES} 字节"),
            format!(
                "the file is {len} bytes; scenario files may be at most {MAX_FILE_BYTES} bytes"
            ),
        ),
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
        Diagnostic::new(
            file,
            crate::locate::line_col(&text, text.len()),
            String::new(),
            msg(
                "这个文件不是有效的 UTF-8 文本（请用 UTF-8 编码另存一次）",
                "the file is not valid UTF-8 text (save it as UTF-8)",
            ),
        )
    })
}

/// Parses RON text into `T`; on failure the diagnostic carries ron's line:column and the
/// field path serde was filling.
pub fn parse<T: DeserializeOwned>(file: &Path, src: &str) -> Result<T, Diagnostic> {
    let spanned = |e: ron::error::SpannedError, path: String| {
        let mut message = msg(ron_error_zh(&e.code), e.code.to_string());
        // A misspelt field name gets a suggestion, like a misspelt id.
        if let ron::Error::NoSuchStructField {
            expected, found, ..
        } = &e.code
        {
            let hint = crate::diagnostic::did_you_mean_in(found, expected.iter().copied());
            if !hint.en.is_empty() {
                message = msg(
                    format!("没有叫 `{found}` 的字段{}", hint.zh),
                    format!("unknown field `{found}`{}", hint.en),
                );
            }
        }
        let at = (e.span.start.line, e.span.start.col);
        // A slip a trainer can fix from a plain description (in both languages).
        if let Some(slip) = crate::slips::explain(src, at, &e.code, &path) {
            return Diagnostic::new(file, (slip.line, slip.column), path, msg(slip.zh, slip.en))
                .with_code(slip.code);
        }
        Diagnostic::new(file, at, path, message).with_code("syntax")
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
    /// An error with an English message only (for messages that come from elsewhere in English).
    fn at(&self, path: &FieldPath, message: String) -> Diagnostic;
    /// An error with its message in both languages.
    fn at_in(&self, path: &FieldPath, message: Text) -> Diagnostic;
}

impl SourceAt for Source {
    fn at_in(&self, path: &FieldPath, message: Text) -> Diagnostic {
        Diagnostic::new(
            &self.file,
            Locator::new(&self.text).find(path),
            path.to_string(),
            message,
        )
    }
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
            diags.push(Diagnostic::new(
                dir,
                (1, 1),
                String::new(),
                msg("找不到场景文件夹", "scenario folder not found"),
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
            return diags.push(Diagnostic::new(
                file,
                (1, 1),
                String::new(),
                msg(
                    "看不出这是什么文件：文件开头要写 `Persona(`、`Case(`、`TacticBook(`、\
                     `LineLibrary(` 或 `Rubric(`",
                    "cannot tell what this file is: start it with `Persona(`, `Case(`, \
                     `TacticBook(`, `LineLibrary(` or `Rubric(`",
                ),
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
            diags.push(Diagnostic::new(
                dir,
                (1, 1),
                String::new(),
                msg(
                    format!("列不出这个文件夹里的文件：{e}"),
                    format!("cannot list the folder: {e}"),
                ),
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

/// `a`、`b`、`c` (or "无" for none).
fn listed(names: &[&str]) -> String {
    if names.is_empty() {
        return "无".into();
    }
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join("、")
}

/// ` （在 `X` 里）` when the error names the struct or enum it happened in.
fn inside(outer: &Option<String>) -> String {
    outer
        .as_deref()
        .map_or(String::new(), |o| format!("（在 `{o}` 里）"))
}

/// What serde's own English wording (`invalid type: …, expected …`) says, in Chinese; the
/// values it quotes are kept as written.
fn serde_message_zh(s: &str) -> String {
    let pair = |rest: &str| -> (String, String) {
        match rest.split_once(", expected ") {
            Some((found, expected)) => (found.to_owned(), expected.to_owned()),
            None => (rest.to_owned(), String::new()),
        }
    };
    if let Some(rest) = s.strip_prefix("invalid type: ") {
        let (found, expected) = pair(rest);
        format!("类型不对：这里写的是 {found}，应该是 {expected}")
    } else if let Some(rest) = s.strip_prefix("invalid value: ") {
        let (found, expected) = pair(rest);
        format!("值不对：这里写的是 {found}，应该是 {expected}")
    } else if let Some(rest) = s.strip_prefix("invalid length ") {
        let (found, expected) = pair(rest);
        format!("个数不对：这里有 {found} 个，应该是 {expected}")
    } else if let Some(rest) = s.strip_prefix("unknown variant ") {
        let (found, expected) = pair(rest);
        format!("没有 {found} 这个选项；可以写的是：{expected}")
    } else if let Some(rest) = s.strip_prefix("unknown field ") {
        let (found, expected) = pair(rest);
        format!("没有 {found} 这个字段；可以写的是：{expected}")
    } else if let Some(rest) = s.strip_prefix("missing field ") {
        format!("缺少字段 {rest}")
    } else if let Some(rest) = s.strip_prefix("duplicate field ") {
        format!("字段 {rest} 写了两次")
    } else {
        format!("文件在这里读不下去了：{s}")
    }
}

/// RON's parse error in Chinese, as precise as RON's English.
pub fn ron_error_zh(e: &ron::Error) -> String {
    use ron::Error as R;
    match e {
        R::Io(s) => format!("读文件出错：{s}"),
        R::Message(s) => serde_message_zh(s),
        R::Eof => "文件意外结束了（是不是少了右括号，或文件被截断了？）".into(),
        R::ExpectedArray => "这里应该是列表的开头“[”".into(),
        R::ExpectedArrayEnd => "这里应该是列表的结尾“]”".into(),
        R::ExpectedBoolean => "这里应该是 true 或 false".into(),
        R::ExpectedComma => "这里缺少逗号“,”".into(),
        R::ExpectedChar => "这里应该是一个字符（用单引号括起来）".into(),
        R::ExpectedFloat => "这里应该是一个数字（可以带小数点）".into(),
        R::ExpectedInteger => "这里应该是一个整数".into(),
        R::ExpectedOption => "这里应该写 Some(…) 或 None".into(),
        R::ExpectedOptionEnd | R::ExpectedStructLikeEnd => "这里应该是右括号“)”".into(),
        R::ExpectedMap => "这里应该是“{”".into(),
        R::ExpectedMapColon => "这里缺少冒号“:”".into(),
        R::ExpectedMapEnd => "这里应该是“}”".into(),
        R::ExpectedDifferentStructName { expected, found } => {
            format!("这里应该是 `{expected}`，但写的是 `{found}`")
        }
        R::ExpectedStructLike => "这里应该是左括号“(”".into(),
        R::ExpectedNamedStructLike("") => "这里应该是左括号“(”".into(),
        R::ExpectedNamedStructLike(name) => format!("这里应该是 `{name}` 后面的左括号“(”"),
        R::ExpectedUnit => "这里应该是 ()".into(),
        R::ExpectedString => "这里应该是一段用直引号 \"…\" 括起来的文字".into(),
        R::ExpectedStringEnd => "这段文字没有结束的引号“\"”".into(),
        R::ExpectedIdentifier => "这里应该是一个字段名或名称".into(),
        R::IntegerOutOfBounds => "这个整数太大或太小".into(),
        R::InvalidIntegerDigit { digit, base } => {
            format!("{base} 进制的整数里不能有 {digit:?}")
        }
        R::FloatUnderscore | R::UnderscoreAtBeginning => "数字里不能有下划线“_”".into(),
        R::UnclosedBlockComment => "注释 /* … 没有结束的 */".into(),
        R::UnexpectedChar(c) => format!("这里不该出现 {c:?}"),
        R::TrailingCharacters => "文件结尾后面还有多余的内容（是不是多了一个右括号？）".into(),
        R::InvalidValueForType { expected, found } => {
            format!("这里应该是 {expected}，但写的是 {found}")
        }
        R::ExpectedDifferentLength { expected, found } => {
            format!("这里应该是 {expected}，但写了 {found} 个")
        }
        R::NoSuchEnumVariant {
            expected,
            found,
            outer,
        } => format!(
            "没有 `{found}` 这个选项{}；可以写的是：{}",
            inside(outer),
            listed(expected)
        ),
        R::NoSuchStructField {
            expected,
            found,
            outer,
        } => format!(
            "没有 `{found}` 这个字段{}；可以写的是：{}",
            inside(outer),
            listed(expected)
        ),
        R::MissingStructField { field, outer } => {
            format!("缺少字段 `{field}`{}", inside(outer))
        }
        R::DuplicateStructField { field, outer } => {
            format!("字段 `{field}` 写了两次{}", inside(outer))
        }
        R::InvalidIdentifier(s) => format!("{s:?} 不能用作名称"),
        R::ExceededRecursionLimit => "括号嵌套得太深，文件读不下去".into(),
        R::ExpectedStructName(name) => format!("这里要先写名称 `{name}` 再写括号"),
        other => format!("文件在这里读不下去了：{other}"),
    }
}
