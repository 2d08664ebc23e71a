//! Timeouts and per-call options.

use std::time::Duration;

use crate::redact::Sensitive;

/// Connect and per-attempt timeouts. Never unbounded.
///
/// ```
/// use std::time::Duration;
/// use top_core::Timeouts;
/// let timeouts = Timeouts::default().attempt(Duration::from_secs(10));
/// assert_eq!(timeouts.connect, Duration::from_secs(5));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Timeouts {
    /// Time to open a connection (default 5 s).
    pub connect: Duration,
    /// Time for one attempt, from sending to the last byte of the answer (default 30 s).
    pub attempt: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(5),
            attempt: Duration::from_secs(30),
        }
    }
}

impl Timeouts {
    /// Time to open a connection.
    pub fn connect(mut self, timeout: Duration) -> Self {
        self.connect = timeout;
        self
    }

    /// Time for one attempt, from sending to the last byte of the answer.
    pub fn attempt(mut self, timeout: Duration) -> Self {
        self.attempt = timeout;
        self
    }
}

/// Options of one call; new options may be added, so build them with the setters.
///
/// ```
/// use std::time::Duration;
/// use top_core::CallOptions;
/// let options = CallOptions::new()
///     .session("user-session")
///     .timeout(Duration::from_secs(5))
///     .deadline(Duration::from_secs(20));
/// assert_eq!(
///     format!("{options:?}"),
///     "CallOptions { session: Some(***), timeout: Some(5s), deadline: Some(20s) }"
/// );
/// ```
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct CallOptions {
    /// The user's authorization `session` for this call (overrides the client's).
    pub session: Option<Sensitive<String>>,
    /// The per-attempt timeout for this call (overrides the client's).
    pub timeout: Option<Duration>,
    /// The longest the whole call may take, every attempt and backoff included. When it
    /// runs out the call ends with the last attempt's error (or a timeout if an attempt
    /// was cut short); no retry starts that could not finish in time.
    pub deadline: Option<Duration>,
}

impl CallOptions {
    /// No options: the client's defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// The user's authorization `session` for this call (overrides the client's).
    pub fn session(mut self, session: impl Into<String>) -> Self {
        self.session = Some(Sensitive::new(session.into()));
        self
    }

    /// The per-attempt timeout for this call (overrides the client's).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The longest the whole call may take across retries.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = Some(deadline);
        self
    }
}
