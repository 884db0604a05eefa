//! Trainees of a class, managed with the class's admin token: rename (a vandal name, a typo),
//! reset (a trainee who lost their token or switched device joins again with the same name) and
//! remove (the name and its results leave the board).

use crate::ClassState;
use crate::auth::Administered;
use crate::body::JsonBody;
use crate::error::Fail;
use crate::names::{check_name, look_alike};
use crate::storage::blocking;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use sim::text::Text;
use store::class::{ClassInfo, Renaming};

/// `POST …/trainees/{name}/rename`: the new name.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rename {
    pub to: String,
}

/// What a rename, a reset or a removal did.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Managed {
    pub trainee: String,
    /// How many results a removal took off the board.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub results_removed: Option<u64>,
}

type Named = Path<(String, String)>;

/// The board and tokens of the class are read again, and its projector is woken.
async fn refresh(state: &ClassState, class: &ClassInfo, forget: &[&str]) {
    let live = state.live(&class.code);
    for name in forget {
        live.forget_token(name);
        live.forget_progress(name);
    }
    *live.tally.lock().await = None;
    live.changed();
}

fn no_trainee(class: &ClassInfo, name: &str) -> Fail {
    Fail::new(
        StatusCode::NOT_FOUND,
        format!(
            "class {} has no trainee \"{name}\" (names are as the board shows them)",
            class.code
        ),
    )
}

pub async fn rename(
    State(state): State<ClassState>,
    Administered(class): Administered,
    Path((_, from)): Named,
    JsonBody(req): JsonBody<Rename>,
) -> Result<Json<Managed>, Fail> {
    let to = check_name(&req.to)
        .map_err(|e| Fail::bad_name(Text::new(e.zh, e.en.replacen("trainee:", "to:", 1))))?;
    let live = state.live(&class.code);
    let _joining = live.joining.lock().await;
    let store = state.store.clone();
    let code = class.code.clone();
    let others = blocking(move || store.joined(&code)).await?;
    if let Some(other) = others
        .iter()
        .find(|o| o.as_str() != from && o.as_str() != to && look_alike(o, &to))
    {
        return Err(Fail::unprocessable(format!(
            "to: \"{to}\" looks the same as \"{other}\", already in this class"
        )));
    }
    let store = state.store.clone();
    let (c, f, t) = (class.code.clone(), from.clone(), to.clone());
    match blocking(move || store.rename(&c, &f, &t)).await? {
        Renaming::Renamed => {}
        Renaming::Unknown => return Err(no_trainee(&class, &from)),
        Renaming::Taken => {
            return Err(Fail::new(
                StatusCode::CONFLICT,
                format!("to: class {} already has a trainee \"{to}\"", class.code),
            ));
        }
    }
    drop(_joining);
    refresh(&state, &class, &[&from, &to]).await;
    Ok(Json(Managed {
        trainee: to,
        results_removed: None,
    }))
}

pub async fn reset(
    State(state): State<ClassState>,
    Administered(class): Administered,
    Path((_, name)): Named,
) -> Result<Json<Managed>, Fail> {
    let store = state.store.clone();
    let (c, n) = (class.code.clone(), name.clone());
    if !blocking(move || store.release(&c, &n)).await? {
        return Err(no_trainee(&class, &name));
    }
    refresh(&state, &class, &[&name]).await;
    Ok(Json(Managed {
        trainee: name,
        results_removed: None,
    }))
}

pub async fn remove(
    State(state): State<ClassState>,
    Administered(class): Administered,
    Path((_, name)): Named,
) -> Result<Json<Managed>, Fail> {
    let store = state.store.clone();
    let (c, n) = (class.code.clone(), name.clone());
    let Some(results) = blocking(move || store.remove_trainee(&c, &n)).await? else {
        return Err(no_trainee(&class, &name));
    };
    refresh(&state, &class, &[&name]).await;
    Ok(Json(Managed {
        trainee: name,
        results_removed: Some(results),
    }))
}
