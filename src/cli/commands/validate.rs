//! `validate`: parse, cross-check and lint scenario files.

use crate::cli::error::{CliError, CliResult, EXIT_BAD_INPUT};
use crate::cli::sets::load_sets;
use crate::cli::{Ctx, env_lang, parse_lang, render, translations};
use sim::text::Lang;
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
    /// The language of the messages: zh or en (default: from LANG, else zh).
    #[arg(long, value_parser = parse_lang)]
    lang: Option<Lang>,
}

pub fn run(ctx: &Ctx, a: ValidateArgs) -> CliResult {
    let (dir, paths, json, deny_warnings) = (ctx.dir.as_path(), &a.paths, a.json, a.deny_warnings);
    let lang = a.lang.unwrap_or_else(env_lang);
    use authoring::diagnostic::Severity;
    use std::io::IsTerminal;
    let results = load_sets(dir, paths);
    let mut all = Vec::new();
    let mut summaries = Vec::new();
    for (d, r) in results {
        match r {
            Ok(sc) => {
                all.extend(authoring::lint::lint(&sc));
                summaries.push(format!(
                    "{d} — {} cases, {} personas, {} lines, {} tactics",
                    sc.cases.len(),
                    sc.personas.len(),
                    sc.lines.lines.len(),
                    sc.book.tactics.len()
                ));
            }
            Err(ds) => all.extend(ds),
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
                println!("ok: {s}");
            }
        }
        if !all.is_empty() {
            eprintln!(
                "{errors} error{}, {warnings} warning{}.",
                if errors == 1 { "" } else { "s" },
                if warnings == 1 { "" } else { "s" }
            );
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
