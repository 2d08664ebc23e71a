//! The public view of the sandbox state: what `GET /sandbox/state` and
//! [`crate::SandboxHandle::state`] return.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// Every entity the sandbox holds, plus call counts per method.
///
/// Counts are keyed by TOP method name; methods never called are absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StateSnapshot {
    /// Blacklisted mobiles per `supplier_id`, sorted by mobile.
    pub blacklist: BTreeMap<String, Vec<BlacklistEntry>>,
    /// Successful retail taggings, in arrival order.
    pub tags: Vec<TagRecord>,
    /// Registered Damai members, in registration order (never the password).
    pub damai_members: Vec<MemberRecord>,
    /// CRM customers, in creation order.
    pub crm_customers: Vec<CustomerRecord>,
    /// Business calls received per method (counted once the system checks passed).
    pub calls: BTreeMap<String, u64>,
    /// State changes actually applied per method (never incremented by a replay).
    pub applied: BTreeMap<String, u64>,
    /// Idempotent replays served per method.
    pub replays: BTreeMap<String, u64>,
    /// `request_id`s remembered now (inside the idempotency window), over all apps and
    /// methods.
    pub idempotency_records: u64,
}

impl StateSnapshot {
    /// The blacklist of one supplier (empty when it has none).
    pub fn blacklist_of(&self, supplier_id: &str) -> &[BlacklistEntry] {
        self.blacklist
            .get(supplier_id)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// Calls received for `method`.
    pub fn calls_to(&self, method: &str) -> u64 {
        self.calls.get(method).copied().unwrap_or(0)
    }

    /// Changes applied for `method`.
    pub fn applied_to(&self, method: &str) -> u64 {
        self.applied.get(method).copied().unwrap_or(0)
    }

    /// Replays served for `method`.
    pub fn replays_of(&self, method: &str) -> u64 {
        self.replays.get(method).copied().unwrap_or(0)
    }
}

/// One blacklisted mobile of a supplier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlacklistEntry {
    /// The mobile number (11 digits).
    pub mobile: String,
    /// Reason codes 1-5, sorted, without duplicates (may be empty).
    pub reasons: Vec<u8>,
}

/// One successful `taobao.retail.user.tag.mobile.add`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TagRecord {
    /// `biz_code`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub biz_code: Option<String>,
    /// `isv_user_id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub isv_user_id: Option<String>,
    /// `open_id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub open_id: Option<String>,
    /// `alipay_user_id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alipay_user_id: Option<String>,
    /// `ext_param`, verbatim.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ext_param: Option<String>,
}

/// One Damai member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRecord {
    /// The member's mobile (the login name).
    pub user_phone: String,
    /// The generated member id.
    pub user_id: String,
    /// The generated member name.
    pub user_name: String,
}

/// One CRM customer: the fields it was created with (customer.create), then those changed by
/// customer.update.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CustomerRecord {
    /// The generated 20-digit customer id.
    pub customer_id: String,
    /// The `request_id` of the creating call.
    pub request_id: String,
    /// `outer_type` (with `outer_id`, the unique key).
    pub outer_type: String,
    /// `outer_id`.
    pub outer_id: String,
    /// `customer_type`: 1 member, 0 customer.
    pub customer_type: i64,
    /// `channel`.
    pub channel: String,
    /// `name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `mobile`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mobile: Option<String>,
    /// `gender`: "0" female, "1" male (customer.update sends a number, kept as its text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gender: Option<String>,
    /// `birthday`: GMT+8 `yyyy-MM-dd HH:mm:ss` from customer.create, as given from
    /// customer.update (a free text there).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub birthday: Option<String>,
    /// `email`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// `address`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// `phone` (landline).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// `brand_id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub brand_id: Option<String>,
    /// `shop_id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shop_id: Option<String>,
    /// `out_brand_id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub out_brand_id: Option<String>,
    /// `out_shop_id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub out_shop_id: Option<String>,
    /// `level_id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level_id: Option<String>,
    /// `operator_id`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operator_id: Option<String>,
    /// `invoice`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub invoice: Option<String>,
    /// `remark`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
    /// `tag_id_list`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag_id_list: Option<Vec<String>>,
    /// `tag_ids` (customer.update's crowd tags, not `tag_id_list`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tag_ids: Option<Vec<String>>,
    /// `ext_info` (customer.update).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ext_info: Option<String>,
    /// `operator_name` (customer.update).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operator_name: Option<String>,
    /// How many customer.update calls changed it (replays not counted).
    #[serde(skip_serializing_if = "is_zero")]
    pub updates: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}
