//! Blacklist rows (`mobile`, `reason`) and the batched
//! `taobao.logistics.express.user.blacklist.tms.sync` request built from them.
//!
//! Duplicate mobiles inside one batch are merged: the entry sent carries the row with the
//! highest line number (the last one in the file wins, as a sequence of add/update calls
//! would), and every merged row ends with the batch's outcome. A batch therefore never
//! holds the same mobile twice.

use logistics_blacklist::{
    Blacklist, BlacklistReason, LogisticsExpressUserBlacklistTmsSyncRequest, UserBlacklistRequest,
};
use top_core::{Mobile, TopRequest, ValidationError};

use crate::checks::{invalid_from, known_fields, required};
use crate::kind::JobKind;
use crate::record::{InvalidRow, Record};
use crate::target::{BlacklistTarget, Operate};

/// A mobile that passes the rules, used to check a target on its own.
const PROBE_MOBILE: &str = "13800000000";

/// Checks the job's target (supplier id, operation) once, before any row.
pub(crate) fn check_target(target: &BlacklistTarget) -> Result<(), ValidationError> {
    let entry = Blacklist::new(PROBE_MOBILE);
    build(target, "probe".to_owned(), now_ms(), vec![entry]).validate()
}

/// Checks one row by the API's own rules.
pub(crate) fn check(record: &Record, target: &BlacklistTarget) -> Result<(), InvalidRow> {
    known_fields(record, JobKind::Blacklist)?;
    let entry = entry(record, target.operate)?;
    build(target, "check".to_owned(), now_ms(), vec![entry])
        .validate()
        .map_err(|e| invalid_from(record, &e))
}

/// The request for a batch of rows (in line order), duplicates merged.
pub(crate) fn request(
    target: &BlacklistTarget,
    request_id: String,
    request_time_ms: i64,
    rows: &[Record],
) -> Result<LogisticsExpressUserBlacklistTmsSyncRequest, InvalidRow> {
    let mut mobiles: Vec<&str> = Vec::with_capacity(rows.len());
    let mut chosen: Vec<&Record> = Vec::with_capacity(rows.len());
    for row in rows {
        let mobile = row.get("mobile").unwrap_or_default();
        match mobiles.iter().position(|m| *m == mobile) {
            Some(i) if chosen[i].line <= row.line => chosen[i] = row,
            Some(_) => {}
            None => {
                mobiles.push(mobile);
                chosen.push(row);
            }
        }
    }
    let mut entries = Vec::with_capacity(chosen.len());
    for row in chosen {
        entries.push(entry(row, target.operate)?);
    }
    Ok(build(target, request_id, request_time_ms, entries))
}

fn entry(record: &Record, operate: Operate) -> Result<Blacklist, InvalidRow> {
    let mobile = required(record, "mobile")?;
    Mobile::new(mobile)
        .validate("mobile")
        .map_err(|e| invalid_from(record, &e))?;
    let mut entry = Blacklist::new(mobile);
    if let (Some(reason), Operate::Add) = (record.get("reason"), operate) {
        let reasons = BlacklistReason::parse_list(reason)
            .map_err(|e| record.invalid("reason", e.rule.to_string()))?;
        entry = entry.reasons(reasons);
    }
    Ok(entry)
}

fn build(
    target: &BlacklistTarget,
    request_id: String,
    request_time_ms: i64,
    entries: Vec<Blacklist>,
) -> LogisticsExpressUserBlacklistTmsSyncRequest {
    LogisticsExpressUserBlacklistTmsSyncRequest::new(UserBlacklistRequest::new(
        request_id,
        request_time_ms,
        target.supplier_id.clone(),
        target.operate.operate_type(),
        entries,
    ))
}

/// Milliseconds since the epoch, for `request_time`.
pub(crate) fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}
