//! `top sync status JOURNAL` and `top sync retry JOURNAL [--unknown]`.

use std::path::PathBuf;

use clap::{Args, Subcommand};
use serde_json::json;
use top_sync::SyncJob;

use crate::commands::Ctx;
use crate::commands::bulk::{self, RunArgs};
use crate::error::{CliError, EXIT_OK};

/// `top sync ...`.
#[derive(Debug, Subcommand)]
pub(crate) enum SyncCommand {
    /// Show a job: its input, rows by state, batches, the most frequent errors.
    Status(StatusArgs),
    /// Send a job's failed rows again (and its unknown ones with --unknown).
    Retry(RetryArgs),
}

/// Arguments of `status`.
#[derive(Debug, Args)]
pub(crate) struct StatusArgs {
    /// The job's journal.
    pub journal: PathBuf,
}

/// Arguments of `retry`.
#[derive(Debug, Args)]
pub(crate) struct RetryArgs {
    /// The job's journal.
    pub journal: PathBuf,
    /// Also resend rows whose outcome is unknown (their first call may have applied:
    /// check before).
    #[arg(long)]
    pub unknown: bool,
    /// Rows per call of a batched job (blacklist entries per call).
    #[arg(long, default_value_t = 100, value_name = "N")]
    pub batch_size: usize,
    #[command(flatten)]
    pub run: RunArgs,
}

/// Runs `top sync ...`.
pub(crate) async fn run(ctx: &Ctx, cmd: SyncCommand) -> Result<u8, CliError> {
    match cmd {
        SyncCommand::Status(a) => status(ctx, &a),
        SyncCommand::Retry(a) => {
            let job = SyncJob::open_journal(&a.journal)?;
            let reset = job.retry(a.unknown)?;
            if !ctx.out.json() {
                eprintln!("{reset} rows back to pending");
            }
            bulk::run(ctx, bulk::Job::Existing(job), &a.run, Some(a.batch_size)).await
        }
    }
}

fn status(ctx: &Ctx, a: &StatusArgs) -> Result<u8, CliError> {
    let job = SyncJob::open_journal(&a.journal)?;
    let meta = job.meta();
    let summary = job.summary()?;
    let batches = job.journal().batch_counts()?;
    let errors = job.journal().error_groups(10)?;
    let value = json!({
        "journal": a.journal,
        "job_id": meta.job_id,
        "kind": meta.kind.as_str(),
        "method": meta.kind.method(),
        "input": meta.input,
        "input_sha256": meta.input_sha256,
        "format": meta.format.as_str(),
        "supplier_id": meta.target.as_ref().map(|t| t.supplier_id.clone()),
        "operate": meta.target.as_ref().map(|t| t.operate.as_str()),
        "flags": meta.flags,
        "created_at": meta.created_at,
        "input_read": meta.ingest_complete,
        "read": meta.read,
        "summary": summary,
        "batches": batches,
        "errors": errors,
    });
    let mut text = format!(
        "job {} ({}, {})\n  input {} ({}, sha256 {}){}\n  created {}\n  total {}, done {}, failed {}, invalid {}, unknown {}, pending {}, in flight {}",
        meta.job_id,
        meta.kind,
        meta.kind.method(),
        meta.input.display(),
        {
            let how = meta.settings().describe();
            if how.is_empty() {
                meta.format.to_string()
            } else {
                format!("{}, {how}", meta.format)
            }
        },
        meta.input_sha256,
        if meta.ingest_complete {
            ""
        } else {
            ", not fully read yet"
        },
        meta.created_at,
        summary.total,
        summary.done,
        summary.failed,
        summary.invalid,
        summary.unknown,
        summary.pending,
        summary.in_flight,
    );
    if let Some(t) = &meta.target {
        text.push_str(&format!("\n  supplier {} ({})", t.supplier_id, t.operate));
    }
    if !meta.flags.is_empty() {
        let flags: Vec<String> = meta
            .flags
            .iter()
            .map(|(flag, value)| format!("--set {flag}={value}"))
            .collect();
        text.push_str(&format!("\n  flags {}", flags.join(" ")));
    }
    if batches.total > 0 {
        text.push_str(&format!(
            "\n  batches {}: done {}, failed {}, in flight {}; {} sends",
            batches.total, batches.done, batches.failed, batches.in_flight, batches.attempts
        ));
    }
    if !errors.is_empty() {
        text.push_str("\n  errors:");
        for e in &errors {
            text.push_str(&format!(
                "\n    {:>7} {} {}{}: {}",
                e.rows,
                e.state,
                e.code,
                e.sub_code
                    .as_deref()
                    .map_or_else(String::new, |s| format!(" {s}")),
                e.example
            ));
        }
    }
    ctx.out.either(&text, &value);
    Ok(EXIT_OK)
}
