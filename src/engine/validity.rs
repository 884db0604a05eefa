//! Training validity, measured: the course-following model against every course-breaking player
//! and against a search for the best score that breaks one course rule at a time. The tests
//! assert on these figures; `dunning-dojo validity` prints them.

use crate::engine::adversary::{self, Adversary};
use crate::engine::autoplay::{self, THINK_SECONDS};
use crate::engine::bundle::CaseBundle;
use crate::engine::negotiation::Negotiation;
use crate::engine::rubric::score;
use rayon::prelude::*;
use serde::Serialize;
use std::sync::Arc;

/// Mean, best and worst of a player over seeds.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Figures {
    pub mean: f64,
    pub best: f64,
    pub best_grade: String,
    pub worst: f64,
    pub worst_grade: String,
}

impl Figures {
    pub fn of(runs: &[Negotiation]) -> Figures {
        let scores: Vec<_> = runs.iter().map(score).collect();
        let n = scores.len().max(1) as f64;
        let best = scores.iter().max_by(|a, b| a.total.total_cmp(&b.total));
        let worst = scores.iter().min_by(|a, b| a.total.total_cmp(&b.total));
        Figures {
            mean: round1(scores.iter().map(|s| s.total).sum::<f64>() / n),
            best: best.map_or(0.0, |s| s.total),
            best_grade: best.map_or_else(String::new, |s| s.grade.clone()),
            worst: worst.map_or(0.0, |s| s.total),
            worst_grade: worst.map_or_else(String::new, |s| s.grade.clone()),
        }
    }
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// One course-breaking player on one case, over the meetings in which it broke the course (in
/// the others it played as the model would, which says nothing about the lesson).
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct PlayerRow {
    pub player: String,
    pub breaks: String,
    /// How many of the seeds' meetings broke the course.
    pub broke: usize,
    pub figures: Figures,
}

/// Every figure for one case.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct CaseValidity {
    pub case: String,
    pub seeds: u64,
    pub model: Figures,
    pub players: Vec<PlayerRow>,
}

/// Runs `play` on seeds `0..seeds`.
pub fn runs(
    bundle: &Arc<CaseBundle>,
    seeds: u64,
    play: impl Fn(&Arc<CaseBundle>, u64) -> Negotiation + Sync,
) -> Vec<Negotiation> {
    (0..seeds).into_par_iter().map(|s| play(bundle, s)).collect()
}

/// The model and every course-breaking player that applies to this case, on `seeds` seeds.
pub fn measure(bundle: &Arc<CaseBundle>, seeds: u64) -> CaseValidity {
    let model = Figures::of(&runs(bundle, seeds, autoplay::model));
    let players = adversary::all()
        .into_iter()
        .filter(|a| a.applies(bundle))
        .map(|a: Adversary| {
            let broke: Vec<Negotiation> = runs(bundle, seeds, |b, s| a.play(b, s))
                .into_iter()
                .filter(|n| a.broke(n))
                .collect();
            PlayerRow {
                player: a.id.to_owned(),
                breaks: a.breaks.to_owned(),
                broke: broke.len(),
                figures: Figures::of(&broke),
            }
        })
        .collect();
    CaseValidity {
        case: bundle.case.id.clone(),
        seeds,
        model,
        players,
    }
}

/// The model's lines as played (for showing a path).
pub fn lines_of(n: &Negotiation) -> Vec<String> {
    n.turns
        .iter()
        .map(|t| n.bundle.choices[t.choice].id.clone())
        .collect()
}

/// Plays `lines` (ids) from the start with `preps`; stops at the first line that cannot be said.
pub fn replay(bundle: &Arc<CaseBundle>, seed: u64, preps: &[String], lines: &[String]) -> Negotiation {
    let mut n = Negotiation::new(Arc::clone(bundle), seed, preps)
        .or_else(|_| Negotiation::new(Arc::clone(bundle), seed, &[]))
        .expect("no preparations is always valid");
    for id in lines {
        if n.respond_id(id, THINK_SECONDS).is_err() {
            break;
        }
    }
    n
}
