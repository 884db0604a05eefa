//! Helpers shared by the integration tests.
#![allow(dead_code)]

use authoring::LoadScenarios;
use sim::CaseBundle;
use sim::Meeting;
use sim::Scenarios;
use sim::autoplay::counter_for_open_excuse;
use sim::bundled_dir;
use sim::meeting::Event;
use std::sync::{Arc, OnceLock};

pub fn scenarios() -> &'static Scenarios {
    static SC: OnceLock<Scenarios> = OnceLock::new();
    SC.get_or_init(|| Scenarios::load(&bundled_dir()).expect("bundled scenarios validate"))
}

pub fn bundle(case: &str) -> Arc<CaseBundle> {
    CaseBundle::new(scenarios(), case).expect("bundled case")
}

pub fn start(case: &str, seed: u64, preps: &[&str]) -> Meeting {
    let preps: Vec<String> = preps.iter().map(|s| s.to_string()).collect();
    Meeting::new(bundle(case), seed, &preps).expect("valid preparations")
}

/// The course's lines from the greeting to a dated plan for the whole amount.
pub const TO_THE_PLAN: [&str; 4] = [
    "open_greet",
    "facts_confirm",
    "purpose_gentle",
    "plan_full_date",
];

/// Says each line in turn, first answering any open excuse with its first counter.
pub fn say_all(n: &mut Meeting, ids: &[&str]) {
    for id in ids {
        answer_excuses(n);
        n.respond_id(id, 3.0)
            .unwrap_or_else(|e| panic!("saying {id}: {e}; open: {:?}", open_ids(n)));
    }
}

pub fn answer_excuses(n: &mut Meeting) {
    while let Some(c) = counter_for_open_excuse(n) {
        n.respond(c, 3.0).expect("counter is available");
    }
}

pub fn open_ids(n: &Meeting) -> Vec<String> {
    n.open_ids().into_iter().map(str::to_owned).collect()
}

/// The ids of the tactic rules that fired in these events.
pub fn fired(n: &Meeting, events: &[Event]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::RuleFired { tactic, rule } => {
                Some(format!("{}#{}", n.bundle.tactics[*tactic].id, rule))
            }
            _ => None,
        })
        .collect()
}

/// Copies a folder tree.
pub fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let dest = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).unwrap();
        }
    }
}

/// A copy of the bundled scenarios in a temporary folder: (the folder's owner, its path).
pub fn scenario_copy() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("scenarios");
    copy_dir(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios"),
        &dir,
    );
    (tmp, dir)
}

/// The first ```ron block after `marker` in a Markdown document.
pub fn ron_block_after(doc: &str, marker: &str) -> String {
    let at = doc
        .find(marker)
        .unwrap_or_else(|| panic!("{marker:?} in doc"));
    let rest = &doc[at..];
    let start = rest.find("```ron\n").unwrap() + 7;
    let end = rest[start..].find("```").unwrap();
    rest[start..start + end].to_owned()
}

/// A class server on a free loopback port, in this process, with its own temporary database.
pub struct TestServer {
    pub base: String,
    /// What the server's handlers share (its sessions' live boards).
    pub shared: class::ClassState,
    pub dir: tempfile::TempDir,
    _runtime: tokio::runtime::Runtime,
}

pub fn class_server() -> TestServer {
    class_server_with(|_| {})
}

/// A class server in this process, set up by `setup` first (e.g. with rate limits on).
pub fn class_server_with(setup: impl FnOnce(&mut class::Shared)) -> TestServer {
    use class::{Shared, start};
    use store::SqliteClassStore;
    let dir = tempfile::tempdir().expect("temp dir");
    let store = SqliteClassStore::open(&dir.path().join("class.sqlite3")).expect("open store");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let mut shared = Shared::new(Arc::new(store), scenarios(), TRAINER_KEY.to_owned());
    setup(&mut shared);
    let running = runtime
        .block_on(start("127.0.0.1:0".parse().expect("addr"), shared))
        .expect("server starts");
    TestServer {
        base: format!("http://{}", running.addr),
        shared: running.shared,
        dir,
        _runtime: runtime,
    }
}

/// A plain HTTP client that returns every status instead of failing on 4xx.
pub fn http() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(std::time::Duration::from_secs(20)))
        .build()
        .into()
}

/// POSTs a raw JSON body; returns the status and the JSON answer (`Null` when not JSON).
/// To `…/results` and `…/replay` it posts as the trainee the body names, who joins first (once per session
/// and name, as the clients do); when that join is refused, its answer is returned. Anywhere
/// else it posts as the trainer (whose key only session creation reads).
pub fn post_raw(url: &str, body: &str) -> (u16, serde_json::Value) {
    let key = match url
        .strip_suffix("/results")
        .or_else(|| url.strip_suffix("/replay"))
    {
        Some(session) => match trainee_token(session, body) {
            Ok(token) => token,
            Err(refused) => return refused,
        },
        None => Some(TRAINER_KEY.to_owned()),
    };
    post_raw_as(url, body, key.as_deref())
}

/// The token of the trainee a submission body names (joining on first use); `None` when the
/// body names nobody; the join's answer when it is refused.
fn trainee_token(session: &str, body: &str) -> Result<Option<String>, (u16, serde_json::Value)> {
    use std::collections::HashMap;
    use std::sync::Mutex;
    static TOKENS: OnceLock<Mutex<HashMap<String, String>>> = OnceLock::new();
    let parsed: Option<serde_json::Value> = serde_json::from_str(body).ok();
    let Some(name) = parsed.as_ref().and_then(|v| v["trainee"].as_str()) else {
        return Ok(None);
    };
    let key = format!("{session}|{name}");
    let tokens = TOKENS.get_or_init(Default::default);
    if let Some(t) = tokens.lock().unwrap().get(&key) {
        return Ok(Some(t.clone()));
    }
    let (status, v) = join(&format!("{session}/join"), name);
    if status != 201 {
        return Err((status, v));
    }
    let token = v["token"].as_str().expect("a token").to_owned();
    tokens.lock().unwrap().insert(key, token.clone());
    Ok(Some(token))
}

/// Joins `name` through a class's join URL (`…/api/sessions/CODE/join`): the status and answer.
pub fn join(join_url: &str, name: &str) -> (u16, serde_json::Value) {
    post_raw_as(
        join_url,
        &serde_json::json!({ "trainee": name }).to_string(),
        None,
    )
}

/// Joins `name` through a class's join URL, which must take them; the trainee's token.
pub fn join_token(join_url: &str, name: &str) -> String {
    let (st, v) = join(join_url, name);
    assert_eq!(st, 201, "{v}");
    v["token"].as_str().unwrap().to_owned()
}

/// POSTs a raw JSON body with `Authorization: Bearer KEY` when a key is given.
pub fn post_raw_as(url: &str, body: &str, key: Option<&str>) -> (u16, serde_json::Value) {
    let mut req = http().post(url).header("Content-Type", "application/json");
    if let Some(k) = key {
        req = req.header("Authorization", format!("Bearer {k}"));
    }
    let mut r = req.send(body).expect("request");
    let status = r.status().as_u16();
    let text = r.body_mut().read_to_string().unwrap_or_default();
    (
        status,
        serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
    )
}

/// GETs a URL; returns the status and the body text.
pub fn get(url: &str) -> (u16, String) {
    let mut r = http().get(url).call().expect("request");
    let status = r.status().as_u16();
    (
        status,
        r.body_mut()
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_to_string()
            .unwrap_or_default(),
    )
}

/// The trainer key of the test servers (in process, and `serve` started by the tests).
pub const TRAINER_KEY: &str = "test-trainer-key-0123";

/// Opens a session on `base` with the trainer key; returns (code, admin token).
pub fn new_session(base: &str, case: &str, seed: u64) -> (String, String) {
    let (status, v) = post_raw(
        &format!("{base}/api/sessions"),
        &format!(r#"{{"case": "{case}", "seed": {seed}}}"#),
    );
    assert_eq!(status, 201, "{v}");
    (
        v["code"].as_str().expect("code").to_owned(),
        v["admin_token"].as_str().expect("token").to_owned(),
    )
}

/// A submission body for a played meeting.
pub fn submission(key: &str, trainee: &str, n: &Meeting) -> String {
    let script = sim::script::Script::of(n);
    let mut sub = class::protocol::Submission::of(trainee, &script).expect("rng");
    sub.idempotency_key = key.to_owned();
    serde_json::to_string(&sub).expect("json")
}

/// The number terminal play shows for line `id` in `case` (stable for the whole meeting).
pub fn line_number(case: &str, id: &str) -> usize {
    bundle(case).choice_index(id).expect("a line of the case") + 1
}

/// Terminal answers that say a repeatable line again and again until the meeting ends.
pub fn same_line_answers(case: &str, times: usize) -> String {
    format!("{}\n", line_number(case, "any_praise")).repeat(times)
}

/// Plays `plan` (choice indices) the model's way from where `n` stands: counters to the excuse
/// on the table first, lines not open at their turn skipped.
pub fn play_plan(n: &mut Meeting, plan: &[usize]) {
    let mut next = 0;
    while !n.is_over() {
        match sim::autoplay::model_step(n, plan, &mut next) {
            Some(i) => {
                n.respond(i, 3.0).expect("the plan's line is open");
            }
            None => break,
        }
    }
}

/// The program's binary, as Cargo built it for these tests.
pub const BIN: &str = env!("CARGO_BIN_EXE_dunning-dojo");

/// A data folder of this test process's own, so no test reads or writes a real leaderboard.
pub fn test_data_dir() -> &'static std::path::Path {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("a temporary data folder"))
        .path()
}

/// The binary in a fixed language (`LANG`, with no `LC_ALL`/`LC_MESSAGES` or display
/// inherited) and with the test data folder; a test may still set its own folder after.
pub fn dojo(lang: &str) -> std::process::Command {
    let mut c = std::process::Command::new(BIN);
    c.env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env("LANG", lang)
        .env("DUNNING_DOJO_DATA_DIR", test_data_dir());
    c
}

/// Runs `cmd` with `stdin` written to it and returns what it printed.
pub fn run_with_input(mut cmd: std::process::Command, stdin: &str) -> std::process::Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    // A program that exits before reading all of it is not an error here.
    let _ = child
        .stdin
        .take()
        .expect("piped stdin")
        .write_all(stdin.as_bytes());
    child.wait_with_output().expect("the binary's output")
}
