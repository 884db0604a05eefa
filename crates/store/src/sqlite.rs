//! Opening our SQLite files safely: a file that is not ours, corrupt, locked or from a newer
//! version gets a clear error and is left exactly as it was. Nothing here ever deletes or
//! recreates a database.

use rusqlite::{Connection, ErrorCode, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Everything that can go wrong with a results database, worded for the person who has to fix it.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "{path} is not a readable results database ({detail}). It has been left untouched: \
         move it aside (or restore a backup) and a new one will be created"
    )]
    Corrupt { path: PathBuf, detail: String },
    #[error(
        "{path} is locked by another program (another dunning-dojo writing to it?). Nothing was \
         changed; try again once it has finished"
    )]
    Locked { path: PathBuf },
    #[error(
        "{path} is already in use by another dunning-dojo class server (it holds {path}.lock). \
         Two servers on one database would disagree: stop the other one, or pass --db with \
         another file"
    )]
    InUse { path: PathBuf },
    #[error(
        "{path} is an SQLite database that dunning-dojo did not create ({detail}). It has been \
         left untouched; choose another file"
    )]
    Foreign { path: PathBuf, detail: String },
    #[error(
        "{path} was written by a newer dunning-dojo (schema {found}, this version reads up to \
         {known}). It has been left untouched; update dunning-dojo to read it"
    )]
    Newer {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error("cannot use {path}: {detail}")]
    Io { path: PathBuf, detail: String },
}

impl StoreError {
    /// Maps an SQLite error on `path` to the error a person can act on.
    pub fn classify(path: &Path, e: rusqlite::Error) -> StoreError {
        let path = path.to_owned();
        match e.sqlite_error_code() {
            Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => StoreError::Corrupt {
                path,
                detail: e.to_string(),
            },
            Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => {
                StoreError::Locked { path }
            }
            _ => StoreError::Io {
                path,
                detail: e.to_string(),
            },
        }
    }
}

/// What identifies one kind of our databases: SQLite's `application_id` header field, the
/// schema version this build writes, and the statements that create that schema.
pub struct Kind {
    pub application_id: i32,
    pub version: i64,
    pub schema: &'static str,
    /// `migrations[k]` brings a database of version `k + 1` to `k + 2`; applied in order on open.
    pub migrations: &'static [&'static str],
}

/// How long a writer waits for another writer before the database counts as locked.
pub const BUSY_WAIT: Duration = Duration::from_secs(3);

/// Opens (creating if absent) a database of `kind` in WAL mode, checking it is ours.
pub fn open(path: &Path, kind: &Kind) -> Result<Connection, StoreError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && let Err(e) = std::fs::create_dir_all(dir)
    {
        return Err(StoreError::Io {
            path: path.to_owned(),
            detail: format!("cannot create the folder {}: {e}", dir.display()),
        });
    }
    let err = |e| StoreError::classify(path, e);
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(err)?;
    conn.busy_timeout(BUSY_WAIT).map_err(err)?;
    // Reading the header is the first thing that fails on a file that is not a database.
    let app: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(err)?;
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(err)?;
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
        .map_err(err)?;
    if app != kind.application_id {
        if app != 0 || tables > 0 {
            return Err(StoreError::Foreign {
                path: path.to_owned(),
                detail: format!("application id {app:#x}, {tables} schema entries"),
            });
        }
    } else if version > kind.version {
        return Err(StoreError::Newer {
            path: path.to_owned(),
            found: version,
            known: kind.version,
        });
    }
    // WAL: readers never block the writer, and a killed process loses no committed
    // transaction. NORMAL sync is durable against a crashed process (not a power cut).
    let mode: String = conn
        .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
        .map_err(err)?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Io {
            path: path.to_owned(),
            detail: format!("the file system does not allow WAL mode (got {mode})"),
        });
    }
    conn.execute_batch("PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;")
        .map_err(err)?;
    if app == 0 {
        conn.execute_batch(&format!(
            "BEGIN IMMEDIATE; {} PRAGMA application_id = {}; PRAGMA user_version = {}; COMMIT;",
            kind.schema, kind.application_id, kind.version
        ))
        .map_err(err)?;
    } else if version < kind.version {
        // Older files are brought up to date in one transaction (all or nothing).
        let from = usize::try_from(version.max(1) - 1).unwrap_or(0);
        let steps = kind.migrations.get(from..).unwrap_or(&[]).concat();
        conn.execute_batch(&format!(
            "BEGIN IMMEDIATE; {steps} PRAGMA user_version = {}; COMMIT;",
            kind.version
        ))
        .map_err(err)?;
    }
    Ok(conn)
}

/// Seconds since 1970 now.
pub fn now_unix() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

/// `2026-11-23 14:05` (UTC) for a unix time; no time-zone database needed.
pub fn format_utc(t: i64) -> String {
    let (date, secs) = civil_utc(t);
    format!("{date} {:02}:{:02}", secs / 3600, (secs % 3600) / 60)
}

/// `2026-11-23T14:05:07Z`: ISO 8601 in UTC, to the second, as spreadsheets and learning
/// systems read it.
pub fn iso_utc(t: i64) -> String {
    let (date, secs) = civil_utc(t);
    format!(
        "{date}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        (secs % 3600) / 60,
        secs % 60
    )
}

/// The date (`2026-11-23`) and the seconds into that day of a unix time.
fn civil_utc(t: i64) -> (String, i64) {
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    // Howard Hinnant's civil-from-days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (format!("{y:04}-{m:02}-{d:02}"), secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_civil_utc() {
        assert_eq!(format_utc(0), "1970-01-01 00:00");
        assert_eq!(format_utc(951_782_400), "2000-02-29 00:00");
        assert_eq!(format_utc(1_795_443_900), "2026-11-23 14:25");
        assert_eq!(iso_utc(1_795_443_907), "2026-11-23T14:25:07Z");
        assert_eq!(iso_utc(-1), "1969-12-31T23:59:59Z");
    }
}
