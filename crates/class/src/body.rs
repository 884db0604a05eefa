//! Request bodies: JSON only, bounded, and every misfit named by its field.

use crate::error::Fail;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, Request};
use axum::http::{HeaderMap, StatusCode, header};
use serde::de::DeserializeOwned;

/// Largest request body accepted (a 60-turn meeting is about 3 KB).
pub const BODY_LIMIT: usize = 64 * 1024;

/// Reads a JSON body: 415 unless it says `Content-Type: application/json` (so a cross-site
/// form cannot post one), 413 when too large, 400 when not JSON, 422 naming the field when the
/// JSON does not fit (missing, unknown, wrong type).
pub fn parse_body<T: DeserializeOwned>(
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

/// A JSON body read by [`parse_body`]'s rules: `JsonBody(req): JsonBody<NewClass>` in a
/// handler's arguments (last, as a body extractor must be).
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = Fail;

    async fn from_request(req: Request, state: &S) -> Result<Self, Fail> {
        let headers = req.headers().clone();
        let body = Bytes::from_request(req, state).await;
        parse_body(&headers, body).map(JsonBody)
    }
}
