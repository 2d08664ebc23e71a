//! The typed requests built from [`Record`]s, with the same column rules as the bulk jobs;
//! `top tag add`, `top blacklist add` and `top crm create` use them so a single call and a
//! bulk row are read alike.

use alsc_crm::AlibabaAlscCrmCustomerCreateRequest;
use logistics_blacklist::LogisticsExpressUserBlacklistTmsSyncRequest;
use retail_tag::RetailUserTagMobileAddRequest;

use crate::checks::known_fields;
use crate::kind::JobKind;
use crate::record::{InvalidRow, Record};
use crate::target::BlacklistTarget;
use crate::{blacklist, crm, tag};

/// `taobao.retail.user.tag.mobile.add` for one record.
pub fn tag_request(record: &Record) -> Result<RetailUserTagMobileAddRequest, InvalidRow> {
    known_fields(record, JobKind::Tag)?;
    Ok(tag::request(record))
}

/// `alibaba.alsc.crm.customer.create` for one record, with `request_id` as the idempotency
/// key.
pub fn crm_request(
    record: &Record,
    request_id: &str,
) -> Result<AlibabaAlscCrmCustomerCreateRequest, InvalidRow> {
    known_fields(record, JobKind::Crm)?;
    crm::request(record, request_id)
}

/// `taobao.logistics.express.user.blacklist.tms.sync` for records (`mobile`, `reason`),
/// duplicates merged, with a fixed request id and request time.
pub fn blacklist_request(
    target: &BlacklistTarget,
    request_id: String,
    request_time_ms: i64,
    records: &[Record],
) -> Result<LogisticsExpressUserBlacklistTmsSyncRequest, InvalidRow> {
    for record in records {
        known_fields(record, JobKind::Blacklist)?;
    }
    blacklist::request(target, request_id, request_time_ms, records)
}
