//! Reading the input into the journal: a stream of records, inserted in chunks of
//! [`CHUNK_ROWS`] per transaction, so memory stays flat whatever the file size. A run
//! killed while reading resumes after the last line committed.

use std::path::Path;

use crate::api::BulkPlan;
use crate::error::SyncError;
use crate::input::options::{InputSettings, ReadOptions};
use crate::input::preview::{InvalidPreview, PreviewRow};
use crate::input::reader::RecordReader;
use crate::input::record::InvalidRow;
use crate::input::rows::{check, new_row, prepare};
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
    let settings = meta.settings();
    let mut reader = RecordReader::open_with(input, meta.format, &meta.kind, &settings.options())?;
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
        let row = new_row(meta, plan, settings.normalize, parsed);
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

/// Rows a dry run previews.
pub(crate) const PREVIEW_ROWS: usize = 5;

/// What a dry run found.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
#[non_exhaustive]
pub struct DryRunReport {
    /// Rows read.
    pub total: u64,
    /// Rows that would be sent.
    pub valid: u64,
    /// Rows that break a rule.
    pub invalid: u64,
    /// Valid rows whose mobile normalising changed.
    pub normalized: u64,
    /// How the file was read: the encoding (detected or named), the sheet, the columns
    /// ignored.
    pub input: InputSettings,
    /// The first valid rows as they would be sent, masked.
    pub preview: Vec<PreviewRow>,
    /// The first invalid rows: where, the column, the rule.
    pub first_invalid: Vec<InvalidPreview>,
}

/// Reads and checks every row without a journal and without sending; `visit` sees each
/// invalid row (with the values the file had, and the sheet of a workbook) as it is found.
pub(crate) fn dry_run(
    meta: &JobMeta,
    plan: &BulkPlan,
    input: &Path,
    options: &ReadOptions,
    progress: &Progress,
    mut visit: impl FnMut(Option<&str>, &InvalidRow) -> Result<(), SyncError>,
) -> Result<DryRunReport, SyncError> {
    let mut reader = RecordReader::open_with(input, meta.format, &meta.kind, options)?;
    let mut report = DryRunReport {
        input: reader.settings().clone(),
        ..DryRunReport::default()
    };
    while let Some(parsed) = reader.next_record()? {
        report.total += 1;
        Progress::add(&progress.read, 1);
        let checked = parsed.and_then(|record| {
            let original = record.fields.clone();
            let prepared = prepare(plan, options.normalize, record);
            match check(meta, plan, &prepared.sent) {
                Ok((entry, _)) => Ok((prepared, entry)),
                Err(invalid) => Err(InvalidRow {
                    fields: original,
                    ..invalid
                }),
            }
        });
        match checked {
            Ok((prepared, entry)) => {
                report.valid += 1;
                if !prepared.source.is_empty() {
                    report.normalized += 1;
                }
                if report.preview.len() < PREVIEW_ROWS {
                    report.preview.push(PreviewRow::new(
                        plan,
                        prepared.sent.line,
                        entry,
                        prepared.source.into_keys().collect(),
                    ));
                }
            }
            Err(invalid) => {
                report.invalid += 1;
                Progress::add(&progress.invalid, 1);
                if report.first_invalid.len() < PREVIEW_ROWS {
                    report.first_invalid.push(InvalidPreview {
                        line: invalid.line,
                        field: invalid.field.clone(),
                        rule: invalid.rule.clone(),
                    });
                }
                visit(report.input.sheet.as_deref(), &invalid)?;
            }
        }
    }
    Ok(report)
}
