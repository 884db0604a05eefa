//! The class server's storage: classes and the results submitted to them. The server talks to
//! the [`ClassStore`] trait only, so a PostgreSQL backend for an organisation that outgrows one
//! server is one more implementation; [`SqliteClassStore`] is the one shipped.

use crate::local::json;
use crate::sqlite::{self, Kind, StoreError, now_unix};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use sim::result::Summary;
use sim::script::Script;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// A class: everyone in it meets the same case with the same seed.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ClassInfo {
    pub code: String,
    #[serde(rename = "case")]
    pub case_id: String,
    pub seed: u64,
    /// Unix seconds after which results are refused.
    pub deadline: Option<i64>,
    pub created_at: i64,
    /// Closed by the trainer: results are refused.
    pub closed: bool,
}

impl ClassInfo {
    /// Whether results are still accepted at `now`.
    pub fn open_at(&self, now: i64) -> bool {
        !self.closed && self.deadline.is_none_or(|d| now <= d)
    }
}

/// A verified result as stored.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StoredResult {
    pub id: i64,
    pub trainee: String,
    pub inputs: Script,
    pub summary: Summary,
    pub submitted_at: i64,
}

/// What became of a submission.
#[derive(Clone, Debug, PartialEq)]
pub enum Submitted {
    /// Stored now; `rank` among the class's attempts (1 = best), of `of`.
    New {
        result: StoredResult,
        rank: u64,
        of: u64,
    },
    /// The idempotency key was seen before with the same inputs: the original result.
    Repeat {
        result: StoredResult,
        rank: u64,
        of: u64,
    },
    /// The idempotency key was used before for different inputs.
    KeyReused,
}

/// What came of a join.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Joining {
    Joined,
    /// The name is already bound to another token.
    NameTaken,
    /// The class already has as many trainees as it may.
    Full,
}

/// A trainee who joined a class.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Trainee {
    pub name: String,
    /// Stable through renames and resets: what a learning system keys the trainee on.
    pub id: String,
    pub joined_at: i64,
}

impl Trainee {
    /// The id for a name with no joined trainee behind it (results stored before trainees
    /// joined by name): derived from the name, so every export gives the same one.
    pub fn id_for_name(name: &str) -> String {
        let h = sim::hash::fnv1a(sim::hash::FNV_OFFSET, name.as_bytes());
        format!("n{h:016x}")
    }
}

/// What came of a rename.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Renaming {
    Renamed,
    /// No trainee has the old name.
    Unknown,
    /// Another trainee already has the new name.
    Taken,
}

/// The storage the class server needs. Implementations must make a `submit` durable before it
/// returns: the server acknowledges a result only after that.
pub trait ClassStore: Send + Sync {
    /// Stores a new class; `false` when the code is taken.
    fn create_class(&self, class: &ClassInfo, admin_token: &str) -> Result<bool, StoreError>;
    fn class(&self, code: &str) -> Result<Option<ClassInfo>, StoreError>;
    /// The class's admin token.
    fn admin_token(&self, code: &str) -> Result<Option<String>, StoreError>;
    fn close(&self, code: &str) -> Result<(), StoreError>;
    fn submit(
        &self,
        code: &str,
        key: &str,
        trainee: &str,
        inputs: &Script,
        summary: &Summary,
    ) -> Result<Submitted, StoreError>;
    /// What a submission with this key already got, if the key was used: `Repeat` for the
    /// same attempt, `KeyReused` for another. Answers even for a closed class.
    fn resent(
        &self,
        code: &str,
        key: &str,
        trainee: &str,
        inputs: &Script,
    ) -> Result<Option<Submitted>, StoreError>;
    /// All results of a class, best first.
    fn results(&self, code: &str) -> Result<Vec<StoredResult>, StoreError>;
    /// Moves the write-ahead log into the database, off the submission path.
    fn checkpoint(&self) -> Result<(), StoreError>;
    /// Binds `name` to `token` in a class, unless the name is already bound or `cap` names
    /// already joined (checked and written together, so a rush of joins cannot pass the cap).
    /// A released name (see `release`) is bound again.
    fn join(&self, code: &str, name: &str, token: &str, cap: usize) -> Result<Joining, StoreError>;
    /// The token bound to `name` in a class, if the name has joined.
    fn trainee_token(&self, code: &str, name: &str) -> Result<Option<String>, StoreError>;
    /// Every trainee who joined a class, in the order they joined.
    fn trainees(&self, code: &str) -> Result<Vec<Trainee>, StoreError>;
    /// Every name that joined a class, in the order they joined.
    fn joined(&self, code: &str) -> Result<Vec<String>, StoreError> {
        Ok(self.trainees(code)?.into_iter().map(|t| t.name).collect())
    }
    /// Renames a trainee; their token and results go with the name.
    fn rename(&self, code: &str, from: &str, to: &str) -> Result<Renaming, StoreError>;
    /// Releases a trainee's name from its token: the old token stops working and the next join
    /// with the name (from any device) claims it, with its results. `false` when the name
    /// never joined.
    fn release(&self, code: &str, name: &str) -> Result<bool, StoreError>;
    /// Removes a trainee and their results: how many results went, or `None` when the name is
    /// neither joined nor on the board.
    fn remove_trainee(&self, code: &str, name: &str) -> Result<Option<u64>, StoreError>;
    /// Deletes the classes created before `before` (unix seconds) with their results and
    /// trainees; returns the codes deleted and how many results went with them.
    fn prune(&self, before: i64) -> Result<(Vec<String>, u64), StoreError>;
}

const KIND: Kind = Kind {
    // "DDJS": dunning-dojo server.
    application_id: 0x4444_4a53,
    version: 4,
    migrations: &[TRAINEES, TRAINEE_IDS, CLASSES],
    schema: "CREATE TABLE classes (
                 code TEXT PRIMARY KEY,
                 admin_token TEXT NOT NULL,
                 case_id TEXT NOT NULL,
                 seed INTEGER NOT NULL,
                 deadline INTEGER,
                 created_at INTEGER NOT NULL,
                 closed INTEGER NOT NULL DEFAULT 0
             );
             CREATE TABLE results (
                 id INTEGER PRIMARY KEY,
                 class TEXT NOT NULL REFERENCES classes (code),
                 idem_key TEXT NOT NULL,
                 trainee TEXT NOT NULL,
                 inputs TEXT NOT NULL,
                 summary TEXT NOT NULL,
                 score REAL NOT NULL,
                 submitted_at INTEGER NOT NULL,
                 UNIQUE (class, idem_key)
             );
             CREATE INDEX results_by_score ON results (class, score DESC);
             CREATE TABLE trainees (
                 class TEXT NOT NULL REFERENCES classes (code),
                 name TEXT NOT NULL,
                 token TEXT NOT NULL,
                 joined_at INTEGER NOT NULL,
                 trainee_id TEXT,
                 PRIMARY KEY (class, name)
             );",
};

/// Version 2: trainees join a class by name and get a token for their submissions.
const TRAINEES: &str = "CREATE TABLE trainees (
                 session TEXT NOT NULL REFERENCES sessions (code),
                 name TEXT NOT NULL,
                 token TEXT NOT NULL,
                 joined_at INTEGER NOT NULL,
                 PRIMARY KEY (session, name)
             );";

/// Version 3: every trainee gets a stable id (kept through renames and resets) for the exports a
/// learning system reads; trainees who joined before get one now.
const TRAINEE_IDS: &str = "ALTER TABLE trainees ADD COLUMN trainee_id TEXT;
             UPDATE trainees SET trainee_id = lower(hex(randomblob(8))) WHERE trainee_id IS NULL;";

/// Version 4: a class is a class, in the database too (it was a "class").
const CLASSES: &str = "ALTER TABLE sessions RENAME TO classes;
             ALTER TABLE results RENAME COLUMN session TO class;
             ALTER TABLE trainees RENAME COLUMN session TO class;";

/// SQLite in WAL mode: one connection writes and a few read, so projector pages never wait for
/// submissions and a long read of one class does not hold up another's.
pub struct SqliteClassStore {
    writer: Mutex<Writer>,
    readers: Vec<Mutex<Connection>>,
    next_reader: std::sync::atomic::AtomicUsize,
    path: PathBuf,
}

/// The lock that makes a server the only one on its database: held on `DB.lock` for as long
/// as the returned file is open. A second server on the same file gets [`StoreError::InUse`]
/// naming it, instead of starting and disagreeing with the first.
pub fn lock_exclusive(db: &Path) -> Result<std::fs::File, StoreError> {
    let mut name = db.as_os_str().to_owned();
    name.push(".lock");
    let path = PathBuf::from(name);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        let _ = std::fs::create_dir_all(dir);
    }
    let io = |e: std::io::Error| StoreError::Io {
        path: path.clone(),
        detail: e.to_string(),
    };
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(io)?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(StoreError::InUse {
            path: db.to_owned(),
        }),
        Err(std::fs::TryLockError::Error(e)) => Err(io(e)),
    }
}

/// Reading connections kept open.
const READERS: usize = 4;

/// The writing connection, and per class how many attempts scored each tenth of a point, so
/// a submission's rank costs a sum over at most 1,001 counts instead of a scan of the results.
/// Only this store writes the file, so the counts stay exact.
struct Writer {
    conn: Connection,
    histograms: HashMap<String, Vec<u64>>,
}

fn bucket(score: f64) -> usize {
    ((score * 10.0).round().max(0.0) as usize).min(1000)
}

impl Writer {
    fn histogram(&mut self, code: &str) -> rusqlite::Result<&mut Vec<u64>> {
        if !self.histograms.contains_key(code) {
            let mut h = vec![0u64; 1001];
            let mut stmt = self
                .conn
                .prepare("SELECT score, count(*) FROM results WHERE class = ?1 GROUP BY score")?;
            let rows =
                stmt.query_map([code], |r| Ok((r.get::<_, f64>(0)?, r.get::<_, i64>(1)?)))?;
            for row in rows {
                let (score, n) = row?;
                h[bucket(score)] += n as u64;
            }
            self.histograms.insert(code.to_owned(), h);
        }
        Ok(self.histograms.entry(code.to_owned()).or_default())
    }

    /// Rank (1 = best) of `score` among the class's attempts, and how many there are.
    fn rank(&mut self, code: &str, score: f64) -> rusqlite::Result<(u64, u64)> {
        let h = self.histogram(code)?;
        let above: u64 = h[bucket(score) + 1..].iter().sum();
        Ok((above + 1, h.iter().sum()))
    }
}

impl SqliteClassStore {
    pub fn open(path: &Path) -> Result<SqliteClassStore, StoreError> {
        let writer = sqlite::open(path, &KIND)?;
        // The server checkpoints the log on its own schedule (`checkpoint`), so a submission
        // never waits for one; SQLite checkpoints anyway when the last connection closes.
        writer
            .pragma_update(None, "wal_autocheckpoint", 0)
            .map_err(|e| StoreError::classify(path, e))?;
        let readers = (0..READERS)
            .map(|_| sqlite::open(path, &KIND).map(Mutex::new))
            .collect::<Result<_, _>>()?;
        Ok(SqliteClassStore {
            writer: Mutex::new(Writer {
                conn: writer,
                histograms: HashMap::new(),
            }),
            readers,
            next_reader: std::sync::atomic::AtomicUsize::new(0),
            path: path.to_owned(),
        })
    }

    /// The result stored earlier under `key`, as a repeat (same trainee and inputs) or a
    /// reused key; `None` when the key is new.
    fn earlier(
        &self,
        w: &mut Writer,
        code: &str,
        key: &str,
        trainee: &str,
        inputs_json: &str,
    ) -> Result<Option<Submitted>, StoreError> {
        let row = w
            .conn
            .query_row(
                "SELECT id, trainee, inputs, summary, submitted_at FROM results
                 WHERE class = ?1 AND idem_key = ?2",
                params![code, key],
                read_row,
            )
            .optional()
            .map_err(|e| self.err(e))?;
        let Some(row) = row else { return Ok(None) };
        let same = row.1 == trainee && row.2 == inputs_json;
        let result = self.row_to_result(row)?;
        if !same {
            return Ok(Some(Submitted::KeyReused));
        }
        let (rank, of) = w
            .rank(code, result.summary.score)
            .map_err(|e| self.err(e))?;
        Ok(Some(Submitted::Repeat { result, rank, of }))
    }

    /// A free reading connection, or (when all are busy) the next in turn.
    fn reader(&self) -> std::sync::MutexGuard<'_, Connection> {
        for r in &self.readers {
            if let Ok(guard) = r.try_lock() {
                return guard;
            }
        }
        let k = self
            .next_reader
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        self.lock(&self.readers[k % self.readers.len()])
    }

    fn err(&self, e: rusqlite::Error) -> StoreError {
        StoreError::classify(&self.path, e)
    }

    fn lock<'a, T>(&self, m: &'a Mutex<T>) -> std::sync::MutexGuard<'a, T> {
        // A panic while holding the lock cannot leave a half-written transaction behind
        // (SQLite rolls it back), so a poisoned lock is safe to reuse.
        m.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn corrupt(&self, id: i64, what: &str, e: serde_json::Error) -> StoreError {
        StoreError::Corrupt {
            path: self.path.clone(),
            detail: format!("result {id}: unreadable {what}: {e}"),
        }
    }

    fn row_to_result(
        &self,
        (id, trainee, inputs, summary, submitted_at): (i64, String, String, String, i64),
    ) -> Result<StoredResult, StoreError> {
        Ok(StoredResult {
            id,
            trainee,
            inputs: serde_json::from_str(&inputs).map_err(|e| self.corrupt(id, "inputs", e))?,
            summary: serde_json::from_str(&summary).map_err(|e| self.corrupt(id, "summary", e))?,
            submitted_at,
        })
    }
}

type Row = (i64, String, String, String, i64);

fn read_row(r: &rusqlite::Row) -> rusqlite::Result<Row> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
}

impl ClassStore for SqliteClassStore {
    fn create_class(&self, s: &ClassInfo, admin_token: &str) -> Result<bool, StoreError> {
        let w = self.lock(&self.writer);
        let n = w
            .conn
            .execute(
                "INSERT INTO classes (code, admin_token, case_id, seed, deadline, created_at, closed)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (code) DO NOTHING",
                params![
                    s.code,
                    admin_token,
                    s.case_id,
                    s.seed as i64,
                    s.deadline,
                    s.created_at,
                    s.closed
                ],
            )
            .map_err(|e| self.err(e))?;
        Ok(n == 1)
    }

    fn class(&self, code: &str) -> Result<Option<ClassInfo>, StoreError> {
        let conn = self.reader();
        conn.query_row(
            "SELECT code, case_id, seed, deadline, created_at, closed FROM classes WHERE code = ?1",
            [code],
            |r| {
                Ok(ClassInfo {
                    code: r.get(0)?,
                    case_id: r.get(1)?,
                    seed: r.get::<_, i64>(2)? as u64,
                    deadline: r.get(3)?,
                    created_at: r.get(4)?,
                    closed: r.get(5)?,
                })
            },
        )
        .optional()
        .map_err(|e| self.err(e))
    }

    fn admin_token(&self, code: &str) -> Result<Option<String>, StoreError> {
        let conn = self.reader();
        conn.query_row(
            "SELECT admin_token FROM classes WHERE code = ?1",
            [code],
            |r| r.get(0),
        )
        .optional()
        .map_err(|e| self.err(e))
    }

    fn close(&self, code: &str) -> Result<(), StoreError> {
        let w = self.lock(&self.writer);
        w.conn
            .execute("UPDATE classes SET closed = 1 WHERE code = ?1", [code])
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    fn submit(
        &self,
        code: &str,
        key: &str,
        trainee: &str,
        inputs: &Script,
        summary: &Summary,
    ) -> Result<Submitted, StoreError> {
        let inputs_json = json(inputs);
        let now = now_unix();
        let mut w = self.lock(&self.writer);
        let inserted = w
            .conn
            .execute(
                "INSERT INTO results (class, idem_key, trainee, inputs, summary, score, submitted_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (class, idem_key) DO NOTHING",
                params![
                    code,
                    key,
                    trainee,
                    inputs_json,
                    json(summary),
                    summary.score,
                    now
                ],
            )
            .map_err(|e| self.err(e))?;
        if inserted == 1 {
            let id = w.conn.last_insert_rowid();
            // Load the counts (which now include this row) before adding it, or count it once.
            let loaded = w.histograms.contains_key(code);
            let h = w.histogram(code).map_err(|e| self.err(e))?;
            if loaded {
                h[bucket(summary.score)] += 1;
            }
            let (rank, of) = w.rank(code, summary.score).map_err(|e| self.err(e))?;
            return Ok(Submitted::New {
                result: StoredResult {
                    id,
                    trainee: trainee.to_owned(),
                    inputs: inputs.clone(),
                    summary: summary.clone(),
                    submitted_at: now,
                },
                rank,
                of,
            });
        }
        self.earlier(&mut w, code, key, trainee, &inputs_json)?
            .ok_or_else(|| StoreError::Io {
                path: self.path.clone(),
                detail: "a result neither stored nor found".into(),
            })
    }

    fn resent(
        &self,
        code: &str,
        key: &str,
        trainee: &str,
        inputs: &Script,
    ) -> Result<Option<Submitted>, StoreError> {
        let mut w = self.lock(&self.writer);
        self.earlier(&mut w, code, key, trainee, &json(inputs))
    }

    fn join(&self, code: &str, name: &str, token: &str, cap: usize) -> Result<Joining, StoreError> {
        let w = self.lock(&self.writer);
        let added = w
            .conn
            .execute(
                "INSERT INTO trainees (class, name, token, joined_at, trainee_id)
                 SELECT ?1, ?2, ?3, ?4, lower(hex(randomblob(8)))
                 WHERE (SELECT COUNT(*) FROM trainees WHERE class = ?1) < ?5
                    OR EXISTS (SELECT 1 FROM trainees WHERE class = ?1 AND name = ?2)
                 ON CONFLICT (class, name) DO UPDATE SET token = excluded.token
                 WHERE trainees.token = ''",
                params![code, name, token, now_unix(), cap as i64],
            )
            .map_err(|e| self.err(e))?;
        if added == 1 {
            return Ok(Joining::Joined);
        }
        let taken: bool = w
            .conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM trainees WHERE class = ?1 AND name = ?2)",
                params![code, name],
                |r| r.get(0),
            )
            .map_err(|e| self.err(e))?;
        Ok(if taken {
            Joining::NameTaken
        } else {
            Joining::Full
        })
    }

    fn rename(&self, code: &str, from: &str, to: &str) -> Result<Renaming, StoreError> {
        let mut w = self.lock(&self.writer);
        let tx = w.conn.transaction().map_err(|e| self.err(e))?;
        let has = |name: &str| -> Result<bool, rusqlite::Error> {
            tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM trainees WHERE class = ?1 AND name = ?2)
                     OR EXISTS (SELECT 1 FROM results WHERE class = ?1 AND trainee = ?2)",
                params![code, name],
                |r| r.get(0),
            )
        };
        if !has(from).map_err(|e| self.err(e))? {
            return Ok(Renaming::Unknown);
        }
        if from != to && has(to).map_err(|e| self.err(e))? {
            return Ok(Renaming::Taken);
        }
        for sql in [
            "UPDATE trainees SET name = ?3 WHERE class = ?1 AND name = ?2",
            "UPDATE results SET trainee = ?3 WHERE class = ?1 AND trainee = ?2",
        ] {
            tx.execute(sql, params![code, from, to])
                .map_err(|e| self.err(e))?;
        }
        tx.commit().map_err(|e| self.err(e))?;
        Ok(Renaming::Renamed)
    }

    fn release(&self, code: &str, name: &str) -> Result<bool, StoreError> {
        let w = self.lock(&self.writer);
        let changed = w
            .conn
            .execute(
                "UPDATE trainees SET token = '' WHERE class = ?1 AND name = ?2",
                params![code, name],
            )
            .map_err(|e| self.err(e))?;
        Ok(changed == 1)
    }

    fn remove_trainee(&self, code: &str, name: &str) -> Result<Option<u64>, StoreError> {
        let mut w = self.lock(&self.writer);
        let tx = w.conn.transaction().map_err(|e| self.err(e))?;
        let joined = tx
            .execute(
                "DELETE FROM trainees WHERE class = ?1 AND name = ?2",
                params![code, name],
            )
            .map_err(|e| self.err(e))?;
        let results = tx
            .execute(
                "DELETE FROM results WHERE class = ?1 AND trainee = ?2",
                params![code, name],
            )
            .map_err(|e| self.err(e))?;
        tx.commit().map_err(|e| self.err(e))?;
        Ok((joined > 0 || results > 0).then_some(results as u64))
    }

    fn trainees(&self, code: &str) -> Result<Vec<Trainee>, StoreError> {
        let conn = self.reader();
        let mut stmt = conn
            .prepare(
                "SELECT name, trainee_id, joined_at FROM trainees WHERE class = ?1
                 ORDER BY joined_at, rowid",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map(params![code], |r| {
                let name: String = r.get(0)?;
                let id: Option<String> = r.get(1)?;
                Ok(Trainee {
                    id: id.unwrap_or_else(|| Trainee::id_for_name(&name)),
                    name,
                    joined_at: r.get(2)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<Vec<_>, _>>().map_err(|e| self.err(e))
    }

    fn trainee_token(&self, code: &str, name: &str) -> Result<Option<String>, StoreError> {
        let conn = self.reader();
        conn.query_row(
            "SELECT token FROM trainees WHERE class = ?1 AND name = ?2",
            params![code, name],
            |r| r.get(0),
        )
        .optional()
        .map_err(|e| self.err(e))
    }

    fn prune(&self, before: i64) -> Result<(Vec<String>, u64), StoreError> {
        let mut w = self.lock(&self.writer);
        let tx = w.conn.transaction().map_err(|e| self.err(e))?;
        let codes: Vec<String> = {
            let mut stmt = tx
                .prepare("SELECT code FROM classes WHERE created_at < ?1")
                .map_err(|e| self.err(e))?;
            stmt.query_map([before], |r| r.get(0))
                .and_then(|rows| rows.collect::<Result<_, _>>())
                .map_err(|e| self.err(e))?
        };
        let mut results = 0u64;
        for code in &codes {
            results += tx
                .execute("DELETE FROM results WHERE class = ?1", [code])
                .map_err(|e| self.err(e))? as u64;
            tx.execute("DELETE FROM trainees WHERE class = ?1", [code])
                .map_err(|e| self.err(e))?;
            tx.execute("DELETE FROM classes WHERE code = ?1", [code])
                .map_err(|e| self.err(e))?;
        }
        tx.commit().map_err(|e| self.err(e))?;
        for code in &codes {
            w.histograms.remove(code);
        }
        Ok((codes, results))
    }

    fn checkpoint(&self) -> Result<(), StoreError> {
        let conn = self.reader();
        conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
            .map_err(|e| self.err(e))
    }

    fn results(&self, code: &str) -> Result<Vec<StoredResult>, StoreError> {
        let conn = self.reader();
        let mut stmt = conn
            .prepare_cached(
                "SELECT id, trainee, inputs, summary, submitted_at FROM results
                 WHERE class = ?1 ORDER BY score DESC, submitted_at, id",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([code], read_row)
            .map_err(|e| self.err(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.err(e))?;
        rows.into_iter().map(|r| self.row_to_result(r)).collect()
    }
}
