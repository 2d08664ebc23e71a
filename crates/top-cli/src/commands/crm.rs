//! `top crm create` and `top crm import`.

use clap::{Args, Subcommand};
use top_core::TopRequest;
use top_sync::JobSpec;

use crate::client;
use crate::commands::Ctx;
use crate::commands::bulk::{self, BulkArgs};
use crate::error::{CliError, EXIT_OK};
use crate::fields::record;
use crate::ids;

/// `top crm ...`.
#[derive(Debug, Subcommand)]
pub(crate) enum CrmCommand {
    /// Create one customer.
    Create(Box<CreateArgs>),
    /// Create every customer of a CSV, JSON Lines or workbook file (columns: the
    /// CustomerCreateOpenReq member names); idempotent through a stable request_id per row.
    Import(BulkArgs),
}

/// The CustomerCreateOpenReq members.
#[derive(Debug, Args)]
pub(crate) struct CreateArgs {
    /// outer_type: type of the external id, e.g. mobile.
    #[arg(long)]
    pub outer_type: String,
    /// outer_id: the external id.
    #[arg(long)]
    pub outer_id: String,
    /// channel, e.g. 2 (POS).
    #[arg(long)]
    pub channel: String,
    /// customer_type: 0 customer, 1 member.
    #[arg(long, value_parser = ["0", "1"])]
    pub customer_type: String,
    /// request_id: the idempotency key (default: a new one).
    #[arg(long)]
    pub request_id: Option<String>,
    /// address.
    #[arg(long)]
    pub address: Option<String>,
    /// birthday: yyyy-MM-dd HH:mm:ss or yyyy-MM-dd, GMT+8.
    #[arg(long)]
    pub birthday: Option<String>,
    /// brand_id.
    #[arg(long)]
    pub brand_id: Option<String>,
    /// email.
    #[arg(long)]
    pub email: Option<String>,
    /// gender: 0 female, 1 male.
    #[arg(long, value_parser = ["0", "1"])]
    pub gender: Option<String>,
    /// invoice: invoice title.
    #[arg(long)]
    pub invoice: Option<String>,
    /// level_id.
    #[arg(long)]
    pub level_id: Option<String>,
    /// mobile.
    #[arg(long)]
    pub mobile: Option<String>,
    /// name.
    #[arg(long)]
    pub name: Option<String>,
    /// operator_id.
    #[arg(long)]
    pub operator_id: Option<String>,
    /// phone: landline.
    #[arg(long)]
    pub phone: Option<String>,
    /// remark.
    #[arg(long)]
    pub remark: Option<String>,
    /// shop_id.
    #[arg(long)]
    pub shop_id: Option<String>,
    /// tag_id_list: tag ids separated by commas.
    #[arg(long)]
    pub tag_id_list: Option<String>,
    /// out_brand_id.
    #[arg(long)]
    pub out_brand_id: Option<String>,
    /// out_shop_id.
    #[arg(long)]
    pub out_shop_id: Option<String>,
}

/// Runs `top crm ...`.
pub(crate) async fn run(ctx: &Ctx, cmd: CrmCommand) -> Result<u8, CliError> {
    match cmd {
        CrmCommand::Create(a) => {
            let request_id = a.request_id.clone().unwrap_or_else(ids::request_id);
            let customer_type = Some(a.customer_type.clone());
            let outer_type = Some(a.outer_type.clone());
            let outer_id = Some(a.outer_id.clone());
            let channel = Some(a.channel.clone());
            let row = record(&[
                ("outer_type", &outer_type),
                ("outer_id", &outer_id),
                ("channel", &channel),
                ("customer_type", &customer_type),
                ("address", &a.address),
                ("birthday", &a.birthday),
                ("brand_id", &a.brand_id),
                ("email", &a.email),
                ("gender", &a.gender),
                ("invoice", &a.invoice),
                ("level_id", &a.level_id),
                ("mobile", &a.mobile),
                ("name", &a.name),
                ("operator_id", &a.operator_id),
                ("phone", &a.phone),
                ("remark", &a.remark),
                ("shop_id", &a.shop_id),
                ("tag_id_list", &a.tag_id_list),
                ("out_brand_id", &a.out_brand_id),
                ("out_shop_id", &a.out_shop_id),
            ]);
            let request = top_sync::requests::crm_request(&row, &request_id)?;
            request.validate()?;
            let client = client::single(&ctx.settings()?)?;
            let answer = client.execute(&request).await?;
            ctx.out.answer(&answer);
            Ok(EXIT_OK)
        }
        CrmCommand::Import(args) => {
            let spec = args.spec(JobSpec::crm(&args.file));
            let job = if args.dry_run {
                bulk::Job::DryRun(spec)
            } else {
                bulk::Job::Open(spec)
            };
            bulk::run(ctx, job, &args.run, None).await
        }
    }
}
