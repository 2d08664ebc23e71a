//! What a blacklist job acts on: the supplier and the operation.

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
}
