//! The commands, one file each.

pub(crate) mod blacklist;
pub(crate) mod bulk;
pub(crate) mod call;
pub(crate) mod config;
pub(crate) mod crm;
pub(crate) mod damai;
pub(crate) mod describe;
pub(crate) mod import;
pub(crate) mod sync;
pub(crate) mod tag;

use crate::cli::{Cli, Command, GlobalArgs};
use crate::config::Settings;
use crate::error::{CliError, EXIT_OK};
use crate::output::Output;

/// What every command gets.
#[derive(Debug)]
pub(crate) struct Ctx {
    pub global: GlobalArgs,
    pub out: Output,
}

impl Ctx {
    /// The effective settings; warnings (a config file readable by others) go to stderr.
    pub(crate) fn settings(&self) -> Result<Settings, CliError> {
        let settings = Settings::resolve(&self.global)?;
        for warning in &settings.warnings {
            eprintln!("warning: {warning}");
        }
        Ok(settings)
    }
}

/// Runs the command; returns the exit code.
pub(crate) async fn run(cli: Cli) -> Result<u8, CliError> {
    let ctx = Ctx {
        out: Output {
            mode: cli.global.output,
        },
        global: cli.global,
    };
    match cli.command {
        Command::Call(args) => call::run(&ctx, args).await,
        Command::Describe(args) => describe::run(&ctx, args),
        Command::Import(args) => import::run(&ctx, args).await,
        Command::Tag(cmd) => tag::run(&ctx, cmd).await,
        Command::Blacklist(cmd) => blacklist::run(&ctx, cmd).await,
        Command::Damai(cmd) => damai::run(&ctx, cmd).await,
        Command::Crm(cmd) => crm::run(&ctx, cmd).await,
        Command::Sync(cmd) => sync::run(&ctx, cmd).await,
        Command::Config(cmd) => config::run(&ctx, cmd),
        Command::Sandbox(args) => {
            top_sandbox::cli::serve(args)
                .await
                .map_err(CliError::Sandbox)?;
            Ok(EXIT_OK)
        }
    }
}
