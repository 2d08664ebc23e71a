//! Live counters of a job, for a progress bar or periodic log lines.

use std::sync::atomic::{AtomicU64, Ordering};

/// Counters updated as the job goes; read them from another task to show progress.
#[derive(Debug, Default)]
pub struct Progress {
    /// Rows read from the input so far.
    pub read: AtomicU64,
    /// Rows in the job (known once the input is read).
    pub total: AtomicU64,
    /// Rows done (including those done by earlier runs).
    pub done: AtomicU64,
    /// Rows failed.
    pub failed: AtomicU64,
    /// Rows invalid.
    pub invalid: AtomicU64,
    /// Rows whose outcome is unknown.
    pub unknown: AtomicU64,
    /// Calls sent in this run.
    pub calls: AtomicU64,
    /// Code-7 bans waited out in this run.
    pub bans: AtomicU64,
}

/// A copy of the counters at one moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct ProgressSnapshot {
    /// Rows read.
    pub read: u64,
    /// Rows in the job.
    pub total: u64,
    /// Done.
    pub done: u64,
    /// Failed.
    pub failed: u64,
    /// Invalid.
    pub invalid: u64,
    /// Unknown.
    pub unknown: u64,
    /// Calls sent.
    pub calls: u64,
    /// Bans waited out.
    pub bans: u64,
}

impl Progress {
    /// New counters at zero.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads every counter.
    pub fn snapshot(&self) -> ProgressSnapshot {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        ProgressSnapshot {
            read: get(&self.read),
            total: get(&self.total),
            done: get(&self.done),
            failed: get(&self.failed),
            invalid: get(&self.invalid),
            unknown: get(&self.unknown),
            calls: get(&self.calls),
            bans: get(&self.bans),
        }
    }

    pub(crate) fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }

    pub(crate) fn set(counter: &AtomicU64, n: u64) {
        counter.store(n, Ordering::Relaxed);
    }
}

impl ProgressSnapshot {
    /// Rows finished (done, failed, invalid or unknown).
    pub fn finished(&self) -> u64 {
        self.done + self.failed + self.invalid + self.unknown
    }
}
