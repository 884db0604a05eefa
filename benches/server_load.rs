//! Load generator for the class server, on loopback: C concurrent clients, each on its own
//! keep-alive connection, submit distinct legal attempts as fast as the server answers; every
//! answer is a replay-verified, stored result (201). Prints submissions per second and p50 /
//! p99 / max latency, then checks the server stored exactly what it acknowledged.
//!
//! Two modes. Flat out (the default): each client sends its next attempt as soon as the last
//! is answered, which measures the most the server can verify per second; with C clients
//! always waiting, latency is then C / throughput by Little's law. `--rate R`: the clients
//! together offer R submissions per second on a fixed schedule, and latency is measured from
//! each send's scheduled time (so a stalled server cannot hide its backlog), which measures the
//! latency a class sees at that load.
//!
//! `--abuse` adds a hostile classroom to the in-process server before the clock starts: one
//! "big" session filled with 30,000 stored results (1,000 names), 2,000 projector streams and
//! 600 clients fetching its leaderboard in a loop, 500 slowloris sockets, and a trickle of
//! submissions to the big session so its board keeps changing; the measured clients then
//! submit to ten other sessions. It also prints the process's peak memory.
//!
//!     cargo bench --bench server_load                      # in-process server, 200 clients, 10 s
//!     cargo bench --bench server_load -- --clients 200 --seconds 10 --rate 2000
//!     cargo bench --bench server_load -- --server http://127.0.0.1:7878 --trainer-key KEY
//!     cargo bench --bench server_load -- --abuse           # needs `ulimit -n` of 16,000 or more

use authoring::LoadScenarios;
use class::protocol::{Said, Submission};
use class::{Shared, start};
use sim::CaseBundle;
use sim::Scenarios;
use sim::autoplay;
use sim::bundled_dir;
use sim::script::Script;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use store::{ClassStore, SqliteClassStore};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

mod common;
use common::{connect, join, open_session, peak_memory_mb, percentile, request};

const CASE: &str = "fastener_factory";
const SEED: u64 = 7;

struct Args {
    clients: usize,
    seconds: u64,
    server: Option<String>,
    rate: Option<f64>,
    abuse: bool,
    trainer_key: String,
}

/// The hostile classroom of `--abuse`.
const BIG_RESULTS: usize = 30_000;
const BIG_NAMES: usize = 1_000;
const STREAMS: usize = 2_000;
const BOARD_READERS: usize = 600;
const SLOWLORIS: usize = 500;
/// The trainer key of the in-process server.
const TRAINER_KEY: &str = "load-test-trainer-key";
/// Sessions the measured clients submit to in `--abuse`.
const OTHER_SESSIONS: usize = 10;

fn args() -> Args {
    let mut a = Args {
        clients: 200,
        seconds: 10,
        server: None,
        rate: None,
        abuse: false,
        trainer_key: TRAINER_KEY.to_owned(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        match k.as_str() {
            "--clients" => a.clients = it.next().and_then(|v| v.parse().ok()).unwrap_or(a.clients),
            "--seconds" => a.seconds = it.next().and_then(|v| v.parse().ok()).unwrap_or(a.seconds),
            "--server" => a.server = it.next(),
            "--rate" => a.rate = it.next().and_then(|v| v.parse().ok()),
            "--abuse" => a.abuse = true,
            "--trainer-key" => a.trainer_key = it.next().unwrap_or_default(),
            _ => {} // `cargo bench` passes --bench
        }
    }
    a
}

/// Distinct legal attempts at the class's meeting: random players and the model approach.
fn attempts(bundle: &Arc<CaseBundle>) -> Vec<Script> {
    (0..512u64)
        .map(|p| {
            let n = if p % 8 == 0 {
                autoplay::model(bundle, SEED)
            } else {
                autoplay::random_player(bundle, SEED, p)
            };
            Script::of(&n)
        })
        .collect()
}

/// The server's base URL: the one given, or an in-process server (whose store is returned too).
fn server(
    a: &Args,
    sc: &Scenarios,
    rt: &tokio::runtime::Runtime,
    dir: &std::path::Path,
) -> (String, Option<Arc<SqliteClassStore>>) {
    if let Some(url) = &a.server {
        return (url.trim_end_matches('/').to_owned(), None);
    }
    let store = Arc::new(SqliteClassStore::open(&dir.join("load.sqlite3")).expect("store"));
    let running = rt
        .block_on(start(
            "127.0.0.1:0".parse().expect("addr"),
            Shared::new(store.clone(), sc, TRAINER_KEY.to_owned()),
        ))
        .expect("server");
    let url = format!("http://{}", running.addr);
    std::mem::forget(running.stop);
    (url, Some(store))
}

/// A submission body and its request head.
fn submission(
    (host, code, token): (&str, &str, &str),
    key: String,
    trainee: String,
    s: &Script,
) -> (String, Vec<u8>) {
    let sub = Submission {
        idempotency_key: key,
        trainee,
        preparations: s.preparations.clone(),
        choices: s
            .choices
            .iter()
            .map(|(l, t)| Said {
                line: l.clone(),
                seconds: *t,
            })
            .collect(),
    };
    let body = serde_json::to_vec(&sub).expect("json");
    let head = format!(
        "POST /api/sessions/{code}/results HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nAuthorization: Bearer {token}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    (head, body)
}

/// Fills the big session straight through the store, as if a long class had played.
fn fill(store: &SqliteClassStore, bundle: &Arc<CaseBundle>, code: &str, scripts: &[Script]) {
    let t0 = Instant::now();
    let summaries: Vec<_> = scripts
        .iter()
        .map(|s| sim::result::Summary::of(&s.replay(bundle.clone(), SEED).expect("replays")))
        .collect();
    for i in 0..BIG_RESULTS {
        let k = i % scripts.len();
        let name = format!("学员 {}", i % BIG_NAMES);
        store
            .submit(code, &format!("big-{i}"), &name, &scripts[k], &summaries[k])
            .expect("stored");
    }
    println!(
        "filled session {code} with {BIG_RESULTS} results in {:.1} s",
        t0.elapsed().as_secs_f64()
    );
}

/// The hostile classroom on the big session: projector streams, leaderboard readers, slowloris
/// sockets, and a trickle of new results so the board keeps changing.
fn hostile(
    rt: &tokio::runtime::Runtime,
    host: &str,
    big: &str,
    scripts: &Arc<Vec<Script>>,
    stop: &Arc<AtomicBool>,
) {
    for _ in 0..STREAMS {
        let (host, big, stop) = (host.to_owned(), big.to_owned(), stop.clone());
        rt.spawn(async move {
            let mut c = connect(&host).await;
            let req = format!("GET /api/sessions/{big}/events HTTP/1.1\r\nHost: {host}\r\n\r\n");
            c.write_all(req.as_bytes()).await.ok();
            let mut chunk = vec![0u8; 16384];
            while !stop.load(Ordering::Relaxed) {
                match c.read(&mut chunk).await {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {}
                }
            }
        });
    }
    for _ in 0..BOARD_READERS {
        let (host, big, stop) = (host.to_owned(), big.to_owned(), stop.clone());
        rt.spawn(async move {
            let mut c = connect(&host).await;
            let mut buf = Vec::new();
            let head =
                format!("GET /api/sessions/{big}/leaderboard HTTP/1.1\r\nHost: {host}\r\n\r\n");
            while !stop.load(Ordering::Relaxed) {
                if request(&mut c, &mut buf, &head, b"").await.is_err() {
                    c = connect(&host).await;
                }
            }
        });
    }
    for _ in 0..SLOWLORIS {
        let (host, stop) = (host.to_owned(), stop.clone());
        rt.spawn(async move {
            let mut c = connect(&host).await;
            c.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").await.ok();
            while !stop.load(Ordering::Relaxed) {
                tokio::time::sleep(Duration::from_secs(5)).await;
                if c.write_all(b"X-Slow: 1\r\n").await.is_err() {
                    break;
                }
            }
        });
    }
    let (host, big, scripts, stop) = (
        host.to_owned(),
        big.to_owned(),
        scripts.clone(),
        stop.clone(),
    );
    rt.spawn(async move {
        let mut c = connect(&host).await;
        // A trainee already on the big board (it is full), who joins for a token.
        let token = join(&mut c, &host, &big, "学员 0").await;
        let mut buf = Vec::new();
        let mut i = 0usize;
        while !stop.load(Ordering::Relaxed) {
            let s = &scripts[i % scripts.len()];
            let (head, body) = submission(
                (&host, &big, &token),
                format!("trickle-{i}"),
                "学员 0".to_owned(),
                s,
            );
            if request(&mut c, &mut buf, &head, &body).await.is_err() {
                c = connect(&host).await;
            }
            i += 1;
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    });
}

/// What one measured client did: verified, refused or failed, latencies (µs), sent.
type Tally = (u64, u64, Vec<u32>, u64);

/// The measured clients: client `c` submits to `codes[c % codes.len()]`.
fn submitters(
    rt: &tokio::runtime::Runtime,
    a: &Args,
    host: &str,
    codes: &[String],
    scripts: &Arc<Vec<Script>>,
    measuring: &Arc<AtomicBool>,
    stop: &Arc<AtomicBool>,
) -> Vec<tokio::task::JoinHandle<Tally>> {
    // Each client's gap between scheduled sends, when pacing.
    let gap = a
        .rate
        .map(|r| Duration::from_secs_f64(a.clients as f64 / r));
    let epoch = Instant::now();
    (0..a.clients)
        .map(|c| {
            let (scripts, host, code) = (
                scripts.clone(),
                host.to_owned(),
                codes[c % codes.len()].clone(),
            );
            let (measuring, stop) = (measuring.clone(), stop.clone());
            let clients = a.clients;
            rt.spawn(async move {
                let mut conn = connect(&host).await;
                let name = format!("学员 {c}");
                let token = join(&mut conn, &host, &code, &name).await;
                let mut buf = Vec::with_capacity(8192);
                let (mut ok, mut bad, mut lat) = (0u64, 0u64, Vec::<u32>::with_capacity(50_000));
                let mut i = 0usize;
                // Spread the clients' schedules evenly over one gap.
                let offset = gap.map(|g| g.mul_f64(c as f64 / clients as f64));
                while !stop.load(Ordering::Relaxed) {
                    let due = match (gap, offset) {
                        (Some(g), Some(o)) => {
                            let due = epoch + o + g * i as u32;
                            tokio::time::sleep_until(due.into()).await;
                            Some(due)
                        }
                        _ => None,
                    };
                    let s = &scripts[(c * 7919 + i) % scripts.len()];
                    let (head, body) = submission(
                        (&host, &code, &token),
                        format!("load-{c}-{i}"),
                        name.clone(),
                        s,
                    );
                    let t0 = due.unwrap_or_else(Instant::now);
                    let answer = request(&mut conn, &mut buf, &head, &body).await;
                    let us = t0.elapsed().as_micros().min(u128::from(u32::MAX)) as u32;
                    let counted = measuring.load(Ordering::Relaxed);
                    match answer {
                        Ok((201, _)) if counted => {
                            ok += 1;
                            lat.push(us);
                        }
                        Ok((201, _)) => {}
                        Ok((status, body)) => {
                            bad += 1;
                            if bad == 1 {
                                eprintln!(
                                    "client {c}: {status} {}",
                                    String::from_utf8_lossy(&body)
                                );
                            }
                        }
                        Err(e) => {
                            eprintln!("client {c}: {e}");
                            bad += 1;
                            break;
                        }
                    }
                    i += 1;
                }
                (ok, bad, lat, i as u64)
            })
        })
        .collect()
}

/// Attempts on a session's board.
fn stored(base: &str, code: &str) -> u64 {
    let url = format!("{base}/api/sessions/{code}/leaderboard");
    let text = ureq::get(&url)
        .call()
        .ok()
        .and_then(|mut r| {
            r.body_mut()
                .with_config()
                .limit(1 << 30)
                .read_to_string()
                .ok()
        })
        .unwrap_or_default();
    let board: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    board["attempts"].as_u64().unwrap_or(0)
}

/// Collects the measured clients and prints throughput and latency; returns (verified,
/// refused or failed, sent).
fn report(
    rt: &tokio::runtime::Runtime,
    tasks: Vec<tokio::task::JoinHandle<Tally>>,
    window: f64,
) -> (u64, u64, u64) {
    let (mut ok, mut bad, mut sent, mut lat) = (0u64, 0u64, 0u64, Vec::new());
    for t in tasks {
        let (o, b, l, s) = rt.block_on(t).expect("client task");
        ok += o;
        bad += b;
        sent += s;
        lat.extend(l);
    }
    lat.sort_unstable();
    println!(
        "verified submissions: {ok} in {window:.1} s = {:.0}/s; latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; refused or failed: {bad}",
        ok as f64 / window,
        percentile(&lat, 0.50),
        percentile(&lat, 0.99),
        percentile(&lat, 1.0),
    );
    (ok, bad, sent)
}

fn main() {
    let a = args();
    let sc = Scenarios::load(&bundled_dir()).expect("bundled scenarios");
    let bundle = CaseBundle::new(&sc, CASE).expect("case");
    let scripts = Arc::new(attempts(&bundle));
    let server_rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let (base, store) = server(&a, &sc, &server_rt, dir.path());
    let client = class::client::ClassClient::new(&base).expect("url");
    let new_session = || open_session(&client, CASE, SEED, &a.trainer_key);
    let host = base.trim_start_matches("http://").to_owned();
    let client_rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let measuring = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let codes: Vec<String> = (0..if a.abuse { OTHER_SESSIONS } else { 1 })
        .map(|_| new_session())
        .collect();
    if a.abuse {
        let big = new_session();
        let store = store.as_ref().expect("--abuse needs the in-process server");
        fill(store, &bundle, &big, &scripts);
        hostile(&client_rt, &host, &big, &scripts, &stop);
        println!(
            "hostile classroom on {big}: {STREAMS} streams, {BOARD_READERS} board readers, {SLOWLORIS} slowloris sockets, 20 results/s"
        );
    }
    println!(
        "class server {base}, sessions {}: {} clients for {} s ({} distinct attempts), {}",
        codes.join(" "),
        a.clients,
        a.seconds,
        scripts.len(),
        a.rate
            .map_or("flat out".to_owned(), |r| format!("offering {r:.0}/s"))
    );
    let tasks = submitters(&client_rt, &a, &host, &codes, &scripts, &measuring, &stop);

    // Two seconds of warm-up, then the measured window.
    std::thread::sleep(Duration::from_secs(2));
    measuring.store(true, Ordering::SeqCst);
    let t0 = Instant::now();
    std::thread::sleep(Duration::from_secs(a.seconds));
    measuring.store(false, Ordering::SeqCst);
    let window = t0.elapsed().as_secs_f64();
    stop.store(true, Ordering::SeqCst);
    let (_, bad, sent) = report(&client_rt, tasks, window);
    // Everything acknowledged (warm-up included) is on the boards.
    let on_boards: u64 = codes.iter().map(|c| stored(&base, c)).sum();
    println!("stored: {on_boards} attempts for {sent} sent, {bad} refused");
    if let Some(mb) = peak_memory_mb() {
        println!("peak memory (server and clients in one process): {mb:.0} MB");
    }
}
