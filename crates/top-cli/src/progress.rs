//! Progress of a bulk job on stderr: an indicatif bar on a terminal, a log line every few
//! seconds otherwise.

use std::io::IsTerminal;
use std::sync::Arc;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use tokio::sync::watch;
use tokio::task::JoinHandle;
use top_sync::{Progress, ProgressSnapshot};

/// Seconds between log lines when stderr is not a terminal.
const LOG_EVERY: Duration = Duration::from_secs(5);

/// A running progress display.
pub(crate) struct ProgressView {
    done: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl ProgressView {
    /// Starts showing `progress` for a job called `name`.
    pub(crate) fn start(progress: Arc<Progress>, name: String) -> Self {
        let (done, mut finished) = watch::channel(false);
        let task = tokio::spawn(async move {
            let tty = std::io::stderr().is_terminal();
            let bar = tty.then(|| new_bar(&name));
            let started = Instant::now();
            let first = progress.snapshot().finished();
            let mut last_log = Instant::now();
            loop {
                let tick = if tty {
                    Duration::from_millis(200)
                } else {
                    Duration::from_secs(1)
                };
                let stop = tokio::select! {
                    _ = tokio::time::sleep(tick) => false,
                    _ = finished.changed() => true,
                };
                let snap = progress.snapshot();
                match &bar {
                    Some(bar) => draw(bar, &snap),
                    None if stop || last_log.elapsed() >= LOG_EVERY => {
                        last_log = Instant::now();
                        if !stop {
                            eprintln!("{}", log_line(&name, &snap, started, first));
                        }
                    }
                    None => {}
                }
                if stop {
                    if let Some(bar) = &bar {
                        bar.finish_and_clear();
                    }
                    return;
                }
            }
        });
        ProgressView { done, task }
    }

    /// Stops the display.
    pub(crate) async fn finish(self) {
        let _ = self.done.send(true);
        let _ = self.task.await;
    }
}

fn new_bar(name: &str) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template(
        "{prefix} [{bar:30}] {pos}/{len} {msg} ({per_sec}, ETA {eta})",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar())
    .progress_chars("=> ");
    bar.set_style(style);
    bar.set_prefix(name.to_owned());
    bar
}

fn draw(bar: &ProgressBar, snap: &ProgressSnapshot) {
    let total = snap.total.max(snap.read);
    bar.set_length(total);
    bar.set_position(snap.finished());
    bar.set_message(format!(
        "done {} failed {} invalid {} unknown {}",
        snap.done, snap.failed, snap.invalid, snap.unknown
    ));
}

fn log_line(name: &str, snap: &ProgressSnapshot, started: Instant, first: u64) -> String {
    let secs = started.elapsed().as_secs_f64().max(0.001);
    let rate = snap.finished().saturating_sub(first) as f64 / secs;
    format!(
        "{name}: {}/{} rows (read {}), done {}, failed {}, invalid {}, unknown {}, {rate:.0} rows/s",
        snap.finished(),
        snap.total.max(snap.read),
        snap.read,
        snap.done,
        snap.failed,
        snap.invalid,
        snap.unknown
    )
}
