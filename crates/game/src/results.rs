//! Results: every finished meeting goes on the local leaderboard, and in a class it is also
//! submitted to the class server as inputs (the server scores it itself). Network calls run on
//! a background thread so the window never freezes; the views read the resources here.

use crate::Screen;
use crate::meeting::{CurrentMeeting, Settings};
use bevy::prelude::*;
use class::client::{self, ClassClient, TokenBook, parse_join};
use class::protocol::{ClassView, Receipt, Submission};
use sim::text::Text;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use store::local::{LocalBoard, Ranked};

/// Where the local leaderboard is kept; `None` records nothing (headless tests, no data folder).
#[derive(Resource, Clone, Debug, Default)]
pub struct ResultsConfig {
    pub db: Option<PathBuf>,
}

/// The class this game has joined.
#[derive(Clone, Debug, PartialEq)]
pub struct ClassLink {
    pub server: String,
    pub class: ClassView,
}

/// Work on a background thread; `take` gives its answer once.
pub struct Background<T>(Arc<Mutex<Option<T>>>);

impl<T: Send + 'static> Background<T> {
    pub fn spawn(work: impl FnOnce() -> T + Send + 'static) -> Background<T> {
        let slot = Arc::new(Mutex::new(None));
        let out = Arc::clone(&slot);
        std::thread::spawn(move || {
            let answer = work();
            *out.lock().unwrap_or_else(|p| p.into_inner()) = Some(answer);
        });
        Background(slot)
    }

    pub fn take(&self) -> Option<T> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).take()
    }
}

/// The class: the fields on the title screen, the joined class, a join in progress.
#[derive(Resource, Default)]
pub struct Class {
    pub server_field: String,
    pub code_field: String,
    pub link: Option<ClassLink>,
    pub joining: Option<Background<Result<ClassLink, String>>>,
    pub error: Option<String>,
}

/// What became of the last finished meeting.
#[derive(Resource, Default)]
pub struct LastResult {
    /// The local leaderboard: saved, or why not.
    pub local: Option<Result<(), String>>,
    pub class: ClassSubmit,
}

#[derive(Default)]
pub enum ClassSubmit {
    /// Not a class attempt.
    #[default]
    None,
    Sending(Background<Result<Receipt, String>>),
    Sent(Receipt),
    Failed(String),
}

/// The local leaderboard as last read.
#[derive(Resource, Default)]
pub struct Board {
    pub rows: Option<Result<Vec<Ranked>, String>>,
    /// The case shown (None: the first with results).
    pub case: Option<String>,
}

/// Join a class: a join address (`http://HOST:PORT/j/CODE`), or a server and a code.
#[derive(Message, Clone, Debug)]
pub struct JoinClass {
    pub server: String,
    pub code: String,
}

#[derive(Message, Clone, Debug)]
pub struct LeaveClass;

pub(super) fn plugin(app: &mut App) {
    app.add_message::<JoinClass>()
        .add_message::<LeaveClass>()
        .init_resource::<Class>()
        .init_resource::<LastResult>()
        .init_resource::<Board>()
        .add_systems(Startup, join_at_start)
        .add_systems(OnEnter(Screen::Debrief), record_finished)
        .add_systems(OnEnter(Screen::Leaderboard), load_board)
        .add_systems(Update, (join_class, leave_class, poll_background));
}

/// The name on the leaderboards: what the trainee typed, or "anonymous".
pub fn display_name(settings: &Settings) -> String {
    let name = settings.trainee.trim();
    if name.is_empty() {
        "匿名 anonymous".to_owned()
    } else {
        name.to_owned()
    }
}

fn record_finished(
    current: Option<Res<CurrentMeeting>>,
    settings: Res<Settings>,
    config: Option<Res<ResultsConfig>>,
    class: Res<Class>,
    mut last: ResMut<LastResult>,
) {
    let Some(current) = current else { return };
    let n = &current.meeting;
    if !n.is_over() {
        return;
    }
    let name = display_name(&settings);
    let link = class
        .link
        .as_ref()
        .filter(|l| l.class.case == n.bundle.case.id && l.class.seed == n.seed);
    let db = config.and_then(|c| c.db.clone());
    last.local = db.clone().map(|path| {
        LocalBoard::open(&path)
            .and_then(|mut b| b.record(&name, n, link.map(|l| l.class.code.as_str())))
            .map(|_| ())
            .map_err(|e| e.to_string())
    });
    last.class = match link {
        None => ClassSubmit::None,
        Some(link) => {
            let script = sim::script::Script::of(n);
            let (server, code) = (link.server.clone(), link.class.code.clone());
            // Tokens from joining are kept beside the local leaderboard.
            let book = db
                .as_ref()
                .and_then(|db| db.parent())
                .map(|d| d.join("class-tokens.json"));
            ClassSubmit::Sending(Background::spawn(move || {
                let sub = Submission::of(&name, &script).map_err(|e| e.to_string())?;
                let client = ClassClient::new(&server).map_err(|e| e.to_string())?;
                let token = TokenBook::open(book)
                    .token(&client, &code, &name)
                    .map_err(|e| e.to_string())?;
                client
                    .submit(&code, &sub, &token)
                    .map_err(|e| e.to_string())
            }))
        }
    };
}

fn join_class(mut joins: MessageReader<JoinClass>, mut class: ResMut<Class>) {
    let Some(join) = joins.read().last().cloned() else {
        return;
    };
    class.error = None;
    class.joining = Some(Background::spawn(move || {
        // Accept a whole join address typed into the server field, or server + code.
        let (server, code) = if join.code.trim().is_empty() {
            parse_join(&join.server).map_err(|e| e.to_string())?
        } else {
            (
                join.server.trim().to_owned(),
                join.code.trim().to_ascii_uppercase(),
            )
        };
        let (client, class) = client::join(&server, &code).map_err(|e| e.to_string())?;
        Ok(ClassLink {
            server: client.base().to_owned(),
            class,
        })
    }));
}

/// `game --join URL/CODE`: fill in the address and join straight away.
fn join_at_start(
    opts: Option<Res<crate::GameOptions>>,
    mut class: ResMut<Class>,
    mut join: MessageWriter<JoinClass>,
) {
    if let Some(address) = opts.and_then(|o| o.join.clone()) {
        class.server_field = address.clone();
        join.write(JoinClass {
            server: address,
            code: String::new(),
        });
    }
}

fn leave_class(mut leaves: MessageReader<LeaveClass>, mut class: ResMut<Class>) {
    if leaves.read().last().is_some() {
        class.link = None;
        class.joining = None;
        class.error = None;
    }
}

fn poll_background(
    mut class: ResMut<Class>,
    mut last: ResMut<LastResult>,
    mut settings: ResMut<Settings>,
) {
    if let Some(answer) = class.joining.as_ref().and_then(Background::take) {
        class.joining = None;
        match answer {
            Ok(link) => {
                settings.seed = link.class.seed;
                class.link = Some(link);
            }
            Err(e) => class.error = Some(e),
        }
    }
    if let ClassSubmit::Sending(bg) = &last.class
        && let Some(answer) = bg.take()
    {
        last.class = match answer {
            Ok(r) => ClassSubmit::Sent(r),
            Err(e) => ClassSubmit::Failed(e),
        };
    }
}

fn load_board(config: Option<Res<ResultsConfig>>, mut board: ResMut<Board>) {
    board.rows = Some(match config.and_then(|c| c.db.clone()) {
        None => Ok(Vec::new()),
        Some(path) if !path.exists() => Ok(Vec::new()),
        Some(path) => LocalBoard::open(&path)
            .and_then(|b| b.ranked(None))
            .map_err(|e| e.to_string()),
    });
}

/// How a class is described on screen.
pub fn class_label(link: &ClassLink) -> Text {
    let s = &link.class;
    Text {
        zh: format!("课堂 {} · {} · 种子 {}", s.code, s.title.zh, s.seed),
        en: format!("Class {} · {} · seed {}", s.code, s.title.en, s.seed),
    }
}
