//! Scenario tests for trainers (`dunning-dojo test`): each case may carry test plans, a seed,
//! preparations and lines said in order, with what must come of them (score or grade range,
//! outcome, excuses raised or not, course rules broken or kept). A plan that cannot be played
//! as written fails with the turn and the reason, never silently.

use sim::CaseBundle;
use sim::autoplay::{THINK_SECONDS, counter_for_open_excuse};
use sim::meeting::{Event, Meeting, Utterance};
use sim::rubric::score;
use sim::scenario::TestPlan;
use std::sync::Arc;

/// What one plan came to.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanResult {
    pub case: String,
    pub name: String,
    pub score: f64,
    pub grade: String,
    pub outcome: String,
    /// Empty when the plan passed.
    pub failures: Vec<String>,
}

impl PlanResult {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// Plays `plan` on the case and checks its expectations.
pub fn run(bundle: &Arc<CaseBundle>, plan: &TestPlan) -> PlanResult {
    let mut failures = Vec::new();
    let n = match Meeting::new(Arc::clone(bundle), plan.seed, &plan.preparations) {
        Ok(mut n) => {
            say_lines(&mut n, plan, &mut failures);
            Some(n)
        }
        Err(e) => {
            failures.push(format!("preparations: {e}"));
            None
        }
    };
    let Some(n) = n else {
        return PlanResult {
            case: bundle.case.id.clone(),
            name: plan.name.clone(),
            score: 0.0,
            grade: "-".into(),
            outcome: "unfinished".into(),
            failures,
        };
    };
    let s = score(&n);
    let outcome = n.outcome.map_or("unfinished", |o| o.kind()).to_owned();
    check(
        bundle,
        &n,
        plan,
        (s.total, &s.grade, &outcome),
        &mut failures,
    );
    PlanResult {
        case: bundle.case.id.clone(),
        name: plan.name.clone(),
        score: s.total,
        grade: s.grade,
        outcome,
        failures,
    }
}

/// Says the plan's lines in order (answering excuses first, when the plan asks).
fn say_lines(n: &mut Meeting, plan: &TestPlan, failures: &mut Vec<String>) {
    for (k, line) in plan.lines.iter().enumerate() {
        if plan.answer_excuses {
            while let Some(c) = counter_for_open_excuse(n).filter(|_| !n.is_over()) {
                if line == "counter" || n.respond(c, THINK_SECONDS).is_err() {
                    break;
                }
            }
        }
        if n.is_over() {
            failures.push(format!(
                "lines[{k}]: the meeting ended on turn {} before \"{line}\" was said ({} lines left unsaid)",
                n.turns.len(),
                plan.lines.len() - k
            ));
            return;
        }
        let said = if line == "counter" {
            match counter_for_open_excuse(n) {
                Some(c) => n.respond(c, THINK_SECONDS).map(|_| ()),
                None => {
                    failures.push(format!(
                        "lines[{k}]: \"counter\" on turn {}, but no excuse is on the table with a counter open",
                        n.turns.len() + 1
                    ));
                    return;
                }
            }
        } else {
            n.respond_id(line, THINK_SECONDS).map(|_| ())
        };
        if let Err(e) = said {
            let open = n.open_ids();
            failures.push(format!(
                "lines[{k}]: turn {}: {e}; open then: {}",
                n.turns.len() + 1,
                open.join(", ")
            ));
            return;
        }
    }
}

/// The expectations a finished (or stopped) meeting does not meet.
fn check(
    bundle: &CaseBundle,
    n: &Meeting,
    plan: &TestPlan,
    (total, grade, outcome): (f64, &str, &str),
    failures: &mut Vec<String>,
) {
    let x = &plan.expect;
    if let Some((lo, hi)) = x.score
        && !(lo - 1e-9..=hi + 1e-9).contains(&total)
    {
        failures.push(format!("score {total:.1}, expected {lo} to {hi}"));
    }
    if let Some((low, high)) = &x.grade {
        let order: Vec<&str> = bundle
            .rubric
            .grades
            .iter()
            .map(|g| g.grade.as_str())
            .collect();
        let at = |g: &str| order.iter().position(|x| *x == g);
        match (at(grade), at(low), at(high)) {
            (Some(g), Some(l), Some(h)) if g <= l && g >= h => {}
            (_, None, _) | (_, _, None) => failures.push(format!(
                "expect.grade: the rubric's grades are {}",
                order.join(", ")
            )),
            _ => failures.push(format!("grade {grade}, expected {low} to {high}")),
        }
    }
    if !x.outcome.is_empty() && !x.outcome.iter().any(|o| o == outcome) {
        failures.push(format!(
            "outcome {outcome}, expected {}",
            x.outcome.join(" or ")
        ));
    }
    let raised = raised(n);
    for e in &x.excuses_raised {
        if !raised.contains(e) {
            failures.push(format!("excuse \"{e}\" was not raised"));
        }
    }
    for e in &x.excuses_not_raised {
        if raised.contains(e) {
            failures.push(format!("excuse \"{e}\" was raised"));
        }
    }
    let broken = broken(n);
    for r in &x.rules_broken {
        if !broken.contains(r) {
            failures.push(format!("course rule \"{r}\" was not broken"));
        }
    }
    for r in &x.rules_kept {
        if broken.contains(r) {
            failures.push(format!("course rule \"{r}\" was broken"));
        }
    }
}

/// The ids of the excuses the debtor raised.
fn raised(n: &Meeting) -> Vec<String> {
    let b = &n.bundle;
    let replies = n
        .turns
        .iter()
        .flat_map(|t| &t.events)
        .filter_map(|e| match e {
            Event::Reply(u) => Some(u),
            _ => None,
        });
    std::iter::once(&n.greeting)
        .chain(replies)
        .filter_map(|u| match u {
            Utterance::Excuse { excuse, .. } => {
                b.persona.excuses.get(*excuse).map(|x| x.id.clone())
            }
            _ => None,
        })
        .collect()
}

/// The ids of the course rules the lines broke.
fn broken(n: &Meeting) -> Vec<String> {
    let b = &n.bundle;
    n.turns
        .iter()
        .flat_map(|t| &t.events)
        .filter_map(|e| match e {
            Event::CourseRuleBroken { rule } => b.rubric.rules.get(*rule).map(|r| r.id.clone()),
            _ => None,
        })
        .collect()
}
