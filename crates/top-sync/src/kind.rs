//! The kinds of bulk job: which API, which columns, whether resending is safe.

use std::fmt;
use std::str::FromStr;

/// What a bulk job sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JobKind {
    /// `taobao.logistics.express.user.blacklist.tms.sync`, rows batched per call
    /// (idempotent: one `request_id` per batch).
    Blacklist,
    /// `taobao.retail.user.tag.mobile.add`, one call per row (not idempotent).
    Tag,
    /// `alibaba.alsc.crm.customer.create`, one call per row (idempotent: one `request_id`
    /// per row).
    Crm,
}

impl JobKind {
    /// The name stored in the journal (`blacklist`, `tag`, `crm`).
    pub fn as_str(self) -> &'static str {
        match self {
            JobKind::Blacklist => "blacklist",
            JobKind::Tag => "tag",
            JobKind::Crm => "crm",
        }
    }

    /// The TOP method the job calls.
    pub fn method(self) -> &'static str {
        match self {
            JobKind::Blacklist => "taobao.logistics.express.user.blacklist.tms.sync",
            JobKind::Tag => "taobao.retail.user.tag.mobile.add",
            JobKind::Crm => "alibaba.alsc.crm.customer.create",
        }
    }

    /// The input columns (vendor field names) the job understands.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            JobKind::Blacklist => &["mobile", "reason"],
            JobKind::Tag => &[
                "biz_code",
                "isv_user_id",
                "open_id",
                "alipay_user_id",
                "ext_param",
            ],
            JobKind::Crm => &[
                "request_id",
                "outer_type",
                "outer_id",
                "channel",
                "customer_type",
                "address",
                "birthday",
                "brand_id",
                "email",
                "gender",
                "invoice",
                "level_id",
                "mobile",
                "name",
                "operator_id",
                "phone",
                "remark",
                "shop_id",
                "tag_id_list",
                "out_brand_id",
                "out_shop_id",
            ],
        }
    }

    /// Columns every row must have (a CSV header without them is refused up front).
    pub fn required_columns(self) -> &'static [&'static str] {
        match self {
            JobKind::Blacklist => &["mobile"],
            JobKind::Tag => &[],
            JobKind::Crm => &["outer_type", "outer_id", "channel", "customer_type"],
        }
    }

    /// The column that identifies a row in reports (masked when it is a mobile number).
    pub fn label_column(self) -> &'static str {
        match self {
            JobKind::Blacklist => "mobile",
            JobKind::Tag => "user_id",
            JobKind::Crm => "outer_id",
        }
    }

    /// Whether a call whose outcome is unknown may be sent again with the same
    /// idempotency key (blacklist and CRM carry a `request_id`; tagging does not).
    pub fn idempotent(self) -> bool {
        matches!(self, JobKind::Blacklist | JobKind::Crm)
    }
}

impl fmt::Display for JobKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A job kind name that is not `blacklist`, `tag` or `crm`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown job kind `{0}`: expected blacklist, tag or crm")]
pub struct UnknownJobKind(pub String);

impl FromStr for JobKind {
    type Err = UnknownJobKind;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "blacklist" => Ok(JobKind::Blacklist),
            "tag" => Ok(JobKind::Tag),
            "crm" => Ok(JobKind::Crm),
            other => Err(UnknownJobKind(other.to_owned())),
        }
    }
}
