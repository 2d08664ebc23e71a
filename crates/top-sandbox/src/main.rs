//! `top-sandbox`: a local Taobao Open Platform gateway for the taobao-top APIs.
//!
//! Prints `listening on http://ADDR/router/rest` and serves until Ctrl-C. Logs go to stderr
//! (`RUST_LOG=top_sandbox=debug` for one line per call).

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use top_sandbox::cli::{SandboxArgs, serve};
use tracing_subscriber::EnvFilter;

/// A local TOP gateway: checks signatures and timestamps as TOP does, checks business
/// parameters by the API descriptions, and serves the taobao-top APIs with real state (any
/// other described API, added with --apis, from its description).
#[derive(Debug, Parser)]
#[command(name = "top-sandbox", version, about)]
struct Cli {
    #[command(flatten)]
    args: SandboxArgs,
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    match serve(cli.args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            let mut message = format!("top-sandbox: {error}");
            let mut source = std::error::Error::source(&error);
            while let Some(cause) = source {
                message.push_str(&format!(": {cause}"));
                source = cause.source();
            }
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}
