//! `validate`: parse, cross-check and lint scenario files.

use crate::cli::error::{CliError, CliResult, EXIT_BAD_INPUT};
use crate::cli::sets::{Set, load_sets};
use crate::cli::{Ctx, render, translations};
use analysis::bars::Bar;
use authoring::diagnostic::Diagnostic;
use authoring::load::{Source, SourceAt};
use authoring::validate::Scenarios;
use sim::CaseBundle;
use sim::path::FieldPath;
use sim::text::{Lang, Text};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Parse, cross-check and lint scenario files (default: the bundled scenarios).
/// Exit 0 when clean, 1 for warnings only with --deny-warnings, 2 for errors.
#[derive(clap::Args, Debug)]
pub struct ValidateArgs {
    /// Scenario folders, or single files checked together with the bundled scenarios.
    paths: Vec<PathBuf>,
    /// One JSON object per diagnostic per line: file, line, column, severity, code, path, message.
    #[arg(long)]
    json: bool,
    /// Exit 1 when there are warnings.
    #[arg(long)]
    deny_warnings: bool,
    /// Only parse, cross-check and lint: do not play the cases for their verdict.
    #[arg(long)]
    no_verdict: bool,
}

pub fn run(ctx: &Ctx, a: ValidateArgs) -> CliResult {
    let (dir, paths, json, deny_warnings) = (ctx.dir.as_path(), &a.paths, a.json, a.deny_warnings);
    let lang = ctx.lang;
    use authoring::diagnostic::Severity;
    use std::io::IsTerminal;
    let results = load_sets(dir, paths);
    let mut all = Vec::new();
    let mut summaries = Vec::new();
    for set in &results {
        let d = &set.label;
        match &set.scenarios {
            Ok(sc) => {
                all.extend(authoring::lint::lint(sc));
                if !a.no_verdict {
                    let (warned, passed) = verdicts(set, sc, ctx.lang);
                    all.extend(warned);
                    summaries.extend(passed);
                }
                let n = (
                    sc.cases.len(),
                    sc.personas.len(),
                    sc.lines.lines.len(),
                    sc.book.tactics.len(),
                );
                summaries.push(match ctx.lang {
                    Lang::Zh => format!(
                        "通过：{d} — {} 个案例，{} 个欠款人，{} 句台词，{} 种战术",
                        n.0, n.1, n.2, n.3
                    ),
                    Lang::En => format!(
                        "ok: {d} — {} cases, {} personas, {} lines, {} tactics",
                        n.0, n.1, n.2, n.3
                    ),
                });
            }
            Err(ds) => all.extend(ds.iter().cloned()),
        }
    }
    let folders: Vec<&Path> = if paths.is_empty() {
        vec![dir]
    } else {
        paths
            .iter()
            .filter(|p| p.is_dir())
            .map(PathBuf::as_path)
            .collect()
    };
    for f in folders {
        all.extend(translations::stale(f));
    }
    let errors = all.iter().filter(|d| d.severity == Severity::Error).count();
    let warnings = all.len() - errors;
    if json {
        let mut out = std::io::stdout().lock();
        for d in &all {
            let _ = serde_json::to_writer(&mut out, d).map(|_| writeln!(out));
        }
    } else {
        let color = std::io::stderr().is_terminal();
        for d in &all {
            eprint!("{}", render::render(d, lang, color));
        }
        if errors == 0 {
            for s in &summaries {
                println!("{s}");
            }
        }
        if !all.is_empty() {
            eprintln!("{}", tally(errors, warnings, ctx.lang));
        }
    }
    if errors > 0 {
        Err(CliError::exit(EXIT_BAD_INPUT))
    } else if warnings > 0 && deny_warnings {
        Err(CliError::exit(1))
    } else {
        Ok(())
    }
}

/// The quick verdict on every case asked for: a warning at the case's model for each bar it
/// fails (with the fix found), and a line per case: `ok: … teaches the course` or
/// `FAIL: … does not teach the course yet`.
fn verdicts(set: &Set, sc: &Scenarios, lang: Lang) -> (Vec<Diagnostic>, Vec<String>) {
    let (mut warned, mut lines) = (Vec::new(), Vec::new());
    for (i, case) in sc.cases.iter().enumerate() {
        // Only the cases asked for are compiled and played (not the program's, under a project).
        if !set.asked_for(sc, i) {
            continue;
        }
        let (Some(src), Ok(bundle)) = (sc.sources.cases.get(i), CaseBundle::new(sc, &case.id))
        else {
            continue;
        };
        warned.extend(closed_gates(sc, &bundle));
        let judged = analysis::bars::quick(&bundle);
        lines.push(verdict_line(&case.id, &judged, lang));
        // A model that scores low brings every player within reach: its fix comes first.
        let model_failed = judged.iter().any(|v| v.bar == Bar::Model && !v.pass);
        for v in judged.iter().filter(|v| !v.pass) {
            if !(model_failed && v.bar == Bar::Breakers) {
                warned.push(verdict_warning(src, v));
            }
        }
    }
    (warned, lines)
}

/// One case's verdict in a line: the figures when every bar passes, else the bars it fails.
fn verdict_line(case: &str, judged: &[analysis::bars::Verdict], lang: Lang) -> String {
    if analysis::bars::all_pass(judged) {
        let figures: Vec<&str> = judged.iter().map(|v| v.figures.get(lang)).collect();
        return match lang {
            Lang::Zh => format!("通过：{case} 能教好这门课：{}", figures.join("；")),
            Lang::En => format!("ok: {case} teaches the course: {}", figures.join("; ")),
        };
    }
    let failed: Vec<&str> = judged
        .iter()
        .filter(|v| !v.pass)
        .map(|v| v.bar.id())
        .collect();
    match lang {
        Lang::Zh => format!(
            "未通过 FAIL：{case} 还教不好这门课：没过 {}（见上面的警告；validity --case {case} 有全部数字）",
            failed.join("、")
        ),
        Lang::En => format!(
            "FAIL: {case} does not teach the course yet: it fails {} (see the warnings above; \
             validity --case {case} has every figure)",
            failed.join(", ")
        ),
    }
}

/// A warning at each gate of the case's persona that the course model never opens.
fn closed_gates(sc: &Scenarios, bundle: &std::sync::Arc<CaseBundle>) -> Vec<Diagnostic> {
    let persona = &bundle.persona;
    let Some(src) = sc
        .personas
        .iter()
        .position(|p| p.id == persona.id)
        .and_then(|i| sc.sources.personas.get(i))
    else {
        return Vec::new();
    };
    let case = &bundle.case.id;
    analysis::validity::gates_never_opened(bundle, analysis::bars::QUICK_SEEDS)
        .into_iter()
        .map(|closed| {
            let gate = FieldPath::root().field("gates").index(closed.gate);
            let conds = persona
                .gates
                .get(closed.gate)
                .map(|g| &g.unless[..])
                .unwrap_or(&[]);
            let never: Vec<String> = closed
                .never_held
                .iter()
                .filter_map(|&k| conds.get(k))
                .map(|c| format!("{c:?}"))
                .collect();
            let at = match closed.never_held.first() {
                Some(&k) => gate.field("unless").index(k),
                None => gate.field("unless"),
            };
            let (zh_which, en_which) = if never.is_empty() {
                (
                    "它的条件每个都成立过，但从没有同时成立".to_owned(),
                    "each of its conditions held at some point, never all at once".to_owned(),
                )
            } else {
                (
                    format!("{} 一次都没有成立", never.join("、")),
                    format!("{} never held", never.join(", ")),
                )
            };
            src.at_in(
                &at,
                Text {
                    zh: format!(
                        "在案例 \"{case}\" 里，课程示范打法从来没有打开这道门槛：{zh_which}，\
                         欠款人的意愿一直被压在上限以下。放宽条件（例如把数值调低），或者让案例提供\
                         能满足它的台词和准备"
                    ),
                    en: format!(
                        "in case \"{case}\" the course model never opens this gate: {en_which}, so \
                         the debtor's willingness stays capped. Loosen the condition (a lower \
                         number, say) or give the case the lines and preparations that meet it"
                    ),
                },
            )
            .with_code("gate-never-opens")
            .warning()
        })
        .collect()
}

/// A failed bar as a warning at the case's model lines.
fn verdict_warning(src: &Source, v: &analysis::bars::Verdict) -> Diagnostic {
    let at = FieldPath::root().field(match v.bar {
        Bar::Preparation => "preparations",
        _ => "model_lines",
    });
    let say = |lang: Lang| {
        let mut s = match lang {
            Lang::Zh => format!(
                "这个案例可能教不好这门课：未达到“{}”（{}）",
                v.bar.name(lang),
                v.figures.get(lang)
            ),
            Lang::En => format!(
                "this case may not teach the course: it fails \"{}\" ({})",
                v.bar.name(lang),
                v.figures.get(lang)
            ),
        };
        if let Some(fix) = &v.fix {
            s.push_str(sim::text::t(lang, "。", ". "));
            s.push_str(fix.get(lang));
        }
        s
    };
    src.at_in(
        &at,
        Text {
            zh: say(Lang::Zh),
            en: say(Lang::En),
        },
    )
    .with_code(VERDICT_CODE)
    .warning()
}

/// The code of the verdict's warnings.
pub const VERDICT_CODE: &str = "case-does-not-teach";

/// "2 errors, 1 warning." in `lang`.
fn tally(errors: usize, warnings: usize, lang: Lang) -> String {
    let s = |n: usize| if n == 1 { "" } else { "s" };
    match lang {
        Lang::Zh => format!("{errors} 个错误，{warnings} 个警告。"),
        Lang::En => format!(
            "{errors} error{}, {warnings} warning{}.",
            s(errors),
            s(warnings)
        ),
    }
}
