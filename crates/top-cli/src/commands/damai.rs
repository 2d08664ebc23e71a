//! `top damai register`: the password and the SMS auth code come from a hidden prompt or
//! stdin, the provider tokens from the environment or the config file; never from flags.

use clap::{Args, Subcommand};
use damai_member::{
    AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeRequest, CodeType, UserRegisterByAuthCodeParam,
};
use top_core::{Sensitive, TopRequest};

use crate::client;
use crate::commands::Ctx;
use crate::config::Setting;
use crate::error::{CliError, EXIT_OK};
use crate::secrets;

/// `top damai ...`.
#[derive(Debug, Subcommand)]
pub(crate) enum DamaiCommand {
    /// Register a member (or change its password) with an SMS auth code.
    Register(RegisterArgs),
}

/// Arguments of `register`.
#[derive(Debug, Args)]
pub(crate) struct RegisterArgs {
    /// user_phone: the member's mobile, also the login name.
    #[arg(long)]
    pub user_phone: String,
    /// code_type: register (1) or change-password (2).
    #[arg(long, default_value = "register", value_parser = ["register", "change-password", "1", "2"])]
    pub code_type: String,
    /// Read the password then the auth code from stdin, one per line (else a hidden prompt).
    #[arg(long)]
    pub password_stdin: bool,
}

/// Runs `top damai ...`.
pub(crate) async fn run(ctx: &Ctx, cmd: DamaiCommand) -> Result<u8, CliError> {
    let DamaiCommand::Register(a) = cmd;
    let code_type = match a.code_type.as_str() {
        "register" | "1" => CodeType::Register,
        _ => CodeType::ChangePassword,
    };
    let settings = ctx.settings()?;
    let token = |s: &Option<Setting<Sensitive<String>>>, name: &str, env: &str| {
        s.as_ref().map(|s| s.value.clone()).ok_or_else(|| {
            CliError::Config(format!(
                "no Damai {name}: set {env} or `{name}` in the config file's profile"
            ))
        })
    };
    let ptnr = token(&settings.ptnr_token, "ptnr_token", "TOP_DAMAI_PTNR_TOKEN")?;
    let tenant = token(
        &settings.tenant_token,
        "tenant_token",
        "TOP_DAMAI_TENANT_TOKEN",
    )?;
    let channel = token(
        &settings.channel_token,
        "channel_token",
        "TOP_DAMAI_CHANNEL_TOKEN",
    )?;
    let client = client::single(&settings)?;
    let mut secrets = secrets::read(&["password", "auth code"], a.password_stdin)?.into_iter();
    let (Some(password), Some(auth_code)) = (secrets.next(), secrets.next()) else {
        return Err(CliError::Usage(
            "the password and the auth code are both needed".into(),
        ));
    };
    let request = AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeRequest::new(
        UserRegisterByAuthCodeParam::new(
            a.user_phone.trim().to_owned(),
            auth_code,
            password,
            code_type,
            ptnr,
            tenant,
            channel,
        ),
    );
    request.validate()?;
    let answer = client.execute(&request).await?;
    ctx.out.answer(&answer);
    Ok(EXIT_OK)
}
