//! The accept loop: every connection gets a deadline for its request headers (which also closes
//! a kept-alive connection left idle), the server holds at most so many connections in all and
//! per client address, and a connection beyond either cap is answered at once with a JSON 503
//! and closed, so slow or idle sockets cannot starve the health check or other classes.

use axum::Router;
use axum::extract::ConnectInfo;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tower::ServiceExt;

/// A connection must send a whole request head within this (idle kept-alive ones too).
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// How many connections the server holds, and how long one may take over its request head.
#[derive(Clone, Copy, Debug)]
pub struct Caps {
    pub total: usize,
    /// Per client address; `None` for no cap (a load test from one address).
    pub per_address: Option<usize>,
    pub header_timeout: Duration,
}

impl Default for Caps {
    /// At most 4,096 connections, or what the open-file limit leaves room for.
    fn default() -> Caps {
        Caps {
            total: open_file_limit().map_or(4096, |n| n.saturating_sub(128).clamp(64, 4096)),
            per_address: None,
            header_timeout: HEADER_TIMEOUT,
        }
    }
}

/// The soft limit on open files, from /proc (Linux).
fn open_file_limit() -> Option<usize> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

/// Connections held, in all and per address.
#[derive(Default)]
struct Held {
    total: usize,
    by_address: HashMap<IpAddr, usize>,
}

/// One connection's place; given back when the connection ends.
struct Place(Arc<Mutex<Held>>, IpAddr);

impl Drop for Place {
    fn drop(&mut self) {
        let mut h = self.0.lock().unwrap_or_else(|p| p.into_inner());
        h.total = h.total.saturating_sub(1);
        if let Some(n) = h.by_address.get_mut(&self.1) {
            *n -= 1;
            if *n == 0 {
                h.by_address.remove(&self.1);
            }
        }
    }
}

/// A place for a connection from `ip`, or why there is none.
fn admit(held: &Arc<Mutex<Held>>, caps: Caps, ip: IpAddr) -> Result<Place, &'static str> {
    let mut h = held.lock().unwrap_or_else(|p| p.into_inner());
    if h.total >= caps.total {
        return Err("the server is holding as many connections as it can; try again shortly");
    }
    let mine = h.by_address.get(&ip).copied().unwrap_or(0);
    if caps.per_address.is_some_and(|cap| mine >= cap) {
        return Err("too many connections from this address; close some and try again");
    }
    h.total += 1;
    *h.by_address.entry(ip).or_default() += 1;
    Ok(Place(Arc::clone(held), ip))
}

/// Serves `app` on `listener` until `stop` resolves.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    caps: Caps,
    stop: impl std::future::Future<Output = ()>,
) -> std::io::Result<()> {
    let held = Arc::new(Mutex::new(Held::default()));
    tokio::pin!(stop);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                // Out of file descriptors or similar: wait instead of spinning.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut stop => return Ok(()),
        };
        match admit(&held, caps, peer.ip()) {
            Ok(place) => {
                let timeout = caps.header_timeout;
                tokio::spawn(connection(stream, peer, app.clone(), place, timeout));
            }
            Err(why) => {
                tokio::spawn(refuse(stream, why));
            }
        }
    }
}

/// One HTTP/1.1 connection, with the header deadline; the client's address goes to handlers.
async fn connection(
    stream: TcpStream,
    peer: SocketAddr,
    app: Router,
    place: Place,
    header_timeout: Duration,
) {
    stream.set_nodelay(true).ok();
    let svc = app.map_request(
        move |mut req: axum::extract::Request<hyper::body::Incoming>| {
            req.extensions_mut().insert(ConnectInfo(peer));
            req.map(axum::body::Body::new)
        },
    );
    let conn = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(header_timeout)
        .serve_connection(TokioIo::new(stream), TowerToHyperService::new(svc));
    let _ = conn.await;
    drop(place);
}

/// Answers a connection beyond the caps with a JSON 503 and closes it.
async fn refuse(mut stream: TcpStream, why: &str) {
    let body = serde_json::json!({ "error": why }).to_string();
    let answer = format!(
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: {}\r\nRetry-After: 5\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = tokio::time::timeout(Duration::from_secs(2), stream.write_all(answer.as_bytes())).await;
    let _ = stream.shutdown().await;
}
