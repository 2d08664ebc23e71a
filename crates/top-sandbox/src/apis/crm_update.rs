//! `alibaba.alsc.crm.customer.update`: changes a customer made by customer.create
//! ([`super::crm`]), found by its id. The description checks the members; this slice checks
//! that the customer exists and applies the members given (the others stay).

use super::{ApiSlice, Applied, SliceCall, crm, object, shown};
use crate::codes::TopError;
use crate::idempotency::Outcome;
use crate::reply::Fields;
use crate::state::{Counter, Tx};

/// The method.
pub(crate) const METHOD: &str = "alibaba.alsc.crm.customer.update";

const PARAM: &str = "param_customer_update_open_req";

/// `result_code` when no customer has the id.
pub(crate) const CUSTOMER_NOT_FOUND: &str = "CUSTOMER_NOT_FOUND";

/// The slice (its state is customer.create's).
#[derive(Debug)]
pub(crate) struct UpdateCustomer;

impl ApiSlice for UpdateCustomer {
    fn method(&self) -> &'static str {
        METHOD
    }

    /// Updates the customer, or answers `biz_success=false` naming the id when there is no
    /// such customer (as customer.create answers an existing one).
    fn apply(&self, call: &SliceCall<'_>, tx: &mut Tx<'_>) -> Result<Applied, TopError> {
        let m = object(call.business, PARAM)?;
        let customer_id = m.req_str("customer_id")?;
        let Some(existing) = tx.data.crm.get(&customer_id) else {
            let text = format!("顾客不存在: {}", shown(&customer_id));
            return Ok(Applied::once(crm::result(
                "false",
                CUSTOMER_NOT_FOUND,
                &text,
                false,
            )));
        };
        let mut customer = existing.clone();
        // Only the members given change; the vendor's update has no way to clear one.
        let set = |slot: &mut Option<String>, value: Option<String>| {
            if value.is_some() {
                *slot = value;
            }
        };
        set(&mut customer.address, m.opt_str("address")?);
        set(&mut customer.birthday, m.opt_str("birthday")?);
        set(&mut customer.brand_id, m.opt_str("brand_id")?);
        set(&mut customer.email, m.opt_str("email")?);
        set(&mut customer.ext_info, m.opt_str("ext_info")?);
        set(&mut customer.gender, m.opt_str("gender")?);
        set(&mut customer.invoice, m.opt_str("invoice")?);
        set(&mut customer.level_id, m.opt_str("level_id")?);
        set(&mut customer.mobile, m.opt_str("mobile")?);
        set(&mut customer.name, m.opt_str("name")?);
        set(&mut customer.operator_id, m.opt_str("operator_id")?);
        set(&mut customer.operator_name, m.opt_str("operator_name")?);
        set(&mut customer.phone, m.opt_str("phone")?);
        set(&mut customer.remark, m.opt_str("remark")?);
        set(&mut customer.out_brand_id, m.opt_str("out_brand_id")?);
        if let Some(tags) = m.opt_str_list("tag_ids")? {
            customer.tag_ids = Some(tags);
        }
        if let Some(customer_type) = m.opt_int("customer_type")? {
            customer.customer_type = customer_type;
        }
        customer.updates = customer.updates.saturating_add(1);
        tracing::debug!(customer_id = %customer.customer_id, "customer updated");
        crm::update(tx, customer);
        tx.count(Counter::Applied, METHOD);
        Ok(Applied::remembered(updated_answer(), Outcome::Same))
    }

    fn replayed(&self, _outcome: Outcome) -> Option<Fields> {
        Some(updated_answer())
    }
}

/// The answer of an applied update (and of its replays): `result` is the vendor's
/// "更新是否成功" (whether the update succeeded), a String.
fn updated_answer() -> Fields {
    crm::result("true", "0", "处理成功", true)
}
