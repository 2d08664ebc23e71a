//! Request ids and times for single calls.

/// A fresh idempotency key for a single call (`top-` + 16 hex digits).
pub(crate) fn request_id() -> String {
    format!("top-{:016x}", fastrand::u64(..))
}

/// Milliseconds since the epoch.
pub(crate) fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}
