//! What the commands share about results and classes: the local leaderboard's path and
//! recording, the trainee's name, and joining and submitting to a class.

use ::class::client::{self, ClassClient, TokenBook, parse_join};
use ::class::protocol::{ClassView, Receipt, Submission};
use sim::Meeting;
use sim::script::Script;
use sim::text::Lang;
use std::path::PathBuf;
use store::local::{self, LocalBoard};

pub use sim::text::t;

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
pub fn record_local(name: &str, n: &Meeting, class_code: Option<&str>) {
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
pub fn join(address: &str) -> Result<(ClassClient, ClassView), String> {
    let (base, code) = parse_join(address).map_err(|e| e.to_string())?;
    client::join(&base, &code).map_err(|e| e.to_string())
}

/// Submits a played meeting to the class and prints the server's verdict.
pub fn submit(
    client: &ClassClient,
    code: &str,
    name: &str,
    n: &Meeting,
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

/// The local database to use: `--db`, else the default in the data folder.
pub fn local_path(db: Option<PathBuf>) -> Result<PathBuf, String> {
    db.or_else(local::default_path).ok_or_else(|| {
        format!(
            "no data folder is known on this system; pass --db FILE or set {}",
            local::DATA_DIR_VAR
        )
    })
}
