//! What an input record becomes in the journal: a pending row with its payload, label and
//! request id, or an invalid row with the column and rule it breaks.

use crate::api::{BulkPlan, check_row, ignored_columns};
use crate::input::record::{InvalidRow, Record};
use crate::journal::{Failure, JobMeta, NewRow, RowState};

/// Checks a record by the API's description. On success, the row's request id (jobs of one
/// call per row whose API has a generated request id: the row's own, else one derived from
/// the job id and the line, stable across runs).
pub(crate) fn check(
    meta: &JobMeta,
    plan: &BulkPlan,
    record: &Record,
) -> Result<Option<String>, InvalidRow> {
    check_row(plan, meta.kind.as_str(), record, ignored_columns(meta))?;
    Ok(plan
        .row_request_id()
        .map(|member| match record.get(member) {
            Some(id) => id.to_owned(),
            None => format!("{}-{}", meta.job_id, record.line),
        }))
}

/// The journal row for a record read from the input.
pub(crate) fn new_row(
    meta: &JobMeta,
    plan: &BulkPlan,
    parsed: Result<Record, InvalidRow>,
) -> NewRow {
    let checked = parsed.and_then(|record| check(meta, plan, &record).map(|id| (record, id)));
    match checked {
        Ok((record, request_id)) => NewRow {
            line: record.line,
            payload: record.to_json(),
            label: plan.label_of(&record.fields),
            state: RowState::Pending,
            request_id,
            failure: None,
        },
        Err(invalid) => NewRow {
            line: invalid.line,
            payload: serde_json::to_string(&invalid.fields).unwrap_or_else(|_| "{}".into()),
            label: plan.label_of(&invalid.fields),
            state: RowState::Invalid,
            request_id: None,
            failure: Some(invalid_failure(&invalid)),
        },
    }
}

/// The failure recorded for an invalid row: code `invalid`, the field as sub-code, the rule.
pub(crate) fn invalid_failure(invalid: &InvalidRow) -> Failure {
    Failure::new("invalid", Some(invalid.field.clone()), invalid.rule.clone())
}
