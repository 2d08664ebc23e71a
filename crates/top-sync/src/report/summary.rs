//! Row counts by state, and the report of a run.

use std::time::Duration;

use chrono::{DateTime, Utc};

/// Rows by state (`total` = all rows read from the input).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Summary {
    /// Every row read from the input.
    pub total: u64,
    /// Sent and accepted.
    pub done: u64,
    /// Sent and refused, or out of retries.
    pub failed: u64,
    /// Breaking a rule; never sent.
    pub invalid: u64,
    /// Outcome unknown (non-idempotent API); see `top sync retry --unknown`.
    pub unknown: u64,
    /// Not sent yet (a stopped run).
    pub pending: u64,
    /// Claimed by a call that has not finished (a stopped or killed run; resent on resume).
    pub in_flight: u64,
}

impl Summary {
    /// Whether every valid row is done and no row is invalid.
    pub fn all_done(&self) -> bool {
        self.done == self.total
    }

    /// Whether rows are left to send (pending or in flight).
    pub fn unfinished(&self) -> bool {
        self.pending > 0 || self.in_flight > 0
    }
}

/// Why a run stopped before every row was finished.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum StopReason {
    /// Asked to stop (Ctrl-C, or [`crate::StopSignal::stop`]).
    Interrupted,
    /// TOP banned the app (code 7) for longer than the run waits.
    RateLimited {
        /// When the ban ends and the job may resume.
        resume_at: DateTime<Utc>,
        /// The ban length TOP announced, in seconds.
        ban_seconds: u64,
    },
}

/// What a run did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RunReport {
    /// Rows by state at the end of the run (the whole journal).
    pub summary: Summary,
    /// Why the run stopped early, if it did; the job can be resumed.
    pub stopped: Option<StopReason>,
    /// Rows finished (done, failed or unknown) during this run.
    pub processed: u64,
    /// Calls sent during this run (batches count once).
    pub calls: u64,
    /// Wall time of the run.
    #[serde(serialize_with = "seconds")]
    pub elapsed: Duration,
}

impl RunReport {
    /// Rows finished per second during this run.
    pub fn rows_per_second(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 {
            self.processed as f64 / secs
        } else {
            0.0
        }
    }
}

fn seconds<S: serde::Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(d.as_secs_f64())
}
