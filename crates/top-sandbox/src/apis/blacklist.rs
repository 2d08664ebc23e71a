//! `taobao.logistics.express.user.blacklist.tms.sync`: a blacklist of mobiles per supplier.

use top_core::Params;
use top_core::is_mainland_mobile;

use super::{Api, Members, Rules, object_param};
use crate::codes::TopError;
use crate::idempotency::{self, IdemRequest, Outcome, PayloadHash};
use crate::reply::{Fields, Node, fields};
use crate::state::{Counter, Tx};

const PARAM: &str = "user_blacklist_request";

/// `operate_type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Operate {
    /// 1: add or update (reasons replaced).
    Upsert,
    /// 2: delete.
    Delete,
}

/// A validated sync.
#[derive(Debug)]
pub(crate) struct SyncRequest {
    request_id: String,
    supplier_id: String,
    operate: Operate,
    /// (mobile, reasons) in request order.
    entries: Vec<(String, Vec<u8>)>,
    payload_sha256: PayloadHash,
}

/// Reads and checks `user_blacklist_request`.
pub(crate) fn parse(params: &Params, rules: &Rules) -> Result<SyncRequest, TopError> {
    let map = object_param(params, PARAM)?;
    let m = Members::new(PARAM, &map);
    let request_id = m.req_str("request_id")?;
    m.req_int("request_time")?;
    let supplier_id = m.req_str("supplier_id")?;
    for key in ["service_type", "ability_type"] {
        if m.req_str(key)?.trim() != "1" {
            return Err(TopError::invalid_parameter(
                &m.path_of(key),
                Some("must be \"1\" (上门取退)"),
            ));
        }
    }
    let list = m.req_array("blacklist")?;
    let operate = match m.req_int("operate_type")? {
        1 => Operate::Upsert,
        2 => Operate::Delete,
        _ => {
            return Err(TopError::invalid_parameter(
                &m.path_of("operate_type"),
                Some("must be 1 (add or update) or 2 (delete)"),
            ));
        }
    };
    if list.is_empty() {
        return Err(TopError::invalid_parameter(
            &m.path_of("blacklist"),
            Some("must hold at least one entry"),
        ));
    }
    if list.len() > rules.max_blacklist_entries {
        return Err(TopError::invalid_parameter(
            &m.path_of("blacklist"),
            Some(&format!(
                "at most {} entries per call",
                rules.max_blacklist_entries
            )),
        ));
    }
    let mut entries = Vec::with_capacity(list.len());
    for (i, item) in list.iter().enumerate() {
        let path = format!("{PARAM}.blacklist[{i}]");
        let Some(object) = item.as_object() else {
            return Err(TopError::invalid_parameter(
                &path,
                Some("must be an object"),
            ));
        };
        let entry = Members::new(path, object);
        let mobile = entry.req_str("mobile")?;
        if !is_mainland_mobile(&mobile) {
            return Err(TopError::invalid_parameter(
                &entry.path_of("mobile"),
                Some("must be an 11-digit mainland China mobile number"),
            ));
        }
        let reasons = match entry.opt_str("reason")? {
            None => Vec::new(),
            Some(text) => parse_reasons(&text).ok_or_else(|| {
                TopError::invalid_parameter(
                    &entry.path_of("reason"),
                    Some("must be a comma-separated list of codes 1-5"),
                )
            })?,
        };
        entries.push((mobile, reasons));
    }
    Ok(SyncRequest {
        request_id,
        supplier_id,
        operate,
        entries,
        payload_sha256: idempotency::payload_hash(&map, &["request_time"]),
    })
}

/// `"1,2"` → `[1, 2]` (sorted, without duplicates); `None` for anything but codes 1-5.
fn parse_reasons(text: &str) -> Option<Vec<u8>> {
    let mut reasons = Vec::new();
    for part in text.split(',') {
        match part.trim() {
            code @ ("1" | "2" | "3" | "4" | "5") => reasons.push(code.as_bytes()[0] - b'0'),
            _ => return None,
        }
    }
    reasons.sort_unstable();
    reasons.dedup();
    Some(reasons)
}

/// Applies the sync, or replays its first answer.
pub(crate) fn apply(req: SyncRequest, app_key: &str, tx: &mut Tx<'_>) -> Result<Fields, TopError> {
    let idem = IdemRequest {
        app_key,
        api: Api::Blacklist,
        request_id: &req.request_id,
    };
    if let Some(answer) = tx.replay(&idem, &req.payload_sha256)? {
        tx.count(Counter::Replays, Api::Blacklist);
        tracing::debug!(request_id = %req.request_id, "blacklist sync replayed");
        return Ok(answer);
    }
    for (mobile, reasons) in req.entries.iter() {
        match req.operate {
            Operate::Upsert => tx.blacklist_put(&req.supplier_id, mobile, reasons.clone()),
            Operate::Delete => tx.blacklist_delete(&req.supplier_id, mobile),
        }
    }
    tracing::debug!(
        supplier_id = %req.supplier_id,
        entries = req.entries.len(),
        operate = ?req.operate,
        request_id = %req.request_id,
        "blacklist sync applied"
    );
    tx.remember(&idem, req.payload_sha256, Outcome::BlacklistSynced);
    tx.count(Counter::Applied, Api::Blacklist);
    Ok(synced_answer())
}

/// The answer of an applied sync (and of its replays).
pub(crate) fn synced_answer() -> Fields {
    fields([(
        "user_blacklist_response",
        Node::Obj(fields([
            ("success", Node::Bool(true)),
            ("code", Node::str("200")),
            ("message", Node::str("SUCCESS")),
            ("is_retry", Node::Bool(false)),
        ])),
    )])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons() {
        assert_eq!(parse_reasons("2,1, 2"), Some(vec![1, 2]));
        assert_eq!(parse_reasons("5"), Some(vec![5]));
        for bad in ["0", "6", "1,,2", "a", "1;2", "12"] {
            assert_eq!(parse_reasons(bad), None, "{bad}");
        }
    }
}
