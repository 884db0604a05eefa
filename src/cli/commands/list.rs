//! `list`: the cases.

use crate::cli::error::CliResult;
use crate::cli::{Ctx, report};

/// List the cases: id, title, persona, difficulty.
#[derive(clap::Args, Debug)]
pub struct ListArgs {}

pub fn run(ctx: &Ctx, _a: ListArgs) -> CliResult {
    let sc = ctx.scenarios()?;
    report::list(&sc, ctx.lang);
    Ok(())
}
