//! Command-line options and the serve loop, shared by the `top-sandbox` binary and the
//! `top sandbox` command.

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use crate::builder::{
    DEFAULT_IDEMPOTENCY_MAX_ENTRIES, DEFAULT_IDEMPOTENCY_WINDOW, DEFAULT_MAX_BLACKLIST_ENTRIES,
    Sandbox, SandboxBuilder,
};
use crate::calls::DEFAULT_CALL_LOG_CAPACITY;
use crate::error::SandboxError;

/// Options of `top-sandbox` and `top sandbox`.
#[derive(Debug, Clone, clap::Args)]
pub struct SandboxArgs {
    /// Address to listen on; port 0 picks a free port (printed at start).
    #[arg(
        long,
        value_name = "ADDR",
        default_value = "127.0.0.1:0",
        env = "TOP_SANDBOX_LISTEN"
    )]
    pub listen: SocketAddr,

    /// Keep the state in this SQLite file across restarts (default: in memory).
    #[arg(long = "state", value_name = "FILE", env = "TOP_SANDBOX_STATE")]
    pub state: Option<PathBuf>,

    /// Probability (0 to 1) that a business call meets an injected fault: an isp timeout
    /// error, an HTTP 502, or a connection dropped after the change was committed.
    #[arg(long, value_name = "F", default_value_t = 0.0, value_parser = parse_rate)]
    pub fault_rate: f64,

    /// Delay before every gateway answer, in milliseconds.
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub latency_ms: u64,

    /// Business calls allowed per app per second; past it, code 7 (0: no limit).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub qps_limit: u32,

    /// Seed of the fault sequence and generated codes (default: random).
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,

    /// Most entries one blacklist sync call may carry.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_BLACKLIST_ENTRIES)]
    pub max_blacklist_entries: usize,

    /// Seconds a request_id (of an API with an idempotency key) is remembered: a resend within
    /// them replays the first answer, a later one applies again (at least 1; default 24 h).
    #[arg(
        long,
        value_name = "SECS",
        default_value_t = DEFAULT_IDEMPOTENCY_WINDOW.as_secs(),
        value_parser = parse_at_least_one::<u64>
    )]
    pub idempotency_window_secs: u64,

    /// Most request_ids remembered at once, over all apps and methods; past it the oldest is
    /// forgotten first (at least 1).
    #[arg(
        long,
        value_name = "N",
        default_value_t = DEFAULT_IDEMPOTENCY_MAX_ENTRIES,
        value_parser = parse_at_least_one::<usize>
    )]
    pub idempotency_max_entries: usize,

    /// Also serve the API descriptions of this directory (DIR/METHOD/vendor.json and
    /// overlay.toml): they replace the built-in ones of the same method and add the others,
    /// served from their description. A bad file stops the start, naming it.
    #[arg(long, value_name = "DIR", env = "TOP_SANDBOX_APIS")]
    pub apis: Option<PathBuf>,

    /// How many gateway calls the call log keeps for GET /sandbox/calls and the page at
    /// /sandbox/ (0: none).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_CALL_LOG_CAPACITY)]
    pub call_log: usize,
}

impl SandboxArgs {
    /// A builder with these options, plus the apps of `TOP_SANDBOX_APPS`.
    pub fn builder(&self) -> SandboxBuilder {
        let mut builder = Sandbox::builder()
            .listen(self.listen)
            .apps_from_env()
            .fault_rate(self.fault_rate)
            .latency(Duration::from_millis(self.latency_ms))
            .qps_limit(self.qps_limit)
            .max_blacklist_entries(self.max_blacklist_entries)
            .idempotency_window(Duration::from_secs(self.idempotency_window_secs))
            .idempotency_max_entries(self.idempotency_max_entries)
            .call_log_capacity(self.call_log);
        if let Some(path) = &self.state {
            builder = builder.state_file(path.clone());
        }
        if let Some(seed) = self.seed {
            builder = builder.seed(seed);
        }
        if let Some(dir) = &self.apis {
            builder = builder.apis_dir(dir.clone());
        }
        builder
    }
}

fn parse_rate(text: &str) -> Result<f64, String> {
    let rate: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a number"))?;
    if (0.0..=1.0).contains(&rate) {
        Ok(rate)
    } else {
        Err(format!("{rate} is not between 0 and 1"))
    }
}

/// A whole number of at least 1 (0 would remember nothing).
fn parse_at_least_one<T>(text: &str) -> Result<T, String>
where
    T: std::str::FromStr + PartialOrd + From<u8>,
{
    let value: T = text
        .trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a whole number"))?;
    if value >= T::from(1) {
        Ok(value)
    } else {
        Err("must be at least 1".to_owned())
    }
}

/// Starts the sandbox, prints `listening on http://ADDR/router/rest` on stdout and a banner
/// with the page's address (`http://ADDR/sandbox/`) on stderr, serves until Ctrl-C (or
/// SIGTERM), then shuts down gracefully.
pub async fn serve(args: SandboxArgs) -> Result<(), SandboxError> {
    let sandbox = args.builder().start().await?;
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "listening on {}", sandbox.url())?;
        out.flush()?;
    }
    eprintln!(
        "top-sandbox: watch the calls (each refusal explained) and the state at {}\n  demo app_key {} (see the top-sandbox README for its secret); JSON at http://{addr}/sandbox/calls and http://{addr}/sandbox/state; Ctrl-C stops",
        sandbox.page_url(),
        crate::DEMO_APP_KEY,
        addr = sandbox.addr()
    );
    let stopped = wait_for_stop().await;
    tracing::info!("shutting down");
    sandbox.shutdown().await;
    stopped
}

#[cfg(unix)]
async fn wait_for_stop() -> Result<(), SandboxError> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut term = signal(SignalKind::terminate())?;
    tokio::select! {
        interrupted = tokio::signal::ctrl_c() => interrupted?,
        _ = term.recv() => {}
    }
    Ok(())
}

#[cfg(not(unix))]
async fn wait_for_stop() -> Result<(), SandboxError> {
    tokio::signal::ctrl_c().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        args: SandboxArgs,
    }

    #[test]
    fn parses_flags() {
        let cli = Cli::try_parse_from([
            "x",
            "--listen",
            "127.0.0.1:9999",
            "--fault-rate",
            "0.25",
            "--latency-ms",
            "5",
            "--qps-limit",
            "10",
            "--seed",
            "3",
            "--state",
            "/tmp/s.db",
            "--apis",
            "/tmp/apis",
        ])
        .unwrap();
        assert_eq!(
            cli.args.apis.as_deref(),
            Some(std::path::Path::new("/tmp/apis"))
        );
        assert_eq!(cli.args.listen.port(), 9999);
        assert_eq!(cli.args.fault_rate, 0.25);
        assert_eq!(cli.args.seed, Some(3));
        assert!(Cli::try_parse_from(["x", "--fault-rate", "2"]).is_err());
        assert!(Cli::try_parse_from(["x", "--fault-rate", "nan"]).is_err());
    }

    #[test]
    fn idempotency_flags() {
        let cli = Cli::try_parse_from(["x"]).unwrap();
        assert_eq!(cli.args.idempotency_window_secs, 86_400);
        assert_eq!(cli.args.idempotency_max_entries, 200_000);
        let cli = Cli::try_parse_from([
            "x",
            "--idempotency-window-secs",
            "60",
            "--idempotency-max-entries",
            "10",
        ])
        .unwrap();
        assert_eq!(cli.args.idempotency_window_secs, 60);
        assert_eq!(cli.args.idempotency_max_entries, 10);
        for flag in ["--idempotency-window-secs", "--idempotency-max-entries"] {
            for bad in ["0", "x", "1.5"] {
                let error = Cli::try_parse_from(["x", flag, bad])
                    .err()
                    .unwrap()
                    .to_string();
                assert!(error.contains(flag), "{error}");
            }
        }
        let error = Cli::try_parse_from(["x", "--idempotency-max-entries", "0"])
            .err()
            .unwrap()
            .to_string();
        assert!(error.contains("must be at least 1"), "{error}");
    }
}
