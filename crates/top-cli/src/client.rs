//! Building the TOP client from the effective settings.

use top_core::{RetryConfig, TopClient};

use crate::config::Settings;
use crate::error::CliError;

/// A client with top-core's default retry policy. The bulk engine derives its own retry
/// policy from this client ([`top_sync::RunOptions`]), so one client serves both.
pub(crate) fn single(settings: &Settings) -> Result<TopClient, CliError> {
    build(settings, RetryConfig::default())
}

fn build(settings: &Settings, retry: RetryConfig) -> Result<TopClient, CliError> {
    let missing = |name: &str, env: &str| {
        CliError::Config(format!(
            "no {name}: set {env} or `{name}` in the config file's profile{}",
            if name == "app_secret" {
                " (secrets are never taken from flags)"
            } else {
                ""
            }
        ))
    };
    let app_key = settings
        .app_key
        .as_ref()
        .ok_or_else(|| missing("app_key", "--app-key, TOP_APP_KEY"))?;
    let secret = settings
        .app_secret
        .as_ref()
        .ok_or_else(|| missing("app_secret", "TOP_APP_SECRET"))?;
    let mut builder = TopClient::builder()
        .app_key(app_key.value.clone())
        .app_secret(secret.value.expose().clone())
        .endpoint(settings.endpoint.value.as_str())
        .sign_method_name(&settings.sign_method.value)
        .retry(retry);
    if let Some(session) = &settings.session {
        builder = builder.session(session.value.expose().clone());
    }
    Ok(builder.build()?)
}
