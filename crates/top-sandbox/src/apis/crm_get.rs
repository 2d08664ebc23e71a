//! `alibaba.alsc.crm.customer.get`: reads a customer made by customer.create ([`super::crm`])
//! and changed by customer.update, found by its id, or else by its mobile or landline. The
//! description checks the members ("one way to find the customer"); this slice finds it and
//! shapes its profile as the vendor's `CustomerOpenInfo`. A read changes nothing.

use super::{ApiSlice, Applied, SliceCall, object, shown};
use crate::codes::TopError;
use crate::reply::{Fields, Node, fields};
use crate::snapshot::CustomerRecord;
use crate::state::Tx;

/// The method.
pub(crate) const METHOD: &str = "alibaba.alsc.crm.customer.get";

const PARAM: &str = "param_customer_id_query_open_req";

/// The slice (its state is customer.create's).
#[derive(Debug)]
pub(crate) struct GetCustomer;

impl ApiSlice for GetCustomer {
    fn method(&self) -> &'static str {
        METHOD
    }

    /// The customer's profile, or `biz_success=false` naming what was looked for.
    fn apply(&self, call: &SliceCall<'_>, tx: &mut Tx<'_>) -> Result<Applied, TopError> {
        let m = object(call.business, PARAM)?;
        let by_id = m.opt_str("customer_id")?;
        let by_mobile = m.opt_str("mobile")?;
        let by_phone = m.opt_str("phone")?;
        let customers = &tx.data.crm;
        let found = match (&by_id, &by_mobile, &by_phone) {
            (Some(id), _, _) => customers.get(id),
            (None, Some(mobile), _) => customers.find(|c| c.mobile.as_deref() == Some(mobile)),
            (None, None, Some(phone)) => customers.find(|c| c.phone.as_deref() == Some(phone)),
            // Cards, WeChat and Alipay ids are not kept by the sandbox: nobody has them.
            (None, None, None) => None,
        };
        let Some(customer) = found else {
            let looked_for = by_id
                .as_deref()
                .map_or_else(|| "(no customer_id)".to_owned(), shown);
            return Ok(Applied::once(not_found(&looked_for)));
        };
        Ok(Applied::once(answer(customer)))
    }
}

/// `biz_success=false`, as customer.update answers an unknown id (here `result.result` is an
/// object, so it is left out rather than empty).
fn not_found(looked_for: &str) -> Fields {
    let text = format!("顾客不存在: {looked_for}");
    fields([(
        "result",
        Node::Obj(fields([
            (
                "result_code",
                Node::str(super::crm_update::CUSTOMER_NOT_FOUND),
            ),
            ("result_desc", Node::str(&text)),
            ("result_view", Node::str(&text)),
            ("biz_success", Node::Bool(false)),
        ])),
    )])
}

/// `result.result.customer_open_info`, from what the sandbox keeps of a customer.
fn answer(c: &CustomerRecord) -> Fields {
    let mut profile = fields([
        ("customer_id", Node::str(&c.customer_id)),
        ("customer_type", Node::Int(c.customer_type)),
        ("deleted", Node::Bool(false)),
    ]);
    let texts = [
        ("name", &c.name),
        ("mobile", &c.mobile),
        ("phone", &c.phone),
        ("email", &c.email),
        ("address", &c.address),
        ("birthday", &c.birthday),
        ("level_id", &c.level_id),
        ("invoice", &c.invoice),
        ("remark", &c.remark),
    ];
    for (name, value) in texts {
        if let Some(value) = value {
            profile.push((name.to_owned(), Node::str(value)));
        }
    }
    // `gender` is a Number on this API (a string on customer.create).
    if let Some(gender) = c
        .gender
        .as_deref()
        .and_then(|g| g.trim().parse::<i64>().ok())
    {
        profile.push(("gender".to_owned(), Node::Int(gender)));
    }
    let tags: Vec<Node> = c
        .tag_id_list
        .iter()
        .chain(&c.tag_ids)
        .flatten()
        .map(Node::str)
        .collect();
    if !tags.is_empty() {
        profile.push((
            "tags".to_owned(),
            Node::List {
                item: "string".to_owned(),
                items: tags,
            },
        ));
    }
    fields([(
        "result",
        Node::Obj(fields([
            (
                "result",
                Node::Obj(fields([("customer_open_info", Node::Obj(profile))])),
            ),
            ("result_code", Node::str("0")),
            ("result_desc", Node::str("处理成功")),
            ("result_view", Node::str("处理成功")),
            ("biz_success", Node::Bool(true)),
        ])),
    )])
}
