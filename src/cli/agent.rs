//! `play --agent`: a meeting spoken as JSON lines on stdin/stdout, for researchers' and
//! trainers' own players. The program writes what a trainee can see and reads the agent's
//! choices; every error is a JSON line too, and the last line is always `{"type": "end", …}`.
//!
//! Out: `case` (once; answer `{"preparations": [ids]}`), `turn` (answer `{"line": ID,
//! "seconds": S}`), `error` (answer again), `end` (the debtor's last words, outcome, score).

use serde::Deserialize;
use serde_json::{Value, json};
use sim::CaseBundle;
use sim::meeting::{Event, Meeting};
use sim::rubric::score;
use sim::text::Lang;
use sim::transcript::{describe_outcome, reply, utterance};
use std::io::{self, BufRead, Write};
use std::sync::Arc;

/// Why an agent meeting stopped before its end.
#[derive(Debug, thiserror::Error)]
pub enum AgentError {
    #[error("the input ended before the meeting was over")]
    InputEnded,
    #[error(transparent)]
    Io(#[from] io::Error),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Preparations {
    preparations: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Say {
    line: String,
    /// Required: how long the line took to choose, 0–3600.
    seconds: f64,
}

fn send(out: &mut impl Write, v: &Value) -> io::Result<()> {
    writeln!(out, "{v}")?;
    out.flush()
}

fn error(out: &mut impl Write, msg: impl std::fmt::Display) -> io::Result<()> {
    send(out, &json!({"type": "error", "error": msg.to_string()}))
}

/// Reads the next non-empty line as `T`; bad JSON is answered with an error line and read again.
fn read<T: for<'de> Deserialize<'de>>(
    input: &mut impl BufRead,
    out: &mut impl Write,
) -> Result<T, AgentError> {
    loop {
        let mut s = String::new();
        if input.read_line(&mut s)? == 0 {
            return Err(AgentError::InputEnded);
        }
        if s.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<T>(&s) {
            Ok(v) => return Ok(v),
            Err(e) => error(out, format!("could not read that line as JSON: {e}"))?,
        }
    }
}

/// What the trainee sees of the case before the meeting.
fn case_message(b: &CaseBundle, seed: u64, lang: Lang) -> Value {
    let c = &b.case;
    json!({
        "type": "case",
        "case": c.id,
        "seed": seed,
        "title": c.title.get(lang),
        "brief": c.brief.get(lang),
        "sections": c.sections.iter().map(|s| json!({"title": s.title.get(lang), "body": s.body.get(lang)})).collect::<Vec<_>>(),
        "persona": b.persona.name.get(lang),
        "amount": c.amount,
        "preparations": b.offered.iter().map(|&i| {
            let p = &b.preparations[i];
            json!({"id": p.id, "name": p.name.get(lang), "description": p.description.get(lang)})
        }).collect::<Vec<_>>(),
        "budget": c.prep_budget,
    })
}

/// What the trainee sees at a turn: the debtor's words, the meters, the stage, the excuse on
/// the table and every line open now.
pub fn turn_message(n: &Meeting, said: Option<&str>, refused: bool, lang: Lang) -> Value {
    let b = &n.bundle;
    let s = &n.state;
    let lines: Vec<Value> = n
        .available()
        .into_iter()
        .map(|i| {
            let c = &b.choices[i];
            json!({
                "id": c.id,
                "tactic": b.tactics[c.tactic].id,
                "stage": c.stage.stage().map(|st| format!("{st:?}")),
                "rung": c.sanction.map(|r| r.level()),
                "close": c.close.map(|k| format!("{k:?}")),
                "counters_excuse": c.counters.is_some(),
                "text": b.say(&c.text, lang),
            })
        })
        .collect();
    let m = &n.progress;
    let excuse = m
        .open_excuse
        .and_then(|e| b.persona.excuses.get(e))
        .map(|e| {
            json!({
                "id": e.id,
                "text": b.say(&e.text, lang),
                "standing": true,
                "turns": m.turn.saturating_sub(m.excuse_since),
                "unanswered": m.excuse_left,
                "heard": m.excuse_heard,
            })
        });
    json!({
        "type": "turn",
        "turn": n.progress.turn + 1,
        "debtor": said,
        "refused": refused,
        "meters": {
            "mood": s.mood_name().name().get(lang),
            "pleasure": round3(s.mood.pleasure),
            "face": round3(s.face),
            "trust": round3(s.trust),
            "patience": round3(s.patience),
        },
        "stage": format!("{:?}", n.progress.stage),
        "excuse": excuse,
        "lines": lines,
    })
}

fn round3(v: f64) -> f64 {
    (v * 1000.0).round() / 1000.0
}

/// The final line: the outcome and the score, or how far the meeting got.
fn end_message(n: &Meeting, lang: Lang, finished: bool) -> Value {
    let s = score(n);
    let rules: Vec<&str> = n
        .conduct
        .broken
        .iter()
        .filter_map(|(_, r)| n.bundle.rubric.rules.get(*r).map(|r| r.id.as_str()))
        .collect();
    json!({
        "type": "end",
        "finished": finished,
        "turns": n.progress.turn,
        "outcome": n.outcome.map(|o| describe_outcome(&o, lang)),
        "outcome_kind": n.outcome.map(|o| o.kind()),
        "recovered": n.outcome.map_or(0, |o| o.paid()),
        "score": s.total,
        "grade": s.grade,
        "items": s.items.iter().map(|i| json!({"id": i.id, "points": i.points, "max": i.max})).collect::<Vec<_>>(),
        "rules_broken": rules,
    })
}

/// Runs one meeting with an agent. The final `end` line is written whatever happens.
pub fn run(
    bundle: Arc<CaseBundle>,
    seed: u64,
    lang: Lang,
    input: &mut impl BufRead,
    out: &mut impl Write,
) -> Result<Meeting, AgentError> {
    send(out, &case_message(&bundle, seed, lang))?;
    let mut n = loop {
        let p: Preparations = match read(input, out) {
            Ok(p) => p,
            Err(e) => {
                let empty = Meeting::new(Arc::clone(&bundle), seed, &[]);
                if let Ok(n) = &empty {
                    error(out, &e)?;
                    send(out, &end_message(n, lang, false))?;
                }
                return Err(e);
            }
        };
        match Meeting::new(Arc::clone(&bundle), seed, &p.preparations) {
            Ok(n) => break n,
            Err(e) => error(out, format!("preparations: {e}"))?,
        }
    };
    let mut said = Some(utterance(&n, &n.greeting, lang));
    let mut refused = false;
    while !n.is_over() {
        send(out, &turn_message(&n, said.as_deref(), refused, lang))?;
        let say: Say = match read(input, out) {
            Ok(s) => s,
            Err(e) => {
                error(out, &e)?;
                send(out, &end_message(&n, lang, false))?;
                return Err(e);
            }
        };
        if !(0.0..=sim::meeting::MAX_THOUGHT_SECONDS).contains(&say.seconds) {
            error(
                out,
                format!(
                    "seconds: {} is out of range: give the seconds the line took, 0 to 3600",
                    say.seconds
                ),
            )?;
            continue;
        }
        match n.respond_id(&say.line, say.seconds) {
            Ok(events) => {
                refused = events.iter().any(|e| matches!(e, Event::Refused));
                said = reply(&n, &events, lang);
            }
            Err(e) => error(out, format!("line: {e}"))?,
        }
    }
    let mut end = end_message(&n, lang, true);
    end["debtor"] = json!(said);
    send(out, &end)?;
    Ok(n)
}
