//! Every trainee-facing text of the scenario files, with a stable id, for translators
//! (`dunning-dojo strings export / import`). A text is any `(zh: "…", en: "…")` in a file; its
//! id is the file's entity and the path to it, with entries named by their `id` rather than
//! their position (`persona:cash_strapped/excuses[no_cash].text`), so reordering a file keeps
//! the ids. Import writes a translation into the exact characters of the old one, so comments
//! and layout stay; it records which Chinese text each English one was translated from, and a
//! text whose Chinese changed since is reported until it is translated again.

use std::collections::BTreeMap;
use std::ops::Range;

/// One text of a file: its id, both languages, and where each literal is in the source.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub id: String,
    pub zh: String,
    pub en: String,
    /// Byte range of the `en` string literal (quotes included), when the text has one.
    pub en_span: Option<Range<usize>>,
    /// Byte offset just after the `zh` literal (where a missing `en` is inserted).
    pub zh_end: usize,
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Ident(String),
    Str(String, Range<usize>),
    Punct(char),
}

/// RON tokens: identifiers, string literals (decoded, with their span) and punctuation;
/// comments and numbers are skipped.
fn tokens(src: &str) -> Vec<Tok> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'/' && b.get(i + 1) == Some(&b'/') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if c == b'/' && b.get(i + 1) == Some(&b'*') {
            i += 2;
            while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                i += 1;
            }
            i += 2;
        } else if c == b'"' {
            let start = i;
            let mut value = String::new();
            i += 1;
            while i < b.len() && b[i] != b'"' {
                if b[i] == b'\\' && i + 1 < b.len() {
                    value.push(match b[i + 1] {
                        b'n' => '\n',
                        b't' => '\t',
                        other => other as char,
                    });
                    i += 2;
                    continue;
                }
                let ch = src[i..].chars().next().unwrap_or('\u{fffd}');
                value.push(ch);
                i += ch.len_utf8();
            }
            i += 1;
            out.push(Tok::Str(value, start..i.min(b.len())));
        } else if c.is_ascii_alphabetic() || c == b'_' {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                i += 1;
            }
            out.push(Tok::Ident(src[start..i].to_owned()));
        } else if b"()[]{}:,".contains(&c) {
            out.push(Tok::Punct(c as char));
            i += 1;
        } else {
            i += src[i..].chars().next().map_or(1, char::len_utf8);
        }
    }
    out
}

/// A bracket being read: how it is reached from its parent, its own `id`, and the fields seen.
#[derive(Default)]
struct Frame {
    /// `.key` or `[index]` (the index replaced by the child's id when it has one).
    key: Option<String>,
    index: Option<usize>,
    id: Option<String>,
    /// The next child's position in a list.
    count: usize,
    /// The key the next value belongs to.
    pending: Option<String>,
    zh: Option<(String, usize)>,
    en: Option<(String, Range<usize>)>,
}

/// The path below the file's entity (frames 0 and 1 are the file and `Persona(…)` itself).
fn path_of(frames: &[Frame]) -> String {
    let mut p = String::new();
    for f in frames.iter().skip(2) {
        if let Some(k) = &f.key {
            if !p.is_empty() {
                p.push('.');
            }
            p.push_str(k);
        }
        if let Some(i) = f.index {
            match &f.id {
                Some(id) => p.push_str(&format!("[{id}]")),
                None => p.push_str(&format!("[{i}]")),
            }
        }
    }
    p
}

/// The texts of one file, their ids starting with the file's entity (`case:fastener_factory`).
pub fn texts(src: &str) -> Vec<Entry> {
    let toks = tokens(src);
    let mut frames: Vec<Frame> = vec![Frame::default()];
    let mut out = Vec::new();
    let prefix = entity(&toks);
    for (k, t) in toks.iter().enumerate() {
        let next_is_colon = matches!(toks.get(k + 1), Some(Tok::Punct(':')));
        match t {
            Tok::Punct('(' | '[' | '{') => {
                let parent = frames.last_mut().expect("the root frame");
                let (key, index) = match parent.pending.take() {
                    Some(key) => (Some(key), None),
                    None => {
                        parent.count += 1;
                        (None, Some(parent.count - 1))
                    }
                };
                frames.push(Frame {
                    key,
                    index,
                    ..Frame::default()
                });
            }
            Tok::Punct(')' | ']' | '}') if frames.len() > 1 => {
                let path = path_of(&frames);
                let f = frames.pop().expect("more than the root");
                if let Some((zh, zh_end)) = f.zh {
                    let (en, en_span) = match f.en {
                        Some((en, span)) => (en, Some(span)),
                        None => (String::new(), None),
                    };
                    out.push(Entry {
                        id: format!("{prefix}/{path}"),
                        zh,
                        en,
                        en_span,
                        zh_end,
                    });
                }
            }
            Tok::Ident(name) if next_is_colon => {
                frames.last_mut().expect("the root frame").pending = Some(name.clone());
            }
            Tok::Str(s, _) if next_is_colon => {
                frames.last_mut().expect("the root frame").pending = Some(s.clone());
            }
            Tok::Str(s, span) => {
                let f = frames.last_mut().expect("the root frame");
                match f.pending.take().as_deref() {
                    Some("zh") => f.zh = Some((s.clone(), span.end)),
                    Some("en") => f.en = Some((s.clone(), span.clone())),
                    Some("id") => f.id = Some(s.clone()),
                    _ => {}
                }
            }
            // `Some(…)` keeps the field's name for what it wraps.
            Tok::Punct(',' | ':') => {}
            Tok::Ident(name) if name == "Some" => {}
            _ => {
                frames.last_mut().expect("the root frame").pending = None;
            }
        }
    }
    out
}

/// `persona:ID`, `case:ID`, or the file's kind for the shared files.
fn entity(toks: &[Tok]) -> String {
    let kind = toks.iter().find_map(|t| match t {
        Tok::Ident(n) => Some(n.as_str()),
        _ => None,
    });
    let id = toks.windows(3).find_map(|w| match w {
        [Tok::Ident(k), Tok::Punct(':'), Tok::Str(v, _)] if k == "id" => Some(v.clone()),
        _ => None,
    });
    match (kind, id) {
        (Some("Persona"), Some(id)) => format!("persona:{id}"),
        (Some("Case"), Some(id)) => format!("case:{id}"),
        (Some("TacticBook"), _) => "tactics".into(),
        (Some("LineLibrary"), _) => "lines".into(),
        (Some("Rubric"), _) => "rubric".into(),
        (Some(other), _) => other.to_lowercase(),
        (None, _) => "file".into(),
    }
}

/// A RON string literal for `s`.
pub fn literal(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A short, stable fingerprint of a text (FNV-1a, 64 bits, hex): what the translation was
/// made from.
pub fn fingerprint(s: &str) -> String {
    let h = sim::hash::fnv1a(sim::hash::FNV_OFFSET, s.as_bytes());
    format!("{h:016x}")
}

/// `src` with the English of the texts in `translations` (id → English) written in, each in
/// place of the old literal (or after the Chinese one when there was none); the ids not found.
pub fn apply(src: &str, translations: &BTreeMap<String, String>) -> (String, Vec<String>) {
    let entries = texts(src);
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    for (id, en) in translations {
        let Some(e) = entries.iter().find(|e| &e.id == id) else {
            continue;
        };
        if &e.en == en {
            continue;
        }
        match &e.en_span {
            Some(span) => edits.push((span.clone(), literal(en))),
            None => edits.push((e.zh_end..e.zh_end, format!(", en: {}", literal(en)))),
        }
    }
    let missing = translations
        .keys()
        .filter(|id| !entries.iter().any(|e| &e.id == *id))
        .cloned()
        .collect();
    edits.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    let mut out = src.to_owned();
    for (r, text) in edits {
        out.replace_range(r, &text);
    }
    (out, missing)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SRC: &str = r#"// a comment
Persona(
    id: "p",
    name: (zh: "名字", en: "Name"), // kept
    excuses: [
        (id: "no_cash", text: (zh: "没钱", en: "No \"cash\"")),
        (id: "later", text: (zh: "以后", en: "Later")),
    ],
    voice: {Greeting: [(zh: "你好", en: "Hello")]},
    vars: {"contact": (zh: "陈", en: "Chen")},
)"#;

    #[test]
    fn texts_are_named_by_entry_ids_and_paths() {
        let ids: Vec<String> = texts(SRC).into_iter().map(|e| e.id).collect();
        assert_eq!(
            ids,
            [
                "persona:p/name",
                "persona:p/excuses[no_cash].text",
                "persona:p/excuses[later].text",
                "persona:p/voice.Greeting[0]",
                "persona:p/vars.contact",
            ]
        );
        assert_eq!(texts(SRC)[1].en, "No \"cash\"");
    }

    #[test]
    fn a_translation_replaces_only_its_literal() {
        let mut t = BTreeMap::new();
        t.insert(
            "persona:p/excuses[later].text".to_owned(),
            "Some \"day\"".to_owned(),
        );
        t.insert("persona:p/gone".to_owned(), "x".to_owned());
        let (out, missing) = apply(SRC, &t);
        assert_eq!(
            out,
            SRC.replace("en: \"Later\"", "en: \"Some \\\"day\\\"\"")
        );
        assert_eq!(missing, ["persona:p/gone"]);
        assert_eq!(texts(&out)[2].en, "Some \"day\"");
    }
}
