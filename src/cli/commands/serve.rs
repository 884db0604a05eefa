//! `serve`: a class server with replay-verified results and the projector page.

use crate::cli::Ctx;
use crate::cli::error::{CliError, CliResult, fail, fail_in};
use ::class::client;
use authoring::validate::Scenarios;
use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use store::SqliteClassStore;
use store::local;

/// Run a class server: classes, replay-verified results, a projector page at /s/CODE.
#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on; 0.0.0.0:7878 lets the classroom's computers reach it.
    #[arg(long, default_value = "127.0.0.1:7878")]
    addr: String,
    /// The server's database (default: class-server.sqlite3 in the data folder).
    #[arg(long, value_name = "FILE")]
    db: Option<PathBuf>,
    /// The key trainers need to open classes (default: the one kept in DB.trainer-key,
    /// made on first start).
    #[arg(long, value_name = "KEY")]
    trainer_key: Option<String>,
    /// No per-address rate or connection limits (a load test from one machine).
    #[arg(long)]
    no_rate_limits: bool,
    /// The address trainees' devices use to reach this server, for join links and the
    /// projector's QR code (default: found from the network), e.g. http://192.168.1.20:7878
    #[arg(long, value_name = "URL")]
    public_url: Option<String>,
    /// Who may show the pages inside a frame, for a learning system that embeds them
    /// (CSP frame-ancestors sources, e.g. "https://lms.example.com"); default: nobody.
    #[arg(long, value_name = "SOURCES")]
    frame_ancestors: Option<String>,
}

pub fn run(ctx: &Ctx, a: ServeArgs) -> CliResult {
    let sc = ctx.scenarios()?;
    let frame_ancestors = match a.frame_ancestors {
        Some(f) if f.is_empty() || f.contains([';', ',', '\n', '\r']) => {
            return fail_in(
                format!(
                    "--frame-ancestors \"{f}\" 不能为空，也不能含有 ; , 或换行：用空格分隔来源"
                ),
                format!(
                    "--frame-ancestors \"{f}\" must not be empty or hold ; , or a line break: \
                     separate sources with spaces"
                ),
            );
        }
        f => f,
    };
    serve(
        sc,
        &a.addr,
        a.db,
        a.trainer_key,
        !a.no_rate_limits,
        a.public_url,
        frame_ancestors,
    )
}

/// The trainer key and where it is kept.
struct TrainerKey {
    key: String,
    /// The file it was read from or written to; `None` when given on the command line.
    file: Option<PathBuf>,
}

/// The public address and the listening address, checked, and the port free: a busy port is
/// told before anything is made, so it leaves no database or key behind.
fn checked_addresses(
    public_url: Option<String>,
    addr: &str,
) -> CliResult<(Option<String>, SocketAddr)> {
    let public_url = match public_url.map(|u| client::normalise_base(&u).map_err(|_| u)) {
        None => None,
        Some(Ok(u)) => Some(u),
        Some(Err(u)) => {
            return fail_in(
                format!(
                    "--public-url \"{u}\" 不是学员能打开的地址：请写成 http://主机:端口，\
                     例如 http://192.168.1.20:7878"
                ),
                format!(
                    "--public-url \"{u}\" is not an address trainees can open: use \
                     http://HOST:PORT, e.g. http://192.168.1.20:7878"
                ),
            );
        }
    };
    let addr: SocketAddr = match addr.parse() {
        Ok(a) => a,
        Err(_) => {
            return fail_in(
                format!(
                    "--addr \"{addr}\" 不是地址：请写成 IP:端口，例如 127.0.0.1:7878 或 0.0.0.0:7878"
                ),
                format!(
                    "--addr \"{addr}\" is not an address: use IP:PORT, e.g. 127.0.0.1:7878 or \
                     0.0.0.0:7878"
                ),
            );
        }
    };
    if let Err(e) = std::net::TcpListener::bind(addr) {
        return fail_in(
            format!("无法在 {addr} 上监听：{e}（什么也没有创建）"),
            format!("cannot listen on {addr}: {e} (nothing was created)"),
        );
    }
    Ok((public_url, addr))
}

fn serve(
    sc: Scenarios,
    addr: &str,
    db: Option<PathBuf>,
    key: Option<String>,
    limits: bool,
    public_url: Option<String>,
    frame_ancestors: Option<String>,
) -> CliResult {
    let (public_url, addr) = checked_addresses(public_url, addr)?;
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
    let _lock = store::class::lock_exclusive(&path).map_err(CliError::msg)?;
    let store = SqliteClassStore::open(&path).map_err(CliError::msg)?;
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            return fail_in(
                format!("无法启动服务器运行环境：{e}"),
                format!("cannot start the server runtime: {e}"),
            );
        }
    };
    let key = trainer_key(&path, key).map_err(CliError::msg)?;
    let mut shared = ::class::Shared::new(Arc::new(store), &sc, key.key.clone());
    shared.access_log = true;
    shared.public_url = public_url;
    shared.frame_ancestors = frame_ancestors;
    if limits {
        shared.rate_limits = true;
        shared.caps.per_address = Some(256);
    }
    runtime.block_on(async move {
        let running = match ::class::start(addr, shared).await {
            Ok(r) => r,
            Err(e) => {
                return fail_in(
                    format!("无法在 {addr} 上监听：{e}"),
                    format!("cannot listen on {addr}: {e}"),
                );
            }
        };
        // Printing must never stop the server (stdout may be a closed pipe).
        let _ = announce(&running, &path, &key, &sc);
        tokio::select! {
            r = running.task => match r {
                Ok(Ok(())) => Ok(()),
                Ok(Err(e)) => fail_in(format!("服务器停止了：{e}"), format!("the server stopped: {e}")),
                Err(e) => fail_in(format!("服务器停止了：{e}"), format!("the server stopped: {e}")),
            },
            _ = tokio::signal::ctrl_c() => {
                let _ = writeln!(std::io::stdout(), "stopped.");
                Ok(())
            }
        }
    })
}

/// What `serve` prints when it starts: where it listens, its database and trainer key, and
/// how to open a class.
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
        "open a class: dunning-dojo class new --server {url} --trainer-key KEY --case {}",
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
