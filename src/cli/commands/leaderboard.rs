//! `leaderboard`: every meeting played on this computer, ranked per case.

use crate::cli::Ctx;
use crate::cli::classroom::{local_path, t};
use crate::cli::error::{CliError, CliResult, fail_in};
use crate::cli::report::pad;
use ::class::protocol::outcome_label;
use authoring::validate::Scenarios;
use sim::text::Lang;
use std::io::Write;
use std::path::{Path, PathBuf};
use store::local::{self, LocalBoard};
use store::sqlite::format_utc;

/// Show the local leaderboard (every meeting played on this computer), ranked per case.
#[derive(clap::Args, Debug)]
pub struct LeaderboardArgs {
    /// Only this case.
    #[arg(long = "case", value_name = "ID")]
    case_id: Option<String>,
    /// Write the results as CSV to FILE instead of printing them.
    #[arg(long, value_name = "FILE")]
    csv: Option<PathBuf>,
    /// The database (default: results.sqlite3 in the data folder).
    #[arg(long, value_name = "FILE")]
    db: Option<PathBuf>,
}

pub fn run(ctx: &Ctx, a: LeaderboardArgs) -> CliResult {
    // The titles are a nicety: a leaderboard is shown even when the scenarios do not load.
    let sc = ctx.scenarios().ok();
    if let (Some(sc), Some(id)) = (&sc, &a.case_id)
        && sc.case(id).is_none()
    {
        let ids = sc.cases.iter().map(|c| c.id.as_str());
        return fail_in(
            format!(
                "没有案例 \"{id}\"{}",
                authoring::diagnostic::did_you_mean_in(id, ids.clone()).zh
            ),
            format!("unknown case \"{id}\"{}", sim::did_you_mean(id, ids)),
        );
    }
    show(
        sc.as_ref(),
        a.db,
        a.case_id.as_deref(),
        a.csv.as_deref(),
        ctx.lang,
    )
}

fn show(
    sc: Option<&Scenarios>,
    db: Option<PathBuf>,
    case_id: Option<&str>,
    csv: Option<&Path>,
    lang: Lang,
) -> CliResult {
    let path = local_path(db).map_err(CliError::msg)?;
    let rows = if path.exists() {
        LocalBoard::open(&path)
            .and_then(|b| b.ranked(case_id))
            .map_err(CliError::msg)?
    } else {
        Vec::new()
    };
    if let Some(file) = csv {
        return match std::fs::write(file, local::to_csv(&rows)) {
            Ok(()) => {
                println!("wrote {} results to {}", rows.len(), file.display());
                Ok(())
            }
            Err(e) => Err(CliError::say(
                format!("无法写入 {}：{e}", file.display()),
                format!("cannot write {}: {e}", file.display()),
            )),
        };
    }
    let mut out = std::io::stdout().lock();
    if rows.is_empty() {
        let _ = writeln!(
            out,
            "{} ({})",
            t(lang, "还没有成绩。", "No results yet."),
            path.display()
        );
        return Ok(());
    }
    let mut current = "";
    for r in &rows {
        let e = &r.entry;
        if e.case_id != current {
            current = &e.case_id;
            let title = sc
                .and_then(|sc| sc.case(current))
                .map_or(current.to_owned(), |c| {
                    format!("{} ({current})", c.title.get(lang))
                });
            let _ = writeln!(out, "\n{title}");
            let _ = writeln!(
                out,
                "  {:>4}  {} {:>6} {:>5}  {} {:>5}  {}",
                "#",
                pad(t(lang, "学员", "trainee"), 24),
                t(lang, "得分", "score"),
                t(lang, "等级", "grade"),
                pad(t(lang, "结果", "outcome"), 16),
                t(lang, "轮数", "turns"),
                t(lang, "时间 (UTC)", "played (UTC)")
            );
        }
        let _ = writeln!(
            out,
            "  {:>4}  {} {:>6.1} {:>5}  {} {:>5}  {}",
            r.rank,
            pad(&e.trainee, 24),
            e.summary.score,
            e.summary.grade,
            pad(outcome_label(&e.summary.outcome).get(lang), 16),
            e.summary.turns,
            format_utc(e.played_at)
        );
    }
    Ok(())
}
