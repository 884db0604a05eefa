//! Where results are kept (no Bevy): the local leaderboard and the class server's storage,
//! both SQLite files in WAL mode that are never silently replaced.

pub mod class;
pub mod export;
pub mod local;
pub mod sqlite;

pub use class::{ClassStore, SqliteClassStore};
pub use local::LocalBoard;
pub use sqlite::StoreError;
