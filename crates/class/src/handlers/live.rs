//! The live board: rendered once per change, read within an allowance, streamed to projectors.

use crate::auth::Administered;
use crate::board::Tally;
use crate::error::Fail;
use crate::lookup::{Found, case_of, find_class};
use crate::protocol::{Board, RoomView};
use crate::storage::blocking;
use crate::{ClassState, Rendered};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::time::Duration;
use store::class::ClassInfo;
use store::sqlite::now_unix;

/// The class's board for its current version: rendered once per change and shared by every
/// GET and stream of this class. Renders of one class wait for each other, never for
/// another class's; only the first render after a start reads the store.
pub async fn rendered(state: &ClassState, class: &ClassInfo) -> Result<Rendered, Fail> {
    let bundle = case_of(state, class)?;
    let live = state.live(&class.code);
    let now = now_unix();
    let open = class.open_at(now);
    if let Some(r) = live.current(*live.version.borrow(), open) {
        return Ok(r);
    }
    let tally = loaded(state, class, &live).await?;
    let version = *live.version.borrow();
    if let Some(r) = live.current(version, open) {
        return Ok(r);
    }
    let Some((tally, _)) = tally.as_ref() else {
        return Err(Fail::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the board was not loaded",
        ));
    };
    let board = tally.board(class, &bundle, now, &live.progress());
    let json = serde_json::to_vec(&board).map_err(|e| {
        Fail::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("could not write the board: {e}"),
        )
    })?;
    let r = Rendered {
        version,
        open,
        board: Arc::new(board),
        json: json.into(),
    };
    live.keep(r.clone());
    Ok(r)
}

/// The class's tally, locked, loaded from the store on first use (the only time a board
/// reads the store).
pub async fn loaded<'a>(
    state: &ClassState,
    class: &ClassInfo,
    live: &'a crate::Live,
) -> Result<tokio::sync::MutexGuard<'a, Option<(Tally, i64)>>, Fail> {
    let mut tally = live.tally.lock().await;
    if tally.is_none() {
        let store = state.store.clone();
        let code = class.code.clone();
        let (results, joined) =
            blocking(move || Ok((store.results(&code)?, store.joined(&code)?))).await?;
        let upto = results.iter().map(|r| r.id).max().unwrap_or(0);
        let mut t = Tally::of(&results);
        t.set_joined(joined);
        *tally = Some((t, upto));
    }
    Ok(tally)
}

/// The board for a read from outside (a GET or the projector page), within the class's
/// allowance of reads per second; 429 beyond it.
pub async fn read_board(state: &ClassState, code: &str) -> Result<Rendered, Fail> {
    let s = find_class(state, code).await?;
    if !state.live(&s.code).may_read() {
        // Answered after a second: a client reading in a loop slows to the pace it is told.
        tokio::time::sleep(Duration::from_secs(1)).await;
        return Err(Fail::new(
            StatusCode::TOO_MANY_REQUESTS,
            format!(
                "this class's board is being read more than {} times a second; wait a moment, \
                 or follow it live at /api/sessions/{}/events",
                crate::BOARD_READS_PER_SECOND,
                s.code
            ),
        ));
    }
    rendered(state, &s).await
}

/// The board of the class with this code (for the projector page).
pub async fn board_for(state: &ClassState, code: &str) -> Result<Arc<Board>, Fail> {
    Ok(read_board(state, code).await?.board)
}

/// `GET …/room` (admin token): every trainee, who is waiting, mid-meeting (on which turn) or
/// finished, for the trainer's page.
pub async fn room(
    State(state): State<ClassState>,
    Administered(class): Administered,
) -> Result<Json<RoomView>, Fail> {
    let live = state.live(&class.code);
    let store = state.store.clone();
    let code = class.code.clone();
    let trainees = blocking(move || store.trainees(&code)).await?;
    let now = now_unix();
    let tally = loaded(&state, &class, &live).await?;
    let rows = tally
        .as_ref()
        .map(|(t, _)| t.room_rows(&trainees, &live.progress(), now))
        .unwrap_or_default();
    Ok(Json(RoomView {
        code: class.code.clone(),
        case: class.case_id.clone(),
        title: case_of(&state, &class)?.case.title.clone(),
        open: class.open_at(now),
        deadline: class.deadline,
        now,
        trainees: rows,
    }))
}

pub async fn leaderboard(
    State(state): State<ClassState>,
    Path(code): Path<String>,
) -> Result<Response, Fail> {
    let r = read_board(&state, &code).await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], r.json).into_response())
}

/// Server-sent events: the whole board now, then again after this class changes (at most
/// twice a second, so a burst of submissions costs one render). Other classes' results do not
/// wake this stream.
pub async fn events(
    State(state): State<ClassState>,
    Found(class): Found,
) -> Result<Response, Fail> {
    let live = state.live(&class.code);
    let Some(slot) = live.stream_slot() else {
        return Err(Fail::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "class {} already has {} live projector streams; close one and reload",
                class.code,
                crate::STREAMS_PER_SESSION
            ),
        ));
    };
    let rx = live.version.subscribe();
    let stream = futures_util::stream::unfold(
        (state, class, rx, true, slot),
        |(state, class, mut rx, first, slot)| async move {
            if !first {
                rx.changed().await.ok()?;
                tokio::time::sleep(Duration::from_millis(500)).await;
                rx.borrow_and_update();
            }
            // A closed class must show as closed, so re-read it.
            let class = find_class(&state, &class.code).await.unwrap_or(class);
            let event = match rendered(&state, &class).await {
                Ok(r) => Event::default()
                    .event("board")
                    .data(String::from_utf8_lossy(&r.json)),
                Err(f) => Event::default().event("problem").data(f.error),
            };
            Some((
                Ok::<_, std::convert::Infallible>(event),
                (state, class, rx, false, slot),
            ))
        },
    );
    Ok(Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response())
}
