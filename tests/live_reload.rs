//! Live reload: editing a scenario file while the game runs updates the catalog; a broken edit
//! crashes and resets nothing: the diagnostics (the same text `validate` prints) are shown and
//! the last good version stays in play until the file is fixed.
//! The latency is printed, not asserted (timing belongs in measurements, not pass conditions).

mod common;

use bevy::prelude::*;
use bevy::state::app::StatesPlugin;
use common::scenario_copy;
use game::data::Catalog;
use game::{Screen, core_plugin, register_sources};
use std::time::{Duration, Instant};

fn title(app: &App) -> Option<String> {
    let c = app.world().resource::<Catalog>();
    c.scenarios
        .as_ref()
        .and_then(|s| s.case("print_shop").map(|c| c.title.en.clone()))
}

/// Updates the app until `done` holds; returns how long it took.
fn wait(app: &mut App, what: &str, done: impl Fn(&App) -> bool) -> Duration {
    let start = Instant::now();
    while !done(app) {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "timed out waiting for {what}"
        );
        app.update();
        std::thread::sleep(Duration::from_millis(10));
    }
    start.elapsed()
}

/// The game's core on `dir`'s scenarios with the asset watcher on, at the title screen.
fn watching_app(dir: &std::path::Path) -> App {
    let mut app = App::new();
    register_sources(&mut app, dir);
    app.add_plugins((
        MinimalPlugins,
        StatesPlugin,
        AssetPlugin {
            watch_for_changes_override: Some(true),
            ..default()
        },
    ));
    app.add_plugins(core_plugin);
    wait(&mut app, "the title screen", |a| {
        *a.world().resource::<State<Screen>>().get() == Screen::Title
    });
    app
}

/// Writes `text` to `file` until the case's English title reads `want`. The watcher may still be
/// starting, so the edit is written again each half second until it is seen (waiting on the
/// result, not on a guess); returns how long it took.
fn write_until_seen(app: &mut App, file: &std::path::Path, text: &str, want: &str) -> Duration {
    let start = Instant::now();
    loop {
        std::fs::write(file, text).unwrap();
        let round = Instant::now();
        while round.elapsed() < Duration::from_millis(500) && title(app).as_deref() != Some(want) {
            app.update();
            std::thread::sleep(Duration::from_millis(10));
        }
        if title(app).as_deref() == Some(want) {
            return start.elapsed();
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "timed out waiting for the edit"
        );
    }
}

/// The catalog's diagnostics as `validate` prints them.
fn diagnostics(app: &App) -> Vec<String> {
    app.world()
        .resource::<Catalog>()
        .diagnostics
        .iter()
        .map(|d| d.to_string())
        .collect()
}

#[test]
fn edits_reload_and_broken_edits_keep_the_last_good_version() {
    let (_tmp, dir) = scenario_copy();
    let case = dir.join("cases/print_shop.ron");
    let original = std::fs::read_to_string(&case).unwrap();
    let mut app = watching_app(&dir);
    assert_eq!(
        title(&app).as_deref(),
        Some("Manager Zhao at the ad agency")
    );
    // A good edit is picked up.
    let revised = original.replace("Manager Zhao at the ad agency", "Manager Zhao, revised");
    let took = write_until_seen(&mut app, &case, &revised, "Manager Zhao, revised");
    println!("good edit reloaded after {:.2} s", took.as_secs_f64());
    assert!(app.world().resource::<Catalog>().diagnostics.is_empty());

    // A broken edit: diagnostics appear, the last good version stays.
    let broken = original.replace("difficulty: 2,", "difficulty: 2,,");
    std::fs::write(&case, &broken).unwrap();
    let took = wait(&mut app, "the diagnostics", |a| {
        !a.world().resource::<Catalog>().diagnostics.is_empty()
    });
    println!("broken edit reported after {:.2} s", took.as_secs_f64());
    let line = broken[..broken.find("difficulty: 2,,").unwrap()]
        .matches('\n')
        .count()
        + 1;
    let diags = diagnostics(&app);
    assert!(
        diags
            .iter()
            .any(|d| d.contains(&format!("print_shop.ron:{line}:"))),
        "{diags:?}"
    );
    assert_eq!(
        title(&app).as_deref(),
        Some("Manager Zhao, revised"),
        "the last good version stays in play"
    );
    assert_eq!(
        *app.world().resource::<State<Screen>>().get(),
        Screen::Title,
        "nothing was reset"
    );

    // Fixed: the diagnostics clear and the fix is in play.
    std::fs::write(&case, &original).unwrap();
    wait(&mut app, "the fix", |a| {
        a.world().resource::<Catalog>().diagnostics.is_empty()
            && title(a).as_deref() == Some("Manager Zhao at the ad agency")
    });
}
