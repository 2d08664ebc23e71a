//! `top tag add` and `top tag import`.

use clap::{Args, Subcommand};
use top_core::TopRequest;
use top_sync::JobSpec;

use crate::client;
use crate::commands::Ctx;
use crate::commands::bulk::{self, BulkArgs};
use crate::error::{CliError, EXIT_OK};
use crate::fields::record;

/// `top tag ...`.
#[derive(Debug, Subcommand)]
pub(crate) enum TagCommand {
    /// Tag one user (at least one of the ids).
    Add(TagAddArgs),
    /// Tag every user of a CSV, JSON Lines or workbook file (columns biz_code, isv_user_id, open_id,
    /// alipay_user_id, ext_param). Not idempotent: rows whose outcome is unknown are kept
    /// for `top sync retry --unknown`.
    Import(BulkArgs),
}

/// Fields of one tag call.
#[derive(Debug, Args)]
pub(crate) struct TagAddArgs {
    /// biz_code: the business source.
    #[arg(long)]
    pub biz_code: Option<String>,
    /// isv_user_id: the ISV's own user id.
    #[arg(long)]
    pub isv_user_id: Option<String>,
    /// open_id.
    #[arg(long)]
    pub open_id: Option<String>,
    /// alipay_user_id.
    #[arg(long)]
    pub alipay_user_id: Option<String>,
    /// ext_param: extension info (JSON text).
    #[arg(long)]
    pub ext_param: Option<String>,
}

/// Runs `top tag ...`.
pub(crate) async fn run(ctx: &Ctx, cmd: TagCommand) -> Result<u8, CliError> {
    match cmd {
        TagCommand::Add(a) => {
            let request = top_sync::requests::tag_request(&record(&[
                ("biz_code", &a.biz_code),
                ("isv_user_id", &a.isv_user_id),
                ("open_id", &a.open_id),
                ("alipay_user_id", &a.alipay_user_id),
                ("ext_param", &a.ext_param),
            ]))?;
            request.validate()?;
            let client = client::single(&ctx.settings()?)?;
            let answer = client.execute(&request).await?;
            ctx.out.answer(&answer);
            Ok(EXIT_OK)
        }
        TagCommand::Import(args) => {
            let spec = args.spec(JobSpec::tag(&args.file));
            let job = if args.dry_run {
                bulk::Job::DryRun(spec)
            } else {
                bulk::Job::Open(spec)
            };
            bulk::run(ctx, job, &args.run, None).await
        }
    }
}
