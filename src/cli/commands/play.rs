//! `play`: a case in the terminal, a recorded script, an automatic or course-breaking player,
//! an agent over JSON lines, or a class's case with the result submitted.

use crate::cli::classroom as class;
use crate::cli::error::{CliError, CliResult, EXIT_BAD_INPUT, fail, fail_in};
use crate::cli::{Ctx, agent, report, terminal as play};
use analysis::coach::Reviewed;
use authoring::script_file::ScriptFile;
use sim::CaseBundle;
use sim::Meeting;
use sim::script::Script;
use sim::text::Lang;
use sim::transcript::Transcript;
use std::io::Write;
use std::path::{Path, PathBuf};

/// `play`'s options.
#[derive(clap::Args, Debug)]
pub struct PlayArgs {
    /// The case id (see `list`); without it, pick from the list.
    #[arg(long = "case", value_name = "ID")]
    pub case_id: Option<String>,
    /// Random seed: the same seed and inputs give the same meeting.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Replay this script (RON: preparations and (line id, seconds) choices) instead of asking.
    #[arg(long, value_name = "FILE")]
    script: Option<PathBuf>,
    /// Print the transcript and score as one JSON object.
    #[arg(long)]
    json: bool,
    /// Let an automatic player play: the case's model approach, always-pressure, or random.
    #[arg(long, value_enum, conflicts_with = "script")]
    auto: Option<Auto>,
    /// Speak JSON lines on stdin/stdout for a program that plays (see the README, "Agent play").
    #[arg(long, conflicts_with_all = ["script", "auto", "join", "json", "adversary"])]
    agent: bool,
    /// Let a course-breaking player play (see `validity` for the ids), to read how it fails.
    #[arg(long, value_name = "ID", conflicts_with_all = ["script", "auto", "join"])]
    adversary: Option<String>,
    /// After playing, write the meeting as a script that replays it.
    #[arg(long, value_name = "FILE")]
    record: Option<PathBuf>,
    /// With --script: replay the script's turns before this one, then play on from here (the
    /// debrief's "retry from this turn").
    #[arg(long, value_name = "N", requires = "script", value_parser = clap::value_parser!(u32).range(1..))]
    from_turn: Option<u32>,
    /// Join a class (http://HOST:PORT/j/CODE): the case and seed come from the
    /// class, and the result is submitted to the class leaderboard.
    #[arg(long, value_name = "URL/CODE", conflicts_with_all = ["case_id", "auto"])]
    join: Option<String>,
    /// Your name on the leaderboards (default: your login name; asked when joining a class).
    #[arg(long)]
    name: Option<String>,
}

/// The automatic players.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Auto {
    /// The case's course-following model approach.
    Model,
    /// Always the strongest pressure line.
    Pressure,
    /// Uniformly random choices.
    Random,
}

/// `play`: pick, play (interactive, scripted or automatic), record, and submit to a class.
pub fn run(ctx: &Ctx, a: PlayArgs) -> CliResult {
    let sc = ctx.scenarios()?;
    let lang = ctx.lang;
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    // Joining a class fixes the case and seed before anything is played.
    let class = a
        .join
        .as_deref()
        .map(class::join)
        .transpose()
        .or_else(fail)?;
    let interactive = (a.script.is_none() || a.from_turn.is_some())
        && a.auto.is_none()
        && a.adversary.is_none()
        && !a.agent;
    let name = trainee_name(&a, class.is_some(), lang, &mut input)?;
    let (case_id, seed) = match &class {
        Some((_, s)) => (Some(s.case.clone()), s.seed),
        None => (a.case_id.clone(), a.seed),
    };
    let Some(case_id) = case_id else {
        if !interactive || a.json {
            return fail_in(
                "--script、--auto、--adversary、--agent 和 --json 都要配合 --case ID 使用",
                "--script, --auto, --adversary, --agent and --json need --case ID",
            );
        }
        let mut out = std::io::stdout().lock();
        let n = play::pick_and_play(&sc, lang, &mut input, &mut out).or_else(fail)?;
        class::record_local(&name, &n, None);
        return Ok(());
    };
    let bundle = ctx.bundle(&sc, &case_id).or_else(|e| match &class {
        Some(_) => fail_in(
            format!(
                "这个班练的是案例 \"{case_id}\"，这台电脑的场景里没有它；\
                 请向培训师要案例文件，或者用 --scenarios DIR"
            ),
            format!(
                "the class plays case \"{case_id}\", which this computer's scenarios do not \
                 have; ask the trainer for the case file or use --scenarios DIR"
            ),
        ),
        None => Err(e),
    })?;
    if a.agent {
        let stdout = std::io::stdout();
        return match agent::run(bundle, seed, lang, &mut input, &mut stdout.lock()) {
            Ok(_) => Ok(()),
            Err(agent::AgentError::InputEnded) => Err(CliError::exit(EXIT_BAD_INPUT)),
            Err(agent::AgentError::Io(e)) => fail(e),
        };
    }
    let n = play_meeting(&a, bundle, seed, lang, &mut input)?;
    if let Some(path) = &a.record {
        write_script(path, &n).or_else(|e| {
            fail_in(
                format!("无法写入 {}：{e}", path.display()),
                format!("cannot write {}: {e}", path.display()),
            )
        })?;
    }
    let hint = Hint {
        case_id: &case_id,
        seed,
        scenarios: ctx.flag(),
    };
    let written = print_meeting(&a, &n, interactive, &hint, lang);
    if interactive || class.is_some() {
        class::record_local(&name, &n, class.as_ref().map(|(_, s)| s.code.as_str()));
    }
    if let Some((client, session)) = &class {
        submit(client, &session.code, &name, &n, lang)?;
    }
    match written {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => fail(e),
        _ => Ok(()),
    }
}

/// The trainee's name on the leaderboards: `--name`, asked when joining a class, else the
/// login name; checked as the class server checks it.
fn trainee_name(
    a: &PlayArgs,
    joining: bool,
    lang: Lang,
    input: &mut impl std::io::BufRead,
) -> Result<String, CliError> {
    let name = match &a.name {
        Some(n) => n.clone(),
        None if joining => {
            play::ask_name(lang, input, &mut std::io::stdout()).map_err(CliError::msg)?
        }
        None => class::default_name(None),
    };
    ::class::check_name(&name).or_else(|e| {
        fail_in(
            format!("--name：{}", e.zh),
            format!("--name: {}", e.en.trim_start_matches("trainee: ")),
        )
    })
}

/// The meeting itself: a course-breaking or automatic player, a script (resumed in the
/// terminal with --from-turn), or the trainee in the terminal.
fn play_meeting(
    a: &PlayArgs,
    bundle: std::sync::Arc<CaseBundle>,
    seed: u64,
    lang: Lang,
    input: &mut impl std::io::BufRead,
) -> Result<Meeting, CliError> {
    let adversary = a
        .adversary
        .as_deref()
        .map(analysis::adversary::find)
        .transpose()
        .or_else(fail)?;
    let mut out = std::io::stdout().lock();
    Ok(match (&a.script, a.auto) {
        _ if let Some(p) = &adversary => p.play(&bundle, seed),
        (_, Some(Auto::Model)) => sim::autoplay::model(&bundle, seed),
        (_, Some(Auto::Pressure)) => sim::autoplay::always_pressure(&bundle, seed),
        (_, Some(Auto::Random)) => sim::autoplay::random(&bundle, seed),
        (Some(file), None) => {
            let keep = a.from_turn.map(|k| (k - 1) as usize);
            let (src, mut script) = Script::load(file)?;
            if let Some(keep) = keep {
                script.choices.truncate(keep);
            }
            let n = script.play(&src, bundle, seed)?;
            match keep {
                None => n,
                Some(_) => play::resume(n, lang, input, &mut out).map_err(CliError::msg)?,
            }
        }
        (None, None) => play::interactive(bundle, seed, lang, input, &mut out, !a.json)
            .map_err(CliError::msg)?,
    })
}

/// What the retry commands need besides the meeting.
struct Hint<'a> {
    case_id: &'a str,
    seed: u64,
    /// ` --scenarios DIR` when it was given.
    scenarios: String,
}

/// Prints the meeting: JSON, the transcript and debrief, or (after playing in the terminal)
/// the debrief and the commands that retry each coached turn.
fn print_meeting(
    a: &PlayArgs,
    n: &Meeting,
    interactive: bool,
    hint: &Hint,
    lang: Lang,
) -> std::io::Result<()> {
    let t = if n.is_over() {
        Reviewed::of(n, Transcript::of(n, lang))
    } else {
        Reviewed::plain(Transcript::of(n, lang))
    };
    let mut out = std::io::stdout().lock();
    if a.json {
        serde_json::to_writer_pretty(&mut out, &t).map_err(std::io::Error::other)?;
        return writeln!(out);
    }
    if !interactive {
        report::transcript(&mut out, &t.transcript)?;
        return report::debrief(&mut out, &t);
    }
    report::debrief(&mut out, &t)?;
    let retry = retry_hint(
        n,
        hint.case_id,
        hint.seed,
        a.record.as_deref(),
        &hint.scenarios,
        lang,
        t.review.as_ref(),
    );
    match retry {
        Some(h) => writeln!(out, "{h}"),
        None => Ok(()),
    }
}

/// Submits a finished meeting to the class; the attempt stays on the local leaderboard.
fn submit(
    client: &::class::client::ClassClient,
    code: &str,
    name: &str,
    n: &Meeting,
    lang: Lang,
) -> CliResult {
    if !n.is_over() {
        return fail_in(
            "会谈还没结束，没有可以提交给班级的结果",
            "the meeting is not over, so there is nothing to submit to the class",
        );
    }
    class::submit(client, code, name, n, lang).or_else(|e| {
        fail_in(
            format!("{e}\n这次练习保存在本机排行榜上（dunning-dojo leaderboard）。"),
            format!(
                "{e}\nThe attempt is kept on the local leaderboard (dunning-dojo leaderboard)."
            ),
        )
    })?;
    Ok(())
}

/// The commands that retry each coached turn: the meeting is written as a script (to
/// --record's file, else the data folder's last-meeting.ron) and replayed up to that turn.
fn retry_hint(
    n: &Meeting,
    case_id: &str,
    seed: u64,
    recorded: Option<&Path>,
    scenarios: &str,
    lang: Lang,
    review: Option<&analysis::coach::ReviewView>,
) -> Option<String> {
    let turns: Vec<u32> = review?.coached.iter().map(|c| c.turn).collect();
    if turns.is_empty() {
        return None;
    }
    let path = match recorded {
        Some(p) => p.to_owned(),
        None => {
            let dir = store::local::data_dir()?;
            std::fs::create_dir_all(&dir).ok()?;
            let p = dir.join("last-meeting.ron");
            write_script(&p, n).ok()?;
            p
        }
    };
    let label = match lang {
        Lang::Zh => "从这一轮重来：",
        Lang::En => "Retry from a coached turn:",
    };
    let lines: Vec<String> = turns
        .iter()
        .map(|turn| {
            format!(
                "  dunning-dojo{scenarios} play --case {case_id} --seed {seed} --script {} --from-turn {turn}",
                path.display()
            )
        })
        .collect();
    Some(format!("{label}\n{}", lines.join("\n")))
}

fn write_script(path: &Path, n: &Meeting) -> std::io::Result<()> {
    let text = ron::ser::to_string_pretty(&Script::of(n), ron::ser::PrettyConfig::default())
        .map_err(std::io::Error::other)?;
    std::fs::write(path, format!("{text}\n"))
}
