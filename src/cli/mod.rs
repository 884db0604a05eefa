//! The command-line edge: one file per command under `commands/`, each parsing its own
//! arguments and returning a `CliResult`; `run` loads nothing itself, prints a failure once and
//! gives the exit code. Commands that need the scenarios load them through `Ctx::scenarios`.

mod agent;
mod classroom;
mod commands;
mod error;
mod render;
mod report;
mod sets;
mod terminal;
mod translations;

use authoring::LoadScenarios;
use authoring::diagnostic::Diagnostic;
use authoring::validate::{Scenarios, bundled_dir};
use clap::{Parser, Subcommand};
use commands::*;
use error::{CliError, CliResult};
use sim::CaseBundle;
use sim::text::Lang;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

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
    /// The language of everything printed (and the game's at start): zh or en
    /// (default: from LANG, else zh).
    #[arg(long, global = true, value_parser = parse_lang)]
    pub lang: Option<Lang>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Open the game window (the default).
    Game(game::GameArgs),
    /// List the cases: id, title, persona, difficulty.
    List(list::ListArgs),
    /// Play a case in the terminal, or replay a recorded script.
    Play(play::PlayArgs),
    /// Show the local leaderboard (every meeting played on this computer), ranked per case.
    Leaderboard(leaderboard::LeaderboardArgs),
    /// Run a class server: classes, replay-verified results, a projector page at /s/CODE.
    Serve(serve::ServeArgs),
    /// Trainer commands for a class server: open a class, export results, close it.
    Class {
        #[command(subcommand)]
        command: class::ClassCommand,
    },
    /// Parse, cross-check and lint scenario files (default: the bundled scenarios).
    /// Exit 0 when clean, 1 for warnings only with --deny-warnings, 2 for errors.
    Validate(validate::ValidateArgs),
    /// The translation workflow: every text to CSV and translations back into the files.
    Strings {
        #[command(subcommand)]
        command: strings::StringsCommand,
    },
    /// Run the scenario tests (test plans) of every case: scenario folders, project folders or
    /// files, checked together with the program's scenarios (default: the bundled scenarios).
    Test(test::TestArgs),
    /// Training validity: the course-following model against every course-breaking player (and,
    /// with --search, the best score that breaks one course rule at a time), per case.
    Validity(validity::ValidityArgs),
    /// Does the debtor answer what was said? Per case, in the model playthrough and in random
    /// ones: the share of replies from the mood fallback and the replies repeated word for word.
    Dialogue(dialogue::DialogueArgs),
    /// Autoplay a case to find its best and worst lines, how strategy classes fare, dominant
    /// tactics, dead ends, excuses never raised and lines never worth choosing.
    Analyze(analyze::AnalyzeArgs),
    /// Write a commented template that validates: a persona or a case.
    New(new::NewArgs),
}

impl Cli {
    /// Whether the command only prints (and may be piped into `head`): not the game, the class
    /// server or its client, whose sockets must never end the process.
    pub fn prints_a_report(&self) -> bool {
        !matches!(
            self.command,
            None | Some(
                Command::Game(_) | Command::Serve(_) | Command::Class { .. } | Command::Play(_)
            )
        )
    }
}

/// What every command may need: the scenario folder (given, found or bundled) and how it was
/// named.
pub struct Ctx {
    /// `--scenarios` as given, else the trainer's project found from the current folder.
    pub explicit: Option<PathBuf>,
    /// The folder to read: `explicit`, else the bundled scenarios.
    pub dir: PathBuf,
    /// The language of everything printed: `--lang`, else `LANG`, else Chinese.
    pub lang: Lang,
}

impl Ctx {
    fn of(cli: &Cli) -> Ctx {
        let explicit = cli.scenarios.clone().or_else(found_project);
        let dir = match &explicit {
            Some(d) => d.clone(),
            None if bundled_dir().is_dir() => bundled_dir(),
            None => PathBuf::from("scenarios"),
        };
        Ctx {
            explicit,
            dir,
            lang: cli.lang.unwrap_or_else(env_lang),
        }
    }

    /// The one place the commands load and validate the scenarios.
    pub fn scenarios(&self) -> Result<Scenarios, Vec<Diagnostic>> {
        Scenarios::load(&self.dir)
    }

    /// The cases that are the reader's: in a trainer's project its own, else every case.
    pub fn own_cases(&self, sc: &Scenarios) -> Vec<String> {
        let project = authoring::validate::is_project(&self.dir);
        sc.cases
            .iter()
            .zip(&sc.sources.cases)
            .filter(|(_, src)| !project || src.file.starts_with(&self.dir))
            .map(|(c, _)| c.id.clone())
            .collect()
    }

    /// The case `id` compiled; an unknown id says which cases there are and where else to look.
    pub fn bundle(&self, sc: &Scenarios, id: &str) -> CliResult<Arc<CaseBundle>> {
        CaseBundle::new(sc, id).map_err(|e| {
            if sc.case(id).is_some() {
                return CliError::msg(e);
            }
            let ids: Vec<&str> = sc.cases.iter().map(|c| c.id.as_str()).collect();
            CliError::say(
                format!(
                    "没有案例 \"{id}\"{}；已有的：{}。如果它在你自己的文件夹里，就在那个文件夹里运行，\
                     或者加上 --scenarios 文件夹",
                    authoring::diagnostic::did_you_mean_in(id, ids.iter().copied()).zh,
                    ids.join("、")
                ),
                format!(
                    "no case \"{id}\"{}; known: {}. If it is in a folder of your own, run the \
                     command inside that folder or add --scenarios FOLDER",
                    sim::did_you_mean(id, ids.iter().copied()),
                    ids.join(", ")
                ),
            )
        })
    }

    /// ` --scenarios DIR` when it was given, for the commands a command prints.
    pub fn flag(&self) -> String {
        self.explicit
            .as_deref()
            .map(|d| format!(" --scenarios {}", d.display()))
            .unwrap_or_default()
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

/// The scenario folder of `here`: the folder itself when it holds scenarios, else its
/// `scenarios/` (which may be the program's own).
pub fn scenarios_in(here: &Path) -> Option<PathBuf> {
    [here.to_owned(), here.join("scenarios")]
        .into_iter()
        .find(|d| holds_scenarios(d))
}

/// The trainer's project, found from the current folder as every command finds it; never the
/// program's own scenarios.
pub fn found_project() -> Option<PathBuf> {
    let dir = scenarios_in(&std::env::current_dir().ok()?)?;
    (!same_folder(&dir, &bundled_dir())).then_some(dir)
}

/// Whether two paths name the same folder.
pub fn same_folder(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// Runs the CLI; returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    let ctx = Ctx::of(&cli);
    error::set_lang(ctx.lang);
    let done = match cli.command {
        None => game::run(&ctx, game::GameArgs::default()),
        Some(Command::Game(a)) => game::run(&ctx, a),
        Some(Command::List(a)) => list::run(&ctx, a),
        Some(Command::Play(a)) => play::run(&ctx, a),
        Some(Command::Leaderboard(a)) => leaderboard::run(&ctx, a),
        Some(Command::Serve(a)) => serve::run(&ctx, a),
        Some(Command::Class { command }) => class::run(command),
        Some(Command::Validate(a)) => validate::run(&ctx, a),
        Some(Command::Strings { command }) => strings::run(&ctx, command),
        Some(Command::Test(a)) => test::run(&ctx, a),
        Some(Command::Validity(a)) => validity::run(&ctx, a),
        Some(Command::Dialogue(a)) => dialogue::run(&ctx, a),
        Some(Command::Analyze(a)) => analyze::run(&ctx, a),
        Some(Command::New(a)) => new::run(&ctx, a),
    };
    match done {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => e.report(),
    }
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

/// Runs `each` on the case `case_id`, or on every case (of a trainer's project: its own),
/// printing what it returns as one JSON object per case (`json`) or with `text`.
fn per_case<T: serde::Serialize>(
    ctx: &Ctx,
    sc: &Scenarios,
    case_id: Option<&str>,
    json: bool,
    each: impl Fn(&Arc<CaseBundle>) -> T,
    text: impl Fn(&T),
) -> CliResult {
    let ids: Vec<String> = match case_id {
        Some(id) => vec![id.to_owned()],
        None => ctx.own_cases(sc),
    };
    for id in ids {
        let bundle = ctx.bundle(sc, &id)?;
        let v = each(&bundle);
        if json {
            println!("{}", serde_json::to_string(&v).unwrap_or_default());
        } else {
            text(&v);
        }
    }
    Ok(())
}
