//! Course-breaking automatic players: each breaks one lesson of the course on purpose, and the
//! validity suite checks that none of them does well. They are defined by tactic families and
//! line metadata (stage, close, sanction rung, markers), never by line ids, so they keep working
//! when trainers change the content.

use sim::autoplay::{self, THINK_SECONDS};
use sim::bundle::{CaseBundle, Choice};
use sim::meeting::Meeting;
use sim::scenario::{Close, Driver, LineStage, Marker, Stage};
use std::sync::Arc;

/// Which preparations a player makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Preps {
    /// The case's model preparations.
    Model,
    /// None at all.
    Nothing,
    /// The preparations on offer that the model does not make (up to the budget).
    Misfit,
}

/// What a player remembers between its turns.
pub struct Memory {
    plan: Vec<usize>,
    next: usize,
    said: u32,
    done: bool,
    rung_at: usize,
}

type Step = fn(&Meeting, &mut Memory) -> Option<usize>;

/// A course-breaking player.
pub struct Adversary {
    pub id: &'static str,
    /// The lesson it breaks, with its COURSE.md section: Chinese, English.
    pub breaks: (&'static str, &'static str),
    pub preps: Preps,
    step: Step,
    /// Whether the lesson applies to this case's debtor.
    applies: fn(&CaseBundle) -> bool,
    /// Its whole way of playing breaks the course, whether or not a course rule fires.
    whole_play: bool,
}

impl Adversary {
    /// Whether a meeting it played broke the course: a major or severe course rule broken (a
    /// minor slip on the way is no lesson broken), or (for the preparation players and the one
    /// that repeats a line) its whole way of playing.
    pub fn broke(&self, n: &Meeting) -> bool {
        let rules = &n.bundle.rubric.rules;
        let real_break = n.conduct.broken.iter().any(|&(_, r)| {
            rules
                .get(r)
                .is_some_and(|r| r.severity() >= sim::scenario::Severity::Major)
        });
        self.whole_play || self.preps != Preps::Model || real_break
    }

    /// Whether this player breaks the course in `bundle`'s case.
    pub fn applies(&self, bundle: &CaseBundle) -> bool {
        (self.applies)(bundle)
    }

    /// Plays a whole meeting.
    pub fn play(&self, bundle: &Arc<CaseBundle>, seed: u64) -> Meeting {
        let case = &bundle.case;
        let preps: Vec<String> = match self.preps {
            Preps::Model => case.model_preparations.clone(),
            Preps::Nothing => Vec::new(),
            Preps::Misfit => case
                .preparations
                .iter()
                .filter(|p| !case.model_preparations.contains(p))
                .take(usize::from(case.prep_budget))
                .cloned()
                .collect(),
        };
        let mut n = autoplay::start_or_unprepared(bundle, seed, &preps);
        let mut mem = Memory {
            plan: autoplay::model_plan(bundle),
            next: 0,
            said: 0,
            done: false,
            rung_at: 0,
        };
        while !n.is_over() {
            let Some(i) = (self.step)(&n, &mut mem).or_else(|| n.available().first().copied())
            else {
                break;
            };
            if n.respond(i, THINK_SECONDS).is_err() {
                break;
            }
            mem.said += 1;
        }
        n
    }
}

fn always(_: &CaseBundle) -> bool {
    true
}

fn honest(b: &CaseBundle) -> bool {
    !b.persona.malicious
}

fn choice(n: &Meeting, i: usize) -> &Choice {
    &n.bundle.choices[i]
}

fn is_threat(_: &Meeting, c: &Choice) -> bool {
    c.threat
}

/// A relationship line: polite or feeding the relationship, and neither asking nor closing.
fn is_soft(n: &Meeting, c: &Choice) -> bool {
    let t = &n.bundle.tactics[c.tactic];
    (t.polite || t.driver.unwrap_or(Driver::Relationship) == Driver::Relationship)
        && !c.threat
        && !t.asks
        && c.close.is_none()
        && c.sanction.is_none()
        && c.counters.is_none()
}

/// The first open line that satisfies `f`.
fn first(n: &Meeting, f: impl Fn(&Choice) -> bool) -> Option<usize> {
    n.available().into_iter().find(|&i| f(choice(n, i)))
}

/// The model's next line, with or without answering excuses.
fn model_next(n: &Meeting, m: &mut Memory, counters: bool) -> Option<usize> {
    if counters {
        return autoplay::model_step(n, &m.plan, &mut m.next);
    }
    while let Some(&line) = m.plan.get(m.next) {
        m.next += 1;
        if n.is_available(line) && choice(n, line).counters.is_none() {
            return Some(line);
        }
    }
    None
}

/// A closing request: ask for the money now, or settle the plan on the table.
fn close_now(n: &Meeting) -> Option<usize> {
    first(n, |c| c.close == Some(Close::AskNow))
        .or_else(|| first(n, |c| c.close == Some(Close::SettlePlan)))
}

/// The open rung of the ladder at `level` (1 stop supply … 5 legal).
fn rung(n: &Meeting, level: u8) -> Option<usize> {
    first(n, |c| c.sanction.is_some_and(|s| s.level() == level))
}

fn soft_only(n: &Meeting, m: &mut Memory) -> Option<usize> {
    if let Some(c) = autoplay::counter_for_open_excuse(n) {
        return Some(c);
    }
    // Flattery and goodwill first, then ask as if they had earned the money.
    if m.said >= 6
        && let Some(c) = close_now(n)
    {
        return Some(c);
    }
    first(n, |c| is_soft(n, c) && c.stage.stage().is_some())
        .or_else(|| first(n, |c| is_soft(n, c)))
        .or_else(|| close_now(n))
}

fn model_lines(n: &Meeting, m: &mut Memory) -> Option<usize> {
    model_next(n, m, true)
}

/// Hears every excuse out (a listening line) before answering it, and listens wherever it can.
fn listening_led(n: &Meeting, m: &mut Memory) -> Option<usize> {
    let listens = |c: &Choice| n.bundle.tactics[c.tactic].listening && c.counters.is_none();
    if n.progress.open_excuse.is_some()
        && !n.progress.excuse_heard
        && let Some(l) = first(n, listens)
    {
        return Some(l);
    }
    model_next(n, m, true)
}

/// Presses after every refusal: the next rung of the ladder in order, else the firmest
/// pressure line; otherwise the model's lines.
fn pressure_led(n: &Meeting, m: &mut Memory) -> Option<usize> {
    if n.progress.refused_last {
        let next = n.progress.sanction_level + 1;
        if let Some(r) = rung(n, next) {
            return Some(r);
        }
        let firm = n
            .available()
            .into_iter()
            .filter(|&i| is_threat(n, choice(n, i)) && choice(n, i).sanction.is_none())
            .max_by_key(|&i| (choice(n, i).intensity.min(2), std::cmp::Reverse(i)));
        if firm.is_some() {
            return firm;
        }
    }
    model_next(n, m, true)
}

fn early_threat(n: &Meeting, m: &mut Memory) -> Option<usize> {
    if m.said == 1 && n.progress.refusals == 0 {
        let strongest = n
            .available()
            .into_iter()
            .filter(|&i| is_threat(n, choice(n, i)) && choice(n, i).sanction.is_none())
            .max_by_key(|&i| (choice(n, i).intensity, std::cmp::Reverse(i)));
        if strongest.is_some() {
            return strongest;
        }
    }
    model_next(n, m, true)
}

/// The model until the first refusal; then the rungs in `order`, one after another, and the
/// closing request; the legal route when the rungs have run out and the debtor refuses again.
fn ladder(n: &Meeting, m: &mut Memory, order: &[u8]) -> Option<usize> {
    if n.progress.refusals == 0 {
        // Ask as soon as a close can be said, before any plan, so that a refusal comes early.
        if let Some(c) = first(n, |c| c.close == Some(Close::AskNow)) {
            return Some(c);
        }
        if n.progress.stage >= Stage::StatePurpose
            && let Some(c) = first(n, |c| {
                c.stage == LineStage::PaymentPlan
                    && !c
                        .sets
                        .iter()
                        .any(|m| matches!(m, Marker::PlanFull | Marker::PlanSplit))
                    && !is_threat(n, c)
                    && c.close.is_none()
            })
        {
            return Some(c);
        }
        return model_next(n, m, true);
    }
    if let Some(c) = autoplay::counter_for_open_excuse(n) {
        return Some(c);
    }
    // Once refused, its rungs in its order, one after another, then the ask.
    while let Some(&level) = order.get(m.rung_at) {
        m.rung_at += 1;
        if let Some(r) = rung(n, level) {
            return Some(r);
        }
    }
    if !n.progress.refused_last {
        return close_now(n);
    }
    first(n, |c| c.close == Some(Close::Escalate)).or_else(|| close_now(n))
}

fn rungs_skipped(n: &Meeting, m: &mut Memory) -> Option<usize> {
    ladder(n, m, &[4, 5])
}

fn rungs_reversed(n: &Meeting, m: &mut Memory) -> Option<usize> {
    ladder(n, m, &[1, 2, 1])
}

fn straight_to_legal(n: &Meeting, m: &mut Memory) -> Option<usize> {
    ladder(n, m, &[5])
}

fn contract(n: &Meeting, m: &mut Memory) -> Option<usize> {
    if !m.done
        && let Some(c) = first(n, |c| c.mentions_contract)
    {
        m.done = true;
        return Some(c);
    }
    model_next(n, m, true)
}

fn ask_before_facts(n: &Meeting, m: &mut Memory) -> Option<usize> {
    loop {
        let i = model_next(n, m, true)?;
        if !choice(n, i).sets.contains(&Marker::Facts) {
            return Some(i);
        }
    }
}

fn close_at_once(n: &Meeting, _: &mut Memory) -> Option<usize> {
    if n.progress.turn == 0 {
        return n.available().first().copied();
    }
    close_now(n).or_else(|| {
        // Hurry on to the stage where a close can be said.
        n.available()
            .into_iter()
            .filter(|&i| choice(n, i).stage != LineStage::Any && choice(n, i).counters.is_none())
            .max_by_key(|&i| (choice(n, i).stage.stage(), std::cmp::Reverse(i)))
    })
}

fn ignore_excuses(n: &Meeting, m: &mut Memory) -> Option<usize> {
    model_next(n, m, false)
}

fn accept_delay(n: &Meeting, m: &mut Memory) -> Option<usize> {
    if n.progress.plan.is_some()
        && let Some(c) = first(n, |c| c.close == Some(Close::AcceptDelay))
    {
        return Some(c);
    }
    model_next(n, m, true)
}

fn same_line(n: &Meeting, _: &mut Memory) -> Option<usize> {
    // The first line that can be said again and again, said every turn.
    let repeatable = |c: &Choice| {
        c.stage == LineStage::Any && c.close.is_none() && c.counters.is_none() && !is_threat(n, c)
    };
    first(n, repeatable)
}

/// Every course-breaking player.
pub fn all() -> Vec<Adversary> {
    let a = |id, breaks, preps, step: Step, applies: fn(&CaseBundle) -> bool| Adversary {
        id,
        breaks,
        preps,
        step,
        applies,
        whole_play: false,
    };
    vec![
        Adversary {
            whole_play: true,
            ..a(
                "soft_only",
                (
                    "§4 赞美用过头；§3 没有计划",
                    "§4 praise overused; §3 no plan",
                ),
                Preps::Model,
                soft_only,
                always,
            )
        },
        a(
            "no_preparation",
            ("§2 了解欠款人", "§2 know the debtor"),
            Preps::Nothing,
            model_lines,
            always,
        ),
        a(
            "unprepared_listening",
            (
                "§2 了解欠款人（只靠倾听）",
                "§2 know the debtor (listening-led)",
            ),
            Preps::Nothing,
            listening_led,
            always,
        ),
        a(
            "unprepared_pressure",
            (
                "§2 了解欠款人（只靠施压）",
                "§2 know the debtor (pressure-led)",
            ),
            Preps::Nothing,
            pressure_led,
            always,
        ),
        a(
            "misfit_preparation",
            ("§2 针对这位欠款人准备", "§2 prepare for this debtor"),
            Preps::Misfit,
            model_lines,
            always,
        ),
        a(
            "early_threat",
            (
                "§4 对诚实的欠款人过早施压",
                "§4 premature pressure at an honest debtor",
            ),
            Preps::Model,
            early_threat,
            honest,
        ),
        a(
            "rungs_skipped",
            ("§5 从最温和的一步开始", "§5 mildest first"),
            Preps::Model,
            rungs_skipped,
            always,
        ),
        a(
            "rungs_reversed",
            ("§5 从最温和的一步开始", "§5 mildest first"),
            Preps::Model,
            rungs_reversed,
            always,
        ),
        a(
            "straight_to_legal",
            ("§5 法律手段是最后一步", "§5 legal is the last rung"),
            Preps::Model,
            straight_to_legal,
            always,
        ),
        a(
            "contract_at_honest",
            (
                "§4 不对诚实的欠款人搬合同",
                "§4 no contract at an honest debtor",
            ),
            Preps::Model,
            contract,
            honest,
        ),
        a(
            "ask_before_facts",
            ("§3 先确认事实", "§3 confirm the facts first"),
            Preps::Model,
            ask_before_facts,
            always,
        ),
        Adversary {
            whole_play: true,
            ..a(
                "close_at_once",
                ("§3 谈话的结构", "§3 the conversation's structure"),
                Preps::Model,
                close_at_once,
                always,
            )
        },
        Adversary {
            whole_play: true,
            ..a(
                "ignore_excuses",
                ("§4 不轻信借口", "§4 do not believe excuses"),
                Preps::Model,
                ignore_excuses,
                always,
            )
        },
        a(
            "accept_vague_delay",
            ("§4 拒绝拖延方案", "§4 reject delay plans"),
            Preps::Model,
            accept_delay,
            always,
        ),
        Adversary {
            whole_play: true,
            ..a(
                "same_line",
                ("§3 把握节奏", "§3 keep the rhythm"),
                Preps::Model,
                same_line,
                always,
            )
        },
    ]
}

/// The player with this id, or an error listing them.
pub fn find(id: &str) -> Result<Adversary, String> {
    let players = all();
    let ids: Vec<&str> = players.iter().map(|a| a.id).collect();
    let hint = sim::did_you_mean(id, ids.iter().copied());
    let list = ids.join(", ");
    players
        .into_iter()
        .find(|a| a.id == id)
        .ok_or_else(|| format!("no course-breaking player \"{id}\"{hint}; the players are: {list}"))
}
