//! Scripted runs of the real window: `--demo-screenshots DIR` plays a case through every screen
//! in both languages and saves a PNG of each; `--measure-frames N` holds the meeting screen
//! for N frames and prints start-up time, CPU time per frame and peak memory.

use crate::Screen;
use crate::data::Catalog;
use crate::flow::Flow;
use crate::meeting::{
    BeginMeeting, CurrentMeeting, Pending, PickCase, SayLine, Settings, model_choice,
};
use crate::presentation::Presentation;
use crate::results::{Class, ClassSubmit, LastResult, ResultsConfig};
use bevy::prelude::*;
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured, save_to_disk};
use sim::text::Lang;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

#[derive(Clone, Debug)]
pub enum DemoMode {
    /// Save each screen of a meeting on `case` into `dir`.
    Screenshots {
        dir: PathBuf,
        case: String,
    },
    Measure {
        frames: u32,
    },
}

/// The screens captured, in order, per language.
pub const SHOTS: [&str; 5] = [
    "title",
    "preparation",
    "negotiation",
    "debrief",
    "leaderboard",
];
/// The case a demo plays unless told another.
pub const CASE: &str = "fastener_factory";
const SEED: u64 = 7;
/// Frames to wait after a screen change so its layout settles before a capture.
const SETTLE: u32 = 30;
/// Give up after this many frames.
const LIMIT: u32 = 6000;

pub fn plugin(mode: DemoMode) -> impl Fn(&mut App) {
    move |app: &mut App| {
        app.insert_resource(Demo {
            mode: mode.clone(),
            step: 0,
            wait: 0,
            frames: 0,
            plan: 0,
            lang: Lang::Zh,
            saved: Arc::new(AtomicUsize::new(0)),
            requested: 0,
            measure_start: None,
            arrived: None,
        });
        app.add_systems(Update, drive);
        if matches!(mode, DemoMode::Measure { .. }) {
            app.add_plugins(measure_plugin);
        }
    }
}

#[derive(Resource)]
struct Demo {
    mode: DemoMode,
    step: u32,
    wait: u32,
    frames: u32,
    plan: usize,
    lang: Lang,
    saved: Arc<AtomicUsize>,
    requested: usize,
    measure_start: Option<(u32, f64)>,
    arrived: Option<u32>,
}

impl Demo {
    /// Whether this run saves screenshots (rather than measuring frames).
    fn screenshots(&self) -> bool {
        matches!(self.mode, DemoMode::Screenshots { .. })
    }

    /// The case the demo plays.
    fn case(&self) -> String {
        match &self.mode {
            DemoMode::Screenshots { case, .. } => case.clone(),
            DemoMode::Measure { .. } => CASE.to_owned(),
        }
    }

    fn shoot(&mut self, commands: &mut Commands, name: &str) {
        let DemoMode::Screenshots { dir, .. } = &self.mode else {
            return;
        };
        let lang = match self.lang {
            Lang::Zh => "zh",
            Lang::En => "en",
        };
        let path = dir.join(format!("{name}_{lang}.png"));
        let saved = Arc::clone(&self.saved);
        commands
            .spawn(Screenshot::primary_window())
            .observe(save_to_disk(path))
            .observe(move |_: On<ScreenshotCaptured>| {
                saved.fetch_add(1, Ordering::SeqCst);
            });
        self.requested += 1;
    }
}

#[allow(clippy::too_many_arguments)] // a Bevy system: each argument is a resource it drives
fn drive(
    mut demo: ResMut<Demo>,
    mut commands: Commands,
    screen: Res<State<Screen>>,
    catalog: Res<Catalog>,
    mut settings: ResMut<Settings>,
    pending: Option<ResMut<Pending>>,
    (current, shown): (Option<Res<CurrentMeeting>>, Res<Presentation>),
    mut pick: MessageWriter<PickCase>,
    mut begin: MessageWriter<BeginMeeting>,
    mut say: MessageWriter<SayLine>,
    mut flow: MessageWriter<Flow>,
    mut exit: MessageWriter<AppExit>,
    config: Option<Res<ResultsConfig>>,
    (class, last): (Res<Class>, Res<LastResult>),
) {
    let screen = *screen.get();
    if held(&mut demo, screen, &catalog, &mut exit) {
        return;
    }
    // Each step waits for its screen, acts, and sets a settle time for the next; steps 10 and
    // 11 (the next language, or the end) act on any screen.
    let demo = &mut *demo;
    let commands = &mut commands;
    match screen {
        _ if demo.step >= 10 => wind_up(demo, &mut flow, &mut exit),
        Screen::Title => {
            let db = config.and_then(|c| c.db.clone());
            on_title(
                demo,
                commands,
                &catalog,
                &mut settings,
                db,
                &class,
                &mut pick,
            );
        }
        Screen::Preparation => on_preparation(demo, commands, pending, &mut begin),
        Screen::Meeting => {
            let Some(s) = current else { return };
            on_meeting(demo, commands, &s, &shown, &mut say, &mut exit);
        }
        Screen::Debrief => on_debrief(demo, commands, &last, &mut flow),
        Screen::Leaderboard => on_leaderboard(demo, commands),
        _ => {}
    }
}

/// Steps 0 and 1 on the title screen: set up (once a class join asked for on the command line
/// is done), then pick the case: the class's case and seed, or the demo's.
fn on_title(
    demo: &mut Demo,
    commands: &mut Commands,
    catalog: &Catalog,
    settings: &mut Settings,
    db: Option<PathBuf>,
    class: &Class,
    pick: &mut MessageWriter<PickCase>,
) {
    match demo.step {
        0 if class.joining.is_some() => {}
        0 => start(demo, catalog, settings, db, class),
        1 => {
            demo.shoot(commands, SHOTS[0]);
            let (case, seed) = class.link.as_ref().map_or((demo.case(), SEED), |l| {
                (l.class.case.clone(), l.class.seed)
            });
            pick.write(PickCase { case, seed });
            demo.step = 2;
        }
        _ => {}
    }
}

/// Steps 2 and 3 on the case file: the model preparations ticked, shown, and the meeting begun.
fn on_preparation(
    demo: &mut Demo,
    commands: &mut Commands,
    pending: Option<ResMut<Pending>>,
    begin: &mut MessageWriter<BeginMeeting>,
) {
    match demo.step {
        2 => {
            if let Some(mut p) = pending {
                p.preparations = p.bundle.case.model_preparations.clone();
            }
            demo.wait = SETTLE;
            demo.step = 3;
        }
        3 => {
            demo.shoot(commands, SHOTS[1]);
            let preps = pending.map_or_else(Vec::new, |p| p.bundle.case.model_preparations.clone());
            begin.write(BeginMeeting {
                preparations: preps,
            });
            demo.plan = 0;
            demo.step = 4;
        }
        _ => {}
    }
}

/// Steps 4 and 5 at the table: the first turns and the meeting screenshot (or the frame
/// measurement), then the rest of the meeting two frames a line.
fn on_meeting(
    demo: &mut Demo,
    commands: &mut Commands,
    s: &CurrentMeeting,
    shown: &Presentation,
    say: &mut MessageWriter<SayLine>,
    exit: &mut MessageWriter<AppExit>,
) {
    match (demo.step, &demo.mode) {
        (4, DemoMode::Measure { frames }) => {
            let frames = *frames;
            measure(demo, frames, exit);
        }
        (4, _) => first_turns(demo, s, shown, commands, say),
        (5, _) => {
            let mut plan = demo.plan;
            if let Some(c) = demo_choice(&s.meeting, &mut plan) {
                say.write(SayLine { choice: c });
            }
            demo.plan = plan;
            demo.wait = 2;
        }
        _ => {}
    }
}

/// Steps 5 to 7 on the debrief: the class's answer is waited for, so the debrief shows the
/// server's score; the screenshot; then the leaderboard (screenshots only).
fn on_debrief(
    demo: &mut Demo,
    commands: &mut Commands,
    last: &LastResult,
    flow: &mut MessageWriter<Flow>,
) {
    match demo.step {
        5 if matches!(last.class, ClassSubmit::Sending(_)) => {}
        5 => {
            demo.wait = SETTLE;
            demo.step = 6;
        }
        6 => {
            demo.shoot(commands, SHOTS[3]);
            demo.wait = 5;
            demo.step = if demo.screenshots() { 7 } else { 10 };
        }
        7 => {
            flow.write(Flow::ToLeaderboard);
            demo.step = 8;
        }
        _ => {}
    }
}

/// Steps 8 and 9 on the leaderboard: settle, then the screenshot.
fn on_leaderboard(demo: &mut Demo, commands: &mut Commands) {
    match demo.step {
        8 => {
            demo.wait = SETTLE;
            demo.step = 9;
        }
        9 => {
            demo.shoot(commands, SHOTS[4]);
            demo.wait = 5;
            demo.step = 10;
        }
        _ => {}
    }
}

/// Steps 10 and 11: after Chinese, the same again in English (screenshots); then exit once
/// every screenshot asked for is saved.
fn wind_up(demo: &mut Demo, flow: &mut MessageWriter<Flow>, exit: &mut MessageWriter<AppExit>) {
    match demo.step {
        10 if demo.lang == Lang::Zh && demo.screenshots() => {
            demo.lang = Lang::En;
            demo.step = 0;
            flow.write(Flow::ToTitle);
        }
        10 => demo.step = 11,
        11 if demo.saved.load(Ordering::SeqCst) >= demo.requested => {
            info!("demo: {} screenshots saved", demo.requested);
            exit.write(AppExit::Success);
        }
        _ => {}
    }
}

/// Whether this frame is not the demo's to act on: it waits, or it ends the demo (out of
/// frames, or scenarios that never load, with what is wrong).
fn held(
    demo: &mut Demo,
    screen: Screen,
    catalog: &Catalog,
    exit: &mut MessageWriter<AppExit>,
) -> bool {
    demo.frames += 1;
    if demo.frames > LIMIT {
        error!(
            "demo did not finish within {LIMIT} frames (at step {})",
            demo.step
        );
        exit.write(AppExit::from_code(3));
        return true;
    }
    if demo.wait > 0 {
        demo.wait -= 1;
        return true;
    }
    if screen == Screen::Loading && catalog.scenarios.is_none() && !catalog.diagnostics.is_empty() {
        error!(
            "demo: the scenarios do not load:\n{}",
            authoring::diagnostic::report(&catalog.diagnostics)
        );
        exit.write(AppExit::from_code(2));
        return true;
    }
    false
}

/// Step 0 on the title screen: the board seeded (for the screenshots), the language, a
/// trainee name and the seed (the class's when one was joined).
fn start(
    demo: &mut Demo,
    catalog: &Catalog,
    settings: &mut Settings,
    db: Option<std::path::PathBuf>,
    class: &Class,
) {
    if demo.screenshots()
        && demo.lang == Lang::Zh
        && let (Some(sc), Some(db)) = (&catalog.scenarios, db)
    {
        seed_board(sc, &db, &demo.case());
    }
    settings.lang = demo.lang;
    settings.trainee = match demo.lang {
        Lang::Zh => "王小明".into(),
        Lang::En => "Alex Chen".into(),
    };
    settings.seed = class.link.as_ref().map_or(SEED, |l| l.class.seed);
    demo.wait = SETTLE;
    demo.step = 1;
}

/// `--measure`: holds the meeting screen and counts frames, after the same 30-frame warm-up
/// the baseline app uses, then reports and exits.
fn measure(demo: &mut Demo, frames: u32, exit: &mut MessageWriter<AppExit>) {
    let now = demo.frames;
    let arrived = *demo.arrived.get_or_insert(now);
    if now < arrived + 30 {
        return;
    }
    let start = *demo.measure_start.get_or_insert((now, cpu_seconds()));
    if demo.frames - start.0 >= frames {
        let cpu = cpu_seconds() - start.1;
        report(frames, cpu);
        exit.write(AppExit::Success);
    }
}

/// Step 4: the first five turns, each once the last reply has been spoken; then the
/// meeting screenshot.
fn first_turns(
    demo: &mut Demo,
    s: &CurrentMeeting,
    shown: &Presentation,
    commands: &mut Commands,
    say: &mut MessageWriter<SayLine>,
) {
    let n = &s.meeting;
    let spoken = shown.spoken(n);
    if n.turns.len() >= 5 && spoken && shown.settled(s) {
        demo.shoot(commands, SHOTS[2]);
        demo.step = 5;
        demo.wait = 5;
    } else if spoken && n.turns.len() < 5 {
        let mut plan = demo.plan;
        if let Some(c) = demo_choice(n, &mut plan) {
            say.write(SayLine { choice: c });
        }
        demo.plan = plan;
        demo.wait = 10;
    }
}

/// The demo opens bluntly (a course mistake, so the debrief has a costly turn to coach), then
/// plays the model approach.
fn demo_choice(n: &sim::Meeting, plan: &mut usize) -> Option<usize> {
    let blunt = n.bundle.choice_index("open_blunt");
    match blunt {
        Some(b) if n.turns.is_empty() && n.is_available(b) => Some(b),
        _ => model_choice(n, plan),
    }
}

/// Fills an empty demo leaderboard with the automatic players' results on the demo case, so
/// the leaderboard screenshot shows how a trainee compares with them.
fn seed_board(sc: &sim::Scenarios, db: &std::path::Path, case: &str) {
    use sim::autoplay;
    use store::LocalBoard;
    let Ok(bundle) = sim::CaseBundle::new(sc, case) else {
        return;
    };
    let Ok(mut board) = LocalBoard::open(db) else {
        return;
    };
    if board.ranked(Some(case)).is_ok_and(|r| !r.is_empty()) {
        return;
    }
    let players = [
        (
            "自动：课程打法 auto: course model",
            autoplay::model(&bundle, SEED),
        ),
        (
            "自动：一味施压 auto: always pressure",
            autoplay::always_pressure(&bundle, SEED),
        ),
        (
            "自动：一味示好 auto: always soft",
            autoplay::always_soft(&bundle, SEED),
        ),
        ("自动：随机 auto: random", autoplay::random(&bundle, SEED)),
    ];
    for (name, n) in &players {
        if let Err(e) = board.record(name, n, None) {
            warn!("demo leaderboard: {e}");
        }
    }
}

/// Seconds of CPU (user + system) this process has used, from /proc (Linux).
pub fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name (which is in parentheses): utime is the 12th, stime the 13th.
    let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else {
        return 0.0;
    };
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    (ticks(11) + ticks(12)) / 100.0
}

/// Peak resident memory in KiB, from /proc (Linux).
pub fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

/// When the process started, for the time to the first rendered frame.
pub static LAUNCH: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();

/// Captures the first frame and prints the time from launch to its capture.
pub fn measure_plugin(app: &mut App) {
    LAUNCH.get_or_init(Instant::now);
    app.add_systems(Update, first_frame);
}

fn first_frame(mut commands: Commands, mut done: Local<bool>) {
    if *done {
        return;
    }
    *done = true;
    commands
        .spawn(Screenshot::primary_window())
        .observe(|_: On<ScreenshotCaptured>| {
            let t = LAUNCH.get().map_or(0.0, |l| l.elapsed().as_secs_f64());
            println!("measure: first_frame_seconds={t:.3}");
        });
}

/// Prints the frame measurements as `measure:` lines.
pub fn report(frames: u32, cpu: f64) {
    println!("measure: frames={frames}");
    println!(
        "measure: cpu_ms_per_frame={:.3}",
        cpu * 1000.0 / f64::from(frames.max(1))
    );
    println!("measure: peak_rss_kib={}", peak_rss_kib());
}
