//! The typed requests built from [`Record`]s by the same plan as the bulk jobs (the API's
//! description): `top tag add`, `top blacklist add` and `top crm create` use them, so a
//! single call and a bulk row are read and checked alike.

use alsc_crm::AlibabaAlscCrmCustomerCreateRequest;
use logistics_blacklist::LogisticsExpressUserBlacklistTmsSyncRequest;
use retail_tag::RetailUserTagMobileAddRequest;
use serde::de::DeserializeOwned;
use top_core::{TopRequest, ValidationError};

use crate::api::call::{CallContext, build};
use crate::api::kind::{BulkKind, JobKind};
use crate::api::row::check;
use crate::api::send::typed_request;
use crate::api::target::BlacklistTarget;
use crate::input::{InvalidRow, Record};

/// `taobao.retail.user.tag.mobile.add` for one record.
///
/// # Errors
/// An [`InvalidRow`] naming the field and the rule it breaks.
pub fn tag_request(record: &Record) -> Result<RetailUserTagMobileAddRequest, InvalidRow> {
    request(
        JobKind::Tag,
        record.line,
        &Default::default(),
        None,
        0,
        &[],
        std::slice::from_ref(record),
    )
}

/// `alibaba.alsc.crm.customer.create` for one record, with `request_id` as the idempotency
/// key (unless the record has its own `request_id`).
///
/// # Errors
/// An [`InvalidRow`] naming the field and the rule it breaks.
pub fn crm_request(
    record: &Record,
    request_id: &str,
) -> Result<AlibabaAlscCrmCustomerCreateRequest, InvalidRow> {
    request(
        JobKind::Crm,
        record.line,
        &Default::default(),
        Some(request_id),
        0,
        &[],
        std::slice::from_ref(record),
    )
}

/// `taobao.logistics.express.user.blacklist.tms.sync` for records (`mobile`, `reason`),
/// duplicates merged, with a fixed request id and request time.
///
/// # Errors
/// An [`InvalidRow`] naming the record's line, the field and the rule it breaks.
pub fn blacklist_request(
    target: &BlacklistTarget,
    request_id: String,
    request_time_ms: i64,
    records: &[Record],
) -> Result<LogisticsExpressUserBlacklistTmsSyncRequest, InvalidRow> {
    request(
        JobKind::Blacklist,
        records.first().map_or(0, |r| r.line),
        &target.flags(),
        Some(&request_id),
        request_time_ms,
        target.ignored_columns(),
        records,
    )
}

fn request<R: TopRequest + DeserializeOwned>(
    kind: JobKind,
    line: u64,
    flags: &std::collections::BTreeMap<String, String>,
    request_id: Option<&str>,
    now_ms: i64,
    ignored: &[&str],
    records: &[Record],
) -> Result<R, InvalidRow> {
    let invalid = |e: ValidationError| InvalidRow {
        line,
        field: e.field.to_string(),
        rule: e.rule.to_string(),
        fields: Default::default(),
    };
    let plan = BulkKind::Named(kind)
        .plan()
        .map_err(|e| invalid(ValidationError::new("method", e.to_string())))?;
    let flags = crate::api::checked_flags(plan, flags).map_err(|e| match e {
        crate::error::SyncError::Flag { flag, rule } => InvalidRow {
            line,
            field: flag,
            rule,
            fields: Default::default(),
        },
        other => invalid(ValidationError::new("flags", other.to_string())),
    })?;
    let mut entries = Vec::with_capacity(records.len());
    for record in records {
        entries.push(check(plan, kind.as_str(), record, ignored)?);
    }
    let context = CallContext {
        flags: &flags,
        request_id,
        now_ms,
    };
    let call = build(plan, context, entries).map_err(invalid)?;
    typed_request(call).map_err(invalid)
}
