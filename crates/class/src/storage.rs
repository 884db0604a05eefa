//! Storage calls, run off the async workers on a bounded number of threads.

use crate::error::Fail;
use axum::http::StatusCode;
use store::StoreError;

/// Storage calls running at once; the rest wait their turn (the store has one writer and four
/// readers, so more threads would only queue inside it).
pub const STORAGE_WORKERS: usize = 16;

pub static STORAGE: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(STORAGE_WORKERS);

/// Runs a storage call off the async workers, on at most [`STORAGE_WORKERS`] threads.
pub async fn blocking<T: Send + 'static>(
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
