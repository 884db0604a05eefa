//! Scores a meeting against the rubric in `scenarios/rubric.ron`: each item measures a share in
//! [0, 1] of its points; the total is 0–100 with a grade and one debrief note per item.

use crate::meeting::{Meeting, Outcome};
use crate::scenario::{Grade, Group, Measure, RubricItem, Situation};
use crate::text::Text;
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
    /// False when the situation the item judges never came up (then it is neither praised nor
    /// blamed).
    pub arose: bool,
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
pub fn measure(n: &Meeting, item: &RubricItem) -> f64 {
    let c = &n.conduct;
    let s = &n.state;
    let outcome = n.outcome;
    let per_break = |count: u32| 1.0 - item.per_break * f64::from(count);
    let share = match item.measure {
        Measure::RecoveredNow => recovered(n, item.promise_credit),
        Measure::CommitmentCredibility => commitment(n),
        Measure::EndTrust => s.trust,
        Measure::EndFace => s.face,
        Measure::EndMood => (s.mood.pleasure + 1.0) / 2.0,
        Measure::PoliteOpening => f64::from(u8::from(c.polite_opening)),
        Measure::FactsBeforeAsk => f64::from(u8::from(!c.asked_before_facts && n.progress.facts)),
        Measure::ExcusesCountered => {
            if c.excuses_raised == 0 {
                1.0
            } else {
                f64::from(c.excuses_countered) / f64::from(c.excuses_raised)
            }
        }
        Measure::NoVagueDelay => f64::from(u8::from(!c.vague_delay_accepted)),
        Measure::ConcreteClose => concrete_close(n),
        Measure::NoPrematureThreat => per_break(c.premature_threats),
        Measure::NoContractAtHonestDebtor => f64::from(u8::from(!c.contract_at_honest)),
        Measure::CalmUnderRefusal => per_break(c.lost_calm),
        Measure::Efficiency => match outcome {
            None | Some(Outcome::NoDeal) | Some(Outcome::WalkOut) => 0.0,
            Some(_) => {
                let case = &n.bundle.case;
                let over = f64::from(n.progress.turn.saturating_sub(case.par_turns));
                let room = f64::from((case.max_turns - case.par_turns).max(1));
                1.0 - over / room
            }
        },
        Measure::KeptRules => {
            let rules = &n.bundle.rubric.rules;
            let count: u32 = rules
                .iter()
                .enumerate()
                .filter(|(_, r)| item.rules.contains(&r.id))
                .map(|(i, _)| c.breaks(i))
                .sum();
            per_break(count)
        }
        Measure::PreparationFit => {
            let chosen = n.prep_bits();
            if chosen == 0 {
                0.0
            } else {
                f64::from((chosen & n.progress.used_preps).count_ones())
                    / f64::from(chosen.count_ones())
            }
        }
        Measure::RulesBySeverity => {
            let sev = &n.bundle.rubric.severities;
            let lost: f64 = c
                .broken
                .iter()
                .filter_map(|&(_, r)| n.bundle.course_rules.get(r))
                .map(|r| sev.get(r.severity).share)
                .sum();
            1.0 - lost
        }
        Measure::Pace => {
            if n.progress.turn == 0 {
                1.0
            } else {
                1.0 - n.progress.pace_lost / f64::from(n.progress.turn)
            }
        }
    };
    share.clamp(0.0, 1.0)
}

/// How well the rest is covered: what was left unpaid, weighed by the promise's credibility
/// (1 paid in full; a weak promise for a small remainder costs little, for the whole debt a lot).
fn commitment(n: &Meeting) -> f64 {
    let Some(o) = n.outcome else { return 0.0 };
    if let Outcome::PaidInFull { .. } = o {
        return 1.0;
    }
    let due = n.bundle.case.amount as f64;
    let rest = if due < 1.0 {
        1.0
    } else {
        ((due - o.paid() as f64) / due).clamp(0.0, 1.0)
    };
    let credibility = o.promise().map_or(0.0, |p| p.credibility);
    1.0 - rest * (1.0 - credibility)
}

/// Whether the situation an item judges came up in this meeting.
pub(crate) fn arose(n: &Meeting, s: Situation) -> bool {
    let m = &n.progress;
    match s {
        Situation::Refusal => m.refusals > 0,
        Situation::Excuse => n.conduct.excuses_raised > 0,
        Situation::Threat => n.conduct.threats > 0,
        Situation::Sanction => m.sanction_level > 0,
        Situation::Remainder => !matches!(n.outcome, Some(Outcome::PaidInFull { .. })),
    }
}

/// Money recovered now, against what this debtor could have paid today (its ability), not the
/// invoice: an honest debtor short of cash who pays all it has scores in full.
/// A credible promise counts for part of what was left unpaid of what they could pay today:
/// `promise_credit` of it, as the promised money times its credibility.
fn recovered(n: &Meeting, promise_credit: f64) -> f64 {
    let paid = n.outcome.map_or(0.0, |o| o.paid() as f64);
    let could = could_pay_today(n);
    if could < 1.0 {
        return 1.0;
    }
    let promised = n
        .outcome
        .and_then(|o| o.promise())
        .map_or(0.0, |p| p.amount as f64 * p.credibility);
    let gap = (could - paid).max(0.0);
    (paid + promise_credit * promised.min(gap)) / could
}

/// What this debtor could have paid today: the invoice times its ability to pay.
pub(crate) fn could_pay_today(n: &Meeting) -> f64 {
    n.bundle.case.amount as f64 * n.start.ability.min(1.0)
}

/// Which of amount, date and person the meeting's end fixed, each only if it happened in this
/// meeting (paying on the spot fixes the amount and the date; the payer must still have been
/// named; no promise fixes neither amount nor date). None while the meeting goes on.
pub(crate) fn close_terms(n: &Meeting) -> Option<(bool, bool, bool)> {
    let (amount, date) = match n.outcome? {
        Outcome::PaidInFull { .. } => (true, true),
        o => o.promise().map_or((false, false), |p| (true, p.dated)),
    };
    Some((amount, date, n.progress.person))
}

/// Amount, date and person: a third each, and nothing without an amount agreed.
fn concrete_close(n: &Meeting) -> f64 {
    match close_terms(n) {
        Some((true, date, person)) => f64::from(1 + u8::from(date) + u8::from(person)) / 3.0,
        _ => 0.0,
    }
}

/// A share shown as a whole percentage that never contradicts a pass mark: rounded down (with
/// the same tolerance the pass test uses), so a failing 74.7% shows 74%, never 75%.
pub fn percent(share: f64) -> u32 {
    ((share * 100.0 + 1e-7).floor()).clamp(0.0, 100.0) as u32
}

/// An item's share in this meeting and whether its situation arose (a share of 1 when not).
fn item_share(n: &Meeting, it: &RubricItem) -> (f64, bool) {
    let arose = it.arises.is_none_or(|s| arose(n, s));
    (if arose { measure(n, it) } else { 1.0 }, arose)
}

/// Points an item earns at a share, rounded to a tenth as the debrief shows them.
fn item_points(it: &RubricItem, share: f64) -> f64 {
    (it.points * share * 10.0).round() / 10.0
}

/// The total rounded to a tenth, clamped to 0–100.
fn round_total(sum: f64) -> f64 {
    (sum.clamp(0.0, 100.0) * 10.0).round() / 10.0
}

/// The score's total alone: numbers only, no debrief text (what searches and analyses use).
/// Always equal to `score(n).total`.
pub fn total(n: &Meeting) -> f64 {
    let sum: f64 = n
        .bundle
        .rubric
        .items
        .iter()
        .map(|it| item_points(it, item_share(n, it).0))
        .sum();
    round_total(sum)
}

/// Scores the meeting as it stands (normally once it is over), with every item's debrief note.
pub fn score(n: &Meeting) -> Score {
    let rubric = &n.bundle.rubric;
    let items: Vec<ItemScore> = rubric
        .items
        .iter()
        .map(|it| {
            let (share, arose) = item_share(n, it);
            let missed = share < it.pass - 1e-9;
            ItemScore {
                id: it.id.clone(),
                group: it.group,
                name: it.name.clone(),
                points: item_points(it, share),
                max: it.points,
                missed,
                arose,
                note: note(n, it, arose, missed),
                principle: it.principle.clone(),
            }
        })
        .collect();
    let total = round_total(items.iter().map(|i| i.points).sum());
    let grade = grade_of(rubric, total);
    Score {
        total,
        grade: grade.map_or_else(|| "-".into(), |g| g.grade.clone()),
        grade_label: grade.map_or_else(Text::default, |g| g.label.clone()),
        items,
    }
}

/// The grade letter a total earns under this rubric ("-" for a rubric without grades).
pub fn grade_letter(rubric: &crate::scenario::Rubric, total: f64) -> String {
    grade_of(rubric, total).map_or_else(|| "-".into(), |g| g.grade.clone())
}

/// The grade a total earns.
pub fn grade_of(rubric: &crate::scenario::Rubric, total: f64) -> Option<&Grade> {
    rubric
        .grades
        .iter()
        .find(|g| total >= g.min)
        .or(rubric.grades.last())
}

/// An item's debrief note: its fixed text for the case, and what happened in this meeting.
fn note(n: &Meeting, it: &RubricItem, arose: bool, missed: bool) -> Text {
    let base = if !arose {
        &it.not_arisen
    } else if missed {
        &it.missed
    } else {
        &it.earned
    };
    match crate::notes::detail(n, it, missed) {
        Some(d) => Text {
            zh: format!("{}{}", base.zh, d.zh),
            en: format!("{} {}", base.en, d.en),
        },
        None => base.clone(),
    }
}
