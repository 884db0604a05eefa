//! The local leaderboard: every finished meeting played on this computer, in an SQLite file in
//! the user's data folder (`results.sqlite3`). Ranked per case.

use crate::export::{self, CsvRow, Ranker};
use crate::sqlite::{self, Kind, StoreError, now_unix};
use rusqlite::{Connection, params};
use sim::meeting::Meeting;
use sim::result::Summary;
use sim::script::Script;
use std::path::{Path, PathBuf};

const KIND: Kind = Kind {
    // "DDJL": dunning-dojo local.
    application_id: 0x4444_4a4c,
    version: 1,
    migrations: &[],
    schema: "CREATE TABLE results (
                 id INTEGER PRIMARY KEY,
                 trainee TEXT NOT NULL,
                 case_id TEXT NOT NULL,
                 seed INTEGER NOT NULL,
                 inputs TEXT NOT NULL,
                 summary TEXT NOT NULL,
                 score REAL NOT NULL,
                 played_at INTEGER NOT NULL,
                 class_code TEXT
             );
             CREATE INDEX results_by_case ON results (case_id, score DESC);",
};

/// The environment variable that moves the data folder (tests, portable installs).
pub const DATA_DIR_VAR: &str = "DUNNING_DOJO_DATA_DIR";

/// The folder for the results database and the class server's default database:
/// `$DUNNING_DOJO_DATA_DIR`, else the platform's data folder (`~/.local/share/dunning-dojo`).
pub fn data_dir() -> Option<PathBuf> {
    match std::env::var_os(DATA_DIR_VAR) {
        Some(d) if !d.is_empty() => Some(PathBuf::from(d)),
        _ => dirs::data_dir().map(|d| d.join("dunning-dojo")),
    }
}

/// Where the local leaderboard lives by default.
pub fn default_path() -> Option<PathBuf> {
    data_dir().map(|d| d.join("results.sqlite3"))
}

/// One recorded meeting.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub id: i64,
    pub trainee: String,
    pub case_id: String,
    pub seed: u64,
    pub inputs: Script,
    pub summary: Summary,
    /// Unix seconds.
    pub played_at: i64,
    /// The class class it was also submitted to.
    pub class_code: Option<String>,
}

/// A ranked line of the leaderboard.
#[derive(Clone, Debug, PartialEq)]
pub struct Ranked {
    /// 1-based within its case; equal scores share a rank.
    pub rank: usize,
    pub entry: Entry,
}

pub struct LocalBoard {
    conn: Connection,
    path: PathBuf,
}

impl LocalBoard {
    pub fn open(path: &Path) -> Result<LocalBoard, StoreError> {
        Ok(LocalBoard {
            conn: sqlite::open(path, &KIND)?,
            path: path.to_owned(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Records a meeting (finished or not: the summary says which).
    pub fn record(
        &mut self,
        trainee: &str,
        n: &Meeting,
        class_code: Option<&str>,
    ) -> Result<Entry, StoreError> {
        let summary = Summary::of(n);
        let inputs = Script::of(n);
        let entry = Entry {
            id: 0,
            trainee: trainee.to_owned(),
            case_id: n.bundle.case.id.clone(),
            seed: n.seed,
            inputs,
            summary,
            played_at: now_unix(),
            class_code: class_code.map(str::to_owned),
        };
        self.conn
            .execute(
                "INSERT INTO results (trainee, case_id, seed, inputs, summary, score, played_at, class_code)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    entry.trainee,
                    entry.case_id,
                    entry.seed as i64,
                    json(&entry.inputs),
                    json(&entry.summary),
                    entry.summary.score,
                    entry.played_at,
                    entry.class_code,
                ],
            )
            .map_err(|e| StoreError::classify(&self.path, e))?;
        Ok(Entry {
            id: self.conn.last_insert_rowid(),
            ..entry
        })
    }

    /// Every result, ranked within its case (best first); one case with `Some(id)`.
    pub fn ranked(&self, case_id: Option<&str>) -> Result<Vec<Ranked>, StoreError> {
        let err = |e| StoreError::classify(&self.path, e);
        let mut stmt = self
            .conn
            .prepare(
                "SELECT id, trainee, case_id, seed, inputs, summary, played_at, class_code
                 FROM results WHERE ?1 IS NULL OR case_id = ?1
                 ORDER BY case_id, score DESC, played_at, id",
            )
            .map_err(err)?;
        let rows = stmt
            .query_map([case_id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, i64>(6)?,
                    r.get::<_, Option<String>>(7)?,
                ))
            })
            .map_err(err)?;
        let mut out: Vec<Ranked> = Vec::new();
        let mut ranker = Ranker::default();
        for row in rows {
            let (id, trainee, case_id, seed, inputs, summary, played_at, class_code) =
                row.map_err(err)?;
            let corrupt = |what: &str, e: serde_json::Error| StoreError::Corrupt {
                path: self.path.clone(),
                detail: format!("result {id}: unreadable {what}: {e}"),
            };
            let entry = Entry {
                id,
                trainee,
                case_id,
                seed: seed as u64,
                inputs: serde_json::from_str(&inputs).map_err(|e| corrupt("inputs", e))?,
                summary: serde_json::from_str(&summary).map_err(|e| corrupt("summary", e))?,
                played_at,
                class_code,
            };
            // Rows come grouped by case, best first: a new case starts a new ranking.
            if out
                .last()
                .is_none_or(|prev: &Ranked| prev.entry.case_id != entry.case_id)
            {
                ranker = Ranker::default();
            }
            let rank = ranker.rank(entry.summary.score);
            out.push(Ranked { rank, entry });
        }
        Ok(out)
    }
}

/// The leaderboard as CSV. A trainee on this computer is known by name only, so their id is the
/// one derived from the name (the same in every export).
pub fn to_csv(rows: &[Ranked]) -> String {
    let ids: Vec<String> = rows
        .iter()
        .map(|r| crate::class::Trainee::id_for_name(&r.entry.trainee))
        .collect();
    export::csv(rows.iter().zip(&ids).map(|(r, id)| CsvRow {
        case: &r.entry.case_id,
        rank: r.rank,
        trainee: &r.entry.trainee,
        trainee_id: id,
        seed: r.entry.seed,
        inputs: &r.entry.inputs,
        summary: &r.entry.summary,
        at: r.entry.played_at,
    }))
}

/// A stored JSON column. These plain structs always serialise; `null` would only make the row
/// unreadable later, never lose the rest of it.
pub(crate) fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}
