//! Scenario tests for trainers (`dunning-dojo test`): each case may carry test plans, a seed,
//! preparations and lines said in order, with what must come of them (score or grade range,
//! outcome, excuses raised or not, course rules broken or kept). A plan that cannot be played
//! as written fails with the turn and the reason, never silently; the reasons are written in
//! Chinese and English, like every diagnostic.

use crate::diagnostic::{did_you_mean_in, msg};
use sim::CaseBundle;
use sim::autoplay::{THINK_SECONDS, counter_for_open_excuse};
use sim::meeting::{Event, Meeting, StartError, TurnError, Utterance};
use sim::rubric::score;
use sim::scenario::TestPlan;
use sim::text::Text;
use std::sync::Arc;

/// What one plan came to.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanResult {
    pub case: String,
    pub name: String,
    pub score: f64,
    pub grade: String,
    pub outcome: String,
    /// Why the plan failed, each reason in both languages (`Text::get(lang)`); empty when the
    /// plan passed.
    pub failures: Vec<Text>,
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
            let (zh, en) = start_error(bundle, &e);
            failures.push(msg(
                format!("preparations：{zh}"),
                format!("preparations: {en}"),
            ));
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
fn say_lines(n: &mut Meeting, plan: &TestPlan, failures: &mut Vec<Text>) {
    for (k, line) in plan.lines.iter().enumerate() {
        if plan.answer_excuses {
            while let Some(c) = counter_for_open_excuse(n).filter(|_| !n.is_over()) {
                if line == "counter" || n.respond(c, THINK_SECONDS).is_err() {
                    break;
                }
            }
        }
        if n.is_over() {
            let (turn, left) = (n.turns.len(), plan.lines.len() - k);
            failures.push(msg(
                format!(
                    "lines[{k}]：会谈在第 {turn} 轮就结束了，\"{line}\" 还没说出口（还有 {left} 句没说）"
                ),
                format!(
                    "lines[{k}]: the meeting ended on turn {turn} before \"{line}\" was said ({left} lines left unsaid)"
                ),
            ));
            return;
        }
        let said = if line == "counter" {
            match counter_for_open_excuse(n) {
                Some(c) => n.respond(c, THINK_SECONDS).map(|_| ()),
                None => {
                    let turn = n.turns.len() + 1;
                    failures.push(msg(
                        format!(
                            "lines[{k}]：第 {turn} 轮要说 \"counter\"，但桌上没有一个有回应可选的借口"
                        ),
                        format!(
                            "lines[{k}]: \"counter\" on turn {turn}, but no excuse is on the table with a counter open"
                        ),
                    ));
                    return;
                }
            }
        } else {
            n.respond_id(line, THINK_SECONDS).map(|_| ())
        };
        if let Err(e) = said {
            let turn = n.turns.len() + 1;
            let (zh, en) = turn_error(n, &e);
            let open = n.open_ids();
            failures.push(msg(
                format!(
                    "lines[{k}]：第 {turn} 轮：{zh}；当时可以说的：{}",
                    open.join("、")
                ),
                format!(
                    "lines[{k}]: turn {turn}: {en}; open then: {}",
                    open.join(", ")
                ),
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
    failures: &mut Vec<Text>,
) {
    let x = &plan.expect;
    if let Some((lo, hi)) = x.score
        && !(lo - 1e-9..=hi + 1e-9).contains(&total)
    {
        failures.push(msg(
            format!("得分 {total:.1}，应在 {lo} 到 {hi} 之间"),
            format!("score {total:.1}, expected {lo} to {hi}"),
        ));
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
            (_, None, _) | (_, _, None) => failures.push(msg(
                format!("expect.grade：评分细则里的等级只有 {}", order.join("、")),
                format!("expect.grade: the rubric's grades are {}", order.join(", ")),
            )),
            _ => failures.push(msg(
                format!("等级 {grade}，应在 {low} 到 {high} 之间"),
                format!("grade {grade}, expected {low} to {high}"),
            )),
        }
    }
    if !x.outcome.is_empty() && !x.outcome.iter().any(|o| o == outcome) {
        failures.push(msg(
            format!("结果是 {outcome}，应为 {}", x.outcome.join(" 或 ")),
            format!("outcome {outcome}, expected {}", x.outcome.join(" or ")),
        ));
    }
    let raised = raised(n);
    for e in &x.excuses_raised {
        if !raised.contains(e) {
            failures.push(msg(
                format!("借口 \"{e}\" 没有被提出"),
                format!("excuse \"{e}\" was not raised"),
            ));
        }
    }
    for e in &x.excuses_not_raised {
        if raised.contains(e) {
            failures.push(msg(
                format!("借口 \"{e}\" 被提出了"),
                format!("excuse \"{e}\" was raised"),
            ));
        }
    }
    let broken = broken(n);
    for r in &x.rules_broken {
        if !broken.contains(r) {
            failures.push(msg(
                format!("课程规则 \"{r}\" 没有被违反"),
                format!("course rule \"{r}\" was not broken"),
            ));
        }
    }
    for r in &x.rules_kept {
        if broken.contains(r) {
            failures.push(msg(
                format!("课程规则 \"{r}\" 被违反了"),
                format!("course rule \"{r}\" was broken"),
            ));
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

/// Why the preparations could not be picked, in Chinese and English.
pub(crate) fn start_error(bundle: &CaseBundle, e: &StartError) -> (String, String) {
    let zh = match e {
        StartError::UnknownPreparation(p, _) => {
            let hint = did_you_mean_in(p, bundle.case.preparations.iter().map(|s| s.as_str()));
            format!("没有会前准备 \"{p}\"{}", hint.zh)
        }
        StartError::NotOffered(p) => format!("这个案例不提供会前准备 \"{p}\""),
        StartError::Duplicate(p) => format!("会前准备 \"{p}\" 选了两次"),
        StartError::OverBudget(n, budget) => {
            format!("选了 {n} 项会前准备，但这个案例最多只能选 {budget} 项")
        }
    };
    (zh, e.to_string())
}

/// Why a line could not be said, in Chinese and English.
pub(crate) fn turn_error(n: &Meeting, e: &TurnError) -> (String, String) {
    let zh = match e {
        TurnError::Ended => "会谈已经结束了".to_owned(),
        TurnError::NotAvailable(id) => format!("\"{id}\" 现在还不能说"),
        TurnError::Unknown(id, _) => {
            let ids = n.bundle.choices.iter().map(|c| c.id.as_str());
            format!("没有 id 为 \"{id}\" 的话术{}", did_you_mean_in(id, ids).zh)
        }
    };
    (zh, e.to_string())
}
