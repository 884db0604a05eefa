//! A refusal or failure: the status and a reason the client can act on, always as
//! `{"error": "…"}`. A refusal a trainee meets also says what it is (`"reason"`, such as
//! `closed` or `full`) and in Chinese (`"error_zh"`), so the page tells it in the trainee's
//! language.

use crate::protocol::ApiError;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use sim::text::Text;
use store::StoreError;

/// A refusal or failure: status and reason.
#[derive(Debug)]
pub struct Fail {
    pub status: StatusCode,
    /// In English: for operators, scripts and the terminal client.
    pub error: String,
    /// What kind of refusal, for a page to act on (`closed`, `deadline`, `full`, …).
    pub reason: Option<&'static str>,
    /// The same in Chinese.
    pub error_zh: Option<String>,
}

impl Fail {
    pub fn new(status: StatusCode, msg: impl Into<String>) -> Fail {
        Fail {
            status,
            error: msg.into(),
            reason: None,
            error_zh: None,
        }
    }
    pub fn unprocessable(msg: impl Into<String>) -> Fail {
        Fail::new(StatusCode::UNPROCESSABLE_ENTITY, msg)
    }
    /// A name that cannot be a trainee's (422).
    pub fn bad_name(words: Text) -> Fail {
        Fail::told(StatusCode::UNPROCESSABLE_ENTITY, "bad_name", words)
    }
    /// A refusal a trainee meets: its kind, and its words in both languages.
    pub fn told(status: StatusCode, reason: &'static str, words: Text) -> Fail {
        Fail {
            status,
            error: words.en,
            reason: Some(reason),
            error_zh: Some(words.zh),
        }
    }
}

impl IntoResponse for Fail {
    fn into_response(self) -> Response {
        let body = ApiError {
            error: self.error,
            reason: self.reason.map(str::to_owned),
            error_zh: self.error_zh,
        };
        (self.status, Json(body)).into_response()
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

pub fn rng_fail(e: getrandom::Error) -> Fail {
    Fail::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        format!("no randomness from the operating system: {e}"),
    )
}
