//! The one retry layer: full-jitter exponential backoff, a shared retry budget, and the rules
//! for what may be sent again (docs/protocol.md §6). Callers that keep their own queue (the
//! bulk engine) configure this layer instead of restating it, and read the final error with
//! [`Error::may_have_been_applied`].

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use crate::error::Error;

/// How calls are retried. Start from [`RetryConfig::default`] (or [`RetryConfig::disabled`])
/// and change what you need with the setters; new settings may be added.
///
/// ```
/// use std::time::Duration;
/// use top_core::RetryConfig;
/// let retry = RetryConfig::default()
///     .max_attempts(5)
///     .base_delay(Duration::from_millis(100))
///     .max_ban_wait(Duration::ZERO);
/// assert_eq!(retry.max_attempts, 5);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryConfig {
    /// Attempts in all, the first included (default 3; 1 disables retries).
    pub max_attempts: u32,
    /// First backoff ceiling (default 500 ms); it doubles each attempt.
    pub base_delay: Duration,
    /// Largest backoff (default 20 s).
    pub max_delay: Duration,
    /// Code-7 bans up to this long are waited out (default 5 s); longer ones return
    /// [`Error::RateLimited`].
    pub max_ban_wait: Duration,
    /// Size of the retry token bucket shared by all calls of a client (default 500).
    pub budget: u32,
    /// Tokens a retry takes (default 5).
    pub retry_cost: u32,
    /// Tokens a retry after a timeout takes (default 10).
    pub timeout_cost: u32,
    /// Tokens a success gives back (default 1).
    pub success_refund: u32,
    /// Sub-codes retried (for retry-safe requests) besides [`crate::error::TRANSIENT_SUB_CODES`].
    pub extra_retryable_sub_codes: Vec<String>,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            max_attempts: 3,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(20),
            max_ban_wait: Duration::from_secs(5),
            budget: 500,
            retry_cost: 5,
            timeout_cost: 10,
            success_refund: 1,
            extra_retryable_sub_codes: Vec::new(),
        }
    }
}

impl RetryConfig {
    /// One attempt only.
    pub fn disabled() -> Self {
        RetryConfig {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Adds a sub-code to retry, keeping the built-in list.
    pub fn retry_sub_code(mut self, sub_code: impl Into<String>) -> Self {
        self.extra_retryable_sub_codes.push(sub_code.into());
        self
    }

    /// Attempts in all, the first included (1 disables retries; 0 is refused by the builder).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts;
        self
    }

    /// The first backoff ceiling; it doubles each attempt.
    pub fn base_delay(mut self, delay: Duration) -> Self {
        self.base_delay = delay;
        self
    }

    /// The largest backoff.
    pub fn max_delay(mut self, delay: Duration) -> Self {
        self.max_delay = delay;
        self
    }

    /// Code-7 bans up to this long are waited out; `Duration::ZERO` returns every ban to
    /// the caller as [`Error::RateLimited`] (for callers that pause many calls at once).
    pub fn max_ban_wait(mut self, wait: Duration) -> Self {
        self.max_ban_wait = wait;
        self
    }

    /// The retry budget: `capacity` tokens, `retry_cost` a retry, `timeout_cost` a retry
    /// after a timeout, `success_refund` back per success.
    pub fn budget(
        mut self,
        capacity: u32,
        retry_cost: u32,
        timeout_cost: u32,
        success_refund: u32,
    ) -> Self {
        self.budget = capacity;
        self.retry_cost = retry_cost;
        self.timeout_cost = timeout_cost;
        self.success_refund = success_refund;
        self
    }

    /// Full jitter: a random delay in `[0, min(max_delay, base_delay * 2^(attempt-1))]`.
    pub(crate) fn backoff(&self, attempt: u32) -> Duration {
        let ceiling = self
            .base_delay
            .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1)))
            .min(self.max_delay);
        ceiling.mul_f64(fastrand::f64())
    }

    /// Whether `error` may be retried, how long to wait first, and what it costs.
    pub(crate) fn decide(&self, error: &Error, retry_safe: bool) -> Option<Retry> {
        let backoff = Retry::Backoff;
        match error {
            // Nothing was sent: always safe.
            Error::Transport(e) if e.is_connect() => Some(backoff(self.retry_cost)),
            Error::Transport(e) if e.is_timeout() && retry_safe => Some(backoff(self.timeout_cost)),
            Error::Transport(e) if e.is_io() && retry_safe => Some(backoff(self.retry_cost)),
            Error::Http { status, .. } if *status >= 500 && retry_safe => {
                Some(backoff(self.retry_cost))
            }
            Error::Api(e) if retry_safe && e.is_transient(&self.extra_retryable_sub_codes) => {
                Some(backoff(self.retry_cost))
            }
            Error::Business(e) if retry_safe && e.retryable => Some(backoff(self.retry_cost)),
            // The gateway refused before doing anything: waiting the ban is always safe.
            Error::RateLimited { retry_after, .. } if *retry_after <= self.max_ban_wait => {
                Some(Retry::Wait(*retry_after))
            }
            _ => None,
        }
    }
}

/// What the retry layer does next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Retry {
    /// Back off with jitter, paying this many budget tokens.
    Backoff(u32),
    /// Wait exactly this long (a code-7 ban); free of budget.
    Wait(Duration),
}

/// A token bucket shared by every call of a client, so a failing gateway is not hammered
/// by retries from many concurrent calls.
#[derive(Debug)]
pub(crate) struct RetryBudget {
    tokens: AtomicU32,
    capacity: u32,
}

impl RetryBudget {
    pub(crate) fn new(capacity: u32) -> Self {
        RetryBudget {
            tokens: AtomicU32::new(capacity),
            capacity,
        }
    }

    /// Takes `cost` tokens if there are enough.
    pub(crate) fn try_acquire(&self, cost: u32) -> bool {
        self.tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| t.checked_sub(cost))
            .is_ok()
    }

    /// Gives back up to `n` tokens, never above capacity.
    pub(crate) fn refund(&self, n: u32) {
        let cap = self.capacity;
        let _ = self
            .tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| {
                Some(t.saturating_add(n).min(cap))
            });
    }

    pub(crate) fn remaining(&self) -> u32 {
        self.tokens.load(Ordering::Acquire)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{ApiError, BusinessError};
    use crate::transport::{TransportError, TransportErrorKind};

    fn transport(kind: TransportErrorKind) -> Error {
        TransportError::from_kind(kind).into()
    }

    fn api(code: i64, sub: &str) -> Error {
        Error::Api(ApiError::new(code, "").with_sub_code(sub))
    }

    #[test]
    fn what_is_retried() {
        let c = RetryConfig::default();
        assert_eq!(
            c.decide(&transport(TransportErrorKind::Connect), false),
            Some(Retry::Backoff(5))
        );
        assert_eq!(
            c.decide(&transport(TransportErrorKind::Timeout), false),
            None
        );
        assert_eq!(
            c.decide(&transport(TransportErrorKind::Timeout), true),
            Some(Retry::Backoff(10))
        );
        assert_eq!(c.decide(&transport(TransportErrorKind::Io), false), None);
        assert_eq!(
            c.decide(&transport(TransportErrorKind::BodyTooLarge), true),
            None
        );
        let http = |status| Error::Http {
            status,
            body_snippet: String::new(),
        };
        assert_eq!(c.decide(&http(502), true), Some(Retry::Backoff(5)));
        assert_eq!(c.decide(&http(502), false), None);
        assert_eq!(c.decide(&http(404), true), None);
        assert_eq!(
            c.decide(&api(15, "isp.top-remote-connection-timeout"), true),
            Some(Retry::Backoff(5))
        );
        assert_eq!(
            c.decide(&api(15, "isp.top-remote-connection-timeout"), false),
            None
        );
        assert_eq!(c.decide(&api(15, "isp.runtime-max-limit"), true), None);
        assert_eq!(c.decide(&api(50, "isv.invalid-parameter"), true), None);
        let custom = RetryConfig::default().retry_sub_code("isv.busy");
        assert_eq!(
            custom.decide(&api(15, "isv.busy"), true),
            Some(Retry::Backoff(5))
        );
        let business = Error::Business(BusinessError::new(None, None).with_retryable(true));
        assert_eq!(c.decide(&business, true), Some(Retry::Backoff(5)));
        assert_eq!(c.decide(&business, false), None);
        let ban = |s| Error::RateLimited {
            retry_after: Duration::from_secs(s),
            error: Box::new(ApiError::new(7, "")),
        };
        assert_eq!(
            c.decide(&ban(2), false),
            Some(Retry::Wait(Duration::from_secs(2)))
        );
        assert_eq!(c.decide(&ban(3600), true), None);
    }

    #[test]
    fn backoff_is_bounded_full_jitter() {
        let c = RetryConfig::default();
        for attempt in 1..40 {
            let d = c.backoff(attempt);
            let ceiling = (c.base_delay * 2u32.saturating_pow(attempt - 1)).min(c.max_delay);
            assert!(d <= ceiling, "attempt {attempt}: {d:?} > {ceiling:?}");
        }
    }

    #[test]
    fn budget_is_a_bounded_bucket() {
        let b = RetryBudget::new(12);
        assert!(b.try_acquire(10));
        assert!(!b.try_acquire(5));
        b.refund(100);
        assert_eq!(b.remaining(), 12);
    }
}
