//! The class debrief for the trainer (see [`crate::debrief`]).

use crate::ClassState;
use crate::auth::Administered;
use crate::debrief::{ClassDebrief, class_debrief};
use crate::error::Fail;
use crate::handlers::live::rendered;
use crate::lookup::case_of;
use crate::play::COACHING;
use crate::storage::blocking;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

/// `GET …/debrief` (admin token): the class debrief of every trainee's best attempt.
pub async fn debrief(
    State(state): State<ClassState>,
    Administered(class): Administered,
) -> Result<Json<ClassDebrief>, Fail> {
    let bundle = case_of(&state, &class)?;
    let tactics = rendered(&state, &class).await?.board.tactics.clone();
    let store = state.store.clone();
    let code = class.code.clone();
    let results = blocking(move || store.results(&code)).await?;
    let live = state.live(&class.code);
    let Ok(_turn) = COACHING.acquire().await else {
        return Err(Fail::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "the server is shutting down",
        ));
    };
    // The costliest turns already worked out go in and come back with the new ones.
    let mut coached = std::mem::take(&mut *live.coached.lock().await);
    let (code, seed) = (class.code.clone(), class.seed);
    let work = tokio::task::spawn_blocking(move || {
        let d = class_debrief(&code, &bundle, seed, &results, tactics, &mut coached);
        (d, coached)
    });
    match work.await {
        Ok((d, coached)) => {
            live.coached.lock().await.extend(coached);
            Ok(Json(d))
        }
        Err(e) => Err(Fail::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("the class debrief failed: {e}"),
        )),
    }
}
