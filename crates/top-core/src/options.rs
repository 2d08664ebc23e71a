//! Timeouts and per-call options.

use std::time::Duration;

use crate::redact::Sensitive;

/// Connect and per-attempt timeouts. Never unbounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// Options of one call.
///
/// ```
/// use std::time::Duration;
/// use top_core::CallOptions;
/// let options = CallOptions { session: Some("user-session".into()), timeout: Some(Duration::from_secs(5)) };
/// assert_eq!(format!("{options:?}"), "CallOptions { session: Some(***), timeout: Some(5s) }");
/// ```
#[derive(Debug, Clone, Default)]
pub struct CallOptions {
    /// The user's authorization `session` for this call (overrides the client's).
    pub session: Option<Sensitive<String>>,
    /// The per-attempt timeout for this call (overrides the client's).
    pub timeout: Option<Duration>,
}
