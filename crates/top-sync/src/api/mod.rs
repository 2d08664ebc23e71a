//! What a job sends, read from the API's description: the kinds of job, the plan of each
//! (columns, flags, generated members, defaults, labels, idempotency), a row read and checked
//! by it, the calls built from rows, and how they are sent.

mod call;
pub(crate) mod catalog;
mod flags;
mod kind;
mod plan;
pub mod requests;
mod row;
mod send;
mod target;

use std::collections::BTreeMap;

pub(crate) use call::{CallContext, build};
pub use catalog::importable;
pub(crate) use flags::checked as checked_flags;
pub use kind::{BulkKind, JobKind, UnknownBulkKind, UnknownJobKind};
pub use plan::{BulkPlan, FlagMember};
pub(crate) use row::{check as check_row, entry_of};
pub(crate) use send::send;
pub use target::{BlacklistTarget, Operate, UnknownOperate};

use crate::journal::JobMeta;

/// Columns of a job's rows that are read but not sent (see
/// [`BlacklistTarget::ignored_columns`]).
pub(crate) fn ignored_columns(meta: &JobMeta) -> &'static [&'static str] {
    match (&meta.kind, &meta.target) {
        (BulkKind::Named(JobKind::Blacklist), Some(target)) => target.ignored_columns(),
        _ => &[],
    }
}

/// The flags of a job's calls, checked.
pub(crate) fn job_flags(
    plan: &BulkPlan,
    meta: &JobMeta,
) -> Result<BTreeMap<String, String>, crate::error::SyncError> {
    checked_flags(plan, &meta.effective_flags())
}

/// The most rows per call any run may ask for: the blacklist list's limit (its
/// description's `max_items`, 1000), the largest of the named kinds.
pub(crate) fn largest_batch() -> usize {
    catalog::named(JobKind::Blacklist)
        .and_then(|n| n.plan.max_items())
        .unwrap_or(1000)
}
