//! Training validity, measured: the course-following model against every course-breaking player
//! and against a search for the best score that breaks one course rule at a time. The tests
//! assert on these figures; `dunning-dojo validity` prints them.

use crate::adversary::{self, Adversary};
use rayon::prelude::*;
use serde::Serialize;
use sim::autoplay::{self, THINK_SECONDS};
use sim::bundle::CaseBundle;
use sim::meeting::Meeting;
use sim::result::round1;
use sim::rubric::{grade_letter, total};
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
    pub fn of(runs: &[Meeting]) -> Figures {
        let scores: Vec<f64> = runs.iter().map(total).collect();
        let n = scores.len().max(1) as f64;
        let best = scores.iter().copied().max_by(f64::total_cmp);
        let worst = scores.iter().copied().min_by(f64::total_cmp);
        let grade = |s: Option<f64>| match (s, runs.first()) {
            (Some(s), Some(r)) => grade_letter(&r.bundle.rubric, s),
            _ => String::new(),
        };
        Figures {
            mean: round1(scores.iter().sum::<f64>() / n),
            best: best.unwrap_or(0.0),
            best_grade: grade(best),
            worst: worst.unwrap_or(0.0),
            worst_grade: grade(worst),
        }
    }
}

/// One course-breaking player on one case, over the meetings in which it broke the course (in
/// the others it played as the model would, which says nothing about the lesson).
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct PlayerRow {
    pub player: String,
    /// The lesson it breaks, with its COURSE.md section.
    pub breaks: sim::text::Text,
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
    /// The model thinking 0, 4 and 25 seconds (the exam timer) before every line.
    pub thinking: Vec<Thinking>,
    /// Filled by `--search`.
    pub rule_breaks: Vec<RuleBreak>,
    pub seed_variation: SeedVariation,
}

/// The model at one thinking time.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Thinking {
    pub seconds: f64,
    pub figures: Figures,
    /// Meetings that ended with the debtor walking out.
    pub walk_outs: usize,
}

/// Thinking times measured: at once, inside the grace, and the exam timer's 25 s.
pub const THINKING_SECONDS: [f64; 3] = [0.0, 4.0, 25.0];

/// Runs `play` on seeds `0..seeds`.
pub fn runs(
    bundle: &Arc<CaseBundle>,
    seeds: u64,
    play: impl Fn(&Arc<CaseBundle>, u64) -> Meeting + Sync,
) -> Vec<Meeting> {
    (0..seeds)
        .into_par_iter()
        .map(|s| play(bundle, s))
        .collect()
}

/// The model and every course-breaking player that applies to this case, on `seeds` seeds.
pub fn measure(bundle: &Arc<CaseBundle>, seeds: u64) -> CaseValidity {
    let (model, players) = model_and_players(bundle, seeds);
    CaseValidity {
        case: bundle.case.id.clone(),
        seeds,
        model,
        players,
        thinking: THINKING_SECONDS
            .iter()
            .map(|&secs| {
                let played = runs(bundle, seeds, |b, s| autoplay::model_thinking(b, s, secs));
                Thinking {
                    seconds: secs,
                    figures: Figures::of(&played),
                    walk_outs: played
                        .iter()
                        .filter(|n| n.outcome == Some(sim::Outcome::WalkOut))
                        .count(),
                }
            })
            .collect(),
        rule_breaks: Vec::new(),
        seed_variation: seed_variation(bundle, seeds),
    }
}

/// The model's figures and every course-breaking player's that applies to this case, on
/// `seeds` seeds.
pub fn model_and_players(bundle: &Arc<CaseBundle>, seeds: u64) -> (Figures, Vec<PlayerRow>) {
    let model = Figures::of(&runs(bundle, seeds, autoplay::model));
    let players = adversary::all()
        .into_iter()
        .filter(|a| a.applies(bundle))
        .map(|a: Adversary| {
            let broke: Vec<Meeting> = runs(bundle, seeds, |b, s| a.play(b, s))
                .into_iter()
                .filter(|n| a.broke(n))
                .collect();
            PlayerRow {
                player: a.id.to_owned(),
                breaks: sim::text::Text {
                    zh: a.breaks.0.to_owned(),
                    en: a.breaks.1.to_owned(),
                },
                broke: broke.len(),
                figures: Figures::of(&broke),
            }
        })
        .collect();
    (model, players)
}

/// Does the seed matter? The situation varies within the persona's character (which excuse
/// comes first, …), so the course model's lines differ between seeds, and a script learnt by
/// heart from one seed's model meeting does worse on the others, while the model adapts.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SeedVariation {
    /// Different line sequences the model said over the seeds.
    pub model_sequences: usize,
    pub seeds: u64,
    /// The seeds scripts were learnt on (each said on every other seed).
    pub script_seeds: u64,
    /// The model's mean, and a script's mean on the seeds it was not learnt on.
    pub model_mean: f64,
    pub script_mean: f64,
}

/// The model's meeting on `from` learnt by heart and said on `seed`.
pub fn memorised(bundle: &Arc<CaseBundle>, from: u64, seed: u64) -> Meeting {
    let script: Vec<usize> = autoplay::model(bundle, from)
        .turns
        .iter()
        .map(|t| t.choice)
        .collect();
    let mut n = autoplay::start_or_unprepared(bundle, seed, &bundle.case.model_preparations);
    autoplay::Course::script(bundle, script).finish(&mut n, THINK_SECONDS);
    n
}

/// The seed variation of one case over seeds `1..=seeds`: each seed's model meeting learnt by
/// heart and said on every other seed.
pub fn seed_variation(bundle: &Arc<CaseBundle>, seeds: u64) -> SeedVariation {
    let models = runs(bundle, seeds + 1, autoplay::model);
    let mut sequences: Vec<Vec<String>> = models[1..].iter().map(lines_of).collect();
    sequences.sort();
    sequences.dedup();
    let learnt = seeds;
    let pairs: Vec<(u64, u64)> = (1..=learnt)
        .flat_map(|from| {
            (1..=seeds)
                .filter(move |&s| s != from)
                .map(move |s| (from, s))
        })
        .collect();
    let mean = |v: Vec<f64>| round1(v.iter().sum::<f64>() / v.len().max(1) as f64);
    SeedVariation {
        model_sequences: sequences.len(),
        seeds,
        script_seeds: learnt,
        model_mean: mean(
            pairs
                .iter()
                .map(|&(_, s)| total(&models[s as usize]))
                .collect(),
        ),
        script_mean: mean(
            pairs
                .par_iter()
                .map(|&(from, s)| total(&memorised(bundle, from, s)))
                .collect(),
        ),
    }
}

/// The ids of the lines a recorded meeting played, in order.
pub fn lines_of(n: &Meeting) -> Vec<String> {
    n.turns
        .iter()
        .map(|t| n.bundle.choices[t.choice].id.clone())
        .collect()
}

/// The best meeting the search found that breaks one course rule (and no other; or, for a rule
/// the content never lets a line break alone, that rule among others).
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct RuleBreak {
    pub rule: String,
    pub section: String,
    pub severity: sim::scenario::Severity,
    /// The best meeting the same search found that breaks no rule at all: what breaking this
    /// one costs at best is `clean − best`.
    pub clean: f64,
    /// False when no meeting breaks it alone and the best shown breaks others too.
    pub alone: bool,
    /// None when no meeting that breaks this rule alone was found.
    pub best: Option<f64>,
    pub grade: String,
    pub seed: u64,
    pub lines: Vec<String>,
}

/// How wide and how long the rule-breaking search looks.
#[derive(Clone, Copy, Debug)]
pub struct SearchOptions {
    /// Meetings kept at each depth, for prefixes that have and have not yet broken the rule.
    pub width: usize,
    /// Seeds searched.
    pub seeds: u64,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions { width: 8, seeds: 2 }
    }
}

/// Plays on from `n` as the course-following model would (counters first, then the model's
/// lines still open, in order); returns the finished meeting.
fn finish_as_model(mut n: Meeting) -> Meeting {
    let plan = autoplay::model_plan(&n.bundle);
    let mut next = 0;
    while !n.is_over() {
        let pick = autoplay::model_step(&n, &plan, &mut next).or_else(|| {
            n.available()
                .into_iter()
                .find(|&i| n.bundle.choices[i].close.is_some())
        });
        let Some(i) = pick else { break };
        if n.respond(i, THINK_SECONDS).is_err() {
            break;
        }
    }
    n
}

/// Which course rules a meeting broke: (the target broken, any other broken).
fn breaks(n: &Meeting, rule: usize) -> (bool, bool) {
    let b = &n.conduct.broken;
    (
        b.iter().any(|(_, r)| *r == rule),
        b.iter().any(|(_, r)| *r != rule),
    )
}

/// What one beam search found: the best meeting breaking the rule (if any), and the best score
/// of a meeting that broke no rule at all.
struct Found {
    best: Option<(f64, Meeting)>,
    clean: f64,
}

/// Beam search for the highest score of a meeting that breaks `rule` and no other course rule.
fn search_one(
    bundle: &Arc<CaseBundle>,
    rule: usize,
    seed: u64,
    width: usize,
    alone: bool,
) -> Found {
    let start = autoplay::start_or_unprepared(bundle, seed, &bundle.case.model_preparations);
    let mut best: Option<(f64, Meeting)> = None;
    let mut clean = f64::MIN;
    let breaks = |n: &Meeting| {
        let (target, other) = breaks(n, rule);
        (target, other && alone)
    };
    let consider = |done: Meeting, best: &mut Option<(f64, Meeting)>, clean: &mut f64| -> f64 {
        let (target, other) = breaks(&done);
        let s = total(&done);
        if done.conduct.broken.is_empty() {
            *clean = clean.max(s);
        }
        if target && !other && best.as_ref().is_none_or(|(b, _)| s > *b) {
            *best = Some((s, done));
        }
        if other { f64::MIN } else { s }
    };
    let mut beam = vec![start];
    while !beam.is_empty() {
        let mut broken: Vec<(f64, Meeting)> = Vec::new();
        let mut unbroken: Vec<(f64, Meeting)> = Vec::new();
        for n in &beam {
            for i in n.available() {
                let mut child = n.clone();
                if child.respond(i, THINK_SECONDS).is_err() {
                    continue;
                }
                let (target, other) = breaks(&child);
                if other {
                    continue;
                }
                let value = consider(finish_as_model(child.clone()), &mut best, &mut clean);
                if child.is_over() {
                    continue;
                }
                if target { &mut broken } else { &mut unbroken }.push((value, child));
            }
        }
        beam = Vec::with_capacity(2 * width);
        for mut group in [broken, unbroken] {
            group.sort_by(|a, b| b.0.total_cmp(&a.0));
            beam.extend(group.into_iter().take(width).map(|(_, n)| n));
        }
    }
    Found { best, clean }
}

/// For every course rule, the best meeting the search found that breaks it alone.
pub fn search_rule_breaks(bundle: &Arc<CaseBundle>, opts: SearchOptions) -> Vec<RuleBreak> {
    let rules = &bundle.rubric.rules;
    (0..rules.len())
        .into_par_iter()
        .map(|r| {
            let mut clean = f64::MIN;
            let mut best_of = |alone: bool| {
                (0..opts.seeds)
                    .filter_map(|seed| {
                        let f = search_one(bundle, r, seed, opts.width, alone);
                        clean = clean.max(f.clean);
                        f.best.map(|b| (seed, b))
                    })
                    .max_by(|a, b| a.1.0.total_cmp(&b.1.0))
            };
            let mut alone = true;
            let found = best_of(true).or_else(|| {
                alone = false;
                best_of(false)
            });
            let (best, grade, seed, lines) = match found {
                Some((seed, (s, n))) => (
                    Some(s),
                    grade_letter(&n.bundle.rubric, s),
                    seed,
                    lines_of(&n),
                ),
                None => (None, String::new(), 0, Vec::new()),
            };
            RuleBreak {
                rule: rules[r].id.clone(),
                section: rules[r].section.clone(),
                severity: rules[r].severity(),
                clean: round1(clean.max(0.0)),
                alone,
                best,
                grade,
                seed,
                lines,
            }
        })
        .collect()
}

/// A gate of the persona that never opened in the course model's meetings, and which of its
/// conditions never held (by index in `unless`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClosedGate {
    pub gate: usize,
    pub never_held: Vec<usize>,
}

/// What was seen of the gates over meetings: per gate, whether it opened, and per condition,
/// whether it held, at any turn.
#[derive(Clone, Debug, Default)]
struct GatesSeen {
    opened: Vec<bool>,
    held: Vec<Vec<bool>>,
}

impl GatesSeen {
    fn see(&mut self, now: Vec<Vec<bool>>) {
        if self.held.is_empty() {
            self.opened = vec![false; now.len()];
            self.held = now.iter().map(|g| vec![false; g.len()]).collect();
        }
        for (g, conds) in now.iter().enumerate() {
            self.opened[g] |= conds.iter().all(|&c| c);
            for (k, &c) in conds.iter().enumerate() {
                self.held[g][k] |= c;
            }
        }
    }

    fn join(mut self, other: GatesSeen) -> GatesSeen {
        if self.held.is_empty() {
            return other;
        }
        for (g, o) in other.opened.iter().enumerate() {
            self.opened[g] |= o;
            for (k, &c) in other.held[g].iter().enumerate() {
                self.held[g][k] |= c;
            }
        }
        self
    }
}

/// The persona's gates that never opened at any turn of the course model's meetings on seeds
/// `0..seeds`, each with the conditions that never held: a gate the course never opens caps the
/// debtor for good.
pub fn gates_never_opened(bundle: &Arc<CaseBundle>, seeds: u64) -> Vec<ClosedGate> {
    let seen = (0..seeds)
        .into_par_iter()
        .map(|seed| {
            let mut n =
                autoplay::start_or_unprepared(bundle, seed, &bundle.case.model_preparations);
            let mut course = autoplay::Course::new(bundle);
            let mut seen = GatesSeen::default();
            seen.see(sim::decision::gate_conditions(&n));
            while !n.is_over() {
                let Some(i) = course.step(&n) else { break };
                if n.respond(i, THINK_SECONDS).is_err() {
                    break;
                }
                seen.see(sim::decision::gate_conditions(&n));
            }
            seen
        })
        .reduce(GatesSeen::default, GatesSeen::join);
    seen.opened
        .iter()
        .enumerate()
        .filter(|(_, o)| !**o)
        .map(|(g, _)| ClosedGate {
            gate: g,
            never_held: seen.held[g]
                .iter()
                .enumerate()
                .filter(|(_, h)| !**h)
                .map(|(k, _)| k)
                .collect(),
        })
        .collect()
}
