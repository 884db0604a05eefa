//! Diagnostics for people: the one-line form (file:line:column, field path, message) followed
//! by the offending source line with a caret, drawn by ariadne.

use ariadne::{Color, Config, Label, Report, ReportKind, Source};
use authoring::diagnostic::{Diagnostic, Severity};

/// The character offset of a 1-based line and column.
fn offset(text: &str, line: usize, column: usize) -> usize {
    let mut chars = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            return chars + (column.saturating_sub(1)).min(l.chars().count());
        }
        chars += l.chars().count();
    }
    chars
}

/// The one-line form, then the source snippet with a caret when the file can be read.
pub fn render(d: &Diagnostic, lang: sim::text::Lang, color: bool) -> String {
    let mut out = format!("{}\n", d.line_in(lang));
    let Ok(text) = std::fs::read_to_string(&d.file) else {
        return out;
    };
    // Columns are counted after a byte-order mark, as the loader drops it.
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    if d.line == 0 {
        return out;
    }
    let at = offset(text, d.line, d.column);
    let len = text.chars().count();
    let end = (at + 1).min(len.max(at));
    let id = d.file.display().to_string();
    let kind = match (d.severity, lang) {
        (Severity::Error, sim::text::Lang::En) => ReportKind::Error,
        (Severity::Warning, sim::text::Lang::En) => ReportKind::Warning,
        (Severity::Error, sim::text::Lang::Zh) => ReportKind::Custom("错误", Color::Red),
        (Severity::Warning, sim::text::Lang::Zh) => ReportKind::Custom("警告", Color::Yellow),
    };
    let label = if d.path.is_empty() {
        match lang {
            sim::text::Lang::Zh => "这里".to_owned(),
            sim::text::Lang::En => "here".to_owned(),
        }
    } else {
        format!("`{}`", d.path)
    };
    let mut buf = Vec::new();
    let written = Report::build(kind, (id.clone(), at..end))
        .with_code(d.code)
        .with_message(d.message_in(lang))
        .with_label(Label::new((id.clone(), at..end)).with_message(label))
        .with_config(Config::default().with_color(color))
        .finish()
        .write((id, Source::from(text)), &mut buf);
    if written.is_ok() {
        out.push_str(&String::from_utf8_lossy(&buf));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::offset;

    #[test]
    fn offsets_count_characters_not_bytes() {
        let t = "ab\n中文x\n";
        assert_eq!(offset(t, 1, 1), 0);
        assert_eq!(offset(t, 2, 3), 5);
        assert_eq!(offset(t, 9, 1), 7);
    }
}
