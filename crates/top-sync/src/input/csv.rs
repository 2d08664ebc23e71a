//! CSV input: records read with the line each starts on, whatever the line endings (`\n`,
//! `\r\n` or a lone `\r`) and however many blank lines come before it; a quoted cell may
//! hold commas and line breaks.

use std::collections::{BTreeMap, VecDeque};
use std::io::Read;
use std::path::Path;

use crate::error::SyncError;
use crate::input::encoding::TextEncoding;
use crate::input::record::{InvalidRow, Record};

/// The bytes a text reader parses: the file itself (UTF-8), or the file decoded to UTF-8.
pub(crate) type Source = Box<dyn Read + Send>;

/// The input as the CSV parser reads it, noting where the line breaks are, so that the
/// line a record starts on is exact whatever the line endings (`\n`, `\r\n` or a lone
/// `\r`, which the parser all accepts) and however many blank lines come before it.
/// (The parser's own line count knows only `\n`, and counts a `\r\n` only when it reads
/// the next record.) Breaks before the record being read are forgotten, so memory stays
/// bounded by the parser's read-ahead.
pub(crate) struct LineIndex<R> {
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
    pub(crate) fn new(inner: R) -> Self {
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

pub(crate) fn csv_fatal(path: &Path, e: csv::Error) -> SyncError {
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

/// The header row's names as text.
///
/// # Errors
/// [`SyncError::InputShape`] naming the column that does not decode.
pub(crate) fn header_names(
    path: &Path,
    raw: &csv::ByteRecord,
    decoded: Option<TextEncoding>,
) -> Result<Vec<String>, SyncError> {
    raw.iter()
        .enumerate()
        .map(|(i, field)| {
            let bad = |what: String| SyncError::InputShape {
                path: path.to_owned(),
                reason: format!("header column {} {what}", i + 1),
            };
            let text = std::str::from_utf8(field).map_err(|_| {
                bad("is not UTF-8 (if the file is in another encoding, name it with --encoding gb18030 or utf-16le)".into())
            })?;
            match decoded {
                Some(encoding) if text.contains('\u{fffd}') => {
                    Err(bad(format!("is not valid {encoding}")))
                }
                _ => Ok(text.to_owned()),
            }
        })
        .collect()
}

/// The rule of a cell whose bytes do not decode.
pub(crate) fn undecodable(decoded: Option<TextEncoding>) -> String {
    match decoded {
        Some(encoding) => format!("is not valid {encoding}"),
        None => "is not valid UTF-8 (if the file is in another encoding, name it with --encoding)"
            .into(),
    }
}

/// The next record. `columns` says which member each column fills (`None`: ignored);
/// `decoded` is the encoding the text was decoded from (`None`: read as UTF-8 bytes).
pub(crate) fn next_csv(
    path: &Path,
    reader: &mut csv::Reader<LineIndex<Source>>,
    columns: &[Option<String>],
    decoded: Option<TextEncoding>,
    record: &mut csv::ByteRecord,
) -> Result<Option<Result<Record, InvalidRow>>, SyncError> {
    let read = reader.read_byte_record(record);
    let started = record.position().map_or(0, csv::Position::byte);
    match read {
        Ok(false) => Ok(None),
        Ok(true) => {
            let line = reader.get_mut().record_line(started);
            if record.len() > columns.len() {
                return Ok(Some(Err(InvalidRow::unreadable(
                    line,
                    format!(
                        "has {} fields but the header has {}; quote a value that contains commas (\"1,2\")",
                        record.len(),
                        columns.len()
                    ),
                ))));
            }
            let mut fields = BTreeMap::new();
            for (name, value) in columns.iter().zip(record.iter()) {
                let Some(name) = name else { continue };
                let text = match std::str::from_utf8(value) {
                    Ok(text) if decoded.is_none() || !text.contains('\u{fffd}') => text,
                    _ => {
                        return Ok(Some(Err(InvalidRow {
                            line,
                            field: name.clone(),
                            rule: undecodable(decoded),
                            fields,
                        })));
                    }
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
