//! What a blacklist job acts on: the supplier and the operation, which are the blacklist
//! API's bulk flags (`supplier-id`, `operate`).

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use logistics_blacklist::OperateType;

/// Add (or update) the listed users, or remove them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Operate {
    /// `operate_type=1`: add or update.
    #[default]
    Add,
    /// `operate_type=2`: delete.
    Remove,
}

impl Operate {
    /// `add` or `remove`.
    pub fn as_str(self) -> &'static str {
        match self {
            Operate::Add => "add",
            Operate::Remove => "remove",
        }
    }

    /// The API's operate type.
    pub fn operate_type(self) -> OperateType {
        match self {
            Operate::Add => OperateType::AddOrUpdate,
            Operate::Remove => OperateType::Delete,
        }
    }
}

impl fmt::Display for Operate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An operation name other than `add` or `remove`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown operation `{0}`: expected add or remove")]
pub struct UnknownOperate(pub String);

impl FromStr for Operate {
    type Err = UnknownOperate;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "add" => Ok(Operate::Add),
            "remove" => Ok(Operate::Remove),
            other => Err(UnknownOperate(other.to_owned())),
        }
    }
}

/// The target of a blacklist job: whose list, and what to do with the rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlacklistTarget {
    /// The service provider (`supplier_id`).
    pub supplier_id: String,
    /// Add or remove.
    pub operate: Operate,
}

impl BlacklistTarget {
    /// A target.
    pub fn new(supplier_id: impl Into<String>, operate: Operate) -> Self {
        BlacklistTarget {
            supplier_id: supplier_id.into(),
            operate,
        }
    }

    /// The blacklist API's flags for this target: `supplier-id`, and `operate` as its wire
    /// code (`1` add or update, `2` delete).
    pub fn flags(&self) -> BTreeMap<String, String> {
        BTreeMap::from([
            ("supplier-id".to_owned(), self.supplier_id.clone()),
            (
                "operate".to_owned(),
                self.operate.operate_type().code().to_string(),
            ),
        ])
    }

    /// Columns a blacklist job reads but does not send: `reason` when removing (a removed
    /// user has no reasons; `top blacklist sync --operate remove` has always ignored them).
    pub(crate) fn ignored_columns(&self) -> &'static [&'static str] {
        match self.operate {
            Operate::Add => &[],
            Operate::Remove => &["reason"],
        }
    }
}
