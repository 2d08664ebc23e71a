//! CRM customer rows (the `CustomerCreateOpenReq` member names) and the
//! `alibaba.alsc.crm.customer.create` request built from one of them.
//!
//! Column rules: `customer_type` is `0` (customer) or `1` (member); `gender` is `0`
//! (female) or `1` (male); `birthday` is `yyyy-MM-dd HH:mm:ss` or `yyyy-MM-dd`, in GMT+8;
//! `tag_id_list` is a comma-separated list (or a JSON array in JSON Lines). A `request_id`
//! column, when present, is used as the idempotency key; otherwise the journal derives a
//! stable one from the job id and the line number.

use alsc_crm::{AlibabaAlscCrmCustomerCreateRequest, CustomerCreateOpenReq, CustomerType, Gender};
use chrono::{DateTime, Utc};
use top_core::TopRequest;

use crate::checks::{invalid_from, known_fields, required};
use crate::kind::JobKind;
use crate::record::{InvalidRow, Record};

/// Checks one row by the API's own rules.
pub(crate) fn check(record: &Record, request_id: &str) -> Result<(), InvalidRow> {
    known_fields(record, JobKind::Crm)?;
    request(record, request_id)?
        .validate()
        .map_err(|e| invalid_from(record, &e))
}

/// The idempotency key of a row: its own `request_id` column, or one derived from the
/// job id and the line (stable across runs, so a resend replays instead of creating twice).
pub(crate) fn request_id(record: &Record, job_id: &str) -> String {
    match record.get("request_id") {
        Some(id) => id.to_owned(),
        None => format!("{job_id}-{}", record.line),
    }
}

/// The request for one row.
pub(crate) fn request(
    record: &Record,
    request_id: &str,
) -> Result<AlibabaAlscCrmCustomerCreateRequest, InvalidRow> {
    let customer_type = match required(record, "customer_type")? {
        "0" => CustomerType::Customer,
        "1" => CustomerType::Member,
        _ => return Err(record.invalid("customer_type", "must be 0 (customer) or 1 (member)")),
    };
    let mut req = CustomerCreateOpenReq::new(
        request_id.to_owned(),
        required(record, "outer_type")?.to_owned(),
        required(record, "outer_id")?.to_owned(),
        required(record, "channel")?.to_owned(),
        customer_type,
    );
    let text = |name: &str| record.get(name).map(str::to_owned);
    if let Some(v) = text("address") {
        req = req.address(v);
    }
    if let Some(v) = record.get("birthday") {
        let at = birthday(v).ok_or_else(|| {
            record.invalid(
                "birthday",
                "must be a GMT+8 date `yyyy-MM-dd HH:mm:ss` or `yyyy-MM-dd`",
            )
        })?;
        req = req.birthday(at);
    }
    if let Some(v) = text("brand_id") {
        req = req.brand_id(v);
    }
    if let Some(v) = text("email") {
        req = req.email(v);
    }
    if let Some(v) = record.get("gender") {
        let gender = match v {
            "0" => Gender::Female,
            "1" => Gender::Male,
            _ => return Err(record.invalid("gender", "must be 0 (female) or 1 (male)")),
        };
        req = req.gender(gender);
    }
    if let Some(v) = text("invoice") {
        req = req.invoice(v);
    }
    if let Some(v) = text("level_id") {
        req = req.level_id(v);
    }
    if let Some(v) = text("mobile") {
        req = req.mobile(v);
    }
    if let Some(v) = text("name") {
        req = req.name(v);
    }
    if let Some(v) = text("operator_id") {
        req = req.operator_id(v);
    }
    if let Some(v) = text("phone") {
        req = req.phone(v);
    }
    if let Some(v) = text("remark") {
        req = req.remark(v);
    }
    if let Some(v) = text("shop_id") {
        req = req.shop_id(v);
    }
    if let Some(v) = record.get("tag_id_list") {
        let tags: Vec<String> = v
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect();
        req = req.tag_id_list(tags);
    }
    if let Some(v) = text("out_brand_id") {
        req = req.out_brand_id(v);
    }
    if let Some(v) = text("out_shop_id") {
        req = req.out_shop_id(v);
    }
    Ok(AlibabaAlscCrmCustomerCreateRequest::new(req))
}

/// `yyyy-MM-dd HH:mm:ss` or `yyyy-MM-dd` (midnight), both GMT+8.
pub(crate) fn birthday(text: &str) -> Option<DateTime<Utc>> {
    top_core::time::parse_gmt8(text).or_else(|| {
        (text.len() == 10)
            .then(|| top_core::time::parse_gmt8(&format!("{text} 00:00:00")))
            .flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn birthday_forms() {
        assert_eq!(
            birthday("2010-01-01"),
            top_core::time::parse_gmt8("2010-01-01 00:00:00")
        );
        assert!(birthday("2010-01-01 08:30:00").is_some());
        assert!(birthday("2010-13-01").is_none());
        assert!(birthday("yesterday").is_none());
    }
}
