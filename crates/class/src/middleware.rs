//! What every request goes through: the access log, size limits and the deadline.

use crate::ClassState;
use crate::error::Fail;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use std::time::Duration;
use store::sqlite::{format_utc, now_unix};

/// With `Shared::access_log` on (as `serve` runs), one line per request on stderr: time, client, method, path (never the query or headers, so
/// no token is printed), status and milliseconds.
pub async fn access_log(
    State(state): State<ClassState>,
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
pub async fn sizes(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
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
pub async fn deadline(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
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

/// The headers every answer carries: nothing is shown inside another site's frame (unless
/// `--frame-ancestors` names who may), no content type is sniffed, no address is sent on.
pub async fn security_headers(
    State(state): State<ClassState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    use axum::http::{HeaderValue, header};
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    let ancestors = state.frame_ancestors.as_deref().unwrap_or("'none'");
    if state.frame_ancestors.is_none() {
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    let csp = match h
        .get(header::CONTENT_SECURITY_POLICY)
        .and_then(|v| v.to_str().ok())
    {
        Some(page) => format!("{page}; frame-ancestors {ancestors}"),
        None => format!("frame-ancestors {ancestors}"),
    };
    if let Ok(v) = HeaderValue::from_str(&csp) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    res
}

/// Failed guesses one address may make in a window before it is refused until the window ends:
/// generous for a classroom behind one router (a mistyped code, a wrong key), far too few to
/// find a class by trying codes.
pub const GUESSES: u32 = 30;
/// The window failed guesses are counted in.
pub const GUESS_WINDOW: Duration = Duration::from_secs(60);

/// Failed guesses per address in the current window: a request that names an unknown class
/// code (404) or no or a wrong key or token (401/403). Only failures count, so the right key or
/// code is never refused because of how much a classroom uses it.
#[derive(Default)]
pub struct Guesses(
    std::sync::Mutex<std::collections::HashMap<std::net::IpAddr, (u32, std::time::Instant)>>,
);

impl Guesses {
    fn blocked(&self, ip: std::net::IpAddr) -> bool {
        let map = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        map.get(&ip)
            .is_some_and(|(n, since)| *n >= GUESSES && since.elapsed() < GUESS_WINDOW)
    }

    fn failed(&self, ip: std::net::IpAddr) {
        let mut map = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if map.len() > 100_000 {
            map.retain(|_, (_, since)| since.elapsed() < GUESS_WINDOW);
        }
        let e = map.entry(ip).or_insert((0, std::time::Instant::now()));
        if e.1.elapsed() >= GUESS_WINDOW {
            *e = (0, std::time::Instant::now());
        }
        e.0 += 1;
    }
}

/// With rate limits on, an address that keeps guessing (unknown codes, wrong keys) is refused
/// with a 429 until its window ends; the refusal closes the connection, so a body the client is
/// still sending is not read as the next request.
pub async fn guesses(
    State(state): State<ClassState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let ip = req
        .extensions()
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|c| c.0.ip());
    let (Some(ip), true) = (ip, state.rate_limits) else {
        return next.run(req).await;
    };
    if state.guesses.blocked(ip) {
        return too_many(format!(
            "too many unknown class codes or wrong keys from this address; try again within {} s",
            GUESS_WINDOW.as_secs()
        ));
    }
    let takes_code = req.uri().path().starts_with("/api/")
        || req.uri().path().starts_with("/s/")
        || req.uri().path().starts_with("/j/");
    let res = next.run(req).await;
    let status = res.status();
    let guessed = status == StatusCode::UNAUTHORIZED
        || status == StatusCode::FORBIDDEN
        || takes_code && status == StatusCode::NOT_FOUND;
    if guessed {
        state.guesses.failed(ip);
    }
    res
}

/// A JSON 429 that closes the connection.
pub fn too_many(message: String) -> Response {
    let mut res = Fail::new(StatusCode::TOO_MANY_REQUESTS, message).into_response();
    res.headers_mut().insert(
        axum::http::header::CONNECTION,
        axum::http::HeaderValue::from_static("close"),
    );
    res
}
