//! The CSV and JSON Lines readers never panic, whatever the input: arbitrary bytes,
//! arbitrary unicode lines, random headers, quoted cells with commas and line breaks, a BOM,
//! CRLF and lone-CR line endings, blank lines, very long lines, invalid UTF-8. Every bad
//! row gets a typed error naming its line, the field and the rule, and the good rows
//! around it are still read; reading into a journal keeps every record.
//!
//! The model-based properties build a file from a list of rows whose outcome is known
//! (a record with these fields, or a bad record naming this field) and compare the reader's
//! output with it record by record, line numbers included.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use common::*;
use proptest::prelude::*;
use top_sync::{
    BlacklistTarget, InputFormat, JobKind, JobSpec, Operate, RecordReader, RowState, SyncError,
    SyncJob,
};

const BOM: &str = "\u{feff}";

// ---------------------------------------------------------------------------------------
// The model
// ---------------------------------------------------------------------------------------

/// What one record of the input must read as.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Expect {
    /// A record with these fields (trimmed, blanks left out).
    Fields(BTreeMap<String, String>),
    /// A record that cannot be read, naming this field (`_record` for the whole record).
    Bad(&'static str),
}

/// An input file and the records it must read as, each with its first line.
#[derive(Debug, Clone, Default)]
struct Built {
    bytes: Vec<u8>,
    expected: Vec<(u64, Expect)>,
}

impl Built {
    fn push(&mut self, bytes: &[u8]) {
        self.bytes.extend_from_slice(bytes);
    }

    /// The line the next byte is on: 1 + the line breaks before it, where `\r\n` is one
    /// break and a lone `\r` or `\n` is one.
    fn next_line(&self) -> u64 {
        1 + line_breaks(&self.bytes)
    }
}

fn line_breaks(bytes: &[u8]) -> u64 {
    let mut n = 0;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'\r' => n += 1,
            b'\n' if i == 0 || bytes[i - 1] != b'\r' => n += 1,
            _ => {}
        }
    }
    n
}

/// Fields as the readers report them: values trimmed, blank ones left out.
fn fields_of<'a>(pairs: impl IntoIterator<Item = (&'a str, String)>) -> BTreeMap<String, String> {
    pairs
        .into_iter()
        .filter_map(|(name, value)| {
            let value = value.trim();
            (!value.is_empty()).then(|| (name.to_owned(), value.to_owned()))
        })
        .collect()
}

/// Reads `built` and compares every record with the model. The model's files hold bytes
/// that are no encoding in some rows: their encoding is named (UTF-8), so those rows are
/// reported one by one (detection would refuse such a file whole).
fn assert_reads_as(built: &Built, format: InputFormat, kind: JobKind) {
    let records = read_all_with(&built.bytes, format, kind, &as_utf8())
        .unwrap_or_else(|e| panic!("the file was refused: {e}"));
    let got: Vec<(u64, Expect)> = records
        .into_iter()
        .map(|r| match r {
            Ok(record) => (record.line, Expect::Fields(record.fields)),
            Err(bad) => {
                assert!(!bad.rule.is_empty(), "a bad row names its rule: {bad:?}");
                let field = known_field(&bad.field);
                (bad.line, Expect::Bad(field))
            }
        })
        .collect();
    assert_eq!(
        got,
        built.expected,
        "input: {:?}",
        String::from_utf8_lossy(&built.bytes)
    );
}

/// The model's `&'static str` for a field a bad row names.
fn known_field(field: &str) -> &'static str {
    match field {
        "_record" => "_record",
        "mobile" => "mobile",
        "reason" => "reason",
        other => panic!("a bad row names an unexpected field `{other}`"),
    }
}

/// What the blacklist rules say of a record that was read: `None` when it would be sent,
/// else the field it breaks (the order the checks run in: unknown field, mobile, reason).
fn blacklist_verdict(fields: &BTreeMap<String, String>) -> Option<String> {
    if let Some(unknown) = fields.keys().find(|k| *k != "mobile" && *k != "reason") {
        return Some(unknown.clone());
    }
    match fields.get("mobile") {
        Some(m) if top_core::is_mainland_mobile(m) => {}
        _ => return Some("mobile".into()),
    }
    match fields.get("reason") {
        Some(r) if !reasons_ok(r) => Some("reason".into()),
        _ => None,
    }
}

/// The blacklist's reason rule: codes 1-5 separated by commas (spaces around them allowed),
/// none empty, none twice.
fn reasons_ok(text: &str) -> bool {
    let mut seen = Vec::new();
    text.split(',').map(str::trim).all(|code| {
        let ok = matches!(code, "1" | "2" | "3" | "4" | "5") && !seen.contains(&code);
        seen.push(code);
        ok
    })
}

/// Reads `built` into a blacklist journal and checks every row: each record is there at
/// its line; an unreadable one or one that breaks a rule is `invalid` with the field as
/// sub-code and the rule as message; the others are `pending` with their fields as payload.
fn assert_ingests_as(built: &Built, format: InputFormat) {
    let dir = tempfile::tempdir().unwrap();
    let name = match format {
        InputFormat::Jsonl => "input.jsonl",
        _ => "input.csv",
    };
    let input = write_bytes(dir.path(), name, &built.bytes);
    let spec = JobSpec::blacklist(&input, BlacklistTarget::new("SUP-R", Operate::Add))
        .read_options(as_utf8());
    let job = SyncJob::open(&spec).unwrap();
    let summary = job.ingest().unwrap();
    assert_eq!(summary.total, built.expected.len() as u64, "{summary:?}");

    let rows = journal_rows(&spec.journal_path());
    assert_eq!(
        rows.iter().map(|r| r.0).collect::<Vec<_>>(),
        built.expected.iter().map(|e| e.0).collect::<Vec<_>>(),
        "every record is journaled at its line"
    );
    for ((line, state, payload, sub_code, message), (_, expect)) in rows.iter().zip(&built.expected)
    {
        let verdict = match expect {
            Expect::Bad(field) => Some((*field).to_owned()),
            Expect::Fields(fields) => blacklist_verdict(fields),
        };
        match verdict {
            None => {
                assert_eq!(state, "pending", "line {line}");
                let Expect::Fields(fields) = expect else {
                    unreachable!()
                };
                let stored: BTreeMap<String, String> = serde_json::from_str(payload).unwrap();
                assert_eq!(
                    &stored, fields,
                    "line {line}: the payload holds the real values"
                );
            }
            Some(field) => {
                assert_eq!(state, "invalid", "line {line}");
                assert_eq!(sub_code.as_deref(), Some(field.as_str()), "line {line}");
                assert!(
                    message.as_deref().is_some_and(|m| !m.is_empty()),
                    "line {line}: the rule is recorded"
                );
            }
        }
    }
    let mut problems = 0;
    job.journal()
        .for_each_problem(|p| {
            assert_eq!(p.state, RowState::Invalid);
            assert_eq!(p.failure.code, "invalid");
            problems += 1;
            Ok(())
        })
        .unwrap();
    assert_eq!(problems, summary.invalid);
}

type JournalRow = (u64, String, String, Option<String>, Option<String>);

fn journal_rows(journal: &Path) -> Vec<JournalRow> {
    let conn = rusqlite::Connection::open(journal).unwrap();
    let mut stmt = conn
        .prepare("SELECT line, state, payload, sub_code, message FROM rows ORDER BY line")
        .unwrap();
    stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)? as u64,
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
        ))
    })
    .unwrap()
    .collect::<Result<Vec<_>, _>>()
    .unwrap()
}

// ---------------------------------------------------------------------------------------
// CSV rows
// ---------------------------------------------------------------------------------------

/// A row of a `mobile,reason` file.
#[derive(Debug, Clone)]
enum CsvRow {
    /// One or two cells, each quoted or not (quoted when it must be).
    Cells(Vec<(String, bool)>),
    /// More cells than the header has (a reason list not quoted).
    TooMany(Vec<String>),
    /// Bytes that are not UTF-8 in the mobile (0) or the reason (1) cell.
    BadUtf8(usize),
    /// Nothing: a blank line.
    Blank,
}

fn csv_cell(text: &str, quote: bool) -> String {
    if quote || text.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// Cell text: a valid mobile or reason list now and then, else anything (commas, quotes,
/// line breaks, unicode, blanks).
fn cell_text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "1[3-9][0-9]{9}",
        1 => " ?1[3-9][0-9]{9} ?",
        2 => "[1-5](,[1-5]){0,2}",
        1 => "[0-9]{0,12}",
        3 => any::<String>(),
        1 => "[ a-z,\"\r\n]{0,12}",
        1 => Just(String::new()),
    ]
}

fn csv_row() -> impl Strategy<Value = CsvRow> {
    prop_oneof![
        8 => prop::collection::vec((cell_text(), any::<bool>()), 1..=2).prop_map(CsvRow::Cells),
        1 => prop::collection::vec("[0-9a-z]{0,11}", 3..=4).prop_map(CsvRow::TooMany),
        1 => (0..2_usize).prop_map(CsvRow::BadUtf8),
        1 => Just(CsvRow::Blank),
    ]
}

fn line_end() -> impl Strategy<Value = &'static str> {
    prop_oneof![4 => Just("\n"), 2 => Just("\r\n"), 1 => Just("\r")]
}

/// A `mobile,reason` file from rows, and what it must read as.
fn build_csv(bom: bool, rows: &[(CsvRow, &'static str)], last_end: bool) -> Built {
    let mut built = Built::default();
    if bom {
        built.push(BOM.as_bytes());
    }
    built.push(b"mobile,reason");
    built.push(rows.first().map_or("\n", |r| r.1).as_bytes());
    for (i, (row, end)) in rows.iter().enumerate() {
        let line = built.next_line();
        let (bytes, expect): (Vec<u8>, Option<Expect>) = match row {
            CsvRow::Cells(cells) => {
                let text = cells
                    .iter()
                    .map(|(t, q)| csv_cell(t, *q))
                    .collect::<Vec<_>>()
                    .join(",");
                // A single empty unquoted cell is a blank line, which is no record.
                let expect = (!text.is_empty()).then(|| {
                    Expect::Fields(fields_of(
                        ["mobile", "reason"]
                            .into_iter()
                            .zip(cells.iter().map(|(t, _)| t.clone())),
                    ))
                });
                (text.into_bytes(), expect)
            }
            CsvRow::TooMany(cells) => {
                let text = cells.join(",");
                (text.into_bytes(), Some(Expect::Bad("_record")))
            }
            CsvRow::BadUtf8(at) => {
                let bytes = if *at == 0 {
                    b"131\xff\xfe0000001,1".to_vec()
                } else {
                    b"13100000001,\xc3(".to_vec()
                };
                let field = if *at == 0 { "mobile" } else { "reason" };
                (bytes, Some(Expect::Bad(field)))
            }
            CsvRow::Blank => (Vec::new(), None),
        };
        built.push(&bytes);
        if let Some(expect) = expect {
            built.expected.push((line, expect));
        }
        if i + 1 < rows.len() || last_end {
            built.push(end.as_bytes());
        }
    }
    built
}

fn csv_file() -> impl Strategy<Value = Built> {
    (
        any::<bool>(),
        prop::collection::vec((csv_row(), line_end()), 0..24),
        any::<bool>(),
    )
        .prop_map(|(bom, rows, last_end)| build_csv(bom, &rows, last_end))
}

// ---------------------------------------------------------------------------------------
// JSON Lines rows
// ---------------------------------------------------------------------------------------

/// A line of a JSON Lines file.
#[derive(Debug, Clone)]
enum JsonRow {
    /// An object with these members.
    Object(BTreeMap<String, serde_json::Value>),
    /// Text that is not JSON.
    NotJson(String),
    /// JSON that is not an object.
    NotObject(serde_json::Value),
    /// A list member holding something other than strings and numbers.
    BadList,
    /// A string that is not UTF-8.
    BadUtf8,
    /// Whitespace only.
    Blank(String),
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::{Value, json};
    prop_oneof![
        3 => "1[3-9][0-9]{9}".prop_map(Value::from),
        2 => "[1-5](,[1-5]){0,2}".prop_map(Value::from),
        3 => any::<String>().prop_map(Value::from),
        1 => any::<i64>().prop_map(Value::from),
        1 => any::<bool>().prop_map(Value::from),
        1 => Just(Value::Null),
        1 => prop::collection::vec(1_u8..=5, 0..4).prop_map(|v| json!(v)),
        1 => prop::collection::vec("[0-9a-z ]{0,4}", 0..4).prop_map(|v| json!(v)),
        1 => ("[a-z]{1,4}", any::<i32>()).prop_map(|(k, v)| json!({ k: v })),
    ]
}

fn json_row() -> impl Strategy<Value = JsonRow> {
    use serde_json::{Value, json};
    let key = prop_oneof![
        4 => Just("mobile".to_owned()),
        3 => Just("reason".to_owned()),
        1 => "[a-z_]{1,8}",
    ];
    prop_oneof![
        8 => prop::collection::btree_map(key, json_value(), 0..3).prop_map(JsonRow::Object),
        1 => any::<String>()
            .prop_map(|s| format!("{{{s}"))
            .prop_filter("not JSON", |s| {
                !s.contains('\n') && serde_json::from_str::<Value>(s).is_err()
            })
            .prop_map(JsonRow::NotJson),
        1 => prop_oneof![
            Just(json!([1, 2])),
            Just(json!("13100000001")),
            Just(json!(7)),
            Just(Value::Null),
            Just(json!(true)),
        ]
        .prop_map(JsonRow::NotObject),
        1 => Just(JsonRow::BadList),
        1 => Just(JsonRow::BadUtf8),
        1 => "[ \t\r]{0,3}".prop_map(JsonRow::Blank),
    ]
}

/// A member's text as the reader reports it.
fn json_text(value: &serde_json::Value) -> Option<String> {
    use serde_json::Value;
    match value {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(items) => Some(
            items
                .iter()
                .map(|i| match i {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect::<Vec<_>>()
                .join(","),
        ),
        object @ Value::Object(_) => Some(object.to_string()),
    }
}

fn build_jsonl(bom: bool, rows: &[(JsonRow, bool)], last_end: bool) -> Built {
    let mut built = Built::default();
    if bom {
        built.push(BOM.as_bytes());
    }
    for (i, (row, crlf)) in rows.iter().enumerate() {
        // JSON Lines count `\n` only.
        let line = 1 + built.bytes.iter().filter(|&&b| b == b'\n').count() as u64;
        let (bytes, expect): (Vec<u8>, Option<Expect>) = match row {
            JsonRow::Object(members) => {
                let text = serde_json::to_string(members).unwrap();
                let fields = fields_of(
                    members
                        .iter()
                        .filter_map(|(k, v)| json_text(v).map(|t| (k.as_str(), t))),
                );
                (text.into_bytes(), Some(Expect::Fields(fields)))
            }
            JsonRow::NotJson(text) => (text.clone().into_bytes(), Some(Expect::Bad("_record"))),
            JsonRow::NotObject(value) => {
                (value.to_string().into_bytes(), Some(Expect::Bad("_record")))
            }
            JsonRow::BadList => (
                br#"{"mobile":"13100000001","reason":[1,{"a":2}]}"#.to_vec(),
                Some(Expect::Bad("reason")),
            ),
            JsonRow::BadUtf8 => (
                b"{\"mobile\":\"131\xff0000001\"}".to_vec(),
                Some(Expect::Bad("_record")),
            ),
            JsonRow::Blank(space) => (space.clone().into_bytes(), None),
        };
        built.push(&bytes);
        if let Some(expect) = expect {
            built.expected.push((line, expect));
        }
        if i + 1 < rows.len() || last_end {
            built.push(if *crlf { b"\r\n" } else { b"\n" });
        }
    }
    built
}

fn jsonl_file() -> impl Strategy<Value = Built> {
    (
        any::<bool>(),
        prop::collection::vec((json_row(), any::<bool>()), 0..24),
        any::<bool>(),
    )
        .prop_map(|(bom, rows, last_end)| build_jsonl(bom, &rows, last_end))
}

// ---------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------

/// Whatever `bytes` hold, reading them as `format` for `kind` never panics; the records'
/// lines are strictly increasing and inside the file; every bad record names a field and
/// a rule; and a journal of the same file holds exactly as many rows as the reader read.
fn assert_reads_anything(bytes: &[u8], format: InputFormat, kind: JobKind) {
    let records = match read_all(bytes, format, kind) {
        Ok(records) => records,
        Err(SyncError::InputShape { reason, .. } | SyncError::InputEncoding { reason, .. }) => {
            assert_eq!(
                format,
                InputFormat::Csv,
                "only a CSV header or encoding refuses a file"
            );
            assert!(!reason.is_empty());
            return;
        }
        Err(other) => panic!("a readable file failed with {other:?}"),
    };
    // A UTF-16 byte order mark makes a CSV reader decode: its lines are the decoded text's.
    let utf16 = format == InputFormat::Csv
        && (bytes.starts_with(b"\xff\xfe") || bytes.starts_with(b"\xfe\xff"));
    let text = match encoding_rs::Encoding::for_bom(bytes) {
        Some((encoding, _)) if utf16 => encoding.decode(bytes).0.into_owned().into_bytes(),
        _ => bytes.to_vec(),
    };
    let last_line = 1 + match format {
        InputFormat::Jsonl => bytes.iter().filter(|&&b| b == b'\n').count() as u64,
        _ => line_breaks(&text),
    };
    let mut previous = if format == InputFormat::Csv { 1 } else { 0 };
    for record in &records {
        let line = match record {
            Ok(r) => {
                for (name, value) in &r.fields {
                    assert!(!name.is_empty() || format == InputFormat::Jsonl);
                    assert_eq!(value.trim(), value, "values are trimmed");
                    assert!(!value.is_empty(), "blank values are left out");
                }
                r.line
            }
            Err(bad) => {
                assert!(!bad.field.is_empty() && !bad.rule.is_empty(), "{bad:?}");
                bad.line
            }
        };
        assert!(
            line > previous && line <= last_line,
            "line {line} after {previous} (last line {last_line})"
        );
        previous = line;
    }

    // The journal keeps every record the reader yields: none is dropped or merged.
    let dir = tempfile::tempdir().unwrap();
    let input = write_bytes(dir.path(), "input", bytes);
    let spec = match kind {
        JobKind::Blacklist => {
            JobSpec::blacklist(&input, BlacklistTarget::new("SUP-A", Operate::Remove))
        }
        JobKind::Tag => JobSpec::tag(&input),
        JobKind::Crm => JobSpec::crm(&input),
    }
    .format(format);
    let job = SyncJob::open(&spec).unwrap();
    let summary = job.ingest().unwrap();
    assert_eq!(summary.total, records.len() as u64, "{summary:?}");
    assert_eq!(summary.pending + summary.invalid, summary.total);
}

fn kind() -> impl Strategy<Value = JobKind> {
    prop_oneof![
        Just(JobKind::Blacklist),
        Just(JobKind::Tag),
        Just(JobKind::Crm)
    ]
}

/// Arbitrary lines with arbitrary line endings.
fn unicode_lines() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec((any::<String>(), line_end()), 0..16).prop_map(|lines| {
        lines
            .into_iter()
            .flat_map(|(text, end)| [text, end.to_owned()])
            .collect::<String>()
            .into_bytes()
    })
}

/// A header that names the kind's columns (or not) in any order, with blanks, BOM,
/// quoting, repeats and unknown names.
fn header(kind: JobKind) -> impl Strategy<Value = Vec<String>> {
    let known = prop::sample::select(kind.columns().to_vec()).prop_map(str::to_owned);
    let name = prop_oneof![
        6 => known.clone(),
        1 => known.prop_map(|n| format!(" {n} ")),
        1 => "[a-z_]{0,10}",
        1 => any::<String>(),
    ];
    prop::collection::vec(name, 0..8)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn csv_rows_read_exactly_as_written(built in csv_file()) {
        assert_reads_as(&built, InputFormat::Csv, JobKind::Blacklist);
    }

    #[test]
    fn jsonl_rows_read_exactly_as_written(built in jsonl_file()) {
        assert_reads_as(&built, InputFormat::Jsonl, JobKind::Blacklist);
    }

    #[test]
    fn csv_headers_are_accepted_exactly_when_they_name_known_distinct_complete_columns(
        (kind, names) in kind().prop_flat_map(|k| (Just(k), header(k))),
        bom in any::<bool>(),
    ) {
        // A BOM goes before the first cell only when that cell is not quoted (a quote after
        // the BOM would not open a quoted cell).
        let bom = bom && names.first().is_none_or(|n| !n.contains([',', '"', '\r', '\n']));
        let line = names.iter().map(|n| csv_cell(n, false)).collect::<Vec<_>>().join(",");
        let text = format!("{}{line}\n", if bom { BOM } else { "" });
        let normalized: Vec<String> = names
            .iter()
            .map(|n| n.trim_start_matches('\u{feff}').trim().to_owned())
            .collect();
        // What the reader must say, in the order it checks.
        let first_problem = normalized.iter().enumerate().find_map(|(i, n)| {
            if !kind.columns().contains(&n.as_str()) {
                Some(format!("unknown column `{n}`"))
            } else if normalized[..i].contains(n) {
                Some(format!("column `{n}` appears twice"))
            } else {
                None
            }
        });
        let missing = kind
            .required_columns()
            .iter()
            .find(|c| !normalized.iter().any(|n| n == *c))
            .map(|c| format!("no `{c}` column"));
        let expected = if line.is_empty() {
            Some("the file is empty".to_owned())
        } else {
            first_problem.or(missing.clone())
        };
        let strict = as_utf8().strict(true);
        match (read_all_with(text.as_bytes(), InputFormat::Csv, kind, &strict), expected) {
            (Ok(records), None) => prop_assert!(records.is_empty()),
            (Err(SyncError::InputShape { reason, .. }), Some(expected)) => {
                prop_assert!(reason.contains(&expected), "{reason} (expected {expected})");
            }
            (got, expected) => prop_assert!(false, "{text:?}: got {got:?}, expected {expected:?}"),
        }

        // Without --strict, an unknown column is ignored (named in the settings), unless it
        // looks like a misspelling of a column the header lacks.
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), "header.csv", &text);
        match RecordReader::open_with(&path, InputFormat::Csv, kind, &as_utf8()) {
            Ok(reader) => {
                let ignored = &reader.settings().ignored;
                for (i, n) in normalized.iter().enumerate() {
                    let known = kind.columns().contains(&n.as_str());
                    let listed = if n.is_empty() { format!("column {}", i + 1) } else { n.clone() };
                    prop_assert_eq!(known, !ignored.contains(&listed), "{}: {:?}", n, ignored);
                }
                prop_assert!(missing.is_none(), "{missing:?}");
            }
            Err(SyncError::InputShape { reason, .. }) => {
                let near = reason
                    .split("did you mean `")
                    .nth(1)
                    .and_then(|rest| rest.split('`').next());
                if let Some(near) = near {
                    prop_assert!(
                        !normalized.iter().any(|n| n == near),
                        "a misspelling of a column the header has: {reason}"
                    );
                } else {
                    prop_assert!(
                        ["appears twice", "no `", "the file is empty"]
                            .iter()
                            .any(|r| reason.contains(r)),
                        "{reason}"
                    );
                }
            }
            Err(other) => prop_assert!(false, "{text:?}: {other}"),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn csv_rows_are_journaled_with_their_line_field_and_rule(built in csv_file()) {
        assert_ingests_as(&built, InputFormat::Csv);
    }

    #[test]
    fn jsonl_rows_are_journaled_with_their_line_field_and_rule(built in jsonl_file()) {
        assert_ingests_as(&built, InputFormat::Jsonl);
    }

    #[test]
    fn arbitrary_bytes_never_panic(
        kind in kind(),
        bytes in prop::collection::vec(any::<u8>(), 0..512),
        with_header in any::<bool>(),
    ) {
        let mut csv = Vec::new();
        if with_header {
            csv.extend_from_slice(kind.required_columns().join(",").as_bytes());
            if kind == JobKind::Tag {
                csv.extend_from_slice(b"biz_code,open_id");
            }
            csv.push(b'\n');
        }
        csv.extend_from_slice(&bytes);
        assert_reads_anything(&csv, InputFormat::Csv, kind);
        assert_reads_anything(&bytes, InputFormat::Jsonl, kind);
    }

    #[test]
    fn arbitrary_unicode_lines_never_panic(kind in kind(), lines in unicode_lines()) {
        let mut csv = b"mobile,reason\n".to_vec();
        csv.extend_from_slice(&lines);
        assert_reads_anything(&csv, InputFormat::Csv, JobKind::Blacklist);
        assert_reads_anything(&lines, InputFormat::Jsonl, kind);
    }
}

// ---------------------------------------------------------------------------------------
// Exact line numbers
// ---------------------------------------------------------------------------------------

fn ok(line: u64, pairs: &[(&str, &str)]) -> (u64, Expect) {
    (
        line,
        Expect::Fields(
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        ),
    )
}

fn bad(line: u64, field: &'static str) -> (u64, Expect) {
    (line, Expect::Bad(field))
}

/// A named input and the records it must read as.
type Case<B> = (&'static str, B, Vec<(u64, Expect)>);

#[test]
fn csv_line_numbers_are_exact() {
    let m1 = ("mobile", "13100000001");
    let m2 = ("mobile", "13100000002");
    let cases: Vec<Case<&[u8]>> = vec![
        ("lf", b"mobile\n13100000001\n13100000002\n", vec![ok(2, &[m1]), ok(3, &[m2])]),
        (
            "blank lines before, between and after",
            b"mobile\n\n\n13100000001\n\n13100000002\n\n",
            vec![ok(4, &[m1]), ok(6, &[m2])],
        ),
        (
            "crlf",
            b"mobile\r\n13100000001\r\n\r\n13100000002\r\n",
            vec![ok(2, &[m1]), ok(4, &[m2])],
        ),
        (
            "lone cr",
            b"mobile\r13100000001\r\r13100000002\r",
            vec![ok(2, &[m1]), ok(4, &[m2])],
        ),
        (
            "mixed endings, no final newline",
            b"mobile\r\n13100000001\r\n13100000002\n\r13100000003",
            vec![ok(2, &[m1]), ok(3, &[m2]), ok(5, &[("mobile", "13100000003")])],
        ),
        (
            "bom",
            b"\xef\xbb\xbfmobile,reason\n13100000001,1\n",
            vec![ok(2, &[m1, ("reason", "1")])],
        ),
        (
            "quoted commas and line breaks",
            b"mobile,reason\n13100000001,\"1,\n2\"\n\"131000\r\n00002\",\"3\"\n13100000003,\"4,5\"\n",
            vec![
                ok(2, &[m1, ("reason", "1,\n2")]),
                ok(4, &[("mobile", "131000\r\n00002"), ("reason", "3")]),
                ok(6, &[("mobile", "13100000003"), ("reason", "4,5")]),
            ],
        ),
        (
            "a bad row between good rows",
            b"mobile,reason\n13100000001,1\n13100000002,1,2\n\xff\xfe,1\n\n13100000003,\"1,2\"\n",
            vec![
                ok(2, &[m1, ("reason", "1")]),
                bad(3, "_record"),
                bad(4, "mobile"),
                ok(6, &[("mobile", "13100000003"), ("reason", "1,2")]),
            ],
        ),
        (
            "a quote left open swallows the rest of the file into one record",
            b"mobile,reason\n13100000001,1\n\"13100000002,2\n13100000003,3\n",
            vec![
                ok(2, &[m1, ("reason", "1")]),
                ok(3, &[("mobile", "13100000002,2\n13100000003,3")]),
            ],
        ),
        (
            "spaces only is a record with no fields",
            b"mobile\n   \n13100000001",
            vec![ok(2, &[]), ok(3, &[m1])],
        ),
    ];
    for (name, bytes, expected) in cases {
        // Named UTF-8: the bad row's bytes are then reported on its line.
        let got: Vec<(u64, Expect)> =
            read_all_with(bytes, InputFormat::Csv, JobKind::Blacklist, &as_utf8())
                .unwrap()
                .into_iter()
                .map(|r| match r {
                    Ok(r) => (r.line, Expect::Fields(r.fields)),
                    Err(b) => (b.line, Expect::Bad(known_field(&b.field))),
                })
                .collect();
        assert_eq!(got, expected, "{name}");
    }
}

#[test]
fn jsonl_line_numbers_are_exact() {
    let long = format!(
        "{{\"mobile\":\"13100000001\",\"reason\":\"{}\"}}",
        "1".repeat(1 << 20)
    );
    let mut with_long = b"{\"mobile\":\"13100000001\"}\n".to_vec();
    with_long.extend_from_slice(long.as_bytes());
    with_long.extend_from_slice(b"\n\n{\"mobile\":\"13100000002\"}\n");
    let cases: Vec<Case<Vec<u8>>> = vec![
        (
            "bom, crlf, blank lines",
            b"\xef\xbb\xbf{\"mobile\":\"13100000001\"}\r\n\r\n  \n{\"mobile\":\"13100000002\",\"reason\":[1,2]}"
                .to_vec(),
            vec![
                ok(1, &[("mobile", "13100000001")]),
                ok(4, &[("mobile", "13100000002"), ("reason", "1,2")]),
            ],
        ),
        (
            "bad lines between good ones",
            b"{\"mobile\":\"13100000001\"}\nnot json\n[1]\n{\"reason\":[{}]}\n{\"mobile\":\"1\xff\"}\n{\"mobile\":\"13100000002\"}\n"
                .to_vec(),
            vec![
                ok(1, &[("mobile", "13100000001")]),
                bad(2, "_record"),
                bad(3, "_record"),
                bad(4, "reason"),
                bad(5, "_record"),
                ok(6, &[("mobile", "13100000002")]),
            ],
        ),
        (
            "a line longer than 1 MiB",
            with_long,
            vec![
                ok(1, &[("mobile", "13100000001")]),
                bad(2, "_record"),
                ok(4, &[("mobile", "13100000002")]),
            ],
        ),
    ];
    for (name, bytes, expected) in cases {
        let records = read_all(&bytes, InputFormat::Jsonl, JobKind::Blacklist).unwrap();
        if name.starts_with("a line longer") {
            let rule = &records[1].as_ref().unwrap_err().rule;
            assert!(rule.contains("longer than 1048576 bytes"), "{rule}");
        }
        let got: Vec<(u64, Expect)> = records
            .into_iter()
            .map(|r| match r {
                Ok(r) => (r.line, Expect::Fields(r.fields)),
                Err(b) => (b.line, Expect::Bad(known_field(&b.field))),
            })
            .collect();
        assert_eq!(got, expected, "{name}");
    }
}

#[test]
fn a_very_long_csv_cell_is_read_whole() {
    let cell = "x".repeat(3 << 20);
    let text = format!("mobile,reason\n{cell},1\r\n13100000001,2\r\n");
    let records = read_all(text.as_bytes(), InputFormat::Csv, JobKind::Blacklist).unwrap();
    assert_eq!(records.len(), 2);
    let first = records[0].as_ref().unwrap();
    assert_eq!(
        (first.line, first.get("mobile").map(str::len)),
        (2, Some(3 << 20))
    );
    assert_eq!(records[1].as_ref().unwrap().line, 3);
}

#[test]
fn bad_rows_name_the_field_and_the_rule() {
    // Through the journal: the rule the record breaks, not its value.
    let text =
        "mobile,reason\n13100000001,\"1,9\"\n1310000000,1\n13100000002,\"1,1\"\n,2\n13100000003,\n";
    let built = Built {
        bytes: text.as_bytes().to_vec(),
        expected: vec![
            ok(2, &[("mobile", "13100000001"), ("reason", "1,9")]),
            ok(3, &[("mobile", "1310000000"), ("reason", "1")]),
            ok(4, &[("mobile", "13100000002"), ("reason", "1,1")]),
            ok(5, &[("reason", "2")]),
            ok(6, &[("mobile", "13100000003")]),
        ],
    };
    assert_ingests_as(&built, InputFormat::Csv);
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "list.csv", text);
    let job = SyncJob::open(&JobSpec::blacklist(
        &input,
        BlacklistTarget::new("SUP-R", Operate::Add),
    ))
    .unwrap();
    job.ingest().unwrap();
    let mut problems = Vec::new();
    job.journal()
        .for_each_problem(|p| {
            problems.push((p.line, p.failure.sub_code.unwrap(), p.failure.message));
            Ok(())
        })
        .unwrap();
    let rules: Vec<(u64, &str, &str)> = problems
        .iter()
        .map(|(l, f, m)| (*l, f.as_str(), m.as_str()))
        .collect();
    assert_eq!(rules.len(), 4, "{rules:?}");
    assert_eq!((rules[0].0, rules[0].1), (2, "reason"));
    // The description's rule (top_core::rules::Rule::CommaCodes) lists the codes.
    assert!(
        rules[0].2.contains("1-5") || rules[0].2.contains('9') || rules[0].2.contains("5 (other)"),
        "{rules:?}"
    );
    assert_eq!((rules[1].0, rules[1].1), (3, "mobile"));
    assert!(rules[1].2.contains("11-digit"), "{rules:?}");
    assert_eq!((rules[2].0, rules[2].1), (4, "reason"));
    assert!(
        rules[2].2.contains("repeat") || rules[2].2.contains("none twice"),
        "{rules:?}"
    );
    assert_eq!((rules[3].0, rules[3].1), (5, "mobile"));
    assert!(rules[3].2.contains("required"), "{rules:?}");
    for (_, _, message) in &rules {
        assert!(
            !message.contains("1310000000"),
            "rules, not values: {message}"
        );
    }
}

#[test]
fn a_refused_header_leaves_no_journal_and_the_corrected_file_runs() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "list.csv", "mobil,reason\n13100000001,1\n");
    let spec = JobSpec::blacklist(&input, BlacklistTarget::new("SUP-H", Operate::Add));
    let err = SyncJob::open(&spec).unwrap_err();
    assert!(
        matches!(&err, SyncError::InputShape { reason, .. } if reason.contains("unknown column `mobil`")),
        "{err}"
    );
    assert!(
        !spec.journal_path().exists(),
        "no journal for a refused file"
    );
    write(dir.path(), "list.csv", "mobile,reason\n13100000001,1\n");
    let job = SyncJob::open(&spec).unwrap();
    assert_eq!(job.ingest().unwrap().pending, 1);
}
