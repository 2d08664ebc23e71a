//! `top config show`: the effective configuration, secrets redacted, with the source of
//! every value.

use clap::Subcommand;
use serde_json::{Map, Value, json};

use crate::commands::Ctx;
use crate::config::{Setting, Settings};
use crate::error::{CliError, EXIT_OK};

/// `top config ...`.
#[derive(Debug, Subcommand)]
pub(crate) enum ConfigCommand {
    /// Print the effective configuration and where each value comes from.
    Show,
}

/// Runs `top config show`.
pub(crate) fn run(ctx: &Ctx, cmd: ConfigCommand) -> Result<u8, CliError> {
    let ConfigCommand::Show = cmd;
    let s = Settings::resolve(&ctx.global)?;
    let mut rows: Vec<(&str, Option<String>, Option<String>)> = Vec::new();
    let plain = |x: &Option<Setting<String>>| {
        (
            x.as_ref().map(|s| s.value.clone()),
            x.as_ref().map(|s| s.source.to_string()),
        )
    };
    let secret = |x: &Option<Setting<top_core::Sensitive<String>>>| {
        (
            x.as_ref().map(|_| "***".to_owned()),
            x.as_ref().map(|s| s.source.to_string()),
        )
    };
    let (v, src) = plain(&s.app_key);
    rows.push(("app_key", v, src));
    let (v, src) = secret(&s.app_secret);
    rows.push(("app_secret", v, src));
    let (v, src) = secret(&s.session);
    rows.push(("session", v, src));
    rows.push((
        "endpoint",
        Some(s.endpoint.value.clone()),
        Some(s.endpoint.source.to_string()),
    ));
    rows.push((
        "sign_method",
        Some(s.sign_method.value.clone()),
        Some(s.sign_method.source.to_string()),
    ));
    let (v, src) = secret(&s.ptnr_token);
    rows.push(("ptnr_token", v, src));
    let (v, src) = secret(&s.tenant_token);
    rows.push(("tenant_token", v, src));
    let (v, src) = secret(&s.channel_token);
    rows.push(("channel_token", v, src));

    let file = s
        .file
        .as_ref()
        .map(|(path, exists)| json!({ "path": path, "exists": exists }));
    let mut settings = Map::new();
    for (name, value, source) in &rows {
        settings.insert(
            (*name).to_owned(),
            json!({ "value": value, "source": source }),
        );
    }
    let value = json!({
        "config_file": file,
        "profile": { "value": s.profile.value, "source": s.profile.source.to_string() },
        "settings": Value::Object(settings),
        "warnings": s.warnings,
    });
    let mut text = String::new();
    match &s.file {
        Some((path, true)) => text.push_str(&format!("config file: {}\n", path.display())),
        Some((path, false)) => {
            text.push_str(&format!("config file: {} (not found)\n", path.display()))
        }
        None => text.push_str("config file: none ($HOME is not set)\n"),
    }
    text.push_str(&format!(
        "profile: {} ({})\n",
        s.profile.value, s.profile.source
    ));
    for (name, value, source) in &rows {
        match (value, source) {
            (Some(v), Some(src)) => text.push_str(&format!("{name:<14} {v:<40} {src}\n")),
            _ => text.push_str(&format!("{name:<14} {:<40} -\n", "(not set)")),
        }
    }
    for w in &s.warnings {
        text.push_str(&format!("warning: {w}\n"));
    }
    ctx.out.either(text.trim_end(), &value);
    Ok(EXIT_OK)
}
