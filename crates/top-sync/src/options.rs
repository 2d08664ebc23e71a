//! How a run sends: workers, rate, batch size, retries, the longest ban waited out.

use std::time::Duration;

use crate::error::SyncError;

/// Options of one run of a job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunOptions {
    /// Calls in flight at once (default 8).
    pub concurrency: usize,
    /// Calls per second, all workers together (default 10).
    pub qps: u32,
    /// Blacklist entries per call (default 100, at most
    /// [`logistics_blacklist::MAX_BLACKLIST_ENTRIES`]).
    pub batch_size: usize,
    /// Sends of one row or batch before it is failed, each with top-core's own retries
    /// inside (default 8).
    pub max_attempts: u32,
    /// First backoff between sends of the same row or batch; doubles up to 10 s, with full
    /// jitter (default 250 ms).
    pub retry_base: Duration,
    /// Code-7 bans up to this long pause every worker; a longer one stops the run, which
    /// can be resumed after the ban (default 60 s).
    pub max_ban_wait: Duration,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            concurrency: 8,
            qps: 10,
            batch_size: 100,
            max_attempts: 8,
            retry_base: Duration::from_millis(250),
            max_ban_wait: Duration::from_secs(60),
        }
    }
}

impl RunOptions {
    /// Checks every option, naming the one that cannot work.
    pub fn validate(&self) -> Result<(), SyncError> {
        let bad = |option, rule: String| Err(SyncError::Options { option, rule });
        if self.concurrency == 0 || self.concurrency > 1024 {
            return bad("concurrency", "must be between 1 and 1024".into());
        }
        if self.qps == 0 {
            return bad("qps", "must be at least 1".into());
        }
        let max = logistics_blacklist::MAX_BLACKLIST_ENTRIES;
        if self.batch_size == 0 || self.batch_size > max {
            return bad("batch-size", format!("must be between 1 and {max}"));
        }
        if self.max_attempts == 0 {
            return bad("max-attempts", "must be at least 1".into());
        }
        Ok(())
    }

    /// The backoff before send number `attempt + 1` (full jitter).
    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        let ceiling = self
            .retry_base
            .saturating_mul(2_u32.saturating_pow(attempt.saturating_sub(1)))
            .min(Duration::from_secs(10));
        ceiling
            .mul_f64(fastrand::f64())
            .max(Duration::from_millis(20))
    }
}
