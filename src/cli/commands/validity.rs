//! `validity`: the course model against the course-breaking players (and the search for the
//! best meeting that breaks one rule), or with `--deviations` the deviation analysis.

use crate::cli::error::{CliError, CliResult, fail_in};
use crate::cli::{Ctx, per_case, report};
use sim::CaseBundle;
use std::sync::Arc;

/// Training validity: the course-following model against every course-breaking player (and,
/// with --search, the best score that breaks one course rule at a time), per case.
#[derive(clap::Args, Debug)]
pub struct ValidityArgs {
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
    /// Print one JSON object per case.
    #[arg(long)]
    json: bool,
}

pub fn run(ctx: &Ctx, a: ValidityArgs) -> CliResult {
    if a.deviations {
        deviations(ctx, &a)
    } else {
        validity(ctx, &a)
    }
}

/// What `validity` reports per case: the figures and the verdict on every bar they measure.
#[derive(serde::Serialize)]
struct Judged {
    #[serde(flatten)]
    figures: analysis::validity::CaseValidity,
    verdicts: Vec<analysis::bars::Verdict>,
}

/// `validity`: the model against the course-breaking players (and the rule-breaking search),
/// then a PASS/FAIL line per bar; exit 1 when a bar fails.
fn validity(ctx: &Ctx, a: &ValidityArgs) -> CliResult {
    let (case_id, seeds, search, json) = (a.case_id.as_deref(), a.seeds, a.search, a.json);
    let sc = ctx.scenarios()?;
    if seeds == 0 || seeds > 10_000 {
        return fail_in(
            "--seeds 必须在 1 到 10000 之间",
            "--seeds must be 1 to 10000",
        );
    }
    let failed = std::cell::Cell::new(false);
    let measure = |bundle: &Arc<CaseBundle>| {
        let mut v = analysis::validity::measure(bundle, seeds);
        if search {
            v.rule_breaks = analysis::validity::search_rule_breaks(bundle, Default::default());
        }
        let verdicts = analysis::bars::of_validity(&v, search);
        if !analysis::bars::all_pass(&verdicts) {
            failed.set(true);
        }
        Judged {
            figures: v,
            verdicts,
        }
    };
    per_case(ctx, &sc, case_id, json, measure, |j| {
        report::validity(&j.figures, ctx.lang);
        report::verdicts(&j.verdicts, ctx.lang);
    })?;
    verdict_exit(failed.get())
}

/// Exit 1 when a bar failed (the FAIL lines were printed).
pub fn verdict_exit(failed: bool) -> CliResult {
    if failed {
        Err(CliError::exit(1))
    } else {
        Ok(())
    }
}

/// `validity --deviations`: every other line said once in good meetings, and what it cost.
fn deviations(ctx: &Ctx, a: &ValidityArgs) -> CliResult {
    let (case_id, seeds, search, json) = (a.case_id.as_deref(), a.seeds, a.search, a.json);
    let lang = ctx.lang;
    use analysis::deviations::{self, Base};
    let sc = ctx.scenarios()?;
    if search {
        return fail_in(
            "--deviations 和 --search 是两种不同的分析：只给一个",
            "--deviations and --search are separate analyses: give one",
        );
    }
    if seeds == 0 || seeds > 1_000 {
        return fail_in(
            "用 --deviations 时 --seeds 必须在 1 到 1000 之间",
            "--seeds must be 1 to 1000 with --deviations",
        );
    }
    let measure = |bundle: &Arc<CaseBundle>| {
        let from_model = deviations::analyse(
            bundle,
            "model",
            &deviations::model_bases(bundle, 1..=seeds),
            lang,
        );
        let best =
            analysis::analyze::analyze(bundle, &analysis::bars::quick_analysis(), &|_| {}).best;
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
    let failed = std::cell::Cell::new(false);
    let judged = |bundle: &Arc<CaseBundle>| {
        let reports = measure(bundle);
        let verdicts: Vec<_> = reports.iter().map(analysis::bars::of_deviations).collect();
        if !analysis::bars::all_pass(&verdicts) {
            failed.set(true);
        }
        (reports, verdicts)
    };
    per_case(ctx, &sc, case_id, json, judged, |(reports, verdicts)| {
        for d in reports {
            report::deviations(d, lang)
        }
        report::verdicts(verdicts, lang);
    })?;
    verdict_exit(failed.get())
}
