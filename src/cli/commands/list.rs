//! `list`: the cases.

use crate::cli::error::CliResult;
use crate::cli::{Ctx, env_lang, parse_lang, report};
use sim::text::Lang;

/// List the cases: id, title, persona, difficulty.
#[derive(clap::Args, Debug)]
pub struct ListArgs {
    #[arg(long, value_parser = parse_lang)]
    lang: Option<Lang>,
}

pub fn run(ctx: &Ctx, a: ListArgs) -> CliResult {
    let sc = ctx.scenarios()?;
    report::list(&sc, a.lang.unwrap_or_else(env_lang));
    Ok(())
}
