//! Running a job: the options of a run, the dispatcher and its workers, the units they send
//! (a row, or a batch of rows), the pending rows paged in line order, the pause every worker
//! honours during a code-7 ban, what a call's result means for its rows, the stop signal and
//! the live progress counters.

mod engine;
mod gate;
mod options;
mod progress;
mod source;
mod stop;
mod unit;
mod verdict;

pub(crate) use engine::Engine;
pub use options::RunOptions;
pub use progress::{Progress, ProgressSnapshot};
pub use stop::StopSignal;

/// What every unit of a job is built with: the plan, the kind's name, the checked flags
/// and the columns read but not sent.
pub(crate) fn unit_context(
    plan: &'static crate::api::BulkPlan,
    kind: &str,
    flags: std::collections::BTreeMap<String, String>,
    ignored: &'static [&'static str],
) -> unit::UnitContext {
    unit::UnitContext {
        plan,
        kind: kind.to_owned(),
        flags,
        ignored,
    }
}
