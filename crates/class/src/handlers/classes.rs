//! Classes (`sessions` in the API's paths): open, look up, export, close, prune.

use crate::ClassState;
use crate::auth::{Administered, Trainer};
use crate::body::JsonBody;
use crate::error::{Fail, rng_fail};
use crate::lookup::{Found, case_of, new_code, view};
use crate::protocol::{ClassView, Created, NewClass, Prune, Pruned, random_token};
use crate::storage::blocking;
use crate::xapi;
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use store::class::{ClassInfo, StoredResult, Trainee};
use store::export::{self, CsvRow, Ranker};
use store::sqlite::now_unix;

pub async fn create(
    State(state): State<ClassState>,
    _: Trainer,
    headers: HeaderMap,
    JsonBody(req): JsonBody<NewClass>,
) -> Result<(StatusCode, Json<Created>), Fail> {
    if !state.bundles.contains_key(&req.case) {
        let mut known: Vec<&str> = state.bundles.keys().map(String::as_str).collect();
        known.sort_unstable();
        return Err(Fail::unprocessable(format!(
            "case: unknown case \"{}\"{}; this server has: {}",
            req.case,
            sim::did_you_mean(&req.case, known.iter().copied()),
            known.join(", ")
        )));
    }
    if let Some(m) = req.deadline_minutes
        && !(1..=7 * 24 * 60).contains(&m)
    {
        return Err(Fail::unprocessable(
            "deadline_minutes: from 1 to 10080 (one week)",
        ));
    }
    let seed = match req.seed {
        Some(s) => s,
        None => {
            let mut b = [0u8; 4];
            getrandom::fill(&mut b).map_err(rng_fail)?;
            u64::from(u32::from_le_bytes(b) % 1_000_000)
        }
    };
    let token = random_token(16).map_err(rng_fail)?;
    let now = now_unix();
    for _ in 0..16 {
        let info = ClassInfo {
            code: new_code().map_err(rng_fail)?,
            case_id: req.case.clone(),
            seed,
            deadline: req.deadline_minutes.map(|m| now + i64::from(m) * 60),
            created_at: now,
            closed: false,
        };
        let store = state.store.clone();
        let (i, t) = (info.clone(), token.clone());
        if blocking(move || store.create_class(&i, &t)).await? {
            state.remember(info.clone());
            return Ok((
                StatusCode::CREATED,
                Json(Created {
                    admin_token: token,
                    join_url: Some(crate::reach::join_url(&state, &headers, &info.code)),
                    class: view(&state, &info),
                }),
            ));
        }
    }
    Err(Fail::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "could not find a free join code; try again",
    ))
}

pub async fn class(
    State(state): State<ClassState>,
    Found(s): Found,
) -> Result<Json<ClassView>, Fail> {
    Ok(Json(view(&state, &s)))
}

/// Retention (trainer): deletes the classes opened more than `older_than_days` ago, with their
/// results and trainees.
pub async fn prune(
    State(state): State<ClassState>,
    _: Trainer,
    JsonBody(req): JsonBody<Prune>,
) -> Result<Json<Pruned>, Fail> {
    let before = now_unix() - i64::from(req.older_than_days) * 86_400;
    let store = state.store.clone();
    let (codes, results) = blocking(move || store.prune(before)).await?;
    state.forget(&codes);
    Ok(Json(Pruned {
        classes: codes.len() as u64,
        results,
    }))
}

pub async fn csv(
    State(state): State<ClassState>,
    Administered(class): Administered,
) -> Result<Response, Fail> {
    let (results, ids) = attempts(&state, &class).await?;
    let mut ranker = Ranker::default();
    let out = export::csv(results.iter().zip(&ids).map(|(r, id)| CsvRow {
        case: &class.case_id,
        rank: ranker.rank(r.summary.score),
        trainee: &r.trainee,
        trainee_id: id,
        seed: class.seed,
        inputs: &r.inputs,
        summary: &r.summary,
        at: r.submitted_at,
    }));
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"class-{}.csv\"", class.code),
            ),
        ],
        out,
    )
        .into_response())
}

/// `GET …/statements`: every attempt as an xAPI statement (see [`crate::xapi`]), best first.
pub async fn statements(
    State(state): State<ClassState>,
    headers: HeaderMap,
    Administered(class): Administered,
) -> Result<Json<Vec<serde_json::Value>>, Fail> {
    let bundle = case_of(&state, &class)?;
    let (results, ids) = attempts(&state, &class).await?;
    let base = crate::reach::base(&state, &headers);
    let cx = xapi::ClassContext {
        base: &base,
        class: &class,
        title: &bundle.case.title,
        rubric: &bundle.rubric,
    };
    Ok(Json(
        results
            .iter()
            .zip(&ids)
            .map(|(result, trainee_id)| xapi::statement(&cx, &xapi::Attempt { result, trainee_id }))
            .collect(),
    ))
}

/// What the exports read: every result of the class, best first, and each result's trainee
/// id (the joined trainee's, or for a name that never joined, from before joining by name,
/// the one derived from the name).
async fn attempts(
    state: &ClassState,
    class: &ClassInfo,
) -> Result<(Vec<StoredResult>, Vec<String>), Fail> {
    let store = state.store.clone();
    let c = class.code.clone();
    let (results, joined) = blocking(move || Ok((store.results(&c)?, store.trainees(&c)?))).await?;
    let by_name: HashMap<&str, &str> = joined
        .iter()
        .map(|t| (t.name.as_str(), t.id.as_str()))
        .collect();
    let ids = results
        .iter()
        .map(|r| {
            by_name
                .get(r.trainee.as_str())
                .map_or_else(|| Trainee::id_for_name(&r.trainee), |id| (*id).to_owned())
        })
        .collect();
    Ok((results, ids))
}

pub async fn close(
    State(state): State<ClassState>,
    Administered(class): Administered,
) -> Result<Json<ClassView>, Fail> {
    let store = state.store.clone();
    let c = class.code.clone();
    blocking(move || store.close(&c)).await?;
    let closed = ClassInfo {
        closed: true,
        ..class
    };
    state.remember(closed.clone());
    state.live(&closed.code).changed();
    Ok(Json(view(&state, &closed)))
}
