//! The class server (axum + tokio): a trainer opens a class, the class plays the same case and
//! seed, each result arrives as inputs only and is replayed by the engine, which computes the
//! score that is stored. A projector page shows the live leaderboard.
//!
//! - [`protocol`]: the JSON bodies, shared with the clients.
//! - [`routes`]: the routes and the layers every request goes through ([`middleware`]).
//! - [`handlers`]: per resource: classes (`sessions` in the API paths, kept for
//!   compatibility), trainees and results, the live board.
//! - [`auth`], [`body`], [`lookup`]: who may, what a body must be, finding a class by its code;
//!   [`error`]: every refusal as `{"error": "…"}`; [`storage`]: store calls off the async workers.
//! - [`board`]: the leaderboard and per-tactic summary.
//! - [`limits`]: rate limits per client address.
//! - [`listen`]: the accept loop: header deadlines and connection caps.
//! - [`names`]: what a trainee name may be.
//! - [`page`]: the projector page and the trainee's page.
//! - [`play`]: browser play: each turn replays the inputs so far and answers with the scene.
//! - [`reach`]: the address trainees use to reach this server (join links, QR codes).
//! - [`client`]: a blocking client for the CLI and the game.

pub mod auth;
pub mod board;
pub mod body;
pub mod client;
pub mod debrief;
pub mod error;
pub mod handlers;
pub mod limits;
pub mod listen;
pub mod lookup;
pub mod lrs;
pub mod middleware;
pub mod names;
pub mod page;
pub mod play;
pub mod protocol;
pub mod reach;
pub mod routes;
pub mod storage;
pub mod xapi;

pub use names::{NAME_MAX, check_name};

use crate::board::Tally;
use crate::protocol::Board;
use authoring::validate::Scenarios;
use sim::CaseBundle;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, RwLock};
use store::ClassStore;
use store::class::{ClassInfo, StoredResult};

/// What every request handler shares.
pub struct Shared {
    pub store: Arc<dyn ClassStore>,
    /// Every case's rules, fixed when the server started: a class is judged by the rules it
    /// was created under even if the files change.
    pub bundles: HashMap<String, Arc<CaseBundle>>,
    /// Classes seen so far (they change only through this server).
    classes: RwLock<HashMap<String, ClassInfo>>,
    /// Each class's live board, shared by its GETs and its projector streams.
    live: RwLock<HashMap<String, Arc<Live>>>,
    /// One line per request on stderr (on for `serve`; off in tests and benches).
    pub access_log: bool,
    /// Opening a class needs this key (`Authorization: Bearer KEY`).
    pub trainer_key: String,
    /// Limit classes, joins and submissions per client address (on for `serve`).
    pub rate_limits: bool,
    /// How many connections the server holds, in all and per address.
    pub caps: listen::Caps,
    /// Who may show the pages inside a frame (`frame-ancestors` sources, e.g. an LMS's
    /// address); `None` lets nobody.
    pub frame_ancestors: Option<String>,
    /// Addresses that keep naming unknown class codes or a wrong trainer key.
    pub guesses: middleware::Guesses,
    /// The address trainees use (`serve --public-url`), when the trainer gives one.
    pub public_url: Option<String>,
    /// Where the server listens (set by [`start`]).
    pub listening: Option<SocketAddr>,
    /// This computer's address on the room's network, when listening on every interface.
    pub lan: Option<std::net::IpAddr>,
}

/// One class's board, kept current: its tally (loaded from the store on first use, then
/// updated by each stored result), the board rendered once per change, and a version that
/// wakes only this class's streams.
pub struct Live {
    /// Bumped after every change to this class (a result stored, the class closed).
    pub version: tokio::sync::watch::Sender<u64>,
    /// The tally, and the highest result id the load from the store included.
    pub(crate) tally: tokio::sync::Mutex<Option<(Tally, i64)>>,
    /// The last board rendered: its version, whether the class was open, the board and its
    /// JSON.
    rendered: Mutex<Option<Rendered>>,
    /// Projector streams open on this class.
    streams: std::sync::atomic::AtomicUsize,
    /// Board reads (GETs and projector pages) allowed per second.
    reads: governor::DefaultDirectRateLimiter,
    /// Trainees' tokens read from the store so far (a token never changes once issued), so a
    /// browser trainee's every turn does not read the store.
    tokens: RwLock<HashMap<String, String>>,
    /// Held while a name joins, so two look-alike names cannot both pass the check.
    pub(crate) joining: tokio::sync::Mutex<()>,
    /// Where each trainee's meeting stands, from their last replay (kept in memory only: a
    /// restarted server learns it again at each trainee's next turn).
    progress: Mutex<HashMap<String, Progress>>,
    /// Each result's costliest turn, for the class debrief (worked out once per result).
    pub(crate) coached: tokio::sync::Mutex<debrief::Coached>,
}

/// A trainee's meeting as their last replay left it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    pub turn: usize,
    pub max_turns: u32,
    pub over: bool,
    /// Unix seconds.
    pub at: i64,
}

/// A meeting not heard of for this long is no longer shown as going on (a closed tab).
pub const PLAYING_FOR: i64 = 15 * 60;

/// Most projector streams one class may hold (a classroom has one projector; a few more
/// for trainers' screens).
pub const STREAMS_PER_SESSION: usize = 50;
/// Board reads per second and class; a class refreshing its board stays far below this.
pub const BOARD_READS_PER_SECOND: std::num::NonZeroU32 = match std::num::NonZeroU32::new(100) {
    Some(n) => n,
    None => unreachable!(),
};

/// A projector stream's place on its class, given back when the stream ends.
pub struct StreamSlot(Arc<Live>);

impl Drop for StreamSlot {
    fn drop(&mut self) {
        self.0
            .streams
            .fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

/// A board as rendered for one version of its class.
#[derive(Clone)]
pub struct Rendered {
    pub version: u64,
    pub open: bool,
    pub board: Arc<Board>,
    pub json: axum::body::Bytes,
}

impl Live {
    fn new() -> Live {
        Live {
            version: tokio::sync::watch::Sender::new(0),
            tally: tokio::sync::Mutex::new(None),
            rendered: Mutex::new(None),
            streams: std::sync::atomic::AtomicUsize::new(0),
            reads: governor::RateLimiter::direct(governor::Quota::per_second(
                BOARD_READS_PER_SECOND,
            )),
            tokens: RwLock::new(HashMap::new()),
            joining: tokio::sync::Mutex::new(()),
            progress: Mutex::new(HashMap::new()),
            coached: tokio::sync::Mutex::new(HashMap::new()),
        }
    }

    /// The token of `trainee`, if already read from the store.
    pub fn token(&self, trainee: &str) -> Option<String> {
        let t = self.tokens.read().unwrap_or_else(|p| p.into_inner());
        t.get(trainee).cloned()
    }

    /// Forgets a trainee's token (renamed, reset or removed): the next request reads the store.
    pub fn forget_token(&self, trainee: &str) {
        let mut t = self.tokens.write().unwrap_or_else(|p| p.into_inner());
        t.remove(trainee);
    }

    /// Remembers a token read from the store (or just issued).
    pub fn remember_token(&self, trainee: &str, token: &str) {
        let mut t = self.tokens.write().unwrap_or_else(|p| p.into_inner());
        t.insert(trainee.to_owned(), token.to_owned());
    }

    /// Notes where `trainee`'s meeting stands; wakes the board when that changed.
    pub fn progressed(&self, trainee: &str, p: Progress) {
        let changed = {
            let mut all = self.progress.lock().unwrap_or_else(|p| p.into_inner());
            let before = all.insert(trainee.to_owned(), p);
            before.is_none_or(|b| (b.turn, b.over) != (p.turn, p.over))
        };
        if changed {
            self.changed();
        }
    }

    /// Every trainee's meeting as last seen.
    pub fn progress(&self) -> HashMap<String, Progress> {
        self.progress
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Forgets a trainee's meeting (renamed or removed).
    pub fn forget_progress(&self, trainee: &str) {
        let mut all = self.progress.lock().unwrap_or_else(|p| p.into_inner());
        all.remove(trainee);
    }

    /// A place for one more projector stream, if the class has one free.
    pub fn stream_slot(self: &Arc<Self>) -> Option<StreamSlot> {
        let held = self
            .streams
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let slot = StreamSlot(Arc::clone(self));
        (held < STREAMS_PER_SESSION).then_some(slot)
    }

    /// Whether one more board read fits in this second's allowance.
    pub fn may_read(&self) -> bool {
        self.reads.check().is_ok()
    }

    /// The rendered board if it is current for `version` and `open`.
    pub fn current(&self, version: u64, open: bool) -> Option<Rendered> {
        let r = self.rendered.lock().unwrap_or_else(|p| p.into_inner());
        r.as_ref()
            .filter(|r| r.version == version && r.open == open)
            .cloned()
    }

    pub(crate) fn keep(&self, r: Rendered) {
        *self.rendered.lock().unwrap_or_else(|p| p.into_inner()) = Some(r);
    }

    /// Counts a newly stored result (unless the load from the store already had it) and wakes
    /// this class's streams.
    pub async fn add(&self, r: &StoredResult) {
        if let Some((tally, loaded)) = self.tally.lock().await.as_mut()
            && r.id > *loaded
        {
            tally.add(r);
        }
        self.changed();
    }

    /// Wakes this class's streams (and makes the next read render again).
    pub fn changed(&self) {
        self.version.send_modify(|v| *v += 1);
    }
}

pub type ClassState = Arc<Shared>;

impl Shared {
    pub fn new(store: Arc<dyn ClassStore>, scenarios: &Scenarios, trainer_key: String) -> Shared {
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
            classes: RwLock::new(HashMap::new()),
            live: RwLock::new(HashMap::new()),
            access_log: false,
            trainer_key,
            rate_limits: false,
            caps: listen::Caps::default(),
            frame_ancestors: None,
            guesses: middleware::Guesses::default(),
            public_url: None,
            listening: None,
            lan: None,
        }
    }

    /// The live board of class `code` (created empty on first use).
    pub fn live(&self, code: &str) -> Arc<Live> {
        if let Some(l) = self
            .live
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(code)
        {
            return Arc::clone(l);
        }
        let mut all = self.live.write().unwrap_or_else(|p| p.into_inner());
        Arc::clone(
            all.entry(code.to_owned())
                .or_insert_with(|| Arc::new(Live::new())),
        )
    }

    fn cached(&self, code: &str) -> Option<ClassInfo> {
        self.classes
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .get(code)
            .cloned()
    }

    /// Forgets deleted classes: their cached info and live boards.
    pub fn forget(&self, codes: &[String]) {
        let mut classes = self.classes.write().unwrap_or_else(|p| p.into_inner());
        let mut live = self.live.write().unwrap_or_else(|p| p.into_inner());
        for c in codes {
            classes.remove(c);
            live.remove(c);
        }
    }

    fn remember(&self, s: ClassInfo) {
        self.classes
            .write()
            .unwrap_or_else(|p| p.into_inner())
            .insert(s.code.clone(), s);
    }
}

/// Every two seconds, the write-ahead log is moved into the database on a blocking thread, so
/// no submission ever waits for a checkpoint. Stops when the server's state is dropped.
async fn checkpoints(shared: ClassState) {
    let weak = Arc::downgrade(&shared);
    drop(shared);
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(2));
    loop {
        tick.tick().await;
        let Some(shared) = weak.upgrade() else { return };
        let store = Arc::clone(&shared.store);
        drop(shared);
        if let Ok(Err(e)) = tokio::task::spawn_blocking(move || store.checkpoint()).await {
            eprintln!("checkpoint: {e}");
        }
    }
}

/// A running server: its address, what its handlers share, and a handle that stops it (send `()`).
pub struct Running {
    pub addr: SocketAddr,
    pub shared: ClassState,
    pub stop: tokio::sync::oneshot::Sender<()>,
    pub task: tokio::task::JoinHandle<std::io::Result<()>>,
}

/// Binds `addr` (port 0 picks a free one) and serves on the current tokio runtime.
pub async fn start(addr: SocketAddr, mut shared: Shared) -> std::io::Result<Running> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    shared.listening = Some(addr);
    shared.lan = reach::room_address(addr);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let shared = Arc::new(shared);
    let app = routes::router(Arc::clone(&shared));
    tokio::spawn(checkpoints(Arc::clone(&shared)));
    let caps = shared.caps;
    let task = tokio::spawn(listen::serve(listener, app, caps, async {
        // Dropping the handle without sending leaves the server running.
        if stopped.await.is_err() {
            std::future::pending::<()>().await;
        }
    }));
    Ok(Running {
        addr,
        shared,
        stop,
        task,
    })
}
