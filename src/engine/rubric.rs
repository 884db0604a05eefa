//! Scores a meeting against the rubric in `scenarios/rubric.ron`: each item measures a share in
//! [0, 1] of its points; the total is 0–100 with a grade and one debrief note per item.

use crate::engine::negotiation::{Negotiation, Outcome};
use crate::engine::scenario::{Group, Measure};
use crate::engine::text::Text;
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ItemScore {
    pub id: String,
    pub group: Group,
    pub name: Text,
    pub points: f64,
    pub max: f64,
    /// True when the item fell short of its pass share.
    pub missed: bool,
    /// The debrief note: what happened, and the course principle behind it.
    pub note: Text,
    pub principle: Text,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Score {
    pub total: f64,
    pub grade: String,
    pub grade_label: Text,
    pub items: Vec<ItemScore>,
}

/// The share of an item's points the meeting earned.
pub fn measure(n: &Negotiation, m: Measure) -> f64 {
    let amount = n.bundle.case.amount as f64;
    let c = &n.conduct;
    let s = &n.state;
    let outcome = n.outcome;
    let share = match m {
        Measure::RecoveredNow => outcome.map_or(0.0, |o| o.paid() as f64 / amount),
        Measure::CommitmentCredibility => match outcome {
            Some(Outcome::PaidInFull { .. }) => 1.0,
            Some(o) => o.promise().map_or(0.0, |p| p.credibility),
            None => 0.0,
        },
        Measure::EndTrust => s.trust,
        Measure::EndFace => s.face,
        Measure::EndMood => (s.mood.pleasure + 1.0) / 2.0,
        Measure::PoliteOpening => f64::from(u8::from(c.polite_opening)),
        Measure::FactsBeforeAsk => f64::from(u8::from(!c.asked_before_facts && n.meeting.facts)),
        Measure::ExcusesCountered => {
            if c.excuses_raised == 0 {
                1.0
            } else {
                f64::from(c.excuses_countered) / f64::from(c.excuses_raised)
            }
        }
        Measure::NoVagueDelay => f64::from(u8::from(!c.vague_delay_accepted)),
        Measure::ConcreteClose => match outcome {
            Some(Outcome::PaidInFull { .. }) => 1.0,
            Some(o) => o.promise().map_or(0.0, |p| {
                (f64::from(u8::from(p.dated)) + f64::from(u8::from(p.person))) / 2.0
            }),
            None => 0.0,
        },
        Measure::NoPrematureThreat => 1.0 - 0.5 * f64::from(c.premature_threats),
        Measure::NoContractAtHonestDebtor => f64::from(u8::from(!c.contract_at_honest)),
        Measure::CalmUnderRefusal => 1.0 - 0.5 * f64::from(c.lost_calm),
        Measure::Efficiency => match outcome {
            None | Some(Outcome::NoDeal) | Some(Outcome::WalkOut) => 0.0,
            Some(_) => {
                let case = &n.bundle.case;
                let over = f64::from(n.meeting.turn.saturating_sub(case.par_turns));
                let room = f64::from((case.max_turns - case.par_turns).max(1));
                1.0 - over / room
            }
        },
    };
    share.clamp(0.0, 1.0)
}

/// Scores the meeting as it stands (normally once it is over).
pub fn score(n: &Negotiation) -> Score {
    let rubric = &n.bundle.rubric;
    let items: Vec<ItemScore> = rubric
        .items
        .iter()
        .map(|it| {
            let share = measure(n, it.measure);
            let missed = share < it.pass - 1e-9;
            ItemScore {
                id: it.id.clone(),
                group: it.group,
                name: it.name.clone(),
                points: (it.points * share * 10.0).round() / 10.0,
                max: it.points,
                missed,
                note: if missed {
                    it.missed.clone()
                } else {
                    it.earned.clone()
                },
                principle: it.principle.clone(),
            }
        })
        .collect();
    let total: f64 = items.iter().map(|i| i.points).sum();
    let total = (total.clamp(0.0, 100.0) * 10.0).round() / 10.0;
    let grade = rubric
        .grades
        .iter()
        .find(|g| total >= g.min)
        .or(rubric.grades.last());
    Score {
        total,
        grade: grade.map_or_else(|| "-".into(), |g| g.grade.clone()),
        grade_label: grade.map_or_else(Text::default, |g| g.label.clone()),
        items,
    }
}
