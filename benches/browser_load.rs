//! Load of browser play on the class server, on loopback: N simulated browser trainees (200 by
//! default, in classes of 40) each join, then play a whole meeting turn by turn as the trainee
//! page does: every turn is one `POST /replay` carrying the preparations and every line so far;
//! the last one (the meeting over) brings the debrief with its coaching; then the result is
//! submitted. Between turns each trainee thinks for a random 2–6 s (a realistic pace; a
//! trainee reads the reply and picks a line), and the trainees start spread over the first
//! think. Prints the latency of turns, of debriefs and of submissions (p50 / p99 / max), the
//! turns per second, the peak memory, and checks that every meeting was stored.
//!
//! `--think 0` sends every turn as soon as the last is answered: the most turns per second
//! the server can replay.
//!
//!     cargo bench --bench browser_load                        # 200 trainees, 2–6 s per turn
//!     cargo bench --bench browser_load -- --trainees 200 --think 0
//!     cargo bench --bench browser_load -- --server http://127.0.0.1:7878 --trainer-key KEY

use authoring::LoadScenarios;
use class::protocol::{Replay, Said, Submission};
use class::{Shared, start};
use rand_chacha::ChaCha8Rng;
use rand_core::{Rng, SeedableRng};
use sim::CaseBundle;
use sim::Scenarios;
use sim::autoplay;
use sim::bundled_dir;
use sim::script::Script;
use std::sync::Arc;
use std::time::{Duration, Instant};
use store::SqliteClassStore;

mod common;
use common::{connect, join, open_session, peak_memory_mb, percentile, request};

const CASE: &str = "fastener_factory";
const SEED: u64 = 7;
const TRAINER_KEY: &str = "load-test-trainer-key";
const PER_CLASS: usize = 40;

struct Args {
    trainees: usize,
    /// Seconds a trainee thinks per turn: uniform in [think_min, think_max].
    think_min: f64,
    think_max: f64,
    server: Option<String>,
    trainer_key: String,
}

fn args() -> Args {
    let mut a = Args {
        trainees: 200,
        think_min: 2.0,
        think_max: 6.0,
        server: None,
        trainer_key: TRAINER_KEY.to_owned(),
    };
    let mut it = std::env::args().skip(1);
    let num = |v: Option<String>, d: f64| v.and_then(|v| v.parse().ok()).unwrap_or(d);
    while let Some(k) = it.next() {
        match k.as_str() {
            "--trainees" => a.trainees = num(it.next(), 200.0) as usize,
            "--think" => {
                let t = num(it.next(), 0.0);
                (a.think_min, a.think_max) = (t, t);
            }
            "--think-min" => a.think_min = num(it.next(), a.think_min),
            "--think-max" => a.think_max = num(it.next(), a.think_max),
            "--server" => a.server = it.next(),
            "--trainer-key" => a.trainer_key = it.next().unwrap_or_default(),
            _ => {} // `cargo bench` passes --bench
        }
    }
    a
}

/// What one trainee measured, in microseconds.
#[derive(Default)]
struct Times {
    turns: Vec<u32>,
    debriefs: Vec<u32>,
    submits: Vec<u32>,
    failures: u64,
}

/// A request head for `path` with a JSON body and the trainee's token.
fn head(host: &str, path: &str, token: &str, len: usize) -> String {
    format!(
        "POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n\
         Authorization: Bearer {token}\r\nContent-Length: {len}\r\n\r\n"
    )
}

fn said(s: &Script, turns: usize) -> Vec<Said> {
    s.choices[..turns]
        .iter()
        .map(|(line, seconds)| Said {
            line: line.clone(),
            seconds: *seconds,
        })
        .collect()
}

/// One browser trainee: join, every turn a replay, then the submission.
async fn trainee(
    host: String,
    code: String,
    name: String,
    script: Script,
    a: (f64, f64),
    k: u64,
) -> Times {
    let mut rng = ChaCha8Rng::seed_from_u64(k);
    let mut think = move || a.0 + (a.1 - a.0) * (rng.next_u32() as f64 / f64::from(u32::MAX));
    tokio::time::sleep(Duration::from_secs_f64(think())).await;
    let mut conn = connect(&host).await;
    let token = join(&mut conn, &host, &code, &name).await;
    let (mut buf, mut t) = (Vec::new(), Times::default());
    let path = format!("/api/sessions/{code}/replay");
    for turns in 0..=script.choices.len() {
        let body = serde_json::to_vec(&Replay {
            trainee: name.clone(),
            preparations: script.preparations.clone(),
            choices: said(&script, turns),
        })
        .expect("json");
        let started = Instant::now();
        let answer = request(
            &mut conn,
            &mut buf,
            &head(&host, &path, &token, body.len()),
            &body,
        )
        .await;
        let us = started.elapsed().as_micros() as u32;
        match answer {
            Ok((200, _)) if turns == script.choices.len() => t.debriefs.push(us),
            Ok((200, _)) => t.turns.push(us),
            _ => t.failures += 1,
        }
        tokio::time::sleep(Duration::from_secs_f64(think())).await;
    }
    let sub = Submission {
        idempotency_key: format!("browser-load-{k}"),
        trainee: name,
        preparations: script.preparations.clone(),
        choices: said(&script, script.choices.len()),
    };
    let body = serde_json::to_vec(&sub).expect("json");
    let path = format!("/api/sessions/{code}/results");
    let started = Instant::now();
    match request(
        &mut conn,
        &mut buf,
        &head(&host, &path, &token, body.len()),
        &body,
    )
    .await
    {
        Ok((201, _)) => t.submits.push(started.elapsed().as_micros() as u32),
        _ => t.failures += 1,
    }
    t
}

/// The server's base URL: the one given, or an in-process server without per-address limits
/// (every simulated trainee comes from 127.0.0.1).
fn server(a: &Args, sc: &Scenarios, rt: &tokio::runtime::Runtime, dir: &std::path::Path) -> String {
    if let Some(url) = &a.server {
        return url.trim_end_matches('/').to_owned();
    }
    let store = Arc::new(SqliteClassStore::open(&dir.join("load.sqlite3")).expect("store"));
    let running = rt
        .block_on(start(
            "127.0.0.1:0".parse().expect("addr"),
            Shared::new(store, sc, TRAINER_KEY.to_owned()),
        ))
        .expect("server");
    std::mem::forget(running.stop);
    format!("http://{}", running.addr)
}

fn line(what: &str, v: &mut [u32]) {
    v.sort_unstable();
    println!(
        "{what:<12} {:>6}  p50 {:>6.2} ms  p99 {:>6.2} ms  max {:>6.2} ms",
        v.len(),
        percentile(v, 0.50),
        percentile(v, 0.99),
        percentile(v, 1.0)
    );
}

fn main() {
    let a = args();
    let sc = Scenarios::load(&bundled_dir()).expect("bundled scenarios");
    let bundle = CaseBundle::new(&sc, CASE).expect("case");
    let server_rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let base = server(&a, &sc, &server_rt, dir.path());
    let client = class::client::ClassClient::new(&base).expect("url");
    let classes: Vec<String> = (0..a.trainees.div_ceil(PER_CLASS))
        .map(|_| open_session(&client, CASE, SEED, &a.trainer_key))
        .collect();
    let host = base.trim_start_matches("http://").to_owned();
    println!(
        "class server {base}: {} browser trainees in {} classes, thinking {:.0}–{:.0} s a turn",
        a.trainees,
        classes.len(),
        a.think_min,
        a.think_max
    );
    let client_rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let t0 = Instant::now();
    let tasks: Vec<_> = (0..a.trainees)
        .map(|k| {
            // Every eighth trainee follows the course; the rest play as random trainees.
            let n = if k % 8 == 0 {
                autoplay::model(&bundle, SEED)
            } else {
                autoplay::random_player(&bundle, SEED, k as u64)
            };
            let code = classes[k / PER_CLASS].clone();
            let think = (a.think_min, a.think_max);
            client_rt.spawn(trainee(
                host.clone(),
                code,
                format!("学员 {k}"),
                Script::of(&n),
                think,
                k as u64,
            ))
        })
        .collect();
    let mut all = Times::default();
    for t in tasks {
        let t = client_rt.block_on(t).expect("trainee task");
        all.turns.extend(t.turns);
        all.debriefs.extend(t.debriefs);
        all.submits.extend(t.submits);
        all.failures += t.failures;
    }
    let secs = t0.elapsed().as_secs_f64();
    println!(
        "{} meetings played in {secs:.1} s; {:.1} turns/s",
        all.submits.len(),
        all.turns.len() as f64 / secs
    );
    line("turns", &mut all.turns);
    line("debriefs", &mut all.debriefs);
    line("submissions", &mut all.submits);
    println!("failed requests: {}", all.failures);
    if let Some(mb) = peak_memory_mb() {
        println!("peak memory (server and clients in one process): {mb:.0} MB");
    }
}
