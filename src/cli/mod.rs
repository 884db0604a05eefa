//! The command-line edge: `list`, `play` (interactive, scripted, JSON, joined to a class),
//! `validate`, `analyze`, `new`, `leaderboard`, `serve` and `class`.
//! It calls the engine and owns no negotiation rule. Exit codes: 0 ok, 2 bad input.

mod agent;
mod class;
mod play;
mod render;
mod report;
mod strings;

use analysis::coach::Reviewed;
use authoring::LoadScenarios;
use authoring::diagnostic::{Diagnostic, report_in};
use authoring::load::RawScenarios;
use authoring::script_file::ScriptFile;
use authoring::validate::{Scenarios, bundled_dir, validate};
use clap::{Parser, Subcommand};
use sim::CaseBundle;
use sim::Negotiation;
use sim::script::Script;
use sim::text::Lang;
use sim::transcript::Transcript;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

/// Exit code for bad input of any kind (malformed files, unknown ids, bad arguments).
pub const EXIT_BAD_INPUT: u8 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "dunning-dojo",
    version,
    about = "Practise collecting overdue B2B invoices against scripted debtors.\n\
             练习催收逾期应收账款：与脚本化的欠款人谈判。",
    after_help = "With no command, opens the game window (`game`)."
)]
pub struct Cli {
    /// Scenario folder (tactics.ron, lines.ron, rubric.ron, personas/, cases/).
    #[arg(long, global = true, value_name = "DIR")]
    pub scenarios: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Open the game window (the default).
    Game {
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
    },
    /// List the cases: id, title, persona, difficulty.
    List {
        #[arg(long, value_parser = parse_lang)]
        lang: Option<Lang>,
    },
    /// Play a case in the terminal, or replay a recorded script.
    Play(PlayArgs),
    /// Show the local leaderboard (every meeting played on this computer), ranked per case.
    Leaderboard {
        /// Only this case.
        #[arg(long = "case", value_name = "ID")]
        case_id: Option<String>,
        /// Write the results as CSV to FILE instead of printing them.
        #[arg(long, value_name = "FILE")]
        csv: Option<PathBuf>,
        /// The database (default: results.sqlite3 in the data folder).
        #[arg(long, value_name = "FILE")]
        db: Option<PathBuf>,
        #[arg(long, value_parser = parse_lang)]
        lang: Option<Lang>,
    },
    /// Run a class server: sessions, replay-verified results, a projector page at /s/CODE.
    Serve {
        /// Address to listen on; 0.0.0.0:7878 lets the classroom's computers reach it.
        #[arg(long, default_value = "127.0.0.1:7878")]
        addr: String,
        /// The server's database (default: class-server.sqlite3 in the data folder).
        #[arg(long, value_name = "FILE")]
        db: Option<PathBuf>,
        /// The key trainers need to open sessions (default: the one kept in DB.trainer-key,
        /// made on first start).
        #[arg(long, value_name = "KEY")]
        trainer_key: Option<String>,
        /// No per-address rate or connection limits (a load test from one machine).
        #[arg(long)]
        no_rate_limits: bool,
        /// The address trainees' devices use to reach this server, for join links and the
        /// projector's QR code (default: found from the network), e.g. http://192.168.1.20:7878
        #[arg(long, value_name = "URL")]
        public_url: Option<String>,
    },
    /// Trainer commands for a class server: open a session, export results, close it.
    Class {
        #[command(subcommand)]
        command: class::ClassCommand,
    },
    /// Parse, cross-check and lint scenario files (default: the bundled scenarios).
    /// Exit 0 when clean, 1 for warnings only with --deny-warnings, 2 for errors.
    Validate {
        /// Scenario folders, or single files checked together with the bundled scenarios.
        paths: Vec<PathBuf>,
        /// One JSON object per diagnostic per line: file, line, column, severity, code, path, message.
        #[arg(long)]
        json: bool,
        /// Exit 1 when there are warnings.
        #[arg(long)]
        deny_warnings: bool,
        /// The language of the messages: zh or en (default: from LANG, else zh).
        #[arg(long, value_parser = parse_lang)]
        lang: Option<Lang>,
    },
    /// The translation workflow: every text to CSV and translations back into the files.
    Strings {
        #[command(subcommand)]
        command: StringsCommand,
    },
    /// Run the scenario tests (test plans) of every case: scenario folders, project folders or
    /// files, checked together with the program's scenarios (default: the bundled scenarios).
    Test {
        paths: Vec<PathBuf>,
        /// The language of the report: zh or en (default: from LANG, else zh).
        #[arg(long, value_parser = parse_lang)]
        lang: Option<Lang>,
    },
    /// Training validity: the course-following model against every course-breaking player (and,
    /// with --search, the best score that breaks one course rule at a time), per case.
    Validity {
        /// Only this case.
        #[arg(long = "case", value_name = "ID")]
        case_id: Option<String>,
        /// Seeds per player.
        #[arg(long, default_value_t = 30)]
        seeds: u64,
        /// Also search for the best score that breaks one course rule at a time.
        #[arg(long)]
        search: bool,
        /// Instead: the deviation analysis. For each turn of the course model's meetings (and
        /// of the analyzer's best play), every other open line said there once and the course
        /// going on; the cost distribution by the line's standing, and the costliest
        /// course-endorsed slips.
        #[arg(long)]
        deviations: bool,
        /// The language of the slips shown: zh or en (default: from LANG, else zh).
        #[arg(long, value_parser = parse_lang)]
        lang: Option<Lang>,
        /// Print one JSON object per case.
        #[arg(long)]
        json: bool,
    },
    /// Does the debtor answer what was said? Per case, in the model playthrough and in random
    /// ones: the share of replies from the mood fallback and the replies repeated word for word.
    Dialogue {
        /// Only this case.
        #[arg(long = "case", value_name = "ID")]
        case_id: Option<String>,
        /// Random playthroughs per case.
        #[arg(long, default_value_t = 200)]
        random: u64,
        /// Also list where the shared words were said most (the line and the reply's tone):
        /// the reactions the persona has no words of its own for.
        #[arg(long)]
        shared: bool,
        /// Print one JSON object per case.
        #[arg(long)]
        json: bool,
    },
    /// Autoplay a case to find its best and worst lines, how strategy classes fare, dominant
    /// tactics, dead ends, excuses never raised and lines never worth choosing.
    Analyze {
        /// The case id.
        case_id: String,
        /// Turns searched exhaustively (each further turn multiplies the work by ~10).
        #[arg(long, default_value_t = 3)]
        depth: u32,
        /// Seeds searched.
        #[arg(long, default_value_t = 4)]
        seeds: u64,
        /// Random rollouts per searched position beyond the depth.
        #[arg(long, default_value_t = 3)]
        rollouts: u32,
        /// Seeds per strategy class.
        #[arg(long, default_value_t = 200)]
        samples: u64,
        /// Print the report as one JSON object.
        #[arg(long)]
        json: bool,
        #[arg(long, value_parser = parse_lang)]
        lang: Option<Lang>,
    },
    /// Write a commented template that validates: a persona or a case.
    New {
        #[arg(value_enum)]
        kind: NewKind,
        /// The id (lowercase letters, digits and _), also the file name.
        name: String,
        /// For a case: the persona it uses.
        #[arg(long, default_value = "cash_strapped")]
        persona: String,
    },
}

/// `play`'s options.
#[derive(clap::Args, Debug)]
pub struct PlayArgs {
    /// The case id (see `list`); without it, pick from the list.
    #[arg(long = "case", value_name = "ID")]
    case_id: Option<String>,
    /// Random seed: the same seed and inputs give the same meeting.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Language: zh or en (default: from LANG, else zh).
    #[arg(long, value_parser = parse_lang)]
    lang: Option<Lang>,
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
    /// Join a class session (http://HOST:PORT/j/CODE): the case and seed come from the
    /// session, and the result is submitted to the class leaderboard.
    #[arg(long, value_name = "URL/CODE", conflicts_with_all = ["case_id", "auto"])]
    join: Option<String>,
    /// Your name on the leaderboards (default: your login name; asked when joining a class).
    #[arg(long)]
    name: Option<String>,
}

/// `strings export` and `strings import`.
#[derive(Subcommand, Debug)]
pub enum StringsCommand {
    /// Write every trainee-facing text of a scenario folder to CSV: id, file, zh, en,
    /// source_hash (default folder: --scenarios, or this folder when it holds scenarios).
    Export {
        dir: Option<PathBuf>,
        #[arg(long, default_value = "strings.csv")]
        out: PathBuf,
    },
    /// Write the `en` column of a CSV back into the folder's RON files, in place; texts whose
    /// Chinese changed since the export are marked as needing an update.
    Import { csv: PathBuf, dir: Option<PathBuf> },
}

/// What `new` writes.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum NewKind {
    Persona,
    Case,
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

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::parse(s).ok_or_else(|| format!("unknown language \"{s}\": use zh or en"))
}

/// The language from the environment: English when LANG/LC_ALL says so, else Chinese.
pub fn env_lang() -> Lang {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.is_empty())
        .and_then(|v| Lang::parse(&v))
        .unwrap_or(Lang::Zh)
}

fn scenario_dir(cli: &Cli) -> PathBuf {
    if let Some(d) = &cli.scenarios {
        return d.clone();
    }
    let bundled = bundled_dir();
    if bundled.is_dir() {
        bundled
    } else {
        PathBuf::from("scenarios")
    }
}

fn fail(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {msg}");
    ExitCode::from(EXIT_BAD_INPUT)
}

fn fail_diags(diags: &[Diagnostic]) -> ExitCode {
    eprint!("{}", report_in(diags, env_lang()));
    eprintln!(
        "{} error{} found.",
        diags.len(),
        if diags.len() == 1 { "" } else { "s" }
    );
    ExitCode::from(EXIT_BAD_INPUT)
}

/// Runs `each` on the case `case_id`, or on every case, printing what it returns as one JSON
/// object per case (`json`) or with `text`.
fn per_case<T: serde::Serialize>(
    sc: &Scenarios,
    case_id: Option<&str>,
    json: bool,
    each: impl Fn(&Arc<CaseBundle>) -> T,
    text: impl Fn(&T),
) -> ExitCode {
    let ids: Vec<String> = match case_id {
        Some(id) => vec![id.to_owned()],
        None => sc.cases.iter().map(|c| c.id.clone()).collect(),
    };
    for id in ids {
        let bundle = match CaseBundle::new(sc, &id) {
            Ok(b) => b,
            Err(e) => return fail(e),
        };
        let v = each(&bundle);
        if json {
            println!("{}", serde_json::to_string(&v).unwrap_or_default());
        } else {
            text(&v);
        }
    }
    ExitCode::SUCCESS
}

/// `validity`: the model against the course-breaking players (and the rule-breaking search).
fn validity_cmd(
    dir: &Path,
    case_id: Option<&str>,
    seeds: u64,
    search: bool,
    json: bool,
) -> ExitCode {
    let sc = match Scenarios::load(dir) {
        Ok(sc) => sc,
        Err(d) => return fail_diags(&d),
    };
    if seeds == 0 || seeds > 10_000 {
        return fail("--seeds must be 1 to 10000");
    }
    let measure = |bundle: &Arc<CaseBundle>| {
        let mut v = analysis::validity::measure(bundle, seeds);
        if search {
            v.rule_breaks = analysis::validity::search_rule_breaks(bundle, Default::default());
        }
        v
    };
    per_case(&sc, case_id, json, measure, report::validity)
}

/// `validity --deviations`: every other line said once in good meetings, and what it cost.
fn deviations_cmd(
    dir: &Path,
    case_id: Option<&str>,
    seeds: u64,
    search: bool,
    lang: Lang,
    json: bool,
) -> ExitCode {
    use analysis::deviations::{self, Base};
    let sc = match Scenarios::load(dir) {
        Ok(sc) => sc,
        Err(d) => return fail_diags(&d),
    };
    if search {
        return fail("--deviations and --search are separate analyses: give one");
    }
    if seeds == 0 || seeds > 1_000 {
        return fail("--seeds must be 1 to 1000 with --deviations");
    }
    let measure = |bundle: &Arc<CaseBundle>| {
        let from_model = deviations::analyse(
            bundle,
            "model",
            &deviations::model_bases(bundle, 1..=seeds),
            lang,
        );
        let best = analysis::analyze::analyze(bundle, &quick_analysis(), &|_| {}).best;
        let base = Base {
            seed: best.seed,
            preparations: best.preparations.clone(),
            lines: best
                .lines
                .iter()
                .filter_map(|id| bundle.choice_index(id))
                .collect(),
        };
        let from_best = deviations::analyse(bundle, "best", &[base], lang);
        vec![from_model, from_best]
    };
    per_case(&sc, case_id, json, measure, |r| {
        for d in r {
            report::deviations(d, lang)
        }
    })
}

/// A quick analyzer run (what validate's verdict and the deviation analysis use).
pub fn quick_analysis() -> analysis::analyze::Options {
    analysis::analyze::Options {
        depth: 2,
        seeds: 2,
        rollouts: 2,
        samples: 10,
    }
}

/// `dialogue`: fallback replies and verbatim repeats, per case.
fn dialogue_cmd(
    dir: &Path,
    case_id: Option<&str>,
    random: u64,
    shared: bool,
    json: bool,
) -> ExitCode {
    let sc = match Scenarios::load(dir) {
        Ok(sc) => sc,
        Err(d) => return fail_diags(&d),
    };
    if random > 100_000 {
        return fail("--random must be 0 to 100000");
    }
    let measure = |bundle: &Arc<CaseBundle>| analysis::dialogue::measure(bundle, random);
    per_case(&sc, case_id, json, measure, |d| report::dialogue(d, shared))
}

/// Runs the CLI; returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    let dir = scenario_dir(&cli);
    match cli.command {
        Some(Command::Validate {
            paths,
            json,
            deny_warnings,
            lang,
        }) => validate_cmd(
            &dir,
            &paths,
            json,
            deny_warnings,
            lang.unwrap_or_else(env_lang),
        ),
        Some(Command::Analyze {
            case_id,
            depth,
            seeds,
            rollouts,
            samples,
            json,
            lang,
        }) => {
            let sc = match Scenarios::load(&dir) {
                Ok(sc) => sc,
                Err(d) => return fail_diags(&d),
            };
            let bundle = match CaseBundle::new(&sc, &case_id) {
                Ok(b) => b,
                Err(e) => return fail(e),
            };
            if depth > 8 || seeds == 0 || seeds > 1000 || samples > 100_000 {
                return fail(
                    "--depth may be at most 8, --seeds 1 to 1000, --samples at most 100000",
                );
            }
            let opts = analysis::analyze::Options {
                depth,
                seeds,
                rollouts,
                samples,
            };
            let units = analysis::analyze::work_units(&bundle, &opts);
            let bar = indicatif::ProgressBar::new(units);
            if json || !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
                bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
            }
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{spinner} analysing {msg} [{bar:30}] {pos}/{len} ({elapsed})",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar.set_message(case_id.clone());
            let started = std::time::Instant::now();
            let report = analysis::analyze::analyze(&bundle, &opts, &|k| bar.inc(k));
            bar.finish_and_clear();
            let seconds = started.elapsed().as_secs_f64();
            if json {
                let mut v = serde_json::to_value(&report).unwrap_or_default();
                v["seconds"] = serde_json::json!((seconds * 1000.0).round() / 1000.0);
                println!("{v}");
            } else {
                report::analysis(&report, seconds, lang.unwrap_or_else(env_lang));
            }
            ExitCode::SUCCESS
        }
        Some(Command::Strings { command }) => strings_cmd(command, cli.scenarios.as_deref(), &dir),
        Some(Command::Test { paths, lang }) => {
            test_cmd(&dir, &paths, lang.unwrap_or_else(env_lang))
        }
        Some(Command::New {
            kind,
            name,
            persona,
        }) => new_cmd(cli.scenarios.as_deref(), kind, &name, &persona),
        Some(Command::List { lang }) => match Scenarios::load(&dir) {
            Ok(sc) => {
                report::list(&sc, lang.unwrap_or_else(env_lang));
                ExitCode::SUCCESS
            }
            Err(d) => fail_diags(&d),
        },
        Some(Command::Play(args)) => {
            let flag = cli
                .scenarios
                .as_deref()
                .map(|d| format!(" --scenarios {}", d.display()))
                .unwrap_or_default();
            play_cmd(&dir, args, &flag)
        }
        Some(Command::Leaderboard {
            case_id,
            csv,
            db,
            lang,
        }) => {
            let sc = Scenarios::load(&dir).ok();
            if let (Some(sc), Some(id)) = (&sc, &case_id)
                && sc.case(id).is_none()
            {
                let ids = sc.cases.iter().map(|c| c.id.as_str());
                return fail(format!(
                    "unknown case \"{id}\"{}",
                    authoring::diagnostic::did_you_mean(id, ids)
                ));
            }
            class::leaderboard_cmd(
                sc.as_ref(),
                db,
                case_id.as_deref(),
                csv.as_deref(),
                lang.unwrap_or_else(env_lang),
            )
        }
        Some(Command::Serve {
            addr,
            db,
            trainer_key,
            no_rate_limits,
            public_url,
        }) => match Scenarios::load(&dir) {
            Ok(sc) => class::serve_cmd(sc, &addr, db, trainer_key, !no_rate_limits, public_url),
            Err(d) => fail_diags(&d),
        },
        Some(Command::Class { command }) => class::class_cmd(command),
        Some(Command::Validity {
            case_id,
            seeds,
            search,
            deviations: true,
            lang,
            json,
        }) => deviations_cmd(
            &dir,
            case_id.as_deref(),
            seeds,
            search,
            lang.unwrap_or_else(env_lang),
            json,
        ),
        Some(Command::Validity {
            case_id,
            seeds,
            search,
            json,
            ..
        }) => validity_cmd(&dir, case_id.as_deref(), seeds, search, json),
        Some(Command::Dialogue {
            case_id,
            random,
            shared,
            json,
        }) => dialogue_cmd(&dir, case_id.as_deref(), random, shared, json),
        None => game(&dir, None, false, None, None, None),
        Some(Command::Game {
            lang,
            exam,
            demo_screenshots,
            measure_frames,
            join,
        }) => game(&dir, lang, exam, demo_screenshots, measure_frames, join),
    }
}

/// `play`: pick, play (interactive, scripted or automatic), record, and submit to a class.
/// `play`; `scenarios_flag` is the `--scenarios DIR` the command was given (or nothing), for
/// the commands it prints.
fn play_cmd(dir: &Path, a: PlayArgs, scenarios_flag: &str) -> ExitCode {
    let sc = match Scenarios::load(dir) {
        Ok(sc) => sc,
        Err(d) => return fail_diags(&d),
    };
    let lang = a.lang.unwrap_or_else(env_lang);
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    // Joining a class fixes the case and seed before anything is played.
    let class = match &a.join {
        Some(address) => match class::join(address) {
            Ok(c) => Some(c),
            Err(e) => return fail(e),
        },
        None => None,
    };
    let interactive = (a.script.is_none() || a.from_turn.is_some())
        && a.auto.is_none()
        && a.adversary.is_none()
        && !a.agent;
    let name = match (&a.name, &class) {
        (Some(n), _) => n.clone(),
        (None, Some(_)) => match play::ask_name(lang, &mut input, &mut std::io::stdout()) {
            Ok(n) => n,
            Err(e) => return fail(e),
        },
        (None, None) => class::default_name(None),
    };
    let name = match ::class::api::check_name(&name) {
        Ok(n) => n,
        Err(e) => return fail(format!("--name: {}", e.trim_start_matches("trainee: "))),
    };
    let (case_id, seed) = match &class {
        Some((_, s)) => (Some(s.case.clone()), s.seed),
        None => (a.case_id, a.seed),
    };
    let Some(case_id) = case_id else {
        if !interactive || a.json {
            return fail("--script, --auto, --adversary, --agent and --json need --case ID");
        }
        let mut out = std::io::stdout().lock();
        return match play::pick_and_play(&sc, lang, &mut input, &mut out) {
            Ok(n) => {
                class::record_local(&name, &n, None);
                ExitCode::SUCCESS
            }
            Err(e) => fail(e),
        };
    };
    let bundle = match CaseBundle::new(&sc, &case_id) {
        Ok(b) => b,
        Err(e) if class.is_some() => {
            return fail(format!(
                "the class plays case \"{case_id}\", which this computer's scenarios do not have ({e}); \
                 ask the trainer for the case file or use --scenarios DIR"
            ));
        }
        Err(e) => return fail(e),
    };
    let adversary = match a
        .adversary
        .as_deref()
        .map(analysis::adversary::find)
        .transpose()
    {
        Ok(p) => p,
        Err(e) => return fail(e),
    };
    if a.agent {
        let stdout = std::io::stdout();
        return match agent::run(bundle, seed, lang, &mut input, &mut stdout.lock()) {
            Ok(_) => ExitCode::SUCCESS,
            Err(agent::AgentError::InputEnded) => ExitCode::from(EXIT_BAD_INPUT),
            Err(agent::AgentError::Io(e)) => fail(e),
        };
    }
    let n = match (&a.script, a.auto) {
        _ if let Some(p) = &adversary => p.play(&bundle, seed),
        (_, Some(Auto::Model)) => sim::autoplay::model(&bundle, seed),
        (_, Some(Auto::Pressure)) => sim::autoplay::always_pressure(&bundle, seed),
        (_, Some(Auto::Random)) => sim::autoplay::random(&bundle, seed),
        (Some(file), None) => {
            let keep = a.from_turn.map(|k| (k - 1) as usize);
            let played = Script::load(file).and_then(|(src, mut s)| {
                if let Some(keep) = keep {
                    s.choices.truncate(keep);
                }
                s.play(&src, bundle, seed)
            });
            match (played, keep) {
                (Ok(n), None) => n,
                (Ok(n), Some(_)) => {
                    let mut out = std::io::stdout().lock();
                    match play::resume(n, lang, &mut input, &mut out) {
                        Ok(n) => n,
                        Err(e) => return fail(e),
                    }
                }
                (Err(d), _) => return fail_diags(&[d]),
            }
        }
        (None, None) => {
            let out = std::io::stdout();
            let mut out = out.lock();
            match play::interactive(bundle, seed, lang, &mut input, &mut out, !a.json) {
                Ok(n) => n,
                Err(e) => return fail(e),
            }
        }
    };
    if let Some(path) = &a.record
        && let Err(e) = write_script(path, &n)
    {
        return fail(format!("cannot write {}: {e}", path.display()));
    }
    let t = if n.is_over() {
        Reviewed::of(&n, Transcript::of(&n, lang))
    } else {
        Reviewed::plain(Transcript::of(&n, lang))
    };
    let retry = if interactive {
        retry_hint(
            &n,
            &case_id,
            seed,
            a.record.as_deref(),
            scenarios_flag,
            lang,
            t.review.as_ref(),
        )
    } else {
        None
    };
    let mut out = std::io::stdout().lock();
    let written = if a.json {
        serde_json::to_writer_pretty(&mut out, &t)
            .map_err(std::io::Error::other)
            .and_then(|_| writeln!(out))
    } else if !interactive {
        report::transcript(&mut out, &t.transcript).and_then(|_| report::debrief(&mut out, &t))
    } else {
        report::debrief(&mut out, &t).and_then(|_| match &retry {
            Some(hint) => writeln!(out, "{hint}"),
            None => Ok(()),
        })
    };
    drop(out);
    let class_code = class.as_ref().map(|(_, s)| s.code.as_str());
    if interactive || class.is_some() {
        class::record_local(&name, &n, class_code);
    }
    if let Some((client, session)) = &class {
        if !n.is_over() {
            return fail("the meeting is not over, so there is nothing to submit to the class");
        }
        if let Err(e) = class::submit(client, &session.code, &name, &n, lang) {
            return fail(format!(
                "{e}\nThe attempt is kept on the local leaderboard (dunning-dojo leaderboard)."
            ));
        }
    }
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => fail(e),
    }
}

/// Opens the game window.
fn game(
    dir: &Path,
    lang: Option<Lang>,
    exam: bool,
    screenshots: Option<PathBuf>,
    measure: Option<u32>,
    join: Option<String>,
) -> ExitCode {
    use game::{GameOptions, bundled_assets, demo::DemoMode};
    if cfg!(target_os = "linux")
        && std::env::var_os("DISPLAY").is_none()
        && std::env::var_os("WAYLAND_DISPLAY").is_none()
    {
        eprintln!(
            "error: no display to open the game window on (DISPLAY is not set).\n\
             Play in the terminal instead: dunning-dojo play"
        );
        return ExitCode::from(1);
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
        bevy::app::AppExit::Success => ExitCode::SUCCESS,
        bevy::app::AppExit::Error(code) => ExitCode::from(code.get()),
    }
}

/// The commands that retry each coached turn: the meeting is written as a script (to
/// --record's file, else the data folder's last-meeting.ron) and replayed up to that turn.
fn retry_hint(
    n: &Negotiation,
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

fn write_script(path: &Path, n: &Negotiation) -> std::io::Result<()> {
    let text = ron::ser::to_string_pretty(&Script::of(n), ron::ser::PrettyConfig::default())
        .map_err(std::io::Error::other)?;
    std::fs::write(path, format!("{text}\n"))
}

fn strings_cmd(cmd: StringsCommand, explicit: Option<&Path>, default: &Path) -> ExitCode {
    match cmd {
        StringsCommand::Export { dir, out } => {
            let dir = dir
                .or_else(|| explicit.map(Path::to_path_buf))
                .or_else(|| new_target(None).ok())
                .unwrap_or_else(|| default.to_owned());
            match strings::export(&dir, &out) {
                Ok((n, files)) => {
                    println!(
                        "wrote {n} texts from {files} files of {} to {}",
                        dir.display(),
                        out.display()
                    );
                    println!(
                        "next: fill in the en column, then dunning-dojo strings import {} {}",
                        out.display(),
                        dir.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e),
            }
        }
        StringsCommand::Import { csv, dir } => {
            let dir = match new_target(dir.as_deref().or(explicit)) {
                Ok(d) => d,
                Err(e) => return fail(e),
            };
            match strings::import(&dir, &csv) {
                Ok(r) => {
                    println!(
                        "wrote {} translations into {} files of {}",
                        r.written,
                        r.files,
                        dir.display()
                    );
                    if !r.unknown.is_empty() {
                        println!("not found (renamed or deleted?): {}", r.unknown.join(", "));
                    }
                    if !r.stale.is_empty() {
                        println!(
                            "the Chinese of these texts changed after the export, so their English needs an update (validate warns until it is done): {}",
                            r.stale.join(", ")
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e),
            }
        }
    }
}

/// `dunning-dojo test`: every case's test plans, one line each, then the tally. Exit 0 when all
/// pass, 1 when one fails, 2 when the scenarios do not validate.
/// The scenario sets `validate` and `test` check, each with its label: whole folders on their
/// own, and files (with project folders) together with the program's scenarios.
fn load_sets(dir: &Path, paths: &[PathBuf]) -> Vec<(String, Result<Scenarios, Vec<Diagnostic>>)> {
    let mut diags = Vec::new();
    // A project folder given with --scenarios is checked on top of the program's scenarios.
    let project = authoring::validate::is_project(dir);
    let paths = if paths.is_empty() && project {
        vec![dir.to_owned()]
    } else {
        paths.to_vec()
    };
    let base = if project {
        bundled_dir()
    } else {
        dir.to_owned()
    };
    let dir = base.as_path();
    let (dirs, files) = validate_inputs(&paths);
    let mut results = Vec::new();
    if dirs.is_empty() || !files.is_empty() {
        let mut raw = RawScenarios::load_dir(dir, &mut diags);
        for f in &files {
            raw.add_file(f, None, &mut diags);
        }
        let label = if files.is_empty() {
            dir.display().to_string()
        } else {
            let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
            format!("{} (checked with {})", names.join(", "), dir.display())
        };
        results.push((label, validate(raw, std::mem::take(&mut diags))));
    }
    for d in dirs {
        let mut ds = Vec::new();
        let raw = RawScenarios::load_dir(&d, &mut ds);
        results.push((d.display().to_string(), validate(raw, ds)));
    }
    results
}

fn test_cmd(dir: &Path, paths: &[PathBuf], lang: Lang) -> ExitCode {
    let zh = lang == Lang::Zh;
    let (mut passed, mut failed) = (0, 0);
    for (_, set) in load_sets(dir, paths) {
        let sc = match set {
            Ok(sc) => sc,
            Err(d) => return fail_diags(&d),
        };
        for case in &sc.cases {
            let Ok(bundle) = CaseBundle::new(&sc, &case.id) else {
                continue;
            };
            for plan in &case.tests {
                let r = authoring::testplan::run(&bundle, plan);
                print_plan(&r, zh);
                if r.passed() {
                    passed += 1;
                } else {
                    failed += 1;
                }
            }
        }
    }
    let summary = match (passed + failed, zh) {
        (0, true) => {
            "没有找到测试方案：在案例里加上 tests: [...]（见 docs/SCENARIO_FORMAT.md）".into()
        }
        (0, false) => {
            "no test plans found: add tests: [...] to a case (see docs/SCENARIO_FORMAT.md)".into()
        }
        (_, true) => format!("{passed} 个通过，{failed} 个失败"),
        (_, false) => format!("{passed} passed, {failed} failed"),
    };
    println!("{summary}");
    if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// One plan's line, and its failures under it.
fn print_plan(r: &authoring::testplan::PlanResult, zh: bool) {
    let verdict = match (r.passed(), zh) {
        (true, true) => "通过",
        (true, false) => "ok  ",
        (false, true) => "失败",
        (false, false) => "FAIL",
    };
    println!(
        "{verdict} {} / {} ({:.1}, {}, {})",
        r.case, r.name, r.score, r.grade, r.outcome
    );
    for f in &r.failures {
        println!("      {f}");
    }
}

/// What `validate` checks: whole scenario folders on their own, and files (with those of
/// project folders that hold only personas/ and cases/) together with the program's scenarios.
fn validate_inputs(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let (mut dirs, mut files) = (Vec::new(), Vec::new());
    for p in paths {
        if !p.is_dir() {
            files.push(p.clone());
        } else if p.join("tactics.ron").exists() {
            dirs.push(p.clone());
        } else {
            files.extend(authoring::validate::project_files(p));
        }
    }
    (dirs, files)
}

fn validate_cmd(
    dir: &Path,
    paths: &[PathBuf],
    json: bool,
    deny_warnings: bool,
    lang: Lang,
) -> ExitCode {
    use authoring::diagnostic::Severity;
    use std::io::IsTerminal;
    let results = load_sets(dir, paths);
    let mut all = Vec::new();
    let mut summaries = Vec::new();
    for (d, r) in results {
        match r {
            Ok(sc) => {
                all.extend(authoring::lint::lint(&sc));
                summaries.push(format!(
                    "{d} — {} cases, {} personas, {} lines, {} tactics",
                    sc.cases.len(),
                    sc.personas.len(),
                    sc.lines.lines.len(),
                    sc.book.tactics.len()
                ));
            }
            Err(ds) => all.extend(ds),
        }
    }
    let folders: Vec<&Path> = if paths.is_empty() {
        vec![dir]
    } else {
        paths
            .iter()
            .filter(|p| p.is_dir())
            .map(PathBuf::as_path)
            .collect()
    };
    for f in folders {
        all.extend(strings::stale(f));
    }
    let errors = all.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = all.len() - errors;
    if json {
        let mut out = std::io::stdout().lock();
        for d in &all {
            let _ = serde_json::to_writer(&mut out, d).map(|_| writeln!(out));
        }
    } else {
        let color = std::io::stderr().is_terminal();
        for d in &all {
            eprint!("{}", render::render(d, lang, color));
        }
        if errors == 0 {
            for s in &summaries {
                println!("ok: {s}");
            }
        }
        if !all.is_empty() {
            eprintln!(
                "{errors} error{}, {warnings} warning{}.",
                if errors == 1 { "" } else { "s" },
                if warnings == 1 { "" } else { "s" }
            );
        }
    }
    if errors > 0 {
        ExitCode::from(EXIT_BAD_INPUT)
    } else if warnings > 0 && deny_warnings {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

const PERSONA_TEMPLATE: &str = include_str!("templates/persona.ron");
const CASE_TEMPLATE: &str = include_str!("templates/case.ron");

/// The template for `new`, with the id (and persona) filled in.
pub fn template(kind: NewKind, id: &str, persona: &str) -> String {
    match kind {
        NewKind::Persona => PERSONA_TEMPLATE.replace("{id}", id),
        NewKind::Case => CASE_TEMPLATE
            .replace("{id}", id)
            .replace("{persona}", persona),
    }
}

/// Whether `dir` looks like a scenario folder: it has the shared files or personas/ or cases/.
fn holds_scenarios(dir: &Path) -> bool {
    [
        "tactics.ron",
        "lines.ron",
        "rubric.ron",
        "personas",
        "cases",
    ]
    .iter()
    .any(|f| dir.join(f).exists())
}

/// Where `new` writes: `--scenarios`, else the current folder when it holds scenarios (or its
/// `scenarios/`); never the program's own scenario folder.
fn new_target(explicit: Option<&Path>) -> Result<PathBuf, String> {
    let dir = match explicit {
        Some(d) => d.to_owned(),
        None => {
            let here = std::env::current_dir()
                .map_err(|e| format!("cannot tell which folder this is: {e}"))?;
            if holds_scenarios(&here) {
                here
            } else if holds_scenarios(&here.join("scenarios")) {
                here.join("scenarios")
            } else {
                return Err(format!(
                    "{} holds no scenarios (no personas/, cases/ or tactics.ron): run `new` in \
                     your project's scenario folder, or name it with --scenarios DIR \
                     (it is created if needed)",
                    here.display()
                ));
            }
        }
    };
    let same = |a: &Path, b: &Path| match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    };
    if same(&dir, &bundled_dir()) {
        return Err(format!(
            "{} is the program's own scenario folder, which `new` never changes: make a folder \
             for your cases and pass it with --scenarios DIR (validate checks it together with \
             the program's scenarios)",
            dir.display()
        ));
    }
    Ok(dir)
}

/// The persona ids a new case may use: the program's and the project's (file names, which
/// `new` makes equal to the ids).
fn persona_ids(project: &Path) -> Vec<String> {
    let mut ids: Vec<String> = [bundled_dir(), project.to_owned()]
        .iter()
        .filter_map(|d| std::fs::read_dir(d.join("personas")).ok())
        .flatten()
        .filter_map(|e| {
            let p = e.ok()?.path();
            (p.extension()? == "ron").then(|| p.file_stem()?.to_str().map(str::to_owned))?
        })
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

fn new_cmd(explicit: Option<&Path>, kind: NewKind, name: &str, persona: &str) -> ExitCode {
    let valid = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !valid {
        return fail(format!(
            "\"{name}\" is not a usable id: use lowercase letters, digits and _ (at most 64)"
        ));
    }
    let dir = match new_target(explicit) {
        Ok(d) => d,
        Err(e) => return fail(e),
    };
    if kind == NewKind::Case {
        let known = persona_ids(&dir);
        if !known.iter().any(|p| p == persona) {
            return fail(format!(
                "--persona: no persona \"{persona}\"{} in the program's scenarios or {}; known: {} \
                 (write the persona first: dunning-dojo --scenarios {} new persona {persona})",
                authoring::diagnostic::did_you_mean(persona, known.iter().map(String::as_str)),
                dir.join("personas").display(),
                known.join(", "),
                dir.display(),
            ));
        }
    }
    let sub = match kind {
        NewKind::Persona => "personas",
        NewKind::Case => "cases",
    };
    let path = dir.join(sub).join(format!("{name}.ron"));
    if path.exists() {
        return fail(format!(
            "{} already exists; nothing was written",
            path.display()
        ));
    }
    if let Err(e) = std::fs::create_dir_all(dir.join(sub))
        .and_then(|_| std::fs::write(&path, template(kind, name, persona)))
    {
        return fail(format!("cannot write {}: {e}", path.display()));
    }
    println!("wrote {}", path.display());
    println!("next: {}", validate_hint(&dir, &path, kind, persona));
    ExitCode::SUCCESS
}

/// The validate command for a file `new` wrote: the whole folder when it is a complete
/// scenario folder, else the file (with its persona's file when that is in the project too).
fn validate_hint(dir: &Path, path: &Path, kind: NewKind, persona: &str) -> String {
    if dir.join("tactics.ron").exists() {
        return format!("dunning-dojo validate {}", dir.display());
    }
    let own_persona = dir.join("personas").join(format!("{persona}.ron"));
    if kind == NewKind::Case && own_persona.exists() {
        format!(
            "dunning-dojo validate {} {}",
            own_persona.display(),
            path.display()
        )
    } else {
        format!("dunning-dojo validate {}", path.display())
    }
}
