//! A small blocking client of the class server, for `class new`, `play --join` and the game
//! (which calls it from a background thread).

use crate::handlers::trainees::{Managed, Rename};
use crate::protocol::{
    ApiError, ClassView, Created, Join, Joined, NewClass, Prune, Pruned, Receipt, Submission,
};
use serde::de::DeserializeOwned;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error(
        "\"{0}\" is not a server address: use http://HOST:PORT (for example http://192.168.1.20:7878)"
    )]
    BadUrl(String),
    #[error(
        "\"{0}\": this client speaks plain http:// only (the class server is meant for the classroom's own network)"
    )]
    NoTls(String),
    #[error(
        "\"{0}\" is not a join address: use http://HOST:PORT/j/CODE (for example http://192.168.1.20:7878/j/K7QX2M)"
    )]
    BadJoin(String),
    #[error("cannot reach the class server at {url}: {detail}")]
    Unreachable { url: String, detail: String },
    #[error("the class server refused ({status}): {reason}")]
    Refused { status: u16, reason: String },
    #[error("the class server's answer was not understood: {0}")]
    BadAnswer(String),
    #[error("class {0} takes no more results (closed or past its deadline)")]
    Closed(String),
}

impl ClientError {
    /// Worth trying again with the same idempotency key (the server may never have seen it).
    pub fn is_transient(&self) -> bool {
        match self {
            ClientError::Unreachable { .. } => true,
            ClientError::Refused { status, .. } => *status >= 500,
            _ => false,
        }
    }
}

/// Splits `http://host:port/j/CODE` (or `…/CODE`, or `…/s/CODE`, the projector address) into
/// server and code.
pub fn parse_join(s: &str) -> Result<(String, String), ClientError> {
    let t = s.trim().trim_end_matches('/');
    let (base, code) = t
        .rsplit_once('/')
        .ok_or_else(|| ClientError::BadJoin(s.to_owned()))?;
    let base = base
        .strip_suffix("/s")
        .or_else(|| base.strip_suffix("/j"))
        .unwrap_or(base);
    if code.is_empty() || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(ClientError::BadJoin(s.to_owned()));
    }
    let base = normalise_base(base).map_err(|e| match e {
        ClientError::NoTls(_) => ClientError::NoTls(s.to_owned()),
        _ => ClientError::BadJoin(s.to_owned()),
    })?;
    Ok((base, code.to_ascii_uppercase()))
}

/// Joins the class `code` on `server`: its client and the class, refusing a class that
/// takes no more results.
pub fn join(server: &str, code: &str) -> Result<(ClassClient, ClassView), ClientError> {
    let client = ClassClient::new(server)?;
    let class = client.class(code)?;
    if !class.open {
        return Err(ClientError::Closed(class.code));
    }
    Ok((client, class))
}

pub fn normalise_base(s: &str) -> Result<String, ClientError> {
    let t = s.trim().trim_end_matches('/');
    if t.starts_with("https://") {
        return Err(ClientError::NoTls(s.to_owned()));
    }
    let rest = t
        .strip_prefix("http://")
        .ok_or_else(|| ClientError::BadUrl(s.to_owned()))?;
    if rest.is_empty() || rest.contains(['/', ' ', '?', '#']) {
        return Err(ClientError::BadUrl(s.to_owned()));
    }
    Ok(t.to_owned())
}

/// The tokens this computer got by joining classes, by server, code and name; kept in a JSON
/// file when one is given, so a restarted game or terminal can still submit under its name.
#[derive(Debug, Default)]
pub struct TokenBook {
    file: Option<std::path::PathBuf>,
    tokens: std::collections::BTreeMap<String, String>,
}

impl TokenBook {
    /// The book kept in `file` (empty when the file is absent or unreadable).
    pub fn open(file: Option<std::path::PathBuf>) -> TokenBook {
        let tokens = file
            .as_ref()
            .and_then(|f| std::fs::read_to_string(f).ok())
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default();
        TokenBook { file, tokens }
    }

    fn key(server: &str, code: &str, name: &str) -> String {
        format!("{server}|{code}|{name}")
    }

    /// The token for `name` in the class: the one kept, or a new join's (which is kept).
    pub fn token(
        &mut self,
        client: &ClassClient,
        code: &str,
        name: &str,
    ) -> Result<String, ClientError> {
        let key = TokenBook::key(client.base(), code, name);
        if let Some(t) = self.tokens.get(&key) {
            return Ok(t.clone());
        }
        let joined = client.join_as(code, name)?;
        self.tokens.insert(key, joined.token.clone());
        if let Some(f) = &self.file
            && let Ok(text) = serde_json::to_string_pretty(&self.tokens)
        {
            // Not kept is not fatal: this run can still submit.
            let _ = std::fs::write(f, text);
        }
        Ok(joined.token)
    }
}

pub struct ClassClient {
    agent: ureq::Agent,
    base: String,
}

impl ClassClient {
    /// `base` is `http://HOST:PORT`.
    pub fn new(base: &str) -> Result<ClassClient, ClientError> {
        let agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(15)))
            .build()
            .into();
        Ok(ClassClient {
            agent,
            base: normalise_base(base)?,
        })
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The body of a 2xx answer (at most `limit` bytes); any other status is `Refused` with
    /// the server's reason.
    fn text(
        &self,
        url: &str,
        r: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
        limit: u64,
    ) -> Result<String, ClientError> {
        let mut resp = r.map_err(|e| ClientError::Unreachable {
            url: url.to_owned(),
            detail: e.to_string(),
        })?;
        let status = resp.status().as_u16();
        let text = resp
            .body_mut()
            .with_config()
            .limit(limit)
            .read_to_string()
            .map_err(|e| ClientError::BadAnswer(e.to_string()))?;
        if (200..300).contains(&status) {
            Ok(text)
        } else {
            let reason = serde_json::from_str::<ApiError>(&text)
                .map(|e| e.error)
                .unwrap_or(text);
            Err(ClientError::Refused { status, reason })
        }
    }

    /// A JSON answer.
    fn answer<T: DeserializeOwned>(
        &self,
        url: &str,
        r: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
    ) -> Result<T, ClientError> {
        let text = self.text(url, r, 10 * 1024 * 1024)?;
        serde_json::from_str(&text).map_err(|e| ClientError::BadAnswer(e.to_string()))
    }

    /// Opens a class (needs the server's trainer key).
    pub fn create_class(&self, req: &NewClass, trainer_key: &str) -> Result<Created, ClientError> {
        let url = self.url("/api/sessions");
        let r = self
            .agent
            .post(&url)
            .header("Authorization", format!("Bearer {trainer_key}"))
            .send_json(req);
        self.answer(&url, r)
    }

    pub fn class(&self, code: &str) -> Result<ClassView, ClientError> {
        let url = self.url(&format!("/api/sessions/{code}"));
        let r = self.agent.get(&url).call();
        self.answer(&url, r)
    }

    /// Deletes the classes opened more than `days` days ago (needs the trainer key).
    pub fn prune(&self, days: u32, trainer_key: &str) -> Result<Pruned, ClientError> {
        let url = self.url("/api/prune");
        let r = self
            .agent
            .post(&url)
            .header("Authorization", format!("Bearer {trainer_key}"))
            .send_json(&Prune {
                older_than_days: days,
            });
        self.answer(&url, r)
    }

    /// Takes the name `trainee` in the class; the answer carries the token to submit with.
    pub fn join_as(&self, code: &str, trainee: &str) -> Result<Joined, ClientError> {
        let url = self.url(&format!("/api/sessions/{code}/join"));
        let r = self.agent.post(&url).send_json(&Join {
            trainee: trainee.to_owned(),
        });
        self.answer(&url, r)
    }

    /// Submits an attempt with the token of its trainee's join, retrying transient failures
    /// with the same idempotency key so a lost answer never stores the attempt twice.
    pub fn submit(
        &self,
        code: &str,
        sub: &Submission,
        token: &str,
    ) -> Result<Receipt, ClientError> {
        let url = self.url(&format!("/api/sessions/{code}/results"));
        let mut tries = 0;
        loop {
            let r = self
                .agent
                .post(&url)
                .header("Authorization", format!("Bearer {token}"))
                .send_json(sub);
            match self.answer(&url, r) {
                Err(e) if e.is_transient() && tries < 3 => {
                    tries += 1;
                    std::thread::sleep(Duration::from_millis(300 * tries));
                }
                other => return other,
            }
        }
    }

    /// Stops the class taking results (needs the admin token).
    pub fn close(&self, code: &str, token: &str) -> Result<ClassView, ClientError> {
        let url = self.url(&format!("/api/sessions/{code}/close"));
        let r = self
            .agent
            .post(&url)
            .header("Authorization", format!("Bearer {token}"))
            .send_empty();
        self.answer(&url, r)
    }

    /// Renames a trainee (needs the admin token).
    pub fn rename(
        &self,
        code: &str,
        token: &str,
        from: &str,
        to: &str,
    ) -> Result<Managed, ClientError> {
        let url = self.url(&format!(
            "/api/sessions/{code}/trainees/{}/rename",
            segment(from)
        ));
        let r = self
            .agent
            .post(&url)
            .header("Authorization", format!("Bearer {token}"))
            .send_json(&Rename { to: to.to_owned() });
        self.answer(&url, r)
    }

    /// A new token for a trainee (needs the admin token).
    pub fn reset(&self, code: &str, token: &str, name: &str) -> Result<Managed, ClientError> {
        let url = self.url(&format!(
            "/api/sessions/{code}/trainees/{}/reset",
            segment(name)
        ));
        let r = self
            .agent
            .post(&url)
            .header("Authorization", format!("Bearer {token}"))
            .send_empty();
        self.answer(&url, r)
    }

    /// Removes a trainee and their results (needs the admin token).
    pub fn remove(&self, code: &str, token: &str, name: &str) -> Result<Managed, ClientError> {
        let url = self.url(&format!("/api/sessions/{code}/trainees/{}", segment(name)));
        let r = self
            .agent
            .delete(&url)
            .header("Authorization", format!("Bearer {token}"))
            .call();
        self.answer(&url, r)
    }

    /// The class's results as CSV (needs the admin token).
    pub fn csv(&self, code: &str, token: &str) -> Result<String, ClientError> {
        self.admin_read(code, token, "results.csv", EXPORT_LIMIT)
    }

    /// The class debrief (needs the admin token).
    pub fn debrief(
        &self,
        code: &str,
        token: &str,
    ) -> Result<crate::debrief::ClassDebrief, ClientError> {
        let text = self.admin_read(code, token, "debrief", 10 * 1024 * 1024)?;
        serde_json::from_str(&text).map_err(|e| ClientError::BadAnswer(e.to_string()))
    }

    /// The class's attempts as xAPI statements (needs the admin token).
    pub fn statements(
        &self,
        code: &str,
        token: &str,
    ) -> Result<Vec<serde_json::Value>, ClientError> {
        let text = self.admin_read(code, token, "statements", EXPORT_LIMIT)?;
        serde_json::from_str(&text).map_err(|e| ClientError::BadAnswer(e.to_string()))
    }

    /// `GET /api/sessions/{code}/{what}` with the admin token, at most `limit` bytes.
    fn admin_read(
        &self,
        code: &str,
        token: &str,
        what: &str,
        limit: u64,
    ) -> Result<String, ClientError> {
        let url = self.url(&format!("/api/sessions/{code}/{what}"));
        let r = self
            .agent
            .get(&url)
            .header("Authorization", format!("Bearer {token}"))
            .call();
        self.text(&url, r, limit)
    }
}

/// The most a whole class's results may take (CSV or xAPI statements).
const EXPORT_LIMIT: u64 = 256 * 1024 * 1024;

/// A name as one path segment: every byte but the unreserved ones percent-encoded.
fn segment(name: &str) -> String {
    name.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_one_path_segment() {
        assert_eq!(segment("Alex Chen"), "Alex%20Chen");
        assert_eq!(segment("王/x"), "%E7%8E%8B%2Fx");
    }

    #[test]
    fn join_addresses() {
        assert_eq!(
            parse_join("http://10.0.0.5:7878/k7qx2m").unwrap(),
            ("http://10.0.0.5:7878".into(), "K7QX2M".into())
        );
        assert_eq!(
            parse_join("http://10.0.0.5:7878/s/K7QX2M/").unwrap(),
            ("http://10.0.0.5:7878".into(), "K7QX2M".into())
        );
        assert_eq!(
            parse_join("http://10.0.0.5:7878/j/K7QX2M").unwrap(),
            ("http://10.0.0.5:7878".into(), "K7QX2M".into()),
            "the browser join address works in the game and the terminal too"
        );
        assert!(parse_join("10.0.0.5:7878/K7QX2M").is_err());
        assert!(parse_join("http://10.0.0.5:7878/").is_err());
        assert!(ClassClient::new("ftp://x").is_err());
        assert!(matches!(
            ClassClient::new("https://class.example"),
            Err(ClientError::NoTls(_))
        ));
    }
}
