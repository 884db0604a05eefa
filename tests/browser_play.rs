//! Browser play end to end, in headless Chromium driven through WebDriver (Debian's
//! `chromium-driver`, with `fantoccini`): a trainee opens the join address, joins, reads the
//! case file and picks preparations, plays a whole meeting turn by turn, and reads the debrief
//! and the class rank; once in Chinese with the keyboard, once switched to English with taps on
//! a phone-sized screen. The score the server stored must be the engine's for the inputs it
//! stored, those inputs must be the lines the browser chose, and the page must show that score.
//! Screenshots of every step go to `$BROWSER_SHOTS_DIR` (default `target/browser-play/`).
//! Without chromedriver the test says so and passes, unless `REQUIRE_CHROMIUM` is set (CI).

mod common;

use common::*;
use fantoccini::{Client, ClientBuilder, Locator};
use sim::autoplay;
use sim::rubric::score;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CASE: &str = "fastener_factory";
const SEED: u64 = 11;

/// chromedriver on a free port, stopped when dropped.
struct Driver {
    child: Child,
    url: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn chromedriver() -> Option<Driver> {
    let bin = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .ok()?
        .port();
    let child = Command::new(&bin)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let url = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(20);
    let driver = Driver { child, url };
    while Instant::now() < deadline {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Some(driver);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    None
}

/// chromedriver, or `None` (said) on a machine without it, unless CI requires it.
fn driver_or_skip() -> Option<Driver> {
    let driver = chromedriver();
    if driver.is_none() {
        assert!(
            std::env::var_os("REQUIRE_CHROMIUM").is_none(),
            "REQUIRE_CHROMIUM is set but chromedriver did not start"
        );
        println!("no chromedriver on this machine: nothing to check (CI installs it)");
    }
    driver
}

fn shots_dir() -> PathBuf {
    let dir = std::env::var_os("BROWSER_SHOTS_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/browser-play"),
        PathBuf::from,
    );
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    dir
}

/// A headless Chromium session; `phone` emulates a touch screen 390 px wide.
async fn browser(driver: &Driver, phone: bool) -> Client {
    let mut opts = serde_json::json!({
        "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--hide-scrollbars", "--window-size=1280,860"],
    });
    if let Ok(bin) = std::env::var("CHROMIUM") {
        opts["binary"] = bin.into();
    }
    if phone {
        opts["mobileEmulation"] = serde_json::json!({
            "deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 2.0, "touch": true}
        });
    }
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".into(), opts);
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    ClientBuilder::new(connector)
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .expect("a Chromium session through chromedriver")
}

async fn shot(c: &Client, name: &str) {
    // Once the reply's fade-in has finished, so the picture shows the page at rest.
    until(
        c,
        "the page's animations to finish",
        "document.getAnimations().every(a => a.playState !== 'running')",
    )
    .await;
    let png = c.screenshot().await.expect("screenshot");
    std::fs::write(shots_dir().join(format!("{name}.png")), png).expect("write screenshot");
}

/// Waits until `script` (a JavaScript expression) is true in the page.
async fn until(c: &Client, what: &str, script: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let v = c
            .execute(&format!("return !!({script});"), vec![])
            .await
            .expect("script runs");
        if v == serde_json::Value::Bool(true) {
            return;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn js(c: &Client, script: &str) -> serde_json::Value {
    c.execute(script, vec![]).await.expect("script runs")
}

/// The visible text of the first element matching `css`.
/// Clicks (or taps) the element `at`, named `what` in a failure.
async fn click(c: &Client, at: Locator<'_>, what: &str) {
    c.find(at)
        .await
        .unwrap_or_else(|_| panic!("{what} is on the page"))
        .click()
        .await
        .unwrap_or_else(|_| panic!("{what} takes a click"));
}

async fn text(c: &Client, css: &str) -> String {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("{css} is on the page"))
        .text()
        .await
        .expect("text")
}

/// How a trainee picks the next line.
enum Style {
    /// Number keys (and once the arrows and Enter): the first line on offer.
    Keyboard,
    /// Taps, the course's way: a counter to the excuse on the table, else the case's next
    /// model line on offer, else the first line.
    Taps,
}

/// Opens the join page, joins as `name` (in English for `Taps`) and picks the case's model
/// preparations, then starts the meeting.
async fn join_and_prepare(
    c: &Client,
    base: &str,
    code: &str,
    name: &str,
    style: &Style,
    tag: &str,
) {
    c.goto(&format!("{base}/j/{code}"))
        .await
        .expect("join page");
    until(c, "the join form", "document.getElementById('name')").await;
    if matches!(style, Style::Taps) {
        click(c, Locator::Id("lang"), "the language switch").await;
        until(c, "English", "document.documentElement.dataset.ui === 'en'").await;
    }
    shot(c, &format!("{tag}-1-join")).await;
    let field = c.find(Locator::Id("name")).await.expect("name field");
    field.send_keys(name).await.expect("type the name");
    click(c, Locator::Css("#join-form button"), "join").await;
    until(
        c,
        "the case file",
        "!document.getElementById('step-prep').hidden",
    )
    .await;
    for p in &bundle(CASE).case.model_preparations {
        let css = format!("input[name=prep][value='{p}']");
        click(c, Locator::Css(&css), "a preparation").await;
    }
    shot(c, &format!("{tag}-2-prepare")).await;
    click(c, Locator::Id("start"), "start").await;
}

/// On the phone every turn opens with the meters and the excuse pinned in view and the first
/// line just under them.
async fn assert_meters_in_view(c: &Client, turn: usize) {
    let seen = js(c, "const r = (s) => document.querySelector(s).getBoundingClientRect();
        const d = r('#debtor'), m = r('#meters'), l = r('#menu .line');
        return m.top >= 0 && m.bottom <= innerHeight && l.top >= d.bottom - 1 && l.top < innerHeight;").await;
    assert_eq!(seen, true, "turn {turn}: meters and the first line in view");
}

/// Keyboard: number key 1 (the first line on offer), except on the second turn, where the
/// cursor goes down, up, down and Enter picks the second line.
async fn pick_by_keys(c: &Client, turn: usize, open: &[String]) -> String {
    let body = c.find(Locator::Css("body")).await.expect("body");
    if turn == 2 {
        for k in [
            fantoccini::key::Key::Down,
            fantoccini::key::Key::Up,
            fantoccini::key::Key::Down,
            fantoccini::key::Key::Enter,
        ] {
            body.send_keys(&k.to_string()).await.expect("key");
        }
        open[1].clone()
    } else {
        body.send_keys("1").await.expect("key 1");
        open[0].clone()
    }
}

/// Taps: a counter to the excuse on the table, else the next model line on offer (from
/// `plan[*next..]`), else the first line.
async fn pick_by_taps(c: &Client, open: &[String], plan: &[String], next: &mut usize) -> String {
    let counters: Vec<String> = serde_json::from_value(js(c, "return Array.from(document.querySelectorAll('#menu .counters .line')).map(b => b.dataset.line);").await).expect("counters");
    let pick = counters
        .first()
        .cloned()
        .or_else(|| {
            while let Some(l) = plan.get(*next) {
                *next += 1;
                if open.contains(l) {
                    return Some(l.clone());
                }
            }
            None
        })
        .unwrap_or_else(|| open[0].clone());
    let css = format!("#menu .line[data-line='{pick}']");
    click(c, Locator::Css(&css), "the line").await;
    pick
}

/// Joins as `name`, prepares, plays the meeting to its end and returns the lines chosen.
async fn play(
    c: &Client,
    base: &str,
    code: &str,
    name: &str,
    style: &Style,
    tag: &str,
) -> Vec<String> {
    join_and_prepare(c, base, code, name, style, tag).await;
    let b = bundle(CASE);
    let plan: Vec<String> = autoplay::model_plan(&b)
        .iter()
        .map(|&i| b.choices[i].id.clone())
        .collect();
    let (mut chosen, mut next, mut excuse_shot) = (Vec::new(), 0, false);
    loop {
        until(c, "the next scene", "document.querySelector('#menu .line') && !document.getElementById('menu').classList.contains('waiting') || !document.getElementById('step-debrief').hidden").await;
        if js(c, "return !document.getElementById('step-debrief').hidden;").await == true {
            break;
        }
        if chosen.len() == 2 {
            shot(c, &format!("{tag}-3-meeting")).await;
        } else if !excuse_shot
            && js(c, "return !document.getElementById('excuse').hidden;").await == true
        {
            shot(c, &format!("{tag}-4-excuse")).await;
            excuse_shot = true;
        }
        let open: Vec<String> = serde_json::from_value(js(c, "return Array.from(document.querySelectorAll('#menu .line')).map(b => b.dataset.line);").await).expect("lines");
        let turn = chosen.len() + 1;
        let line = match style {
            Style::Keyboard => pick_by_keys(c, turn, &open).await,
            Style::Taps => {
                assert_meters_in_view(c, turn).await;
                pick_by_taps(c, &open, &plan, &mut next).await
            }
        };
        chosen.push(line);
        let said = chosen.len();
        until(c, "the turn to be played", &format!("document.querySelectorAll('#dialogue .bubble.mine').length >= {said} || !document.getElementById('step-debrief').hidden")).await;
    }
    until(
        c,
        "the class rank",
        "document.querySelector('#rank .place')",
    )
    .await;
    shot(c, &format!("{tag}-5-debrief")).await;
    c.set_window_size(1280, 2600).await.expect("tall window");
    shot(c, &format!("{tag}-6-debrief-whole")).await;
    chosen
}

/// The stored result of `name`: its inputs are the lines the browser chose, its score is the
/// engine's replay of those inputs, and the page showed that score.
fn check_stored(srv: &TestServer, code: &str, name: &str, chosen: &[String], shown: &str) {
    let results = srv.shared.store.results(code).expect("results");
    let r = results
        .iter()
        .find(|r| r.trainee == name)
        .expect("a stored result");
    let ids: Vec<String> = r.inputs.choices.iter().map(|(l, _)| l.clone()).collect();
    assert_eq!(ids, chosen, "the server stored the lines the browser chose");
    assert_eq!(r.inputs.preparations, bundle(CASE).case.model_preparations);
    let n = r
        .inputs
        .replay(bundle(CASE), SEED)
        .expect("the stored inputs replay");
    assert!(n.is_over());
    let engine = score(&n).total;
    assert_eq!(r.summary.score, engine, "stored score = engine score");
    assert_eq!(
        shown,
        format!("{engine:.1}"),
        "the page shows the engine's score"
    );
}

#[test]
fn a_trainee_plays_the_class_case_in_a_browser_in_both_languages() {
    let Some(driver) = driver_or_skip() else {
        return;
    };
    let srv = class_server();
    let (code, _) = new_session(&srv.base, CASE, SEED);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        for (name, style, tag) in [
            ("王小明", Style::Keyboard, "zh"),
            ("Alex Chen", Style::Taps, "en"),
        ] {
            let c = browser(&driver, matches!(style, Style::Taps)).await;
            let chosen = play(&c, &srv.base, &code, name, &style, tag).await;
            let shown = text(&c, "#result .total b").await;
            let heading = text(&c, "#rubric h3").await;
            let rank = text(&c, "#rank .place").await;
            match style {
                Style::Keyboard => {
                    assert_eq!(heading, "评分细则");
                    assert!(rank.contains("全班排名"), "{rank}");
                }
                Style::Taps => {
                    assert_eq!(heading, "Rubric");
                    assert!(
                        rank.contains("Class rank") && rank.contains("of 2 trainees"),
                        "{rank}"
                    );
                    // A reload keeps the debrief, with the same score and place.
                    c.refresh().await.expect("reload");
                    until(&c, "the debrief again", "!document.getElementById('step-debrief').hidden && document.querySelector('#rank .place')").await;
                    assert_eq!(text(&c, "#result .total b").await, shown);
                    assert_eq!(text(&c, "#rank .place").await, rank);
                    shot(&c, &format!("{tag}-7-debrief-after-reload")).await;
                }
            }
            c.close().await.expect("close the browser");
            check_stored(&srv, &code, name, &chosen, &shown);
        }
    });
}

/// The names of a class of 40, Chinese and English.
fn class_of_40() -> Vec<String> {
    let family = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵"];
    let given = ["伟", "芳", "娜", "敏", "静"];
    let mut names: Vec<String> = family
        .iter()
        .flat_map(|f| given.iter().map(move |g| format!("{f}{g}")))
        .take(30)
        .collect();
    for en in [
        "Alex Chen",
        "Sam O'Neil",
        "Maria Lopez",
        "Jon Park",
        "Priya Das",
        "Tom Berg",
        "Lena Kraus",
        "Omar Haddad",
        "Yuki Sato",
        "Eve Martin",
    ] {
        names.push(en.to_owned());
    }
    names
}

/// A class of 40 with a deadline: everyone joins, 34 finish (some twice), 6 are mid-meeting;
/// returns (code, admin token).
fn busy_class(srv: &TestServer) -> (String, String) {
    let (st, v) = post_raw(
        &format!("{}/api/sessions", srv.base),
        &format!(r#"{{"case": "{CASE}", "seed": {SEED}, "deadline_minutes": 25}}"#),
    );
    assert_eq!(st, 201, "{v}");
    let code = v["code"].as_str().unwrap().to_owned();
    let admin = v["admin_token"].as_str().unwrap().to_owned();
    let b = bundle(CASE);
    let results = format!("{}/api/sessions/{code}/results", srv.base);
    let replay = format!("{}/api/sessions/{code}/replay", srv.base);
    for (i, name) in class_of_40().iter().enumerate() {
        let n = if i % 3 == 0 {
            autoplay::model(&b, SEED)
        } else {
            autoplay::random_player(&b, SEED, i as u64)
        };
        if i < 34 {
            let (st, v) = post_raw(
                &results,
                &submission(&format!("busy-class-{i:02}"), name, &n),
            );
            assert_eq!(st, 201, "{v}");
        } else {
            // Mid-meeting: the first few lines replayed, as the page does each turn.
            let mut body: serde_json::Value =
                serde_json::from_str(&submission("unused-key-0", name, &n)).unwrap();
            let said = body["choices"].as_array().unwrap()[..i - 31].to_vec();
            body["choices"] = said.into();
            body.as_object_mut().unwrap().remove("idempotency_key");
            let (st, v) = post_raw(&replay, &body.to_string());
            assert_eq!(st, 200, "{v}");
        }
    }
    (code, admin)
}

/// Issue 23, part 1: at 1280×800 the projector shows a class of 40 on one screen, with who is
/// mid-meeting (and on which turn), a countdown to the deadline and a large join address; the
/// trainer's page lists every trainee's state and renames one. Screenshots: projector-40.png,
/// trainer-page.png.
#[test]
fn a_class_of_40_fits_the_projector_and_the_trainer_sees_who_is_playing() {
    let Some(driver) = driver_or_skip() else {
        return;
    };
    let srv = class_server();
    let (code, admin) = busy_class(&srv);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let c = browser(&driver, false).await;
        c.set_window_size(1280, 800).await.expect("window size");
        c.goto(&format!("{}/s/{code}?poll", srv.base)).await.expect("projector");
        until(&c, "the board", "document.body.dataset.live === '1'").await;
        let rows = js(&c, "return document.querySelectorAll('#rows tr').length").await;
        assert_eq!(rows, 34, "one row per trainee with a result");
        let off = js(
            &c,
            "return [...document.querySelectorAll('#rows tr, header, .room')]
                .filter(e => e.getBoundingClientRect().bottom > window.innerHeight
                          || e.getBoundingClientRect().right > window.innerWidth).length",
        )
        .await;
        assert_eq!(off, 0, "every row fits the 1280×800 screen");
        let counts = text(&c, "#room-counts").await;
        assert!(
            counts.contains("40 joined") && counts.contains("6 playing") && counts.contains("34 finished"),
            "{counts}"
        );
        let playing = text(&c, "#playing").await;
        assert!(playing.contains("Omar Haddad 6/18") && playing.contains("Eve Martin 8/"), "{playing}");
        let countdown = text(&c, "#countdown").await;
        assert!(countdown.starts_with("剩余 2") && countdown.ends_with("left"), "{countdown}");
        let url_px = js(&c, "return parseFloat(getComputedStyle(document.querySelector('.join .url')).fontSize)").await;
        assert!(url_px.as_f64().unwrap() >= 18.0, "the join address is large: {url_px}px");
        shot(&c, "projector-40").await;

        c.set_window_size(1280, 860).await.expect("window size");
        c.goto(&format!("{}/t/{code}#token={admin}", srv.base)).await.expect("trainer page");
        until(&c, "the room", "document.body.dataset.live === '1'").await;
        assert!(!js(&c, "return location.href").await.as_str().unwrap().contains("token"),
            "the admin token leaves the address bar");
        let states = js(
            &c,
            "return [...document.querySelectorAll('#trainees tr')].map(r => r.dataset.state)",
        )
        .await;
        let states: Vec<&str> = states.as_array().unwrap().iter().filter_map(|s| s.as_str()).collect();
        assert_eq!(states.len(), 40);
        assert_eq!(states.iter().filter(|s| **s == "playing").count(), 6);
        assert_eq!(states.iter().filter(|s| **s == "finished").count(), 34);
        let omar = js(&c, "return [...document.querySelectorAll('#trainees tr')]
            .find(r => r.querySelector('.name').textContent === 'Omar Haddad')
            .querySelector('.state').textContent").await;
        assert_eq!(omar, "进行中 playing · 6/18");
        shot(&c, "trainer-page").await;
        // The class debrief under the table: every rubric item, and someone's costliest turn.
        until(&c, "the class debrief", "document.body.dataset.debrief === '1'").await;
        let tables = js(&c, "return document.querySelectorAll('#class-debrief table').length").await;
        assert_eq!(tables, 4, "items, rules, costliest turns, tactics");
        let items = js(&c, "return document.querySelectorAll('#class-debrief table')[0].querySelectorAll('tbody tr').length").await;
        assert_eq!(items.as_u64(), Some(bundle(CASE).rubric.items.len() as u64));
        js(&c, "document.querySelector('.class-debrief').scrollIntoView(); return 0").await;
        c.set_window_size(1280, 1700).await.expect("tall window");
        shot(&c, "class-debrief").await;
        c.set_window_size(1280, 860).await.expect("window size");
        // Rename from the page (the prompt answered by the test).
        js(&c, "window.prompt = () => 'Omar H.'; return 0").await;
        js(&c, "[...document.querySelectorAll('#trainees tr')]
            .find(r => r.querySelector('.name').textContent === 'Omar Haddad')
            .querySelector('.actions button').click(); return 0").await;
        until(&c, "the renamed trainee", "[...document.querySelectorAll('#trainees .name')]
            .some(n => n.textContent === 'Omar H.')").await;
        c.close().await.expect("close the browser");
    });
    let joined = srv.shared.store.joined(&code).unwrap();
    assert!(joined.contains(&"Omar H.".to_owned()) && !joined.contains(&"Omar Haddad".to_owned()));
}
