//! `top blacklist add|remove|sync`.

use clap::{Args, Subcommand};
use top_core::TopRequest;
use top_sync::{BlacklistTarget, JobSpec, Operate, Record};

use crate::client;
use crate::commands::Ctx;
use crate::commands::bulk::{self, BulkArgs};
use crate::error::{CliError, EXIT_OK};
use crate::ids;

/// `top blacklist ...`.
#[derive(Debug, Subcommand)]
pub(crate) enum BlacklistCommand {
    /// Add (or update) mobiles on a supplier's blacklist.
    Add(EditArgs),
    /// Remove mobiles from a supplier's blacklist.
    Remove(EditArgs),
    /// Sync a whole file (CSV or workbook columns mobile,reason; JSON Lines with the same
    /// names), batched, resumable, exactly once.
    Sync(SyncArgs),
}

/// Arguments of `add` and `remove`.
#[derive(Debug, Args)]
pub(crate) struct EditArgs {
    /// supplier_id: the service provider.
    #[arg(long)]
    pub supplier_id: String,
    /// mobile: repeat it or separate with commas.
    #[arg(long, required = true, value_delimiter = ',')]
    pub mobile: Vec<String>,
    /// reason: codes 1-5 separated by commas (1 malicious order, 2 malicious complaint,
    /// 3 extortion, 4 attack on a courier, 5 other); add only.
    #[arg(long)]
    pub reason: Option<String>,
    /// request_id: the idempotency key (default: a new one).
    #[arg(long)]
    pub request_id: Option<String>,
}

/// Arguments of `sync`.
#[derive(Debug, Args)]
pub(crate) struct SyncArgs {
    #[command(flatten)]
    pub bulk: BulkArgs,
    /// supplier_id: the service provider.
    #[arg(long)]
    pub supplier_id: String,
    /// add (or update) the rows, or remove them.
    #[arg(long, default_value = "add", value_parser = ["add", "remove"])]
    pub operate: String,
    /// Blacklist entries per call.
    #[arg(long, default_value_t = 100, value_name = "N")]
    pub batch_size: usize,
}

/// Runs `top blacklist ...`.
pub(crate) async fn run(ctx: &Ctx, cmd: BlacklistCommand) -> Result<u8, CliError> {
    match cmd {
        BlacklistCommand::Add(a) => edit(ctx, a, Operate::Add).await,
        BlacklistCommand::Remove(a) => edit(ctx, a, Operate::Remove).await,
        BlacklistCommand::Sync(a) => {
            let operate: Operate = a
                .operate
                .parse()
                .map_err(|e: top_sync::UnknownOperate| CliError::Usage(e.to_string()))?;
            let target = BlacklistTarget::new(a.supplier_id.clone(), operate);
            let spec = a.bulk.spec(JobSpec::blacklist(&a.bulk.file, target));
            let job = if a.bulk.dry_run {
                bulk::Job::DryRun(spec)
            } else {
                bulk::Job::Open(spec)
            };
            bulk::run(ctx, job, &a.bulk.run, Some(a.batch_size)).await
        }
    }
}

async fn edit(ctx: &Ctx, a: EditArgs, operate: Operate) -> Result<u8, CliError> {
    if operate == Operate::Remove && a.reason.is_some() {
        return Err(CliError::Usage("--reason applies to add only".into()));
    }
    let records: Vec<Record> = a
        .mobile
        .iter()
        .enumerate()
        .map(|(i, mobile)| {
            let mut record = Record {
                line: i as u64 + 1,
                ..Record::default()
            };
            record
                .fields
                .insert("mobile".into(), mobile.trim().to_owned());
            if let Some(reason) = &a.reason {
                record
                    .fields
                    .insert("reason".into(), reason.trim().to_owned());
            }
            record
        })
        .collect();
    let target = BlacklistTarget::new(a.supplier_id, operate);
    let request_id = a.request_id.unwrap_or_else(ids::request_id);
    let request =
        top_sync::requests::blacklist_request(&target, request_id, ids::now_ms(), &records)?;
    request.validate()?;
    let client = client::single(&ctx.settings()?)?;
    let answer = client.execute(&request).await?;
    ctx.out.answer(&answer);
    Ok(EXIT_OK)
}
