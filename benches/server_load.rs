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
//!     cargo bench --bench server_load                      # in-process server, 200 clients, 10 s
//!     cargo bench --bench server_load -- --clients 200 --seconds 10 --rate 2000
//!     cargo bench --bench server_load -- --server http://127.0.0.1:7878   # a running `serve`

use dunning_dojo::engine::autoplay;
use dunning_dojo::engine::script::Script;
use dunning_dojo::engine::{CaseBundle, Scenarios, bundled_dir};
use dunning_dojo::server::protocol::{Said, Submission};
use dunning_dojo::server::{Shared, start};
use dunning_dojo::store::SqliteClassStore;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const CASE: &str = "fastener_factory";
const SEED: u64 = 7;

struct Args {
    clients: usize,
    seconds: u64,
    server: Option<String>,
    rate: Option<f64>,
}

fn args() -> Args {
    let mut a = Args {
        clients: 200,
        seconds: 10,
        server: None,
        rate: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        match k.as_str() {
            "--clients" => a.clients = it.next().and_then(|v| v.parse().ok()).unwrap_or(a.clients),
            "--seconds" => a.seconds = it.next().and_then(|v| v.parse().ok()).unwrap_or(a.seconds),
            "--server" => a.server = it.next(),
            "--rate" => a.rate = it.next().and_then(|v| v.parse().ok()),
            _ => {} // `cargo bench` passes --bench
        }
    }
    a
}

/// One HTTP/1.1 request on a kept-alive connection; returns the status and body.
async fn request(
    conn: &mut TcpStream,
    buf: &mut Vec<u8>,
    head: &str,
    body: &[u8],
) -> std::io::Result<(u16, Vec<u8>)> {
    conn.write_all(head.as_bytes()).await?;
    conn.write_all(body).await?;
    buf.clear();
    let mut chunk = [0u8; 4096];
    loop {
        let k = conn.read(&mut chunk).await?;
        if k == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        buf.extend_from_slice(&chunk[..k]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let headers = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let status: u16 = headers
                .split(' ')
                .nth(1)
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            let len: usize = headers
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            while buf.len() < end + 4 + len {
                let k = conn.read(&mut chunk).await?;
                if k == 0 {
                    return Err(std::io::ErrorKind::UnexpectedEof.into());
                }
                buf.extend_from_slice(&chunk[..k]);
            }
            return Ok((status, buf[end + 4..end + 4 + len].to_vec()));
        }
    }
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    f64::from(sorted[i]) / 1000.0
}

fn main() {
    let a = args();
    let sc = Scenarios::load(&bundled_dir()).expect("bundled scenarios");
    let bundle = CaseBundle::new(&sc, CASE).expect("case");
    // Distinct legal attempts at the class's meeting: random players and the model approach.
    let scripts: Vec<Script> = (0..512u64)
        .map(|p| {
            let n = if p % 8 == 0 {
                autoplay::model(&bundle, SEED)
            } else {
                autoplay::random_player(&bundle, SEED, p)
            };
            Script::of(&n)
        })
        .collect();
    let scripts = Arc::new(scripts);

    let server_rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let base = match &a.server {
        Some(url) => url.trim_end_matches('/').to_owned(),
        None => {
            let store = SqliteClassStore::open(&dir.path().join("load.sqlite3")).expect("store");
            let running = server_rt
                .block_on(start(
                    "127.0.0.1:0".parse().expect("addr"),
                    Shared::new(Arc::new(store), &sc),
                ))
                .expect("server");
            let url = format!("http://{}", running.addr);
            std::mem::forget(running.stop);
            url
        }
    };
    let client = dunning_dojo::server::client::ClassClient::new(&base).expect("url");
    let session = client
        .create_session(&dunning_dojo::server::protocol::NewSession {
            case: CASE.into(),
            seed: Some(SEED),
            deadline_minutes: None,
        })
        .expect("session");
    let code = session.session.code.clone();
    let host = base.trim_start_matches("http://").to_owned();
    println!(
        "class server {base}, session {code}: {} clients for {} s ({} distinct attempts), {}",
        a.clients,
        a.seconds,
        scripts.len(),
        a.rate
            .map_or("flat out".to_owned(), |r| format!("offering {r:.0}/s"))
    );
    // Each client's gap between scheduled sends, when pacing.
    let gap = a
        .rate
        .map(|r| Duration::from_secs_f64(a.clients as f64 / r));
    let epoch = Instant::now();

    let client_rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let measuring = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let tasks: Vec<_> = (0..a.clients)
        .map(|c| {
            let (scripts, host, code) = (scripts.clone(), host.clone(), code.clone());
            let (measuring, stop) = (measuring.clone(), stop.clone());
            let clients = a.clients;
            client_rt.spawn(async move {
                let mut conn = TcpStream::connect(&host).await.expect("connect");
                conn.set_nodelay(true).ok();
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
                    let sub = Submission {
                        idempotency_key: format!("load-{c}-{i}"),
                        trainee: format!("学员 {c}-{i}"),
                        preparations: s.preparations.clone(),
                        choices: s.choices.iter().map(|(l, t)| Said { line: l.clone(), seconds: *t }).collect(),
                    };
                    let body = serde_json::to_vec(&sub).expect("json");
                    let head = format!(
                        "POST /api/sessions/{code}/results HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                        body.len()
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
                                eprintln!("client {c}: {status} {}", String::from_utf8_lossy(&body));
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
        .collect();

    // Two seconds of warm-up, then the measured window.
    std::thread::sleep(Duration::from_secs(2));
    measuring.store(true, Ordering::SeqCst);
    let t0 = Instant::now();
    std::thread::sleep(Duration::from_secs(a.seconds));
    measuring.store(false, Ordering::SeqCst);
    let window = t0.elapsed().as_secs_f64();
    stop.store(true, Ordering::SeqCst);
    let (mut ok, mut bad, mut sent, mut lat) = (0u64, 0u64, 0u64, Vec::new());
    for t in tasks {
        let (o, b, l, s) = client_rt.block_on(t).expect("client task");
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
    // Everything acknowledged (warm-up included) is on the board.
    let (status, text) = {
        let url = format!("{base}/api/sessions/{code}/leaderboard");
        let mut r = ureq::get(&url).call().expect("leaderboard");
        (
            r.status().as_u16(),
            r.body_mut()
                .with_config()
                .limit(1 << 30)
                .read_to_string()
                .unwrap_or_default(),
        )
    };
    let board: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
    println!(
        "stored: {} attempts (status {status}) for {sent} sent, {bad} refused",
        board["attempts"]
    );
}
