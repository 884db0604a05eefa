//! `kill -9` of the real server binary in the middle of a stream of submissions loses no result
//! it acknowledged: restart it on the same database, count, compare.

mod common;

use common::*;
use sim::autoplay;
use std::collections::BTreeSet;
use std::io::BufRead;
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// Starts `serve` on a free port, without per-address limits (the test's clients all come
/// from one address); returns the child and its base URL (from its first line).
fn serve(db: &std::path::Path) -> (Child, String) {
    serve_with(db, &["--no-rate-limits"], Stdio::null())
}

/// Starts `serve` on a free port with these extra arguments and its stderr sent to `stderr`.
fn serve_with(db: &std::path::Path, extra: &[&str], stderr: Stdio) -> (Child, String) {
    let mut child = dojo("C")
        .args([
            "serve",
            "--addr",
            "127.0.0.1:0",
            "--trainer-key",
            TRAINER_KEY,
        ])
        .args(extra)
        .arg("--db")
        .arg(db)
        .stdout(Stdio::piped())
        .stderr(stderr)
        .spawn()
        .expect("server starts");
    let out = child.stdout.take().expect("stdout");
    let mut first = String::new();
    let mut lines = std::io::BufReader::new(out);
    lines
        .read_line(&mut first)
        .expect("server prints its address");
    // Keep reading, so the server's later lines never meet a closed pipe.
    std::thread::spawn(move || std::io::copy(&mut lines, &mut std::io::sink()));
    let base = first
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap_or_else(|| panic!("no address in {first:?}"))
        .to_owned();
    (child, base)
}

/// The attempts the clients send in turn: model and random plays of the case, as scripts.
fn scripts(case: &str, seed: u64) -> Vec<serde_json::Value> {
    let b = bundle(case);
    (0..16)
        .map(|i| {
            let n = if i % 2 == 0 {
                autoplay::model(&b, seed)
            } else {
                autoplay::random_player(&b, seed, i)
            };
            serde_json::to_value(sim::script::Script::of(&n)).unwrap()
        })
        .collect()
}

/// Joins as `name` and submits `script` under that name; `None` once the server is gone.
fn join_and_submit(url: &str, name: &str, script: &serde_json::Value) -> Option<()> {
    let body = serde_json::json!({
        "idempotency_key": format!("key-{name}"),
        "trainee": name,
        "preparations": script["preparations"],
        "choices": script["choices"].as_array().unwrap().iter()
            .map(|c| serde_json::json!({"line": c[0], "seconds": c[1]}))
            .collect::<Vec<_>>(),
    });
    let join = http()
        .post(url.replace("/results", "/join"))
        .header("Content-Type", "application/json")
        .send(serde_json::json!({ "trainee": name }).to_string());
    let token = match join {
        Ok(mut j) if j.status().as_u16() == 201 => {
            let v: serde_json::Value =
                serde_json::from_str(&j.body_mut().read_to_string().unwrap()).unwrap();
            v["token"].as_str().unwrap().to_owned()
        }
        Ok(j) => panic!("join refused: {}", j.status()),
        Err(_) => return None,
    };
    let r = http()
        .post(url)
        .header("Content-Type", "application/json")
        .header("Authorization", format!("Bearer {token}"))
        .send(body.to_string());
    match r {
        Ok(resp) if resp.status().as_u16() == 201 => Some(()),
        Ok(resp) => panic!("unexpected {}", resp.status()),
        // The server is gone: this one was never acknowledged.
        Err(_) => None,
    }
}

/// A client thread: each attempt under its own name, until told to stop or the server is gone.
fn client(
    c: usize,
    url: String,
    scripts: Arc<Vec<serde_json::Value>>,
    acked: Arc<Mutex<BTreeSet<String>>>,
    stop: Arc<AtomicBool>,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let mut i = 0usize;
        while !stop.load(Ordering::SeqCst) {
            let name = format!("c{c}-{i}");
            if join_and_submit(&url, &name, &scripts[i % scripts.len()]).is_none() {
                break;
            }
            acked.lock().unwrap().insert(name);
            i += 1;
        }
    })
}

/// Waits until `n` results are acknowledged, then kills the server with SIGKILL.
fn kill_after(child: &mut Child, acked: &Mutex<BTreeSet<String>>, n: usize) {
    let started = std::time::Instant::now();
    while acked.lock().unwrap().len() < n {
        assert!(
            started.elapsed().as_secs() < 120,
            "the stream stalled before the kill"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "the server died by itself"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().expect("SIGKILL");
    child.wait().unwrap();
}

/// The trainee names of every result the class's CSV export holds.
fn stored_names(base: &str, code: &str, token: &str) -> BTreeSet<String> {
    let mut r = http()
        .get(&format!("{base}/api/sessions/{code}/results.csv"))
        .header("Authorization", format!("Bearer {token}"))
        .call()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let csv = r
        .body_mut()
        .with_config()
        .limit(64 << 20)
        .read_to_string()
        .unwrap();
    csv.lines()
        .skip(1)
        .filter_map(|l| l.split(',').nth(2))
        .map(str::to_owned)
        .collect()
}

#[test]
fn kill_9_mid_stream_loses_no_acknowledged_result() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("class.sqlite3");
    let (mut child, base) = serve(&db);
    let (code, token) = new_session(&base, "fastener_factory", 7);
    let scripts = Arc::new(scripts("fastener_factory", 7));
    let acked = Arc::new(Mutex::new(BTreeSet::<String>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let url = format!("{base}/api/sessions/{code}/results");
    let clients: Vec<_> = (0..4)
        .map(|c| client(c, url.clone(), scripts.clone(), acked.clone(), stop.clone()))
        .collect();
    // Let a few hundred results through, then kill the server mid-stream.
    kill_after(&mut child, &acked, 300);
    stop.store(true, Ordering::SeqCst);
    for c in clients {
        c.join().expect("client thread");
    }
    let acked = acked.lock().unwrap().clone();

    let (mut child, base) = serve(&db);
    let stored = stored_names(&base, &code, &token);
    let lost: Vec<&String> = acked.difference(&stored).collect();
    println!(
        "acknowledged {}, stored after restart {}",
        acked.len(),
        stored.len()
    );
    assert!(lost.is_empty(), "acknowledged but lost: {lost:?}");
    // At most the requests in flight at the kill were stored without an answer.
    assert!(
        stored.len() <= acked.len() + 4,
        "{} stored, {} acknowledged",
        stored.len(),
        acked.len()
    );
    let _ = child.kill();
    let _ = child.wait();
}

#[test]
fn a_second_server_on_the_same_database_refuses_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("class.sqlite3");
    let (mut first, base) = serve(&db);
    let second = dojo("C")
        .args(["serve", "--addr", "127.0.0.1:0", "--db"])
        .arg(&db)
        .output()
        .expect("runs");
    assert_eq!(second.status.code(), Some(2));
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(
        err.contains("already in use by another dunning-dojo class server")
            && err.contains("class.sqlite3"),
        "{err}"
    );
    // The first is untouched; once it is gone (even killed), the file can be served again.
    assert_eq!(get(&format!("{base}/api/health")).0, 200);
    first.kill().unwrap();
    first.wait().unwrap();
    let (mut again, base) = serve(&db);
    assert_eq!(get(&format!("{base}/api/health")).0, 200);
    again.kill().unwrap();
    again.wait().unwrap();
}

#[test]
fn serve_logs_each_request_without_its_token() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("class.sqlite3");
    let (mut child, base) = serve_with(&db, &[], Stdio::piped());
    let (code, token) = new_session(&base, "print_shop", 3);
    let r = http()
        .get(format!(
            "{base}/api/sessions/{code}/results.csv?token={token}"
        ))
        .header("Authorization", format!("Bearer {token}"))
        .call()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    child.kill().unwrap();
    let out = child.wait_with_output().unwrap();
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(log.contains("POST /api/sessions 201"), "{log}");
    assert!(
        log.contains(&format!("GET /api/sessions/{code}/results.csv 200")),
        "{log}"
    );
    assert!(
        !log.contains(&token),
        "the admin token never reaches the log"
    );
}
