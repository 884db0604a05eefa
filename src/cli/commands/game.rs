//! `game` (the default): the game window.

use crate::cli::Ctx;
use crate::cli::error::{CliError, CliResult, fail_in};
use std::path::{Path, PathBuf};

/// Open the game window (the default).
#[derive(clap::Args, Debug, Default)]
pub struct GameArgs {
    /// Start in exam mode: tactic labels hidden, timed answers.
    #[arg(long)]
    exam: bool,
    /// Play a scripted case through every screen in both languages, save a PNG of each
    /// screen into DIR, and exit.
    #[arg(long, value_name = "DIR", conflicts_with = "measure_frames")]
    demo_screenshots: Option<PathBuf>,
    /// The case --demo-screenshots plays (default: fastener_factory, else the first case).
    #[arg(long = "case", value_name = "ID", requires = "demo_screenshots")]
    case_id: Option<String>,
    /// Hold the negotiation screen for N frames, print timing and memory figures, and exit.
    #[arg(long, value_name = "N")]
    measure_frames: Option<u32>,
    /// Join a class at start (http://HOST:PORT/j/CODE).
    #[arg(long, value_name = "URL/CODE")]
    join: Option<String>,
}

pub fn run(ctx: &Ctx, a: GameArgs) -> CliResult {
    // A demo checks its scenarios and case first, so a broken folder or an unknown case is
    // told at once instead of after a window that waits for them.
    let case = match &a.demo_screenshots {
        Some(_) => Some(demo_case(ctx, a.case_id.as_deref())?),
        None => None,
    };
    open(ctx, a, case)
}

/// The case a demo plays: the one asked for, else the bundled demo case, else the first.
fn demo_case(ctx: &Ctx, asked: Option<&str>) -> CliResult<String> {
    let sc = ctx.scenarios()?;
    let ids: Vec<&str> = sc.cases.iter().map(|c| c.id.as_str()).collect();
    match asked {
        Some(id) if ids.contains(&id) => Ok(id.to_owned()),
        Some(id) => fail_in(
            format!(
                "--case：没有案例 \"{id}\"{}；已有的：{}",
                authoring::diagnostic::did_you_mean_in(id, ids.iter().copied()).zh,
                ids.join("、")
            ),
            format!(
                "--case: no case \"{id}\"{}; known: {}",
                sim::did_you_mean(id, ids.iter().copied()),
                ids.join(", ")
            ),
        ),
        None if ids.contains(&game::demo::CASE) => Ok(game::demo::CASE.to_owned()),
        None => ids.first().map(|s| (*s).to_owned()).ok_or_else(|| {
            CliError::say(
                "这些场景里没有可以演示的案例",
                "the scenarios hold no case to play",
            )
        }),
    }
}

/// On Linux without a display, says how to play in the terminal instead (exit 1).
fn no_display(ctx: &Ctx) -> CliResult {
    if cfg!(target_os = "linux")
        && std::env::var_os("DISPLAY").is_none()
        && std::env::var_os("WAYLAND_DISPLAY").is_none()
    {
        return Err(CliError {
            code: 1,
            text: crate::cli::error::said(
                &format!(
                    "错误：没有可以打开游戏窗口的显示器（没有设置 DISPLAY）。\n\
                     请在终端里练习：dunning-dojo{} play\n",
                    ctx.flag()
                ),
                &format!(
                    "error: no display to open the game window on (DISPLAY is not set).\n\
                     Play in the terminal instead: dunning-dojo{} play\n",
                    ctx.flag()
                ),
            ),
        });
    }
    Ok(())
}

/// Opens the game window.
fn open(ctx: &Ctx, a: GameArgs, case: Option<String>) -> CliResult {
    use game::{GameOptions, bundled_assets, demo::DemoMode};
    let (lang, exam, screenshots, measure, join) = (
        ctx.lang,
        a.exam,
        a.demo_screenshots,
        a.measure_frames,
        a.join,
    );
    no_display(ctx)?;
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
        return fail_in(
            format!("无法创建 {}：{e}", shots.display()),
            format!("cannot create {}: {e}", shots.display()),
        );
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
    // A trainer's project is read on top of the program's scenarios.
    let (scenarios, project) = if authoring::validate::is_project(&ctx.dir) {
        (authoring::validate::bundled_dir(), Some(ctx.dir.clone()))
    } else {
        (ctx.dir.clone(), None)
    };
    let demo = match (screenshots, measure) {
        (Some(d), _) => Some(DemoMode::Screenshots {
            dir: absolute(&d),
            case: case.unwrap_or_else(|| game::demo::CASE.to_owned()),
        }),
        (None, Some(frames)) => Some(DemoMode::Measure { frames }),
        (None, None) => None,
    };
    let exit = game::run(GameOptions {
        lang,
        exam,
        scenarios: absolute(&scenarios),
        project: project.as_deref().map(absolute),
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
