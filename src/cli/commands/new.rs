//! `new`: a commented template that validates, written into the trainer's project.

use crate::cli::Ctx;
use crate::cli::error::{CliError, CliResult, fail_in};
use authoring::validate::bundled_dir;
use std::path::{Path, PathBuf};

/// Write a commented template that validates: a persona or a case.
#[derive(clap::Args, Debug)]
pub struct NewArgs {
    #[arg(value_enum)]
    kind: NewKind,
    /// The id (lowercase letters, digits and _), also the file name.
    name: String,
    /// For a case: the persona it uses.
    #[arg(long, default_value = "cash_strapped")]
    persona: String,
}

/// What `new` writes.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum NewKind {
    Persona,
    Case,
}

const PERSONA_TEMPLATE: &str = include_str!("../templates/persona.ron");
const CASE_TEMPLATE: &str = include_str!("../templates/case.ron");

/// The template for `new`, with the id (and persona) filled in.
pub fn template(kind: NewKind, id: &str, persona: &str) -> String {
    match kind {
        NewKind::Persona => PERSONA_TEMPLATE.replace("{id}", id),
        NewKind::Case => CASE_TEMPLATE
            .replace("{id}", id)
            .replace("{persona}", persona),
    }
}

/// Where `new` writes: `--scenarios`, else the current folder when it holds scenarios (or its
/// `scenarios/`); never the program's own scenario folder.
pub fn new_target(explicit: Option<&Path>) -> Result<PathBuf, String> {
    let dir = match explicit {
        Some(d) => d.to_owned(),
        None => {
            let here = std::env::current_dir()
                .map_err(|e| format!("cannot tell which folder this is: {e}"))?;
            crate::cli::scenarios_in(&here).ok_or_else(|| {
                format!(
                    "{} holds no scenarios (no personas/, cases/ or tactics.ron): run `new` in \
                     your project's scenario folder, or name it with --scenarios DIR \
                     (it is created if needed)",
                    here.display()
                )
            })?
        }
    };
    if crate::cli::same_folder(&dir, &bundled_dir()) {
        return Err(format!(
            "{} is the program's own scenario folder, which `new` never changes: make a folder \
             for your cases and pass it with --scenarios DIR (validate checks it together with \
             the program's scenarios)",
            dir.display()
        ));
    }
    Ok(dir)
}

/// The persona ids a new case may use: the program's and the project's (file names, which
/// `new` makes equal to the ids).
fn persona_ids(project: &Path) -> Vec<String> {
    let mut ids: Vec<String> = [bundled_dir(), project.to_owned()]
        .iter()
        .filter_map(|d| std::fs::read_dir(d.join("personas")).ok())
        .flatten()
        .filter_map(|e| {
            let p = e.ok()?.path();
            (p.extension()? == "ron").then(|| p.file_stem()?.to_str().map(str::to_owned))?
        })
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

pub fn run(ctx: &Ctx, a: NewArgs) -> CliResult {
    let (explicit, kind, name, persona) = (
        ctx.explicit.as_deref(),
        a.kind,
        a.name.as_str(),
        a.persona.as_str(),
    );
    let valid = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !valid {
        return fail_in(
            format!("\"{name}\" 不能用作 id：只能用小写字母、数字和 _（最多 64 个）"),
            format!(
                "\"{name}\" is not a usable id: use lowercase letters, digits and _ (at most 64)"
            ),
        );
    }
    let dir = new_target(explicit).map_err(CliError::msg)?;
    if kind == NewKind::Case {
        let known = persona_ids(&dir);
        if !known.iter().any(|p| p == persona) {
            let names = known.iter().map(String::as_str);
            return fail_in(
                format!(
                    "--persona：程序自带的场景和 {} 里都没有欠款人 \"{persona}\"{}；已有的：{}\
                     （先写欠款人：dunning-dojo --scenarios {} new persona {persona}）",
                    dir.join("personas").display(),
                    authoring::diagnostic::did_you_mean_in(persona, names.clone()).zh,
                    known.join("、"),
                    dir.display(),
                ),
                format!(
                    "--persona: no persona \"{persona}\"{} in the program's scenarios or {}; \
                     known: {} (write the persona first: dunning-dojo --scenarios {} new persona \
                     {persona})",
                    authoring::diagnostic::did_you_mean(persona, names),
                    dir.join("personas").display(),
                    known.join(", "),
                    dir.display(),
                ),
            );
        }
    }
    let sub = match kind {
        NewKind::Persona => "personas",
        NewKind::Case => "cases",
    };
    let path = dir.join(sub).join(format!("{name}.ron"));
    if path.exists() {
        return fail_in(
            format!("{} 已经存在，什么也没写", path.display()),
            format!("{} already exists; nothing was written", path.display()),
        );
    }
    if let Err(e) = std::fs::create_dir_all(dir.join(sub))
        .and_then(|_| std::fs::write(&path, template(kind, name, persona)))
    {
        return fail_in(
            format!("无法写入 {}：{e}", path.display()),
            format!("cannot write {}: {e}", path.display()),
        );
    }
    let next = validate_hint(&dir, &path, kind, persona);
    match crate::cli::error::lang() {
        sim::text::Lang::Zh => {
            println!("已写出 {}", path.display());
            println!("下一步：{next}");
        }
        sim::text::Lang::En => {
            println!("wrote {}", path.display());
            println!("next: {next}");
        }
    }
    Ok(())
}

/// The validate command for a file `new` wrote: the whole folder when it is a complete
/// scenario folder, else the file (with its persona's file when that is in the project too).
fn validate_hint(dir: &Path, path: &Path, kind: NewKind, persona: &str) -> String {
    if dir.join("tactics.ron").exists() {
        return format!("dunning-dojo validate {}", dir.display());
    }
    let own_persona = dir.join("personas").join(format!("{persona}.ron"));
    if kind == NewKind::Case && own_persona.exists() {
        format!(
            "dunning-dojo validate {} {}",
            own_persona.display(),
            path.display()
        )
    } else {
        format!("dunning-dojo validate {}", path.display())
    }
}
