//! What the local leaderboard and the class server share: ranks with ties, and results as CSV
//! with the same columns from both.

use crate::sqlite::format_utc;
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
    pub seed: u64,
    pub inputs: &'a Script,
    pub summary: &'a Summary,
    /// Unix seconds it was played or submitted.
    pub at: i64,
}

/// UTF-8 with a byte-order mark, so spreadsheet programs read Chinese names correctly.
pub fn csv<'a>(rows: impl IntoIterator<Item = CsvRow<'a>>) -> String {
    let mut s = String::from(
        "\u{feff}case,rank,trainee,score,grade,outcome,paid,turns,thinking_seconds,seed,time_utc,preparations,choices,tactics,items\n",
    );
    for r in rows {
        let m = r.summary;
        let lines: Vec<&str> = r.inputs.choices.iter().map(|(l, _)| l.as_str()).collect();
        let items: Vec<String> = m
            .items
            .iter()
            .map(|i| format!("{}={:.1}", i.id, i.points))
            .collect();
        let fields = [
            field(r.case),
            r.rank.to_string(),
            field(r.trainee),
            format!("{:.1}", m.score),
            field(&m.grade),
            field(&m.outcome),
            m.paid.to_string(),
            m.turns.to_string(),
            format!("{:.1}", m.thinking_seconds),
            r.seed.to_string(),
            format_utc(r.at),
            field(&r.inputs.preparations.join(" ")),
            field(&lines.join(" ")),
            field(&m.tactics.join(" ")),
            field(&items.join(" ")),
        ];
        s.push_str(&fields.join(","));
        s.push('\n');
    }
    s
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
