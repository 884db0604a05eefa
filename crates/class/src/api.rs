//! The routes. Every refusal is `{"error": "…"}` with a 4xx status that says what to fix; the
//! server never trusts a score from a client: it replays the inputs and scores them itself.

use crate::board::Tally;
use crate::limits::{self, Limiter};
pub use crate::names::{NAME_MAX, check_name};
use crate::protocol::Board;
use crate::protocol::{
    ApiError, Created, Join, Joined, NewSession, Prune, Pruned, Receipt, Said, SessionView,
    Submission, random_token,
};
use crate::{Rendered, State, page, play};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};
use axum::{Json, Router};
use serde::de::DeserializeOwned;
use sim::CaseBundle;
use sim::result::Summary;
use std::sync::Arc;
use std::time::Duration;
use store::StoreError;
use store::class::{SessionInfo, StoredResult, Submitted};
use store::export::{self, CsvRow, Ranker};
use store::sqlite::{format_utc, now_unix};

/// Largest request body accepted (a 60-turn meeting is about 3 KB).
pub const BODY_LIMIT: usize = 64 * 1024;
/// Most lines in one submission (no case allows more turns).
pub const CHOICES_MAX: usize = 200;
/// The alphabet of join codes: no 0/O, 1/I/L, so a code read off a projector is typed right.
pub const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
pub const CODE_LEN: usize = 6;

/// The routes that open, look up, join, submit and replay, and the trainee's page (a look-up).
fn limited_routes() -> [MethodRouter<State>; 6] {
    [
        post(create),
        get(session),
        post(join),
        post(submit),
        post(play::replay),
        get(page::trainee),
    ]
}

/// Those routes, limited per client address when the server asks for it
/// (`Shared::rate_limits`); the limiters forget idle addresses every minute.
fn with_limits(state: &State) -> [MethodRouter<State>; 6] {
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
    let routes = [
        lc.apply(c),
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

pub fn router(state: State) -> Router {
    let [
        create_route,
        session_route,
        join_route,
        submit_route,
        replay_route,
        page_route,
    ] = with_limits(&state);
    Router::new()
        .route("/", get(page::index))
        .route("/s/{code}", get(page::projector))
        .route("/j/{code}", page_route)
        .route("/assets/{file}", get(page::asset_file))
        .route(
            "/api/health",
            get(|| async { Json(serde_json::json!({"ok": true})) }),
        )
        .route("/api/sessions", create_route)
        .route("/api/sessions/{code}", session_route)
        .route("/api/prune", post(prune))
        .route("/api/sessions/{code}/join", join_route)
        .route("/api/sessions/{code}/results", submit_route)
        .route("/api/sessions/{code}/replay", replay_route)
        .route("/api/sessions/{code}/leaderboard", get(leaderboard))
        .route("/api/sessions/{code}/events", get(events))
        .route("/api/sessions/{code}/results.csv", get(csv))
        .route("/api/sessions/{code}/close", post(close))
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
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            access_log,
        ))
        .with_state(state)
}

/// With `Shared::access_log` on (as `serve` runs), one line per request on stderr: time, client, method, path (never the query or headers, so
/// no token is printed), status and milliseconds.
async fn access_log(
    axum::extract::State(state): axum::extract::State<State>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    if !state.access_log {
        return next.run(req).await;
    }
    let client = req
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map_or_else(|| "-".to_owned(), |c| c.0.ip().to_string());
    let (method, path) = (req.method().clone(), req.uri().path().to_owned());
    let started = std::time::Instant::now();
    let res = next.run(req).await;
    eprintln!(
        "{} {client} {method} {path} {} {}ms",
        format_utc(now_unix()),
        res.status().as_u16(),
        started.elapsed().as_millis()
    );
    res
}

/// Longest request target (path and query) read, in bytes.
pub const URI_MAX: usize = 4096;
/// Most bytes of request headers read.
pub const HEADERS_MAX: usize = 16 * 1024;

/// Oversized request targets (414) and headers (431) are refused in JSON like every other
/// error. (Far beyond these, hyper's own hard limits answer before any route is reached.)
async fn sizes(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let uri = req.uri().to_string().len();
    if uri > URI_MAX {
        return Fail::new(
            StatusCode::URI_TOO_LONG,
            format!("the request target is {uri} bytes; at most {URI_MAX}"),
        )
        .into_response();
    }
    let headers: usize = req
        .headers()
        .iter()
        .map(|(k, v)| k.as_str().len() + v.len() + 4)
        .sum();
    if headers > HEADERS_MAX {
        return Fail::new(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            format!("the request headers are {headers} bytes; at most {HEADERS_MAX}"),
        )
        .into_response();
    }
    next.run(req).await
}

/// A request must be read and answered within this (projector streams excepted).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Every request but a projector stream is answered within [`REQUEST_TIMEOUT`]: a body sent too
/// slowly, or an answer that cannot be made in time, ends in a JSON 408.
async fn deadline(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    if req.uri().path().ends_with("/events") {
        return next.run(req).await;
    }
    match tokio::time::timeout(REQUEST_TIMEOUT, next.run(req)).await {
        Ok(r) => r,
        Err(_) => Fail::new(
            StatusCode::REQUEST_TIMEOUT,
            format!(
                "the request was not complete within {} s",
                REQUEST_TIMEOUT.as_secs()
            ),
        )
        .into_response(),
    }
}

/// A refusal or failure: status and reason.
#[derive(Debug)]
pub struct Fail(pub StatusCode, pub String);

impl Fail {
    pub fn new(status: StatusCode, msg: impl Into<String>) -> Fail {
        Fail(status, msg.into())
    }
    pub fn unprocessable(msg: impl Into<String>) -> Fail {
        Fail::new(StatusCode::UNPROCESSABLE_ENTITY, msg)
    }
}

impl IntoResponse for Fail {
    fn into_response(self) -> Response {
        (self.0, Json(ApiError { error: self.1 })).into_response()
    }
}

impl From<StoreError> for Fail {
    /// The details (with the database's path) go to the operator's log, not to the client.
    fn from(e: StoreError) -> Fail {
        eprintln!("storage error: {e}");
        match e {
            StoreError::Locked { .. } => Fail::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "the server's database is busy; try again in a moment",
            ),
            _ => Fail::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "the server could not use its database; the operator's log says why",
            ),
        }
    }
}

/// Storage calls running at once; the rest wait their turn (the store has one writer and four
/// readers, so more threads would only queue inside it).
pub const STORAGE_WORKERS: usize = 16;
static STORAGE: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(STORAGE_WORKERS);

/// Runs a storage call off the async workers, on at most [`STORAGE_WORKERS`] threads.
pub(crate) async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, Fail> {
    let Ok(_turn) = STORAGE.acquire().await else {
        return Err(Fail::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "the server is shutting down",
        ));
    };
    match tokio::task::spawn_blocking(f).await {
        Ok(r) => r.map_err(Fail::from),
        Err(e) => Err(Fail::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("storage task failed: {e}"),
        )),
    }
}

/// Reads a JSON body: 415 unless it says `Content-Type: application/json` (so a cross-site
/// form cannot post one), 413 when too large, 400 when not JSON, 422 naming the field when the
/// JSON does not fit (missing, unknown, wrong type).
pub(crate) fn parse_body<T: DeserializeOwned>(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<T, Fail> {
    let kind = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let essence = kind.split(';').next().unwrap_or("").trim();
    if !essence.eq_ignore_ascii_case("application/json") {
        return Err(Fail::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            format!(
                "the body must be JSON sent with Content-Type: application/json (got {})",
                if kind.is_empty() { "none" } else { kind }
            ),
        ));
    }
    let body = body.map_err(|e| {
        let status = e.status();
        if status == StatusCode::PAYLOAD_TOO_LARGE {
            Fail::new(
                status,
                format!("the body is larger than {BODY_LIMIT} bytes"),
            )
        } else {
            Fail::new(status, e.body_text())
        }
    })?;
    let mut de = serde_json::Deserializer::from_slice(&body);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        use serde_json::error::Category;
        match inner.classify() {
            Category::Syntax | Category::Eof | Category::Io => Fail::new(
                StatusCode::BAD_REQUEST,
                format!("malformed JSON: {inner}"),
            ),
            Category::Data => {
                let msg = inner.to_string();
                let forged = ["score", "grade", "total", "points", "summary", "rank"]
                    .iter()
                    .any(|f| msg.contains(&format!("unknown field `{f}`")));
                let hint = if forged {
                    ". Scores are computed by the server from the inputs; send only preparations and choices"
                } else {
                    ""
                };
                let at = if path == "." { String::new() } else { format!("{path}: ") };
                Fail::unprocessable(format!("{at}{msg}{hint}"))
            }
        }
    })?;
    de.end()
        .map_err(|e| Fail::new(StatusCode::BAD_REQUEST, format!("malformed JSON: {e}")))?;
    Ok(value)
}

/// Join codes are case-insensitive on input.
fn normalise_code(code: &str) -> Result<String, Fail> {
    let code = code.trim().to_ascii_uppercase();
    if code.len() == CODE_LEN && code.bytes().all(|b| CODE_ALPHABET.contains(&b)) {
        Ok(code)
    } else {
        Err(Fail::new(
            StatusCode::NOT_FOUND,
            format!(
                "no session has the code \"{}\"",
                code.chars().take(20).collect::<String>()
            ),
        ))
    }
}

pub(crate) async fn find_session(state: &State, code: &str) -> Result<SessionInfo, Fail> {
    let code = normalise_code(code)?;
    if let Some(s) = state.cached(&code) {
        return Ok(s);
    }
    let store = state.store.clone();
    let c = code.clone();
    match blocking(move || store.session(&c)).await? {
        Some(s) => {
            state.remember(s.clone());
            Ok(s)
        }
        None => Err(Fail::new(
            StatusCode::NOT_FOUND,
            format!("no session has the code \"{code}\""),
        )),
    }
}

pub(crate) fn view(state: &State, s: &SessionInfo) -> SessionView {
    SessionView {
        code: s.code.clone(),
        case: s.case_id.clone(),
        seed: s.seed,
        title: state
            .bundles
            .get(&s.case_id)
            .map(|b| b.case.title.clone())
            .unwrap_or_default(),
        deadline: s.deadline,
        open: s.open_at(now_unix()),
    }
}

/// A fresh join code: uniformly random over 31⁶ ≈ 887 million codes, from the OS's generator.
pub fn new_code() -> Result<String, getrandom::Error> {
    let mut code = String::with_capacity(CODE_LEN);
    while code.len() < CODE_LEN {
        let mut b = [0u8; 16];
        getrandom::fill(&mut b)?;
        // Rejection sampling keeps every letter equally likely.
        let limit = 256 - 256 % CODE_ALPHABET.len();
        for x in b {
            if (x as usize) < limit && code.len() < CODE_LEN {
                code.push(CODE_ALPHABET[x as usize % CODE_ALPHABET.len()] as char);
            }
        }
    }
    Ok(code)
}

fn rng_fail(e: getrandom::Error) -> Fail {
    Fail::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        format!("no randomness from the operating system: {e}"),
    )
}

async fn create(
    axum::extract::State(state): axum::extract::State<State>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Created>), Fail> {
    trainer(&state, &headers)?;
    let req: NewSession = parse_body(&headers, body)?;
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
        let info = SessionInfo {
            code: new_code().map_err(rng_fail)?,
            case_id: req.case.clone(),
            seed,
            deadline: req.deadline_minutes.map(|m| now + i64::from(m) * 60),
            created_at: now,
            closed: false,
        };
        let store = state.store.clone();
        let (i, t) = (info.clone(), token.clone());
        if blocking(move || store.create_session(&i, &t)).await? {
            state.remember(info.clone());
            return Ok((
                StatusCode::CREATED,
                Json(Created {
                    admin_token: token,
                    join_url: Some(crate::reach::join_url(&state, &headers, &info.code)),
                    session: view(&state, &info),
                }),
            ));
        }
    }
    Err(Fail::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "could not find a free join code; try again",
    ))
}

async fn session(
    axum::extract::State(state): axum::extract::State<State>,
    Path(code): Path<String>,
) -> Result<Json<SessionView>, Fail> {
    let s = find_session(&state, &code).await?;
    Ok(Json(view(&state, &s)))
}

fn check_key(key: &str) -> Result<(), String> {
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

/// Why a session takes no more results, if it does not.
pub(crate) fn closed_reason(session: &SessionInfo) -> Option<Fail> {
    if session.open_at(now_unix()) {
        return None;
    }
    let why = match session.deadline {
        Some(d) if !session.closed => format!("its deadline passed at {} UTC", format_utc(d)),
        _ => "the trainer closed it".to_owned(),
    };
    Some(Fail::new(
        StatusCode::FORBIDDEN,
        format!("session {} takes no more results: {why}", session.code),
    ))
}

/// Retention (trainer): deletes the sessions opened more than `older_than_days` ago, with their
/// results and trainees.
async fn prune(
    axum::extract::State(state): axum::extract::State<State>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<Pruned>, Fail> {
    trainer(&state, &headers)?;
    let req: Prune = parse_body(&headers, body)?;
    let before = now_unix() - i64::from(req.older_than_days) * 86_400;
    let store = state.store.clone();
    let (codes, results) = blocking(move || store.prune(before)).await?;
    state.forget(&codes);
    Ok(Json(Pruned {
        sessions: codes.len() as u64,
        results,
    }))
}

/// A trainee takes a name in the class and gets the token that submits under it.
async fn join(
    axum::extract::State(state): axum::extract::State<State>,
    Path(code): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, Json<Joined>), Fail> {
    let req: Join = parse_body(&headers, body)?;
    let session = find_session(&state, &code).await?;
    if let Some(closed) = closed_reason(&session) {
        return Err(closed);
    }
    let trainee = check_name(&req.trainee).map_err(Fail::unprocessable)?;
    newcomer(&state, &session, &state.live(&session.code), &trainee).await?;
    let token = random_token(16).map_err(rng_fail)?;
    let store = state.store.clone();
    let (c, t, k) = (session.code.clone(), trainee.clone(), token.clone());
    if !blocking(move || store.join(&c, &t, &k)).await? {
        return Err(Fail::new(
            StatusCode::CONFLICT,
            format!(
                "trainee: \"{trainee}\" has already joined class {} (on another computer?); \
                 join with another name, or submit from the computer that joined",
                session.code
            ),
        ));
    }
    Ok((
        StatusCode::CREATED,
        Json(Joined {
            trainee,
            token,
            session: view(&state, &session),
        }),
    ))
}

/// Submissions under a name need the token its join returned.
pub(crate) async fn authorise(
    state: &State,
    session: &SessionInfo,
    trainee: &str,
    headers: &HeaderMap,
) -> Result<(), Fail> {
    let live = state.live(&session.code);
    let token = match live.token(trainee) {
        Some(t) => Some(t),
        None => {
            let store = state.store.clone();
            let (c, t) = (session.code.clone(), trainee.to_owned());
            let token = blocking(move || store.trainee_token(&c, &t)).await?;
            if let Some(t) = &token {
                live.remember_token(trainee, t);
            }
            token
        }
    };
    let Some(token) = token else {
        return Err(Fail::new(
            StatusCode::FORBIDDEN,
            format!(
                "trainee: \"{trainee}\" has not joined class {code}; join first \
                 (POST /api/sessions/{code}/join) and send its token",
                code = session.code
            ),
        ));
    };
    bearer_is(
        headers,
        Some(&token),
        format!(
            "playing or submitting as \"{trainee}\" needs the token from joining: \
             Authorization: Bearer TOKEN"
        ),
        format!(
            "that token is not \"{trainee}\"'s; nobody may play or submit under another's name"
        ),
    )
}

type Answer = Result<(StatusCode, Json<Receipt>), Fail>;

async fn submit(
    axum::extract::State(state): axum::extract::State<State>,
    Path(code): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Answer {
    let sub: Submission = parse_body(&headers, body)?;
    let session = find_session(&state, &code).await?;
    let trainee = check_name(&sub.trainee).map_err(Fail::unprocessable)?;
    authorise(&state, &session, &trainee, &headers).await?;
    if let Some(closed) = closed_reason(&session) {
        // A resend of an acknowledged attempt still gets its stored result.
        return match resend(&state, &session, &trainee, &sub).await? {
            Some(answer) => answer,
            None => Err(closed),
        };
    }
    check_key(&sub.idempotency_key).map_err(Fail::unprocessable)?;
    let live = state.live(&session.code);
    newcomer(&state, &session, &live, &trainee).await?;
    check_choices(&sub.choices)?;
    let bundle = case_of(&state, &session)?;
    let script = sub.script();
    let n = script
        .replay(bundle, session.seed)
        .map_err(|e| Fail::unprocessable(format!("illegal replay: {e}")))?;
    if !n.is_over() {
        return Err(Fail::unprocessable(format!(
            "illegal replay: the meeting is not over after {} lines; submit whole meetings only",
            n.turns.len()
        )));
    }
    let summary = Summary::of(&n);
    let store = state.store.clone();
    let (c, key) = (session.code.clone(), sub.idempotency_key.clone());
    let (t, sc, sm) = (trainee.clone(), script, summary);
    let outcome = blocking(move || store.submit(&c, &key, &t, &sc, &sm)).await?;
    if let Submitted::New { result, .. } = &outcome {
        live.add(result).await;
    }
    answer(outcome)
}

/// At most [`CHOICES_MAX`] lines, each chosen within 0 to 3600 seconds.
pub(crate) fn check_choices(choices: &[Said]) -> Result<(), Fail> {
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

/// The rules the session's case was opened under.
pub(crate) fn case_of(state: &State, session: &SessionInfo) -> Result<Arc<CaseBundle>, Fail> {
    state.bundles.get(&session.case_id).cloned().ok_or_else(|| {
        Fail::new(
            StatusCode::CONFLICT,
            format!(
                "this server no longer has case \"{}\" (was it removed before a restart?)",
                session.case_id
            ),
        )
    })
}

/// Most trainees on one session's board (a name already there may always try again).
pub const TRAINEES_PER_SESSION: usize = 500;

/// A name new to the board must leave room under the cap and not look like a name already on it.
async fn newcomer(
    state: &State,
    session: &SessionInfo,
    live: &crate::Live,
    trainee: &str,
) -> Result<(), Fail> {
    let tally = loaded(state, session, live).await?;
    let Some((t, _)) = tally.as_ref() else {
        return Ok(());
    };
    if let Some(other) = t.lookalike(trainee) {
        return Err(Fail::unprocessable(format!(
            "trainee: \"{trainee}\" looks the same as \"{other}\", already on this class's \
             board; choose a name that can be told apart"
        )));
    }
    if !t.has(trainee) && t.trainees() >= TRAINEES_PER_SESSION {
        return Err(Fail::new(
            StatusCode::FORBIDDEN,
            format!(
                "session {} already has {TRAINEES_PER_SESSION} trainees; ask the trainer for \
                 another session",
                session.code
            ),
        ));
    }
    Ok(())
}

/// The stored answer to `trainee`'s attempt sent again, or `None` when its key is new.
async fn resend(
    state: &State,
    session: &SessionInfo,
    trainee: &str,
    sub: &Submission,
) -> Result<Option<Answer>, Fail> {
    let store = state.store.clone();
    let (c, key, script, trainee) = (
        session.code.clone(),
        sub.idempotency_key.clone(),
        sub.script(),
        trainee.to_owned(),
    );
    let earlier = blocking(move || store.resent(&c, &key, &trainee, &script)).await?;
    Ok(earlier.map(answer))
}

/// The HTTP answer to what the store did with a submission.
fn answer(outcome: Submitted) -> Answer {
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

/// The session's board for its current version: rendered once per change and shared by every
/// GET and stream of this session. Renders of one session wait for each other, never for
/// another session's; only the first render after a start reads the store.
async fn rendered(state: &State, session: &SessionInfo) -> Result<Rendered, Fail> {
    let bundle = case_of(state, session)?;
    let live = state.live(&session.code);
    let now = now_unix();
    let open = session.open_at(now);
    if let Some(r) = live.current(*live.version.borrow(), open) {
        return Ok(r);
    }
    let tally = loaded(state, session, &live).await?;
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
    let board = tally.board(session, &bundle, now);
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

/// The session's tally, locked, loaded from the store on first use (the only time a board
/// reads the store).
async fn loaded<'a>(
    state: &State,
    session: &SessionInfo,
    live: &'a crate::Live,
) -> Result<tokio::sync::MutexGuard<'a, Option<(Tally, i64)>>, Fail> {
    let mut tally = live.tally.lock().await;
    if tally.is_none() {
        let store = state.store.clone();
        let code = session.code.clone();
        let results = blocking(move || store.results(&code)).await?;
        let upto = results.iter().map(|r| r.id).max().unwrap_or(0);
        *tally = Some((Tally::of(&results), upto));
    }
    Ok(tally)
}

/// The board for a read from outside (a GET or the projector page), within the session's
/// allowance of reads per second; 429 beyond it.
async fn read_board(state: &State, code: &str) -> Result<Rendered, Fail> {
    let s = find_session(state, code).await?;
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

/// The board of the session with this code (for the projector page).
pub async fn board_for(state: &State, code: &str) -> Result<Arc<Board>, Fail> {
    Ok(read_board(state, code).await?.board)
}

async fn leaderboard(
    axum::extract::State(state): axum::extract::State<State>,
    Path(code): Path<String>,
) -> Result<Response, Fail> {
    let r = read_board(&state, &code).await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], r.json).into_response())
}

/// Server-sent events: the whole board now, then again after this session changes (at most
/// twice a second, so a burst of submissions costs one render). Other sessions' results do not
/// wake this stream.
async fn events(
    axum::extract::State(state): axum::extract::State<State>,
    Path(code): Path<String>,
) -> Result<Response, Fail> {
    let session = find_session(&state, &code).await?;
    let live = state.live(&session.code);
    let Some(slot) = live.stream_slot() else {
        return Err(Fail::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "class {} already has {} live projector streams; close one and reload",
                session.code,
                crate::STREAMS_PER_SESSION
            ),
        ));
    };
    let rx = live.version.subscribe();
    let stream = futures_util::stream::unfold(
        (state, session, rx, true, slot),
        |(state, session, mut rx, first, slot)| async move {
            if !first {
                rx.changed().await.ok()?;
                tokio::time::sleep(Duration::from_millis(500)).await;
                rx.borrow_and_update();
            }
            // A closed session must show as closed, so re-read it.
            let session = find_session(&state, &session.code).await.unwrap_or(session);
            let event = match rendered(&state, &session).await {
                Ok(r) => Event::default()
                    .event("board")
                    .data(String::from_utf8_lossy(&r.json)),
                Err(f) => Event::default().event("problem").data(f.1),
            };
            Some((
                Ok::<_, std::convert::Infallible>(event),
                (state, session, rx, false, slot),
            ))
        },
    );
    Ok(Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response())
}

/// The token in `Authorization: Bearer TOKEN`, if there is one.
fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
}

/// `Authorization: Bearer` against the token expected: 401 saying `missing` when there is none,
/// 403 saying `wrong` when it differs (or when no token is expected at all).
fn bearer_is(
    headers: &HeaderMap,
    expected: Option<&str>,
    missing: impl Into<String>,
    wrong: impl Into<String>,
) -> Result<(), Fail> {
    let Some(given) = bearer(headers) else {
        return Err(Fail::new(StatusCode::UNAUTHORIZED, missing));
    };
    match expected {
        Some(e) if constant_time_eq(given.as_bytes(), e.as_bytes()) => Ok(()),
        _ => Err(Fail::new(StatusCode::FORBIDDEN, wrong)),
    }
}

/// Opening a session is for trainers: `Authorization: Bearer TRAINER_KEY`.
fn trainer(state: &State, headers: &HeaderMap) -> Result<(), Fail> {
    bearer_is(
        headers,
        Some(&state.trainer_key),
        "opening a session needs the server's trainer key (printed by `serve`): \
         Authorization: Bearer KEY, or `class new --trainer-key KEY`",
        "that is not this server's trainer key",
    )
}

/// Checks `Authorization: Bearer TOKEN` against the session's admin token.
async fn admin(state: &State, session: &SessionInfo, headers: &HeaderMap) -> Result<(), Fail> {
    let store = state.store.clone();
    let code = session.code.clone();
    let token = blocking(move || store.admin_token(&code)).await?;
    bearer_is(
        headers,
        token.as_deref(),
        "this needs the session's admin token: Authorization: Bearer TOKEN",
        "the admin token is not this session's",
    )
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

async fn csv(
    axum::extract::State(state): axum::extract::State<State>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Result<Response, Fail> {
    let session = find_session(&state, &code).await?;
    admin(&state, &session, &headers).await?;
    let store = state.store.clone();
    let c = session.code.clone();
    let results = blocking(move || store.results(&c)).await?;
    let mut ranker = Ranker::default();
    let out = export::csv(results.iter().map(|r| CsvRow {
        case: &session.case_id,
        rank: ranker.rank(r.summary.score),
        trainee: &r.trainee,
        seed: session.seed,
        inputs: &r.inputs,
        summary: &r.summary,
        at: r.submitted_at,
    }));
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"class-{}.csv\"", session.code),
            ),
        ],
        out,
    )
        .into_response())
}

async fn close(
    axum::extract::State(state): axum::extract::State<State>,
    Path(code): Path<String>,
    headers: HeaderMap,
) -> Result<Json<SessionView>, Fail> {
    let session = find_session(&state, &code).await?;
    admin(&state, &session, &headers).await?;
    let store = state.store.clone();
    let c = session.code.clone();
    blocking(move || store.close(&c)).await?;
    let closed = SessionInfo {
        closed: true,
        ..session
    };
    state.remember(closed.clone());
    state.live(&closed.code).changed();
    Ok(Json(view(&state, &closed)))
}
