//! The journal's file: created private (0600) with its schema and job row in one
//! transaction, reopened (tightened to 0600), and recognised when a run died while creating
//! it.

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, params};

use super::schema::{SCHEMA, SCHEMA_VERSION};
use super::{JobMeta, Journal};
use crate::error::SyncError;

impl Journal {
    /// Creates a new journal for a job (the file must not exist).
    pub(crate) fn create(path: &Path, meta: &JobMeta) -> Result<Self, SyncError> {
        let file_error = |source| SyncError::JournalFile {
            path: path.to_owned(),
            source,
        };
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        options.open(path).map_err(file_error)?;
        let journal = Self::connect(path)?;
        {
            // The schema and the job row in one transaction: a run killed here leaves a
            // database with no tables, which the next run starts over from (`is_unborn`).
            let mut conn = journal.conn();
            let tx = conn.transaction()?;
            tx.execute_batch(SCHEMA)?;
            tx.execute(
                "INSERT INTO job (id, schema_version, job_id, kind, input_path, input_sha256,
                                  input_format, options, created_at, ingest_complete)
                 VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 0)",
                params![
                    SCHEMA_VERSION,
                    meta.job_id,
                    meta.kind.as_str(),
                    meta.input.to_string_lossy(),
                    meta.input_sha256,
                    meta.format.as_str(),
                    meta.options_text(),
                    meta.created_at,
                ],
            )?;
            tx.commit()?;
        }
        Ok(journal)
    }

    /// Whether `path` is a journal whose creation never finished: an empty file, or a
    /// database with no tables (a run killed between creating the file and committing its
    /// job). Such a file holds nothing and can be replaced. A database with tables of its
    /// own is not unborn: it is not ours to replace.
    pub(crate) fn is_unborn(path: &Path) -> Result<bool, SyncError> {
        let metadata = std::fs::metadata(path).map_err(|source| SyncError::JournalFile {
            path: path.to_owned(),
            source,
        })?;
        if !metadata.is_file() {
            return Ok(false);
        }
        if metadata.len() == 0 {
            return Ok(true);
        }
        let Ok(conn) = Connection::open(path) else {
            return Ok(false);
        };
        let tables: rusqlite::Result<i64> =
            conn.query_row("SELECT COUNT(*) FROM sqlite_master", [], |r| r.get(0));
        Ok(matches!(tables, Ok(0)))
    }

    /// Removes an unborn journal (see [`Journal::is_unborn`]) and its WAL files.
    pub(crate) fn remove_unborn(path: &Path) -> Result<(), SyncError> {
        for suffix in ["", "-wal", "-shm"] {
            let mut name = path.as_os_str().to_owned();
            name.push(suffix);
            match std::fs::remove_file(PathBuf::from(name)) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(source) => {
                    return Err(SyncError::JournalFile {
                        path: path.to_owned(),
                        source,
                    });
                }
            }
        }
        Ok(())
    }

    /// Opens an existing journal, tightening its file mode to 0600.
    pub fn open(path: &Path) -> Result<Self, SyncError> {
        let file_error = |source| SyncError::JournalFile {
            path: path.to_owned(),
            source,
        };
        let metadata = std::fs::metadata(path).map_err(file_error)?;
        if !metadata.is_file() {
            return Err(SyncError::NotAJournal {
                path: path.to_owned(),
                reason: "not a regular file".into(),
            });
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            if metadata.permissions().mode() & 0o077 != 0 {
                std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
                    .map_err(file_error)?;
            }
        }
        let journal = Self::connect(path)?;
        journal.meta()?;
        super::schema::migrate(&journal.conn())?;
        Ok(journal)
    }
}
