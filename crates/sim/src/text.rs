//! Bilingual text: every trainee-facing string exists in zh-CN and en, plus `{var}` templates.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The two languages the simulator speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Zh,
    En,
}

/// Picks the string for the language (a fixed text written in both).
pub fn t(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

impl Lang {
    /// Parses `zh`, `zh-CN`, `en`, `en-US`… (case-insensitive).
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.to_ascii_lowercase();
        if s.starts_with("zh") {
            Some(Lang::Zh)
        } else if s.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }
}

/// A string in both languages. RON: `(zh: "…", en: "…")`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub zh: String,
    pub en: String,
}

impl Text {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Text {
        Text {
            zh: zh.into(),
            en: en.into(),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }

    /// The `{name}` placeholders used in either language.
    pub fn placeholders(&self) -> Vec<String> {
        let mut out = placeholders(&self.zh);
        for p in placeholders(&self.en) {
            if !out.contains(&p) {
                out.push(p);
            }
        }
        out
    }
}

impl Text {
    /// Placeholders one language uses and the other does not (they render differently).
    pub fn mismatched_placeholders(&self) -> Vec<String> {
        let (zh, en) = (placeholders(&self.zh), placeholders(&self.en));
        let mut out: Vec<String> = zh.iter().filter(|p| !en.contains(p)).cloned().collect();
        out.extend(en.iter().filter(|p| !zh.contains(p)).cloned());
        out
    }
}

fn placeholders(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                if !name.is_empty()
                    && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    && !out.iter().any(|p| p == name)
                {
                    out.push(name.to_owned());
                }
                rest = &after[close + 1..];
            }
            None => break,
        }
    }
    out
}

/// Replaces each `{name}` with its value in `vars`; unknown names are left as written
/// (validation reports them before a case is ever played).
/// Case values the debtor's words use for the people and facts of the case, with the words
/// used when a case gives none (a case written before they existed keeps validating). A case
/// sets them in `vars` so that the debtor never contradicts its file: who makes the transfer,
/// who approves payments, and what a missed payment holds back in this trade.
pub const DEFAULT_VARS: [(&str, &str, &str); 3] = [
    ("payer", "财务", "finance"),
    ("approver", "负责审批的人", "whoever approves payments"),
    ("held_back", "下一批货", "the next delivery"),
];

pub fn fill(template: &str, vars: &BTreeMap<String, Text>, lang: Lang) -> String {
    if !template.contains('{') {
        return template.to_owned();
    }
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match vars.get(name) {
                    Some(v) => out.push_str(v.get(lang)),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Formats a yuan amount with thousands separators: `¥86,000`.
pub fn yuan(amount: u64) -> String {
    let digits = amount.to_string();
    let mut out = String::from("¥");
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_known_and_keeps_unknown_placeholders() {
        let mut vars = BTreeMap::new();
        vars.insert("contact".to_owned(), Text::new("王总", "Mr Wang"));
        assert_eq!(
            fill("{contact}，您好 {x}", &vars, Lang::Zh),
            "王总，您好 {x}"
        );
        assert_eq!(fill("Hello {contact}", &vars, Lang::En), "Hello Mr Wang");
        assert_eq!(fill("broken {contact", &vars, Lang::En), "broken {contact");
    }

    #[test]
    fn formats_yuan_with_separators() {
        assert_eq!(yuan(0), "¥0");
        assert_eq!(yuan(999), "¥999");
        assert_eq!(yuan(86_000), "¥86,000");
        assert_eq!(yuan(1_250_000), "¥1,250,000");
    }

    #[test]
    fn lists_placeholders_of_both_languages() {
        let t = Text::new("{a}与{b}", "{b} and {c} {not valid}");
        assert_eq!(t.placeholders(), vec!["a", "b", "c"]);
    }
}
