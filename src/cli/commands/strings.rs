//! `strings export` and `strings import`: the translation workflow.

use crate::cli::Ctx;
use crate::cli::commands::new::new_target;
use crate::cli::error::{CliError, CliResult, fail};
use crate::cli::translations;
use clap::Subcommand;
use std::path::{Path, PathBuf};

/// `strings export` and `strings import`.
#[derive(Subcommand, Debug)]
pub enum StringsCommand {
    /// Write every trainee-facing text of a scenario folder to CSV: id, file, zh, en,
    /// source_hash (default folder: --scenarios, or this folder when it holds scenarios).
    Export {
        dir: Option<PathBuf>,
        #[arg(long, default_value = "strings.csv")]
        out: PathBuf,
    },
    /// Write the `en` column of a CSV back into the folder's RON files, in place; texts whose
    /// Chinese changed since the export are marked as needing an update.
    Import { csv: PathBuf, dir: Option<PathBuf> },
}

pub fn run(ctx: &Ctx, cmd: StringsCommand) -> CliResult {
    let (explicit, default) = (ctx.explicit.as_deref(), ctx.dir.as_path());
    match cmd {
        StringsCommand::Export { dir, out } => {
            let dir = dir
                .or_else(|| explicit.map(Path::to_path_buf))
                .or_else(|| new_target(None).ok())
                .unwrap_or_else(|| default.to_owned());
            match translations::export(&dir, &out) {
                Ok((n, files)) => {
                    println!(
                        "wrote {n} texts from {files} files of {} to {}",
                        dir.display(),
                        out.display()
                    );
                    println!(
                        "next: fill in the en column, then dunning-dojo strings import {} {}",
                        out.display(),
                        dir.display()
                    );
                    Ok(())
                }
                Err(e) => fail(e),
            }
        }
        StringsCommand::Import { csv, dir } => {
            let dir = new_target(dir.as_deref().or(explicit)).map_err(CliError::msg)?;
            match translations::import(&dir, &csv) {
                Ok(r) => {
                    println!(
                        "wrote {} translations into {} files of {}",
                        r.written,
                        r.files,
                        dir.display()
                    );
                    if !r.unknown.is_empty() {
                        println!("not found (renamed or deleted?): {}", r.unknown.join(", "));
                    }
                    if !r.stale.is_empty() {
                        println!(
                            "the Chinese of these texts changed after the export, so their English needs an update (validate warns until it is done): {}",
                            r.stale.join(", ")
                        );
                    }
                    Ok(())
                }
                Err(e) => fail(e),
            }
        }
    }
}
