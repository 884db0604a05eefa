//! The class server over real HTTP on loopback: sessions, replay-verified scores, idempotent
//! resubmission, every kind of bad body refused with a reason, admin actions behind the token,
//! unguessable join codes, the projector page's escaping and its live stream.

mod common;

use common::*;
use serde_json::Value;
use sim::autoplay;
use sim::result::Summary;
use std::io::{BufRead, BufReader, Write};

fn results_url(base: &str, code: &str) -> String {
    format!("{base}/api/sessions/{code}/results")
}

fn board(base: &str, code: &str) -> Value {
    let (status, text) = get(&format!("{base}/api/sessions/{code}/leaderboard"));
    assert_eq!(status, 200, "{text}");
    serde_json::from_str(&text).expect("board JSON")
}

/// POSTs a body of `len` bytes over a raw socket, reading the answer while still sending.
fn post_huge(base: &str, path: &str, len: usize) -> (u16, String) {
    use std::io::Read;
    let addr = base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(20)))
        .unwrap();
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {len}\r\n\r\n{{\"trainee\": \""
    )
    .unwrap();
    let mut writer = stream.try_clone().unwrap();
    let sender = std::thread::spawn(move || {
        let chunk = vec![b'x'; 64 * 1024];
        for _ in 0..len / chunk.len() {
            if writer.write_all(&chunk).is_err() {
                break;
            }
        }
    });
    let mut answer = Vec::new();
    let mut buf = [0u8; 4096];
    while let Ok(k) = stream.read(&mut buf) {
        if k == 0 {
            break;
        }
        answer.extend_from_slice(&buf[..k]);
        if answer.windows(4).any(|w| w == b"\r\n\r\n") && answer.ends_with(b"}") {
            break;
        }
    }
    let _ = stream.shutdown(std::net::Shutdown::Both);
    let _ = sender.join();
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, text)
}

fn healthy(base: &str) {
    assert_eq!(
        get(&format!("{base}/api/health")).0,
        200,
        "the server stopped serving"
    );
}

#[test]
fn the_class_meets_the_same_debtor_and_the_server_scores_the_inputs_itself() {
    let srv = class_server();
    let (code, _) = new_session(&srv.base, "fastener_factory", 7);
    let (status, text) = get(&format!(
        "{}/api/sessions/{}",
        srv.base,
        code.to_lowercase()
    ));
    assert_eq!(status, 200, "codes are case-insensitive: {text}");
    let s: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        (s["case"].as_str(), s["seed"].as_u64()),
        (Some("fastener_factory"), Some(7))
    );
    assert_eq!(s["open"], true);

    let b = bundle("fastener_factory");
    let model = autoplay::model(&b, 7);
    let random = autoplay::random(&b, 7);
    let (st, r1) = post_raw(
        &results_url(&srv.base, &code),
        &submission("attempt-0001", "王伟", &model),
    );
    assert_eq!(st, 201, "{r1}");
    assert_eq!(r1["score"].as_f64(), Some(Summary::of(&model).score));
    assert_eq!(r1["rank"], 1);
    let (st, r2) = post_raw(
        &results_url(&srv.base, &code),
        &submission("attempt-0002", "Alex", &random),
    );
    assert_eq!(st, 201, "{r2}");
    assert_eq!(r2["score"].as_f64(), Some(Summary::of(&random).score));
    assert_eq!((r2["rank"].as_u64(), r2["of"].as_u64()), (Some(2), Some(2)));

    let bd = board(&srv.base, &code);
    assert_eq!(bd["attempts"], 2);
    let names: Vec<&str> = bd["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["trainee"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["王伟", "Alex"], "best first");
    // The per-tactic summary counts what the two attempts actually said.
    let model_tactics = Summary::of(&model).tactics;
    let random_tactics = Summary::of(&random).tactics;
    for row in bd["tactics"].as_array().unwrap() {
        let id = row["tactic"].as_str().unwrap();
        let uses = model_tactics
            .iter()
            .chain(&random_tactics)
            .filter(|t| *t == id)
            .count();
        assert_eq!(row["uses"].as_u64(), Some(uses as u64), "{id}");
    }
    assert!(
        bd["tactics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["tactic"] == "facts")
    );
}

#[test]
fn resubmitting_an_attempt_does_not_duplicate_it() {
    let srv = class_server();
    let (code, _) = new_session(&srv.base, "print_shop", 3);
    let n = autoplay::model(&bundle("print_shop"), 3);
    let body = submission("same-key-123", "李娜", &n);
    let (first, a) = post_raw(&results_url(&srv.base, &code), &body);
    let (again, b) = post_raw(&results_url(&srv.base, &code), &body);
    assert_eq!((first, again), (201, 200));
    assert_eq!(a["id"], b["id"]);
    assert_eq!(b["repeat"], true);
    assert_eq!(board(&srv.base, &code)["attempts"], 1);
    // The same key for a different attempt is a client bug, not a duplicate.
    let other = autoplay::random(&bundle("print_shop"), 3);
    let (st, e) = post_raw(
        &results_url(&srv.base, &code),
        &submission("same-key-123", "李娜", &other),
    );
    assert_eq!(st, 409, "{e}");
    assert_eq!(board(&srv.base, &code)["attempts"], 1);
}

/// A bad body: what it is, where it goes, the body, the status it gets and what the reason says.
type BadBody = (&'static str, String, String, u16, &'static str);

/// Every kind of bad body, each made from a good submission `good_body` to the class at `url`.
fn bad_bodies(base: &str, url: &str, good_body: &Value) -> Vec<BadBody> {
    let url = url.to_owned();
    let with = |f: &dyn Fn(&mut Value)| {
        let mut v = good_body.clone();
        f(&mut v);
        v.to_string()
    };
    let long_name = "名".repeat(10_000);
    vec![
        (
            "malformed JSON",
            url.clone(),
            "{\"trainee\": ".into(),
            400,
            "malformed JSON",
        ),
        (
            "not an object",
            url.clone(),
            "[1, 2]".into(),
            422,
            "invalid type",
        ),
        (
            "missing choices",
            url.clone(),
            with(&|v| {
                v.as_object_mut().unwrap().remove("choices");
            }),
            422,
            "missing field `choices`",
        ),
        (
            "wrong type",
            url.clone(),
            with(&|v| v["choices"][0]["seconds"] = "soon".into()),
            422,
            "choices[0].seconds",
        ),
        (
            "10,000-character name",
            url.clone(),
            with(&|v| v["trainee"] = long_name.clone().into()),
            422,
            "at most 40 characters",
        ),
        (
            "control character",
            url.clone(),
            with(&|v| v["trainee"] = "Bob\u{7}".into()),
            422,
            "U+0007",
        ),
        (
            "bidi override",
            url.clone(),
            with(&|v| v["trainee"] = "a\u{202e}b".into()),
            422,
            "U+202E",
        ),
        (
            "empty name",
            url.clone(),
            with(&|v| v["trainee"] = "   ".into()),
            422,
            "a name is needed",
        ),
        (
            "forged score",
            url.clone(),
            with(&|v| v["score"] = 100.into()),
            422,
            "computed by the server",
        ),
        (
            "forged grade",
            url.clone(),
            with(&|v| v["grade"] = "A".into()),
            422,
            "unknown field `grade`",
        ),
        (
            "unknown session",
            results_url(base, "ZZZZZZ"),
            good_body.to_string(),
            404,
            "no class",
        ),
        (
            "nonsense code",
            results_url(base, "..%2F.."),
            good_body.to_string(),
            404,
            "",
        ),
        (
            "unknown line",
            url.clone(),
            with(&|v| v["choices"][0]["line"] = "pay_now_or_else".into()),
            422,
            "choices[0]",
        ),
        (
            "line not open yet",
            url.clone(),
            with(&|v| v["choices"].as_array_mut().unwrap().swap(0, 5)),
            422,
            "illegal replay",
        ),
        (
            "unfinished meeting",
            url.clone(),
            with(&|v| {
                v["choices"].as_array_mut().unwrap().truncate(3);
            }),
            422,
            "not over",
        ),
        (
            "lines after the end",
            url.clone(),
            with(&|v| {
                let c = v["choices"][0].clone();
                v["choices"].as_array_mut().unwrap().push(c);
            }),
            422,
            "illegal replay",
        ),
        (
            "preparation not offered",
            url.clone(),
            with(&|v| v["preparations"] = serde_json::json!(["lawyer_letter_x"])),
            422,
            "preparations",
        ),
        (
            "negative seconds",
            url.clone(),
            with(&|v| v["choices"][1]["seconds"] = (-5.0).into()),
            422,
            "choices[1].seconds",
        ),
        (
            "bad idempotency key",
            url.clone(),
            with(&|v| v["idempotency_key"] = "a b".into()),
            422,
            "idempotency_key",
        ),
        (
            "unknown case",
            format!("{base}/api/sessions"),
            r#"{"case": "fastner_factory"}"#.into(),
            422,
            "did you mean",
        ),
    ]
}

#[test]
fn bad_bodies_are_refused_with_a_reason_and_the_server_keeps_serving() {
    let srv = class_server();
    let (code, _) = new_session(&srv.base, "fastener_factory", 7);
    let url = results_url(&srv.base, &code);
    let good = autoplay::model(&bundle("fastener_factory"), 7);
    let good_body: Value =
        serde_json::from_str(&submission("good-key-0001", "Mia", &good)).unwrap();
    for (what, url, body, want, says) in bad_bodies(&srv.base, &url, &good_body) {
        let (status, v) = post_raw(&url, &body);
        assert_eq!(status, want, "{what}: {v}");
        let reason = v["error"]
            .as_str()
            .unwrap_or_else(|| panic!("{what}: no reason in {v}"));
        assert!(reason.contains(says), "{what}: {reason}");
        healthy(&srv.base);
    }
    // 10 MB is refused without being stored (or read: the answer comes while it is still
    // being sent, so the sender runs on its own thread).
    let (status, v) = post_huge(
        &srv.base,
        &format!("/api/sessions/{code}/results"),
        10 * 1024 * 1024,
    );
    assert_eq!(status, 413, "{v}");
    assert!(v.contains("larger than"), "{v}");
    healthy(&srv.base);
    assert_eq!(
        board(&srv.base, &code)["attempts"],
        0,
        "nothing bad was stored"
    );
    // And a good submission still goes through.
    assert_eq!(post_raw(&url, &good_body.to_string()).0, 201);
}

#[test]
fn admin_actions_need_the_sessions_token() {
    let srv = class_server();
    let (code, token) = new_session(&srv.base, "fastener_factory", 7);
    let (_, other_token) = new_session(&srv.base, "fastener_factory", 7);
    let csv = format!("{}/api/sessions/{code}/results.csv", srv.base);
    let close = format!("{}/api/sessions/{code}/close", srv.base);
    let status = |req: ureq::RequestBuilder<ureq::typestate::WithoutBody>| {
        req.call().unwrap().status().as_u16()
    };
    assert_eq!(status(http().get(&csv)), 401);
    assert_eq!(
        status(http().get(&csv).header("Authorization", "Bearer wrong")),
        403
    );
    assert_eq!(
        status(
            http()
                .get(&csv)
                .header("Authorization", format!("Bearer {other_token}"))
        ),
        403
    );
    let post = |auth: Option<&str>| {
        let mut r = http().post(&close);
        if let Some(a) = auth {
            r = r.header("Authorization", format!("Bearer {a}"));
        }
        r.send_empty().unwrap().status().as_u16()
    };
    assert_eq!(post(None), 401);
    assert_eq!(post(Some(&other_token)), 403);

    let n = autoplay::model(&bundle("fastener_factory"), 7);
    let url = results_url(&srv.base, &code);
    assert_eq!(
        post_raw(
            &url,
            &submission("k-before-close", "=cmd|' /C calc'!A0", &n)
        )
        .0,
        201
    );
    let mut r = http()
        .get(&csv)
        .header("Authorization", format!("Bearer {token}"))
        .call()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let text = r.body_mut().read_to_string().unwrap();
    assert!(text.lines().count() == 2, "{text}");
    assert!(
        text.contains(",'=cmd"),
        "a formula-like name is defused in CSV: {text}"
    );

    assert_eq!(post(Some(&token)), 200);
    let (st, v) = post_raw(&url, &submission("k-after-close", "Late", &n));
    assert_eq!(st, 403, "{v}");
    assert!(v["error"].as_str().unwrap().contains("closed"));
    // An attempt acknowledged before the close, sent again (a lost answer), gets its result.
    let (st, v) = post_raw(
        &url,
        &submission("k-before-close", "=cmd|' /C calc'!A0", &n),
    );
    assert_eq!(st, 200, "{v}");
    assert_eq!(v["repeat"], true);
    assert_eq!(v["score"].as_f64(), Some(Summary::of(&n).score));
}

#[test]
fn only_json_bodies_are_read_and_every_refusal_is_json() {
    let srv = class_server();
    let (code, _) = new_session(&srv.base, "print_shop", 3);
    let n = autoplay::model(&bundle("print_shop"), 3);
    let body = submission("plain-text-01", "Mallory", &n);
    // A cross-site form can post text/plain; the server does not read it.
    for kind in ["text/plain", "application/x-www-form-urlencoded"] {
        let mut r = http()
            .post(results_url(&srv.base, &code))
            .header("Content-Type", kind)
            .send(&body)
            .unwrap();
        assert_eq!(r.status().as_u16(), 415, "{kind}");
        let v: Value = serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
        assert!(
            v["error"].as_str().unwrap().contains("application/json"),
            "{v}"
        );
    }
    assert_eq!(board(&srv.base, &code)["attempts"], 0);
    // The framework's own refusals speak JSON too.
    let mut r = http()
        .delete(format!("{}/api/sessions/{code}", srv.base))
        .call()
        .unwrap();
    assert_eq!(r.status().as_u16(), 405);
    let v: Value = serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
    assert!(v["error"].as_str().unwrap().contains("DELETE"), "{v}");
    let (st, text) = get(&format!("{}/api/health?{}", srv.base, "x".repeat(5000)));
    assert_eq!(st, 414);
    assert!(serde_json::from_str::<Value>(&text).unwrap()["error"].is_string());
    let mut r = http()
        .get(format!("{}/api/health", srv.base))
        .header("X-Big", "y".repeat(20_000))
        .call()
        .unwrap();
    assert_eq!(r.status().as_u16(), 431);
    let v: Value = serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
    assert!(v["error"].as_str().unwrap().contains("headers"), "{v}");
}

#[test]
fn join_codes_are_not_guessable_by_counting() {
    let srv = class_server();
    let codes: Vec<String> = (0..300)
        .map(|_| new_session(&srv.base, "print_shop", 1).0)
        .collect();
    let alphabet = class::lookup::CODE_ALPHABET;
    let value = |c: &str| {
        c.bytes().fold(0i64, |v, b| {
            v * 31 + alphabet.iter().position(|&a| a == b).unwrap() as i64
        })
    };
    let mut distinct = codes.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), codes.len(), "every code is new");
    // Successive codes are far apart in the code space (31^6 ≈ 887 million).
    let close_pairs = codes
        .windows(2)
        .filter(|w| (value(&w[0]) - value(&w[1])).abs() < 1_000_000)
        .count();
    assert!(
        close_pairs < 5,
        "{close_pairs} successive codes were close: {codes:?}"
    );
    // Every position varies.
    for pos in 0..6 {
        let seen: std::collections::BTreeSet<u8> =
            codes.iter().map(|c| c.as_bytes()[pos]).collect();
        assert!(
            seen.len() > 20,
            "position {pos} took only {} values",
            seen.len()
        );
    }
    // A neighbour of a real code is not a session.
    let c = &codes[0];
    let last = c.as_bytes()[5];
    let next =
        alphabet[(alphabet.iter().position(|&a| a == last).unwrap() + 1) % alphabet.len()] as char;
    let neighbour = format!("{}{next}", &c[..5]);
    if !codes.contains(&neighbour) {
        assert_eq!(
            get(&format!("{}/api/sessions/{neighbour}", srv.base)).0,
            404
        );
    }
}

#[test]
fn the_projector_page_shows_names_as_text_and_updates_live() {
    let srv = class_server();
    let (code, _) = new_session(&srv.base, "fastener_factory", 7);
    let n = autoplay::model(&bundle("fastener_factory"), 7);
    let evil = "<script>alert(1)</script><b>x</b>";
    assert_eq!(
        post_raw(
            &results_url(&srv.base, &code),
            &submission("evil-key-01", evil, &n)
        )
        .0,
        201
    );

    let mut r = http()
        .get(&format!("{}/s/{code}", srv.base))
        .call()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let csp = r
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    assert!(csp.contains("default-src 'self'"), "{csp}");
    let html = r.body_mut().read_to_string().unwrap();
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;x&lt;/b&gt;"),
        "{html}"
    );
    assert!(!html.contains(evil));
    assert!(html.contains(&code) && html.contains("紧固件厂"));
    assert_eq!(get(&format!("{}/s/QQQQQQ", srv.base)).0, 404);

    // The live stream: the board at once, and again after a new result.
    let addr = srv.base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(20)))
        .unwrap();
    write!(stream, "GET /api/sessions/{code}/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n").unwrap();
    let mut lines = BufReader::new(stream.try_clone().unwrap()).lines();
    let mut next_board = || -> Value {
        loop {
            let line = lines.next().expect("stream open").expect("read");
            if let Some(data) = line.strip_prefix("data: ") {
                return serde_json::from_str(data).expect("board JSON");
            }
        }
    };
    assert_eq!(next_board()["attempts"], 1);
    let other = autoplay::random(&bundle("fastener_factory"), 7);
    assert_eq!(
        post_raw(
            &results_url(&srv.base, &code),
            &submission("live-key-01", "晚到的人", &other)
        )
        .0,
        201
    );
    let b = next_board();
    assert_eq!(b["attempts"], 2);
    assert!(
        b["rows"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["trainee"] == "晚到的人")
    );
}

#[test]
fn a_submission_wakes_only_its_own_session_and_boards_stay_exact() {
    let srv = class_server();
    let (busy, _) = new_session(&srv.base, "fastener_factory", 7);
    let (quiet, _) = new_session(&srv.base, "print_shop", 3);
    let quiet_board = board(&srv.base, &quiet);
    let version = |code: &str| *srv.shared.live(code).version.borrow();
    let quiet_before = version(&quiet);

    // Results to the busy session, some loaded before its first board, some after: the board
    // counts each exactly once, whichever way it was learnt.
    // Six different meetings at the session's seed: every k-th line of what is open.
    let attempts: Vec<_> = (1..=6)
        .map(|k| {
            let mut n = start("fastener_factory", 7, &[]);
            let mut at = 0;
            while !n.is_over() {
                let open = n.available();
                n.respond(open[at % open.len()], 3.0).unwrap();
                at += k;
            }
            n
        })
        .collect();
    let names = ["甲", "乙", "甲", "丙", "乙", "甲"];
    for (k, n) in attempts.iter().enumerate().take(3) {
        let (st, v) = post_raw(
            &results_url(&srv.base, &busy),
            &submission(&format!("busy-key-{k:03}"), names[k], n),
        );
        assert_eq!(st, 201, "{v}");
    }
    let first = board(&srv.base, &busy);
    assert_eq!(first["attempts"], 3);
    for (k, n) in attempts.iter().enumerate().skip(3) {
        let (st, v) = post_raw(
            &results_url(&srv.base, &busy),
            &submission(&format!("busy-key-{k:03}"), names[k], n),
        );
        assert_eq!(st, 201, "{v}");
    }
    let bd = board(&srv.base, &busy);
    assert_eq!(bd["attempts"], 6);
    let rows = bd["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 3, "one row per trainee");
    for row in rows {
        let who = row["trainee"].as_str().unwrap();
        let theirs: Vec<f64> = (0..6)
            .filter(|&k| names[k] == who)
            .map(|k| Summary::of(&attempts[k]).score)
            .collect();
        assert_eq!(row["attempts"].as_u64(), Some(theirs.len() as u64), "{who}");
        let best = theirs.iter().copied().fold(f64::MIN, f64::max);
        assert_eq!(row["score"].as_f64(), Some(best), "{who}'s best");
    }

    // The quiet class's streams were never woken, and its board was not rendered again.
    assert_eq!(version(&quiet), quiet_before);
    assert!(version(&busy) >= 6);
    assert_eq!(board(&srv.base, &quiet), quiet_board);
}

#[test]
fn names_that_hide_or_impersonate_are_refused() {
    let srv = class_server();
    let (code, _) = new_session(&srv.base, "print_shop", 3);
    let n = autoplay::model(&bundle("print_shop"), 3);
    let url = results_url(&srv.base, &code);
    assert_eq!(
        post_raw(&url, &submission("name-key-01", "Alice", &n)).0,
        201
    );
    for (k, name) in [
        "\u{0410}lice",   // Cyrillic А
        "A1ice",          // looks like Alice on a projector
        "Al\u{00AD}ice",  // soft hyphen
        "\u{3164}",       // Hangul filler: prints as nothing
        "Ali\u{E0041}ce", // tag character
    ]
    .iter()
    .enumerate()
    {
        let (st, v) = post_raw(&url, &submission(&format!("name-key-1{k}"), name, &n));
        assert_eq!(st, 422, "{name:?}: {v}");
        assert!(v["error"].as_str().unwrap().starts_with("trainee:"), "{v}");
    }
    // Alice herself may try again; a decomposed "Zoë" is stored composed.
    assert_eq!(
        post_raw(&url, &submission("name-key-20", "Alice", &n)).0,
        201
    );
    let (st, v) = post_raw(&url, &submission("name-key-21", "Zoe\u{308}", &n));
    assert_eq!(st, 201, "{v}");
    assert_eq!(v["trainee"], "Zoë");
    assert_eq!(board(&srv.base, &code)["attempts"], 3);
}

#[test]
fn only_a_trainer_with_the_servers_key_opens_sessions() {
    let srv = class_server();
    let url = format!("{}/api/sessions", srv.base);
    let body = r#"{"case": "print_shop", "seed": 3}"#;
    let send = |auth: Option<&str>| {
        let mut r = http().post(&url).header("Content-Type", "application/json");
        if let Some(k) = auth {
            r = r.header("Authorization", format!("Bearer {k}"));
        }
        let mut r = r.send(body).unwrap();
        let v: Value = serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
        (r.status().as_u16(), v)
    };
    let (st, v) = send(None);
    assert_eq!(st, 401, "{v}");
    assert!(v["error"].as_str().unwrap().contains("trainer key"), "{v}");
    assert_eq!(send(Some("someone-elses-key")).0, 403);
    // A session's admin token is not the trainer key either.
    let (_, admin) = new_session(&srv.base, "print_shop", 3);
    assert_eq!(send(Some(&admin)).0, 403);
    assert_eq!(send(Some(TRAINER_KEY)).0, 201);
}

#[test]
fn one_address_cannot_flood_the_server_with_sessions() {
    let srv = class_server_with(|s| s.rate_limits = true);
    let url = format!("{}/api/sessions", srv.base);
    let body = r#"{"case": "print_shop", "seed": 3}"#;
    let statuses: Vec<u16> = (0..12).map(|_| post_raw(&url, body).0).collect();
    assert_eq!(
        statuses[..10],
        [201; 10],
        "a trainer opening a day's sessions is fine"
    );
    let mut r = http()
        .post(&url)
        .header("Content-Type", "application/json")
        .header("Authorization", format!("Bearer {TRAINER_KEY}"))
        .send(body)
        .unwrap();
    assert_eq!(r.status().as_u16(), 429);
    assert!(r.headers().get("retry-after").is_some());
    let v: Value = serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
    assert!(
        v["error"].as_str().unwrap().contains("opening classes"),
        "{v}"
    );
    // Everything else still answers.
    healthy(&srv.base);
}

#[test]
fn a_session_takes_a_bounded_number_of_trainees() {
    use class::handlers::results::TRAINEES_PER_SESSION;
    let srv = class_server();
    let (code, _) = new_session(&srv.base, "print_shop", 3);
    let n = autoplay::model(&bundle("print_shop"), 3);
    let url = results_url(&srv.base, &code);
    for k in 0..TRAINEES_PER_SESSION {
        let (st, v) = post_raw(
            &url,
            &submission(&format!("cap-key-{k:04}"), &format!("T{k}"), &n),
        );
        assert_eq!(st, 201, "{v}");
    }
    let (st, v) = post_raw(&url, &submission("cap-key-late", "Latecomer", &n));
    assert_eq!(st, 403, "{v}");
    assert!(v["error"].as_str().unwrap().contains("trainees"), "{v}");
    // Someone already on the board may still try again.
    assert_eq!(
        post_raw(&url, &submission("cap-key-again", "T7", &n)).0,
        201
    );
}

#[test]
fn idle_and_slow_sockets_cannot_starve_the_server() {
    use class::listen::Caps;
    use std::io::Read;
    use std::net::TcpStream;
    use std::time::Duration;
    let srv = class_server_with(|s| {
        s.caps = Caps {
            total: 8,
            per_address: None,
            header_timeout: Duration::from_millis(300),
        }
    });
    let host = srv.base.trim_start_matches("http://").to_owned();
    // A slowloris socket: half a request head, then nothing. The server closes it.
    let mut slow = TcpStream::connect(&host).unwrap();
    slow.write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\n")
        .unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut buf = [0u8; 512];
    let n = slow.read(&mut buf).unwrap_or(0);
    let answer = String::from_utf8_lossy(&buf[..n]);
    assert!(
        n == 0 || answer.contains("408"),
        "closed, not served: {answer}"
    );

    // Sockets held open up to the cap: the next connection is told so in JSON, at once.
    let held: Vec<TcpStream> = (0..8).map(|_| TcpStream::connect(&host).unwrap()).collect();
    let (status, body) = get(&format!("{}/api/health", srv.base));
    assert_eq!(status, 503, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert!(v["error"].as_str().unwrap().contains("connections"), "{v}");
    // Idle ones are closed by the header deadline, and the server answers again.
    drop(held);
    let mut tries = 0;
    while get(&format!("{}/api/health", srv.base)).0 != 200 {
        tries += 1;
        assert!(tries < 200, "the server never recovered");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn nobody_can_submit_under_another_trainees_name() {
    let srv = class_server();
    let (code, _) = new_session(&srv.base, "print_shop", 3);
    let join = format!("{}/api/sessions/{code}/join", srv.base);
    let url = results_url(&srv.base, &code);
    let good = autoplay::model(&bundle("print_shop"), 3);
    let bad = autoplay::random(&bundle("print_shop"), 3);
    let (st, alice) = post_raw_as(&join, r#"{"trainee": "Alice"}"#, None);
    assert_eq!(st, 201, "{alice}");
    let alice = alice["token"].as_str().unwrap().to_owned();
    let (st, mallory) = post_raw_as(&join, r#"{"trainee": "Mallory"}"#, None);
    assert_eq!(st, 201, "{mallory}");
    let mallory = mallory["token"].as_str().unwrap().to_owned();

    // The name is taken: joining as Alice again is refused.
    let (st, v) = post_raw_as(&join, r#"{"trainee": "Alice"}"#, None);
    assert_eq!(st, 409, "{v}");
    // Without a token, or with Mallory's, nothing is stored under Alice's name.
    let as_alice = submission("forged-key-01", "Alice", &bad);
    let (st, v) = post_raw_as(&url, &as_alice, None);
    assert_eq!(st, 401, "{v}");
    let (st, v) = post_raw_as(&url, &as_alice, Some(&mallory));
    assert_eq!(st, 403, "{v}");
    assert!(v["error"].as_str().unwrap().contains("Alice"), "{v}");
    // A name that never joined cannot be posted under either.
    let (st, v) = post_raw_as(
        &url,
        &submission("forged-key-02", "Bob", &bad),
        Some(&mallory),
    );
    assert_eq!(st, 403, "{v}");
    assert_eq!(board(&srv.base, &code)["attempts"], 0);
    // Alice with her own token.
    let (st, v) = post_raw_as(
        &url,
        &submission("alice-key-01", "Alice", &good),
        Some(&alice),
    );
    assert_eq!(st, 201, "{v}");
    assert_eq!(board(&srv.base, &code)["rows"][0]["trainee"], "Alice");
}

#[test]
fn a_server_database_from_before_trainee_tokens_is_brought_up_to_date() {
    use store::{ClassStore, SqliteClassStore};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.sqlite3");
    {
        // Schema 1, as the previous release wrote it, with a session in it.
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch(
            "CREATE TABLE sessions (code TEXT PRIMARY KEY, admin_token TEXT NOT NULL,
                 case_id TEXT NOT NULL, seed INTEGER NOT NULL, deadline INTEGER,
                 created_at INTEGER NOT NULL, closed INTEGER NOT NULL DEFAULT 0);
             CREATE TABLE results (id INTEGER PRIMARY KEY,
                 session TEXT NOT NULL REFERENCES sessions (code), idem_key TEXT NOT NULL,
                 trainee TEXT NOT NULL, inputs TEXT NOT NULL, summary TEXT NOT NULL,
                 score REAL NOT NULL, submitted_at INTEGER NOT NULL, UNIQUE (session, idem_key));
             CREATE INDEX results_by_score ON results (session, score DESC);
             INSERT INTO sessions VALUES ('ABCDEF', 'admin', 'print_shop', 3, NULL, 0, 0);
             PRAGMA application_id = 1145326163; PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    let store = SqliteClassStore::open(&path).expect("an older file opens");
    assert!(
        store.class("ABCDEF").unwrap().is_some(),
        "its sessions are kept"
    );
    use store::class::Joining;
    assert_eq!(
        store.join("ABCDEF", "Alice", "token-1", 500).unwrap(),
        Joining::Joined
    );
    assert_eq!(
        store.join("ABCDEF", "Alice", "token-2", 500).unwrap(),
        Joining::NameTaken
    );
    // The cap counts every name that joined, checked with the write.
    assert_eq!(
        store.join("ABCDEF", "Bob", "token-3", 1).unwrap(),
        Joining::Full
    );
    assert_eq!(
        store.join("ABCDEF", "Bob", "token-3", 2).unwrap(),
        Joining::Joined
    );
    assert_eq!(
        store.trainee_token("ABCDEF", "Alice").unwrap().as_deref(),
        Some("token-1")
    );
    // Schema 3: every trainee has a stable id for the exports, each their own.
    let trainees = store.trainees("ABCDEF").unwrap();
    assert_eq!(trainees.len(), 2);
    assert!(trainees[0].id.len() == 16 && trainees[0].id != trainees[1].id);
    drop(store);
    let c = rusqlite::Connection::open(&path).unwrap();
    let v: i64 = c
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v, 4);
}

#[test]
fn old_sessions_can_be_pruned_by_the_trainer() {
    use store::class::ClassInfo;
    let srv = class_server();
    let (recent, _) = new_session(&srv.base, "print_shop", 3);
    // A session from a term long past, with a result in it.
    let old = ClassInfo {
        code: "PASTQR".into(),
        case_id: "print_shop".into(),
        seed: 3,
        deadline: None,
        created_at: 0,
        closed: false,
    };
    assert!(srv.shared.store.create_class(&old, "old-admin").unwrap());
    let n = autoplay::model(&bundle("print_shop"), 3);
    let (st, v) = post_raw(
        &results_url(&srv.base, "PASTQR"),
        &submission("old-key-01", "Ann", &n),
    );
    assert_eq!(st, 201, "{v}");

    let url = format!("{}/api/prune", srv.base);
    let body = r#"{"older_than_days": 30}"#;
    assert_eq!(post_raw_as(&url, body, None).0, 401, "trainers only");
    let (st, v) = post_raw(&url, body);
    assert_eq!(st, 200, "{v}");
    assert_eq!(
        (v["sessions"].as_u64(), v["results"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(get(&format!("{}/api/sessions/PASTQR", srv.base)).0, 404);
    assert_eq!(get(&format!("{}/api/sessions/{recent}", srv.base)).0, 200);
}

/// Limits and headers (issue 23, part 7): every answer says it may not be framed (or by whom
/// `--frame-ancestors` names), is not sniffed and sends no referrer.
#[test]
fn every_answer_carries_the_security_headers() {
    let srv = class_server();
    let (code, _) = new_session(&srv.base, "print_shop", 3);
    let paths = [
        "/".to_owned(),
        format!("/s/{code}"),
        format!("/j/{code}"),
        "/api/health".to_owned(),
        format!("/api/sessions/{code}/leaderboard"),
        "/api/nothing-here".to_owned(),
    ];
    for path in &paths {
        let r = http().get(&format!("{}{path}", srv.base)).call().unwrap();
        let h = |name: &str| {
            r.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned()
        };
        assert_eq!(h("x-frame-options"), "DENY", "{path}");
        assert!(
            h("content-security-policy").contains("frame-ancestors 'none'"),
            "{path}: {}",
            h("content-security-policy")
        );
        assert_eq!(h("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(h("referrer-policy"), "no-referrer", "{path}");
    }
    // A learning system named by the trainer may embed the pages; the page's own policy stays.
    let lms = class_server_with(|s| s.frame_ancestors = Some("https://lms.example.com".into()));
    let r = http().get(&format!("{}/", lms.base)).call().unwrap();
    let csp = r.headers()["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("default-src 'self'")
            && csp.ends_with("frame-ancestors https://lms.example.com"),
        "{csp}"
    );
    assert!(r.headers().get("x-frame-options").is_none());
}

/// The trainee cap counts everyone who joined, not only those with a result.
#[test]
fn the_trainee_cap_is_enforced_when_joining() {
    use class::handlers::results::TRAINEES_PER_SESSION;
    let srv = class_server();
    let (code, _) = new_session(&srv.base, "print_shop", 3);
    let join = format!("{}/api/sessions/{code}/join", srv.base);
    for k in 0..TRAINEES_PER_SESSION {
        let (st, v) = post_raw_as(&join, &format!(r#"{{"trainee": "J{k}"}}"#), None);
        assert_eq!(st, 201, "{k}: {v}");
    }
    let (st, v) = post_raw_as(&join, r#"{"trainee": "One too many"}"#, None);
    assert_eq!(st, 403, "{v}");
    assert!(v["error"].as_str().unwrap().contains("500 trainees"), "{v}");
    assert_eq!(
        v["reason"], "full",
        "the page tells a full class apart: {v}"
    );
    assert!(v["error_zh"].as_str().unwrap().contains("人数已满"), "{v}");
}

/// Guessing class codes or keys from one address is refused after a few dozen failures (and the
/// refusal closes the connection); the right trainer key is never refused because wrong ones
/// came first.
#[test]
fn guessing_codes_is_refused_and_wrong_keys_do_not_use_up_the_right_one() {
    let srv = class_server_with(|s| s.rate_limits = true);
    let statuses: Vec<u16> = (0..40)
        .map(|k| get(&format!("{}/s/ZZZ{k:03}", srv.base)).0)
        .collect();
    let refused = statuses.iter().position(|&s| s == 429).expect("a 429");
    assert_eq!(refused as u32, class::middleware::GUESSES, "{statuses:?}");
    assert!(
        statuses[..refused].iter().all(|&s| s == 404),
        "{statuses:?}"
    );
    let r = http()
        .get(&format!("{}/api/sessions/ZZZ999/leaderboard", srv.base))
        .call()
        .unwrap();
    assert_eq!(r.status().as_u16(), 429);
    assert_eq!(r.headers()["connection"], "close");

    let srv = class_server_with(|s| s.rate_limits = true);
    let url = format!("{}/api/sessions", srv.base);
    let body = r#"{"case": "print_shop", "seed": 3}"#;
    for _ in 0..12 {
        assert_eq!(post_raw_as(&url, body, Some("wrong-key")).0, 403);
    }
    assert_eq!(post_raw_as(&url, body, Some(TRAINER_KEY)).0, 201);
}

/// `serve` on a port already in use says so and leaves no database or trainer key behind.
#[test]
fn serve_on_a_busy_port_creates_nothing() {
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = busy.local_addr().unwrap().to_string();
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("class.sqlite3");
    let o = dojo("en")
        .args(["serve", "--addr", &addr, "--db", db.to_str().unwrap()])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("cannot listen on") && err.contains("nothing was created"),
        "{err}"
    );
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");
}

/// Names (issue 23, part 6): a look-alike of any name that joined is refused at join, even
/// before that name has a result; styled letters and stacked accents are refused; a finished
/// attempt is never refused for the name its owner joined with; simultaneous look-alikes get one
/// place.
#[test]
fn look_alike_names_are_refused_at_join_and_an_owner_is_never_refused() {
    let srv = class_server();
    let (code, _) = new_session(&srv.base, "print_shop", 3);
    let join = format!("{}/api/sessions/{code}/join", srv.base);
    let joins = |name: &str| common::join(&join, name);
    let mut carol_token = String::new();
    for first in ["Carol", "Mallory", "BCE"] {
        let (st, v) = joins(first);
        assert_eq!(st, 201, "{first}: {v}");
        if first == "Carol" {
            carol_token = v["token"].as_str().unwrap().to_owned();
        }
    }
    for (late, like) in [
        ("carol", "Carol"),
        ("MaIlory", "Mallory"),
        ("\u{0412}\u{0421}\u{0415}", "BCE"),
    ] {
        let (st, v) = joins(late);
        assert_eq!(st, 422, "{late}: {v}");
        assert!(
            v["error"]
                .as_str()
                .unwrap()
                .contains(&format!("\"{like}\"")),
            "{v}"
        );
    }
    for odd in ["\u{1D415}ictim", &format!("Z{}", "\u{0301}".repeat(30))] {
        assert_eq!(joins(odd).0, 422, "{odd}");
    }
    // Carol, who joined first, submits: her attempt is taken.
    let n = autoplay::model(&bundle("print_shop"), 3);
    let url = results_url(&srv.base, &code);
    let sub = submission("carol-key-1", "Carol", &n);
    assert_eq!(post_raw_as(&url, &sub, Some(&carol_token)).0, 201);

    // Ten look-alikes at once: one place.
    let names = [
        "Zed", "ZED", "zed", "Zеd", "zEd", "ZeD", "zeD", "Zed ", " zed", "ZEd",
    ];
    let statuses: Vec<u16> = std::thread::scope(|s| {
        let hs: Vec<_> = names.iter().map(|n| s.spawn(|| joins(n).0)).collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(
        statuses.iter().filter(|&&s| s == 201).count(),
        1,
        "{statuses:?}"
    );
}

/// The trainee names on the class's board, best first.
fn board_names(base: &str, code: &str) -> Vec<String> {
    board(base, code)["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["trainee"].as_str().unwrap().to_owned())
        .collect()
}

/// Runs `class ARGS --server --code --token` in English and returns its standard output,
/// checking it exits 0.
fn class_cmd(base: &str, code: &str, admin: &str, args: &[&str]) -> String {
    let o = dojo("en")
        .args([
            "class", args[0], "--server", base, "--code", code, "--token", admin,
        ])
        .args(&args[1..])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{out}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    out
}

/// Trainee management (issue 23, part 2), with the class's admin token: a vandal name is
/// renamed on the board, a trainee who lost their token joins again with the same name (the
/// old token stops working), and a removed trainee leaves the board with their results.
#[test]
fn a_trainer_renames_resets_and_removes_trainees() {
    let srv = class_server();
    let (code, admin) = new_session(&srv.base, "print_shop", 3);
    let n = autoplay::model(&bundle("print_shop"), 3);
    let url = results_url(&srv.base, &code);
    let join = format!("{}/api/sessions/{code}/join", srv.base);
    let (mallory, vandal) = (join_token(&join, "Mallory"), join_token(&join, "Vandal"));
    for (k, (name, token)) in [("Mallory", &mallory), ("Vandal", &vandal)]
        .iter()
        .enumerate()
    {
        let sub = submission(&format!("manage-{k}"), name, &n);
        assert_eq!(post_raw_as(&url, &sub, Some(token)).0, 201);
    }
    let manage = |path: &str, body: &str, key: Option<&str>| {
        post_raw_as(
            &format!("{}/api/sessions/{code}/trainees/{path}", srv.base),
            body,
            key,
        )
    };
    let names = || board_names(&srv.base, &code);
    // Rename: only with the admin token; the board shows the new name at once.
    assert_eq!(manage("Vandal/rename", r#"{"to": "Anon"}"#, None).0, 401);
    assert_eq!(
        manage("Vandal/rename", r#"{"to": "Anon"}"#, Some(TRAINER_KEY)).0,
        403
    );
    let (st, v) = manage("Vandal/rename", r#"{"to": "MaIlory"}"#, Some(&admin));
    assert_eq!(st, 422, "a look-alike is refused here too: {v}");
    let (st, v) = manage("Vandal/rename", r#"{"to": "Anon"}"#, Some(&admin));
    assert_eq!((st, v["trainee"].as_str()), (200, Some("Anon")), "{v}");
    assert!(names().contains(&"Anon".to_owned()) && !names().contains(&"Vandal".to_owned()));
    // The renamed trainee's token goes with the name.
    let sub = submission("manage-anon", "Anon", &n);
    assert_eq!(post_raw_as(&url, &sub, Some(&vandal)).0, 201);

    // Reset: the name is released; the lost token no longer submits, and joining again with
    // the same name (another phone) claims it, results and all.
    assert_eq!(common::join(&join, "Mallory").0, 409);
    let (st, v) = manage("Mallory/reset", "{}", Some(&admin));
    assert_eq!(st, 200, "{v}");
    let sub = submission("manage-old", "Mallory", &n);
    assert_eq!(post_raw_as(&url, &sub, Some(&mallory)).0, 403);
    assert_eq!(
        post_raw_as(&url, &sub, Some("")).0,
        403,
        "an empty token never matches"
    );
    let fresh = join_token(&join, "Mallory");
    assert_eq!(post_raw_as(&url, &sub, Some(&fresh)).0, 201);
    assert_eq!(post_raw_as(&url, &sub, Some(&mallory)).0, 403);

    // Remove: the name and its results leave the board; the name is free again.
    let mut r = http()
        .delete(&format!("{}/api/sessions/{code}/trainees/Anon", srv.base))
        .header("Authorization", format!("Bearer {admin}"))
        .call()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let v: Value = serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
    assert_eq!(v["results_removed"], 2, "{v}");
    assert_eq!(names(), vec!["Mallory".to_owned()]);
    join_token(&join, "Anon");
    assert_eq!(manage("Nobody/reset", "{}", Some(&admin)).0, 404);
    // The same from the command line, with a name that needs encoding in the path.
    let out = class_cmd(
        &srv.base,
        &code,
        &admin,
        &["rename", "Mallory", "--to", "Mallory 王"],
    );
    assert!(out.contains("\"Mallory\" is now \"Mallory 王\""), "{out}");
    class_cmd(&srv.base, &code, &admin, &["remove", "Mallory 王"]);
    assert!(names().is_empty(), "{:?}", names());
}

/// The place a receipt gives is the board's (each trainee's best, as the projector ranks), not
/// the attempt's place among all attempts: a second, worse attempt keeps the trainee's place.
#[test]
fn a_receipt_gives_the_trainees_place_on_the_board() {
    let srv = class_server();
    let (code, _) = new_session(&srv.base, "fastener_factory", 7);
    let b = bundle("fastener_factory");
    let (model, random) = (autoplay::model(&b, 7), autoplay::random(&b, 7));
    let url = results_url(&srv.base, &code);
    let place = |key: &str, name: &str, n: &sim::meeting::Meeting| {
        let (st, r) = post_raw(&url, &submission(key, name, n));
        assert_eq!(st, 201, "{r}");
        (r["rank"].as_u64().unwrap(), r["of"].as_u64().unwrap())
    };
    assert_eq!(place("place-0001", "Alex", &model), (1, 1));
    assert_eq!(
        place("place-0002", "Alex", &random),
        (1, 1),
        "Alex's best still leads"
    );
    assert_eq!(place("place-0003", "王伟", &random), (2, 2));
    assert_eq!(board(&srv.base, &code)["attempts"], 3);
}

/// Meetings stop at the deadline: a turn after it is refused as `deadline` (in both
/// languages), while a finished meeting's debrief still replays; a closed class says `closed`.
#[test]
fn meetings_stop_at_the_deadline_and_refusals_say_why_in_both_languages() {
    use store::class::ClassInfo;
    use store::sqlite::now_unix;
    let srv = class_server();
    let soon = ClassInfo {
        code: "DEADN2".into(),
        case_id: "print_shop".into(),
        seed: 3,
        deadline: Some(now_unix() + 2),
        created_at: now_unix(),
        closed: false,
    };
    assert!(srv.shared.store.create_class(&soon, "soon-admin").unwrap());
    let n = autoplay::model(&bundle("print_shop"), 3);
    let url = |what: &str| format!("{}/api/sessions/DEADN2/{what}", srv.base);
    assert_eq!(
        post_raw(&url("results"), &submission("deadline-done-1", "Lin", &n)).0,
        201
    );
    let whole: Value = serde_json::from_str(&submission("unused-key-0", "Lin", &n)).unwrap();
    let mut part = whole.clone();
    part.as_object_mut().unwrap().remove("idempotency_key");
    let mut finished = part.clone();
    part["choices"] = part["choices"].as_array().unwrap()[..3].to_vec().into();
    // Mid-meeting turns go on until the deadline, then stop (waited for, not slept on).
    let stop = std::time::Instant::now() + std::time::Duration::from_secs(15);
    let refused = loop {
        let (st, v) = post_raw(&url("replay"), &part.to_string());
        if st != 200 {
            break (st, v);
        }
        assert!(
            std::time::Instant::now() < stop,
            "the deadline never stopped the meeting"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    assert_eq!(refused.0, 403, "{}", refused.1);
    assert_eq!(refused.1["reason"], "deadline");
    assert!(
        refused.1["error_zh"].as_str().unwrap().contains("截止时间"),
        "{}",
        refused.1
    );
    // The finished meeting's debrief is still there to read.
    finished["choices"] = whole["choices"].clone();
    let (st, v) = post_raw(&url("replay"), &finished.to_string());
    assert_eq!(st, 200, "{v}");
    assert!(v["end"].is_object(), "{v}");
    // A new name cannot join any more, and says why.
    let (st, v) = post_raw_as(&url("join"), r#"{"trainee": "Late"}"#, None);
    assert_eq!((st, v["reason"].as_str()), (403, Some("deadline")), "{v}");

    let (code, admin) = new_session(&srv.base, "print_shop", 3);
    let close = format!("{}/api/sessions/{code}/close", srv.base);
    assert_eq!(post_raw_as(&close, "{}", Some(&admin)).0, 200);
    let join = format!("{}/api/sessions/{code}/join", srv.base);
    let (st, v) = post_raw_as(&join, r#"{"trainee": "Late"}"#, None);
    assert_eq!((st, v["reason"].as_str()), (403, Some("closed")), "{v}");
    assert!(v["error_zh"].as_str().unwrap().contains("关闭"), "{v}");
    // A name refused for its letters is told in Chinese too.
    let (code, _) = new_session(&srv.base, "print_shop", 3);
    let join = format!("{}/api/sessions/{code}/join", srv.base);
    let (st, v) = post_raw_as(&join, r#"{"trainee": "𝐕ictim"}"#, None);
    assert_eq!((st, v["reason"].as_str()), (422, Some("bad_name")), "{v}");
    assert!(v["error_zh"].as_str().unwrap().contains("花体"), "{v}");
}
