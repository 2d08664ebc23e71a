//! The effective configuration: flags, then environment, then the config file's profile,
//! then defaults; each value remembers where it came from (`top config show`).

use std::fmt;
use std::path::PathBuf;

use top_core::Sensitive;

use crate::cli::GlobalArgs;
use crate::config_file::{self, Profile};
use crate::error::CliError;

/// Where a value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Source {
    /// A command-line flag.
    Flag(&'static str),
    /// An environment variable.
    Env(&'static str),
    /// The config file's profile.
    File { path: PathBuf, profile: String },
    /// The built-in default.
    Default,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Flag(flag) => write!(f, "flag {flag}"),
            Source::Env(var) => write!(f, "env {var}"),
            Source::File { path, profile } => {
                write!(f, "config {} [profiles.{profile}]", path.display())
            }
            Source::Default => f.write_str("default"),
        }
    }
}

/// A value and its source.
#[derive(Debug, Clone)]
pub(crate) struct Setting<T> {
    pub value: T,
    pub source: Source,
}

/// Every setting the CLI uses.
#[derive(Debug)]
pub(crate) struct Settings {
    pub app_key: Option<Setting<String>>,
    pub app_secret: Option<Setting<Sensitive<String>>>,
    pub session: Option<Setting<Sensitive<String>>>,
    pub endpoint: Setting<String>,
    pub sign_method: Setting<String>,
    pub ptnr_token: Option<Setting<Sensitive<String>>>,
    pub tenant_token: Option<Setting<Sensitive<String>>>,
    pub channel_token: Option<Setting<Sensitive<String>>>,
    /// The config file consulted, and whether it exists.
    pub file: Option<(PathBuf, bool)>,
    pub profile: Setting<String>,
    pub warnings: Vec<String>,
}

fn env(name: &'static str) -> Option<Setting<String>> {
    std::env::var(name)
        .ok()
        .filter(|v| !v.trim().is_empty())
        .map(|value| Setting {
            value,
            source: Source::Env(name),
        })
}

fn flag(value: &Option<String>, name: &'static str) -> Option<Setting<String>> {
    value
        .clone()
        .filter(|v| !v.trim().is_empty())
        .map(|value| Setting {
            value,
            source: Source::Flag(name),
        })
}

impl Settings {
    /// Resolves the settings.
    pub(crate) fn resolve(global: &GlobalArgs) -> Result<Self, CliError> {
        let mut warnings = Vec::new();
        let explicit = global.config.clone().map(|p| (p, true)).or_else(|| {
            std::env::var_os("TOP_CONFIG")
                .filter(|v| !v.is_empty())
                .map(|p| (PathBuf::from(p), true))
        });
        let path = explicit
            .clone()
            .or_else(|| config_file::default_path().map(|p| (p, false)));
        let (file, loaded) = match &path {
            Some((path, must_exist)) => {
                let loaded = config_file::load(path)?;
                if loaded.is_none() && *must_exist {
                    return Err(CliError::Config(format!(
                        "the config file {} does not exist",
                        path.display()
                    )));
                }
                if loaded.is_some()
                    && let Some(w) = config_file::permission_warning(path)
                {
                    warnings.push(w);
                }
                (Some((path.clone(), loaded.is_some())), loaded)
            }
            None => (None, None),
        };
        let loaded = loaded.unwrap_or_default();
        let profile = flag(&global.profile, "--profile")
            .or_else(|| env("TOP_PROFILE"))
            .or_else(|| {
                loaded.default_profile.clone().and_then(|value| {
                    file.as_ref().map(|(path, _)| Setting {
                        value,
                        source: Source::File {
                            path: path.clone(),
                            profile: "default_profile".into(),
                        },
                    })
                })
            })
            .unwrap_or(Setting {
                value: "default".into(),
                source: Source::Default,
            });
        let named = !matches!(profile.source, Source::Default);
        let empty = Profile::default();
        let chosen = match loaded.profiles.get(&profile.value) {
            Some(p) => p,
            None if named => {
                let known: Vec<&str> = loaded.profiles.keys().map(String::as_str).collect();
                return Err(CliError::Config(format!(
                    "profile `{}` ({}) is not in {}; profiles: {}",
                    profile.value,
                    profile.source,
                    file.as_ref().map_or_else(
                        || "any config file".to_owned(),
                        |(p, _)| p.display().to_string()
                    ),
                    if known.is_empty() {
                        "none".to_owned()
                    } else {
                        known.join(", ")
                    }
                )));
            }
            None => &empty,
        };
        let from_file = |value: &Option<String>| -> Option<Setting<String>> {
            let (path, _) = file.as_ref()?;
            value
                .clone()
                .filter(|v| !v.trim().is_empty())
                .map(|value| Setting {
                    value,
                    source: Source::File {
                        path: path.clone(),
                        profile: profile.value.clone(),
                    },
                })
        };
        let secret = |s: Setting<String>| Setting {
            value: Sensitive::new(s.value),
            source: s.source,
        };
        Ok(Settings {
            app_key: flag(&global.app_key, "--app-key")
                .or_else(|| env("TOP_APP_KEY"))
                .or_else(|| from_file(&chosen.app_key)),
            app_secret: env("TOP_APP_SECRET")
                .or_else(|| from_file(&chosen.app_secret))
                .map(secret),
            session: env("TOP_SESSION")
                .or_else(|| from_file(&chosen.session))
                .map(secret),
            endpoint: flag(&global.endpoint, "--endpoint")
                .or_else(|| env("TOP_ENDPOINT"))
                .or_else(|| from_file(&chosen.endpoint))
                .unwrap_or(Setting {
                    value: "production".into(),
                    source: Source::Default,
                }),
            sign_method: flag(&global.sign_method, "--sign-method")
                .or_else(|| env("TOP_SIGN_METHOD"))
                .or_else(|| from_file(&chosen.sign_method))
                .unwrap_or(Setting {
                    value: "hmac-sha256".into(),
                    source: Source::Default,
                }),
            ptnr_token: env("TOP_DAMAI_PTNR_TOKEN")
                .or_else(|| from_file(&chosen.ptnr_token))
                .map(secret),
            tenant_token: env("TOP_DAMAI_TENANT_TOKEN")
                .or_else(|| from_file(&chosen.tenant_token))
                .map(secret),
            channel_token: env("TOP_DAMAI_CHANNEL_TOKEN")
                .or_else(|| from_file(&chosen.channel_token))
                .map(secret),
            file,
            profile,
            warnings,
        })
    }
}
