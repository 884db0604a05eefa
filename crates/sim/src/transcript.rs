//! A finished (or running) meeting rendered in one language: what each side said, what every
//! line did to the debtor, the outcome and the score. This is what `play --json` prints.

use crate::debtor::DebtorState;
use crate::meeting::{Event, Meeting, Outcome, Utterance};
use crate::rubric::{Score, score};
use crate::scenario::Effect;
use crate::text::{Lang, yuan};
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TurnView {
    pub turn: usize,
    pub choice: String,
    pub tactic: String,
    pub elapsed: f64,
    pub trainee: String,
    pub debtor: String,
    pub stage: String,
    pub mood: String,
    /// Why the line worked or backfired (rules that fired, excuses met or ignored).
    pub notes: Vec<String>,
    pub change: Effect,
    pub state: DebtorState,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Transcript {
    pub case: String,
    pub seed: u64,
    pub lang: Lang,
    pub preparations: Vec<String>,
    pub greeting: String,
    pub outcome: Option<String>,
    pub outcome_kind: Option<String>,
    pub recovered: u64,
    pub transcript: Vec<TurnView>,
    pub score: Score,
    pub grade: String,
}

/// The debtor's words for an utterance.
pub fn utterance(n: &Meeting, u: &Utterance, lang: Lang) -> String {
    let b = &n.bundle;
    match u {
        Utterance::Voice { reaction, variant } => b
            .voice(*reaction)
            .get(*variant)
            .map(|t| b.say(t, lang))
            .unwrap_or_default(),
        Utterance::Excuse { excuse, again } => b
            .persona
            .excuses
            .get(*excuse)
            .map(|e| match (&e.again, again) {
                (Some(t), true) => b.say(t, lang),
                _ => b.say(&e.text, lang),
            })
            .unwrap_or_default(),
        Utterance::Defused { choice } => b
            .choices
            .get(*choice)
            .and_then(|c| c.counters.as_ref())
            .map(|(_, _, reply)| b.say(reply, lang))
            .unwrap_or_default(),
        Utterance::Answer {
            answer, variant, ..
        } => b
            .answer_text(*answer, *variant)
            .map(|t| b.say(t, lang))
            .unwrap_or_default(),
    }
}

/// The debtor's whole reply in a turn's events: what turned them round (when they agree after
/// a rebuff), then their words.
pub fn reply(n: &Meeting, events: &[Event], lang: Lang) -> Option<String> {
    let b = &n.bundle;
    let because = events.iter().find_map(|e| match e {
        Event::MindChanged { driver } => b.turnaround.get(driver).map(|t| b.say(t, lang)),
        _ => None,
    });
    let words = utterance(n, &crate::meeting::reply_in(events)?, lang);
    Some(match because {
        Some(c) if lang == Lang::Zh => format!("{c}{words}"),
        Some(c) => format!("{c} {words}"),
        None => words,
    })
}

/// The excuse on the table, in the words the debtor used (an excuse raised again may have its
/// own); `None` when no excuse is open.
pub fn excuse_on_table(n: &Meeting, lang: Lang) -> Option<String> {
    let ex = n.progress.open_excuse?;
    Some(match n.last_reply() {
        Some(u @ Utterance::Excuse { .. }) => utterance(n, &u, lang),
        _ => n.bundle.say(&n.bundle.persona.excuses[ex].text, lang),
    })
}

/// How the excuse on the table stands: how many turns it has been on the table, and whether
/// it was heard or left unanswered; None when no excuse is open or it was just raised.
pub fn excuse_standing(n: &Meeting, lang: Lang) -> Option<String> {
    n.progress.open_excuse?;
    let m = &n.progress;
    let turns = m.turn.saturating_sub(m.excuse_since);
    if turns == 0 {
        return None;
    }
    let s = if turns == 1 { "" } else { "s" };
    Some(match (lang, m.excuse_heard, m.excuse_left) {
        (Lang::Zh, true, _) => format!("已在桌上 {turns} 轮：你听了，但还没有回应"),
        (Lang::En, true, _) => {
            format!("on the table for {turns} turn{s}: heard, not yet answered")
        }
        (Lang::Zh, false, left) => format!("已在桌上 {turns} 轮，{left} 轮没有回应"),
        (Lang::En, false, left) => {
            format!("on the table for {turns} turn{s}, unanswered for {left}")
        }
    })
}

/// One sentence describing an outcome.
pub fn describe_outcome(o: &Outcome, lang: Lang) -> String {
    let promise = |c: &crate::meeting::Commitment| -> String {
        let (date, person) = match lang {
            Lang::Zh => (
                if c.dated {
                    "有明确日期"
                } else {
                    "没有日期"
                },
                if c.person {
                    "付款人已确认"
                } else {
                    "付款人未确认"
                },
            ),
            Lang::En => (
                if c.dated { "dated" } else { "no date" },
                if c.person {
                    "payer named"
                } else {
                    "payer not named"
                },
            ),
        };
        let cred = crate::rubric::percent(c.credibility);
        match lang {
            Lang::Zh => format!(
                "承诺付款 {}（{date}，{person}，可信度 {cred}%）",
                yuan(c.amount)
            ),
            Lang::En => format!(
                "a promise of {} ({date}, {person}, credibility {cred}%)",
                yuan(c.amount)
            ),
        }
    };
    match (o, lang) {
        (Outcome::PaidInFull { paid }, Lang::Zh) => format!("当场全额回款 {}", yuan(*paid)),
        (Outcome::PaidInFull { paid }, Lang::En) => format!("paid in full now: {}", yuan(*paid)),
        (Outcome::Partial { paid, promise: p }, Lang::Zh) => format!(
            "当场回款 {}；余款：{}",
            yuan(*paid),
            p.as_ref().map_or("没有承诺".into(), promise)
        ),
        (Outcome::Partial { paid, promise: p }, Lang::En) => format!(
            "{} paid now; the rest: {}",
            yuan(*paid),
            p.as_ref().map_or("no promise".into(), promise)
        ),
        (Outcome::Committed(c), _) => promise(c),
        (Outcome::NoDeal, Lang::Zh) => "没有达成任何协议".into(),
        (Outcome::NoDeal, Lang::En) => "no agreement".into(),
        (Outcome::WalkOut, Lang::Zh) => "对方失去耐心，离席而去".into(),
        (Outcome::WalkOut, Lang::En) => "the debtor lost patience and walked out".into(),
        (Outcome::Escalated, Lang::Zh) => "转入法律程序".into(),
        (Outcome::Escalated, Lang::En) => "handed to the legal route".into(),
    }
}

/// Notes explaining what happened in a turn.
pub fn event_notes(n: &Meeting, events: &[Event], lang: Lang) -> Vec<String> {
    let b = &n.bundle;
    let mut notes = Vec::new();
    for e in events {
        let note = match e {
            // A pause that cost under half a percent of patience is not worth a note.
            Event::Hesitated { patience_lost } if *patience_lost >= 0.005 => Some(match lang {
                Lang::Zh => format!("犹豫太久，对方耐心 -{:.0}%", patience_lost * 100.0),
                Lang::En => format!("hesitated: patience -{:.0}%", patience_lost * 100.0),
            }),
            Event::Hesitated { .. } => None,
            Event::ExcuseDefused { excuse } => b.persona.excuses.get(*excuse).map(|x| {
                let said = b.say(&x.text, lang);
                match lang {
                    Lang::Zh => format!("化解了借口：「{said}」"),
                    Lang::En => format!("defused the excuse: \"{said}\""),
                }
            }),
            Event::ExcuseHeard { excuse } => b.persona.excuses.get(*excuse).map(|x| {
                let said = b.say(&x.text, lang);
                match lang {
                    Lang::Zh => format!("听了对方的难处，借口还摆在桌上，等你回应：「{said}」"),
                    Lang::En => format!(
                        "you heard them out; the excuse is still on the table for an answer: \"{said}\""
                    ),
                }
            }),
            Event::ExcuseStanding { excuse, turns } => b.persona.excuses.get(*excuse).map(|x| {
                let said = b.say(&x.text, lang);
                match lang {
                    Lang::Zh => format!("借口已经晾了 {turns} 轮，越拖代价越大：「{said}」"),
                    Lang::En => format!(
                        "this excuse has stood unanswered for {turns} turn{}, and costs more the longer it stands: \"{said}\"",
                        if *turns == 1 { "" } else { "s" }
                    ),
                }
            }),
            Event::RuleFired { tactic, rule } => b
                .tactics
                .get(*tactic)
                .and_then(|t| t.rules.get(*rule))
                .map(|r| r.why.get(lang).to_owned()),
            Event::Refused => Some(match lang {
                Lang::Zh => "对方拒绝了这个要求".into(),
                Lang::En => "the debtor refused this request".into(),
            }),
            Event::CourseRuleBroken { rule } => b.rubric.rules.get(*rule).map(|r| {
                let name = r.name.get(lang);
                let why = r.why.get(lang);
                let sev = r.severity().name();
                match lang {
                    Lang::Zh => {
                        format!("违反课程规则（{}，{}）「{name}」：{why}", r.section, sev.zh)
                    }
                    Lang::En => format!(
                        "broke a {} course rule ({}), \"{name}\": {why}",
                        sev.en, r.section
                    ),
                }
            }),
            Event::SanctionReached(s) => Some(match lang {
                Lang::Zh => format!("惩戒措施升级到第 {} 级", s.level()),
                Lang::En => format!("sanctions ladder: step {}", s.level()),
            }),
            Event::MindChanged { driver } => {
                let d = driver.name();
                Some(match lang {
                    Lang::Zh => format!("对方回心转意：{}", d.get(lang)),
                    Lang::En => format!("what turned the debtor round: {}", d.get(lang)),
                })
            }
            Event::StageReached(_) | Event::Reply(_) | Event::Ended(_) => None,
        };
        notes.extend(note);
    }
    notes
}

impl Transcript {
    pub fn of(n: &Meeting, lang: Lang) -> Transcript {
        let b = &n.bundle;
        let mut prev = n.start;
        let turns = n
            .turns
            .iter()
            .enumerate()
            .map(|(k, t)| {
                let ch = &b.choices[t.choice];
                let debtor = reply(n, &t.events, lang).unwrap_or_default();
                let view = TurnView {
                    turn: k + 1,
                    choice: ch.id.clone(),
                    tactic: b.tactics[ch.tactic].id.clone(),
                    elapsed: t.elapsed,
                    trainee: b.say(&ch.text, lang),
                    debtor,
                    stage: t.stage.name().get(lang).to_owned(),
                    mood: t.after.mood_name().name().get(lang).to_owned(),
                    notes: event_notes(n, &t.events, lang),
                    change: round_effect(t.after.minus(&prev)),
                    state: t.after,
                };
                prev = t.after;
                view
            })
            .collect();
        let score = score(n);
        Transcript {
            case: b.case.id.clone(),
            seed: n.seed,
            lang,
            preparations: n.preparations.to_vec(),
            greeting: utterance(n, &n.greeting, lang),
            outcome: n.outcome.map(|o| describe_outcome(&o, lang)),
            outcome_kind: n.outcome.map(|o| o.kind().to_owned()),
            recovered: n.outcome.map_or(0, |o| o.paid()),
            transcript: turns,
            grade: score.grade.clone(),
            score,
        }
    }
}

fn round_effect(e: Effect) -> Effect {
    let r = |v: f64| (v * 1000.0).round() / 1000.0;
    Effect {
        pleasure: r(e.pleasure),
        arousal: r(e.arousal),
        dominance: r(e.dominance),
        face: r(e.face),
        trust: r(e.trust),
        willingness: r(e.willingness),
        patience: r(e.patience),
        ability: r(e.ability),
    }
}
