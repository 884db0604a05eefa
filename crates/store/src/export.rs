//! What the local leaderboard and the class server share: ranks with ties, and results as CSV
//! with the same columns from both.

use crate::sqlite::iso_utc;
use sim::result::Summary;
use sim::script::Script;

/// Ranks scores given best first: equal scores share a rank, the next rank skips (1, 1, 3).
#[derive(Default)]
pub struct Ranker {
    seen: usize,
    last: Option<(f64, usize)>,
}

impl Ranker {
    pub fn rank(&mut self, score: f64) -> usize {
        self.seen += 1;
        let rank = match self.last {
            Some((s, r)) if s == score => r,
            _ => self.seen,
        };
        self.last = Some((score, rank));
        rank
    }
}

/// One result, for CSV.
pub struct CsvRow<'a> {
    pub case: &'a str,
    pub rank: usize,
    pub trainee: &'a str,
    /// Stable through renames (see `class::Trainee`).
    pub trainee_id: &'a str,
    pub seed: u64,
    pub inputs: &'a Script,
    pub summary: &'a Summary,
    /// Unix seconds it was played or submitted.
    pub at: i64,
}

/// UTF-8 with a byte-order mark, so spreadsheet programs read Chinese names correctly. One row
/// per result; after the fixed columns, one `item:ID` column per rubric item (the points it
/// gave), in the order the items first appear, empty where a row's case has no such item.
pub fn csv<'a>(rows: impl IntoIterator<Item = CsvRow<'a>>) -> String {
    let rows: Vec<CsvRow> = rows.into_iter().collect();
    let mut items: Vec<&str> = Vec::new();
    for i in rows.iter().flat_map(|r| &r.summary.items) {
        if !items.contains(&i.id.as_str()) {
            items.push(&i.id);
        }
    }
    let mut s = String::from(
        "\u{feff}case,rank,trainee,trainee_id,score,grade,outcome,paid,turns,thinking_seconds,seed,time_utc,preparations,choices,tactics",
    );
    for id in &items {
        s.push_str(&format!(",{}", field(&format!("item:{id}"))));
    }
    s.push('\n');
    for r in &rows {
        let mut fields = fixed_fields(r);
        fields.extend(items.iter().map(|id| {
            r.summary
                .items
                .iter()
                .find(|i| i.id == *id)
                .map(|i| format!("{:.1}", i.points))
                .unwrap_or_default()
        }));
        s.push_str(&fields.join(","));
        s.push('\n');
    }
    s
}

/// The columns every row has, before the rubric items.
fn fixed_fields(r: &CsvRow) -> Vec<String> {
    let m = r.summary;
    let lines: Vec<&str> = r.inputs.choices.iter().map(|(l, _)| l.as_str()).collect();
    vec![
        field(r.case),
        r.rank.to_string(),
        field(r.trainee),
        field(r.trainee_id),
        format!("{:.1}", m.score),
        field(&m.grade),
        field(&m.outcome),
        m.paid.to_string(),
        m.turns.to_string(),
        format!("{:.1}", m.thinking_seconds),
        r.seed.to_string(),
        iso_utc(r.at),
        field(&r.inputs.preparations.join(" ")),
        field(&lines.join(" ")),
        field(&m.tactics.join(" ")),
    ]
}

/// One CSV field, quoted when it needs to be; a leading `=`, `+`, `-` or `@` is prefixed with
/// `'` so a spreadsheet never runs a trainee name as a formula.
pub fn field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_defused() {
        assert_eq!(field("王伟"), "王伟");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("=HYPERLINK(1)"), "'=HYPERLINK(1)");
    }

    #[test]
    fn equal_scores_share_a_rank() {
        let mut r = Ranker::default();
        let ranks: Vec<usize> = [90.0, 80.0, 80.0, 70.0]
            .iter()
            .map(|&s| r.rank(s))
            .collect();
        assert_eq!(ranks, [1, 2, 2, 4]);
    }
}
