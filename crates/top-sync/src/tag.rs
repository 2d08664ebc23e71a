//! Retail tag rows (`biz_code`, `isv_user_id`, `open_id`, `alipay_user_id`, `ext_param`)
//! and the `taobao.retail.user.tag.mobile.add` request built from one of them.

use retail_tag::RetailUserTagMobileAddRequest;
use top_core::TopRequest;

use crate::checks::{invalid_from, known_fields};
use crate::kind::JobKind;
use crate::record::{InvalidRow, Record};

/// Checks one row by the API's own rules.
pub(crate) fn check(record: &Record) -> Result<(), InvalidRow> {
    known_fields(record, JobKind::Tag)?;
    request(record)
        .validate()
        .map_err(|e| invalid_from(record, &e))
}

/// The request for one row.
pub(crate) fn request(record: &Record) -> RetailUserTagMobileAddRequest {
    let mut request = RetailUserTagMobileAddRequest::new();
    let text = |name: &str| record.get(name).map(str::to_owned);
    if let Some(v) = text("biz_code") {
        request = request.biz_code(v);
    }
    if let Some(v) = text("isv_user_id") {
        request = request.isv_user_id(v);
    }
    if let Some(v) = text("open_id") {
        request = request.open_id(v);
    }
    if let Some(v) = text("alipay_user_id") {
        request = request.alipay_user_id(v);
    }
    if let Some(v) = text("ext_param") {
        request = request.ext_param(v);
    }
    request
}

/// The value that names a tag row in reports: the first user id present.
pub(crate) fn user_id(record: &Record) -> Option<&str> {
    ["isv_user_id", "open_id", "alipay_user_id"]
        .into_iter()
        .find_map(|name| record.get(name))
}
