//! The registered apps (app_key → secret), with their signers prepared once.

use std::collections::HashMap;
use std::fmt;

use top_core::{SignMethod, Signer};

use crate::error::SandboxError;

/// The environment variable read by [`crate::SandboxBuilder::apps_from_env`].
pub(crate) const APPS_ENV: &str = "TOP_SANDBOX_APPS";

/// One app: the three signers of its secret.
pub(crate) struct App {
    md5: Signer,
    hmac: Signer,
    hmac_sha256: Signer,
}

impl App {
    fn new(secret: &str) -> Self {
        App {
            md5: Signer::new(secret, SignMethod::Md5),
            hmac: Signer::new(secret, SignMethod::Hmac),
            hmac_sha256: Signer::new(secret, SignMethod::HmacSha256),
        }
    }

    /// The signer for a method.
    pub(crate) fn signer(&self, method: SignMethod) -> Option<&Signer> {
        match method {
            SignMethod::Md5 => Some(&self.md5),
            SignMethod::Hmac => Some(&self.hmac),
            SignMethod::HmacSha256 => Some(&self.hmac_sha256),
            _ => None,
        }
    }
}

/// The app registry.
#[derive(Default)]
pub(crate) struct Apps(HashMap<String, App>);

impl Apps {
    /// Registers (or replaces) an app.
    pub(crate) fn insert(&mut self, key: &str, secret: &str) {
        self.0.insert(key.to_owned(), App::new(secret));
    }

    /// The app of a key.
    pub(crate) fn get(&self, key: &str) -> Option<&App> {
        self.0.get(key)
    }

    /// Every app with its key, in no particular order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, &App)> {
        self.0.iter().map(|(key, app)| (key.as_str(), app))
    }

    /// Number of apps.
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }
}

/// Keys only, never secrets.
impl fmt::Debug for Apps {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut keys: Vec<&String> = self.0.keys().collect();
        keys.sort();
        f.debug_struct("Apps").field("keys", &keys).finish()
    }
}

/// Parses `key:secret,key2:secret2` (the secret may contain `:`; blanks around entries are
/// ignored).
pub(crate) fn parse_apps(text: &str) -> Result<Vec<(String, String)>, SandboxError> {
    let mut apps = Vec::new();
    for entry in text.split(',') {
        let entry = entry.trim();
        if entry.is_empty() {
            continue;
        }
        match entry.split_once(':') {
            Some((key, secret)) if !key.trim().is_empty() && !secret.is_empty() => {
                apps.push((key.trim().to_owned(), secret.to_owned()));
            }
            _ => {
                let key = entry.split(':').next().unwrap_or_default();
                return Err(SandboxError::Config(format!(
                    "{APPS_ENV}: entry for app `{key}` is not `key:secret`"
                )));
            }
        }
    }
    Ok(apps)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_env_format() {
        assert_eq!(
            parse_apps(" a:1 , b:x:y,,").unwrap(),
            vec![("a".into(), "1".into()), ("b".into(), "x:y".into())]
        );
        assert!(parse_apps("nosecret").is_err());
        assert!(parse_apps(":s").is_err());
        let err = parse_apps("k:").unwrap_err().to_string();
        assert!(err.contains("`k`"), "{err}");
        assert!(parse_apps("").unwrap().is_empty());
        let mut apps = Apps::default();
        apps.insert("k", "very-secret");
        assert!(!format!("{apps:?}").contains("very-secret"));
        assert!(
            apps.get("k")
                .and_then(|a| a.signer(SignMethod::Md5))
                .is_some()
        );
    }
}
