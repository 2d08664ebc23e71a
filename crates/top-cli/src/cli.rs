//! The command line: global options and the command tree.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::commands;
use crate::output::OutputMode;

/// Taobao Open Platform from the command line: any call, typed calls, resumable bulk sync,
/// and a local sandbox.
///
/// Secrets (app secret, session, passwords, auth codes, tokens) are never taken from
/// arguments: set TOP_APP_SECRET / TOP_SESSION or put them in ~/.config/top/config.toml.
#[derive(Debug, Parser)]
#[command(name = "top", version, propagate_version = true, max_term_width = 100)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes.
#[derive(Debug, Clone, Args)]
pub(crate) struct GlobalArgs {
    /// Output format: text for people, json for programs.
    #[arg(long, global = true, value_enum, default_value_t = OutputMode::Text)]
    pub output: OutputMode,
    /// Profile of the config file (else TOP_PROFILE, the file's default_profile, `default`).
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
    /// Config file (else TOP_CONFIG, else ~/.config/top/config.toml).
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// App key (else TOP_APP_KEY, else the profile).
    #[arg(long, global = true, value_name = "KEY")]
    pub app_key: Option<String>,
    /// Gateway: production, sandbox, overseas or a URL (else TOP_ENDPOINT, else the profile).
    #[arg(long, global = true, value_name = "URL|NAME")]
    pub endpoint: Option<String>,
    /// Sign method: hmac-sha256 (default), hmac or md5 (else TOP_SIGN_METHOD).
    #[arg(long, global = true, value_name = "METHOD")]
    pub sign_method: Option<String>,
    /// More log lines on stderr (-v info, -vv debug); RUST_LOG overrides.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Call any TOP method with loose parameters and print the answer.
    Call(commands::call::CallArgs),
    /// Describe an API: its parameters and their rules, enums, answer, bulk settings and an
    /// example `top call` line.
    Describe(commands::describe::DescribeArgs),
    /// Import a CSV, JSON Lines or workbook (.xlsx, .xls, .ods) file into any described API
    /// with bulk settings: one call per row or rows batched, resumable, journaled like the
    /// other bulk commands.
    Import(commands::import::ImportArgs),
    /// Retail user tags (taobao.retail.user.tag.mobile.add).
    #[command(subcommand)]
    Tag(commands::tag::TagCommand),
    /// Door-to-door pickup blacklist (taobao.logistics.express.user.blacklist.tms.sync).
    #[command(subcommand)]
    Blacklist(commands::blacklist::BlacklistCommand),
    /// Damai members (alibaba.damai.maizuo.openapi.user.register.byauthcode).
    #[command(subcommand)]
    Damai(commands::damai::DamaiCommand),
    /// Local-services CRM customers (alibaba.alsc.crm.customer.create).
    #[command(subcommand)]
    Crm(commands::crm::CrmCommand),
    /// Inspect and retry bulk jobs by their journal.
    #[command(subcommand)]
    Sync(commands::sync::SyncCommand),
    /// Show the effective configuration.
    #[command(subcommand)]
    Config(commands::config::ConfigCommand),
    /// Run the local TOP sandbox gateway.
    Sandbox(top_sandbox::cli::SandboxArgs),
}
