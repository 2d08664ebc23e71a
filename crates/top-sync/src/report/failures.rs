//! The failures file: a CSV of the rows that did not end `done`, with
//! `line,state,code,sub_code,message,<id column>` (a workbook's: `sheet,row,state,...`, each
//! row naming its sheet and row). The id column (`mobile` for blacklist, `user_id` for tags,
//! `outer_id` for CRM, the label member of a described job) shows the value as the file had
//! it (before mobiles were normalised), masked unless `unmask` is asked.

use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

use crate::api::{BulkKind, BulkPlan};
use crate::error::SyncError;
use crate::input::{InvalidRow, invalid_failure};
use crate::journal::{Failure, Journal, RowState};

/// Writes failure rows to a CSV file.
pub struct FailuresWriter {
    path: std::path::PathBuf,
    plan: &'static BulkPlan,
    unmask: bool,
    sheet: Option<String>,
    out: csv::Writer<BufWriter<File>>,
    written: u64,
}

impl std::fmt::Debug for FailuresWriter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FailuresWriter")
            .field("path", &self.path)
            .field("written", &self.written)
            .finish_non_exhaustive()
    }
}

impl FailuresWriter {
    /// Creates (or truncates) `path` and writes the header. With `unmask`, the file holds
    /// real identifiers and gets mode 0600 (an existing file too).
    /// The job's kind is a [`JobKind`](crate::JobKind) or a [`BulkKind`].
    pub fn create(path: &Path, kind: impl Into<BulkKind>, unmask: bool) -> Result<Self, SyncError> {
        Self::create_for_sheet(path, kind, unmask, None)
    }

    /// As [`FailuresWriter::create`], for the rows of a workbook's `sheet` when given: the
    /// file starts `sheet,row,` instead of `line,`.
    pub fn create_for_sheet(
        path: &Path,
        kind: impl Into<BulkKind>,
        unmask: bool,
        sheet: Option<String>,
    ) -> Result<Self, SyncError> {
        let kind = kind.into();
        let plan = kind.plan()?;
        let label_column = kind.label_column()?;
        let report_error = |source| SyncError::Report {
            path: path.to_owned(),
            source,
        };
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        if unmask {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let file = options.open(path).map_err(report_error)?;
        // The mode above applies only to a new file: an existing one (say, from a masked
        // run) is made private before the real identifiers go in.
        #[cfg(unix)]
        if unmask {
            use std::os::unix::fs::PermissionsExt;
            file.set_permissions(std::fs::Permissions::from_mode(0o600))
                .map_err(report_error)?;
        }
        let mut out = csv::Writer::from_writer(BufWriter::new(file));
        let head: &[&str] = if sheet.is_some() {
            &["sheet", "row"]
        } else {
            &["line"]
        };
        let rest = ["state", "code", "sub_code", "message", label_column];
        out.write_record(head.iter().chain(rest.iter()))
            .map_err(|e| report_error(e.into()))?;
        Ok(FailuresWriter {
            path: path.to_owned(),
            plan,
            unmask,
            sheet,
            out,
            written: 0,
        })
    }

    fn write(
        &mut self,
        line: u64,
        state: RowState,
        failure: &Failure,
        id: &str,
    ) -> Result<(), SyncError> {
        let line = line.to_string();
        let head: &[&str] = match &self.sheet {
            Some(sheet) => &[sheet.as_str(), line.as_str()],
            None => &[line.as_str()],
        };
        let rest = [
            state.as_str(),
            failure.code.as_str(),
            failure.sub_code.as_deref().unwrap_or(""),
            failure.message.as_str(),
            id,
        ];
        self.out
            .write_record(head.iter().chain(rest.iter()))
            .map_err(|e| SyncError::Report {
                path: self.path.clone(),
                source: e.into(),
            })?;
        self.written += 1;
        Ok(())
    }

    /// Writes an invalid row found by a dry run.
    pub fn invalid(&mut self, row: &InvalidRow) -> Result<(), SyncError> {
        let id = if self.unmask {
            self.plan
                .identity_of(&row.fields)
                .unwrap_or_default()
                .to_owned()
        } else {
            self.plan.label_of(&row.fields)
        };
        self.write(row.line, RowState::Invalid, &invalid_failure(row), &id)
    }

    /// Writes every failed, invalid and unknown row of a journal, in line order.
    pub fn from_journal(&mut self, journal: &Journal) -> Result<(), SyncError> {
        journal.for_each_problem(|row| {
            let id = if self.unmask {
                self.plan
                    .identity_of(&row.fields)
                    .unwrap_or_default()
                    .to_owned()
            } else {
                row.label.clone().unwrap_or_default()
            };
            self.write(row.line, row.state, &row.failure, &id)
        })
    }

    /// Flushes the file; returns how many rows it lists.
    pub fn finish(mut self) -> Result<u64, SyncError> {
        self.out.flush().map_err(|source| SyncError::Report {
            path: self.path.clone(),
            source,
        })?;
        Ok(self.written)
    }
}
