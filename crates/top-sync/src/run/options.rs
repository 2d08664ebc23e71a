//! How a run sends: workers, rate, batch size, retries, the longest ban waited out.

use std::time::Duration;

use top_core::RetryConfig;

use crate::error::SyncError;

/// Options of one run of a job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunOptions {
    /// Calls in flight at once (default 8).
    pub concurrency: usize,
    /// Calls per second, all workers together (default 10).
    pub qps: u32,
    /// Blacklist entries per call (default 100, at most
    /// the most entries the blacklist's description allows per call, 1000; a job's own API
    /// may allow fewer).
    pub batch_size: usize,
    /// Attempts of one call in top-core's retry layer, the first included (default 8). Only
    /// what top-core deems safe is retried: a call of an API without an idempotency key is
    /// sent again only when nothing was sent.
    pub max_attempts: u32,
    /// First backoff of top-core's retry layer; doubles up to 10 s, with full jitter
    /// (default 250 ms).
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
        let max = crate::api::largest_batch();
        if self.batch_size == 0 || self.batch_size > max {
            return bad("batch-size", format!("must be between 1 and {max}"));
        }
        if self.max_attempts == 0 {
            return bad("max-attempts", "must be at least 1".into());
        }
        Ok(())
    }

    /// The retry policy the run gives its client: top-core's rules with this run's attempts
    /// and backoff, every code-7 ban returned to the engine (which pauses all workers at
    /// once), and a budget that a steady fault rate below one half does not drain (each
    /// success refunds what a retry costs), so a long run under faults keeps retrying what
    /// is safe.
    pub fn retry_config(&self) -> RetryConfig {
        RetryConfig::default()
            .max_attempts(self.max_attempts)
            .base_delay(self.retry_base)
            .max_delay(Duration::from_secs(10))
            .max_ban_wait(Duration::ZERO)
            .budget(500, 5, 10, 5)
    }
}
