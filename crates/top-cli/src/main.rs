//! `top`: the Taobao Open Platform from the command line. See the crate README.

mod apis;
mod cli;
mod client;
mod commands;
mod config;
mod config_file;
mod dotted;
mod error;
mod fields;
mod ids;
mod output;
mod progress;
mod rss;
mod secrets;

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use tracing_subscriber::EnvFilter;

use crate::cli::Cli;
use crate::error::{CliError, EXIT_FAILED};
use crate::output::Output;

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing(cli.global.verbose);
    let out = Output {
        mode: cli.global.output,
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(source) => {
            out.error(&CliError::Io {
                context: "could not start the async runtime".into(),
                source,
            });
            return ExitCode::from(EXIT_FAILED);
        }
    };
    let result = runtime.block_on(commands::run(cli));
    runtime.shutdown_timeout(Duration::from_secs(1));
    match result {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            out.error(&error);
            error.exit_code()
        }
    }
}

fn init_tracing(verbose: u8) {
    let default = match verbose {
        0 => "warn",
        1 => "info,top_core=info",
        _ => "debug",
    };
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .try_init();
}
