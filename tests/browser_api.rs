//! What the browser's page talks to: `POST /api/sessions/{code}/replay` answers each turn with
//! what the engine shows after the same inputs (the server keeps no meeting), only for the
//! trainee's own token; bad replays are refused naming the entry; the trainee page and the join
//! link are served with the strict policy.

mod common;

use analysis::coach;
use class::protocol::Scene;
use common::*;
use serde_json::json;
use sim::autoplay;
use sim::meeting::Meeting;
use sim::menu::order;
use sim::rubric;
use sim::script::Script;
use sim::text::Lang;
use sim::transcript;

const CASE: &str = "print_shop";
const SEED: u64 = 5;

fn replay_body(trainee: &str, script: &Script, turns: usize) -> String {
    let choices: Vec<_> = script.choices[..turns]
        .iter()
        .map(|(line, seconds)| json!({"line": line, "seconds": seconds}))
        .collect();
    json!({"trainee": trainee, "preparations": script.preparations, "choices": choices}).to_string()
}

fn replay(base: &str, code: &str, body: &str) -> (u16, serde_json::Value) {
    post_raw(&format!("{base}/api/sessions/{code}/replay"), body)
}

/// The engine's meeting after the first `turns` lines of `script`.
fn engine_after(script: &Script, turns: usize) -> Meeting {
    let part = Script {
        preparations: script.preparations.clone(),
        choices: script.choices[..turns].to_vec(),
    };
    part.replay(bundle(CASE), SEED)
        .expect("the model's lines replay")
}

/// A checked scene against the engine's meeting at the same point.
fn same_as_engine(scene: &Scene, n: &Meeting) {
    assert_eq!(scene.turn, n.turns.len());
    let ids: Vec<&str> = scene
        .menu
        .iter()
        .flat_map(|g| g.lines.iter().map(|l| l.id.as_str()))
        .collect();
    let engine: Vec<&str> = order(n, true)
        .iter()
        .map(|&i| n.bundle.choices[i].id.as_str())
        .collect();
    assert_eq!(ids, engine, "the menu is the engine's, in its order");
    assert_eq!(scene.dialogue.len(), n.turns.len() + 1);
    let last = scene.dialogue.last().expect("the greeting at least");
    let words = match n.turns.last() {
        None => Some(transcript::utterance(n, &n.greeting, Lang::Zh)),
        Some(t) => transcript::reply(n, &t.events, Lang::Zh),
    };
    assert_eq!(last.reply.as_ref().map(|t| t.zh.clone()), words);
    assert_eq!(scene.meters.patience, n.state.patience);
    assert_eq!(scene.meters.trust, n.state.trust);
    assert_eq!(
        scene.excuse.as_ref().map(|t| t.en.clone()),
        transcript::excuse_on_table(n, Lang::En)
    );
    assert_eq!(scene.end.is_some(), n.is_over());
}

#[test]
fn each_turn_shows_what_the_engine_shows_after_the_same_inputs() {
    let srv = class_server();
    let (code, _) = new_session(&srv.base, CASE, SEED);
    let model = autoplay::model(&bundle(CASE), SEED);
    assert!(model.is_over());
    let script = Script::of(&model);
    for turns in 0..=script.choices.len() {
        let body = replay_body("Lin", &script, turns);
        let (status, v) = replay(&srv.base, &code, &body);
        assert_eq!(status, 200, "{v}");
        let scene: Scene = serde_json::from_value(v.clone()).expect("a scene");
        same_as_engine(&scene, &engine_after(&script, turns));
        // Nothing is kept between requests: the same inputs give the same answer.
        assert_eq!(replay(&srv.base, &code, &body).1, v);
    }
    let body = replay_body("Lin", &script, script.choices.len());
    let end: Scene = serde_json::from_value(replay(&srv.base, &code, &body).1).expect("scene");
    let end = end.end.expect("the debrief");
    let score = rubric::score(&model);
    assert_eq!(end.score, score.total);
    assert_eq!(end.grade, score.grade);
    assert_eq!(end.items.len(), score.items.len());
    assert_eq!(end.curve.len(), model.turns.len() + 1);
    let coached = coach::view(&model, Lang::En).map(|c| c.heading(Lang::En));
    assert_eq!(end.coaching.map(|c| c.heading.en), coached);
    // The result submitted from the same inputs is stored with the same score.
    let sub = json!({
        "idempotency_key": "browser-attempt-1",
        "trainee": "Lin",
        "preparations": script.preparations,
        "choices": serde_json::from_str::<serde_json::Value>(&body).expect("json")["choices"],
    });
    let (status, receipt) = post_raw(
        &format!("{}/api/sessions/{code}/results", srv.base),
        &sub.to_string(),
    );
    assert_eq!(status, 201, "{receipt}");
    assert_eq!(receipt["score"], json!(score.total));
}

#[test]
fn only_the_trainees_own_token_replays() {
    let srv = class_server();
    let (code, _) = new_session(&srv.base, CASE, SEED);
    let url = format!("{}/api/sessions/{code}/replay", srv.base);
    let join = format!("{}/api/sessions/{code}/join", srv.base);
    let (_, mei) = post_raw_as(&join, r#"{"trainee": "Mei"}"#, None);
    let (_, tom) = post_raw_as(&join, r#"{"trainee": "Tom"}"#, None);
    let body = r#"{"trainee": "Mei", "choices": []}"#;
    let (status, v) = post_raw_as(&url, body, None);
    assert_eq!(status, 401, "{v}");
    assert!(v["error"].as_str().unwrap().contains("token from joining"));
    let (status, _) = post_raw_as(&url, body, tom["token"].as_str());
    assert_eq!(status, 403, "Tom's token does not play as Mei");
    let (status, v) = post_raw_as(&url, r#"{"trainee": "Nobody"}"#, mei["token"].as_str());
    assert_eq!(status, 403, "{v}");
    assert!(v["error"].as_str().unwrap().contains("has not joined"));
    assert_eq!(post_raw_as(&url, body, mei["token"].as_str()).0, 200);
}

#[test]
fn a_bad_replay_is_refused_naming_what_to_fix() {
    let srv = class_server();
    let (code, _) = new_session(&srv.base, CASE, SEED);
    let cases: [(&str, u16, &str); 7] = [
        (
            r#"{"trainee": "Ana", "choices": [{"line": "no_such_line", "seconds": 2}]}"#,
            422,
            "choices[0]: turn 1: no line has the id \"no_such_line\"",
        ),
        (
            r#"{"trainee": "Ana", "choices": [{"line": "open_greet", "seconds": -1}]}"#,
            422,
            "choices[0].seconds: from 0 to 3600",
        ),
        (
            r#"{"trainee": "Ana", "preparations": ["astrology"]}"#,
            422,
            "preparations",
        ),
        (r#"{"trainee": "Ana", "choices": "#, 400, ""),
        (r#"{"trainee": "Ana", "turns": []}"#, 422, "turns"),
        (r#"{"choices": []}"#, 422, "trainee"),
        (r#"{"trainee": "", "choices": []}"#, 422, "trainee"),
    ];
    for (body, status, says) in cases {
        let (got, v) = replay(&srv.base, &code, body);
        assert_eq!(got, status, "{body} → {v}");
        let msg = v["error"].as_str().unwrap_or("");
        assert!(msg.contains(says), "{body} → {msg}");
    }
    // A line after the meeting ended is refused, not ignored.
    let model = autoplay::model(&bundle(CASE), SEED);
    let mut script = Script::of(&model);
    script.choices.push(("any_calm".into(), 3.0));
    let turns = script.choices.len();
    let (got, v) = replay(&srv.base, &code, &replay_body("Ana", &script, turns));
    assert_eq!(got, 422, "{v}");
    assert!(
        v["error"]
            .as_str()
            .unwrap()
            .contains(&format!("choices[{}]", turns - 1))
    );
    // Not JSON by its content type: refused before anything is read.
    let (got, _) = {
        let mut r = http()
            .post(format!("{}/api/sessions/{code}/replay", srv.base))
            .header("Content-Type", "text/plain")
            .send("{}")
            .expect("request");
        (r.status().as_u16(), r.body_mut().read_to_string())
    };
    assert_eq!(got, 415);
}

#[test]
fn the_trainee_page_shows_the_case_and_its_preparations_under_the_strict_policy() {
    let srv = class_server_with(|s| s.public_url = Some("http://192.168.1.20:7878/".into()));
    let (status, created) = post_raw(
        &format!("{}/api/sessions", srv.base),
        &json!({"case": CASE, "seed": SEED}).to_string(),
    );
    assert_eq!(status, 201);
    let code = created["code"].as_str().expect("code");
    assert_eq!(
        created["join_url"],
        json!(format!("http://192.168.1.20:7878/j/{code}"))
    );
    let r = http()
        .get(format!("{}/j/{code}", srv.base))
        .call()
        .expect("page");
    let csp = r
        .headers()
        .get("content-security-policy")
        .expect("a policy");
    assert!(csp.to_str().unwrap().starts_with("default-src 'self'"));
    let (status, page) = get(&format!("{}/j/{code}", srv.base));
    assert_eq!(status, 200);
    let b = bundle(CASE);
    assert!(page.contains(&b.case.title.zh) && page.contains(&b.case.title.en));
    for &p in &b.offered {
        let id = &b.preparations[p].id;
        assert!(
            page.contains(&format!("value=\"{id}\"")),
            "preparation {id}"
        );
    }
    assert!(page.contains("src=\"/assets/play.js\"") && page.contains("data-ui=\"zh\""));
    assert!(!page.contains("<script>"), "no inline script");
    let (_, en) = get(&format!("{}/j/{code}?lang=en", srv.base));
    assert!(en.contains("data-ui=\"en\""));
    let (status, missing) = get(&format!("{}/j/ZZZZZZ", srv.base));
    assert_eq!(status, 404);
    assert!(missing.contains("No such class"));
    // The projector shows the join address and its QR code.
    let (_, projector) = get(&format!("{}/s/{code}", srv.base));
    assert!(projector.contains(&format!("http://192.168.1.20:7878/j/{code}")));
    assert!(projector.contains("<svg") && !projector.contains("<?xml"));
    for (file, kind) in [
        ("play.js", "text/javascript"),
        ("play.css", "text/css"),
        ("font.otf", "font/otf"),
    ] {
        let r = http()
            .get(format!("{}/assets/{file}", srv.base))
            .call()
            .expect("asset");
        assert_eq!(r.status().as_u16(), 200, "{file}");
        let ct = r
            .headers()
            .get("content-type")
            .expect("type")
            .to_str()
            .unwrap();
        assert!(ct.starts_with(kind), "{file}: {ct}");
    }
    assert_eq!(get(&format!("{}/assets/../Cargo.toml", srv.base)).0, 404);
    assert_eq!(get(&format!("{}/assets/secret.txt", srv.base)).0, 404);
}

#[test]
fn a_closed_class_page_says_so_and_offers_no_join() {
    let srv = class_server();
    let (code, admin) = new_session(&srv.base, CASE, SEED);
    let close = format!("{}/api/sessions/{code}/close", srv.base);
    assert_eq!(post_raw_as(&close, "{}", Some(&admin)).0, 200);
    let (status, page) = get(&format!("{}/j/{code}", srv.base));
    assert_eq!(status, 200);
    assert!(page.contains("This class is closed"));
    assert!(!page.contains("join-form"));
}

#[test]
fn replays_are_limited_per_address_when_limits_are_on() {
    let srv = class_server_with(|s| s.rate_limits = true);
    let (code, _) = new_session(&srv.base, CASE, SEED);
    let body = r#"{"trainee": "Kai", "choices": []}"#;
    let mut refused = None;
    for _ in 0..400 {
        let (status, v) = replay(&srv.base, &code, body);
        if status == 429 {
            refused = Some(v);
            break;
        }
        assert_eq!(status, 200, "{v}");
    }
    let v = refused.expect("a flood of replays from one address is slowed down");
    assert!(v["error"].as_str().unwrap().contains("replaying"));
}
