//! `alibaba.alsc.crm.customer.create`: customers unique per (outer_type, outer_id).

use top_core::{Params, is_mainland_mobile};

use super::{Api, Members, object_param};
use crate::codes::TopError;
use crate::idempotency::{self, IdemRequest, Outcome, PayloadHash};
use crate::reply::{Fields, Node, fields};
use crate::snapshot::CustomerRecord;
use crate::state::{Counter, Tx};

const PARAM: &str = "param_customer_create_open_req";

/// `result_code` when (outer_type, outer_id) already has a customer.
pub(crate) const CUSTOMER_EXISTS: &str = "CUSTOMER_ALREADY_EXISTS";

/// A validated `param_customer_create_open_req`.
#[derive(Debug)]
pub(crate) struct CreateRequest {
    record: CustomerRecord,
    payload_sha256: PayloadHash,
}

/// Reads and checks the customer.
pub(crate) fn parse(params: &Params) -> Result<CreateRequest, TopError> {
    let map = object_param(params, PARAM)?;
    let m = Members::new(PARAM, &map);
    // Required members first, in the vendor page's order.
    let channel = m.req_str("channel")?;
    let customer_type = m.req_int("customer_type")?;
    let outer_id = m.req_str("outer_id")?;
    let outer_type = m.req_str("outer_type")?;
    let request_id = m.req_str("request_id")?;
    if !matches!(customer_type, 0 | 1) {
        return Err(TopError::invalid_parameter(
            &m.path_of("customer_type"),
            Some("must be 1 (member) or 0 (customer)"),
        ));
    }
    let mobile = m.opt_str("mobile")?;
    if mobile.as_deref().is_some_and(|v| !is_mainland_mobile(v)) {
        return Err(TopError::invalid_parameter(
            &m.path_of("mobile"),
            Some("must be an 11-digit mainland China mobile number"),
        ));
    }
    let gender = m.opt_str("gender")?;
    if gender.as_deref().is_some_and(|g| !matches!(g, "0" | "1")) {
        return Err(TopError::invalid_parameter(
            &m.path_of("gender"),
            Some("must be \"0\" (female) or \"1\" (male)"),
        ));
    }
    let birthday = match m.opt_str("birthday")? {
        None => None,
        Some(text) => Some(
            top_core::time::parse_timestamp(&text)
                .map(top_core::time::format_gmt8)
                .ok_or_else(|| {
                    TopError::invalid_parameter(
                        &m.path_of("birthday"),
                        Some("must be `yyyy-MM-dd HH:mm:ss` (GMT+8)"),
                    )
                })?,
        ),
    };
    let email = m.opt_str("email")?;
    if email.as_deref().is_some_and(|e| {
        !e.contains('@')
            || e.starts_with('@')
            || e.ends_with('@')
            || e.contains(char::is_whitespace)
    }) {
        return Err(TopError::invalid_parameter(
            &m.path_of("email"),
            Some("must be an email address"),
        ));
    }
    let record = CustomerRecord {
        customer_id: String::new(),
        request_id,
        outer_type,
        outer_id,
        customer_type,
        channel,
        name: m.opt_str("name")?,
        mobile,
        gender,
        birthday,
        email,
        address: m.opt_str("address")?,
        phone: m.opt_str("phone")?,
        brand_id: m.opt_str("brand_id")?,
        shop_id: m.opt_str("shop_id")?,
        out_brand_id: m.opt_str("out_brand_id")?,
        out_shop_id: m.opt_str("out_shop_id")?,
        level_id: m.opt_str("level_id")?,
        operator_id: m.opt_str("operator_id")?,
        invoice: m.opt_str("invoice")?,
        remark: m.opt_str("remark")?,
        tag_id_list: m.opt_str_list("tag_id_list")?,
    };
    Ok(CreateRequest {
        record,
        payload_sha256: idempotency::payload_hash(&map, &[]),
    })
}

/// Creates the customer, replays the first answer of its request_id, or answers
/// `biz_success=false` when (outer_type, outer_id) exists.
pub(crate) fn apply(
    req: CreateRequest,
    app_key: &str,
    tx: &mut Tx<'_>,
) -> Result<Fields, TopError> {
    let mut record = req.record;
    let request_id = record.request_id.clone();
    let idem = IdemRequest {
        app_key,
        api: Api::Crm,
        request_id: &request_id,
    };
    if let Some(answer) = tx.replay(&idem, &req.payload_sha256)? {
        tx.count(Counter::Replays, Api::Crm);
        tracing::debug!(%request_id, "customer create replayed");
        return Ok(answer);
    }
    let outer = (record.outer_type.clone(), record.outer_id.clone());
    if let Some(existing) = tx
        .data
        .customer_by_outer
        .get(&outer)
        .and_then(|&at| tx.data.customers.get(at))
    {
        return Ok(result(
            &existing.customer_id,
            CUSTOMER_EXISTS,
            "顾客已存在",
            false,
        ));
    }
    let number = tx.data.customers.len() as u64 + 1;
    record.customer_id = customer_id(number);
    let answer = created_answer(&record.customer_id);
    tracing::debug!(customer_id = %record.customer_id, outer_type = %record.outer_type, "customer created");
    tx.push_customer(record);
    tx.remember(&idem, req.payload_sha256, Outcome::CustomerCreated(number));
    tx.count(Counter::Applied, Api::Crm);
    Ok(answer)
}

/// The id of the `number`th customer: `2019` and 16 digits.
pub(crate) fn customer_id(number: u64) -> String {
    format!("2019{number:016}")
}

/// The number in a customer id made by [`customer_id`].
pub(crate) fn customer_number(id: &str) -> Option<u64> {
    let digits = id.strip_prefix("2019")?;
    if digits.len() != 16 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// The answer of a created customer (and of its replays).
pub(crate) fn created_answer(customer_id: &str) -> Fields {
    result(customer_id, "0", "处理成功", true)
}

fn result(id: &str, code: &str, text: &str, success: bool) -> Fields {
    fields([(
        "result",
        Node::Obj(fields([
            ("result", Node::str(id)),
            ("result_code", Node::str(code)),
            ("result_desc", Node::str(text)),
            ("result_view", Node::str(text)),
            ("biz_success", Node::Bool(success)),
        ])),
    )])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn customer_ids_and_numbers() {
        assert_eq!(customer_id(7), "20190000000000000007");
        assert_eq!(customer_number("20190000000000000007"), Some(7));
        assert_eq!(customer_number(&customer_id(u64::MAX)), None, "20 digits");
        for bad in [
            "2019000000000000007",
            "20180000000000000007",
            "2019000000000000000x",
        ] {
            assert_eq!(customer_number(bad), None, "{bad}");
        }
    }
}
