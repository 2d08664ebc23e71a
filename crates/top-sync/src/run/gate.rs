//! The pause every worker honours while TOP bans the app (code 7).

use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// Shared by all workers: after a short code-7 ban nobody sends until it ends.
#[derive(Debug, Default)]
pub(crate) struct BanGate {
    until: Mutex<Option<Instant>>,
}

impl BanGate {
    /// Closes the gate for `ban` (extends it, never shortens it).
    pub(crate) fn pause(&self, ban: Duration) {
        let end = Instant::now() + ban;
        let mut until = self.until.lock().unwrap_or_else(|p| p.into_inner());
        if until.is_none_or(|u| u < end) {
            *until = Some(end);
        }
    }

    /// Waits while the gate is closed.
    pub(crate) async fn wait(&self) {
        loop {
            let end = *self.until.lock().unwrap_or_else(|p| p.into_inner());
            match end {
                Some(end) if end > Instant::now() => tokio::time::sleep_until(end).await,
                _ => return,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn waits_for_the_longest_ban() {
        let gate = BanGate::default();
        let start = Instant::now();
        gate.wait().await;
        assert_eq!(start.elapsed(), Duration::ZERO);
        gate.pause(Duration::from_secs(2));
        gate.pause(Duration::from_secs(1));
        gate.wait().await;
        assert!(start.elapsed() >= Duration::from_secs(2));
    }
}
