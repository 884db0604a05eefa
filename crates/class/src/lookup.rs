//! Finding a class by its join code, and what the server knows of it.

use crate::ClassState;
use crate::error::Fail;
use crate::protocol::ClassView;
use crate::storage::blocking;
use axum::extract::{FromRequestParts, Path};
use axum::http::StatusCode;
use axum::http::request::Parts;
use sim::CaseBundle;
use sim::text::Text;
use std::sync::Arc;
use store::class::ClassInfo;
use store::sqlite::{format_utc, now_unix};

/// The alphabet of join codes: no 0/O, 1/I/L, so a code read off a projector is typed right.
pub const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

pub const CODE_LEN: usize = 6;

/// Join codes are case-insensitive on input.
pub fn normalise_code(code: &str) -> Result<String, Fail> {
    let code = code.trim().to_ascii_uppercase();
    if code.len() == CODE_LEN && code.bytes().all(|b| CODE_ALPHABET.contains(&b)) {
        Ok(code)
    } else {
        Err(Fail::new(
            StatusCode::NOT_FOUND,
            format!(
                "no class has the code \"{}\"",
                code.chars().take(20).collect::<String>()
            ),
        ))
    }
}

pub async fn find_class(state: &ClassState, code: &str) -> Result<ClassInfo, Fail> {
    let code = normalise_code(code)?;
    if let Some(s) = state.cached(&code) {
        return Ok(s);
    }
    let store = state.store.clone();
    let c = code.clone();
    match blocking(move || store.class(&c)).await? {
        Some(s) => {
            state.remember(s.clone());
            Ok(s)
        }
        None => Err(Fail::new(
            StatusCode::NOT_FOUND,
            format!("no class has the code \"{code}\""),
        )),
    }
}

pub fn view(state: &ClassState, s: &ClassInfo) -> ClassView {
    ClassView {
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

/// Why a class takes no more results, if it does not.
pub fn closed_reason(class: &ClassInfo) -> Option<Fail> {
    if class.open_at(now_unix()) {
        return None;
    }
    let code = &class.code;
    Some(match class.deadline {
        Some(d) if !class.closed => Fail::told(
            StatusCode::FORBIDDEN,
            "deadline",
            Text::new(
                format!(
                    "课堂 {code} 的截止时间（{} UTC）已过，不再接受成绩。",
                    format_utc(d)
                ),
                format!(
                    "class {code} takes no more results: its deadline passed at {} UTC",
                    format_utc(d)
                ),
            ),
        ),
        _ => Fail::told(
            StatusCode::FORBIDDEN,
            "closed",
            Text::new(
                format!("培训师已关闭课堂 {code}，不再接受成绩。"),
                format!("class {code} takes no more results: the trainer closed it"),
            ),
        ),
    })
}

/// The rules the class's case was opened under.
pub fn case_of(state: &ClassState, class: &ClassInfo) -> Result<Arc<CaseBundle>, Fail> {
    state.bundles.get(&class.case_id).cloned().ok_or_else(|| {
        Fail::new(
            StatusCode::CONFLICT,
            format!(
                "this server no longer has case \"{}\" (was it removed before a restart?)",
                class.case_id
            ),
        )
    })
}

/// The class named by the path's join code: `Found(class): Found` in a handler's arguments
/// (404 before the handler runs when no class has the code).
pub struct Found(pub ClassInfo);

impl FromRequestParts<ClassState> for Found {
    type Rejection = Fail;

    async fn from_request_parts(parts: &mut Parts, state: &ClassState) -> Result<Self, Fail> {
        let Path(params) =
            Path::<std::collections::HashMap<String, String>>::from_request_parts(parts, state)
                .await
                .map_err(|e| Fail::new(e.status(), e.body_text()))?;
        let code = params
            .get("code")
            .ok_or_else(|| Fail::new(StatusCode::NOT_FOUND, "no class code in the path"))?;
        find_class(state, code).await.map(Found)
    }
}
