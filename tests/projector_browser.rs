//! The projector page in a real browser (headless Chromium): a trainee name carrying markup
//! shows as text, the live script has rendered the board, and a screenshot is saved to look at
//! (`target/projector.png`, or `$DEMO_SHOTS_DIR/projector.png`).
//! Without Chromium the test says so and passes, unless `REQUIRE_CHROMIUM` is set (CI sets it).

mod common;

use common::*;
use sim::autoplay;
use std::path::PathBuf;
use std::process::Command;

fn chromium() -> Option<String> {
    if let Ok(c) = std::env::var("CHROMIUM") {
        return Some(c);
    }
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| {
            Command::new(c)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .map(str::to_owned)
}

fn browser(
    bin: &str,
    profile: &std::path::Path,
    extra: &[String],
    url: &str,
) -> std::process::Output {
    Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-default-apps",
            "--disable-extensions",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
            "--virtual-time-budget=2000",
            "--window-size=1600,900",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(url)
        .output()
        .expect("chromium runs")
}

#[test]
fn a_name_with_markup_shows_as_text_on_the_projector_page() {
    let Some(bin) = chromium() else {
        assert!(
            std::env::var_os("REQUIRE_CHROMIUM").is_none(),
            "REQUIRE_CHROMIUM is set but no chromium was found"
        );
        println!("no chromium on this machine: nothing to check (CI installs it)");
        return;
    };
    let srv = class_server();
    let (code, _) = new_session(&srv.base, "fastener_factory", 7);
    let url = format!("{}/api/sessions/{code}/results", srv.base);
    let b = bundle("fastener_factory");
    let names = [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(2)>",
        "王伟",
        "Alex Chen",
        "李娜",
        "Sam O'Neil & Co",
    ];
    for (i, name) in names.iter().enumerate() {
        let n = if i == 0 || i == 2 {
            autoplay::model(&b, 7)
        } else {
            autoplay::random_player(&b, 7, i as u64)
        };
        let (status, v) = post_raw(&url, &submission(&format!("browser-key-{i}"), name, &n));
        assert_eq!(status, 201, "{v}");
    }
    // `?poll`: the page fetches the board once instead of holding a stream open, which
    // headless Chromium needs to finish (the stream itself is tested in class_server.rs).
    let page = format!("{}/s/{code}?poll", srv.base);
    let profile = tempfile::tempdir().unwrap();

    let dom = browser(&bin, profile.path(), &["--dump-dom".into()], &page);
    let dom = String::from_utf8_lossy(&dom.stdout).into_owned();
    assert!(
        dom.contains("data-live=\"1\""),
        "the live script did not render the board:\n{dom}"
    );
    assert!(
        dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{dom}"
    );
    assert!(dom.contains("&lt;img src=x onerror=alert(2)&gt;"), "{dom}");
    assert!(
        !dom.contains("<img src=\"x\""),
        "markup in a name became an element:\n{dom}"
    );
    assert!(
        dom.contains("Sam O'Neil &amp; Co") && dom.contains("王伟"),
        "{dom}"
    );

    let shot = std::env::var_os("DEMO_SHOTS_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(".."))
        .join("projector.png");
    let _ = std::fs::remove_file(&shot);
    browser(
        &bin,
        profile.path(),
        &[format!("--screenshot={}", shot.display())],
        &page,
    );
    let png = std::fs::read(&shot).expect("a screenshot was written");
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 20_000,
        "{} bytes",
        png.len()
    );
    println!("projector screenshot: {}", shot.display());
}
