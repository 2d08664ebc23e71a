//! What an input record becomes in the journal: a pending row with its payload, label and
//! request id, or an invalid row with the field and rule it breaks.

use std::collections::BTreeMap;

use crate::journal::{JobMeta, NewRow};
use crate::kind::JobKind;
use crate::mask::label;
use crate::record::{InvalidRow, Record};
use crate::state::{Failure, RowState};
use crate::{blacklist, crm, tag};

/// Checks a record by the API's rules. On success, the row's request id (CRM rows).
pub(crate) fn check(meta: &JobMeta, record: &Record) -> Result<Option<String>, InvalidRow> {
    match meta.kind {
        JobKind::Blacklist => match &meta.target {
            Some(target) => blacklist::check(record, target).map(|()| None),
            None => Err(record.invalid("supplier_id", "is required for a blacklist job")),
        },
        JobKind::Tag => tag::check(record).map(|()| None),
        JobKind::Crm => {
            let id = crm::request_id(record, &meta.job_id);
            crm::check(record, &id).map(|()| Some(id))
        }
    }
}

/// The journal row for a record read from the input.
pub(crate) fn new_row(meta: &JobMeta, parsed: Result<Record, InvalidRow>) -> NewRow {
    let checked = parsed.and_then(|record| check(meta, &record).map(|id| (record, id)));
    match checked {
        Ok((record, request_id)) => NewRow {
            line: record.line,
            payload: record.to_json(),
            label: label_of(meta.kind, &record.fields),
            state: RowState::Pending,
            request_id,
            failure: None,
        },
        Err(invalid) => NewRow {
            line: invalid.line,
            payload: serde_json::to_string(&invalid.fields).unwrap_or_else(|_| "{}".into()),
            label: label_of(meta.kind, &invalid.fields),
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

/// The identifying value of a row, masked when it is a mobile number.
pub(crate) fn label_of(kind: JobKind, fields: &BTreeMap<String, String>) -> String {
    let record = Record {
        line: 0,
        fields: fields.clone(),
    };
    let value = match kind {
        JobKind::Blacklist => record.get("mobile"),
        JobKind::Tag => tag::user_id(&record),
        JobKind::Crm => record.get("outer_id"),
    };
    value.map_or_else(String::new, |v| label(v, kind == JobKind::Blacklist))
}

/// The identifying value unmasked (for `--unmask` reports).
pub(crate) fn identity_of(kind: JobKind, fields: &BTreeMap<String, String>) -> String {
    let get = |name: &str| fields.get(name).cloned();
    let value = match kind {
        JobKind::Blacklist => get("mobile"),
        JobKind::Tag => get("isv_user_id")
            .or_else(|| get("open_id"))
            .or_else(|| get("alipay_user_id")),
        JobKind::Crm => get("outer_id"),
    };
    value.unwrap_or_default()
}
