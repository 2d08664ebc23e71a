//! The rows and batches of a job: inserted as the input is read, claimed before their first
//! send, finished after it, given back for a retry.

use rusqlite::params;

use super::state::{Failure, RowState};
use super::{Journal, now};
use crate::error::SyncError;

/// A row to insert.
#[derive(Debug, Clone)]
pub(crate) struct NewRow {
    pub line: u64,
    pub payload: String,
    pub label: String,
    pub state: RowState,
    pub request_id: Option<String>,
    pub failure: Option<Failure>,
    /// The values the file had, for the columns normalising changed (JSON).
    pub source: Option<String>,
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

impl Journal {
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
                                             sub_code, message, updated_at, source)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
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
                    row.source,
                ])?;
            }
        }
        tx.commit()?;
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

    /// Batches left `in_flight` by an earlier run of a job without an idempotency key: the
    /// call may have been applied, so each such batch is `superseded` and its rows become
    /// `unknown` (a retry with `include_unknown` sends them again, in new batches). Returns
    /// how many rows.
    pub(crate) fn in_flight_batches_to_unknown(&self) -> Result<u64, SyncError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        let n = tx.execute(
            "UPDATE rows SET state = 'unknown', code = 'unknown', sub_code = NULL,
                    message = 'the run stopped while this call was in flight; it may have been applied',
                    updated_at = ?1
             WHERE state = 'in_flight' AND batch_id IN (SELECT id FROM batches WHERE state = 'in_flight')",
            [now()],
        )?;
        tx.execute(
            "UPDATE batches SET state = 'superseded' WHERE state = 'in_flight'",
            [],
        )?;
        tx.commit()?;
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
}

fn stored_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredRow> {
    Ok(StoredRow {
        id: r.get(0)?,
        line: u64::try_from(r.get::<_, i64>(1)?).unwrap_or(0),
        payload: r.get(2)?,
        request_id: r.get(3)?,
    })
}
