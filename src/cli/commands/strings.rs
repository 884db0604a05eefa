//! `strings export` and `strings import`: the translation workflow.

use crate::cli::Ctx;
use crate::cli::commands::new::new_target;
use crate::cli::error::{CliError, CliResult, fail, said};
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
                    let (d, o) = (dir.display(), out.display());
                    println!(
                        "{}",
                        said(
                            &format!("已把 {d} 里 {files} 个文件的 {n} 段文字写到 {o}"),
                            &format!("wrote {n} texts from {files} files of {d} to {o}"),
                        )
                    );
                    println!(
                        "{}",
                        said(
                            &format!(
                                "下一步：填好 en 一栏，然后运行 dunning-dojo strings import {o} {d}"
                            ),
                            &format!(
                                "next: fill in the en column, then dunning-dojo strings import {o} {d}"
                            ),
                        )
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
                    let (n, files, d) = (r.written, r.files, dir.display());
                    println!(
                        "{}",
                        said(
                            &format!("已把 {n} 条翻译写进 {d} 的 {files} 个文件"),
                            &format!("wrote {n} translations into {files} files of {d}"),
                        )
                    );
                    if !r.unknown.is_empty() {
                        let ids = r.unknown.join(", ");
                        println!(
                            "{}",
                            said(
                                &format!("找不到这些条目（改名或删掉了？）：{ids}"),
                                &format!("not found (renamed or deleted?): {ids}"),
                            )
                        );
                    }
                    if !r.stale.is_empty() {
                        let ids = r.stale.join(", ");
                        println!(
                            "{}",
                            said(
                                &format!(
                                    "这些文字的中文在导出后改过了，英文需要重新翻译（改好之前 validate 会一直警告）：{ids}"
                                ),
                                &format!(
                                    "the Chinese of these texts changed after the export, so their English needs an update (validate warns until it is done): {ids}"
                                ),
                            )
                        );
                    }
                    Ok(())
                }
                Err(e) => fail(e),
            }
        }
    }
}
