//! Streaming readers for CSV, JSON Lines and workbook input: one record at a time, whatever
//! the size of the file. An unreadable record becomes an [`InvalidRow`] and reading goes on.
//!
//! A text record's line is the line its first byte is on (1-based). CSV lines may end with
//! `\n`, `\r\n` or a lone `\r` (each is one line break, inside quoted cells too); JSON
//! Lines end with `\n` (a `\r` before it is ignored). Text that is not UTF-8 is decoded to
//! UTF-8 as it is read, so lines stay exact; a byte order mark is dropped. A workbook
//! record's line is its row in the sheet (1-based, as the spreadsheet shows it).

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use crate::api::BulkKind;
use crate::error::SyncError;
use crate::input::cell::CellText;
use crate::input::csv::{LineIndex, Source, csv_fatal, header_names, next_csv};
use crate::input::decode::Decoded;
use crate::input::detect::detect;
use crate::input::encoding::TextEncoding;
use crate::input::format::InputFormat;
use crate::input::header::{Header, check_headers};
use crate::input::jsonl::next_jsonl;
use crate::input::options::{InputSettings, ReadOptions};
use crate::input::record::{InvalidRow, Record};
use crate::input::sheet::{SheetReader, SheetRow};

/// Reads records from an input file one at a time.
pub struct RecordReader {
    path: PathBuf,
    settings: InputSettings,
    inner: Inner,
}

enum Inner {
    Csv {
        reader: csv::Reader<LineIndex<Source>>,
        columns: Vec<Option<String>>,
        decoded: Option<TextEncoding>,
        record: csv::ByteRecord,
    },
    Jsonl {
        reader: BufReader<Source>,
        line: u64,
        buf: Vec<u8>,
        decoded: Option<TextEncoding>,
    },
    Sheet {
        rows: SheetReader,
        columns: Vec<Option<String>>,
    },
}

impl std::fmt::Debug for RecordReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecordReader")
            .field("path", &self.path)
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

impl RecordReader {
    /// Opens `path` for a job of `kind` (a [`JobKind`](crate::JobKind) or a
    /// [`BulkKind`]) with the default [`ReadOptions`].
    pub fn open(
        path: &Path,
        format: InputFormat,
        kind: impl Into<BulkKind>,
    ) -> Result<Self, SyncError> {
        Self::open_with(path, format, kind, &ReadOptions::default())
    }

    /// Opens `path` for a job of `kind`, read as `options` say. The encoding of a CSV file
    /// is detected unless named (see [`SyncError::InputEncoding`]); a header (CSV, workbook)
    /// is checked here: a repeated column, a missing required one, a column that looks like
    /// a misspelt one (or, with `strict`, any unknown one) refuses the file before anything
    /// is sent; other unknown columns are ignored ([`RecordReader::settings`] names them).
    pub fn open_with(
        path: &Path,
        format: InputFormat,
        kind: impl Into<BulkKind>,
        options: &ReadOptions,
    ) -> Result<Self, SyncError> {
        let kind = kind.into();
        if format.is_workbook() && options.encoding.is_some() {
            return Err(SyncError::Options {
                option: "encoding",
                rule: format!("applies to CSV and JSON Lines, not to a {format} workbook"),
            });
        }
        if !format.is_workbook() && options.sheet.is_some() {
            return Err(SyncError::Options {
                option: "sheet",
                rule: format!("applies to workbooks (.xlsx, .xls, .ods), not to {format} input"),
            });
        }
        let mut settings = InputSettings {
            normalize: options.normalize,
            strict: options.strict,
            ..InputSettings::default()
        };
        let inner = if format.is_workbook() {
            let mut rows = SheetReader::open(path, format, options.sheet.as_deref())?;
            settings.sheet = Some(rows.sheet().to_owned());
            let header = sheet_header(path, &mut rows, &kind, options.strict)?;
            settings.ignored = header.ignored;
            Inner::Sheet {
                rows,
                columns: header.columns,
            }
        } else {
            let (encoding, detected) = match (options.encoding, format) {
                (Some(encoding), _) => (encoding, false),
                (None, InputFormat::Csv) => (detect(path)?, true),
                (None, _) => (jsonl_encoding(path)?, true),
            };
            settings.encoding = Some(encoding);
            settings.detected = detected;
            let file = File::open(path).map_err(|source| SyncError::Input {
                path: path.to_owned(),
                source,
            })?;
            let (source, decoded): (Source, _) = match encoding {
                TextEncoding::Utf8 => (Box::new(file), None),
                other => (Box::new(Decoded::new(file, other)), Some(other)),
            };
            if format == InputFormat::Jsonl {
                Inner::Jsonl {
                    reader: BufReader::with_capacity(64 * 1024, source),
                    line: 0,
                    buf: Vec::new(),
                    decoded,
                }
            } else {
                let mut reader = csv::ReaderBuilder::new()
                    .flexible(true)
                    .has_headers(true)
                    .buffer_capacity(64 * 1024)
                    .from_reader(LineIndex::new(source));
                let raw = reader.byte_headers().map_err(|e| csv_fatal(path, e))?;
                let names = header_names(path, raw, decoded)?;
                let header = check_headers(path, &names, &kind, options.strict)?;
                settings.ignored = header.ignored;
                Inner::Csv {
                    reader,
                    columns: header.columns,
                    decoded,
                    record: csv::ByteRecord::new(),
                }
            }
        };
        Ok(RecordReader {
            path: path.to_owned(),
            settings,
            inner,
        })
    }

    /// How the file is read: the encoding used (and whether it was detected), the sheet,
    /// the columns ignored.
    pub fn settings(&self) -> &InputSettings {
        &self.settings
    }

    /// The next record, `Ok(None)` at the end. `Ok(Some(Err(..)))` is a record that cannot
    /// be read (reported with its line); `Err` is an I/O failure of the file itself.
    pub fn next_record(&mut self) -> Result<Option<Result<Record, InvalidRow>>, SyncError> {
        match &mut self.inner {
            Inner::Csv {
                reader,
                columns,
                decoded,
                record,
            } => next_csv(&self.path, reader, columns, *decoded, record),
            Inner::Jsonl {
                reader,
                line,
                buf,
                decoded,
            } => next_jsonl(&self.path, reader, line, buf, *decoded),
            Inner::Sheet { rows, columns } => Ok(rows
                .next_row(&self.path)?
                .map(|row| sheet_record(row, columns))),
        }
    }
}

/// JSON Lines are UTF-8 (JSON's own rule), unless a UTF-16 byte order mark says otherwise.
fn jsonl_encoding(path: &Path) -> Result<TextEncoding, SyncError> {
    use std::io::Read;
    let mut head = [0_u8; 3];
    let mut file = File::open(path).map_err(|source| SyncError::Input {
        path: path.to_owned(),
        source,
    })?;
    let n = file.read(&mut head).map_err(|source| SyncError::Input {
        path: path.to_owned(),
        source,
    })?;
    Ok(TextEncoding::from_bom(&head[..n]).map_or(TextEncoding::Utf8, |(e, _)| e))
}

/// The first row of the sheet with a value in it, checked as the header.
fn sheet_header(
    path: &Path,
    rows: &mut SheetReader,
    kind: &BulkKind,
    strict: bool,
) -> Result<Header, SyncError> {
    let Some((row, cells)) = rows.next_row(path)? else {
        return Err(SyncError::InputShape {
            path: path.to_owned(),
            reason: format!("sheet {} is empty: a header row is required", rows.sheet()),
        });
    };
    let width = cells
        .iter()
        .map(|(c, _)| *c as usize + 1)
        .max()
        .unwrap_or(0);
    let mut names = vec![String::new(); width];
    for (column, text) in cells {
        let slot = &mut names[column as usize];
        match text {
            CellText::Text(text) => *slot = text,
            CellText::Empty => {}
            CellText::Error(e) => {
                return Err(SyncError::InputShape {
                    path: path.to_owned(),
                    reason: format!(
                        "sheet {} row {}: header column {} holds the spreadsheet error {e}",
                        rows.sheet(),
                        row + 1,
                        column + 1
                    ),
                });
            }
        }
    }
    check_headers(path, &names, kind, strict)
}

/// A sheet row as a record: its cells under the header's members (ignored and unnamed
/// columns left out), trimmed, blanks left out; a cell holding a spreadsheet error makes
/// the row invalid, naming the column.
fn sheet_record((row, cells): SheetRow, columns: &[Option<String>]) -> Result<Record, InvalidRow> {
    let line = u64::from(row) + 1;
    let mut record = Record {
        line,
        ..Record::default()
    };
    let mut error = None;
    for (column, text) in cells {
        let Some(Some(name)) = columns.get(column as usize) else {
            continue;
        };
        match text {
            CellText::Text(text) => {
                let text = text.trim();
                if !text.is_empty() {
                    record.fields.insert(name.clone(), text.to_owned());
                }
            }
            CellText::Error(e) => {
                error.get_or_insert((name.clone(), format!("holds the spreadsheet error {e}")));
            }
            CellText::Empty => {}
        }
    }
    match error {
        Some((field, rule)) => Err(record.invalid(field, rule)),
        None => Ok(record),
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
        let options = ReadOptions::default().encoding(TextEncoding::Utf8);
        let mut reader = RecordReader::open_with(file.path(), format, kind, &options).unwrap();
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
    fn options_for_another_format_are_refused() {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(b"mobile\n13100000001\n").unwrap();
        let sheet = ReadOptions::default().sheet("Sheet1");
        let err =
            RecordReader::open_with(file.path(), InputFormat::Csv, JobKind::Blacklist, &sheet)
                .unwrap_err();
        assert!(err.to_string().contains("`sheet`"), "{err}");
        let encoding = ReadOptions::default().encoding(TextEncoding::Gb18030);
        let err = RecordReader::open_with(
            file.path(),
            InputFormat::Xlsx,
            JobKind::Blacklist,
            &encoding,
        )
        .unwrap_err();
        assert!(err.to_string().contains("`encoding`"), "{err}");
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
