//! What the journal reports: rows by state, batches by state, the most frequent errors, and
//! every failed, invalid or unknown row.

use std::collections::BTreeMap;

use super::Journal;
use super::state::{Failure, RowState};
use crate::error::SyncError;
use crate::report::Summary;

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
    /// The row's fields with real values as the file had them (for `--unmask` reports
    /// only).
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

impl Journal {
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

    /// Rows whose mobiles were normalised before sending (their file values differ).
    pub fn normalized_rows(&self) -> Result<u64, SyncError> {
        let n: i64 = self.conn().query_row(
            "SELECT COUNT(*) FROM rows WHERE source IS NOT NULL",
            [],
            |r| r.get(0),
        )?;
        Ok(u64::try_from(n).unwrap_or(0))
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
                    COALESCE(message, ''), label, payload, source
             FROM rows WHERE state IN ('failed', 'invalid', 'unknown') ORDER BY line",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let state: String = r.get(1)?;
            let payload: String = r.get(8)?;
            let source: Option<String> = r.get(9)?;
            let mut fields: BTreeMap<String, String> =
                serde_json::from_str(&payload).unwrap_or_default();
            if let Some(source) = source {
                let written: BTreeMap<String, String> =
                    serde_json::from_str(&source).unwrap_or_default();
                fields.extend(written);
            }
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
                fields,
            })?;
        }
        Ok(())
    }
}
