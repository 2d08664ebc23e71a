//! `alibaba.alsc.crm.customer.create`: customers unique per (outer_type, outer_id). The
//! description checks the members (lengths, mobile, e-mail, gender and type codes, the
//! birthday's format, "outer_id is a mobile when outer_type is mobile"); this slice keeps the
//! customers, which customer.update ([`super::crm_update`]) changes too.

use std::collections::HashMap;

use rusqlite::Connection;

use super::{ApiSlice, Applied, SliceCall, object};
use crate::codes::TopError;
use crate::idempotency::Outcome;
use crate::reply::{Fields, Node, fields};
use crate::snapshot::{CustomerRecord, StateSnapshot};
use crate::state::{Counter, Data, SliceChange, Tx};

/// The method.
pub(crate) const METHOD: &str = "alibaba.alsc.crm.customer.create";

const PARAM: &str = "param_customer_create_open_req";

/// `result_code` when (outer_type, outer_id) already has a customer.
pub(crate) const CUSTOMER_EXISTS: &str = "CUSTOMER_ALREADY_EXISTS";

/// The customers, in creation order; the `n`th has the id [`customer_id`]`(n)`.
#[derive(Debug, Default)]
pub(crate) struct Customers {
    list: Vec<CustomerRecord>,
    by_outer: HashMap<(String, String), usize>,
}

impl Customers {
    fn push(&mut self, customer: CustomerRecord) {
        self.by_outer.insert(
            (customer.outer_type.clone(), customer.outer_id.clone()),
            self.list.len(),
        );
        self.list.push(customer);
    }

    /// The customer with this id, if any.
    pub(crate) fn get(&self, id: &str) -> Option<&CustomerRecord> {
        let number = customer_number(id)?;
        let at = usize::try_from(number.checked_sub(1)?).ok()?;
        self.list.get(at).filter(|c| c.customer_id == id)
    }

    /// The first customer (in creation order) that `matches`.
    pub(crate) fn find(
        &self,
        matches: impl Fn(&CustomerRecord) -> bool,
    ) -> Option<&CustomerRecord> {
        self.list.iter().find(|c| matches(c))
    }

    /// Replaces a customer (found by its id) with its updated record.
    fn replace(&mut self, updated: CustomerRecord) {
        let at = customer_number(&updated.customer_id)
            .and_then(|n| n.checked_sub(1))
            .and_then(|n| usize::try_from(n).ok());
        if let Some(slot) = at.and_then(|at| self.list.get_mut(at))
            && slot.customer_id == updated.customer_id
        {
            *slot = updated;
        }
    }
}

/// The slice.
#[derive(Debug)]
pub(crate) struct CreateCustomer;

impl ApiSlice for CreateCustomer {
    fn method(&self) -> &'static str {
        METHOD
    }

    /// Creates the customer, or answers `biz_success=false` when (outer_type, outer_id)
    /// exists.
    fn apply(&self, call: &SliceCall<'_>, tx: &mut Tx<'_>) -> Result<Applied, TopError> {
        let m = object(call.business, PARAM)?;
        let mut record = CustomerRecord {
            customer_id: String::new(),
            request_id: m.opt_str("request_id")?.unwrap_or_default(),
            outer_type: m.req_str("outer_type")?,
            outer_id: m.req_str("outer_id")?,
            customer_type: m.req_int("customer_type")?,
            channel: m.req_str("channel")?,
            name: m.opt_str("name")?,
            mobile: m.opt_str("mobile")?,
            gender: m.opt_str("gender")?,
            // Kept in the one form the description accepts, whatever spacing came.
            birthday: m.opt_str("birthday")?.map(|text| {
                top_core::time::parse_gmt8(text.trim())
                    .map(top_core::time::format_gmt8)
                    .unwrap_or(text)
            }),
            email: m.opt_str("email")?,
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
            ..CustomerRecord::default()
        };
        let outer = (record.outer_type.clone(), record.outer_id.clone());
        if let Some(existing) = tx
            .data
            .crm
            .by_outer
            .get(&outer)
            .and_then(|&at| tx.data.crm.list.get(at))
        {
            return Ok(Applied::once(result(
                &existing.customer_id,
                CUSTOMER_EXISTS,
                "顾客已存在",
                false,
            )));
        }
        let number = tx.data.crm.list.len() as u64 + 1;
        record.customer_id = customer_id(number);
        let answer = created_answer(&record.customer_id);
        tracing::debug!(customer_id = %record.customer_id, outer_type = %record.outer_type, "customer created");
        tx.record(|| Change::Created(Box::new(record.clone())));
        tx.data.crm.push(record);
        tx.count(Counter::Applied, METHOD);
        Ok(Applied::remembered(answer, Outcome::Numbered(number)))
    }

    fn replayed(&self, outcome: Outcome) -> Option<Fields> {
        match outcome {
            Outcome::Numbered(number) => Some(created_answer(&customer_id(number))),
            Outcome::Same => None,
        }
    }

    fn schema(&self) -> &'static str {
        "CREATE TABLE IF NOT EXISTS customers(seq INTEGER PRIMARY KEY AUTOINCREMENT, record TEXT NOT NULL);"
    }

    fn tables(&self) -> &'static [&'static str] {
        &["customers"]
    }

    fn load(&self, conn: &Connection, data: &mut Data) -> rusqlite::Result<()> {
        for text in crate::store::strings(conn, "SELECT record FROM customers ORDER BY seq")? {
            data.crm.push(crate::store::from_json(&text)?);
        }
        Ok(())
    }

    fn snapshot(&self, data: &Data, into: &mut StateSnapshot) {
        into.crm_customers = data.crm.list.clone();
    }
}

/// A change of the customers.
#[derive(Debug)]
enum Change {
    Created(Box<CustomerRecord>),
    Updated(Box<CustomerRecord>),
}

impl SliceChange for Change {
    fn persist(&self, conn: &Connection) -> rusqlite::Result<()> {
        match self {
            Change::Created(customer) => {
                conn.prepare_cached("INSERT INTO customers(record) VALUES(?1)")?
                    .execute([crate::store::to_json(customer)?])?;
            }
            // Rows are found by the id inside the record: row numbers keep growing across
            // resets, customer numbers start again.
            Change::Updated(customer) => {
                conn.prepare_cached(
                    "UPDATE customers SET record = ?1 WHERE json_extract(record, '$.customer_id') = ?2",
                )?
                .execute([crate::store::to_json(customer)?, customer.customer_id.clone()])?;
            }
        }
        Ok(())
    }
}

/// Replaces a customer with its updated record (customer.update).
pub(crate) fn update(tx: &mut Tx<'_>, customer: CustomerRecord) {
    tx.record(|| Change::Updated(Box::new(customer.clone())));
    tx.data.crm.replace(customer);
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

/// The vendor's `CommonResult`, as customer.create and customer.update answer it.
pub(crate) fn result(result: &str, code: &str, text: &str, success: bool) -> Fields {
    fields([(
        "result",
        Node::Obj(fields([
            ("result", Node::str(result)),
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

    #[test]
    fn customers_by_id() {
        let mut customers = Customers::default();
        customers.push(CustomerRecord {
            customer_id: customer_id(1),
            name: Some("a".into()),
            ..CustomerRecord::default()
        });
        assert!(customers.get(&customer_id(1)).is_some());
        for absent in [customer_id(0), customer_id(2), "x".to_owned()] {
            assert!(customers.get(&absent).is_none(), "{absent}");
        }
        customers.replace(CustomerRecord {
            customer_id: customer_id(1),
            name: Some("b".into()),
            ..CustomerRecord::default()
        });
        customers.replace(CustomerRecord {
            customer_id: customer_id(5),
            ..CustomerRecord::default()
        });
        assert_eq!(customers.list.len(), 1);
        assert_eq!(
            customers
                .get(&customer_id(1))
                .and_then(|c| c.name.as_deref()),
            Some("b")
        );
    }
}
