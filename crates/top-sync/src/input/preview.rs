//! A dry run's preview: the first rows as they will be sent (the members the row fills,
//! typed by the description), masked: mobile members as `138****0001`, secrets as `***`,
//! and anything else that holds a mobile number masked too.

use serde_json::{Map, Value};
use top_core::{mask_mobile, redact_json};
use top_model::overlay::Redact;

use crate::api::BulkPlan;

/// One previewed row.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[non_exhaustive]
pub struct PreviewRow {
    /// The row's line (a workbook's: its row in the sheet).
    pub line: u64,
    /// The members as they will be sent, masked.
    pub sent: Value,
    /// The columns whose value normalising changed (mobiles written with a country code,
    /// separators or full-width digits).
    pub normalized: Vec<String>,
}

impl PreviewRow {
    pub(crate) fn new(
        plan: &BulkPlan,
        line: u64,
        entry: Map<String, Value>,
        normalized: Vec<String>,
    ) -> Self {
        PreviewRow {
            line,
            sent: masked(plan, "", Value::Object(entry)),
            normalized,
        }
    }
}

/// An invalid row found by a dry run: where it is, the column and the rule (never the
/// value).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[non_exhaustive]
pub struct InvalidPreview {
    /// The row's line (a workbook's: its row in the sheet).
    pub line: u64,
    /// The column (`_record` for a row that cannot be read at all).
    pub field: String,
    /// The rule it breaks.
    pub rule: String,
}

/// `value` (at entry path `at`) with every member the description redacts hidden, then
/// every mobile number left masked.
fn masked(plan: &BulkPlan, at: &str, value: Value) -> Value {
    let value = match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(key, member)| {
                    let path = if at.is_empty() {
                        key.clone()
                    } else {
                        format!("{at}.{key}")
                    };
                    let member = match plan.redaction(&path) {
                        Some(Redact::Secret) => Value::String("***".into()),
                        Some(Redact::Mobile) => match member {
                            Value::String(s) => Value::String(mask_mobile(&s)),
                            Value::Number(n) => Value::String(mask_mobile(&n.to_string())),
                            other => masked(plan, &path, other),
                        },
                        _ => masked(plan, &path, member),
                    };
                    (key, member)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|item| masked(plan, &format!("{at}[]"), item))
                .collect(),
        ),
        other => other,
    };
    redact_json(value)
}
