//! Browser play. The page at `/j/CODE` keeps the trainee's inputs (preparations, and each line
//! with its seconds); every turn it sends them all to `POST /api/sessions/{code}/replay`, which
//! replays them on the class's case and seed and answers with the [`Scene`] to show next.
//! The server keeps no meeting, so a reload, a second tab or a restarted server changes
//! nothing; the final result goes through the replay-verified submission like any other.

use crate::ClassState;
use crate::auth::authorise;
use crate::body::parse_body;
use crate::error::Fail;
use crate::handlers::results::check_choices;
use crate::lookup::{case_of, closed_reason, find_class};
use crate::names::check_name;
use crate::protocol::{
    Coaching, Ending, Exchange, Hesitation, MenuGroup, MenuLine, Meters, Replay, ReviewScene,
    ReviewTurn, RubricLine, Scene,
};
use analysis::coach;
use axum::Json;
use axum::body::Bytes;
use axum::extract::Path;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode};
use sim::meeting::{Event, Meeting, Utterance};
use sim::menu::menu;
use sim::rubric;
use sim::scenario::Stage;
use sim::text::{Lang, Text};
use sim::transcript::{
    describe_outcome, event_notes, excuse_on_table, excuse_standing, reply, utterance,
};

/// Where a meeting stands now.
fn progress(n: &Meeting, over: bool) -> crate::Progress {
    crate::Progress {
        turn: n.turns.len(),
        max_turns: n.bundle.case.max_turns,
        over,
        at: store::sqlite::now_unix(),
    }
}

/// A text built once per language.
fn both(f: impl Fn(Lang) -> String) -> Text {
    Text {
        zh: f(Lang::Zh),
        en: f(Lang::En),
    }
}

/// What the trainee sees after the meeting so far: the debtor, the dialogue, the lines open
/// now, and once it is over the debrief (with `coaching`, the one costly part, only if asked).
pub fn scene(n: &Meeting, coaching: bool) -> Scene {
    let b = &n.bundle;
    let contact = b.vars.get("contact").cloned().unwrap_or_default();
    let mood = n.mood();
    let s = &n.state;
    let dy = &b.dynamics;
    Scene {
        turn: n.turns.len(),
        max_turns: b.case.max_turns,
        stages: Stage::ALL.iter().map(|s| s.name()).collect(),
        stage: Stage::ALL
            .iter()
            .position(|&x| x == n.progress.stage)
            .unwrap_or(0),
        contact,
        persona: b.persona.name.clone(),
        mood: mood.name(),
        mood_key: format!("{mood:?}").to_lowercase(),
        pad: [s.mood.pleasure, s.mood.arousal, s.mood.dominance],
        meters: Meters {
            mood: (s.mood.pleasure + 1.0) / 2.0,
            face: s.face,
            trust: s.trust,
            patience: s.patience,
        },
        hesitation: Hesitation {
            grace: dy.hesitation_grace,
            ramp: dy.hesitation_ramp,
            cost: dy.hesitation_cost,
            max: sim::meeting::MAX_THOUGHT_SECONDS,
        },
        excuse: n.progress.open_excuse.and_then(|_| {
            Some(Text {
                zh: excuse_on_table(n, Lang::Zh)?,
                en: excuse_on_table(n, Lang::En)?,
            })
        }),
        excuse_standing: excuse_standing(n, Lang::Zh)
            .zip(excuse_standing(n, Lang::En))
            .map(|(zh, en)| Text { zh, en }),
        dialogue: dialogue(n),
        menu: if n.is_over() { Vec::new() } else { lines(n) },
        end: n.is_over().then(|| ending(n, coaching)),
    }
}

/// The greeting, then each turn: the line, its tactic, what it did and the reply.
fn dialogue(n: &Meeting) -> Vec<Exchange> {
    let b = &n.bundle;
    let greeting = Exchange {
        said: None,
        tactic: None,
        reply: Some(both(|l| utterance(n, &n.greeting, l))),
        notes: Vec::new(),
        excuse: matches!(n.greeting, Utterance::Excuse { .. }),
    };
    let turns = n.turns.iter().map(|t| {
        let c = &b.choices[t.choice];
        let zh = event_notes(n, &t.events, Lang::Zh);
        let en = event_notes(n, &t.events, Lang::En);
        Exchange {
            said: Some(b.say_both(&c.text)),
            tactic: Some(b.tactics[c.tactic].name.clone()),
            reply: reply(n, &t.events, Lang::Zh).map(|zh| Text {
                zh,
                en: reply(n, &t.events, Lang::En).unwrap_or_default(),
            }),
            notes: zh
                .into_iter()
                .zip(en)
                .map(|(zh, en)| Text { zh, en })
                .collect(),
            excuse: t
                .events
                .iter()
                .any(|e| matches!(e, Event::Reply(Utterance::Excuse { .. }))),
        }
    });
    std::iter::once(greeting).chain(turns).collect()
}

/// The open lines in the engine's menu order (the counters to the excuse first, as in the game
/// and the terminal; the class plays in practice mode, so hints are on).
fn lines(n: &Meeting) -> Vec<MenuGroup> {
    let b = &n.bundle;
    menu(n, true)
        .into_iter()
        .map(|g| MenuGroup {
            title: g.title,
            counters: g.counters,
            lines: g
                .lines
                .iter()
                .map(|&i| {
                    let c = &b.choices[i];
                    MenuLine {
                        id: c.id.clone(),
                        text: b.say_both(&c.text),
                        tactic: b.tactics[c.tactic].id.clone(),
                        tactic_name: b.tactics[c.tactic].name.clone(),
                    }
                })
                .collect(),
        })
        .collect()
}

/// The debrief of a finished meeting.
fn ending(n: &Meeting, coaching: bool) -> Ending {
    let score = rubric::score(n);
    let outcome = n.outcome;
    let states = std::iter::once(n.start).chain(n.turns.iter().map(|t| t.after));
    Ending {
        outcome: outcome.map_or_else(Text::default, |o| both(|l| describe_outcome(&o, l))),
        outcome_kind: outcome.map_or("unfinished", |o| o.kind()).to_owned(),
        recovered: outcome.map_or(0, |o| o.paid()),
        score: score.total,
        grade: score.grade,
        grade_label: score.grade_label,
        items: score
            .items
            .into_iter()
            .map(|it| RubricLine {
                name: it.name,
                points: it.points,
                max: it.max,
                arose: it.arose,
                missed: it.missed,
                note: it.note,
                principle: it.principle,
            })
            .collect(),
        curve: states
            .map(|s| {
                [
                    (s.mood.pleasure + 1.0) / 2.0,
                    s.trust,
                    s.face,
                    s.patience,
                    s.willingness,
                ]
            })
            .collect(),
        coaching: None,
        review: None,
    }
    .with_review(n, coaching)
}

impl Ending {
    /// Adds the turn-by-turn review (when asked: it is the one costly part of a debrief).
    fn with_review(mut self, n: &Meeting, wanted: bool) -> Ending {
        if wanted {
            let r = reviewed(n);
            self.coaching = r.coached.first().cloned();
            self.review = Some(r);
        }
        self
    }
}

/// The turn-by-turn review, in both languages.
fn reviewed(n: &Meeting) -> ReviewScene {
    let r = coach::review(n);
    let zh = coach::ReviewView::of(n, &r, Lang::Zh);
    let en = coach::ReviewView::of(n, &r, Lang::En);
    ReviewScene {
        accuracy: r.accuracy,
        summary: Text {
            zh: zh.summary(Lang::Zh),
            en: en.summary(Lang::En),
        },
        turns: zh
            .turns
            .iter()
            .zip(&en.turns)
            .map(|(z, e)| ReviewTurn {
                turn: z.turn,
                mark: serde_json::to_value(z.mark)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
                mark_name: Text {
                    zh: z.mark_name.clone(),
                    en: e.mark_name.clone(),
                },
                cost: z.cost,
            })
            .collect(),
        coached: zh
            .coached
            .iter()
            .zip(&en.coached)
            .map(|(z, e)| Coaching {
                turn: z.turn,
                heading: Text {
                    zh: z.heading(Lang::Zh),
                    en: e.heading(Lang::En),
                },
                said: Text {
                    zh: z.said_text.clone(),
                    en: e.said_text.clone(),
                },
                better: Text {
                    zh: z.better_text.clone(),
                    en: e.better_text.clone(),
                },
                better_score: z.better_score,
                principle: Text {
                    zh: z.principle.clone(),
                    en: e.principle.clone(),
                },
            })
            .collect(),
    }
}

/// Debriefs with coaching computed at once (the coaching search takes milliseconds, not
/// microseconds; the rest wait, and turns in progress never do).
pub(crate) static COACHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(2);

/// `POST /api/sessions/{code}/replay`: the scene after the trainee's inputs so far.
pub async fn replay(
    axum::extract::State(state): axum::extract::State<ClassState>,
    Path(code): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Scene>, Fail> {
    let req: Replay = parse_body(&headers, body)?;
    let class = find_class(&state, &code).await?;
    let trainee = check_name(&req.trainee).map_err(Fail::bad_name)?;
    authorise(&state, &class, &trainee, &headers).await?;
    check_choices(&req.choices)?;
    let bundle = case_of(&state, &class)?;
    let n = req
        .script()
        .replay(bundle, class.seed)
        .map_err(|e| Fail::unprocessable(format!("illegal replay: {e}")))?;
    let live = state.live(&class.code);
    if !n.is_over() {
        // Meetings stop at the deadline (a finished one's debrief can still be read).
        if let Some(closed) = closed_reason(&class) {
            return Err(closed);
        }
        live.progressed(&trainee, progress(&n, false));
        return Ok(Json(scene(&n, false)));
    }
    live.progressed(&trainee, progress(&n, true));
    let Ok(_turn) = COACHING.acquire().await else {
        return Err(Fail::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "the server is shutting down",
        ));
    };
    match tokio::task::spawn_blocking(move || scene(&n, true)).await {
        Ok(s) => Ok(Json(s)),
        Err(e) => Err(Fail::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the debrief failed: {e}"),
        )),
    }
}
