//! `dialogue`: does the debtor answer what was said, in its own words?

use crate::cli::error::{CliResult, fail_in};
use crate::cli::{Ctx, per_case, report};
use sim::CaseBundle;
use std::sync::Arc;

/// Does the debtor answer what was said? Per case, in the model playthrough and in random
/// ones: the share of replies from the mood fallback and the replies repeated word for word.
#[derive(clap::Args, Debug)]
pub struct DialogueArgs {
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
}

/// `dialogue`: fallback replies and verbatim repeats, per case.
pub fn run(ctx: &Ctx, a: DialogueArgs) -> CliResult {
    let (case_id, random, shared, json) = (a.case_id.as_deref(), a.random, a.shared, a.json);
    let sc = ctx.scenarios()?;
    if random > 100_000 {
        return fail_in(
            "--random 必须在 0 到 100000 之间",
            "--random must be 0 to 100000",
        );
    }
    let measure = |bundle: &Arc<CaseBundle>| analysis::dialogue::measure(bundle, random);
    per_case(ctx, &sc, case_id, json, measure, |d| {
        report::dialogue(d, shared, ctx.lang)
    })
}
