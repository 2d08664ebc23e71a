//! `top call METHOD -p name=value ...`: any method, loose parameters.

use clap::Args;
use top_core::{CallOptions, Params};

use crate::client;
use crate::commands::Ctx;
use crate::error::{CliError, EXIT_OK};

/// Arguments of `top call`.
#[derive(Debug, Args)]
pub(crate) struct CallArgs {
    /// The method, e.g. taobao.retail.user.tag.mobile.add.
    pub method: String,
    /// A business parameter; repeat for more. The session and other secrets come from
    /// TOP_SESSION or the config file, never from here.
    #[arg(short = 'p', long = "param", value_name = "NAME=VALUE", value_parser = parse_param)]
    pub params: Vec<(String, String)>,
}

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
    let settings = ctx.settings()?;
    let client = client::single(&settings)?;
    let mut params = Params::new();
    for (name, value) in args.params {
        if params.contains(&name) {
            return Err(CliError::Usage(format!(
                "parameter `{name}` is given twice"
            )));
        }
        params.insert(name, value);
    }
    let answer = client
        .call_raw(&args.method, params, CallOptions::default())
        .await?;
    ctx.out.answer(&answer);
    Ok(EXIT_OK)
}
