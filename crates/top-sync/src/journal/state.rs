//! Row states and the failure recorded with a row.

use std::fmt;
use std::str::FromStr;

/// Where a row is: `pending → in_flight → done | failed | unknown`, or `invalid` from the
/// start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RowState {
    /// Read and valid, not sent yet.
    Pending,
    /// Claimed for a call (for blacklist rows: member of a batch whose request id is fixed).
    InFlight,
    /// The call succeeded.
    Done,
    /// The call failed for good (or after every retry).
    Failed,
    /// The row breaks a rule; never sent.
    Invalid,
    /// A non-idempotent call whose outcome is unknown (it may have been applied); retried
    /// only when asked (`top sync retry --unknown`).
    Unknown,
}

impl RowState {
    /// The name stored in the journal.
    pub fn as_str(self) -> &'static str {
        match self {
            RowState::Pending => "pending",
            RowState::InFlight => "in_flight",
            RowState::Done => "done",
            RowState::Failed => "failed",
            RowState::Invalid => "invalid",
            RowState::Unknown => "unknown",
        }
    }
}

impl fmt::Display for RowState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for RowState {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "pending" => RowState::Pending,
            "in_flight" => RowState::InFlight,
            "done" => RowState::Done,
            "failed" => RowState::Failed,
            "invalid" => RowState::Invalid,
            "unknown" => RowState::Unknown,
            other => return Err(format!("unknown row state `{other}`")),
        })
    }
}

/// The last error of a row or batch, as recorded in the journal and the failures file.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct Failure {
    /// The TOP code (`15`, `7`...), the API's business code, or a local one: `invalid`,
    /// `http`, `transport`, `decode`, `unknown`.
    pub code: String,
    /// The TOP sub-code, the invalid field, the HTTP status or the transport error kind
    /// (mobile numbers masked: an unknown JSON field may be named by one).
    pub sub_code: Option<String>,
    /// What happened (mobile numbers masked).
    pub message: String,
}

impl Failure {
    /// A failure.
    pub fn new(
        code: impl Into<String>,
        sub_code: Option<String>,
        message: impl Into<String>,
    ) -> Self {
        Failure {
            code: crate::report::mask::scrub_mobiles(&code.into()),
            sub_code: sub_code.map(|s| crate::report::mask::scrub_mobiles(&s)),
            message: crate::report::mask::scrub_mobiles(&message.into()),
        }
    }
}
