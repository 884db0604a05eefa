//! `test`: every case's scenario tests (test plans), one line each, then the tally. Exit 0
//! when all pass, 1 when one fails, 2 when the scenarios do not validate.

use crate::cli::Ctx;
use crate::cli::error::{CliError, CliResult};
use crate::cli::sets::load_sets;
use sim::CaseBundle;
use sim::text::Lang;
use std::path::PathBuf;

/// Run the scenario tests (test plans) of every case: scenario folders, project folders or
/// files, checked together with the program's scenarios (default: the bundled scenarios).
#[derive(clap::Args, Debug)]
pub struct TestArgs {
    paths: Vec<PathBuf>,
}

pub fn run(ctx: &Ctx, a: TestArgs) -> CliResult {
    let (dir, paths) = (ctx.dir.as_path(), &a.paths);
    let lang = ctx.lang;
    let zh = lang == Lang::Zh;
    let (mut passed, mut failed) = (0, 0);
    for set in load_sets(dir, paths) {
        let sc = set.scenarios.as_ref().map_err(|d| d.clone())?;
        for (i, case) in sc.cases.iter().enumerate() {
            // The program's own tests are not the trainer's when their files are checked.
            if !set.asked_for(sc, i) {
                continue;
            }
            let Ok(bundle) = CaseBundle::new(sc, &case.id) else {
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
    if zh {
        let outcome = sim::meeting::outcome_label(&r.outcome).zh;
        println!(
            "{verdict} {} / {}（{:.1}，{}，{outcome} {}）",
            r.case, r.name, r.score, r.grade, r.outcome
        );
    } else {
        println!(
            "{verdict} {} / {} ({:.1}, {}, {})",
            r.case, r.name, r.score, r.grade, r.outcome
        );
    }
    let lang = if zh { Lang::Zh } else { Lang::En };
    for f in &r.failures {
        println!("      {}", f.get(lang));
    }
}
