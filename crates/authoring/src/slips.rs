//! The slips a trainer makes most when a scenario file does not parse, explained in plain
//! words in Chinese and English: full-width punctuation, curly quotes, thousands separators in
//! numbers, an optional field written without `Some(…)`, an unbalanced bracket (naming where it
//! was opened), and a text missing one of its languages (naming its entry by id). RON's own
//! message ("Expected comma", "Expected option", …) is right but says nothing a trainer who does
//! not write code can act on.

use crate::locate::line_col;

/// A recognised slip: where it is and what to do, in both languages.
#[derive(Clone, Debug, PartialEq)]
pub struct Slip {
    pub line: usize,
    pub column: usize,
    pub code: &'static str,
    pub zh: String,
    pub en: String,
}

/// A character outside any string or comment, with its place.
#[derive(Clone, Copy, Debug)]
struct Tok {
    c: char,
    line: usize,
    col: usize,
    byte: usize,
}

/// The characters of `src` that are code (outside strings and comments), in order.
fn code_chars(src: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let (mut line, mut col) = (1, 1);
    let mut chars = src.char_indices().peekable();
    let (mut in_str, mut escaped, mut line_comment, mut block) = (false, false, false, 0u32);
    while let Some((byte, c)) = chars.next() {
        let here = Tok { c, line, col, byte };
        if c == '\n' {
            (line, col) = (line + 1, 1);
            line_comment = false;
        } else {
            col += 1;
        }
        if line_comment {
            continue;
        }
        if block > 0 {
            if c == '*' && chars.peek().is_some_and(|&(_, n)| n == '/') {
                chars.next();
                col += 1;
                block -= 1;
            }
            continue;
        }
        if in_str {
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_str = true,
            '/' if chars.peek().is_some_and(|&(_, n)| n == '/') => line_comment = true,
            '/' if chars.peek().is_some_and(|&(_, n)| n == '*') => {
                chars.next();
                col += 1;
                block += 1;
            }
            _ => out.push(here),
        }
    }
    out
}

/// Full-width punctuation a Chinese input method types, and the ASCII RON needs.
const FULL_WIDTH: [(char, char, &str, &str); 10] = [
    ('，', ',', "全角逗号", "full-width comma"),
    ('：', ':', "全角冒号", "full-width colon"),
    ('（', '(', "全角左括号", "full-width bracket"),
    ('）', ')', "全角右括号", "full-width bracket"),
    ('［', '[', "全角方括号", "full-width square bracket"),
    ('］', ']', "全角方括号", "full-width square bracket"),
    ('｛', '{', "全角花括号", "full-width brace"),
    ('｝', '}', "全角花括号", "full-width brace"),
    ('；', ',', "全角分号", "full-width semicolon"),
    ('、', ',', "顿号", "enumeration comma (、)"),
];

/// The first full-width punctuation mark or curly quote outside strings, up to `limit`.
fn wrong_character(toks: &[Tok], limit: usize) -> Option<Slip> {
    for t in toks.iter().take_while(|t| t.byte <= limit) {
        if let Some(&(_, ascii, zh, en)) = FULL_WIDTH.iter().find(|f| f.0 == t.c) {
            return Some(Slip {
                line: t.line,
                column: t.col,
                code: "full-width-punctuation",
                zh: format!(
                    "这里是{zh}“{}”：RON 文件的标点要用半角（英文）符号，请改成“{ascii}”（把输入法切换到英文标点再输入）",
                    t.c
                ),
                en: format!(
                    "this is a {en} `{}`: punctuation in RON files must be ASCII; type `{ascii}` instead (switch the input method to English punctuation)",
                    t.c
                ),
            });
        }
        if matches!(t.c, '“' | '”' | '‘' | '’') {
            return Some(Slip {
                line: t.line,
                column: t.col,
                code: "curly-quote",
                zh: format!(
                    "这里是弯引号“{}”：文字要放在直引号 \"…\" 里（英文双引号）；弯引号只能出现在文字里面",
                    t.c
                ),
                en: format!(
                    "this is a curly quote `{}`: texts go between straight quotes \"…\"; curly quotes may only appear inside a text",
                    t.c
                ),
            });
        }
    }
    None
}

/// A number written with a thousands separator (`236,000`), up to `limit`.
fn thousands(src: &str, toks: &[Tok], limit: usize) -> Option<Slip> {
    for (k, t) in toks.iter().enumerate().take_while(|(_, t)| t.byte <= limit) {
        if t.c != ',' || k == 0 || !toks[k - 1].c.is_ascii_digit() {
            continue;
        }
        let after: String = toks[k + 1..]
            .iter()
            .take_while(|x| x.c.is_ascii_digit())
            .map(|x| x.c)
            .collect();
        let follows = toks.get(k + 1 + after.len()).map(|x| x.c);
        if after.len() != 3 || !follows.is_none_or(|c| !c.is_ascii_digit() && c != ':') {
            continue;
        }
        let start = toks[..k]
            .iter()
            .rev()
            .take_while(|x| x.c.is_ascii_digit() || x.c == ',')
            .last()
            .map_or(t.byte, |x| x.byte);
        let end = toks[k + after.len()].byte + 1;
        let written = src.get(start..end).unwrap_or("");
        let number: String = written.chars().filter(|c| *c != ',').collect();
        let (line, column) = line_col(src, start);
        return Some(Slip {
            line,
            column,
            code: "thousands-separator",
            zh: format!("数字里不能有千位分隔符：把 {written} 写成 {number}"),
            en: format!("numbers take no thousands separator: write {written} as {number}"),
        });
    }
    None
}

/// An optional field given a plain value: it must be wrapped in `Some(…)`.
fn missing_some(src: &str, at: usize, path: &str) -> Slip {
    let field = path.rsplit('.').next().unwrap_or(path);
    let rest = src.get(at..).unwrap_or("");
    let at = at + (rest.len() - rest.trim_start().len());
    let value: String = src
        .get(at..)
        .unwrap_or("")
        .chars()
        .take_while(|c| !matches!(c, ',' | '\n' | ')'))
        .collect();
    let value = value.trim();
    let (line, column) = line_col(src, at);
    Slip {
        line,
        column,
        code: "missing-some",
        zh: format!(
            "“{field}”是可选项，有值时要写成 Some(…)：把 {value} 改成 Some({value})（不需要时整行删掉）"
        ),
        en: format!(
            "`{field}` is optional, so a value is written Some(…): change {value} to Some({value}) (or delete the line when there is none)"
        ),
    }
}

fn byte_of(src: &str, (line, col): (usize, usize)) -> usize {
    let mut offset = 0;
    for (i, l) in src.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            return offset
                + l.char_indices()
                    .nth(col.saturating_sub(1))
                    .map_or(l.len(), |(b, _)| b);
        }
        offset += l.len();
    }
    src.len()
}

/// Where a closing bracket is missing in a file whose brackets do not balance: the first
/// bracket left open at the end of its line when the next line goes on at the same or a
/// smaller indentation (so no block follows it). Files are written indented, and this is
/// where a trainer's eye finds the gap; bracket counting alone would blame the outermost one.
fn open_at_line_end(src: &str, toks: &[Tok]) -> Option<Slip> {
    let lines: Vec<&str> = src.lines().collect();
    let indent = |l: &str| l.len() - l.trim_start().len();
    for (i, line) in lines.iter().enumerate() {
        let mut open: Vec<&Tok> = Vec::new();
        for t in toks.iter().filter(|t| t.line == i + 1) {
            match t.c {
                '(' | '[' | '{' => open.push(t),
                ')' | ']' | '}' => {
                    open.pop();
                }
                _ => {}
            }
        }
        let Some(o) = open.last() else { continue };
        let next = lines[i + 1..].iter().find(|l| {
            let t = l.trim_start();
            !t.is_empty() && !t.starts_with("//")
        });
        if next.is_some_and(|n| indent(n) <= indent(line)) {
            return Some(Slip {
                line: o.line,
                column: o.col,
                code: "unbalanced-bracket",
                zh: format!(
                    "第 {} 行第 {} 列的“{}”在这一行没有配对的“{}”，下一行也没有缩进得更深：大概是这一行末尾少了一个“{}”",
                    o.line,
                    o.col,
                    o.c,
                    closer(o.c),
                    closer(o.c)
                ),
                en: format!(
                    "the `{}` opened at {}:{} is not closed on its line, and the next line is not indented further: a `{}` is probably missing at the end of line {}",
                    o.c,
                    o.line,
                    o.col,
                    closer(o.c),
                    o.line
                ),
            });
        }
    }
    None
}

/// The first bracket that is closed by the wrong kind, or never closed.
fn unbalanced(src: &str, toks: &[Tok]) -> Option<Slip> {
    let found = counted(toks)?;
    Some(open_at_line_end(src, toks).unwrap_or(found))
}

/// The bracket counting finds: the first closed by the wrong kind, or the last never closed.
fn counted(toks: &[Tok]) -> Option<Slip> {
    let mut open: Vec<&Tok> = Vec::new();
    for t in toks {
        match t.c {
            '(' | '[' | '{' => open.push(t),
            ')' | ']' | '}' => match open.pop() {
                Some(o) if closer(o.c) == t.c => {}
                Some(o) => return Some(closed_early(o, t)),
                None => return Some(closes_nothing(t)),
            },
            _ => {}
        }
    }
    open.last().map(|o| never_closed(o))
}

/// `o` is closed by `t`, a bracket of another kind.
fn closed_early(o: &Tok, t: &Tok) -> Slip {
    Slip {
        line: o.line,
        column: o.col,
        code: "unbalanced-bracket",
        zh: format!(
            "第 {} 行第 {} 列的“{}”没有配对的“{}”：第 {} 行第 {} 列的“{}”来得太早（少了一个“{}”？）",
            o.line,
            o.col,
            o.c,
            closer(o.c),
            t.line,
            t.col,
            t.c,
            closer(o.c)
        ),
        en: format!(
            "the `{}` opened at {}:{} is not closed: the `{}` at {}:{} comes first (a missing `{}`?)",
            o.c,
            o.line,
            o.col,
            t.c,
            t.line,
            t.col,
            closer(o.c)
        ),
    }
}

/// `t` closes nothing.
fn closes_nothing(t: &Tok) -> Slip {
    Slip {
        line: t.line,
        column: t.col,
        code: "unbalanced-bracket",
        zh: format!("这个“{}”前面没有对应的开括号（多了一个？）", t.c),
        en: format!(
            "this `{}` closes nothing that was opened (one too many?)",
            t.c
        ),
    }
}

/// `o` is still open at the end of the file.
fn never_closed(o: &Tok) -> Slip {
    Slip {
        line: o.line,
        column: o.col,
        code: "unbalanced-bracket",
        zh: format!(
            "第 {} 行第 {} 列的“{}”一直没有配对的“{}”（文件末尾前少了一个“{}”）",
            o.line,
            o.col,
            o.c,
            closer(o.c),
            closer(o.c)
        ),
        en: format!(
            "the `{}` opened at {}:{} is never closed (a `{}` is missing before the end of the file)",
            o.c,
            o.line,
            o.col,
            closer(o.c)
        ),
    }
}

fn closer(c: char) -> char {
    match c {
        '(' => ')',
        '[' => ']',
        _ => '}',
    }
}

/// The entry the text at `at` belongs to: the `id` of the innermost enclosing entry that has
/// one, else the key in front of the innermost bracket (`Greeting`, `name`).
fn entry_at(src: &str, toks: &[Tok], at: usize) -> Option<String> {
    let mut open: Vec<usize> = Vec::new();
    for (k, t) in toks.iter().enumerate().take_while(|(_, t)| t.byte < at) {
        match t.c {
            '(' | '[' | '{' => open.push(k),
            ')' | ']' | '}' => {
                open.pop();
            }
            _ => {}
        }
    }
    for &k in open.iter().rev() {
        let inside = src.get(toks[k].byte..).unwrap_or("");
        if let Some(id) = own_id(inside) {
            return Some(format!("\"{id}\""));
        }
    }
    let k = *open.last()?;
    let before = src.get(..toks[k].byte).unwrap_or("").trim_end();
    let before = before.strip_suffix(':').unwrap_or(before).trim_end();
    let key: String = before
        .chars()
        .rev()
        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '"')
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    (!key.is_empty()).then(|| key.trim_matches('"').to_owned())
}

/// `id: "x"` at the top level of the bracketed text starting at `text`'s first character.
fn own_id(text: &str) -> Option<String> {
    let toks = code_chars(text);
    let mut depth = 0;
    for t in &toks {
        match t.c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => {
                depth -= 1;
                if depth == 0 {
                    return None;
                }
            }
            'i' if depth == 1 => {
                let rest = text.get(t.byte..)?;
                if let Some(after) = rest.strip_prefix("id") {
                    let after = after.trim_start().strip_prefix(':')?.trim_start();
                    let id = after.strip_prefix('"')?.split('"').next()?;
                    return Some(id.to_owned());
                }
            }
            _ => {}
        }
    }
    None
}

/// A text (`(zh: …, en: …)`) missing one of its languages.
fn missing_language(src: &str, toks: &[Tok], at: usize, field: &str, path: &str) -> Slip {
    let (line, column) = line_col(src, at);
    let (other, lang_zh, lang_en) = if field == "en" {
        ("zh", "英文", "English")
    } else {
        ("en", "中文", "Chinese")
    };
    let owner = path
        .split('.')
        .rev()
        .find(|s| !s.is_empty() && !s.starts_with('?') && !s.starts_with('['))
        .map(|s| s.split('[').next().unwrap_or(s).to_owned());
    let entry = entry_at(src, toks, at);
    let (zh_where, en_where) = match (entry, owner) {
        (Some(e), Some(o)) => (format!("条目 {e} 的“{o}”"), format!("`{o}` of entry {e}")),
        (Some(e), None) => (format!("条目 {e}"), format!("entry {e}")),
        (None, Some(o)) => (format!("“{o}”"), format!("`{o}`")),
        (None, None) => ("这段文字".into(), "this text".into()),
    };
    Slip {
        line,
        column,
        code: "missing-translation",
        zh: format!(
            "{zh_where}缺少{lang_zh}（{field}）：每段文字都要写两种语言，例如 ({other}: \"…\", {field}: \"…\")"
        ),
        en: format!(
            "{en_where} has no {lang_en} ({field}): every text needs both languages, e.g. ({other}: \"…\", {field}: \"…\")"
        ),
    }
}

/// The slip behind RON error `err` at `at` (line, column) while filling `path`, if one is
/// recognisable; `None` leaves RON's own message.
pub fn explain(src: &str, at: (usize, usize), err: &ron::Error, path: &str) -> Option<Slip> {
    let toks = code_chars(src);
    let offset = byte_of(src, at);
    // The error is at or after the slip that caused it (RON stops at the next token).
    let limit = toks
        .iter()
        .find(|t| t.line > at.0)
        .map_or(src.len(), |t| t.byte);
    if let Some(s) = wrong_character(&toks, limit) {
        return Some(s);
    }
    if let Some(s) = thousands(src, &toks, limit) {
        return Some(s);
    }
    match err {
        ron::Error::ExpectedOption => return Some(missing_some(src, offset, path)),
        ron::Error::MissingStructField { field, outer }
            if matches!(*field, "zh" | "en") && outer.as_deref().is_none_or(|o| o == "Text") =>
        {
            return Some(missing_language(src, &toks, offset, field, path));
        }
        _ => {}
    }
    unbalanced(src, &toks)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slip(src: &str, at: (usize, usize), err: ron::Error, path: &str) -> Slip {
        explain(src, at, &err, path).expect("a slip")
    }

    #[test]
    fn strings_and_comments_are_not_code() {
        let toks = code_chars("a: \"x，(\", // （\n/* ] */ b");
        let code: String = toks.iter().map(|t| t.c).collect();
        assert_eq!(code, "a: , \n b");
    }

    #[test]
    fn each_slip_is_found_where_it_is() {
        let s = slip("(amount: 236,000)", (1, 14), ron::Error::ExpectedComma, "");
        assert_eq!((s.code, s.line, s.column), ("thousands-separator", 1, 10));
        assert!(s.en.contains("write 236,000 as 236000"), "{}", s.en);
        let s = slip("(a: 1，b: 2)", (1, 6), ron::Error::ExpectedComma, "");
        assert_eq!((s.code, s.column), ("full-width-punctuation", 6));
        let s = slip("(a: “x”)", (1, 5), ron::Error::ExpectedString, "a");
        assert_eq!(s.code, "curly-quote");
        let s = slip(
            "(\n  a: [1, 2,\n  b: 3,\n)",
            (3, 3),
            ron::Error::ExpectedIdentifier,
            "",
        );
        assert_eq!((s.code, s.line, s.column), ("unbalanced-bracket", 2, 6));
        assert!(
            s.en.contains("the `[` opened at 2:6 is not closed"),
            "{}",
            s.en
        );
    }
}
