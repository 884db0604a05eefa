//! Sending statements to the company's learning record store: the xAPI 1.0.3 `statements`
//! resource, with the store's own credentials (HTTP basic), over http or https.
//!
//! Each statement is sent with `PUT statements?statementId=ID`, so sending an export again
//! stores nothing twice: a store that already has an id answers 409 or 204, and either is
//! counted as already there.

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
    #[error("the learning record store refused statement {id} ({status}): {reason}")]
    Refused {
        id: String,
        status: u16,
        reason: String,
    },
    #[error("statement {0} has no id")]
    NoId(usize),
}

/// How an export went.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Sent {
    /// Stored now.
    pub stored: usize,
    /// The store had them already (sent before).
    pub already: usize,
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

    /// Sends every statement, in order; stops at the first the store refuses.
    pub fn send(&self, statements: &[Value]) -> Result<Sent, LrsError> {
        let mut sent = Sent::default();
        for (k, s) in statements.iter().enumerate() {
            let id = s["id"].as_str().ok_or(LrsError::NoId(k))?;
            let url = format!("{}statements?statementId={id}", self.endpoint);
            let mut req = self
                .agent
                .put(&url)
                .header("X-Experience-API-Version", crate::xapi::VERSION);
            if let Some(a) = &self.auth {
                req = req.header("Authorization", a);
            }
            let mut resp = req.send_json(s).map_err(|e| LrsError::Unreachable {
                url: url.clone(),
                detail: e.to_string(),
            })?;
            match resp.status().as_u16() {
                200..=299 => sent.stored += 1,
                409 => sent.already += 1,
                status => {
                    let body = resp
                        .body_mut()
                        .with_config()
                        .limit(64 * 1024)
                        .read_to_string()
                        .unwrap_or_default();
                    return Err(LrsError::Refused {
                        id: id.to_owned(),
                        status,
                        reason: body.chars().take(400).collect(),
                    });
                }
            }
        }
        Ok(sent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_are_http_or_https_addresses() {
        assert!(Lrs::new("https://lrs.example.com/xAPI", None).is_ok());
        assert!(Lrs::new("http://127.0.0.1:8100/xAPI/", Some(("u", "p"))).is_ok());
        for bad in ["lrs.example.com", "ftp://x/xAPI", "https://", "http:///xAPI"] {
            assert!(
                matches!(Lrs::new(bad, None), Err(LrsError::BadUrl(_))),
                "{bad}"
            );
        }
    }
}
