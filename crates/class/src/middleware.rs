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
