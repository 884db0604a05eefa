//! The routes. Every refusal is `{"error": "…"}` with a 4xx status that says what to fix; the
//! server never trusts a score from a client: it replays the inputs and scores them itself.

use crate::body::BODY_LIMIT;
use crate::error::Fail;
use crate::handlers::classes::{class, close, create, csv, prune, statements};
use crate::handlers::live::{events, leaderboard, room};
use crate::handlers::results::{join, submit};
use crate::handlers::trainees;
use crate::limits::{self, Limiter};
use crate::middleware::{access_log, deadline, guesses, security_headers, sizes};
use crate::{ClassState, page, play};
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::routing::{MethodRouter, get, post};
use axum::{Json, Router};
use std::time::Duration;

/// The routes that open, look up, join, submit and replay, and the trainee's page (a look-up).
pub fn limited_routes() -> [MethodRouter<ClassState>; 6] {
    [
        post(create),
        get(class),
        post(join),
        post(submit),
        post(play::replay),
        get(page::trainee),
    ]
}

/// Those routes, limited per client address when the server asks for it
/// (`Shared::rate_limits`); the limiters forget idle addresses every minute.
pub fn with_limits(state: &ClassState) -> [MethodRouter<ClassState>; 6] {
    let [c, j, t, s, r, p] = limited_routes();
    if !state.rate_limits {
        return [c, j, t, s, r, p];
    }
    let (Some(lc), Some(lj), Some(ls), Some(lr)) = (
        Limiter::new(limits::CREATE),
        Limiter::new(limits::JOIN),
        Limiter::new(limits::SUBMIT),
        Limiter::new(limits::REPLAY),
    ) else {
        return [c, j, t, s, r, p];
    };
    // The trainer key is checked before the allowance is counted: wrong keys are guesses
    // (counted apart, failures only) and never use up the trainer's allowance.
    let key_first = axum::middleware::from_fn_with_state(state.clone(), trainer_first);
    let routes = [
        lc.apply(c).layer(key_first),
        lj.apply(j),
        lj.apply(t),
        ls.apply(s),
        lr.apply(r),
        lj.apply(p),
    ];
    if let Ok(rt) = tokio::runtime::Handle::try_current() {
        rt.spawn(async move {
            let mut tick = tokio::time::interval(Duration::from_secs(60));
            loop {
                tick.tick().await;
                for l in [&lc, &lj, &ls, &lr] {
                    l.forget_idle();
                }
            }
        });
    }
    routes
}

/// Refuses a request to open a class without the trainer key before anything else counts it.
async fn trainer_first(
    axum::extract::State(state): axum::extract::State<ClassState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    match crate::auth::trainer(&state, req.headers()) {
        Ok(()) => next.run(req).await,
        Err(fail) => fail.into_response(),
    }
}

pub fn router(state: ClassState) -> Router {
    let [
        create_route,
        class_route,
        join_route,
        submit_route,
        replay_route,
        page_route,
    ] = with_limits(&state);
    Router::new()
        .route("/", get(page::index))
        .route("/s/{code}", get(page::projector))
        .route("/j/{code}", page_route)
        .route("/t/{code}", get(page::trainer))
        .route("/assets/{file}", get(page::asset_file))
        .route(
            "/api/health",
            get(|| async { Json(serde_json::json!({"ok": true})) }),
        )
        .route("/api/sessions", create_route)
        .route("/api/sessions/{code}", class_route)
        .route("/api/prune", post(prune))
        .route("/api/sessions/{code}/join", join_route)
        .route("/api/sessions/{code}/results", submit_route)
        .route("/api/sessions/{code}/replay", replay_route)
        .route("/api/sessions/{code}/leaderboard", get(leaderboard))
        .route("/api/sessions/{code}/events", get(events))
        .route("/api/sessions/{code}/room", get(room))
        .route(
            "/api/sessions/{code}/debrief",
            get(crate::handlers::debrief::debrief),
        )
        .route("/api/sessions/{code}/results.csv", get(csv))
        .route("/api/sessions/{code}/statements", get(statements))
        .route("/api/sessions/{code}/close", post(close))
        .route(
            "/api/sessions/{code}/trainees/{name}/rename",
            post(trainees::rename),
        )
        .route(
            "/api/sessions/{code}/trainees/{name}/reset",
            post(trainees::reset),
        )
        .route(
            "/api/sessions/{code}/trainees/{name}",
            axum::routing::delete(trainees::remove),
        )
        .fallback(|| async { Fail::new(StatusCode::NOT_FOUND, "no such page or API route") })
        .method_not_allowed_fallback(|method: axum::http::Method| async move {
            Fail::new(
                StatusCode::METHOD_NOT_ALLOWED,
                format!("{method} is not allowed here"),
            )
        })
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(axum::middleware::from_fn(deadline))
        .layer(axum::middleware::from_fn(sizes))
        .layer(axum::middleware::from_fn_with_state(state.clone(), guesses))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security_headers,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            access_log,
        ))
        .with_state(state)
}
