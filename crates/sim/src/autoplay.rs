//! Automatic players: the case's model (course-following) approach, "always the strongest
//! pressure line", and uniform random choice. Used by the training-validity tests, benchmarks
//! and the balance analyzer.

use crate::bundle::CaseBundle;
use crate::meeting::Meeting;
use rand_chacha::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};
use std::sync::Arc;

/// Seconds each automatic player takes per line: inside the hesitation grace.
pub const THINK_SECONDS: f64 = 4.0;

/// A meeting with `preps`, or with none when they are not valid for the case (an over-budget
/// or unknown plan in a trainer's file): automatic players always get to play.
pub fn start_or_unprepared(bundle: &Arc<CaseBundle>, seed: u64, preps: &[String]) -> Meeting {
    Meeting::new(Arc::clone(bundle), seed, preps)
        .or_else(|_| Meeting::new(Arc::clone(bundle), seed, &[]))
        .expect("no preparations is always valid")
}

/// The first counter on offer for the excuse on the table, if any.
pub fn counter_for_open_excuse(n: &Meeting) -> Option<usize> {
    let ex = n.progress.open_excuse?;
    n.bundle
        .counters_of
        .get(ex)?
        .iter()
        .copied()
        .find(|&i| n.is_available(i))
}

/// The case's model lines as choice indices, in order.
pub fn model_plan(bundle: &CaseBundle) -> Vec<usize> {
    bundle
        .case
        .model_lines
        .iter()
        .filter_map(|id| bundle.choice_index(id))
        .collect()
}

/// The model approach's next choice: a counter to the excuse on the table, else the next
/// planned line that is open now (planned lines not open when their turn comes are skipped).
/// `None` when the plan is used up.
pub fn model_step(n: &Meeting, plan: &[usize], next: &mut usize) -> Option<usize> {
    if let Some(c) = counter_for_open_excuse(n) {
        return Some(c);
    }
    while let Some(&line) = plan.get(*next) {
        *next += 1;
        if n.is_available(line) {
            return Some(line);
        }
    }
    None
}

/// The course's way on from any point of a meeting: the excuse on the table answered first
/// (its first counter on offer), then the first of the case's model lines not yet said that is
/// open now (in the model's order; none steps back down the sanctions ladder); when they run
/// out, calm after a refusal and the model's closes again, until the meeting ends. The model
/// plays this way from the start; the coaching, the deviation analysis and the rule search
/// continue this way after the line they try, so a line said early or late is not said twice
/// and a line passed over is said when it opens.
#[derive(Clone, Debug)]
pub struct Course {
    plan: Vec<usize>,
    /// Which of the plan's lines have been said (or passed over for good).
    done: Vec<bool>,
    closes: Vec<usize>,
    /// The course: the excuse on the table answered first, and a line not open when its turn
    /// comes kept for later. A script learnt by heart does neither: it passes such a line over.
    adaptive: bool,
}

impl Course {
    /// The course from the first line.
    pub fn new(bundle: &CaseBundle) -> Course {
        Course::of(bundle, model_plan(bundle), true)
    }

    /// A script learnt by heart: `lines` in order (one not open when its turn comes is passed
    /// over), then calm after a refusal and its closes again; an excuse is answered only when
    /// the script's next line happens to answer it.
    pub fn script(bundle: &CaseBundle, lines: Vec<usize>) -> Course {
        Course::of(bundle, lines, false)
    }

    fn of(bundle: &CaseBundle, plan: Vec<usize>, adaptive: bool) -> Course {
        let closes = plan
            .iter()
            .copied()
            .filter(|&i| {
                matches!(
                    bundle.choices[i].close,
                    Some(crate::scenario::Close::AskNow) | Some(crate::scenario::Close::SettlePlan)
                )
            })
            .collect();
        Course {
            done: vec![false; plan.len()],
            plan,
            closes,
            adaptive,
        }
    }

    /// The course after `said` (the lines said so far, in order): each said line ticks off the
    /// first of the model's lines with its id not yet ticked; a closing request said out of
    /// turn ticks nothing (the course still asks when it comes to it).
    pub fn after(bundle: &CaseBundle, said: &[usize]) -> Course {
        let mut c = Course::new(bundle);
        for s in said.iter().filter(|&&s| !c.closes.contains(&s)) {
            if let Some(k) = (0..c.plan.len()).find(|&k| !c.done[k] && c.plan[k] == *s) {
                c.done[k] = true;
            }
        }
        c
    }

    /// The next line the course says here; None when nothing of the course is open.
    pub fn step(&mut self, n: &Meeting) -> Option<usize> {
        if self.adaptive
            && let Some(c) = counter_for_open_excuse(n)
        {
            return Some(c);
        }
        for k in 0..self.plan.len() {
            if self.done[k] {
                continue;
            }
            let line = self.plan[k];
            let back_down = n.bundle.choices[line]
                .sanction
                .is_some_and(|s| s.level() <= n.progress.sanction_level);
            if back_down || !self.adaptive {
                self.done[k] = true;
            }
            if !back_down && n.is_available(line) {
                self.done[k] = true;
                return Some(line);
            }
        }
        if n.progress.refused_last
            && let Some(calm) = n
                .bundle
                .choice_index("any_calm")
                .filter(|&i| n.is_available(i))
        {
            return Some(calm);
        }
        self.closes.iter().copied().find(|&i| n.is_available(i))
    }

    /// Plays the course to the end of the meeting, thinking `seconds` before every line.
    pub fn finish(&mut self, n: &mut Meeting, seconds: f64) {
        while !n.is_over() {
            let Some(i) = self.step(n) else { break };
            if n.respond(i, seconds).is_err() {
                break;
            }
        }
    }
}

/// Follows the case's model preparations and lines, answering each excuse with its first
/// available counter.
pub fn model(bundle: &Arc<CaseBundle>, seed: u64) -> Meeting {
    model_thinking(bundle, seed, THINK_SECONDS)
}

/// The model approach, thinking `seconds` before every line.
pub fn model_thinking(bundle: &Arc<CaseBundle>, seed: u64, seconds: f64) -> Meeting {
    let mut n = start_or_unprepared(bundle, seed, &bundle.case.model_preparations);
    Course::new(bundle).finish(&mut n, seconds);
    n
}

/// Always says the most threatening line on offer (sanctions by rung, then pressure by
/// intensity); plays no preparation.
pub fn always_pressure(bundle: &Arc<CaseBundle>, seed: u64) -> Meeting {
    let mut n =
        Meeting::new(Arc::clone(bundle), seed, &[]).expect("no preparations is always valid");
    while !n.is_over() {
        let best = n.available().into_iter().max_by_key(|&i| {
            let c = &n.bundle.choices[i];
            let threat = c.threat;
            (
                threat,
                c.sanction.map_or(0, |s| s.level()),
                c.intensity,
                std::cmp::Reverse(i),
            )
        });
        match best {
            Some(i) => {
                let _ = n.respond(i, THINK_SECONDS);
            }
            None => break,
        }
    }
    n
}

/// Picks preparations and lines uniformly at random (its own stream, from `seed`).
pub fn random(bundle: &Arc<CaseBundle>, seed: u64) -> Meeting {
    random_player(bundle, seed, seed)
}

/// A random player in the meeting with seed `seed`, its choices drawn from `player`: many
/// different legal attempts at the same meeting (a class's worth, or a load test's).
pub fn random_player(bundle: &Arc<CaseBundle>, seed: u64, player: u64) -> Meeting {
    let mut rng = ChaCha8Rng::seed_from_u64(player ^ 0x005e_ed0f_d0d0);
    let mut offered = bundle.case.preparations.clone();
    let mut preps = Vec::new();
    let budget = usize::from(bundle.case.prep_budget);
    while preps.len() < budget && !offered.is_empty() {
        let k = rng.next_u32() as usize % offered.len();
        preps.push(offered.swap_remove(k));
    }
    let mut n = start_or_unprepared(bundle, seed, &preps);
    while !n.is_over() {
        let open = n.available();
        if open.is_empty() {
            break;
        }
        let i = open[rng.next_u32() as usize % open.len()];
        let _ = n.respond(i, THINK_SECONDS);
    }
    n
}

/// Never presses or asks: answers excuses with their first counter, otherwise says the first
/// line on offer that is neither a threat nor an ask, and never closes.
pub fn always_soft(bundle: &Arc<CaseBundle>, seed: u64) -> Meeting {
    let mut n =
        Meeting::new(Arc::clone(bundle), seed, &[]).expect("no preparations is always valid");
    while !n.is_over() {
        if let Some(c) = counter_for_open_excuse(&n) {
            let _ = n.respond(c, THINK_SECONDS);
            continue;
        }
        let soft = n.available().into_iter().find(|&i| {
            let c = &n.bundle.choices[i];
            let t = &n.bundle.tactics[c.tactic];
            !c.threat && !t.asks && c.close.is_none()
        });
        match soft.or_else(|| n.available().first().copied()) {
            Some(i) => {
                let _ = n.respond(i, THINK_SECONDS);
            }
            None => break,
        }
    }
    n
}

/// Says a line of `tactic` whenever one is on offer, otherwise closes if it can, otherwise the
/// first line on offer: the test of whether one tactic wins on its own.
pub fn spam_tactic(bundle: &Arc<CaseBundle>, seed: u64, tactic: usize) -> Meeting {
    let mut n =
        Meeting::new(Arc::clone(bundle), seed, &[]).expect("no preparations is always valid");
    while !n.is_over() {
        let open = n.available();
        let pick = open
            .iter()
            .copied()
            .find(|&i| n.bundle.choices[i].tactic == tactic)
            .or_else(|| {
                open.iter()
                    .copied()
                    .find(|&i| n.bundle.choices[i].close.is_some())
            })
            .or_else(|| open.first().copied());
        match pick {
            Some(i) => {
                let _ = n.respond(i, THINK_SECONDS);
            }
            None => break,
        }
    }
    n
}
