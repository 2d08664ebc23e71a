//! Gateway endpoints.

use std::fmt;
use std::str::FromStr;

/// Where calls go. All TOP gateways serve `/router/rest`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Endpoint {
    /// `https://gw.api.taobao.com/router/rest` (the default).
    #[default]
    Production,
    /// TOP's own sandbox, `https://gw.api.tbsandbox.com/router/rest` (its own app keys).
    Sandbox,
    /// The overseas gateway, `https://api.taobao.com/router/rest`.
    Overseas,
    /// Any other URL, such as a local `top-sandbox`.
    Custom(String),
}

impl Endpoint {
    /// The URL calls are posted to.
    pub fn url(&self) -> &str {
        match self {
            Endpoint::Production => "https://gw.api.taobao.com/router/rest",
            Endpoint::Sandbox => "https://gw.api.tbsandbox.com/router/rest",
            Endpoint::Overseas => "https://api.taobao.com/router/rest",
            Endpoint::Custom(url) => url,
        }
    }

    /// A custom URL.
    pub fn custom(url: impl Into<String>) -> Self {
        Endpoint::Custom(url.into())
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.url())
    }
}

/// Parses `production`, `sandbox`, `overseas` or a URL (checked when the client is built).
impl FromStr for Endpoint {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s.trim() {
            "production" => Endpoint::Production,
            "sandbox" => Endpoint::Sandbox,
            "overseas" => Endpoint::Overseas,
            url => Endpoint::Custom(url.to_owned()),
        })
    }
}

impl From<&str> for Endpoint {
    fn from(s: &str) -> Self {
        match s.parse() {
            Ok(e) => e,
            Err(never) => match never {},
        }
    }
}
