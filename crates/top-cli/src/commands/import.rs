//! `top import METHOD FILE`: a CSV, JSON Lines or workbook file into any described API with bulk
//! settings, with the journal, resume, `top sync status|retry` and failures file of the
//! other bulk commands.

use clap::Args;
use top_sync::{BulkKind, JobSpec};

use crate::apis;
use crate::commands::Ctx;
use crate::commands::bulk::{self, BulkArgs};
use crate::error::CliError;

/// Arguments of `top import`.
#[derive(Debug, Args)]
#[command(after_help = IMPORT_HELP)]
pub(crate) struct ImportArgs {
    /// The method, e.g. alibaba.alsc.crm.customer.update (`top describe METHOD` shows its
    /// bulk settings: which member the rows fill, the flags, what is generated).
    pub method: String,
    #[command(flatten)]
    pub bulk: BulkArgs,
    /// A member set once for the whole job, by the flag name its description gives it
    /// (`--set supplier-id=S1 --set operate=1`); repeat for more. An enum member takes its
    /// code or the code's name.
    #[arg(long = "set", value_name = "FLAG=VALUE", value_parser = parse_set)]
    pub set: Vec<(String, String)>,
    /// Rows per call, for an API that takes rows as entries of a list (default: the
    /// description's max_batch).
    #[arg(long, value_name = "N")]
    pub batch_size: Option<usize>,
}

const IMPORT_HELP: &str = "\
Columns are the members each row fills, by their wire names: the members of the API's
object parameter (one call per row), of the entries of its list parameter (rows batched,
many per call), or its top-level parameters. `top describe METHOD` shows which.

  scalar members     one column each: `outer_id`, `customer_type`
  nested members     the dotted path: `address.city`, `address.street`
  list entries       numbered from 0: `items[0].name`, `items[1].name` (no gaps)
  lists of values    one column, a comma list (`t1,t2`; quote it in CSV: \"t1,t2\"),
                     or a JSON list in JSON Lines
  whole objects      one column holding JSON: `address` = {\"city\":\"..\"}

Values are typed by the description (Number members become numbers, Boolean members
booleans, a Date given as yyyy-MM-dd is midnight, GMT+8). JSON Lines take the same names as
keys, nested objects and lists as JSON values. Blank cells are left out.

Members the job fills itself are not columns: flags set once with --set NAME=VALUE, a
request id generated per call and journaled before its first send (a one-call-per-row API
also takes a `request_id` column, which then wins), the send time, and members with a
default. A header without a required column, or with a column that looks like a misspelt
one, is refused before anything is sent, naming the column it means (`reasons`: did you
mean `reason`?); any other unknown column is ignored with a warning (--strict refuses it).
A row that breaks a rule is reported with its line number and never stops the others.

Files: CSV (UTF-8, UTF-16 with a BOM or GB18030/GBK, detected; --encoding names it), JSON
Lines, or a workbook (.xlsx, .xls, .ods; --sheet NAME, else the first visible sheet).
Mobiles written +86 138 0000 0001, 138-0000-0001 or in full-width digits are sent as their
11 digits (--no-normalize sends them as written). --dry-run previews the first rows as they
will be sent, masked.

  top import alibaba.alsc.crm.customer.update updates.csv --failures failures.csv
  top import taobao.logistics.express.user.blacklist.tms.sync list.csv \\
    --set supplier-id=S1 --set operate=1
  top sync status updates.csv.journal

Run the same command again to resume; `top sync retry JOURNAL` resends failed rows.";

fn parse_set(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_owned(), value.trim().to_owned()))
        }
        _ => Err(format!("`{text}` is not NAME=VALUE")),
    }
}

/// Runs `top import`.
pub(crate) async fn run(ctx: &Ctx, args: ImportArgs) -> Result<u8, CliError> {
    let method = args.method.trim();
    let catalog = apis::catalog()?;
    if catalog.get(method).is_none() {
        return Err(apis::unknown_method(&catalog, method));
    }
    let plan = BulkKind::Described(method.to_owned()).plan()?;
    let mut flags = std::collections::BTreeMap::new();
    for (name, value) in args.set {
        if flags.insert(name.clone(), value).is_some() {
            return Err(CliError::Usage(format!("--set {name} is given twice")));
        }
    }
    let spec = args
        .bulk
        .spec(JobSpec::described(method, &args.bulk.file, flags));
    let job = if args.bulk.dry_run {
        bulk::Job::DryRun(spec)
    } else {
        bulk::Job::Open(spec)
    };
    let batch_size = args.batch_size.unwrap_or(plan.max_batch());
    bulk::run(ctx, job, &args.bulk.run, Some(batch_size)).await
}
