//! Sending statements to the company's learning record store: the xAPI 1.0.3 `statements`
//! resource, with the store's own credentials (HTTP basic), over http or https.
//!
//! The whole export goes in one `POST statements` (an array), as the specification allows. A
//! store that already has every statement (the same export sent again) answers 204 and
//! stores nothing twice, because each statement's id is derived from its attempt.

use base64::Engine;
use serde_json::Value;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum LrsError {
    #[error(
        "\"{0}\" is not a learning record store address: give its xAPI endpoint, e.g. https://lrs.example.com/xAPI/"
    )]
    BadUrl(String),
    #[error("cannot reach the learning record store at {url}: {detail}")]
    Unreachable { url: String, detail: String },
    #[error("the learning record store refused the statements ({status}): {reason}")]
    Refused { status: u16, reason: String },
}

/// How an export went.
#[derive(Debug, PartialEq, Eq)]
pub enum Sent {
    /// The store took the statements (it answers with their ids).
    Stored(usize),
    /// The store had every one of them already (204).
    AlreadyThere,
    /// Nothing to send.
    Nothing,
}

pub struct Lrs {
    agent: ureq::Agent,
    /// The xAPI endpoint, ending in `/`.
    endpoint: String,
    auth: Option<String>,
}

impl Lrs {
    /// The store whose xAPI endpoint is `endpoint` (`…/xAPI/`), with a user and password when
    /// it asks for them.
    pub fn new(endpoint: &str, credentials: Option<(&str, &str)>) -> Result<Lrs, LrsError> {
        let e = endpoint.trim();
        let rest = e
            .strip_prefix("http://")
            .or_else(|| e.strip_prefix("https://"))
            .ok_or_else(|| LrsError::BadUrl(endpoint.to_owned()))?;
        if rest.is_empty() || rest.starts_with('/') || rest.contains([' ', '?', '#']) {
            return Err(LrsError::BadUrl(endpoint.to_owned()));
        }
        let endpoint = format!("{}/", e.trim_end_matches('/'));
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(30)))
            .build()
            .into();
        let auth = credentials.map(|(user, password)| {
            let pair = format!("{user}:{password}");
            format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(pair)
            )
        });
        Ok(Lrs {
            agent,
            endpoint,
            auth,
        })
    }

    /// Sends every statement in one request.
    pub fn send(&self, statements: &[Value]) -> Result<Sent, LrsError> {
        if statements.is_empty() {
            return Ok(Sent::Nothing);
        }
        let url = format!("{}statements", self.endpoint);
        let mut req = self
            .agent
            .post(&url)
            .header("X-Experience-API-Version", crate::xapi::VERSION);
        if let Some(a) = &self.auth {
            req = req.header("Authorization", a);
        }
        let mut resp = req
            .send_json(statements)
            .map_err(|e| LrsError::Unreachable {
                url: url.clone(),
                detail: e.to_string(),
            })?;
        let status = resp.status().as_u16();
        if status == 204 {
            // No content: nothing to read (some servers keep the connection open after it).
            return Ok(Sent::AlreadyThere);
        }
        let body = resp
            .body_mut()
            .with_config()
            .limit(16 << 20)
            .read_to_string()
            .unwrap_or_default();
        match status {
            200..=299 => {
                let ids: Vec<String> = serde_json::from_str(&body).unwrap_or_default();
                Ok(Sent::Stored(ids.len()))
            }
            _ => Err(LrsError::Refused {
                status,
                reason: body.chars().take(600).collect(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_are_http_or_https_addresses() {
        assert!(Lrs::new("https://lrs.example.com/xAPI", None).is_ok());
        assert!(Lrs::new("http://127.0.0.1:8100/xAPI/", Some(("u", "p"))).is_ok());
        for bad in [
            "lrs.example.com",
            "ftp://x/xAPI",
            "https://",
            "http:///xAPI",
        ] {
            assert!(
                matches!(Lrs::new(bad, None), Err(LrsError::BadUrl(_))),
                "{bad}"
            );
        }
    }
}
