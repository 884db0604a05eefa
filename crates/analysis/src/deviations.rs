//! The deviation analysis (DESIGN.md, "Scores that measure"): take a good meeting (the course
//! model's, or the analyzer's best), say one other open line at one turn, let the course go on,
//! and see what the slip cost. A sensible line should cost a little, a course break a lot, and
//! the spread of costs, split by the line's standing at that moment, shows whether the score is
//! a measure or a cliff.

use rayon::prelude::*;
use serde::Serialize;
use sim::autoplay::{Course, THINK_SECONDS};
use sim::bundle::{CaseBundle, Choice};
use sim::meeting::{Event, Meeting};
use sim::result::round1;
use sim::rubric::total;
use sim::scenario::{Close, Severity, Stage};
use sim::text::{Lang, Text};
use sim::transcript;
use std::sync::Arc;

/// What a line is at the moment it is said, by what it does (never by its id).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Standing {
    /// The course endorses it here: a counter to the excuse on the table, listening or calm
    /// on an excuse or a refusal, or a line of the stage at hand or one either side of it
    /// (a plan, a closing question, a fact question a turn early or late), breaking no rule.
    Endorsed,
    /// Breaks no rule but is not what the course teaches here.
    Neutral,
    /// Breaks a course rule of this severity (the gravest when it breaks several).
    Breaks(Severity),
}

impl Standing {
    pub const ALL: [Standing; 5] = [
        Standing::Endorsed,
        Standing::Neutral,
        Standing::Breaks(Severity::Minor),
        Standing::Breaks(Severity::Major),
        Standing::Breaks(Severity::Severe),
    ];

    pub fn name(self) -> Text {
        match self {
            Standing::Endorsed => Text::new("课程认可", "course-endorsed"),
            Standing::Neutral => Text::new("中性", "neutral"),
            Standing::Breaks(s) => {
                let n = s.name();
                Text {
                    zh: format!("违规（{}）", n.zh),
                    en: format!("breaks a {} rule", n.en),
                }
            }
        }
    }
}

/// One line said in place of the meeting's own at one turn, and what it cost.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Deviation {
    pub seed: u64,
    /// 1-based.
    pub turn: u32,
    pub line: String,
    pub standing: Standing,
    /// The meeting's own score minus the score after the slip (negative: it did better).
    pub cost: f64,
}

/// The cost distribution of one standing.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Bucket {
    pub standing: Standing,
    pub count: usize,
    pub median: f64,
    /// Shares of the slips that cost at most 5 points, 5 to 25, and over 25.
    pub within_5: f64,
    pub from_5_to_25: f64,
    pub over_25: f64,
    pub min: f64,
    pub max: f64,
}

impl Bucket {
    pub fn of(standing: Standing, costs: &[f64]) -> Bucket {
        let mut c = costs.to_vec();
        c.sort_by(f64::total_cmp);
        let n = c.len().max(1) as f64;
        let share = |f: &dyn Fn(f64) -> bool| c.iter().filter(|&&x| f(x)).count() as f64 / n;
        Bucket {
            standing,
            count: c.len(),
            median: round1(median(&c)),
            within_5: share(&|x| x <= 5.0),
            from_5_to_25: share(&|x| x > 5.0 && x <= 25.0),
            over_25: share(&|x| x > 25.0),
            min: round1(c.first().copied().unwrap_or(0.0)),
            max: round1(c.last().copied().unwrap_or(0.0)),
        }
    }
}

fn median(sorted: &[f64]) -> f64 {
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// A costly slip, told as a trainee would read it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Slip {
    pub seed: u64,
    pub turn: u32,
    pub line: String,
    pub text: String,
    /// What the debtor answered to it.
    pub reply: String,
    pub cost: f64,
    /// The lines the course said after it, and how the meeting ended.
    pub then: Vec<String>,
    pub outcome: String,
}

/// The deviation analysis of one case from one kind of meeting.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DeviationReport {
    pub case: String,
    /// "model" (the course model's meetings) or "best" (the analyzer's best play).
    pub from: String,
    pub seeds: Vec<u64>,
    pub deviations: usize,
    pub buckets: Vec<Bucket>,
    /// The costliest course-endorsed slips, costliest first.
    pub costliest_endorsed: Vec<Slip>,
}

impl DeviationReport {
    pub fn bucket(&self, s: Standing) -> Option<&Bucket> {
        self.buckets.iter().find(|b| b.standing == s)
    }
}

/// A meeting to deviate from: its seed, preparations and lines (choice indices).
#[derive(Clone, Debug)]
pub struct Base {
    pub seed: u64,
    pub preparations: Vec<String>,
    pub lines: Vec<usize>,
}

impl Base {
    /// The course model's meeting on `seed`.
    pub fn model(bundle: &Arc<CaseBundle>, seed: u64) -> Base {
        let n = sim::autoplay::model(bundle, seed);
        Base {
            seed,
            preparations: n.preparations.to_vec(),
            lines: n.turns.iter().map(|t| t.choice).collect(),
        }
    }

    fn start(&self, bundle: &Arc<CaseBundle>) -> Meeting {
        sim::autoplay::start_or_unprepared(bundle, self.seed, &self.preparations)
    }
}

/// Whether a line breaks no rule and is what the course teaches at this moment.
fn endorsed(n: &Meeting, ch: &Choice) -> bool {
    let b = &n.bundle;
    let m = &n.progress;
    let tactic = &b.tactics[ch.tactic];
    if ch.trap || ch.close == Some(Close::AcceptDelay) || ch.close == Some(Close::Escalate) {
        return false;
    }
    if ch.counters.is_some() {
        return true;
    }
    if tactic.listening && (m.open_excuse.is_some() || m.refusals > 0) {
        return true;
    }
    if tactic.threat || ch.sanction.is_some() {
        return false;
    }
    match ch.stage.stage() {
        Some(Stage::Opening) => m.stage == Stage::Opening,
        Some(st) => (st as i32 - m.stage as i32).abs() <= 1,
        None => false,
    }
}

/// The standing of choice `i` said in `before`, given the events it brought.
pub fn standing(before: &Meeting, i: usize, events: &[Event]) -> Standing {
    let rules = &before.bundle.rubric.rules;
    let worst = events
        .iter()
        .filter_map(|e| match e {
            Event::CourseRuleBroken { rule } => rules.get(*rule).map(|r| r.severity()),
            _ => None,
        })
        .max();
    match worst {
        Some(s) => Standing::Breaks(s),
        None if endorsed(before, &before.bundle.choices[i]) => Standing::Endorsed,
        None => Standing::Neutral,
    }
}

/// A slip with its cost and the reply it drew, and the meeting it led to.
struct Tried {
    deviation: Deviation,
    reply: Option<sim::meeting::Utterance>,
    here: Meeting,
    choice: usize,
    then: Vec<usize>,
    outcome: Option<sim::meeting::Outcome>,
}

/// Every other open line said at every turn of `base`, each followed by the course.
fn deviate(bundle: &Arc<CaseBundle>, base: &Base) -> Vec<Tried> {
    let mut played = base.start(bundle);
    for &i in &base.lines {
        if played.respond(i, THINK_SECONDS).is_err() {
            break;
        }
    }
    let own = total(&played);
    let mut out = Vec::new();
    let mut prefix = base.start(bundle).without_recording();
    for (k, &said) in base.lines.iter().enumerate() {
        if prefix.is_over() {
            break;
        }
        for i in prefix.available() {
            if i == said {
                continue;
            }
            let mut m = prefix.clone();
            let Ok(events) = m.respond(i, THINK_SECONDS) else {
                continue;
            };
            let standing = standing(&prefix, i, &events);
            let mut lines: Vec<usize> = base.lines[..k].to_vec();
            lines.push(i);
            let mut course = Course::after(bundle, &lines);
            let mut then = Vec::new();
            while !m.is_over() {
                let Some(c) = course.step(&m) else { break };
                if m.respond(c, THINK_SECONDS).is_err() {
                    break;
                }
                then.push(c);
            }
            out.push(Tried {
                deviation: Deviation {
                    seed: base.seed,
                    turn: k as u32 + 1,
                    line: bundle.choices[i].id.clone(),
                    standing,
                    cost: round1(own - total(&m)),
                },
                reply: sim::meeting::reply_in(&events),
                here: prefix.clone(),
                choice: i,
                then,
                outcome: m.outcome,
            });
        }
        if prefix.respond(said, THINK_SECONDS).is_err() {
            break;
        }
    }
    out
}

/// The deviation analysis of `bases` (meetings of one case), in `lang` for the slips shown.
pub fn analyse(
    bundle: &Arc<CaseBundle>,
    from: &str,
    bases: &[Base],
    lang: Lang,
) -> DeviationReport {
    let tried: Vec<Tried> = bases.par_iter().flat_map(|b| deviate(bundle, b)).collect();
    let buckets = Standing::ALL
        .iter()
        .map(|&s| {
            let costs: Vec<f64> = tried
                .iter()
                .filter(|t| t.deviation.standing == s)
                .map(|t| t.deviation.cost)
                .collect();
            Bucket::of(s, &costs)
        })
        .collect();
    let mut endorsed: Vec<&Tried> = tried
        .iter()
        .filter(|t| t.deviation.standing == Standing::Endorsed)
        .collect();
    endorsed.sort_by(|a, b| b.deviation.cost.total_cmp(&a.deviation.cost));
    let costliest_endorsed = endorsed
        .into_iter()
        .take(5)
        .map(|t| Slip {
            seed: t.deviation.seed,
            turn: t.deviation.turn,
            line: t.deviation.line.clone(),
            text: bundle.say(&bundle.choices[t.choice].text, lang),
            reply: t
                .reply
                .map(|u| transcript::utterance(&t.here, &u, lang))
                .unwrap_or_default(),
            cost: t.deviation.cost,
            then: t
                .then
                .iter()
                .map(|&c| bundle.choices[c].id.clone())
                .collect(),
            outcome: t
                .outcome
                .map_or_else(String::new, |o| transcript::describe_outcome(&o, lang)),
        })
        .collect();
    DeviationReport {
        case: bundle.case.id.clone(),
        from: from.to_owned(),
        seeds: bases.iter().map(|b| b.seed).collect(),
        deviations: tried.len(),
        buckets,
        costliest_endorsed,
    }
}

/// Every single deviation of `bases`, for tests that look at them one by one.
pub fn all(bundle: &Arc<CaseBundle>, bases: &[Base]) -> Vec<Deviation> {
    bases
        .par_iter()
        .flat_map(|b| deviate(bundle, b))
        .map(|t| t.deviation)
        .collect()
}

/// The course model's meetings on `seeds`.
pub fn model_bases(bundle: &Arc<CaseBundle>, seeds: impl IntoIterator<Item = u64>) -> Vec<Base> {
    seeds.into_iter().map(|s| Base::model(bundle, s)).collect()
}
