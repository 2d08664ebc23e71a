//! `~/.config/top/config.toml`: named profiles of settings.
//!
//! ```toml
//! default_profile = "sandbox"   # optional; otherwise `default`
//!
//! [profiles.default]
//! app_key = "12345678"
//! app_secret = "..."
//! session = "..."
//! endpoint = "production"        # or sandbox, overseas, or a URL
//! sign_method = "hmac-sha256"    # or md5, hmac
//! ptnr_token = "..."             # Damai provider tokens (top damai register)
//! tenant_token = "..."
//! channel_token = "..."
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::CliError;

/// The file.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConfigFile {
    /// The profile used when none is named.
    pub default_profile: Option<String>,
    /// Profiles by name.
    #[serde(default)]
    pub profiles: BTreeMap<String, Profile>,
}

/// One profile. Secrets are read only from here or the environment, never from flags.
#[derive(Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Profile {
    pub app_key: Option<String>,
    pub app_secret: Option<String>,
    pub session: Option<String>,
    pub endpoint: Option<String>,
    pub sign_method: Option<String>,
    pub ptnr_token: Option<String>,
    pub tenant_token: Option<String>,
    pub channel_token: Option<String>,
}

impl std::fmt::Debug for Profile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let set = |v: &Option<String>| if v.is_some() { "***" } else { "-" };
        f.debug_struct("Profile")
            .field("app_key", &self.app_key)
            .field("app_secret", &set(&self.app_secret))
            .field("session", &set(&self.session))
            .field("endpoint", &self.endpoint)
            .field("sign_method", &self.sign_method)
            .finish_non_exhaustive()
    }
}

/// The default location: `$HOME/.config/top/config.toml`.
pub(crate) fn default_path() -> Option<PathBuf> {
    let home = std::env::var_os("HOME").filter(|h| !h.is_empty())?;
    Some(PathBuf::from(home).join(".config/top/config.toml"))
}

/// Reads and parses the file; `Ok(None)` when it does not exist.
pub(crate) fn load(path: &Path) -> Result<Option<ConfigFile>, CliError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(CliError::Config(format!(
                "cannot read {}: {e}",
                path.display()
            )));
        }
    };
    toml::from_str(&text).map(Some).map_err(|e| {
        let line = e
            .span()
            .map(|span| 1 + text[..span.start.min(text.len())].matches('\n').count());
        CliError::Config(format!(
            "{} is not valid{}: {}",
            path.display(),
            line.map_or_else(String::new, |l| format!(" (line {l})")),
            without_values(e.message())
        ))
    })
}

/// A TOML or serde message without the value it quotes: `invalid type: integer `123`,
/// expected a string` names the wrong value itself, which may be a secret written without
/// quotes. Other messages (an unknown field, a syntax error) name no value and stay whole.
fn without_values(message: &str) -> String {
    for prefix in ["invalid type: ", "invalid value: "] {
        if let Some(rest) = message.strip_prefix(prefix) {
            let (unexpected, expected) = rest.split_once(", expected").unwrap_or((rest, ""));
            let kind = unexpected
                .split(['`', '"'])
                .next()
                .unwrap_or(unexpected)
                .trim_end();
            let expected = if expected.is_empty() {
                String::new()
            } else {
                format!(", expected{expected}")
            };
            return format!("{prefix}{kind}{expected}");
        }
    }
    message.to_owned()
}

/// A warning when the file is readable by group or others (it holds secrets).
pub(crate) fn permission_warning(path: &Path) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).ok()?.permissions().mode();
        if mode & 0o077 != 0 {
            return Some(format!(
                "{} is readable by group or others (mode {:o}) and holds secrets; run: chmod 600 {}",
                path.display(),
                mode & 0o777,
                path.display()
            ));
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_keep_no_value() {
        assert_eq!(
            without_values("invalid type: integer `20394857102938`, expected a string"),
            "invalid type: integer, expected a string"
        );
        assert_eq!(
            without_values("invalid type: floating point `1.5`, expected a string"),
            "invalid type: floating point, expected a string"
        );
        assert_eq!(
            without_values("invalid value: string \"x-secret\", expected a map"),
            "invalid value: string, expected a map"
        );
        assert_eq!(
            without_values("unknown field `app_secert`, expected one of `app_key`"),
            "unknown field `app_secert`, expected one of `app_key`"
        );
    }
}
