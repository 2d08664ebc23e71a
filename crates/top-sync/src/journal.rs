//! The SQLite journal of a job (WAL, file mode 0600). Every state change is committed
//! before the step that depends on it: a row is `in_flight` (and a batch's membership and
//! request id are written) before its first send.
//!
//! The payload column holds the real values, since a row must be resent as it was; the file
//! is therefore created with mode 0600 (the WAL and shared-memory files inherit it) and an
//! existing journal is tightened to 0600 when opened. Every report column (`label`,
//! `message`) is masked.

use std::collections::BTreeMap;
use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::SyncError;
use crate::format::InputFormat;
use crate::kind::JobKind;
use crate::schema::{SCHEMA, SCHEMA_VERSION};
use crate::state::{Failure, RowState};
use crate::summary::Summary;
use crate::target::{BlacklistTarget, Operate};

/// What the journal knows about its job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobMeta {
    /// A random id; request ids derive from it.
    pub job_id: String,
    /// What the job sends.
    pub kind: JobKind,
    /// The input file, as given when the job was created.
    pub input: PathBuf,
    /// SHA-256 of the input file, hex.
    pub input_sha256: String,
    /// How the input is read.
    pub format: InputFormat,
    /// Supplier and operation (blacklist jobs).
    pub target: Option<BlacklistTarget>,
    /// When the job was created (RFC 3339).
    pub created_at: String,
    /// Whether the whole input has been read into the journal.
    pub ingest_complete: bool,
}

/// A row to insert.
#[derive(Debug, Clone)]
pub(crate) struct NewRow {
    pub line: u64,
    pub payload: String,
    pub label: String,
    pub state: RowState,
    pub request_id: Option<String>,
    pub failure: Option<Failure>,
}

/// A row read back to be sent.
#[derive(Debug, Clone)]
pub(crate) struct StoredRow {
    pub id: i64,
    pub line: u64,
    pub payload: String,
    pub request_id: Option<String>,
}

/// A batch read back to be resent.
#[derive(Debug, Clone)]
pub(crate) struct StoredBatch {
    pub id: i64,
    pub request_id: String,
    pub request_time_ms: i64,
    pub rows: Vec<StoredRow>,
}

/// What a state change applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    /// One row.
    Row(i64),
    /// A batch and every row in it.
    Batch(i64),
}

/// A failed, invalid or unknown row, for reports.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ProblemRow {
    /// Line in the input file.
    pub line: u64,
    /// `failed`, `invalid` or `unknown`.
    pub state: RowState,
    /// Calls made for it.
    pub attempts: u32,
    /// Its request id, if any.
    pub request_id: Option<String>,
    /// Last error.
    pub failure: Failure,
    /// The identifying value, masked.
    pub label: Option<String>,
    /// The row's fields with real values (for `--unmask` reports only).
    #[serde(skip)]
    pub fields: BTreeMap<String, String>,
}

/// Errors grouped by code, for `status`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ErrorGroup {
    /// Row state.
    pub state: RowState,
    /// Code.
    pub code: String,
    /// Sub-code.
    pub sub_code: Option<String>,
    /// Rows with it.
    pub rows: u64,
    /// One of the messages.
    pub example: String,
}

/// Batch counts by state (blacklist jobs).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct BatchCounts {
    /// Batches created.
    pub total: u64,
    /// Accepted.
    pub done: u64,
    /// Refused.
    pub failed: u64,
    /// Created and not finished: resent with the same request id on resume.
    pub in_flight: u64,
    /// Sends made, resends included.
    pub attempts: u64,
}

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
            let options = serde_json::json!({
                "supplier_id": meta.target.as_ref().map(|t| t.supplier_id.clone()),
                "operate": meta.target.as_ref().map(|t| t.operate.as_str()),
            });
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
                    options.to_string(),
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
        Ok(journal)
    }

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

    /// The job the journal belongs to.
    pub fn meta(&self) -> Result<JobMeta, SyncError> {
        let not_journal = |reason: String| SyncError::NotAJournal {
            path: self.path.clone(),
            reason,
        };
        let conn = self.conn();
        let row = conn
            .query_row(
                "SELECT schema_version, job_id, kind, input_path, input_sha256, input_format,
                        options, created_at, ingest_complete FROM job WHERE id = 1",
                [],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, String>(6)?,
                        r.get::<_, String>(7)?,
                        r.get::<_, bool>(8)?,
                    ))
                },
            )
            .optional()
            .map_err(|e| not_journal(format!("it has no job table ({e})")))?
            .ok_or_else(|| not_journal("it holds no job".into()))?;
        let (version, job_id, kind, input, sha, format, options, created_at, complete) = row;
        if version != SCHEMA_VERSION {
            return Err(not_journal(format!(
                "schema version {version}, this build reads {SCHEMA_VERSION}"
            )));
        }
        let kind: JobKind = kind.parse().map_err(|e| not_journal(format!("{e}")))?;
        let format: InputFormat = format.parse().map_err(|e| not_journal(format!("{e}")))?;
        let options: serde_json::Value = serde_json::from_str(&options)
            .map_err(|e| not_journal(format!("bad options ({e})")))?;
        let target = match (
            options.get("supplier_id").and_then(|v| v.as_str()),
            options.get("operate").and_then(|v| v.as_str()),
        ) {
            (Some(supplier), Some(operate)) => Some(BlacklistTarget::new(
                supplier,
                operate
                    .parse::<Operate>()
                    .map_err(|e| not_journal(format!("{e}")))?,
            )),
            _ => None,
        };
        Ok(JobMeta {
            job_id,
            kind,
            input: PathBuf::from(input),
            input_sha256: sha,
            format,
            target,
            created_at,
            ingest_complete: complete,
        })
    }

    /// The highest line already in the journal (0 when empty).
    pub(crate) fn max_line(&self) -> Result<u64, SyncError> {
        let max: Option<i64> = self
            .conn()
            .query_row("SELECT MAX(line) FROM rows", [], |r| r.get(0))?;
        Ok(max.map_or(0, |m| u64::try_from(m).unwrap_or(0)))
    }

    /// Inserts rows in one transaction (lines already present are skipped).
    pub(crate) fn insert_rows(&self, rows: &[NewRow]) -> Result<(), SyncError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        {
            let mut stmt = tx.prepare_cached(
                "INSERT OR IGNORE INTO rows (line, payload, label, state, request_id, code,
                                             sub_code, message, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            )?;
            let at = now();
            for row in rows {
                let failure = row.failure.as_ref();
                stmt.execute(params![
                    i64::try_from(row.line).unwrap_or(i64::MAX),
                    row.payload,
                    row.label,
                    row.state.as_str(),
                    row.request_id,
                    failure.map(|f| f.code.as_str()),
                    failure.and_then(|f| f.sub_code.as_deref()),
                    failure.map(|f| f.message.as_str()),
                    at,
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Records that the whole input has been read.
    pub(crate) fn set_ingest_complete(&self) -> Result<(), SyncError> {
        self.conn()
            .execute("UPDATE job SET ingest_complete = 1 WHERE id = 1", [])?;
        Ok(())
    }

    /// Pending rows with an id above `after`, in id (= line) order.
    pub(crate) fn pending_page(
        &self,
        after: i64,
        limit: usize,
    ) -> Result<Vec<StoredRow>, SyncError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT id, line, payload, request_id FROM rows
             WHERE state = 'pending' AND id > ?1 ORDER BY id LIMIT ?2",
        )?;
        let rows = stmt
            .query_map(
                params![after, i64::try_from(limit).unwrap_or(i64::MAX)],
                stored_row,
            )?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Rows left `in_flight` by an earlier run, outside any batch.
    pub(crate) fn in_flight_rows(&self) -> Result<Vec<StoredRow>, SyncError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT id, line, payload, request_id FROM rows
             WHERE state = 'in_flight' AND batch_id IS NULL ORDER BY id",
        )?;
        let rows = stmt
            .query_map([], stored_row)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Batches left `in_flight` by an earlier run, with their rows, to resend as they were.
    pub(crate) fn in_flight_batches(&self) -> Result<Vec<StoredBatch>, SyncError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT id, request_id, request_time_ms FROM batches WHERE state = 'in_flight' ORDER BY id",
        )?;
        let heads = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut rows_stmt = conn.prepare(
            "SELECT id, line, payload, request_id FROM rows WHERE batch_id = ?1 ORDER BY id",
        )?;
        let mut batches = Vec::with_capacity(heads.len());
        for (id, request_id, request_time_ms) in heads {
            let rows = rows_stmt
                .query_map([id], stored_row)?
                .collect::<Result<Vec<_>, _>>()?;
            batches.push(StoredBatch {
                id,
                request_id,
                request_time_ms,
                rows,
            });
        }
        Ok(batches)
    }

    /// Rows left `in_flight` outside a batch become `unknown` (non-idempotent jobs: the call
    /// may have been applied). Returns how many.
    pub(crate) fn in_flight_to_unknown(&self) -> Result<u64, SyncError> {
        let n = self.conn().execute(
            "UPDATE rows SET state = 'unknown', code = 'unknown', sub_code = NULL,
                    message = 'the run stopped while this call was in flight; it may have been applied',
                    updated_at = ?1
             WHERE state = 'in_flight' AND batch_id IS NULL",
            [now()],
        )?;
        Ok(n as u64)
    }

    /// Marks a row `in_flight` (committed before its first send).
    pub(crate) fn claim_row(&self, id: i64) -> Result<(), SyncError> {
        self.conn().execute(
            "UPDATE rows SET state = 'in_flight', updated_at = ?2 WHERE id = ?1",
            params![id, now()],
        )?;
        Ok(())
    }

    /// Creates a batch of rows: its request id (`<job_id>-b<batch id>`), request time and
    /// membership are committed together, before the first send.
    pub(crate) fn create_batch(
        &self,
        job_id: &str,
        request_time_ms: i64,
        row_ids: &[i64],
    ) -> Result<(i64, String), SyncError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let id: i64 = tx.query_row("SELECT COALESCE(MAX(id), 0) + 1 FROM batches", [], |r| {
            r.get(0)
        })?;
        let request_id = format!("{job_id}-b{id}");
        let at = now();
        tx.execute(
            "INSERT INTO batches (id, request_id, request_time_ms, state, size, updated_at)
             VALUES (?1, ?2, ?3, 'in_flight', ?4, ?5)",
            params![id, request_id, request_time_ms, row_ids.len() as i64, at],
        )?;
        {
            let mut stmt = tx.prepare_cached(
                "UPDATE rows SET state = 'in_flight', batch_id = ?2, request_id = ?3, updated_at = ?4
                 WHERE id = ?1",
            )?;
            for row in row_ids {
                stmt.execute(params![row, id, request_id, at])?;
            }
        }
        tx.commit()?;
        Ok((id, request_id))
    }

    /// Counts one send that failed and will be retried.
    pub(crate) fn note_attempt(&self, target: Target, failure: &Failure) -> Result<(), SyncError> {
        self.update(target, None, Some(failure))
    }

    /// Ends a row or batch in `state` after a send.
    pub(crate) fn finish(
        &self,
        target: Target,
        state: RowState,
        failure: Option<&Failure>,
    ) -> Result<(), SyncError> {
        self.update(target, Some(state), failure)
    }

    fn update(
        &self,
        target: Target,
        state: Option<RowState>,
        failure: Option<&Failure>,
    ) -> Result<(), SyncError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let at = now();
        let state = state.map(RowState::as_str);
        let code = failure.map(|f| f.code.as_str());
        let sub_code = failure.and_then(|f| f.sub_code.as_deref());
        let message = failure.map(|f| f.message.as_str());
        match target {
            Target::Row(id) => {
                tx.execute(
                    "UPDATE rows SET state = COALESCE(?2, state), attempts = attempts + 1,
                            code = ?3, sub_code = ?4, message = ?5, updated_at = ?6
                     WHERE id = ?1",
                    params![id, state, code, sub_code, message, at],
                )?;
            }
            Target::Batch(id) => {
                let batch_state = match state {
                    Some("done") => Some("done"),
                    Some("failed") => Some("failed"),
                    _ => None,
                };
                tx.execute(
                    "UPDATE batches SET state = COALESCE(?2, state), attempts = attempts + 1,
                            code = ?3, sub_code = ?4, message = ?5, updated_at = ?6
                     WHERE id = ?1",
                    params![id, batch_state, code, sub_code, message, at],
                )?;
                tx.execute(
                    "UPDATE rows SET state = COALESCE(?2, state), attempts = attempts + 1,
                            code = ?3, sub_code = ?4, message = ?5, updated_at = ?6
                     WHERE batch_id = ?1",
                    params![id, state, code, sub_code, message, at],
                )?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Gives a row back (`pending`) after a send that certainly did not apply, when the run
    /// stops before retrying it.
    pub(crate) fn release_row(&self, id: i64, failure: Option<&Failure>) -> Result<(), SyncError> {
        self.conn().execute(
            "UPDATE rows SET state = 'pending', code = COALESCE(?2, code),
                    sub_code = COALESCE(?3, sub_code), message = COALESCE(?4, message), updated_at = ?5
             WHERE id = ?1",
            params![
                id,
                failure.map(|f| f.code.as_str()),
                failure.and_then(|f| f.sub_code.as_deref()),
                failure.map(|f| f.message.as_str()),
                now()
            ],
        )?;
        Ok(())
    }

    /// Puts `failed` rows (and `unknown` ones when asked) back to `pending` for another
    /// run. A failed blacklist batch is marked `superseded` and its rows leave it, so they
    /// go out in new batches with new request ids. Returns how many rows.
    pub fn reset_for_retry(&self, include_unknown: bool) -> Result<u64, SyncError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let states = if include_unknown {
            "('failed', 'unknown')"
        } else {
            "('failed')"
        };
        tx.execute(
            &format!(
                "UPDATE batches SET state = 'superseded'
                 WHERE state = 'failed' AND id IN (SELECT batch_id FROM rows WHERE state IN {states})"
            ),
            [],
        )?;
        let n = tx.execute(
            &format!(
                "UPDATE rows SET state = 'pending', batch_id = CASE WHEN batch_id IS NULL THEN NULL
                        WHEN (SELECT state FROM batches b WHERE b.id = rows.batch_id) = 'superseded'
                        THEN NULL ELSE batch_id END,
                        request_id = CASE WHEN batch_id IS NULL THEN request_id ELSE NULL END,
                        updated_at = ?1
                 WHERE state IN {states}"
            ),
            [now()],
        )?;
        tx.commit()?;
        Ok(n as u64)
    }

    /// Rows by state.
    pub fn summary(&self) -> Result<Summary, SyncError> {
        let conn = self.conn();
        let mut stmt = conn.prepare("SELECT state, COUNT(*) FROM rows GROUP BY state")?;
        let mut summary = Summary::default();
        let counts = stmt
            .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        for (state, n) in counts {
            let n = u64::try_from(n).unwrap_or(0);
            summary.total += n;
            match state.parse::<RowState>() {
                Ok(RowState::Done) => summary.done = n,
                Ok(RowState::Failed) => summary.failed = n,
                Ok(RowState::Invalid) => summary.invalid = n,
                Ok(RowState::Unknown) => summary.unknown = n,
                Ok(RowState::Pending) => summary.pending = n,
                Ok(RowState::InFlight) => summary.in_flight = n,
                Err(_) => {}
            }
        }
        Ok(summary)
    }

    /// Batches by state.
    pub fn batch_counts(&self) -> Result<BatchCounts, SyncError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT state, COUNT(*), COALESCE(SUM(attempts), 0) FROM batches GROUP BY state",
        )?;
        let mut counts = BatchCounts::default();
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, i64>(2)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        for (state, n, attempts) in rows {
            let n = u64::try_from(n).unwrap_or(0);
            counts.total += n;
            counts.attempts += u64::try_from(attempts).unwrap_or(0);
            match state.as_str() {
                "done" => counts.done = n,
                "failed" => counts.failed = n,
                "in_flight" => counts.in_flight = n,
                _ => {}
            }
        }
        Ok(counts)
    }

    /// The most frequent errors of failed, invalid and unknown rows.
    pub fn error_groups(&self, limit: usize) -> Result<Vec<ErrorGroup>, SyncError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT state, COALESCE(code, ''), sub_code, COUNT(*), MIN(COALESCE(message, ''))
             FROM rows WHERE state IN ('failed', 'invalid', 'unknown')
             GROUP BY state, code, sub_code ORDER BY COUNT(*) DESC LIMIT ?1",
        )?;
        let groups = stmt
            .query_map([i64::try_from(limit).unwrap_or(i64::MAX)], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, String>(4)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(groups
            .into_iter()
            .filter_map(|(state, code, sub_code, n, example)| {
                Some(ErrorGroup {
                    state: state.parse().ok()?,
                    code,
                    sub_code,
                    rows: u64::try_from(n).unwrap_or(0),
                    example,
                })
            })
            .collect())
    }

    /// Visits failed, invalid and unknown rows in line order, one at a time.
    pub fn for_each_problem(
        &self,
        mut visit: impl FnMut(ProblemRow) -> Result<(), SyncError>,
    ) -> Result<(), SyncError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT line, state, attempts, request_id, COALESCE(code, ''), sub_code,
                    COALESCE(message, ''), label, payload
             FROM rows WHERE state IN ('failed', 'invalid', 'unknown') ORDER BY line",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let state: String = r.get(1)?;
            let payload: String = r.get(8)?;
            visit(ProblemRow {
                line: u64::try_from(r.get::<_, i64>(0)?).unwrap_or(0),
                state: state.parse().unwrap_or(RowState::Failed),
                attempts: u32::try_from(r.get::<_, i64>(2)?).unwrap_or(0),
                request_id: r.get(3)?,
                failure: Failure {
                    code: r.get(4)?,
                    sub_code: r.get(5)?,
                    message: r.get(6)?,
                },
                label: r.get(7)?,
                fields: serde_json::from_str(&payload).unwrap_or_default(),
            })?;
        }
        Ok(())
    }

    /// Folds the WAL back into the main file (end of a run).
    pub(crate) fn checkpoint(&self) -> Result<(), SyncError> {
        self.conn()
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
    }
}

fn stored_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredRow> {
    Ok(StoredRow {
        id: r.get(0)?,
        line: u64::try_from(r.get::<_, i64>(1)?).unwrap_or(0),
        payload: r.get(2)?,
        request_id: r.get(3)?,
    })
}
