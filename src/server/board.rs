//! The class leaderboard from the stored results: each trainee's best attempt, ranked, and how
//! the class used each tactic family.

use crate::engine::CaseBundle;
use crate::server::protocol::{Board, BoardRow, TacticRow};
use crate::store::class::{SessionInfo, StoredResult};
use crate::store::export::Ranker;
use std::collections::HashMap;

/// `results` must be best first (as [`crate::store::ClassStore::results`] returns them).
pub fn board(
    session: &SessionInfo,
    bundle: &CaseBundle,
    results: &[StoredResult],
    now: i64,
) -> Board {
    let mut rows: Vec<BoardRow> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut ranker = Ranker::default();
    for r in results {
        match index.get(r.trainee.as_str()) {
            Some(&i) => rows[i].attempts += 1,
            None => {
                index.insert(&r.trainee, rows.len());
                rows.push(BoardRow {
                    rank: ranker.rank(r.summary.score) as u64,
                    trainee: r.trainee.clone(),
                    score: r.summary.score,
                    grade: r.summary.grade.clone(),
                    outcome: r.summary.outcome.clone(),
                    attempts: 1,
                });
            }
        }
    }
    let total: f64 = results.iter().map(|r| r.summary.score).sum();
    let tactics = bundle
        .tactics
        .iter()
        .filter_map(|t| {
            let mut attempts = 0u64;
            let mut uses = 0u64;
            let mut sum_with = 0.0;
            for r in results {
                let n = r.summary.tactics.iter().filter(|id| **id == t.id).count() as u64;
                if n > 0 {
                    attempts += 1;
                    uses += n;
                    sum_with += r.summary.score;
                }
            }
            let without = results.len() as u64 - attempts;
            let mean = |sum: f64, n: u64| (n > 0).then(|| (sum / n as f64 * 10.0).round() / 10.0);
            (attempts > 0).then(|| TacticRow {
                tactic: t.id.clone(),
                name: t.name.clone(),
                attempts,
                uses,
                mean_with: mean(sum_with, attempts),
                mean_without: mean(total - sum_with, without),
            })
        })
        .collect::<Vec<_>>();
    let mut tactics = tactics;
    tactics.sort_by(|a, b| b.attempts.cmp(&a.attempts).then(b.uses.cmp(&a.uses)));
    Board {
        code: session.code.clone(),
        case: session.case_id.clone(),
        title: bundle.case.title.clone(),
        open: session.open_at(now),
        attempts: results.len() as u64,
        rows,
        tactics,
    }
}
