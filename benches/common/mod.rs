//! What the load benches share: raw HTTP/1.1 on kept-alive connections (so the client costs
//! little next to the server), joining, percentiles and peak memory.

use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// One HTTP/1.1 request on a kept-alive connection; returns the status and body.
pub async fn request(
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

pub fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    f64::from(sorted[i]) / 1000.0
}

/// A connection, retried while the listener's backlog is full.
pub async fn connect(host: &str) -> TcpStream {
    for _ in 0..200 {
        if let Ok(c) = TcpStream::connect(host).await {
            c.set_nodelay(true).ok();
            return c;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("cannot connect to {host}");
}

/// Joins the session as `trainee` on this connection; returns the token.
pub async fn join(conn: &mut TcpStream, host: &str, code: &str, trainee: &str) -> String {
    let body = serde_json::json!({ "trainee": trainee }).to_string();
    let head = format!(
        "POST /api/sessions/{code}/join HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let mut buf = Vec::new();
    let (status, answer) = request(conn, &mut buf, &head, body.as_bytes())
        .await
        .expect("join");
    let v: serde_json::Value = serde_json::from_slice(&answer).unwrap_or_default();
    assert_eq!(status, 201, "join as {trainee}: {v}");
    v["token"].as_str().expect("token").to_owned()
}

/// The process's peak resident memory, from /proc (Linux).
pub fn peak_memory_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kb / 1024.0)
}

/// Opens a session of `case` and `seed` on the server behind `client`.
pub fn open_session(
    client: &class::client::ClassClient,
    case: &str,
    seed: u64,
    trainer_key: &str,
) -> String {
    let req = class::protocol::NewClass {
        case: case.into(),
        seed: Some(seed),
        deadline_minutes: None,
    };
    client
        .create_class(&req, trainer_key)
        .expect("session (for --server, pass its key with --trainer-key)")
        .class
        .code
}
