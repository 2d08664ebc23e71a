//! The per-app QPS limit: a fixed one-second window per app key; calls past the limit get
//! code 7 with the seconds left in the window.

use std::collections::HashMap;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

const WINDOW: Duration = Duration::from_secs(1);

/// Windows per app key.
#[derive(Debug)]
pub(crate) struct Limiter {
    limit: u32,
    windows: Mutex<HashMap<String, (Instant, u32)>>,
}

impl Limiter {
    /// At most `limit` business calls per app per second.
    pub(crate) fn new(limit: u32) -> Self {
        Limiter {
            limit,
            windows: Mutex::new(HashMap::new()),
        }
    }

    /// Counts a call; `Err(n)` when over the limit, `n` being the whole seconds (at least 1)
    /// until the window ends.
    pub(crate) fn check(&self, app_key: &str, now: Instant) -> Result<(), u64> {
        let mut windows = self.windows.lock().unwrap_or_else(PoisonError::into_inner);
        let window = match windows.get_mut(app_key) {
            Some(window) => window,
            None => windows.entry(app_key.to_owned()).or_insert((now, 0)),
        };
        if now.saturating_duration_since(window.0) >= WINDOW {
            *window = (now, 0);
        }
        window.1 = window.1.saturating_add(1);
        if window.1 <= self.limit {
            return Ok(());
        }
        let left = WINDOW.saturating_sub(now.saturating_duration_since(window.0));
        Err(left.as_secs_f64().ceil().max(1.0) as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_per_app() {
        let limiter = Limiter::new(2);
        let t0 = Instant::now();
        assert_eq!(limiter.check("a", t0), Ok(()));
        assert_eq!(limiter.check("a", t0), Ok(()));
        assert_eq!(limiter.check("a", t0), Err(1));
        assert_eq!(limiter.check("b", t0), Ok(()));
        assert_eq!(limiter.check("a", t0 + Duration::from_millis(999)), Err(1));
        assert_eq!(limiter.check("a", t0 + Duration::from_millis(1000)), Ok(()));
    }
}
