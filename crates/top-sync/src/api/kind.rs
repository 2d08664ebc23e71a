//! The kinds of bulk job: the three named ones of the first commands (`blacklist`, `tag`,
//! `crm`), and any described API with bulk settings, by method name. Everything a kind
//! needs (columns, required columns, the label column, idempotency) comes from its API's
//! description ([`BulkPlan`]).

use std::fmt;
use std::str::FromStr;

use crate::api::catalog::{self, Named};
use crate::api::plan::BulkPlan;
use crate::error::SyncError;

/// The named kinds of bulk job, each the description-driven job of one API, stored in the
/// journal under its short name.
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

    /// The input columns (vendor field names) the job understands, from the description
    /// (empty only if the built-in descriptions cannot be read).
    pub fn columns(self) -> &'static [&'static str] {
        catalog::named(self).map_or(&[], |n| n.columns.as_slice())
    }

    /// Columns every row must have (a CSV header without them is refused up front).
    pub fn required_columns(self) -> &'static [&'static str] {
        catalog::named(self).map_or(&[], |n| n.required.as_slice())
    }

    /// The column that identifies a row in reports (masked when it is a mobile number).
    pub fn label_column(self) -> &'static str {
        catalog::named(self).map_or("", |n: &Named| n.label)
    }

    /// Whether a call whose outcome is unknown may be sent again with the same
    /// idempotency key (the description names one: blacklist and CRM; tagging has none).
    pub fn idempotent(self) -> bool {
        catalog::named(self).is_some_and(|n| n.plan.idempotent())
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

/// What a job sends: a named kind, or a described API by its method name
/// (`top import METHOD FILE`). Stored in the journal as the kind's name or the method.
///
/// ```
/// use top_sync::{BulkKind, JobKind};
/// let kind: BulkKind = "alibaba.alsc.crm.customer.update".parse().unwrap();
/// assert_eq!(kind.method(), "alibaba.alsc.crm.customer.update");
/// assert_eq!("crm".parse::<BulkKind>(), Ok(BulkKind::Named(JobKind::Crm)));
/// assert!("nonsense".parse::<BulkKind>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum BulkKind {
    /// One of the named kinds.
    Named(JobKind),
    /// Any described API with bulk settings.
    Described(String),
}

impl BulkKind {
    /// The name stored in the journal: the named kind's, or the method.
    pub fn as_str(&self) -> &str {
        match self {
            BulkKind::Named(kind) => kind.as_str(),
            BulkKind::Described(method) => method,
        }
    }

    /// The TOP method the job calls.
    pub fn method(&self) -> &str {
        match self {
            BulkKind::Named(kind) => kind.method(),
            BulkKind::Described(method) => method,
        }
    }

    /// The job's plan: columns, checks and calls, from the API's description.
    ///
    /// # Errors
    /// [`SyncError::Description`] when the method is not described, or has no bulk settings.
    pub fn plan(&self) -> Result<&'static BulkPlan, SyncError> {
        catalog::plan(self.method())
    }

    /// The header of the failures file's identifying column: the named kinds keep theirs
    /// (`mobile`, `user_id`, `outer_id`); a described job names its label member(s).
    pub fn label_column(&self) -> Result<&str, SyncError> {
        match self {
            BulkKind::Named(kind) => Ok(kind.label_column()),
            BulkKind::Described(_) => Ok(self.plan()?.label_column()),
        }
    }
}

impl From<JobKind> for BulkKind {
    fn from(kind: JobKind) -> Self {
        BulkKind::Named(kind)
    }
}

impl From<&BulkKind> for BulkKind {
    fn from(kind: &BulkKind) -> Self {
        kind.clone()
    }
}

impl fmt::Display for BulkKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A stored kind that is neither a named kind nor a method name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown job kind `{0}`: expected blacklist, tag, crm or a TOP method name")]
pub struct UnknownBulkKind(pub String);

impl FromStr for BulkKind {
    type Err = UnknownBulkKind;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Ok(kind) = s.parse::<JobKind>() {
            return Ok(BulkKind::Named(kind));
        }
        let method = s.split('.').count() >= 3
            && s.split('.').all(|w| {
                !w.is_empty()
                    && w.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            });
        if method {
            Ok(BulkKind::Described(s.to_owned()))
        } else {
            Err(UnknownBulkKind(s.to_owned()))
        }
    }
}
