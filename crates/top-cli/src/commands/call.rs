//! `top call METHOD -p name=value ...`: any method, loose parameters. A described method's
//! parameters may be given member by member (`-p param.member=value`) and are checked
//! against its description before anything is sent.

use clap::Args;
use top_core::{CallOptions, Params};

use crate::commands::Ctx;
use crate::error::{CliError, EXIT_OK};
use crate::{apis, client, dotted};

/// Arguments of `top call`.
#[derive(Debug, Args)]
#[command(after_help = CALL_HELP)]
pub(crate) struct CallArgs {
    /// The method, e.g. taobao.retail.user.tag.mobile.add.
    pub method: String,
    /// A business parameter, or a member of one by its dotted path (see below); repeat for
    /// more. The session and other secrets come from TOP_SESSION or the config file, never
    /// from here.
    #[arg(short = 'p', long = "param", value_name = "NAME=VALUE", value_parser = parse_param)]
    pub params: Vec<(String, String)>,
    /// Send a described method's parameters without checking them against its description
    /// (members are still typed by it): for when the gateway accepts what the description
    /// does not.
    #[arg(long)]
    pub no_check: bool,
}

const CALL_HELP: &str = "\
Methods with a built-in description (`top describe` lists them) take their object
parameters member by member: `-p PARAM.MEMBER=VALUE`, list entries numbered from 0
(`-p 'PARAM.LIST[0].MEMBER=VALUE'`, quoted: `[` is special to some shells). Values are
typed by the description: Number members become JSON numbers, Boolean members booleans,
String[] members lists from a comma list (`a,b`). A parameter given whole as JSON
(`-p PARAM='{...}'`) and by members is merged, the members winning.

  top call taobao.logistics.express.user.blacklist.tms.sync \\
    -p user_blacklist_request.request_id=r-1 \\
    -p user_blacklist_request.request_time=1700000000000 \\
    -p user_blacklist_request.supplier_id=S1 \\
    -p user_blacklist_request.service_type=1 \\
    -p user_blacklist_request.ability_type=1 \\
    -p user_blacklist_request.operate_type=1 \\
    -p 'user_blacklist_request.blacklist[0].mobile=13800001111' \\
    -p 'user_blacklist_request.blacklist[0].reason=1,2'

Before sending, the parameters are checked against the description (required members,
types, every rule): a broken rule exits 2 naming the member's path and the rule, and
nothing is sent; an unknown parameter is refused too (--no-check sends as given). Methods
without a description are sent as given.

Values given here show in `ps` and the shell history: secrets (passwords, tokens, SMS
codes) are better given to the typed commands, which read them from stdin or the
environment.";

fn parse_param(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_owned(), value.to_owned()))
        }
        _ => Err(format!("`{text}` is not NAME=VALUE")),
    }
}

/// Runs `top call`.
pub(crate) async fn run(ctx: &Ctx, args: CallArgs) -> Result<u8, CliError> {
    let catalog = apis::catalog()?;
    let params = match catalog.get(args.method.trim()) {
        Some(api) => {
            let params = dotted::build(api, args.params, !args.no_check)?;
            if !args.no_check {
                api.check_params(params.iter())?;
            }
            params
        }
        None => {
            // Sent as given (any method may be called), but a near miss of a described
            // method is most likely a typo.
            let method = args.method.trim();
            if let Some(near) = top_model::did_you_mean(method, catalog.closest(method, 1)) {
                eprintln!(
                    "warning: `{method}` has no description, so its parameters are not checked; did you mean `{near}`?"
                );
            }
            raw(args.params)?
        }
    };
    let settings = ctx.settings()?;
    let client = client::single(&settings)?;
    let answer = client
        .call_raw(&args.method, params, CallOptions::default())
        .await?;
    ctx.out.answer(&answer);
    Ok(EXIT_OK)
}

/// An undescribed method's parameters, sent as given.
fn raw(given: Vec<(String, String)>) -> Result<Params, CliError> {
    let mut params = Params::new();
    for (name, value) in given {
        if params.contains(&name) {
            return Err(CliError::Usage(format!(
                "parameter `{name}` is given twice"
            )));
        }
        params.insert(name, value);
    }
    Ok(params)
}
