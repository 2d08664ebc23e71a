//! JSON Lines input: one object per line (`\n`, a `\r` before it ignored), lines longer
//! than [`MAX_LINE_BYTES`] reported and skipped, values normalised to text (lists
//! comma-joined, objects as JSON text).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;

use crate::error::SyncError;
use crate::input::csv::{Source, undecodable};
use crate::input::encoding::TextEncoding;
use crate::input::record::{InvalidRow, Record};

/// The longest JSON line read; longer ones are reported invalid and skipped.
pub(crate) const MAX_LINE_BYTES: usize = 1 << 20;

/// The UTF-8 byte order mark some editors put at the start of a file.
const BOM: &[u8] = b"\xef\xbb\xbf";

/// The next record; `decoded` is the encoding the text was decoded from (`None`: read as
/// UTF-8 bytes), whose undecodable sequences make the line invalid.
pub(crate) fn next_jsonl(
    path: &Path,
    reader: &mut BufReader<Source>,
    line: &mut u64,
    buf: &mut Vec<u8>,
    decoded: Option<TextEncoding>,
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
        if decoded.is_some() && buf.windows(3).any(|w| w == "\u{fffd}".as_bytes()) {
            return Ok(Some(Err(InvalidRow::unreadable(
                *line,
                undecodable(decoded),
            ))));
        }
        return Ok(Some(parse_json_record(*line, buf)));
    }
}

/// Reads one line into `buf` (without the newline), keeping at most [`MAX_LINE_BYTES`].
/// `None` at the end of the file; `Some(true)` when the line was cut.
fn read_line_capped(
    reader: &mut BufReader<Source>,
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
