//! What a leaderboard keeps of a finished meeting: the score the engine computed, its
//! breakdown, the outcome and the tactics used. Both the local leaderboard and the class server
//! store this, always computed here from the inputs, never taken from a client.

use crate::meeting::Meeting;
use crate::rubric;
use serde::{Deserialize, Serialize};

/// One rubric item's points.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ItemPoints {
    pub id: String,
    pub points: f64,
    pub max: f64,
}

/// The engine's verdict on a meeting.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// 0–100, rounded to one decimal.
    pub score: f64,
    pub grade: String,
    /// `paid_in_full`, `partial`, `commitment`, `no_deal`, `walk_out`, `escalated`, or
    /// `unfinished` for a meeting that has not ended.
    pub outcome: String,
    /// Money received in the meeting.
    pub paid: u64,
    pub turns: u32,
    /// Seconds the trainee spent choosing, summed over the turns.
    pub thinking_seconds: f64,
    pub items: Vec<ItemPoints>,
    /// The tactic family of each line said, in order.
    pub tactics: Vec<String>,
}

impl Summary {
    pub fn of(n: &Meeting) -> Summary {
        let score = rubric::score(n);
        Summary {
            score: round1(score.total),
            grade: score.grade,
            outcome: n.outcome.map_or("unfinished", |o| o.kind()).to_owned(),
            paid: n.outcome.map_or(0, |o| o.paid()),
            turns: n.turns.len() as u32,
            thinking_seconds: round1(n.turns.iter().map(|t| t.elapsed).sum()),
            items: score
                .items
                .iter()
                .map(|i| ItemPoints {
                    id: i.id.clone(),
                    points: round1(i.points),
                    max: i.max,
                })
                .collect(),
            tactics: n
                .turns
                .iter()
                .map(|t| {
                    let tactic = n.bundle.choices[t.choice].tactic;
                    n.bundle.tactics[tactic].id.clone()
                })
                .collect(),
        }
    }
}

/// To one decimal, as scores are shown.
pub fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}
