//! `class …`: a trainer's commands for a class server.

use crate::cli::error::{CliError, CliResult, fail, fail_in};
use ::class::client::ClassClient;
use ::class::protocol::NewClass;
use clap::Subcommand;
use std::path::PathBuf;
use store::sqlite::format_utc;

/// What `class` does.
#[derive(Subcommand, Debug)]
pub enum ClassCommand {
    /// Open a class on a class server: prints the join code and the admin token.
    New {
        /// The class server, e.g. http://192.168.1.20:7878.
        #[arg(long, value_name = "URL")]
        server: String,
        /// The case everyone plays.
        #[arg(long = "case", value_name = "ID")]
        case_id: String,
        /// The seed everyone plays (random when absent).
        #[arg(long)]
        seed: Option<u64>,
        /// Refuse results this many minutes from now.
        #[arg(long, value_name = "MINUTES")]
        deadline_minutes: Option<u32>,
        /// The server's trainer key, printed by `serve` when it starts.
        #[arg(long, value_name = "KEY")]
        trainer_key: String,
    },
    /// Download a class's results as CSV, or as xAPI statements for a learning record store
    /// (needs the admin token).
    Export {
        #[command(flatten)]
        admin: Admin,
        /// Write the CSV here instead of printing it.
        #[arg(long, value_name = "FILE")]
        csv: Option<PathBuf>,
        #[command(flatten)]
        xapi: XapiArgs,
        /// Write the class debrief here (JSON): per rubric item how many earned it, the course
        /// rules broken most and on which turn, each trainee's costliest turn with the better
        /// line, and the tactics against the score.
        #[arg(long, value_name = "FILE")]
        debrief: Option<PathBuf>,
    },
    /// Stop a class taking results (needs the admin token).
    Close {
        #[command(flatten)]
        admin: Admin,
    },
    /// Rename a trainee, say a vandal name or a typo (needs the admin token); their token and
    /// results go with the name.
    Rename {
        #[command(flatten)]
        admin: Admin,
        /// The name as the board shows it.
        name: String,
        /// The new name.
        #[arg(long)]
        to: String,
    },
    /// Let a trainee who lost their token or switched device join again with the same name
    /// (needs the admin token); their results stay, the old token stops working.
    Reset {
        #[command(flatten)]
        admin: Admin,
        name: String,
    },
    /// Remove a trainee and their results from the board (needs the admin token).
    Remove {
        #[command(flatten)]
        admin: Admin,
        name: String,
    },
    /// Delete the classes opened more than N days ago, with their results (retention; needs
    /// the trainer key).
    Prune {
        #[arg(long, value_name = "URL")]
        server: String,
        #[arg(long, value_name = "KEY")]
        trainer_key: String,
        #[arg(long, value_name = "DAYS")]
        older_than_days: u32,
    },
}

/// Where the xAPI statements go (either or both).
#[derive(clap::Args, Debug)]
pub struct XapiArgs {
    /// Write one xAPI 1.0.3 statement per attempt to FILE (JSON Lines: one statement a line).
    #[arg(long, value_name = "FILE")]
    xapi: Option<PathBuf>,
    /// Send the statements to this learning record store's xAPI endpoint, e.g.
    /// https://lrs.example.com/xAPI/ (sending again stores nothing twice).
    #[arg(long, value_name = "URL")]
    lrs: Option<String>,
    /// The record store's user (HTTP basic); the password comes from --lrs-password or the
    /// DUNNING_DOJO_LRS_PASSWORD environment variable.
    #[arg(long, value_name = "USER", requires = "lrs")]
    lrs_user: Option<String>,
    #[arg(long, value_name = "PASSWORD", requires = "lrs_user")]
    lrs_password: Option<String>,
}

/// A class and the token that administers it.
#[derive(clap::Args, Debug)]
pub struct Admin {
    /// The class server, e.g. http://192.168.1.20:7878.
    #[arg(long, value_name = "URL")]
    server: String,
    /// The join code.
    #[arg(long)]
    code: String,
    /// The admin token `class new` printed.
    #[arg(long, value_name = "TOKEN")]
    token: String,
}

pub fn run(cmd: ClassCommand) -> CliResult {
    match cmd {
        ClassCommand::New {
            server,
            case_id,
            seed,
            deadline_minutes,
            trainer_key,
        } => {
            let c = client(&server)?;
            let req = NewClass {
                case: case_id,
                seed,
                deadline_minutes,
            };
            let created = c.create_class(&req, &trainer_key).or_else(fail)?;
            print_created(c.base(), &created);
        }
        ClassCommand::Export {
            admin,
            csv,
            xapi,
            debrief,
        } => export(&admin, csv, &xapi, debrief)?,
        ClassCommand::Close { admin } => {
            client(&admin.server)?
                .close(&admin.code, &admin.token)
                .or_else(fail)?;
            println!("class {} closed: it takes no more results", admin.code);
        }
        ClassCommand::Rename { admin, name, to } => {
            let m = client(&admin.server)?
                .rename(&admin.code, &admin.token, &name, &to)
                .or_else(fail)?;
            println!(
                "\"{name}\" is now \"{}\" in class {}",
                m.trainee, admin.code
            );
        }
        ClassCommand::Reset { admin, name } => {
            client(&admin.server)?
                .reset(&admin.code, &admin.token, &name)
                .or_else(fail)?;
            println!(
                "\"{name}\" may join class {} again with the same name, from any device; their \
                 results stay and the old token no longer works",
                admin.code
            );
        }
        ClassCommand::Remove { admin, name } => {
            let m = client(&admin.server)?
                .remove(&admin.code, &admin.token, &name)
                .or_else(fail)?;
            println!(
                "removed \"{name}\" from class {} with {} results",
                admin.code,
                m.results_removed.unwrap_or(0)
            );
        }
        ClassCommand::Prune {
            server,
            trainer_key,
            older_than_days,
        } => {
            let p = client(&server)?
                .prune(older_than_days, &trainer_key)
                .or_else(fail)?;
            println!(
                "deleted {} classes opened more than {older_than_days} days ago, with {} results",
                p.classes, p.results
            );
        }
    }
    Ok(())
}

/// `class export`: the CSV (printed, or to `--csv FILE`) unless only the debrief or the xAPI
/// statements are asked for.
fn export(
    admin: &Admin,
    csv: Option<PathBuf>,
    xapi: &XapiArgs,
    debrief: Option<PathBuf>,
) -> CliResult {
    let statements = xapi.xapi.is_some() || xapi.lrs.is_some();
    if let Some(f) = &debrief {
        export_debrief(admin, f)?;
    }
    if statements {
        export_xapi(admin, xapi)?;
    }
    if csv.is_none() && (statements || debrief.is_some()) {
        return Ok(());
    }
    let text = client(&admin.server)?
        .csv(&admin.code, &admin.token)
        .or_else(fail)?;
    match csv {
        Some(f) => {
            write_file(&f, &text)?;
            println!("wrote {}", f.display());
        }
        None => print!("{text}"),
    }
    Ok(())
}

/// `class export --debrief FILE`.
fn export_debrief(admin: &Admin, f: &std::path::Path) -> CliResult {
    let d = client(&admin.server)?
        .debrief(&admin.code, &admin.token)
        .or_else(fail)?;
    let text = serde_json::to_string_pretty(&d).or_else(fail)?;
    write_file(f, &text)?;
    println!(
        "wrote the class debrief of {} trainees ({} attempts) to {}",
        d.trainees,
        d.attempts,
        f.display()
    );
    Ok(())
}

/// `class export --xapi FILE` and/or `--lrs URL`.
fn export_xapi(admin: &Admin, args: &XapiArgs) -> CliResult {
    let statements = client(&admin.server)?
        .statements(&admin.code, &admin.token)
        .or_else(fail)?;
    if let Some(f) = &args.xapi {
        let mut text = String::new();
        for s in &statements {
            text.push_str(&s.to_string());
            text.push('\n');
        }
        write_file(f, &text)?;
        println!(
            "wrote {} xAPI statements to {}",
            statements.len(),
            f.display()
        );
    }
    if let Some(url) = &args.lrs {
        let password = args
            .lrs_password
            .clone()
            .or_else(|| std::env::var("DUNNING_DOJO_LRS_PASSWORD").ok())
            .unwrap_or_default();
        let credentials = args.lrs_user.as_deref().map(|u| (u, password.as_str()));
        let sent = ::class::lrs::Lrs::new(url, credentials)
            .and_then(|lrs| lrs.send(&statements))
            .or_else(fail)?;
        use ::class::lrs::Sent;
        match sent {
            Sent::Stored(n) => println!(
                "sent {} xAPI statements to {url}: the store took them ({n} ids acknowledged)",
                statements.len()
            ),
            Sent::AlreadyThere => println!(
                "sent {} xAPI statements to {url}: the store had every one already",
                statements.len()
            ),
            Sent::Nothing => println!("class {} has no results yet: nothing sent", admin.code),
        }
    }
    Ok(())
}

fn write_file(f: &std::path::Path, text: &str) -> CliResult {
    std::fs::write(f, text).or_else(|e| {
        fail_in(
            format!("无法写入 {}：{e}", f.display()),
            format!("cannot write {}: {e}", f.display()),
        )
    })
}

/// A client for the class server at `server`.
fn client(server: &str) -> Result<ClassClient, CliError> {
    ClassClient::new(server).or_else(fail)
}

/// What `class new` prints: the code, the admin token, and how trainees, the projector and the
/// export reach the class.
fn print_created(base: &str, s: &::class::protocol::Created) {
    let code = &s.class.code;
    println!("join code:   {code}");
    println!("admin token: {}", s.admin_token);
    println!(
        "case:        {} · {} (seed {})",
        s.class.case, s.class.title.zh, s.class.seed
    );
    if let Some(d) = s.class.deadline {
        println!("deadline:    {} UTC", format_utc(d));
    }
    let join = s
        .join_url
        .clone()
        .unwrap_or_else(|| format!("{base}/j/{code}"));
    println!("trainees:    open {join} in a browser (the projector page shows it as a QR code)");
    println!("             or dunning-dojo play --join {base}/j/{code}");
    println!("             or in the game: server {base}, code {code}");
    println!("projector:   {base}/s/{code}");
    println!(
        "trainer:     {base}/t/{code}#token={} (who is playing; rename, reset, remove; exports)",
        s.admin_token
    );
    println!(
        "results:     dunning-dojo class export --server {base} --code {code} --token {} --csv class.csv",
        s.admin_token
    );
    println!("             (or --xapi statements.jsonl, --lrs URL for a learning record store)");
}
