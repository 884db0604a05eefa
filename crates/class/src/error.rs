//! A refusal or failure: the status and a reason the client can act on, always as
//! `{"error": "…"}`.

use crate::protocol::ApiError;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use store::StoreError;

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

pub fn rng_fail(e: getrandom::Error) -> Fail {
    Fail::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        format!("no randomness from the operating system: {e}"),
    )
}
