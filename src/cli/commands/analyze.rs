//! `analyze`: the case played by itself, to find its best and worst lines.

use crate::cli::error::{CliResult, fail_in};
use crate::cli::{Ctx, report};

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
}

pub fn run(ctx: &Ctx, a: AnalyzeArgs) -> CliResult {
    let sc = ctx.scenarios()?;
    let bundle = ctx.bundle(&sc, &a.case_id)?;
    if a.depth > 8 || a.seeds == 0 || a.seeds > 1000 || a.samples > 100_000 {
        return fail_in(
            "--depth 最多 8，--seeds 在 1 到 1000 之间，--samples 最多 100000",
            "--depth may be at most 8, --seeds 1 to 1000, --samples at most 100000",
        );
    }
    let opts = analysis::analyze::Options {
        depth: a.depth,
        seeds: a.seeds,
        rollouts: a.rollouts,
        samples: a.samples,
    };
    let units = analysis::analyze::work_units(&bundle, &opts);
    let bar = progress_bar(&a.case_id, units, a.json, ctx.lang);
    let started = std::time::Instant::now();
    let report = analysis::analyze::analyze(&bundle, &opts, &|k| bar.inc(k));
    bar.finish();
    let seconds = started.elapsed().as_secs_f64();
    let verdicts = analysis::bars::of_analysis(&report);
    if a.json {
        let mut v = serde_json::to_value(&report).unwrap_or_default();
        v["seconds"] = serde_json::json!((seconds * 1000.0).round() / 1000.0);
        v["verdicts"] = serde_json::to_value(&verdicts).unwrap_or_default();
        println!("{v}");
    } else {
        report::analysis(&report, seconds, ctx.lang);
        report::verdicts(&verdicts, ctx.lang);
    }
    super::validity::verdict_exit(!analysis::bars::all_pass(&verdicts))
}

/// Progress on stderr: a bar on a terminal; elsewhere (a log, an editor's output pane) a plain
/// line at every tenth of the work. Nothing with --json.
struct Progress {
    bar: indicatif::ProgressBar,
    plain: Option<(
        String,
        u64,
        std::sync::atomic::AtomicU64,
        std::time::Instant,
    )>,
}

impl Progress {
    fn inc(&self, k: u64) {
        self.bar.inc(k);
        let Some((label, units, tenths, started)) = &self.plain else {
            return;
        };
        let now = (self.bar.position() * 10 / (*units).max(1)).min(10);
        let before = tenths.fetch_max(now, std::sync::atomic::Ordering::SeqCst);
        if now > before {
            eprintln!(
                "{label} {}% ({:.1} s)",
                now * 10,
                started.elapsed().as_secs_f64()
            );
        }
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

fn progress_bar(case_id: &str, units: u64, json: bool, lang: sim::text::Lang) -> Progress {
    let bar = indicatif::ProgressBar::new(units);
    let terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
    if json || !terminal {
        bar.set_draw_target(indicatif::ProgressDrawTarget::hidden());
    }
    let label = match lang {
        sim::text::Lang::Zh => format!("正在分析 {case_id}："),
        sim::text::Lang::En => format!("analysing {case_id}:"),
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template(&format!(
            "{{spinner}} {label} [{{bar:30}}] {{pos}}/{{len}} ({{elapsed}})"
        ))
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let plain = (!json && !terminal).then(|| {
        (
            label,
            units,
            std::sync::atomic::AtomicU64::new(0),
            std::time::Instant::now(),
        )
    });
    Progress { bar, plain }
}
