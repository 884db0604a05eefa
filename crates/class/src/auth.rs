//! Who may do what: the trainer key, a class's admin token, a trainee's token from joining.

use crate::ClassState;
use crate::error::Fail;
use crate::lookup::Found;
use crate::storage::blocking;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use sim::text::Text;
use store::class::ClassInfo;

/// The token in `Authorization: Bearer TOKEN`, if there is one.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
}

/// `Authorization: Bearer` against the token expected: 401 saying `missing` when there is none,
/// 403 saying `wrong` when it differs (or when no token is expected at all).
pub fn bearer_is(
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

/// Opening a class is for trainers: `Authorization: Bearer TRAINER_KEY`.
pub fn trainer(state: &ClassState, headers: &HeaderMap) -> Result<(), Fail> {
    bearer_is(
        headers,
        Some(&state.trainer_key),
        "opening a session needs the server's trainer key (printed by `serve`): \
         Authorization: Bearer KEY, or `class new --trainer-key KEY`",
        "that is not this server's trainer key",
    )
}

/// Checks `Authorization: Bearer TOKEN` against the class's admin token.
pub async fn admin(state: &ClassState, class: &ClassInfo, headers: &HeaderMap) -> Result<(), Fail> {
    let store = state.store.clone();
    let code = class.code.clone();
    let token = blocking(move || store.admin_token(&code)).await?;
    bearer_is(
        headers,
        token.as_deref(),
        "this needs the class's admin token: Authorization: Bearer TOKEN",
        "the admin token is not this class's",
    )
}

/// Submissions under a name need the token its join returned.
pub async fn authorise(
    state: &ClassState,
    class: &ClassInfo,
    trainee: &str,
    headers: &HeaderMap,
) -> Result<(), Fail> {
    let live = state.live(&class.code);
    let token = match live.token(trainee) {
        Some(t) => Some(t),
        None => {
            let store = state.store.clone();
            let (c, t) = (class.code.clone(), trainee.to_owned());
            let token = blocking(move || store.trainee_token(&c, &t)).await?;
            // A released name's empty token is not kept: its next join brings a new one.
            if let Some(t) = token.as_ref().filter(|t| !t.is_empty()) {
                live.remember_token(trainee, t);
            }
            token
        }
    };
    // A released name (`reset`) has no token until someone joins with it again.
    let Some(token) = token.filter(|t| !t.is_empty()) else {
        return Err(Fail::told(
            StatusCode::FORBIDDEN,
            "not_joined",
            Text::new(
                format!(
                    "“{trainee}”没有加入课堂 {}（或培训师让它重新加入）；请先加入",
                    class.code
                ),
                format!(
                    "trainee: \"{trainee}\" has not joined class {code}; join first \
                     (POST /api/sessions/{code}/join) and send its token",
                    code = class.code
                ),
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
    .map_err(|f| Fail {
        reason: Some("wrong_token"),
        error_zh: Some(format!(
            "这台设备的加入凭证不是“{trainee}”的；请重新加入（丢了凭证请找培训师重置）"
        )),
        ..f
    })
}

pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A request made with the server's trainer key (`Authorization: Bearer KEY`); a handler that
/// takes a `Trainer` argument is refused with 401/403 before it runs.
pub struct Trainer;

impl FromRequestParts<ClassState> for Trainer {
    type Rejection = Fail;

    async fn from_request_parts(parts: &mut Parts, state: &ClassState) -> Result<Self, Fail> {
        trainer(state, &parts.headers).map(|()| Trainer)
    }
}

/// The class named by the path, asked for with its admin token: `Administered(class)`.
pub struct Administered(pub ClassInfo);

impl FromRequestParts<ClassState> for Administered {
    type Rejection = Fail;

    async fn from_request_parts(parts: &mut Parts, state: &ClassState) -> Result<Self, Fail> {
        let Found(class) = Found::from_request_parts(parts, state).await?;
        admin(state, &class, &parts.headers).await?;
        Ok(Administered(class))
    }
}
