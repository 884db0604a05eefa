//! The address trainees use to reach this server, for join links and the projector's QR code.
//!
//! In order: `serve --public-url` when given; else the host the request came in on, unless
//! that is this computer's own loopback name while the server listens on every interface (a
//! trainer opening the projector page on the server itself), when it is the computer's address
//! on the room's network.

use crate::ClassState;
use axum::http::{HeaderMap, header};
use std::net::{IpAddr, SocketAddr, UdpSocket};

/// `http://HOST:PORT` as the trainees' devices should use it (no trailing slash).
pub fn base(state: &ClassState, headers: &HeaderMap) -> String {
    if let Some(url) = &state.public_url {
        return url.trim_end_matches('/').to_owned();
    }
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .filter(|h| plausible_host(h));
    let port = state.listening.map_or(7878, |a| a.port());
    match host {
        Some(h) if !(is_loopback_host(h) && state.lan.is_some()) => format!("http://{h}"),
        _ => match (state.lan, state.listening) {
            (Some(ip), _) => format!("http://{}", SocketAddr::new(ip, port)),
            (None, Some(a)) => format!("http://{a}"),
            (None, None) => format!("http://127.0.0.1:{port}"),
        },
    }
}

/// The join address of class `code`.
pub fn join_url(state: &ClassState, headers: &HeaderMap, code: &str) -> String {
    format!("{}/j/{code}", base(state, headers))
}

/// A `Host` header that is a host name or address with an optional port, and nothing else.
fn plausible_host(h: &str) -> bool {
    !h.is_empty()
        && h.len() <= 255
        && h.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'))
}

fn is_loopback_host(h: &str) -> bool {
    let name = match h.strip_prefix('[') {
        Some(rest) => rest.split(']').next().unwrap_or(rest),
        None => h.rsplit_once(':').map_or(h, |(n, _)| n),
    };
    name.eq_ignore_ascii_case("localhost")
        || name.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// This computer's address on the room's network, when the server listens on every interface:
/// the source address the system would use toward a private or public address (a UDP
/// "connect" sends nothing). `None` when there is no such route or the server listens on one
/// address only (then that address is the one to use).
pub fn room_address(listening: SocketAddr) -> Option<IpAddr> {
    if !listening.ip().is_unspecified() {
        return None;
    }
    let probes = [
        "192.168.254.254:9",
        "10.254.254.254:9",
        "172.31.254.254:9",
        "203.0.113.1:9",
    ];
    probes.iter().find_map(|p| {
        let s = UdpSocket::bind("0.0.0.0:0").ok()?;
        s.connect(p).ok()?;
        let ip = s.local_addr().ok()?.ip();
        (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_names_are_recognised() {
        for h in [
            "localhost:7878",
            "127.0.0.1:7878",
            "[::1]:7878",
            "LOCALHOST",
        ] {
            assert!(is_loopback_host(h), "{h}");
        }
        for h in ["192.168.1.20:7878", "class.local", "[fe80::1]:80"] {
            assert!(!is_loopback_host(h), "{h}");
        }
    }

    #[test]
    fn only_plain_hosts_are_trusted() {
        assert!(plausible_host("192.168.1.20:7878"));
        assert!(!plausible_host("evil.example/\"><script>"));
        assert!(!plausible_host(""));
    }
}
