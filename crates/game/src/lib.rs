//! The game: a Bevy app whose screens are states. The engine is wrapped, not copied: trainee
//! input becomes a message, one system calls the engine, and the views only read what it says.
//!
//! - [`flow`]: every screen change, decided in one table.
//! - [`data`]: scenario files as Bevy assets (RON loader), validated into a catalog.
//! - [`meeting`]: the meeting in progress, the turn runner, the real-time clock.
//! - [`presentation`], [`input`]: typing, easing meters and the keyboard at the table.
//! - `ui`, `screens`: egui views (only in the windowed app).
//! - [`results`]: the local leaderboard and class submissions.
//! - [`demo`]: scripted runs for screenshots and measurements.

pub mod data;
pub mod demo;
pub mod flow;
pub mod input;
pub mod meeting;
pub mod presentation;
pub mod results;

mod screens;
mod ui;

use bevy::prelude::*;
use sim::text::Lang;
use std::path::PathBuf;

/// The screens, in the order a trainee meets them.
#[derive(States, Default, Clone, Copy, Eq, PartialEq, Hash, Debug)]
pub enum Screen {
    /// Scenario files are loading.
    #[default]
    Loading,
    Title,
    Preparation,
    Meeting,
    Debrief,
    /// The local leaderboard, ranked per case.
    Leaderboard,
}

/// How the game was started.
#[derive(Resource, Clone, Debug)]
pub struct GameOptions {
    pub lang: Lang,
    pub exam: bool,
    pub scenarios: PathBuf,
    /// A trainer's project folder (personas/ and cases/), read on top of `scenarios`.
    pub project: Option<PathBuf>,
    pub assets: PathBuf,
    pub demo: Option<demo::DemoMode>,
    /// The local leaderboard database; `None` records nothing.
    pub results_db: Option<PathBuf>,
    /// Join this class at start (`http://HOST:PORT/j/CODE`).
    pub join: Option<String>,
}

/// The game's rules-free core: states, scenario assets, the meeting. No window, no egui, so
/// headless tests can build the real App with `MinimalPlugins`.
pub fn core_plugin(app: &mut App) {
    app.init_state::<Screen>();
    app.add_plugins((
        flow::plugin,
        data::plugin,
        meeting::plugin,
        presentation::plugin,
        input::plugin,
        results::plugin,
    ));
}

/// Registers the `scenarios://` asset source. Must run before `AssetPlugin` is added.
pub fn register_sources(app: &mut App, scenarios: &std::path::Path) {
    data::register_source(app, scenarios);
}

/// Registers the `project://` asset source: a trainer's project folder read on top of the
/// scenarios. Must run before `AssetPlugin` is added.
pub fn register_project(app: &mut App, project: &std::path::Path) {
    data::register_project(app, project);
}

/// The folder of images and fonts shipped with the crate.
pub fn bundled_assets() -> PathBuf {
    // This crate sits at crates/game in the repository; the assets are at its root.
    let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    here.ancestors().nth(2).unwrap_or(here).join("assets")
}

/// Opens the game window and runs until it is closed.
pub fn run(opts: GameOptions) -> AppExit {
    let mut app = App::new();
    register_sources(&mut app, &opts.scenarios);
    if let Some(p) = &opts.project {
        register_project(&mut app, p);
    }
    let title = match opts.lang {
        Lang::Zh => "催收谈判道场 · dunning-dojo",
        Lang::En => "dunning-dojo · collection meeting training",
    };
    app.add_plugins(
        DefaultPlugins
            .set(AssetPlugin {
                file_path: opts.assets.to_string_lossy().into_owned(),
                ..default()
            })
            .set(WindowPlugin {
                primary_window: Some(Window {
                    title: title.into(),
                    resolution: (1280u32, 800u32).into(),
                    ..default()
                }),
                ..default()
            }),
    );
    let (r, g, b) = ui::BACKGROUND;
    app.insert_resource(ClearColor(Color::srgb_u8(r, g, b)));
    app.insert_resource(results::ResultsConfig {
        db: opts.results_db.clone(),
    });
    app.insert_resource(opts.clone());
    app.add_plugins(core_plugin);
    app.add_plugins(ui::plugin);
    if let Some(mode) = opts.demo {
        app.add_plugins(demo::plugin(mode));
    }
    app.run()
}
