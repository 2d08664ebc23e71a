//! What an input record becomes in the journal: a pending row with its payload (what will
//! be sent: mobiles normalised), label and request id, and the values the file had where
//! normalising changed them; or an invalid row, with the values the file had and the column
//! and rule it breaks.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::api::{BulkPlan, check_row, ignored_columns};
use crate::input::mobile::normalize_mobile;
use crate::input::record::{InvalidRow, Record};
use crate::journal::{Failure, JobMeta, NewRow, RowState};

/// A record as it will be sent, and the values the file had for the columns that changed.
pub(crate) struct Prepared {
    /// The record to check and send.
    pub sent: Record,
    /// Column → value in the file, for each column normalising changed.
    pub source: BTreeMap<String, String>,
}

/// The record with its mobile columns (by the description) normalised, when the job
/// normalises: `+86 138 0000 0001` is sent as `13800000001`; a value that is not
/// unambiguously a mainland mobile is left as written, for the rule to report.
pub(crate) fn prepare(plan: &BulkPlan, normalize: bool, record: Record) -> Prepared {
    let mut source = BTreeMap::new();
    if !normalize {
        return Prepared {
            sent: record,
            source,
        };
    }
    let mut sent = record;
    let columns: Vec<String> = plan
        .mobile_columns(&sent.fields)
        .into_iter()
        .map(str::to_owned)
        .collect();
    for column in columns {
        let Some(value) = sent.fields.get_mut(&column) else {
            continue;
        };
        if let Some(digits) = normalize_mobile(value)
            && digits != *value
        {
            source.insert(column, std::mem::replace(value, digits));
        }
    }
    Prepared { sent, source }
}

/// Checks a record by the API's description. On success, the row's members as they will
/// be sent and its request id (jobs of one call per row whose API has a generated request
/// id: the row's own, else one derived from the job id and the line, stable across runs).
pub(crate) fn check(
    meta: &JobMeta,
    plan: &BulkPlan,
    record: &Record,
) -> Result<(Map<String, Value>, Option<String>), InvalidRow> {
    let entry = check_row(plan, meta.kind.as_str(), record, ignored_columns(meta))?;
    let request_id = plan
        .row_request_id()
        .map(|member| match record.get(member) {
            Some(id) => id.to_owned(),
            None => format!("{}-{}", meta.job_id, record.line),
        });
    Ok((entry, request_id))
}

/// The journal row for a record read from the input.
pub(crate) fn new_row(
    meta: &JobMeta,
    plan: &BulkPlan,
    normalize: bool,
    parsed: Result<Record, InvalidRow>,
) -> NewRow {
    let record = match parsed {
        Ok(record) => record,
        Err(invalid) => return invalid_row(plan, &invalid, &invalid.fields),
    };
    let label = plan.label_of(&record.fields);
    let original = record.fields.clone();
    let prepared = prepare(plan, normalize, record);
    match check(meta, plan, &prepared.sent) {
        Ok((_, request_id)) => NewRow {
            line: prepared.sent.line,
            payload: prepared.sent.to_json(),
            label,
            state: RowState::Pending,
            request_id,
            failure: None,
            source: (!prepared.source.is_empty())
                .then(|| serde_json::to_string(&prepared.source).unwrap_or_default()),
        },
        Err(invalid) => invalid_row(plan, &invalid, &original),
    }
}

/// An invalid row: the values as the file had them, never sent.
fn invalid_row(plan: &BulkPlan, invalid: &InvalidRow, fields: &BTreeMap<String, String>) -> NewRow {
    NewRow {
        line: invalid.line,
        payload: serde_json::to_string(fields).unwrap_or_else(|_| "{}".into()),
        label: plan.label_of(fields),
        state: RowState::Invalid,
        request_id: None,
        failure: Some(invalid_failure(invalid)),
        source: None,
    }
}

/// The failure recorded for an invalid row: code `invalid`, the field as sub-code, the rule.
pub(crate) fn invalid_failure(invalid: &InvalidRow) -> Failure {
    Failure::new("invalid", Some(invalid.field.clone()), invalid.rule.clone())
}
