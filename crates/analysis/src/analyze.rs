//! The balance analyzer: answers a trainer's questions about a case before a class sees it.
//! Exhaustive search over every line to a depth (with memoisation of identical meetings), random
//! and model-style rollouts beyond it, over every preparation set the budget allows and several
//! seeds, in parallel; plus the strategy classes, dominant tactics, dead ends, excuses never
//! raised and lines never worth choosing.

use rand_chacha::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};
use rayon::prelude::*;
use serde::Serialize;
use sim::autoplay::{self, THINK_SECONDS};
use sim::bundle::CaseBundle;
use sim::meeting::{Meeting, Outcome};
use sim::rubric::{grade_letter, score, total};
use std::collections::{BTreeSet, HashMap};
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Clone, Debug)]
pub struct Options {
    /// Turns searched exhaustively from the start.
    pub depth: u32,
    /// Seeds searched (the debtor's excuses depend on the seed).
    pub seeds: u64,
    /// Random rollouts per leaf of the search, beyond the depth.
    pub rollouts: u32,
    /// Seeds per strategy class.
    pub samples: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            depth: 3,
            seeds: 4,
            rollouts: 3,
            samples: 200,
        }
    }
}

/// A played line sequence and its result.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Play {
    pub score: f64,
    pub grade: String,
    pub seed: u64,
    pub preparations: Vec<String>,
    pub lines: Vec<String>,
    pub outcome: Option<String>,
    /// The course rules this play broke (ids); the best play should break none.
    pub rules_broken: Vec<String>,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Strategy {
    pub name: String,
    pub mean: f64,
    /// Share of meetings that ended with money or a promise.
    pub win_rate: f64,
    /// Share graded A or B.
    pub b_or_better: f64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Spread {
    pub min: f64,
    pub median: f64,
    pub max: f64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Report {
    pub case: String,
    pub depth: u32,
    pub seeds: u64,
    pub playthroughs: u64,
    pub best: Play,
    /// The best play found with no preparation at all: preparation should matter.
    pub best_without_preparation: Play,
    pub worst: Play,
    /// The best score found for each searched seed.
    pub best_per_seed: Spread,
    pub strategies: Vec<Strategy>,
    /// Tactics that, said whenever possible, win on every sampled seed and score near the model.
    pub dominant_tactics: Vec<String>,
    /// Searched positions from which no explored continuation reaches money or a promise.
    pub dead_ends: u64,
    pub dead_end_example: Vec<String>,
    pub excuses_never_raised: Vec<String>,
    /// Lines that were on offer in the search but never within 5 points of the best move
    /// (deliberate traps left out: they are listed in `traps`).
    pub lines_never_worth_choosing: Vec<String>,
    /// The case's deliberate trap lines on offer.
    pub traps: Vec<String>,
    /// Traps the best play found says: a trap that pays off.
    pub traps_worth_choosing: Vec<String>,
}

fn won(o: Option<Outcome>) -> bool {
    matches!(
        o,
        Some(Outcome::PaidInFull { .. } | Outcome::Partial { .. } | Outcome::Committed(_))
    )
}

/// A key for meetings that will play out identically (the random stream depends only on the seed
/// and the number of turns, which the key includes).
fn key(n: &Meeting) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    let q = |v: f64| (v * 1e6).round() as i64;
    let s = &n.state;
    let m = &n.progress;
    (
        q(s.mood.pleasure),
        q(s.mood.arousal),
        q(s.mood.dominance),
        q(s.face),
        q(s.trust),
    )
        .hash(&mut h);
    (q(s.willingness), q(s.patience), q(s.ability)).hash(&mut h);
    (
        m.turn,
        m.stage,
        m.facts,
        m.purpose,
        m.plan.map(|p| p as u8),
        m.deadline,
        m.person,
    )
        .hash(&mut h);
    (
        q(m.discount),
        m.refusals,
        m.refused_last,
        m.sanction_level,
        m.open_excuse,
        &m.objections,
        m.excuse_since,
        m.excuse_left,
        m.excuse_heard,
    )
        .hash(&mut h);
    (&m.excuse_counts, &m.tactic_uses, &m.said, n.last_reply()).hash(&mut h);
    (
        m.gains.map(q),
        m.hardened.map(q),
        q(m.standing),
        m.discredited,
        q(m.pace_lost),
        m.no_payment_today,
        m.consequence_stated,
        &m.defused,
        m.used_preps,
        m.last_choice,
    )
        .hash(&mut h);
    let c = &n.conduct;
    (
        c.polite_opening,
        c.asked_before_facts,
        c.excuses_raised,
        c.excuses_countered,
        &c.broken,
    )
        .hash(&mut h);
    (
        c.vague_delay_accepted,
        c.premature_threats,
        c.contract_at_honest,
        c.lost_calm,
    )
        .hash(&mut h);
    h.finish()
}

#[derive(Clone)]
struct Value {
    best: f64,
    best_path: Vec<usize>,
    worst: f64,
    worst_path: Vec<usize>,
    can_win: bool,
}

struct Search<'a> {
    memo: HashMap<u64, Value>,
    /// The lines open in a rollout's meeting (kept to save allocating each turn).
    open: Vec<usize>,
    rollouts: u32,
    rng: ChaCha8Rng,
    playthroughs: &'a AtomicU64,
    raised: BTreeSet<usize>,
    offered: BTreeSet<usize>,
    worth: BTreeSet<usize>,
    dead_ends: u64,
    dead_example: Option<Vec<usize>>,
}

impl Search<'_> {
    fn note_excuses(&mut self, n: &Meeting) {
        for (i, c) in n.progress.excuse_counts.iter().enumerate() {
            if *c > 0 {
                self.raised.insert(i);
            }
        }
    }

    /// Plays on from `n` to the end; returns the score, choices and whether it won.
    fn rollout(&mut self, mut n: Meeting, model: bool) -> (f64, Vec<usize>, bool) {
        let mut path = Vec::with_capacity(n.bundle.case.max_turns as usize);
        let mut course = model.then(|| autoplay::Course::new(&n.bundle));
        while !n.is_over() {
            let pick = course.as_mut().and_then(|c| c.step(&n));
            let i = match pick {
                Some(i) => i,
                None => {
                    self.open.clear();
                    self.open.extend(n.open());
                    if self.open.is_empty() {
                        break;
                    }
                    self.open[self.rng.next_u32() as usize % self.open.len()]
                }
            };
            let _ = n.respond(i, THINK_SECONDS);
            path.push(i);
        }
        self.note_excuses(&n);
        self.playthroughs.fetch_add(1, Ordering::Relaxed);
        (total(&n), path, won(n.outcome))
    }

    fn search(&mut self, n: &Meeting, depth: u32, path: &mut Vec<usize>) -> Value {
        if n.is_over() {
            self.note_excuses(n);
            self.playthroughs.fetch_add(1, Ordering::Relaxed);
            let s = total(n);
            return Value {
                best: s,
                best_path: vec![],
                worst: s,
                worst_path: vec![],
                can_win: won(n.outcome),
            };
        }
        let k = key(n);
        if let Some(v) = self.memo.get(&k) {
            return v.clone();
        }
        let mut v = Value {
            best: f64::MIN,
            best_path: vec![],
            worst: f64::MAX,
            worst_path: vec![],
            can_win: false,
        };
        if depth == 0 {
            for r in 0..=self.rollouts {
                let (s, p, w) = self.rollout(n.clone(), r == 0);
                if s > v.best {
                    v.best = s;
                    v.best_path = p.clone();
                }
                if s < v.worst {
                    v.worst = s;
                    v.worst_path = p;
                }
                v.can_win |= w;
            }
        } else {
            let open = n.available();
            let mut children = Vec::with_capacity(open.len());
            for &i in &open {
                self.offered.insert(i);
                let mut child = n.clone();
                if child.respond(i, THINK_SECONDS).is_err() {
                    continue;
                }
                path.push(i);
                let cv = self.search(&child, depth - 1, path);
                path.pop();
                children.push((i, cv.best));
                if cv.best > v.best {
                    v.best = cv.best;
                    v.best_path = std::iter::once(i)
                        .chain(cv.best_path.iter().copied())
                        .collect();
                }
                if cv.worst < v.worst {
                    v.worst = cv.worst;
                    v.worst_path = std::iter::once(i)
                        .chain(cv.worst_path.iter().copied())
                        .collect();
                }
                v.can_win |= cv.can_win;
            }
            for (i, b) in children {
                if b >= v.best - 5.0 {
                    self.worth.insert(i);
                }
            }
            if !v.can_win {
                self.dead_ends += 1;
                if self.dead_example.is_none() {
                    self.dead_example = Some(path.clone());
                }
            }
        }
        self.memo.insert(k, v.clone());
        v
    }
}

/// Every preparation set of the largest size the budget allows, and the empty set.
fn prep_sets(case: &sim::scenario::Case) -> Vec<Vec<String>> {
    let offered = &case.preparations;
    let k = usize::from(case.prep_budget).min(offered.len());
    let mut out = Vec::new();
    if k > 0 {
        out.push(Vec::new());
    }
    let n = offered.len();
    for mask in 0u32..(1 << n) {
        if mask.count_ones() as usize == k {
            out.push(
                (0..n)
                    .filter(|i| mask & (1 << i) != 0)
                    .map(|i| offered[i].clone())
                    .collect(),
            );
        }
    }
    out
}

fn strategy(name: &str, runs: Vec<Meeting>) -> Strategy {
    let n = runs.len().max(1) as f64;
    let scores: Vec<f64> = runs.iter().map(total).collect();
    let b_or_better = |s: f64| {
        runs.first()
            .is_some_and(|r| matches!(grade_letter(&r.bundle.rubric, s).as_str(), "A" | "B"))
    };
    Strategy {
        name: name.into(),
        mean: (scores.iter().sum::<f64>() / n * 10.0).round() / 10.0,
        win_rate: runs.iter().filter(|r| won(r.outcome)).count() as f64 / n,
        b_or_better: scores.iter().filter(|&&s| b_or_better(s)).count() as f64 / n,
    }
}

/// The units of work `analyze` reports progress in.
pub fn work_units(bundle: &CaseBundle, opts: &Options) -> u64 {
    prep_sets(&bundle.case).len() as u64 * opts.seeds + 1
}

/// What one search (a seed and a preparation set) found.
struct Found {
    seed: u64,
    preps: Vec<String>,
    value: Value,
    raised: BTreeSet<usize>,
    offered: BTreeSet<usize>,
    worth: BTreeSet<usize>,
    dead_ends: u64,
    dead_example: Option<Vec<usize>>,
}

/// Analyzes a case. `progress` is called with 1 for each unit of work done.
pub fn analyze(
    bundle: &Arc<CaseBundle>,
    opts: &Options,
    progress: &(dyn Fn(u64) + Sync),
) -> Report {
    let playthroughs = AtomicU64::new(0);
    let found = search_all(bundle, opts, &playthroughs, progress);
    let plays = Plays::of(bundle, opts, &found);
    let (classes, dominant) = strategies(bundle, opts, &playthroughs);
    progress(1);
    let cover = Coverage::of(bundle, opts, &found);
    let ids = |path: &[usize]| -> Vec<String> {
        path.iter().map(|&i| bundle.choices[i].id.clone()).collect()
    };
    let trap_ids = || {
        cover
            .offered
            .iter()
            .filter(|&&i| bundle.choices[i].trap)
            .map(|&i| bundle.choices[i].id.clone())
    };
    Report {
        case: bundle.case.id.clone(),
        depth: opts.depth,
        seeds: opts.seeds,
        playthroughs: playthroughs.load(Ordering::Relaxed),
        traps_worth_choosing: trap_ids()
            .filter(|id| plays.best.lines.contains(id))
            .collect(),
        best: plays.best,
        best_without_preparation: plays.unprepared,
        worst: plays.worst,
        best_per_seed: plays.spread,
        strategies: classes,
        dominant_tactics: dominant,
        dead_ends: cover.dead_ends,
        dead_end_example: cover.dead_example.map(|p| ids(&p)).unwrap_or_default(),
        excuses_never_raised: bundle
            .persona
            .excuses
            .iter()
            .enumerate()
            .filter(|(i, _)| !cover.raised.contains(i))
            .map(|(_, e)| e.id.clone())
            .collect(),
        lines_never_worth_choosing: cover
            .offered
            .difference(&cover.worth)
            .filter(|&&i| !bundle.choices[i].trap)
            .map(|&i| bundle.choices[i].id.clone())
            .collect(),
        traps: trap_ids().collect(),
    }
}

/// The search from every seed and preparation set, in parallel.
fn search_all(
    bundle: &Arc<CaseBundle>,
    opts: &Options,
    playthroughs: &AtomicU64,
    progress: &(dyn Fn(u64) + Sync),
) -> Vec<Found> {
    let sets = prep_sets(&bundle.case);
    let jobs: Vec<(u64, Vec<String>)> = (0..opts.seeds)
        .flat_map(|seed| sets.iter().map(move |p| (seed, p.clone())))
        .collect();
    jobs.par_iter()
        .filter_map(|(seed, preps)| {
            // This job's own copy of the case: meetings cloned on two threads would otherwise
            // fight over one reference count.
            let own = Arc::new(CaseBundle::clone(bundle));
            let n = Meeting::new(own, *seed, preps).ok()?.without_recording();
            let mut s = Search {
                memo: HashMap::new(),
                open: Vec::new(),
                rollouts: opts.rollouts,
                rng: ChaCha8Rng::seed_from_u64(seed.wrapping_mul(0x9E37_79B9) ^ 0xA11A),
                playthroughs,
                raised: BTreeSet::new(),
                offered: BTreeSet::new(),
                worth: BTreeSet::new(),
                dead_ends: 0,
                dead_example: None,
            };
            let value = s.search(&n, opts.depth, &mut Vec::new());
            progress(1);
            Some(Found {
                seed: *seed,
                preps: preps.clone(),
                value,
                raised: s.raised,
                offered: s.offered,
                worth: s.worth,
                dead_ends: s.dead_ends,
                dead_example: s.dead_example,
            })
        })
        .collect()
}

/// The best and worst meetings found (replayed for their score and rules), the best without
/// preparation, and how the best varies by seed.
struct Plays {
    best: Play,
    unprepared: Play,
    worst: Play,
    spread: Spread,
}

impl Plays {
    fn of(bundle: &Arc<CaseBundle>, opts: &Options, found: &[Found]) -> Plays {
        let replay = |f: &Found, path: &[usize]| replay(bundle, f.seed, &f.preps, path);
        let empty = Play {
            score: 0.0,
            grade: "-".into(),
            seed: 0,
            preparations: vec![],
            lines: vec![],
            outcome: None,
            rules_broken: vec![],
        };
        let by_best = |a: &&Found, b: &&Found| a.value.best.total_cmp(&b.value.best);
        let best = found.iter().max_by(by_best);
        let worst = found
            .iter()
            .min_by(|a, b| a.value.worst.total_cmp(&b.value.worst));
        let unprepared = found.iter().filter(|f| f.preps.is_empty()).max_by(by_best);
        let mut per_seed: Vec<f64> = (0..opts.seeds)
            .map(|seed| {
                found
                    .iter()
                    .filter(|f| f.seed == seed)
                    .map(|f| f.value.best)
                    .fold(f64::MIN, f64::max)
            })
            .filter(|v| *v > f64::MIN)
            .collect();
        per_seed.sort_by(f64::total_cmp);
        Plays {
            best: best.map_or(empty.clone(), |f| replay(f, &f.value.best_path)),
            unprepared: unprepared.map_or(empty.clone(), |f| replay(f, &f.value.best_path)),
            worst: worst.map_or(empty, |f| replay(f, &f.value.worst_path)),
            spread: Spread {
                min: per_seed.first().copied().unwrap_or(0.0),
                median: per_seed.get(per_seed.len() / 2).copied().unwrap_or(0.0),
                max: per_seed.last().copied().unwrap_or(0.0),
            },
        }
    }
}

/// A path replayed from its seed and preparations: its score, lines and the rules it broke.
fn replay(bundle: &Arc<CaseBundle>, seed: u64, preps: &[String], path: &[usize]) -> Play {
    let mut n = autoplay::start_or_unprepared(bundle, seed, preps);
    for &i in path {
        let _ = n.respond(i, THINK_SECONDS);
    }
    let s = score(&n);
    let mut rules_broken: Vec<String> = n
        .conduct
        .broken
        .iter()
        .filter_map(|(_, r)| bundle.rubric.rules.get(*r).map(|r| r.id.clone()))
        .collect();
    rules_broken.dedup();
    Play {
        score: s.total,
        grade: s.grade,
        seed,
        preparations: preps.to_vec(),
        lines: path.iter().map(|&i| bundle.choices[i].id.clone()).collect(),
        outcome: n.outcome.map(|o| o.kind().to_owned()),
        rules_broken,
    }
}

/// Strategy classes and dominant tactics, sampled over seeds.
fn strategies(
    bundle: &Arc<CaseBundle>,
    opts: &Options,
    playthroughs: &AtomicU64,
) -> (Vec<Strategy>, Vec<String>) {
    let samples: Vec<u64> = (0..opts.samples).collect();
    let classes: Vec<Strategy> = [
        (
            "course-following",
            autoplay::model as fn(&Arc<CaseBundle>, u64) -> Meeting,
        ),
        ("always-pressure", autoplay::always_pressure),
        ("always-soft", autoplay::always_soft),
        ("random", autoplay::random),
    ]
    .par_iter()
    .map(|(name, play)| strategy(name, samples.iter().map(|&s| play(bundle, s)).collect()))
    .collect();
    playthroughs.fetch_add(4 * opts.samples, Ordering::Relaxed);
    let model_mean = classes.first().map_or(0.0, |c| c.mean);
    let spam_seeds: Vec<u64> = (0..opts.samples.min(50)).collect();
    let dominant: Vec<String> = (0..bundle.tactics.len())
        .into_par_iter()
        .filter_map(|t| {
            let runs: Vec<_> = spam_seeds
                .iter()
                .map(|&s| autoplay::spam_tactic(bundle, s, t))
                .collect();
            playthroughs.fetch_add(runs.len() as u64, Ordering::Relaxed);
            let st = strategy(&bundle.tactics[t].id, runs);
            (st.win_rate >= 1.0 && st.mean >= model_mean - 5.0)
                .then(|| bundle.tactics[t].id.clone())
        })
        .collect();
    (classes, dominant)
}

/// What the searches (and random samples) saw: excuses raised, lines offered and worth
/// choosing, dead ends.
struct Coverage {
    raised: BTreeSet<usize>,
    offered: BTreeSet<usize>,
    worth: BTreeSet<usize>,
    dead_ends: u64,
    dead_example: Option<Vec<usize>>,
}

impl Coverage {
    fn of(bundle: &Arc<CaseBundle>, opts: &Options, found: &[Found]) -> Coverage {
        let mut c = Coverage {
            raised: BTreeSet::new(),
            offered: BTreeSet::new(),
            worth: BTreeSet::new(),
            dead_ends: 0,
            dead_example: None,
        };
        for f in found {
            c.raised.extend(f.raised.iter().copied());
            c.offered.extend(f.offered.iter().copied());
            c.worth.extend(f.worth.iter().copied());
            c.dead_ends += f.dead_ends;
            if c.dead_example.is_none() {
                c.dead_example = f.dead_example.clone();
            }
        }
        // Excuses the strategy samples raised count too.
        for seed in 0..opts.samples.min(50) {
            let n = autoplay::random(bundle, seed);
            for (i, k) in n.progress.excuse_counts.iter().enumerate() {
                if *k > 0 {
                    c.raised.insert(i);
                }
            }
        }
        c
    }
}
