//! The class server (axum + tokio): a trainer opens a session, the class plays the same case and
//! seed, each result arrives as inputs only and is replayed by the engine, which computes the
//! score that is stored. A projector page shows the live leaderboard.
//!
//! - [`protocol`]: the JSON bodies, shared with the clients.
//! - [`api`]: the routes and their checks.
//! - [`board`]: the leaderboard and per-tactic summary.
//! - [`page`]: the projector page.
//! - [`client`]: a blocking client for the CLI and the game.

pub mod api;
pub mod board;
pub mod client;
pub mod page;
pub mod protocol;

use crate::engine::CaseBundle;
use crate::engine::validate::Scenarios;
use crate::store::ClassStore;
use crate::store::class::SessionInfo;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, RwLock};

/// What every request handler shares.
pub struct Shared {
    pub store: Arc<dyn ClassStore>,
    /// Every case's rules, fixed when the server started: a session is judged by the rules it
    /// was created under even if the files change.
    pub bundles: HashMap<String, Arc<CaseBundle>>,
    /// Sessions seen so far (they change only through this server).
    sessions: RwLock<HashMap<String, SessionInfo>>,
    /// Bumped after every stored result; projector streams wait on it.
    pub changes: tokio::sync::watch::Sender<u64>,
}

pub type State = Arc<Shared>;

impl Shared {
    pub fn new(store: Arc<dyn ClassStore>, scenarios: &Scenarios) -> Shared {
        let bundles = scenarios
            .cases
            .iter()
            .filter_map(|c| {
                CaseBundle::new(scenarios, &c.id)
                    .ok()
                    .map(|b| (c.id.clone(), b))
            })
            .collect();
        Shared {
            store,
            bundles,
            sessions: RwLock::new(HashMap::new()),
            changes: tokio::sync::watch::Sender::new(0),
        }
    }

    fn cached(&self, code: &str) -> Option<SessionInfo> {
        self.sessions
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(code)
            .cloned()
    }

    fn remember(&self, s: SessionInfo) {
        self.sessions
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(s.code.clone(), s);
    }
}

/// A running server: its address, and a handle that stops it (send `()`).
pub struct Running {
    pub addr: SocketAddr,
    pub stop: tokio::sync::oneshot::Sender<()>,
    pub task: tokio::task::JoinHandle<std::io::Result<()>>,
}

/// Binds `addr` (port 0 picks a free one) and serves on the current tokio runtime.
pub async fn start(addr: SocketAddr, shared: Shared) -> std::io::Result<Running> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let app = api::router(Arc::new(shared));
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                // Dropping the handle without sending leaves the server running.
                if stopped.await.is_err() {
                    std::future::pending::<()>().await;
                }
            })
            .await
    });
    Ok(Running { addr, stop, task })
}
