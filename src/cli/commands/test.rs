//! `test`: every case's scenario tests (test plans), one line each, then the tally. Exit 0
//! when all pass, 1 when one fails, 2 when the scenarios do not validate.

use crate::cli::error::{CliError, CliResult};
use crate::cli::sets::load_sets;
use crate::cli::{Ctx, env_lang, parse_lang};
use sim::CaseBundle;
use sim::text::Lang;
use std::path::PathBuf;

/// Run the scenario tests (test plans) of every case: scenario folders, project folders or
/// files, checked together with the program's scenarios (default: the bundled scenarios).
#[derive(clap::Args, Debug)]
pub struct TestArgs {
    paths: Vec<PathBuf>,
    /// The language of the report: zh or en (default: from LANG, else zh).
    #[arg(long, value_parser = parse_lang)]
    lang: Option<Lang>,
}

pub fn run(ctx: &Ctx, a: TestArgs) -> CliResult {
    let (dir, paths) = (ctx.dir.as_path(), &a.paths);
    let lang = a.lang.unwrap_or_else(env_lang);
    let zh = lang == Lang::Zh;
    let (mut passed, mut failed) = (0, 0);
    for (_, set) in load_sets(dir, paths) {
        let sc = set?;
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
        Err(CliError::exit(1))
    } else {
        Ok(())
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
