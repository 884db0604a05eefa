//! Trainees and their results: join a class, submit a meeting (replayed and scored here).

use crate::ClassState;
use crate::auth::authorise;
use crate::body::JsonBody;
use crate::error::{Fail, rng_fail};
use crate::handlers::live::loaded;
use crate::lookup::{case_of, closed_reason, find_class, view};
use crate::names::check_name;
use crate::protocol::{Join, Joined, Receipt, Said, Submission, random_token};
use crate::storage::blocking;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use sim::result::Summary;
use sim::text::Text;
use store::class::{ClassInfo, Joining, StoredResult, Submitted};

/// Most lines in one submission (no case allows more turns).
pub const CHOICES_MAX: usize = 200;

pub fn check_key(key: &str) -> Result<(), String> {
    let ok = (8..=64).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if ok {
        Ok(())
    } else {
        Err("idempotency_key: 8 to 64 characters of A-Z, a-z, 0-9, _ and -".into())
    }
}

/// A trainee takes a name in the class and gets the token that submits under it.
pub async fn join(
    State(state): State<ClassState>,
    Path(code): Path<String>,
    JsonBody(req): JsonBody<Join>,
) -> Result<(StatusCode, Json<Joined>), Fail> {
    let class = find_class(&state, &code).await?;
    if let Some(closed) = closed_reason(&class) {
        return Err(closed);
    }
    let trainee = check_name(&req.trainee).map_err(Fail::bad_name)?;
    let live = state.live(&class.code);
    // One name joins at a time, so two look-alikes cannot both pass the check.
    let _joining = live.joining.lock().await;
    newcomer(&state, &class, &live, &trainee).await?;
    unlike_joined(&state, &class, &trainee).await?;
    let token = random_token(16).map_err(rng_fail)?;
    let store = state.store.clone();
    let (c, t, k) = (class.code.clone(), trainee.clone(), token.clone());
    match blocking(move || store.join(&c, &t, &k, TRAINEES_PER_SESSION)).await? {
        Joining::Joined => {}
        Joining::NameTaken => {
            return Err(Fail::told(
                StatusCode::CONFLICT,
                "name_taken",
                Text::new(
                    format!(
                        "“{trainee}”已经在课堂 {} 加入了（在另一台设备上？）；请换个名字，或者在\
                         加入的那台设备上继续",
                        class.code
                    ),
                    format!(
                        "trainee: \"{trainee}\" has already joined class {} (on another \
                         computer?); join with another name, or submit from the computer that \
                         joined",
                        class.code
                    ),
                ),
            ));
        }
        Joining::Full => return Err(full(&class)),
    }
    // A released name joined again: its new token replaces whatever was kept.
    live.forget_token(&trainee);
    if let Some((t, _)) = live.tally.lock().await.as_mut() {
        t.join(&trainee);
    }
    live.changed();
    Ok((
        StatusCode::CREATED,
        Json(Joined {
            trainee,
            token,
            class: view(&state, &class),
        }),
    ))
}

pub type Answer = Result<(StatusCode, Json<Receipt>), Fail>;

pub async fn submit(
    State(state): State<ClassState>,
    Path(code): Path<String>,
    headers: HeaderMap,
    JsonBody(sub): JsonBody<Submission>,
) -> Answer {
    let class = find_class(&state, &code).await?;
    let trainee = check_name(&sub.trainee).map_err(Fail::bad_name)?;
    authorise(&state, &class, &trainee, &headers).await?;
    if let Some(closed) = closed_reason(&class) {
        // A resend of an acknowledged attempt still gets its stored result.
        return match resend(&state, &class, &trainee, &sub).await? {
            Some(answer) => placed(&state, &class, &trainee, answer).await,
            None => Err(closed),
        };
    }
    check_key(&sub.idempotency_key).map_err(Fail::unprocessable)?;
    // The name was checked when its owner joined (the token says this is the owner): an
    // attempt is never refused for the name it joined with.
    let live = state.live(&class.code);
    check_choices(&sub.choices)?;
    let bundle = case_of(&state, &class)?;
    let script = sub.script();
    let n = script
        .replay(bundle, class.seed)
        .map_err(|e| Fail::unprocessable(format!("illegal replay: {e}")))?;
    if !n.is_over() {
        return Err(Fail::unprocessable(format!(
            "illegal replay: the meeting is not over after {} lines; submit whole meetings only",
            n.turns.len()
        )));
    }
    let summary = Summary::of(&n);
    let store = state.store.clone();
    let (c, key) = (class.code.clone(), sub.idempotency_key.clone());
    let (t, sc, sm) = (trainee.clone(), script, summary);
    let outcome = blocking(move || store.submit(&c, &key, &t, &sc, &sm)).await?;
    if let Submitted::New { result, .. } = &outcome {
        live.add(result).await;
    }
    placed(&state, &class, &trainee, answer(outcome)).await
}

/// The receipt with the trainee's place on the board (by best attempt, as the projector
/// ranks), rather than this attempt's place among all attempts.
async fn placed(state: &ClassState, class: &ClassInfo, trainee: &str, a: Answer) -> Answer {
    let (status, Json(mut receipt)) = a?;
    let live = state.live(&class.code);
    let tally = loaded(state, class, &live).await?;
    if let Some((rank, of)) = tally.as_ref().and_then(|(t, _)| t.place(trainee)) {
        receipt.rank = rank;
        receipt.of = of;
    }
    Ok((status, Json(receipt)))
}

/// At most [`CHOICES_MAX`] lines, each chosen within 0 to 3600 seconds.
pub fn check_choices(choices: &[Said]) -> Result<(), Fail> {
    if choices.len() > CHOICES_MAX {
        return Err(Fail::unprocessable(format!(
            "choices: at most {CHOICES_MAX} lines"
        )));
    }
    if let Some((k, s)) = choices
        .iter()
        .enumerate()
        .find(|(_, s)| !(s.seconds.is_finite() && (0.0..=3600.0).contains(&s.seconds)))
    {
        return Err(Fail::unprocessable(format!(
            "choices[{k}].seconds: from 0 to 3600 (got {})",
            s.seconds
        )));
    }
    Ok(())
}

/// Most trainees on one class's board (a name already there may always try again).
pub const TRAINEES_PER_SESSION: usize = 500;

/// A name new to the board must leave room under the cap and not look like a name already on it.
pub async fn newcomer(
    state: &ClassState,
    class: &ClassInfo,
    live: &crate::Live,
    trainee: &str,
) -> Result<(), Fail> {
    let tally = loaded(state, class, live).await?;
    let Some((t, _)) = tally.as_ref() else {
        return Ok(());
    };
    if let Some(other) = t.lookalike(trainee) {
        return Err(look_alike_refused(trainee, other));
    }
    if !t.has(trainee) && t.trainees() >= TRAINEES_PER_SESSION {
        return Err(full(class));
    }
    Ok(())
}

/// A new name must not look like any name that already joined (with a result or not).
async fn unlike_joined(state: &ClassState, class: &ClassInfo, trainee: &str) -> Result<(), Fail> {
    let store = state.store.clone();
    let code = class.code.clone();
    let joined = blocking(move || store.joined(&code)).await?;
    match joined
        .iter()
        .find(|other| other.as_str() != trainee && crate::names::look_alike(other, trainee))
    {
        Some(other) => Err(look_alike_refused(trainee, other)),
        None => Ok(()),
    }
}

/// The refusal of a name that looks like another's on the projector.
fn look_alike_refused(trainee: &str, other: &str) -> Fail {
    Fail::told(
        StatusCode::UNPROCESSABLE_ENTITY,
        "name_look_alike",
        Text::new(
            format!("“{trainee}”看起来和已加入的“{other}”一样；请换一个能区分开的名字"),
            format!(
                "trainee: \"{trainee}\" looks the same as \"{other}\", who already joined this \
                 class; choose a name that can be told apart"
            ),
        ),
    )
}

/// The refusal when a class has as many trainees as it may.
fn full(class: &ClassInfo) -> Fail {
    Fail::told(
        StatusCode::FORBIDDEN,
        "full",
        Text::new(
            format!(
                "课堂 {} 已有 {TRAINEES_PER_SESSION} 名学员，人数已满；请向培训师要另一个课堂",
                class.code
            ),
            format!(
                "session {} already has {TRAINEES_PER_SESSION} trainees; ask the trainer for \
                 another session",
                class.code
            ),
        ),
    )
}

/// The stored answer to `trainee`'s attempt sent again, or `None` when its key is new.
pub async fn resend(
    state: &ClassState,
    class: &ClassInfo,
    trainee: &str,
    sub: &Submission,
) -> Result<Option<Answer>, Fail> {
    let store = state.store.clone();
    let (c, key, script, trainee) = (
        class.code.clone(),
        sub.idempotency_key.clone(),
        sub.script(),
        trainee.to_owned(),
    );
    let earlier = blocking(move || store.resent(&c, &key, &trainee, &script)).await?;
    Ok(earlier.map(answer))
}

/// The HTTP answer to what the store did with a submission.
pub fn answer(outcome: Submitted) -> Answer {
    let receipt = |r: StoredResult, rank, of, repeat| Receipt {
        id: r.id,
        trainee: r.trainee,
        score: r.summary.score,
        grade: r.summary.grade,
        outcome: r.summary.outcome,
        rank,
        of,
        repeat,
    };
    match outcome {
        Submitted::New { result, rank, of } => {
            Ok((StatusCode::CREATED, Json(receipt(result, rank, of, false))))
        }
        Submitted::Repeat { result, rank, of } => {
            Ok((StatusCode::OK, Json(receipt(result, rank, of, true))))
        }
        Submitted::KeyReused => Err(Fail::new(
            StatusCode::CONFLICT,
            "idempotency_key: already used for a different attempt; use a new key per attempt",
        )),
    }
}
