//! Streaming readers for CSV and JSON Lines input: one record at a time, whatever the size
//! of the file. An unreadable record becomes an [`InvalidRow`] and reading goes on.
//!
//! A record's line is the line its first byte is on (1-based). CSV lines may end with
//! `\n`, `\r\n` or a lone `\r` (each is one line break, inside quoted cells too); JSON
//! Lines end with `\n` (a `\r` before it is ignored). A UTF-8 BOM at the start of either is
//! ignored.

use std::collections::{BTreeMap, VecDeque};
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use crate::error::SyncError;
use crate::format::InputFormat;
use crate::kind::JobKind;
use crate::record::{InvalidRow, Record};

/// The longest JSON line read; longer ones are reported invalid and skipped.
const MAX_LINE_BYTES: usize = 1 << 20;

/// The UTF-8 byte order mark some editors put at the start of a file.
const BOM: &[u8] = b"\xef\xbb\xbf";

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
    /// Opens `path` for a job of `kind`. A CSV header is checked here: an unknown or
    /// repeated column, or a missing required one, refuses the file before anything is sent.
    pub fn open(path: &Path, format: InputFormat, kind: JobKind) -> Result<Self, SyncError> {
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
                let headers = check_headers(path, raw, kind)?;
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

/// The input as the CSV parser reads it, noting where the line breaks are, so that the
/// line a record starts on is exact whatever the line endings (`\n`, `\r\n` or a lone
/// `\r`, which the parser all accepts) and however many blank lines come before it.
/// (The parser's own line count knows only `\n`, and counts a `\r\n` only when it reads
/// the next record.) Breaks before the record being read are forgotten, so memory stays
/// bounded by the parser's read-ahead.
struct LineIndex<R> {
    inner: R,
    /// Bytes read so far.
    offset: u64,
    /// Whether the last byte read was `\r` (a `\n` right after it ends the same line).
    after_cr: bool,
    /// The line-break bytes not yet passed: offset, and whether it ends a line (the `\n`
    /// of a `\r\n` does not: its `\r` did).
    breaks: VecDeque<(u64, bool)>,
    /// Lines ended before the first entry of `breaks`.
    passed: u64,
}

impl<R> LineIndex<R> {
    fn new(inner: R) -> Self {
        LineIndex {
            inner,
            offset: 0,
            after_cr: false,
            breaks: VecDeque::new(),
            passed: 0,
        }
    }

    /// The line (1-based) a record starts on, given the offset where the parser began
    /// reading it: the first byte from there that is not a line break (the parser skips
    /// blank lines, and may start on the `\n` of the previous record's `\r\n`).
    fn record_line(&mut self, from: u64) -> u64 {
        let mut first = from;
        while let Some(&(at, ends_line)) = self.breaks.front() {
            if at > first {
                break;
            }
            if at == first {
                first += 1;
            }
            self.passed += u64::from(ends_line);
            self.breaks.pop_front();
        }
        self.passed + 1
    }
}

impl<R: Read> Read for LineIndex<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        for (i, &byte) in buf[..n].iter().enumerate() {
            let at = self.offset + i as u64;
            match byte {
                b'\n' => {
                    self.breaks.push_back((at, !self.after_cr));
                    self.after_cr = false;
                }
                b'\r' => {
                    self.breaks.push_back((at, true));
                    self.after_cr = true;
                }
                _ => self.after_cr = false,
            }
        }
        self.offset += n as u64;
        Ok(n)
    }
}

fn csv_fatal(path: &Path, e: csv::Error) -> SyncError {
    match e.into_kind() {
        csv::ErrorKind::Io(source) => SyncError::Input {
            path: path.to_owned(),
            source,
        },
        other => SyncError::InputShape {
            path: path.to_owned(),
            reason: format!("the header row cannot be read ({other:?})"),
        },
    }
}

fn check_headers(
    path: &Path,
    raw: &csv::ByteRecord,
    kind: JobKind,
) -> Result<Vec<String>, SyncError> {
    let shape = |reason: String| SyncError::InputShape {
        path: path.to_owned(),
        reason,
    };
    let mut headers = Vec::with_capacity(raw.len());
    for (i, field) in raw.iter().enumerate() {
        let text = std::str::from_utf8(field)
            .map_err(|_| shape(format!("header column {} is not UTF-8", i + 1)))?;
        let name = text.trim_start_matches('\u{feff}').trim().to_owned();
        if !kind.columns().contains(&name.as_str()) {
            return Err(shape(format!(
                "unknown column `{name}` in the header; a {} file has the columns {}",
                kind,
                kind.columns().join(", ")
            )));
        }
        if headers.contains(&name) {
            return Err(shape(format!(
                "column `{name}` appears twice in the header"
            )));
        }
        headers.push(name);
    }
    if headers.is_empty() {
        return Err(shape("the file is empty: a header row is required".into()));
    }
    if let Some(missing) = kind
        .required_columns()
        .iter()
        .find(|c| !headers.iter().any(|h| h == *c))
    {
        return Err(shape(format!(
            "the header has no `{missing}` column, which every {kind} row needs"
        )));
    }
    Ok(headers)
}

fn next_csv(
    path: &Path,
    reader: &mut csv::Reader<LineIndex<File>>,
    headers: &[String],
    record: &mut csv::ByteRecord,
) -> Result<Option<Result<Record, InvalidRow>>, SyncError> {
    let read = reader.read_byte_record(record);
    let started = record.position().map_or(0, csv::Position::byte);
    match read {
        Ok(false) => Ok(None),
        Ok(true) => {
            let line = reader.get_mut().record_line(started);
            if record.len() > headers.len() {
                return Ok(Some(Err(InvalidRow::unreadable(
                    line,
                    format!(
                        "has {} fields but the header has {}; quote a value that contains commas (\"1,2\")",
                        record.len(),
                        headers.len()
                    ),
                ))));
            }
            let mut fields = BTreeMap::new();
            for (name, value) in headers.iter().zip(record.iter()) {
                let Ok(text) = std::str::from_utf8(value) else {
                    return Ok(Some(Err(InvalidRow {
                        line,
                        field: name.clone(),
                        rule: "is not valid UTF-8".into(),
                        fields,
                    })));
                };
                let text = text.trim();
                if !text.is_empty() {
                    fields.insert(name.clone(), text.to_owned());
                }
            }
            Ok(Some(Ok(Record { line, fields })))
        }
        Err(e) => match e.into_kind() {
            csv::ErrorKind::Io(source) => Err(SyncError::Input {
                path: path.to_owned(),
                source,
            }),
            other => {
                let line = reader.get_mut().record_line(started);
                Ok(Some(Err(InvalidRow::unreadable(
                    line,
                    format!("is not a readable CSV record ({other:?})"),
                ))))
            }
        },
    }
}

fn next_jsonl(
    path: &Path,
    reader: &mut BufReader<File>,
    line: &mut u64,
    buf: &mut Vec<u8>,
) -> Result<Option<Result<Record, InvalidRow>>, SyncError> {
    loop {
        buf.clear();
        let read = read_line_capped(reader, buf).map_err(|source| SyncError::Input {
            path: path.to_owned(),
            source,
        })?;
        let Some(too_long) = read else {
            return Ok(None);
        };
        *line += 1;
        if too_long {
            return Ok(Some(Err(InvalidRow::unreadable(
                *line,
                format!("is longer than {MAX_LINE_BYTES} bytes"),
            ))));
        }
        if *line == 1 && buf.starts_with(BOM) {
            buf.drain(..BOM.len());
        }
        if buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        return Ok(Some(parse_json_record(*line, buf)));
    }
}

/// Reads one line into `buf` (without the newline), keeping at most [`MAX_LINE_BYTES`].
/// `None` at the end of the file; `Some(true)` when the line was cut.
fn read_line_capped(
    reader: &mut BufReader<File>,
    buf: &mut Vec<u8>,
) -> std::io::Result<Option<bool>> {
    let mut any = false;
    let mut too_long = false;
    loop {
        let available = reader.fill_buf()?;
        if available.is_empty() {
            return Ok(any.then_some(too_long));
        }
        any = true;
        let (chunk, done) = match available.iter().position(|&b| b == b'\n') {
            Some(i) => (&available[..i], Some(i + 1)),
            None => (available, None),
        };
        if buf.len() + chunk.len() <= MAX_LINE_BYTES {
            buf.extend_from_slice(chunk);
        } else {
            too_long = true;
        }
        let consumed = done.unwrap_or(available.len());
        reader.consume(consumed);
        if done.is_some() {
            return Ok(Some(too_long));
        }
    }
}

fn parse_json_record(line: u64, bytes: &[u8]) -> Result<Record, InvalidRow> {
    let value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| InvalidRow::unreadable(line, format!("is not valid JSON ({e})")))?;
    let serde_json::Value::Object(map) = value else {
        return Err(InvalidRow::unreadable(line, "must be a JSON object"));
    };
    let mut fields = BTreeMap::new();
    for (name, value) in map {
        let text = match value {
            serde_json::Value::Null => continue,
            serde_json::Value::String(s) => s,
            serde_json::Value::Bool(b) => b.to_string(),
            serde_json::Value::Number(n) => n.to_string(),
            serde_json::Value::Array(items) => {
                let mut parts = Vec::with_capacity(items.len());
                for item in items {
                    match item {
                        serde_json::Value::String(s) => parts.push(s),
                        serde_json::Value::Number(n) => parts.push(n.to_string()),
                        _ => {
                            return Err(InvalidRow {
                                line,
                                field: name,
                                rule: "must be a list of strings or numbers".into(),
                                fields,
                            });
                        }
                    }
                }
                parts.join(",")
            }
            object @ serde_json::Value::Object(_) => object.to_string(),
        };
        let text = text.trim();
        if !text.is_empty() {
            fields.insert(name, text.to_owned());
        }
    }
    Ok(Record { line, fields })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
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
