//! What a job reports: row counts and the report of a run, the failures file, and the
//! masking every report applies to mobile numbers.

mod failures;
pub(crate) mod mask;
mod summary;

pub use failures::FailuresWriter;
pub use mask::{scrub_identifier, scrub_mobiles};
pub use summary::{RunReport, StopReason, Summary};
