//! Streaming readers for CSV and JSON Lines input: one record at a time, whatever the size
//! of the file. An unreadable record becomes an [`InvalidRow`] and reading goes on.
//!
//! A record's line is the line its first byte is on (1-based). CSV lines may end with
//! `\n`, `\r\n` or a lone `\r` (each is one line break, inside quoted cells too); JSON
//! Lines end with `\n` (a `\r` before it is ignored). A UTF-8 BOM at the start of either is
//! ignored.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use crate::api::BulkKind;
use crate::error::SyncError;
use crate::input::csv::{LineIndex, csv_fatal, next_csv};
use crate::input::format::InputFormat;
use crate::input::header::check_headers;
use crate::input::jsonl::next_jsonl;
use crate::input::record::{InvalidRow, Record};

/// Reads records from an input file one at a time.
pub struct RecordReader {
    path: PathBuf,
    inner: Inner,
}

enum Inner {
    Csv {
        reader: csv::Reader<LineIndex<File>>,
        headers: Vec<String>,
        record: csv::ByteRecord,
    },
    Jsonl {
        reader: BufReader<File>,
        line: u64,
        buf: Vec<u8>,
    },
}

impl std::fmt::Debug for RecordReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecordReader")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl RecordReader {
    /// Opens `path` for a job of `kind` (a [`JobKind`](crate::JobKind) or a
    /// [`BulkKind`]). A CSV header is checked here: an unknown or repeated column (with the
    /// nearest column when it looks like a typo), or a missing required one, refuses the
    /// file before anything is sent.
    pub fn open(
        path: &Path,
        format: InputFormat,
        kind: impl Into<BulkKind>,
    ) -> Result<Self, SyncError> {
        let kind = kind.into();
        let input_error = |source| SyncError::Input {
            path: path.to_owned(),
            source,
        };
        let file = File::open(path).map_err(input_error)?;
        let inner = match format {
            InputFormat::Jsonl => Inner::Jsonl {
                reader: BufReader::with_capacity(64 * 1024, file),
                line: 0,
                buf: Vec::new(),
            },
            InputFormat::Csv => {
                let mut reader = csv::ReaderBuilder::new()
                    .flexible(true)
                    .has_headers(true)
                    .buffer_capacity(64 * 1024)
                    .from_reader(LineIndex::new(file));
                let raw = reader.byte_headers().map_err(|e| csv_fatal(path, e))?;
                let headers = check_headers(path, raw, &kind)?;
                Inner::Csv {
                    reader,
                    headers,
                    record: csv::ByteRecord::new(),
                }
            }
        };
        Ok(RecordReader {
            path: path.to_owned(),
            inner,
        })
    }

    /// The next record, `Ok(None)` at the end. `Ok(Some(Err(..)))` is a record that cannot
    /// be read (reported with its line); `Err` is an I/O failure of the file itself.
    pub fn next_record(&mut self) -> Result<Option<Result<Record, InvalidRow>>, SyncError> {
        match &mut self.inner {
            Inner::Csv {
                reader,
                headers,
                record,
            } => next_csv(&self.path, reader, headers, record),
            Inner::Jsonl { reader, line, buf } => next_jsonl(&self.path, reader, line, buf),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::api::JobKind;
    use std::io::Write;

    fn read_all(
        text: &[u8],
        format: InputFormat,
        kind: JobKind,
    ) -> Vec<Result<Record, InvalidRow>> {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(text).unwrap();
        let mut reader = RecordReader::open(file.path(), format, kind).unwrap();
        let mut out = Vec::new();
        while let Some(r) = reader.next_record().unwrap() {
            out.push(r);
        }
        out
    }

    #[test]
    fn csv_lines_quoted_reasons_and_bad_rows() {
        let text = b"mobile,reason\n13100000001,\"1,2\"\n13100000002,1,2\n\n13100000003\n\xff\xfe,1\n13100000004,\"1,\n2\"\n\r\n13100000005,3";
        let rows = read_all(text, InputFormat::Csv, JobKind::Blacklist);
        assert_eq!(rows.len(), 6);
        assert_eq!(rows[4].as_ref().unwrap().line, 7);
        assert_eq!(rows[5].as_ref().unwrap().line, 10);
        let first = rows[0].as_ref().unwrap();
        assert_eq!(first.line, 2);
        assert_eq!(first.get("reason"), Some("1,2"));
        let bad = rows[1].as_ref().unwrap_err();
        assert_eq!(bad.line, 3);
        assert!(bad.rule.contains("quote"), "{}", bad.rule);
        let short = rows[2].as_ref().unwrap();
        assert_eq!((short.line, short.get("reason")), (5, None));
        let utf = rows[3].as_ref().unwrap_err();
        assert_eq!((utf.line, utf.field.as_str()), (6, "mobile"));
    }

    #[test]
    fn csv_header_is_checked() {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(b"mobil,reason\n1,2\n").unwrap();
        let err =
            RecordReader::open(file.path(), InputFormat::Csv, JobKind::Blacklist).unwrap_err();
        assert!(err.to_string().contains("unknown column `mobil`"), "{err}");
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(b"reason\n1\n").unwrap();
        let err =
            RecordReader::open(file.path(), InputFormat::Csv, JobKind::Blacklist).unwrap_err();
        assert!(err.to_string().contains("no `mobile` column"), "{err}");
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(b"\xef\xbb\xbfmobile\n13100000001\n")
            .unwrap();
        assert!(RecordReader::open(file.path(), InputFormat::Csv, JobKind::Blacklist).is_ok());
    }

    #[test]
    fn jsonl_values_are_normalized() {
        let text = b"{\"mobile\":\"13100000001\",\"reason\":[1,2]}\n\n[1]\nnot json\n{\"customer_type\":0,\"ext\":{\"a\":1},\"x\":null}";
        let rows = read_all(text, InputFormat::Jsonl, JobKind::Blacklist);
        assert_eq!(rows.len(), 4);
        assert_eq!(rows[0].as_ref().unwrap().get("reason"), Some("1,2"));
        assert_eq!(rows[1].as_ref().unwrap_err().line, 3);
        assert_eq!(rows[2].as_ref().unwrap_err().line, 4);
        let last = rows[3].as_ref().unwrap();
        assert_eq!(last.line, 5);
        assert_eq!(last.get("customer_type"), Some("0"));
        assert_eq!(last.get("ext"), Some("{\"a\":1}"));
        assert_eq!(last.get("x"), None);
    }
}
