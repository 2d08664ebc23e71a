//! One input record, as read from the file, and the report of a record that breaks a rule.

use std::collections::BTreeMap;

/// One input record: its line number and its fields by vendor name. Values are trimmed;
/// blank values are absent (TOP never sends empty values).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Record {
    /// The line the record starts on in the input file (1-based; a CSV header is line 1).
    pub line: u64,
    /// Field name → value.
    pub fields: BTreeMap<String, String>,
}

impl Record {
    /// The value of a field, if present.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields.get(name).map(String::as_str)
    }

    /// The fields as a JSON object text (what the journal stores as the row's payload).
    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.fields).unwrap_or_else(|_| "{}".to_owned())
    }

    /// Reads fields back from a journal payload.
    pub fn from_json(line: u64, payload: &str) -> Self {
        Record {
            line,
            fields: serde_json::from_str(payload).unwrap_or_default(),
        }
    }

    /// An [`InvalidRow`] for this record.
    pub fn invalid(&self, field: impl Into<String>, rule: impl Into<String>) -> InvalidRow {
        InvalidRow {
            line: self.line,
            field: field.into(),
            rule: rule.into(),
            fields: self.fields.clone(),
        }
    }
}

/// A record that cannot be sent: the line, the field and the rule it breaks. Never sent;
/// stored as `invalid` in the journal and listed in the failures file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidRow {
    /// The line in the input file.
    pub line: u64,
    /// The field (vendor name), or `_record` when the record as a whole is unreadable.
    pub field: String,
    /// The rule it breaks (never the value, which may be a mobile number).
    pub rule: String,
    /// The fields that could be read, kept so `--unmask` reports can name the row.
    pub fields: BTreeMap<String, String>,
}

impl InvalidRow {
    /// A record that could not be read at all.
    pub fn unreadable(line: u64, rule: impl Into<String>) -> Self {
        InvalidRow {
            line,
            field: "_record".to_owned(),
            rule: rule.into(),
            fields: BTreeMap::new(),
        }
    }
}
