//! `leaderboard`, `serve`, `class …`, and the class side of `play --join`.

use super::fail;
use super::report::pad;
use ::class::client::{self, ClassClient, TokenBook, parse_join};
use ::class::protocol::{NewSession, Receipt, SessionView, Submission, outcome_label};
use authoring::validate::Scenarios;
use clap::Subcommand;
use sim::Negotiation;
use sim::script::Script;
use sim::text::Lang;
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use store::SqliteClassStore;
use store::local::{self, LocalBoard};
use store::sqlite::format_utc;

/// What `class` does.
#[derive(Subcommand, Debug)]
pub enum ClassCommand {
    /// Open a session on a class server: prints the join code and the admin token.
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
    /// Download a session's results as CSV (needs the admin token).
    Export {
        #[command(flatten)]
        admin: Admin,
        /// Write here instead of printing.
        #[arg(long, value_name = "FILE")]
        csv: Option<PathBuf>,
    },
    /// Stop a session taking results (needs the admin token).
    Close {
        #[command(flatten)]
        admin: Admin,
    },
    /// Delete the sessions opened more than N days ago, with their results (retention; needs
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

/// A session and the token that administers it.
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

fn t(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// The local database to use: `--db`, else the default in the data folder.
fn local_path(db: Option<PathBuf>) -> Result<PathBuf, String> {
    db.or_else(local::default_path).ok_or_else(|| {
        format!(
            "no data folder is known on this system; pass --db FILE or set {}",
            local::DATA_DIR_VAR
        )
    })
}

pub fn leaderboard_cmd(
    sc: Option<&Scenarios>,
    db: Option<PathBuf>,
    case_id: Option<&str>,
    csv: Option<&Path>,
    lang: Lang,
) -> ExitCode {
    let path = match local_path(db) {
        Ok(p) => p,
        Err(e) => return fail(e),
    };
    let rows = if path.exists() {
        match LocalBoard::open(&path).and_then(|b| b.ranked(case_id)) {
            Ok(rows) => rows,
            Err(e) => return fail(e),
        }
    } else {
        Vec::new()
    };
    if let Some(file) = csv {
        return match std::fs::write(file, local::to_csv(&rows)) {
            Ok(()) => {
                println!("wrote {} results to {}", rows.len(), file.display());
                ExitCode::SUCCESS
            }
            Err(e) => fail(format!("cannot write {}: {e}", file.display())),
        };
    }
    let mut out = std::io::stdout().lock();
    if rows.is_empty() {
        let _ = writeln!(
            out,
            "{} ({})",
            t(lang, "还没有成绩。", "No results yet."),
            path.display()
        );
        return ExitCode::SUCCESS;
    }
    let mut current = "";
    for r in &rows {
        let e = &r.entry;
        if e.case_id != current {
            current = &e.case_id;
            let title = sc
                .and_then(|sc| sc.case(current))
                .map_or(current.to_owned(), |c| {
                    format!("{} ({current})", c.title.get(lang))
                });
            let _ = writeln!(out, "\n{title}");
            let _ = writeln!(
                out,
                "  {:>4}  {} {:>6} {:>5}  {} {:>5}  {}",
                "#",
                pad(t(lang, "学员", "trainee"), 24),
                t(lang, "得分", "score"),
                t(lang, "等级", "grade"),
                pad(t(lang, "结果", "outcome"), 16),
                t(lang, "轮数", "turns"),
                t(lang, "时间 (UTC)", "played (UTC)")
            );
        }
        let _ = writeln!(
            out,
            "  {:>4}  {} {:>6.1} {:>5}  {} {:>5}  {}",
            r.rank,
            pad(&e.trainee, 24),
            e.summary.score,
            e.summary.grade,
            pad(outcome_label(&e.summary.outcome).get(lang), 16),
            e.summary.turns,
            format_utc(e.played_at)
        );
    }
    ExitCode::SUCCESS
}

/// The trainee's name: `--name`, else the login name.
pub fn default_name(name: Option<&str>) -> String {
    name.map(str::to_owned)
        .or_else(|| std::env::var("USER").ok())
        .or_else(|| std::env::var("USERNAME").ok())
        .filter(|s| !s.trim().is_empty())
        .unwrap_or_else(|| "trainee".to_owned())
}

/// Records a finished meeting on the local leaderboard; a failure is reported, not fatal:
/// the meeting itself was played and its transcript printed.
pub fn record_local(name: &str, n: &Negotiation, class_code: Option<&str>) {
    let path = match local_path(None) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("warning: this result was not saved on the local leaderboard: {e}");
            return;
        }
    };
    if let Err(e) = LocalBoard::open(&path).and_then(|mut b| b.record(name, n, class_code)) {
        eprintln!("warning: this result was not saved on the local leaderboard: {e}");
    }
}

/// Looks up the session behind a join address.
pub fn join(address: &str) -> Result<(ClassClient, SessionView), String> {
    let (base, code) = parse_join(address).map_err(|e| e.to_string())?;
    client::join(&base, &code).map_err(|e| e.to_string())
}

/// Submits a played meeting to the class and prints the server's verdict.
pub fn submit(
    client: &ClassClient,
    code: &str,
    name: &str,
    n: &Negotiation,
    lang: Lang,
) -> Result<Receipt, String> {
    let sub = Submission::of(name, &Script::of(n)).map_err(|e| e.to_string())?;
    // The name's token from joining: kept in the data folder, so a later attempt (or another
    // terminal on this computer) submits under the same name.
    let book = local::data_dir().map(|d| d.join("class-tokens.json"));
    let token = TokenBook::open(book)
        .token(client, code, name)
        .map_err(|e| e.to_string())?;
    let r = client
        .submit(code, &sub, &token)
        .map_err(|e| e.to_string())?;
    println!(
        "{} {code}: {:.1} ({}) · {} {} / {}",
        t(lang, "已提交到课堂", "Submitted to class"),
        r.score,
        r.grade,
        t(lang, "排名", "rank"),
        r.rank,
        r.of
    );
    Ok(r)
}

/// What `serve` prints when it starts: where it listens, its database and trainer key, and
/// how to open a session.
fn announce(
    running: &::class::Running,
    db: &std::path::Path,
    key: &TrainerKey,
    sc: &Scenarios,
) -> std::io::Result<()> {
    let addr = running.addr;
    let url = format!("http://{addr}");
    let mut out = std::io::stdout();
    writeln!(out, "dunning-dojo class server on {url}")?;
    let trainees = ::class::reach::base(&running.shared, &axum::http::HeaderMap::new());
    writeln!(
        out,
        "trainees reach it at {trainees} (join links: {trainees}/j/CODE; change with --public-url)"
    )?;
    writeln!(out, "database: {}", db.display())?;
    match &key.file {
        Some(f) => writeln!(out, "trainer key: {} (kept in {})", key.key, f.display())?,
        None => writeln!(out, "trainer key: as given with --trainer-key")?,
    }
    writeln!(
        out,
        "open a session: dunning-dojo class new --server {url} --trainer-key KEY --case {}",
        sc.cases.first().map_or("CASE", |c| c.id.as_str())
    )?;
    if addr.ip().is_loopback() {
        writeln!(
            out,
            "(only this computer can reach it; for a classroom use --addr 0.0.0.0:{})",
            addr.port()
        )?;
    }
    out.flush()
}

/// The trainer key and where it is kept.
struct TrainerKey {
    key: String,
    /// The file it was read from or written to; `None` when given on the command line.
    file: Option<PathBuf>,
}

/// The key given with `--trainer-key`, or the one kept beside the database (`DB.trainer-key`),
/// made on first start (readable only by its owner).
fn trainer_key(db: &std::path::Path, given: Option<String>) -> Result<TrainerKey, String> {
    if let Some(key) = given {
        let key = key.trim().to_owned();
        if key.len() < 12 {
            return Err("--trainer-key: at least 12 characters".into());
        }
        return Ok(TrainerKey { key, file: None });
    }
    let mut name = db.as_os_str().to_owned();
    name.push(".trainer-key");
    let file = PathBuf::from(name);
    match std::fs::read_to_string(&file) {
        Ok(k) if !k.trim().is_empty() => {
            return Ok(TrainerKey {
                key: k.trim().to_owned(),
                file: Some(file),
            });
        }
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(format!("cannot read {}: {e}", file.display())),
    }
    let key = ::class::protocol::random_token(16)
        .map_err(|e| format!("no randomness from the operating system: {e}"))?;
    write_private(&file, &key).map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    Ok(TrainerKey {
        key,
        file: Some(file),
    })
}

/// Writes a secret readable only by its owner (on Unix).
fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let mut f = opts.open(path)?;
    f.write_all(text.as_bytes())?;
    f.write_all(b"\n")
}

pub fn serve_cmd(
    sc: Scenarios,
    addr: &str,
    db: Option<PathBuf>,
    key: Option<String>,
    limits: bool,
    public_url: Option<String>,
) -> ExitCode {
    let public_url = match public_url.map(|u| client::normalise_base(&u).map_err(|_| u)) {
        None => None,
        Some(Ok(u)) => Some(u),
        Some(Err(u)) => {
            return fail(format!(
                "--public-url \"{u}\" is not an address trainees can open: use http://HOST:PORT, \
                 e.g. http://192.168.1.20:7878"
            ));
        }
    };
    let addr: SocketAddr = match addr.parse() {
        Ok(a) => a,
        Err(_) => {
            return fail(format!(
                "--addr \"{addr}\" is not an address: use IP:PORT, e.g. 127.0.0.1:7878 or 0.0.0.0:7878"
            ));
        }
    };
    let path = match db.map_or_else(
        || {
            local::data_dir()
                .map(|d| d.join("class-server.sqlite3"))
                .ok_or_else(|| "no data folder is known on this system; pass --db FILE".to_owned())
        },
        Ok,
    ) {
        Ok(p) => p,
        Err(e) => return fail(e),
    };
    // One server per database: held until this function returns.
    let _lock = match store::class::lock_exclusive(&path) {
        Ok(l) => l,
        Err(e) => return fail(e),
    };
    let store = match SqliteClassStore::open(&path) {
        Ok(s) => s,
        Err(e) => return fail(e),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => return fail(format!("cannot start the server runtime: {e}")),
    };
    let key = match trainer_key(&path, key) {
        Ok(k) => k,
        Err(e) => return fail(e),
    };
    let mut shared = ::class::Shared::new(Arc::new(store), &sc, key.key.clone());
    shared.access_log = true;
    shared.public_url = public_url;
    if limits {
        shared.rate_limits = true;
        shared.caps.per_address = Some(256);
    }
    runtime.block_on(async move {
        let running = match ::class::start(addr, shared).await {
            Ok(r) => r,
            Err(e) => return fail(format!("cannot listen on {addr}: {e}")),
        };
        // Printing must never stop the server (stdout may be a closed pipe).
        let _ = announce(&running, &path, &key, &sc);
        tokio::select! {
            r = running.task => match r {
                Ok(Ok(())) => ExitCode::SUCCESS,
                Ok(Err(e)) => fail(format!("the server stopped: {e}")),
                Err(e) => fail(format!("the server stopped: {e}")),
            },
            _ = tokio::signal::ctrl_c() => {
                let _ = writeln!(std::io::stdout(), "stopped.");
                ExitCode::SUCCESS
            }
        }
    })
}

/// What `class new` prints: the code, the admin token, and how trainees, the projector and the
/// export reach the session.
fn print_created(base: &str, s: &::class::protocol::Created) {
    let code = &s.session.code;
    println!("join code:   {code}");
    println!("admin token: {}", s.admin_token);
    println!(
        "case:        {} · {} (seed {})",
        s.session.case, s.session.title.zh, s.session.seed
    );
    if let Some(d) = s.session.deadline {
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
        "results:     dunning-dojo class export --server {base} --code {code} --token {} --csv class.csv",
        s.admin_token
    );
}

pub fn class_cmd(cmd: ClassCommand) -> ExitCode {
    let client = |server: &str| ClassClient::new(server).map_err(|e| e.to_string());
    match cmd {
        ClassCommand::New {
            server,
            case_id,
            seed,
            deadline_minutes,
            trainer_key,
        } => {
            let created = client(&server).and_then(|c| {
                let req = NewSession {
                    case: case_id,
                    seed,
                    deadline_minutes,
                };
                c.create_session(&req, &trainer_key)
                    .map(|s| (c.base().to_owned(), s))
                    .map_err(|e| e.to_string())
            });
            match created {
                Ok((base, s)) => {
                    print_created(&base, &s);
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e),
            }
        }
        ClassCommand::Export {
            admin:
                Admin {
                    server,
                    code,
                    token,
                },
            csv,
        } => match client(&server).and_then(|c| c.csv(&code, &token).map_err(|e| e.to_string())) {
            Ok(text) => match csv {
                Some(f) => match std::fs::write(&f, text) {
                    Ok(()) => {
                        println!("wrote {}", f.display());
                        ExitCode::SUCCESS
                    }
                    Err(e) => fail(format!("cannot write {}: {e}", f.display())),
                },
                None => {
                    print!("{text}");
                    ExitCode::SUCCESS
                }
            },
            Err(e) => fail(e),
        },
        ClassCommand::Close {
            admin:
                Admin {
                    server,
                    code,
                    token,
                },
        } => {
            match client(&server).and_then(|c| c.close(&code, &token).map_err(|e| e.to_string())) {
                Ok(_) => {
                    println!("session {code} closed: it takes no more results");
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e),
            }
        }
        ClassCommand::Prune {
            server,
            trainer_key,
            older_than_days,
        } => {
            let pruned = client(&server).and_then(|c| {
                c.prune(older_than_days, &trainer_key)
                    .map_err(|e| e.to_string())
            });
            match pruned {
                Ok(p) => {
                    println!(
                        "deleted {} sessions opened more than {older_than_days} days ago, with {} results",
                        p.sessions, p.results
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e),
            }
        }
    }
}
