//! Diagnostics for trainers: file, line:column, field path, message (in Chinese and English),
//! and a "did you mean"; and [`CODES`], every kind of diagnostic with what it means.

use serde::Serialize;
use sim::text::Text;
use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diagnostic {
    pub file: PathBuf,
    pub line: usize,
    pub column: usize,
    /// The field path, e.g. `excuses[2].counters[0].tactic`; empty for whole-file problems.
    pub path: String,
    pub severity: Severity,
    /// A stable name for the kind of problem, e.g. `unknown-id`, `uncounterable-excuse`.
    pub code: &'static str,
    pub message: String,
    /// The message in Chinese, shown when the trainer's language is Chinese. Every diagnostic
    /// the authoring crate makes has one ([`Diagnostic::new`] takes both languages).
    /// (Boxed, so a diagnostic stays small enough to return by value.)
    #[serde(skip_serializing_if = "Option::is_none")]
    pub zh: Option<Box<String>>,
}

/// A message in both languages: `msg(zh, en)`. What every diagnostic of this crate is made
/// from, so that a message without its Chinese does not compile.
pub fn msg(zh: impl Into<String>, en: impl Into<String>) -> Text {
    Text::new(zh, en)
}

impl Diagnostic {
    /// An error at `file` line:column, with its message in both languages.
    pub fn new(file: &Path, at: (usize, usize), path: String, message: Text) -> Self {
        Diagnostic::error(file, at, path, message.en).with_zh(message.zh)
    }

    /// An error with an English message only (see [`Diagnostic::new`] for both languages).
    pub fn error(
        file: &Path,
        (line, column): (usize, usize),
        path: String,
        message: String,
    ) -> Self {
        Diagnostic {
            file: file.to_owned(),
            line,
            column,
            path,
            severity: Severity::Error,
            code: "invalid",
            message,
            zh: None,
        }
    }

    /// The same diagnostic with a Chinese message.
    pub fn with_zh(mut self, zh: String) -> Self {
        self.zh = Some(Box::new(zh));
        self
    }

    /// The message in `lang` (English where no Chinese one is written).
    pub fn message_in(&self, lang: sim::text::Lang) -> &str {
        match (lang, &self.zh) {
            (sim::text::Lang::Zh, Some(zh)) => zh,
            _ => &self.message,
        }
    }

    /// The one-line form in `lang`: `file:line:col: error in `path`: message`.
    pub fn line_in(&self, lang: sim::text::Lang) -> String {
        if lang == sim::text::Lang::En {
            let mut d = self.clone();
            d.message = self.message_in(lang).to_owned();
            return d.to_string();
        }
        let sev = match self.severity {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        };
        let at = if self.path.is_empty() {
            String::new()
        } else {
            format!("（`{}`）", self.path)
        };
        format!(
            "{}:{}:{}: {sev}{at}：{}",
            self.file.display(),
            self.line,
            self.column,
            self.message_in(lang)
        )
    }

    /// The same diagnostic with another code (one of [`CODES`]).
    pub fn with_code(mut self, code: &'static str) -> Self {
        debug_assert!(
            code_info(code).is_some(),
            "diagnostic code `{code}` is not listed in CODES"
        );
        self.code = code;
        self
    }

    /// The same diagnostic as a warning.
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{}:{}:{}: {sev}",
            self.file.display(),
            self.line,
            self.column
        )?;
        if !self.path.is_empty() {
            write!(f, " in `{}`", self.path)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Formats a list of diagnostics one per line.
pub fn report(diags: &[Diagnostic]) -> String {
    diags.iter().map(|d| format!("{d}\n")).collect()
}

/// Formats a list of diagnostics one per line, each in `lang` where it has that language.
pub fn report_in(diags: &[Diagnostic], lang: sim::text::Lang) -> String {
    diags
        .iter()
        .map(|d| format!("{}\n", d.line_in(lang)))
        .collect()
}

pub use sim::did_you_mean;

/// The known id closest to `unknown`, when one is close enough to suggest (the same choice as
/// [`did_you_mean`]).
pub fn closest<'a>(unknown: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    known
        .into_iter()
        .map(|k| (strsim::jaro_winkler(unknown, k), k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

/// The "did you mean" suffix in both languages: `（是不是想写 "x"？）` and ` (did you mean "x"?)`,
/// or empty in both when no known id is close.
pub fn did_you_mean_in<'a>(unknown: &str, known: impl IntoIterator<Item = &'a str>) -> Text {
    match closest(unknown, known) {
        Some(k) => msg(
            format!("（是不是想写 \"{k}\"？）"),
            format!(" (did you mean \"{k}\"?)"),
        ),
        None => Text::default(),
    }
}

/// One kind of diagnostic: its stable code, how serious it is, and what it means in both
/// languages (one line each, for docs and `--json` readers).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct CodeInfo {
    pub code: &'static str,
    pub severity: Severity,
    pub zh: &'static str,
    pub en: &'static str,
}

const fn entry(
    code: &'static str,
    severity: Severity,
    zh: &'static str,
    en: &'static str,
) -> CodeInfo {
    CodeInfo {
        code,
        severity,
        zh,
        en,
    }
}

use Severity::{Error as E, Warning as W};

/// Every diagnostic code `validate` reports, with its severity and meaning.
pub const CODES: &[CodeInfo] = &[
    // Files that cannot be read or parsed.
    entry(
        "invalid",
        E,
        "文件或字段的值不合要求（读不了的文件、超出允许的数值、前后矛盾的设置等）",
        "a file or value is not acceptable (unreadable file, a value outside what is allowed, settings that contradict each other)",
    ),
    entry(
        "syntax",
        E,
        "RON 语法错误：文件读到这里就读不下去了",
        "RON syntax error: the file cannot be read past this point",
    ),
    entry(
        "full-width-punctuation",
        E,
        "文件结构里用了全角标点（中文输入法的，：（）），要改成半角",
        "full-width punctuation (，：（）from a Chinese input method) where RON needs ASCII",
    ),
    entry(
        "curly-quote",
        E,
        "文字用了弯引号“…”括起来，要用直引号 \"…\"",
        "a text is enclosed in curly quotes “…” instead of straight quotes \"…\"",
    ),
    entry(
        "thousands-separator",
        E,
        "数字里写了千位分隔符（236,000），要写成 236000",
        "a number written with a thousands separator (236,000 instead of 236000)",
    ),
    entry(
        "missing-some",
        E,
        "可选字段有值时要写成 Some(…)",
        "an optional field's value is not wrapped in Some(…)",
    ),
    entry(
        "unbalanced-bracket",
        E,
        "括号没有配对：少了或多了一个括号",
        "brackets do not balance: one is missing or one too many",
    ),
    entry(
        "missing-translation",
        E,
        "一段文字只写了一种语言（缺 zh 或 en）",
        "a text has only one of its languages (zh or en is missing)",
    ),
    // Cross-checks of parsed files.
    entry(
        "unknown-id",
        E,
        "引用的 id 不存在（拼错了，或所在的文件没有一起检查）",
        "an id that names nothing (misspelt, or its file was not checked together)",
    ),
    entry(
        "name-for-id",
        E,
        "写的是界面上显示的名称，而文件里要写 id",
        "the name the screens show was written where files need the id",
    ),
    entry(
        "duplicate-id",
        E,
        "同一个 id 定义了两次",
        "the same id is defined twice",
    ),
    entry(
        "out-of-range",
        E,
        "数值超出允许的范围",
        "a number outside its allowed range",
    ),
    entry(
        "missing-text",
        E,
        "文字是空的，或缺少必需的内容",
        "a text is empty or required wording is missing",
    ),
    // Warnings: the files load, but something will not work as meant.
    entry(
        "placeholder-mismatch",
        W,
        "两种语言用的 {占位符} 不一样，或变量有一种语言是空的",
        "the two languages use different {placeholders}, or a variable is empty in one language",
    ),
    entry(
        "placeholder-unfilled",
        W,
        "回答用了案例没有给值的 {占位符}，这句回答在该案例里不会说出",
        "an answer uses a {placeholder} the case gives no value for, so it is never said there",
    ),
    entry(
        "sensible-range",
        W,
        "数值允许，但不太合理（如几乎没有回合、每轮都找借口）",
        "a number is allowed but hardly sensible (almost no turns, an excuse every turn, …)",
    ),
    entry(
        "retired-field",
        W,
        "这个字段已不再使用，请删除",
        "a field that is no longer used; remove it",
    ),
    entry(
        "unreachable-line",
        W,
        "这句话术永远不会出现在选项里",
        "a line that is never offered",
    ),
    entry(
        "uncounterable-excuse",
        W,
        "这个借口没有任何回应可以化解",
        "an excuse that nothing can defuse",
    ),
    entry(
        "rubric-item-never-fires",
        W,
        "这个评分项永远不起作用（0 分或及格线为 0）",
        "a rubric item that never counts (0 points or pass 0)",
    ),
    entry(
        "rule-never-fires",
        W,
        "战术的规则条件互相矛盾，永远不会生效",
        "a tactic rule whose conditions cannot hold together",
    ),
    entry(
        "gate-never-opens",
        W,
        "欠款人的关卡在这个案例里永远打不开，谁都赢不了",
        "a persona's gate this case can never open: nobody can win it",
    ),
    entry(
        "item-never-passes",
        W,
        "这个评分项在这个案例里永远达不到及格线",
        "a rubric item that can never pass in this case",
    ),
    entry(
        "excuse-unanswerable-unprepared",
        W,
        "没做某项会前准备的学员无法回应这个借口",
        "an excuse a trainee who did not prepare cannot answer at all",
    ),
    entry(
        "excuse-never-raised",
        W,
        "这个借口永远不会被提出",
        "an excuse that can never be raised",
    ),
    entry(
        "excuse-never-defused",
        W,
        "按课程示范去谈，这个借口在会谈结束前也化解不了",
        "an excuse the course-following play never defuses before the meeting ends",
    ),
    entry(
        "counter-needs-unoffered-prep",
        W,
        "回应需要一项这个案例不提供的会前准备",
        "a counter needs a preparation this case does not offer",
    ),
    entry(
        "answer-never-said",
        W,
        "这句回答永远不会说出（条件互相矛盾，或语气是 Greeting）",
        "an answer that is never said (conditions contradict, or tone Greeting)",
    ),
    entry(
        "reply-names-a-person",
        W,
        "共用的文字点名了某个人，而不是用案例变量",
        "a shared text names a person instead of using a case variable",
    ),
    // Made by the `validate` command itself (src/cli/translations.rs).
    entry(
        "translation-needs-update",
        W,
        "中文在英文翻译之后改过了，英文需要重新翻译",
        "the Chinese changed after the English was translated; the English needs updating",
    ),
    // Made by the `validate` command itself (src/cli/commands/validate.rs): its verdict.
    entry(
        "case-does-not-teach",
        W,
        "案例没过课程的检验线：示范打法得分不够、违反课程的玩家离示范太近，或者准备不值什么",
        "the case fails a bar of the course: the model scores too low, course-breaking players come too close, or preparation is worth too little",
    ),
    entry(
        "older-format",
        W,
        "文件按旧版格式写成：程序为缺的部分做了假设，写上它们才能教好这一课",
        "the file is written in an older format: the program assumes what is missing; write it to teach its lesson",
    ),
];

/// What `code` means, if it is one of [`CODES`].
pub fn code_info(code: &str) -> Option<&'static CodeInfo> {
    CODES.iter().find(|c| c.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_ids_only() {
        assert_eq!(
            did_you_mean("praize", ["praise", "pressure"]),
            " (did you mean \"praise\"?)"
        );
        assert_eq!(did_you_mean("zzz", ["praise", "pressure"]), "");
    }
}
