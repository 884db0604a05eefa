//! `analyze`: the case played by itself, to find its best and worst lines.

use crate::cli::error::{CliResult, fail};
use crate::cli::{Ctx, env_lang, parse_lang, report};
use sim::CaseBundle;
use sim::text::Lang;

/// Autoplay a case to find its best and worst lines, how strategy classes fare, dominant
/// tactics, dead ends, excuses never raised and lines never worth choosing.
#[derive(clap::Args, Debug)]
pub struct AnalyzeArgs {
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
}

pub fn run(ctx: &Ctx, a: AnalyzeArgs) -> CliResult {
    let sc = ctx.scenarios()?;
    let bundle = CaseBundle::new(&sc, &a.case_id).or_else(fail)?;
    if a.depth > 8 || a.seeds == 0 || a.seeds > 1000 || a.samples > 100_000 {
        return fail("--depth may be at most 8, --seeds 1 to 1000, --samples at most 100000");
    }
    let opts = analysis::analyze::Options {
        depth: a.depth,
        seeds: a.seeds,
        rollouts: a.rollouts,
        samples: a.samples,
    };
    let bar = progress_bar(
        &a.case_id,
        analysis::analyze::work_units(&bundle, &opts),
        a.json,
    );
    let started = std::time::Instant::now();
    let report = analysis::analyze::analyze(&bundle, &opts, &|k| bar.inc(k));
    bar.finish_and_clear();
    let seconds = started.elapsed().as_secs_f64();
    if a.json {
        let mut v = serde_json::to_value(&report).unwrap_or_default();
        v["seconds"] = serde_json::json!((seconds * 1000.0).round() / 1000.0);
        println!("{v}");
    } else {
        report::analysis(&report, seconds, a.lang.unwrap_or_else(env_lang));
    }
    Ok(())
}

/// A progress bar on a terminal's stderr (hidden with --json or when stderr is not a terminal).
fn progress_bar(case_id: &str, units: u64, json: bool) -> indicatif::ProgressBar {
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
    bar.set_message(case_id.to_owned());
    bar
}
