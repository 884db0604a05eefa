//! Coaching beyond the anchors: which turn cost the most, and what would have done better there.
//!
//! For every turn of a finished meeting, each line that was open is tried in its place and the
//! meeting is continued the course's way (the case's model lines, then calm and its closes
//! again), over the meeting's own seed and a few more; a line's value is its mean final score.
//! A turn's cost is the best value on offer there minus the value of the line actually said.
//! The costliest turn is the one with the largest cost, and its best line is the suggestion.

use crate::engine::autoplay::{self, THINK_SECONDS};
use crate::engine::bundle::CaseBundle;
use crate::engine::negotiation::{Event, Negotiation};
use crate::engine::rubric::total;
use crate::engine::scenario::Close;
use crate::engine::text::Lang;
use serde::Serialize;

/// Points a turn must cost before it is worth coaching.
pub const MIN_LOSS: f64 = 1.0;

/// Seeds each line is tried over (the meeting's own first).
pub const SEEDS: u64 = 3;

/// The costliest turn and the better line there.
#[derive(Clone, Debug, PartialEq)]
pub struct Coaching {
    /// 1-based.
    pub turn: u32,
    /// The line said (index into the choices), and its value.
    pub said: usize,
    pub said_value: f64,
    /// The best line on offer there, and its value.
    pub better: usize,
    pub better_value: f64,
}

impl Coaching {
    /// Points the turn cost against the best line on offer.
    pub fn lost(&self) -> f64 {
        self.better_value - self.said_value
    }
}

/// What the debrief shows, in one language.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CoachView {
    pub turn: u32,
    pub lost: f64,
    pub said: String,
    pub said_text: String,
    pub better: String,
    pub better_text: String,
    /// The course principle behind the better line (its tactic's course note).
    pub principle: String,
}

impl CoachView {
    /// "The turn that cost the most: turn N (about X points)", as the debriefs head it.
    pub fn heading(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => format!(
                "最值得重来的一步：第 {} 轮（少得约 {:.1} 分）",
                self.turn, self.lost
            ),
            Lang::En => format!(
                "The turn that cost the most: turn {} (about {:.1} points)",
                self.turn, self.lost
            ),
        }
    }

    pub fn of(n: &Negotiation, c: &Coaching, lang: Lang) -> CoachView {
        let b = &n.bundle;
        let (said, better) = (&b.choices[c.said], &b.choices[c.better]);
        let round = |v: f64| (v * 10.0).round() / 10.0;
        CoachView {
            turn: c.turn,
            lost: round(c.lost()),
            said: said.id.clone(),
            said_text: b.say(&said.text, lang),
            better: better.id.clone(),
            better_text: b.say(&better.text, lang),
            principle: b.tactics[better.tactic].course.get(lang).to_owned(),
        }
    }
}

/// The course's continuation: the model lines, then calm and the model's closes, three times.
fn continuation(bundle: &CaseBundle) -> Vec<usize> {
    let mut plan = autoplay::model_plan(bundle);
    let closes: Vec<usize> = plan
        .iter()
        .copied()
        .filter(|&i| {
            matches!(
                bundle.choices[i].close,
                Some(Close::AskNow | Close::SettlePlan)
            )
        })
        .collect();
    let calm = bundle.choice_index("any_calm");
    for _ in 0..3 {
        plan.extend(calm);
        plan.extend(&closes);
    }
    plan
}

/// Where the course's plan stands after the lines said so far: past the last plan line said in
/// order.
fn plan_position(said: &[usize], plan: &[usize]) -> usize {
    let mut next = 0;
    for c in said {
        if let Some(k) = plan[next.min(plan.len())..].iter().position(|p| p == c) {
            next += k + 1;
        }
    }
    next
}

/// The next line of the plan that is open and does not step back down the sanctions ladder
/// (a counter to the excuse on the table first).
fn plan_step(m: &Negotiation, plan: &[usize], next: &mut usize) -> Option<usize> {
    if let Some(c) = autoplay::counter_for_open_excuse(m) {
        return Some(c);
    }
    while let Some(&line) = plan.get(*next) {
        *next += 1;
        let back_down = m.bundle.choices[line]
            .sanction
            .is_some_and(|s| s.level() <= m.meeting.sanction_level);
        if m.is_available(line) && !back_down {
            return Some(line);
        }
    }
    None
}

/// The final score after `first` is said, then the meeting continued the course's way from
/// where the plan stands (`said`: the lines said before, then `first`).
fn value_after(
    mut m: Negotiation,
    first: usize,
    elapsed: f64,
    plan: &[usize],
    said: &[usize],
) -> f64 {
    if m.respond(first, elapsed).is_err() {
        return 0.0;
    }
    let mut so_far = said.to_vec();
    so_far.push(first);
    let mut next = plan_position(&so_far, plan);
    while !m.is_over() {
        match plan_step(&m, plan, &mut next) {
            Some(i) => {
                if m.respond(i, THINK_SECONDS).is_err() {
                    break;
                }
            }
            None => break,
        }
    }
    total(&m)
}

/// A line worth suggesting: it breaks no course rule where it is said, and it is not the vague
/// delay the course warns against.
fn keeps_the_course(here: &Negotiation, line: usize) -> bool {
    if here.bundle.choices[line].close == Some(Close::AcceptDelay) {
        return false;
    }
    let mut m = here.clone();
    m.respond(line, THINK_SECONDS).is_ok_and(|events| {
        !events
            .iter()
            .any(|e| matches!(e, Event::CourseRuleBroken { .. }))
    })
}

/// The costliest turn of a finished meeting and the better line there; None for a meeting with
/// no turn, or when no turn cost anything.
pub fn coach(n: &Negotiation) -> Option<Coaching> {
    let plan = continuation(&n.bundle);
    let mut worst: Option<Coaching> = None;
    for (k, t) in n.turns.iter().enumerate() {
        // Other seeds count only where the meeting reached the same choice: the line said is
        // open there too (the situation a seed draws, such as which excuse comes first, can
        // differ).
        let starts: Vec<Negotiation> = (0..SEEDS)
            .filter_map(|s| n.replayed(n.seed.wrapping_add(s), k))
            .filter(|m| m.is_available(t.choice))
            .map(Negotiation::without_recording)
            .collect();
        let Some(here) = starts.first() else { continue };
        let said: Vec<usize> = n.turns[..k].iter().map(|t| t.choice).collect();
        let value = |line: usize, elapsed: f64| {
            let total: f64 = starts
                .iter()
                .map(|m| value_after(m.clone(), line, elapsed, &plan, &said))
                .sum();
            total / starts.len() as f64
        };
        let said_value = value(t.choice, t.elapsed);
        let (better, better_value) = here
            .available()
            .into_iter()
            .filter(|&i| i != t.choice && keeps_the_course(here, i))
            .map(|i| (i, value(i, THINK_SECONDS)))
            .fold((t.choice, said_value), |best, x| {
                if x.1 > best.1 + 1e-9 { x } else { best }
            });
        let c = Coaching {
            turn: k as u32 + 1,
            said: t.choice,
            said_value,
            better,
            better_value,
        };
        if c.lost() > worst.as_ref().map_or(MIN_LOSS, Coaching::lost) {
            worst = Some(c);
        }
    }
    worst
}

/// The coaching note in one language, for the debrief.
pub fn view(n: &Negotiation, lang: Lang) -> Option<CoachView> {
    coach(n).map(|c| CoachView::of(n, &c, lang))
}
