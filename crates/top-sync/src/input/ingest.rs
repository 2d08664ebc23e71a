//! Reading the input into the journal: a stream of records, inserted in chunks of
//! [`CHUNK_ROWS`] per transaction, so memory stays flat whatever the file size. A run
//! killed while reading resumes after the last line committed.

use std::path::Path;

use crate::api::BulkPlan;
use crate::error::SyncError;
use crate::input::reader::RecordReader;
use crate::input::record::InvalidRow;
use crate::input::rows::{check, new_row};
use crate::journal::{JobMeta, Journal, RowState};
use crate::run::{Progress, StopSignal};

/// Rows inserted per transaction.
pub const CHUNK_ROWS: usize = 5_000;

/// Reads the rest of the input into the journal (nothing when already complete). Stops
/// after the current chunk when `stop` is raised; returns whether the input was read to
/// the end.
pub(crate) fn ingest(
    journal: &Journal,
    meta: &JobMeta,
    plan: &BulkPlan,
    input: &Path,
    progress: &Progress,
    stop: &StopSignal,
) -> Result<bool, SyncError> {
    if meta.ingest_complete {
        return Ok(true);
    }
    let skip_through = journal.max_line()?;
    let mut reader = RecordReader::open(input, meta.format, &meta.kind)?;
    let mut chunk = Vec::with_capacity(CHUNK_ROWS);
    let flush = |chunk: &mut Vec<_>| -> Result<(), SyncError> {
        journal.insert_rows(chunk)?;
        chunk.clear();
        Ok(())
    };
    while let Some(parsed) = reader.next_record()? {
        let line = match &parsed {
            Ok(record) => record.line,
            Err(invalid) => invalid.line,
        };
        if line <= skip_through {
            continue;
        }
        let row = new_row(meta, plan, parsed);
        Progress::add(&progress.read, 1);
        if row.state == RowState::Invalid {
            Progress::add(&progress.invalid, 1);
        }
        chunk.push(row);
        if chunk.len() >= CHUNK_ROWS {
            flush(&mut chunk)?;
            if stop.is_stopped() {
                return Ok(false);
            }
        }
    }
    flush(&mut chunk)?;
    journal.set_ingest_complete()?;
    Ok(true)
}

/// What a dry run found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct DryRunReport {
    /// Rows read.
    pub total: u64,
    /// Rows that would be sent.
    pub valid: u64,
    /// Rows that break a rule.
    pub invalid: u64,
}

/// Reads and checks every row without a journal and without sending; `visit` sees each
/// invalid row as it is found.
pub(crate) fn dry_run(
    meta: &JobMeta,
    plan: &BulkPlan,
    input: &Path,
    progress: &Progress,
    mut visit: impl FnMut(&InvalidRow) -> Result<(), SyncError>,
) -> Result<DryRunReport, SyncError> {
    let mut reader = RecordReader::open(input, meta.format, &meta.kind)?;
    let mut report = DryRunReport::default();
    while let Some(parsed) = reader.next_record()? {
        report.total += 1;
        Progress::add(&progress.read, 1);
        match parsed.and_then(|record| check(meta, plan, &record).map(drop)) {
            Ok(()) => report.valid += 1,
            Err(invalid) => {
                report.invalid += 1;
                Progress::add(&progress.invalid, 1);
                visit(&invalid)?;
            }
        }
    }
    Ok(report)
}
