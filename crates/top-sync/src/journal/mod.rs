//! The SQLite journal of a job (WAL, file mode 0600). Every state change is committed
//! before the step that depends on it: a row is `in_flight` (and a batch's membership and
//! request id are written) before its first send.
//!
//! The payload column holds the real values, since a row must be resent as it was; the file
//! is therefore created with mode 0600 (the WAL and shared-memory files inherit it) and an
//! existing journal is tightened to 0600 when opened. Every report column (`label`,
//! `message`) is masked.

mod file;
mod hash;
mod lock;
mod meta;
mod queries;
mod rows;
mod schema;
mod state;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rusqlite::Connection;

use crate::error::SyncError;

pub use hash::sha256_file;
pub(crate) use lock::RunLock;
pub use meta::JobMeta;
pub use queries::{BatchCounts, ErrorGroup, ProblemRow};
pub(crate) use rows::{NewRow, StoredBatch, StoredRow, Target};
pub use state::{Failure, RowState};

/// A job's journal.
pub struct Journal {
    path: PathBuf,
    conn: Mutex<Connection>,
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journal").field("path", &self.path).finish()
    }
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

impl Journal {
    fn connect(path: &Path) -> Result<Self, SyncError> {
        let conn = Connection::open(path).map_err(|e| SyncError::NotAJournal {
            path: path.to_owned(),
            reason: e.to_string(),
        })?;
        conn.busy_timeout(std::time::Duration::from_secs(10))?;
        let mode: String = conn
            .pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))
            .map_err(|e| SyncError::NotAJournal {
                path: path.to_owned(),
                reason: e.to_string(),
            })?;
        if !mode.eq_ignore_ascii_case("wal") {
            tracing::warn!(mode, "the journal could not switch to WAL mode");
        }
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        Ok(Journal {
            path: path.to_owned(),
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite inconsistent: keep going.
        self.conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The journal's file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Folds the WAL back into the main file (end of a run).
    pub(crate) fn checkpoint(&self) -> Result<(), SyncError> {
        self.conn()
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }
}
