//! Finds where a field path (`excuses[2].counters[0].tactic`) sits in RON source text, so that
//! errors found after parsing (unknown ids, ranges, missing translations) still name line:column.

use std::collections::HashMap;

pub use sim::path::{FieldPath, Seg};

/// The 1-based line and column (in characters) of byte offset `byte` of `src` (the end of
/// `src` when the offset is past it or inside a character).
pub fn line_col(src: &str, byte: usize) -> (usize, usize) {
    let before = src.get(..byte).unwrap_or(src);
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// Positions (1-based line, column) of every value reachable by a field path in `src`.
pub struct Locator {
    spots: HashMap<FieldPath, (usize, usize)>,
}

impl Locator {
    pub fn new(src: &str) -> Locator {
        let mut s = Scanner {
            chars: src.chars().collect(),
            at: 0,
            line: 1,
            col: 1,
            spots: HashMap::new(),
            depth: 0,
        };
        s.value(&FieldPath::root());
        Locator { spots: s.spots }
    }

    /// The position of the path, or of its nearest enclosing value when the path itself is
    /// absent (a missing field points at the struct that lacks it).
    pub fn find(&self, path: &FieldPath) -> (usize, usize) {
        path.prefixes()
            .find_map(|p| self.spots.get(&p).copied())
            .unwrap_or((1, 1))
    }
}

struct Scanner {
    chars: Vec<char>,
    at: usize,
    line: usize,
    col: usize,
    spots: HashMap<FieldPath, (usize, usize)>,
    depth: usize,
}

const MAX_DEPTH: usize = 256;

impl Scanner {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }
    fn peek_at(&self, k: usize) -> Option<char> {
        self.chars.get(self.at + k).copied()
    }
    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += 1;
        if c == '\n' {
            self.line += 1;
            self.col = 1;
        } else {
            self.col += 1;
        }
        Some(c)
    }
    fn skip_ws(&mut self) {
        loop {
            match (self.peek(), self.peek_at(1)) {
                (Some(c), _) if c.is_whitespace() => {
                    self.bump();
                }
                (Some('/'), Some('/')) => {
                    while let Some(c) = self.bump() {
                        if c == '\n' {
                            break;
                        }
                    }
                }
                (Some('/'), Some('*')) => {
                    self.bump();
                    self.bump();
                    let mut nest = 1;
                    while nest > 0 {
                        match (self.bump(), self.peek()) {
                            (None, _) => return,
                            (Some('*'), Some('/')) => {
                                self.bump();
                                nest -= 1;
                            }
                            (Some('/'), Some('*')) => {
                                self.bump();
                                nest += 1;
                            }
                            _ => {}
                        }
                    }
                }
                _ => return,
            }
        }
    }
    fn ident(&mut self) -> String {
        let mut s = String::new();
        while let Some(c) = self.peek() {
            if c.is_alphanumeric() || c == '_' {
                s.push(c);
                self.bump();
            } else {
                break;
            }
        }
        s
    }
    fn string(&mut self) -> String {
        // at '"'
        self.bump();
        let mut s = String::new();
        while let Some(c) = self.bump() {
            match c {
                '\\' => {
                    if let Some(e) = self.bump() {
                        s.push(e);
                    }
                }
                '"' => break,
                c => s.push(c),
            }
        }
        s
    }
    fn raw_string(&mut self) -> String {
        // at 'r'
        self.bump();
        let mut hashes = 0;
        while self.peek() == Some('#') {
            self.bump();
            hashes += 1;
        }
        self.bump(); // '"'
        let mut s = String::new();
        'outer: while let Some(c) = self.bump() {
            if c == '"' {
                let mut n = 0;
                while n < hashes && self.peek() == Some('#') {
                    self.bump();
                    n += 1;
                }
                if n == hashes {
                    break 'outer;
                }
                s.push('"');
                s.extend(std::iter::repeat_n('#', n));
            } else {
                s.push(c);
            }
        }
        s
    }

    /// Scans one value, recording `path` at its start. Returns the string content when the
    /// value is a string (used for map keys).
    fn value(&mut self, path: &FieldPath) -> Option<String> {
        self.skip_ws();
        if self.depth > MAX_DEPTH {
            self.at = self.chars.len();
            return None;
        }
        self.spots
            .entry(path.clone())
            .or_insert((self.line, self.col));
        let c = self.peek()?;
        self.depth += 1;
        let out = match c {
            '"' => Some(self.string()),
            'r' if matches!(self.peek_at(1), Some('"') | Some('#')) => Some(self.raw_string()),
            '\'' => {
                self.bump();
                while let Some(c) = self.bump() {
                    if c == '\\' {
                        self.bump();
                    } else if c == '\'' {
                        break;
                    }
                }
                None
            }
            '[' => {
                self.bump();
                self.seq(path, ']');
                None
            }
            '{' => {
                self.bump();
                self.map(path);
                None
            }
            '(' => {
                self.bump();
                self.paren(path);
                None
            }
            c if c.is_alphabetic() || c == '_' => {
                self.ident();
                self.skip_ws();
                if self.peek() == Some('(') {
                    self.bump();
                    self.paren(path);
                }
                None
            }
            _ => {
                // number or stray punctuation
                let start = self.at;
                while let Some(c) = self.peek() {
                    if c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-' | '_') {
                        self.bump();
                    } else {
                        break;
                    }
                }
                if self.at == start {
                    self.bump();
                }
                None
            }
        };
        self.depth -= 1;
        out
    }

    fn seq(&mut self, path: &FieldPath, close: char) {
        let mut i = 0;
        loop {
            self.skip_ws();
            match self.peek() {
                None => return,
                Some(c) if c == close => {
                    self.bump();
                    return;
                }
                Some(',') => {
                    self.bump();
                }
                Some(_) => {
                    let before = self.at;
                    self.value(&path.index(i));
                    i += 1;
                    if self.at == before {
                        self.bump();
                    }
                }
            }
        }
    }

    fn map(&mut self, path: &FieldPath) {
        loop {
            self.skip_ws();
            match self.peek() {
                None => return,
                Some('}') => {
                    self.bump();
                    return;
                }
                Some(',') => {
                    self.bump();
                }
                Some(_) => {
                    let (line, col) = (self.line, self.col);
                    let before = self.at;
                    let key = self.value(&path.key("\u{0}"));
                    self.spots.remove(&path.key("\u{0}"));
                    self.skip_ws();
                    if self.peek() == Some(':') {
                        self.bump();
                    }
                    match key {
                        Some(k) => {
                            let p = path.key(&k);
                            self.spots.insert(p.clone(), (line, col));
                            self.value(&p);
                        }
                        None => {
                            self.value(&path.key("\u{0}"));
                        }
                    }
                    if self.at == before {
                        self.bump();
                    }
                }
            }
        }
    }

    /// After '(': a struct body `field: value, …` or a tuple; a one-element tuple is
    /// transparent (`Some(x)` has x's path).
    fn paren(&mut self, path: &FieldPath) {
        self.skip_ws();
        // struct body?
        let save = (self.at, self.line, self.col);
        let is_struct = match self.peek() {
            Some(c) if c.is_alphabetic() || c == '_' => {
                self.ident();
                self.skip_ws();
                let colon = self.peek() == Some(':') && self.peek_at(1) != Some(':');
                (self.at, self.line, self.col) = save;
                colon
            }
            _ => false,
        };
        if is_struct {
            loop {
                self.skip_ws();
                match self.peek() {
                    None => return,
                    Some(')') => {
                        self.bump();
                        return;
                    }
                    Some(',') => {
                        self.bump();
                    }
                    Some(c) if c.is_alphabetic() || c == '_' => {
                        let (line, col) = (self.line, self.col);
                        let name = self.ident();
                        let p = path.field(&name);
                        self.spots.insert(p.clone(), (line, col));
                        self.skip_ws();
                        if self.peek() == Some(':') {
                            self.bump();
                        }
                        self.value(&p);
                    }
                    Some(_) => {
                        self.bump();
                    }
                }
            }
        } else {
            // Tuple: count elements; the first element shares the tuple's path.
            let mut i = 0;
            loop {
                self.skip_ws();
                match self.peek() {
                    None => return,
                    Some(')') => {
                        self.bump();
                        return;
                    }
                    Some(',') => {
                        self.bump();
                    }
                    Some(_) => {
                        let before = self.at;
                        let p = if i == 0 { path.clone() } else { path.index(i) };
                        self.value(&p);
                        i += 1;
                        if self.at == before {
                            self.bump();
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_fields_indices_and_map_keys() {
        let src = "Persona(\n  id: \"a\", // c\n  traits: { \"honesty\": 0.5 },\n  excuses: [\n    (id: \"x\"),\n    (id: \"y\", counters: [(tactic: \"rebutt\")]),\n  ],\n)";
        let loc = Locator::new(src);
        let p = FieldPath::root()
            .field("excuses")
            .index(1)
            .field("counters")
            .index(0)
            .field("tactic");
        assert_eq!(loc.find(&p), (6, 27));
        assert_eq!(
            loc.find(&FieldPath::root().field("traits").key("honesty")),
            (3, 13)
        );
        assert_eq!(loc.find(&FieldPath::root().field("id")), (2, 3));
        // A missing field points at the nearest enclosing value.
        let missing = FieldPath::root().field("excuses").index(0).field("text");
        assert_eq!(loc.find(&missing), (5, 5));
        assert_eq!(p.to_string(), "excuses[1].counters[0].tactic");
    }

    #[test]
    fn survives_unbalanced_and_deep_input() {
        let deep = "[".repeat(100_000);
        let loc = Locator::new(&deep);
        assert_eq!(loc.find(&FieldPath::root()), (1, 1));
        let loc = Locator::new("(a: \"unterminated");
        assert_eq!(loc.find(&FieldPath::root().field("a")), (1, 2));
    }
}
