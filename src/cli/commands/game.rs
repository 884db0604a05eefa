//! `game` (the default): the game window.

use crate::cli::error::{CliError, CliResult, fail};
use crate::cli::{Ctx, env_lang, parse_lang};
use sim::text::Lang;
use std::path::{Path, PathBuf};

/// Open the game window (the default).
#[derive(clap::Args, Debug, Default)]
pub struct GameArgs {
    /// Interface language at start (switchable in the game): zh or en.
    #[arg(long, value_parser = parse_lang)]
    lang: Option<Lang>,
    /// Start in exam mode: tactic labels hidden, timed answers.
    #[arg(long)]
    exam: bool,
    /// Play a scripted case through every screen in both languages, save a PNG of each
    /// screen into DIR, and exit.
    #[arg(long, value_name = "DIR", conflicts_with = "measure_frames")]
    demo_screenshots: Option<PathBuf>,
    /// Hold the negotiation screen for N frames, print timing and memory figures, and exit.
    #[arg(long, value_name = "N")]
    measure_frames: Option<u32>,
    /// Join a class session at start (http://HOST:PORT/j/CODE).
    #[arg(long, value_name = "URL/CODE")]
    join: Option<String>,
}

pub fn run(ctx: &Ctx, a: GameArgs) -> CliResult {
    open(
        &ctx.dir,
        a.lang,
        a.exam,
        a.demo_screenshots,
        a.measure_frames,
        a.join,
    )
}

/// Opens the game window.
fn open(
    dir: &Path,
    lang: Option<Lang>,
    exam: bool,
    screenshots: Option<PathBuf>,
    measure: Option<u32>,
    join: Option<String>,
) -> CliResult {
    use game::{GameOptions, bundled_assets, demo::DemoMode};
    if cfg!(target_os = "linux")
        && std::env::var_os("DISPLAY").is_none()
        && std::env::var_os("WAYLAND_DISPLAY").is_none()
    {
        return Err(CliError {
            code: 1,
            text: "error: no display to open the game window on (DISPLAY is not set).\n\
                   Play in the terminal instead: dunning-dojo play\n"
                .into(),
        });
    }
    let absolute = |p: &Path| {
        std::fs::canonicalize(p).unwrap_or_else(|_| {
            std::env::current_dir()
                .map(|d| d.join(p))
                .unwrap_or_else(|_| p.to_owned())
        })
    };
    if let Some(shots) = &screenshots
        && let Err(e) = std::fs::create_dir_all(shots)
    {
        return fail(format!("cannot create {}: {e}", shots.display()));
    }
    let assets = bundled_assets();
    let assets = if assets.is_dir() {
        assets
    } else {
        PathBuf::from("assets")
    };
    // A demo keeps its results beside its screenshots, away from the trainee's own.
    let results_db = match &screenshots {
        Some(d) => Some(absolute(d).join("demo-results.sqlite3")),
        None => store::local::default_path(),
    };
    let demo = match (screenshots, measure) {
        (Some(d), _) => Some(DemoMode::Screenshots(absolute(&d))),
        (None, Some(frames)) => Some(DemoMode::Measure { frames }),
        (None, None) => None,
    };
    let exit = game::run(GameOptions {
        lang: lang.unwrap_or_else(env_lang),
        exam,
        scenarios: absolute(dir),
        assets: absolute(&assets),
        results_db,
        join,
        demo,
    });
    match exit {
        bevy::app::AppExit::Success => Ok(()),
        bevy::app::AppExit::Error(code) => Err(CliError::exit(code.get())),
    }
}
