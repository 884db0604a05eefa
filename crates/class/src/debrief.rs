//! The class debrief, for the trainer: each trainee's best attempt replayed, then per rubric
//! item how many earned it, the course rules broken most (with the turn they usually break
//! on), each trainee's costliest turn with the better line (the engine's coaching), and how
//! each tactic went with the score.
//!
//! The costliest turn is the expensive part (the coaching replays alternatives on four
//! seeds), so it is kept per result: a result never changes once stored.

use analysis::coach::{self, CoachView};
use serde::{Deserialize, Serialize};
use sim::CaseBundle;
use sim::meeting::Meeting;
use sim::rubric;
use sim::text::{Lang, Text};
use std::collections::HashMap;
use std::sync::Arc;
use store::class::StoredResult;

/// `GET /api/sessions/{code}/debrief` (admin token).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassDebrief {
    pub code: String,
    pub title: Text,
    /// Trainees with a result (each counted once, by their best attempt), and all attempts.
    pub trainees: u64,
    pub attempts: u64,
    /// The best attempts' mean score.
    pub mean: Option<f64>,
    pub items: Vec<ItemRow>,
    pub rules: Vec<RuleRow>,
    /// Costliest first.
    pub costliest: Vec<CostliestTurn>,
    pub tactics: Vec<crate::protocol::TacticRow>,
}

/// How the class did on one rubric item.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ItemRow {
    pub id: String,
    pub name: Text,
    /// Best attempts that earned the item (met its pass share).
    pub passed: u64,
    /// Best attempts where the situation it judges came up.
    pub arose: u64,
    pub mean_points: f64,
    pub max: f64,
}

/// A course rule the class broke.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RuleRow {
    pub id: String,
    pub section: String,
    pub name: Text,
    /// Trainees who broke it at least once, and how many breaks in all.
    pub trainees: u64,
    pub times: u64,
    /// The turn it is most often broken on (the median).
    pub usual_turn: u32,
}

/// A trainee's costliest turn, with the better line.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CostliestTurn {
    pub trainee: String,
    pub score: f64,
    pub turn: u32,
    /// Points the turn cost against the better line.
    pub lost: f64,
    pub said: Text,
    pub better: Text,
    /// What the better line, followed the course's way, scores.
    pub better_score: f64,
    pub principle: Text,
}

/// Each result's costliest turn (`None`: no turn cost a point), kept by result id.
pub type Coached = HashMap<i64, Option<CostliestTurn>>;

/// Each trainee's best attempt (the board's choice: highest score, then earliest), best first.
pub fn best_attempts(results: &[StoredResult]) -> Vec<&StoredResult> {
    let mut best: Vec<&StoredResult> = Vec::new();
    // The store gives results best first, so a trainee's first one is their best.
    for r in results {
        if !best.iter().any(|b| b.trainee == r.trainee) {
            best.push(r);
        }
    }
    best
}

/// The debrief of these results; `coached` holds the costliest turns worked out before and is
/// filled with the ones this needed.
pub fn class_debrief(
    code: &str,
    bundle: &Arc<CaseBundle>,
    seed: u64,
    results: &[StoredResult],
    tactics: Vec<crate::protocol::TacticRow>,
    coached: &mut Coached,
) -> ClassDebrief {
    let best = best_attempts(results);
    let meetings: Vec<(&StoredResult, Meeting)> = best
        .iter()
        .filter_map(|r| Some((*r, r.inputs.replay(Arc::clone(bundle), seed).ok()?)))
        .collect();
    let mut costliest: Vec<CostliestTurn> = meetings
        .iter()
        .filter_map(|(r, n)| {
            coached
                .entry(r.id)
                .or_insert_with(|| costliest_turn(r, n))
                .clone()
        })
        .collect();
    costliest.sort_by(|a, b| b.lost.total_cmp(&a.lost));
    let scores: Vec<f64> = best.iter().map(|r| r.summary.score).collect();
    ClassDebrief {
        code: code.to_owned(),
        title: bundle.case.title.clone(),
        trainees: best.len() as u64,
        attempts: results.len() as u64,
        mean: (!scores.is_empty())
            .then(|| sim::result::round1(scores.iter().sum::<f64>() / scores.len() as f64)),
        items: item_rows(bundle, &meetings),
        rules: rule_rows(bundle, &meetings),
        costliest,
        tactics,
    }
}

/// Per rubric item: how many best attempts earned it, and its mean points.
fn item_rows(bundle: &CaseBundle, meetings: &[(&StoredResult, Meeting)]) -> Vec<ItemRow> {
    let scores: Vec<rubric::Score> = meetings.iter().map(|(_, n)| rubric::score(n)).collect();
    bundle
        .rubric
        .items
        .iter()
        .enumerate()
        .map(|(k, item)| {
            let of_item = || scores.iter().filter_map(|s| s.items.get(k));
            let n = of_item().count().max(1) as f64;
            ItemRow {
                id: item.id.clone(),
                name: item.name.clone(),
                passed: of_item().filter(|i| i.arose && !i.missed).count() as u64,
                arose: of_item().filter(|i| i.arose).count() as u64,
                mean_points: sim::result::round1(of_item().map(|i| i.points).sum::<f64>() / n),
                max: of_item().next().map_or(0.0, |i| i.max),
            }
        })
        .collect()
}

/// The course rules broken in the best attempts, the most-broken first.
fn rule_rows(bundle: &CaseBundle, meetings: &[(&StoredResult, Meeting)]) -> Vec<RuleRow> {
    let mut rows: Vec<RuleRow> = bundle
        .rubric
        .rules
        .iter()
        .enumerate()
        .filter_map(|(k, rule)| {
            let mut turns: Vec<u32> = Vec::new();
            let mut trainees = 0;
            for (_, n) in meetings {
                let on: Vec<u32> = n
                    .conduct
                    .broken
                    .iter()
                    .filter(|(_, r)| *r == k)
                    .map(|(t, _)| *t)
                    .collect();
                trainees += u64::from(!on.is_empty());
                turns.extend(on);
            }
            if turns.is_empty() {
                return None;
            }
            turns.sort_unstable();
            Some(RuleRow {
                id: rule.id.clone(),
                section: rule.section.clone(),
                name: rule.name.clone(),
                trainees,
                times: turns.len() as u64,
                usual_turn: turns[turns.len() / 2],
            })
        })
        .collect();
    rows.sort_by_key(|r| std::cmp::Reverse((r.trainees, r.times)));
    rows
}

/// The engine's coaching of one attempt: its costliest turn with the better line.
fn costliest_turn(r: &StoredResult, n: &Meeting) -> Option<CostliestTurn> {
    let c = coach::coach(n)?;
    let (zh, en) = (
        CoachView::of(n, &c, Lang::Zh),
        CoachView::of(n, &c, Lang::En),
    );
    Some(CostliestTurn {
        trainee: r.trainee.clone(),
        score: r.summary.score,
        turn: c.turn,
        lost: en.lost,
        said: Text::new(zh.said_text, en.said_text),
        better: Text::new(zh.better_text, en.better_text),
        better_score: en.better_score,
        principle: Text::new(zh.principle, en.principle),
    })
}
