//! Rate limits per client address (tower_governor), so one machine cannot flood the server with
//! new classes, joins or submissions. Generous enough for a classroom behind one router: a
//! trainee joins once and submits once per meeting.

use crate::error::Fail;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::MethodRouter;
use std::sync::Arc;
use std::time::Duration;
use tower_governor::governor::{GovernorConfig, GovernorConfigBuilder};
use tower_governor::key_extractor::PeerIpKeyExtractor;
use tower_governor::{GovernorError, GovernorLayer};

/// How often one address may do a thing: one more every `every`, up to `burst` at once.
#[derive(Clone, Copy, Debug)]
pub struct Rate {
    pub every: Duration,
    pub burst: u32,
    /// What is limited, for the refusal.
    pub what: &'static str,
}

/// Opening classes: 10 at once, then one every 6 s.
pub const CREATE: Rate = Rate {
    every: Duration::from_secs(6),
    burst: 10,
    what: "opening classes",
};
/// Looking up a class (joining): 60 at once, then 5 a second.
pub const JOIN: Rate = Rate {
    every: Duration::from_millis(200),
    burst: 60,
    what: "joining",
};
/// Submitting attempts: 60 at once, then 10 a second.
pub const SUBMIT: Rate = Rate {
    every: Duration::from_millis(100),
    burst: 60,
    what: "submitting",
};

/// Replaying a browser meeting (one request per turn): 200 at once, then 30 a second, enough
/// for a classroom's worth of trainees behind one router at a turn every few seconds each.
pub const REPLAY: Rate = Rate {
    every: Duration::from_nanos(33_333_334),
    burst: 200,
    what: "replaying",
};

type Config = GovernorConfig<PeerIpKeyExtractor, governor::middleware::NoOpMiddleware>;

/// A route's limiter, kept so old addresses can be forgotten.
pub struct Limiter {
    rate: Rate,
    config: Arc<Config>,
}

impl Limiter {
    pub fn new(rate: Rate) -> Option<Limiter> {
        let config = GovernorConfigBuilder::default()
            .period(rate.every)
            .burst_size(rate.burst)
            .finish()?;
        Some(Limiter {
            rate,
            config: Arc::new(config),
        })
    }

    /// `route` limited per client address; a refusal is a JSON 429 that says when to retry.
    pub fn apply<S: Clone + Send + Sync + 'static>(
        &self,
        route: MethodRouter<S>,
    ) -> MethodRouter<S> {
        let what = self.rate.what;
        let layer =
            GovernorLayer::new(Arc::clone(&self.config)).error_handler(move |e| refusal(what, e));
        route.layer(layer)
    }

    /// Forgets addresses whose allowance is full again (run now and then).
    pub fn forget_idle(&self) {
        self.config.limiter().retain_recent();
    }
}

fn refusal(what: &str, e: GovernorError) -> Response {
    match e {
        GovernorError::TooManyRequests { wait_time, .. } => {
            let mut r = Fail::new(
                StatusCode::TOO_MANY_REQUESTS,
                format!("too much {what} from this address; try again in {wait_time} s"),
            )
            .into_response();
            if let Ok(v) = wait_time.to_string().parse() {
                r.headers_mut().insert(axum::http::header::RETRY_AFTER, v);
            }
            // Refused before its body was read: the connection closes after this answer, so
            // the unread body is never taken for the next request.
            r.headers_mut().insert(
                axum::http::header::CONNECTION,
                axum::http::HeaderValue::from_static("close"),
            );
            r
        }
        GovernorError::UnableToExtractKey => Fail::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the client's address is unknown",
        )
        .into_response(),
        GovernorError::Other { code, msg, .. } => {
            Fail::new(code, msg.unwrap_or_else(|| "refused".into())).into_response()
        }
    }
}
