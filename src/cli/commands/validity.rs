//! `validity`: the course model against the course-breaking players (and the search for the
//! best meeting that breaks one rule), or with `--deviations` the deviation analysis.

use crate::cli::error::{CliResult, fail};
use crate::cli::{Ctx, env_lang, parse_lang, per_case, report};
use sim::CaseBundle;
use sim::text::Lang;
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
    /// The language of the slips shown: zh or en (default: from LANG, else zh).
    #[arg(long, value_parser = parse_lang)]
    lang: Option<Lang>,
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

/// `validity`: the model against the course-breaking players (and the rule-breaking search).
fn validity(ctx: &Ctx, a: &ValidityArgs) -> CliResult {
    let (case_id, seeds, search, json) = (a.case_id.as_deref(), a.seeds, a.search, a.json);
    let sc = ctx.scenarios()?;
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
fn deviations(ctx: &Ctx, a: &ValidityArgs) -> CliResult {
    let (case_id, seeds, search, json) = (a.case_id.as_deref(), a.seeds, a.search, a.json);
    let lang = a.lang.unwrap_or_else(env_lang);
    use analysis::deviations::{self, Base};
    let sc = ctx.scenarios()?;
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
