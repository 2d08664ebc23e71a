//! Building a [`TopClient`]: every setting is checked here, before any traffic.

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;

use crate::client::{Inner, TopClient, never_unbounded};
use crate::endpoint::Endpoint;
use crate::error::BuildError;
use crate::format::Format;
use crate::options::Timeouts;
use crate::redact::Sensitive;
use crate::retry::{RetryBudget, RetryConfig};
use crate::sign::{SignMethod, Signer};
use crate::time::{Clock, SystemClock};
use crate::transport::Transport;

/// Builder for [`TopClient`].
///
/// ```
/// use top_core::{Endpoint, SignMethod, TopClient};
/// let client = TopClient::builder()
///     .app_key("12345678")
///     .app_secret("helloworld")
///     .endpoint(Endpoint::Sandbox)
///     .sign_method(SignMethod::Md5)
///     .build()
///     .unwrap();
/// assert_eq!(client.endpoint().url(), "https://gw.api.tbsandbox.com/router/rest");
///
/// let missing = TopClient::builder().app_key("12345678").build().unwrap_err();
/// assert_eq!(missing.to_string(), "missing setting `app_secret`");
/// ```
#[derive(Default)]
pub struct TopClientBuilder {
    app_key: Option<String>,
    app_secret: Option<Sensitive<String>>,
    session: Option<Sensitive<String>>,
    endpoint: Option<Endpoint>,
    sign_method: Option<Result<SignMethod, String>>,
    format: Format,
    timeouts: Timeouts,
    retry: RetryConfig,
    transport: Option<Arc<dyn Transport>>,
    clock: Option<Arc<dyn Clock>>,
    partner_id: Option<String>,
    allow_http: bool,
}

impl TopClientBuilder {
    /// The app key (`TOP_APP_KEY`).
    pub fn app_key(mut self, app_key: impl Into<String>) -> Self {
        self.app_key = Some(app_key.into());
        self
    }

    /// The app secret (`TOP_APP_SECRET`); kept in a [`Sensitive`].
    pub fn app_secret(mut self, app_secret: impl Into<String>) -> Self {
        self.app_secret = Some(Sensitive::new(app_secret.into()));
        self
    }

    /// A default user `session` for every call (`TOP_SESSION`).
    pub fn session(mut self, session: impl Into<String>) -> Self {
        self.session = Some(Sensitive::new(session.into()));
        self
    }

    /// The gateway (`TOP_ENDPOINT`: a URL or `production`, `sandbox`, `overseas`).
    pub fn endpoint(mut self, endpoint: impl Into<Endpoint>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// The sign method (default `hmac-sha256`).
    pub fn sign_method(mut self, method: SignMethod) -> Self {
        self.sign_method = Some(Ok(method));
        self
    }

    /// The sign method by name (`md5`, `hmac`, `hmac-sha256`); a bad name fails `build()`.
    pub fn sign_method_name(mut self, name: &str) -> Self {
        self.sign_method = Some(name.parse().map_err(|_| name.to_owned()));
        self
    }

    /// The response format (default simplified JSON).
    pub fn format(mut self, format: Format) -> Self {
        self.format = format;
        self
    }

    /// Connect and per-attempt timeouts.
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = timeouts;
        self
    }

    /// The retry policy.
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = retry;
        self
    }

    /// Another transport (a mock in tests, a custom HTTP stack).
    pub fn transport(mut self, transport: impl Transport + 'static) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// Another transport, already shared.
    pub fn shared_transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport = Some(transport);
        self
    }

    /// Another clock (tests).
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    /// A `partner_id` sent with every call.
    pub fn partner_id(mut self, partner_id: impl Into<String>) -> Self {
        self.partner_id = Some(partner_id.into());
        self
    }

    /// Allows a plain `http://` endpoint that is not loopback. Off by default: the session
    /// and signature would cross the network in clear text.
    pub fn allow_http(mut self, allow: bool) -> Self {
        self.allow_http = allow;
        self
    }

    /// Fills unset settings from `TOP_APP_KEY`, `TOP_APP_SECRET`, `TOP_SESSION`,
    /// `TOP_ENDPOINT` and `TOP_SIGN_METHOD`.
    pub fn from_env(mut self) -> Self {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        if self.app_key.is_none() {
            self.app_key = var("TOP_APP_KEY");
        }
        if self.app_secret.is_none() {
            self.app_secret = var("TOP_APP_SECRET").map(Sensitive::new);
        }
        if self.session.is_none() {
            self.session = var("TOP_SESSION").map(Sensitive::new);
        }
        if self.endpoint.is_none() {
            self.endpoint = var("TOP_ENDPOINT").map(|e| Endpoint::from(e.as_str()));
        }
        if self.sign_method.is_none() {
            self.sign_method = var("TOP_SIGN_METHOD").map(|m| m.parse().map_err(|_| m));
        }
        self
    }

    /// Checks every setting and builds the client. Names the missing or invalid setting.
    pub fn build(self) -> Result<TopClient, BuildError> {
        let app_key = self
            .app_key
            .filter(|k| !k.trim().is_empty())
            .ok_or(BuildError::Missing("app_key"))?;
        let secret = self
            .app_secret
            .filter(|s| !s.expose().trim().is_empty())
            .ok_or(BuildError::Missing("app_secret"))?;
        let sign_method = match self.sign_method {
            None => SignMethod::default(),
            Some(Ok(m)) => m,
            Some(Err(name)) => {
                return Err(BuildError::Invalid {
                    field: "sign_method",
                    rule: format!("`{name}` is not one of md5, hmac, hmac-sha256"),
                });
            }
        };
        let endpoint = self.endpoint.unwrap_or_default();
        check_endpoint(&endpoint, self.allow_http)?;
        if !never_unbounded(self.timeouts.connect) || !never_unbounded(self.timeouts.attempt) {
            return Err(BuildError::Invalid {
                field: "timeouts",
                rule: "timeouts must be greater than zero".into(),
            });
        }
        if self.retry.max_attempts == 0 {
            return Err(BuildError::Invalid {
                field: "retry",
                rule: "max_attempts must be at least 1".into(),
            });
        }
        let transport = match self.transport {
            Some(t) => t,
            None => default_transport(&self.timeouts)?,
        };
        Ok(TopClient::from_inner(Inner {
            app_key,
            signer: Signer::new(secret.expose(), sign_method),
            endpoint,
            format: self.format,
            timeouts: self.timeouts,
            budget: RetryBudget::new(self.retry.budget),
            attempts: std::sync::atomic::AtomicU64::new(0),
            retry: self.retry,
            transport,
            clock: self.clock.unwrap_or_else(|| Arc::new(SystemClock)),
            session: self.session,
            partner_id: self.partner_id,
            headers: Inner::default_headers(),
        }))
    }
}

#[cfg(any(feature = "rustls", feature = "native-tls"))]
fn default_transport(timeouts: &Timeouts) -> Result<Arc<dyn Transport>, BuildError> {
    Ok(Arc::new(crate::ReqwestTransport::new(timeouts)?))
}

#[cfg(not(any(feature = "rustls", feature = "native-tls")))]
fn default_transport(_: &Timeouts) -> Result<Arc<dyn Transport>, BuildError> {
    Err(BuildError::Missing("transport"))
}

fn check_endpoint(endpoint: &Endpoint, allow_http: bool) -> Result<(), BuildError> {
    let invalid = |rule: String| BuildError::Invalid {
        field: "endpoint",
        rule,
    };
    let url = url::Url::parse(endpoint.url())
        .map_err(|e| invalid(format!("`{}` is not a URL ({e})", endpoint.url())))?;
    if url.query().is_some() {
        return Err(invalid(
            "must not carry a query string: every parameter goes in the body".into(),
        ));
    }
    match url.scheme() {
        "https" => Ok(()),
        "http" if allow_http || is_loopback(&url) => Ok(()),
        "http" => Err(invalid(format!(
            "`{}` is plain http to a non-loopback host; use https or allow_http(true)",
            endpoint.url()
        ))),
        other => Err(invalid(format!("scheme `{other}` is not http or https"))),
    }
}

fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

impl fmt::Debug for TopClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TopClientBuilder")
            .field("app_key", &self.app_key)
            .field("app_secret", &self.app_secret)
            .field("session", &self.session)
            .field("endpoint", &self.endpoint)
            .field("format", &self.format)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> TopClientBuilder {
        TopClient::builder().app_key("k").app_secret("s")
    }

    fn invalid_field(b: TopClientBuilder) -> &'static str {
        match b.build().unwrap_err() {
            BuildError::Invalid { field, .. } => field,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn names_missing_and_invalid_settings() {
        assert!(matches!(
            TopClient::builder().build(),
            Err(BuildError::Missing("app_key"))
        ));
        assert!(matches!(
            TopClient::builder().app_key(" ").app_secret("s").build(),
            Err(BuildError::Missing("app_key"))
        ));
        assert!(matches!(
            TopClient::builder().app_key("k").build(),
            Err(BuildError::Missing("app_secret"))
        ));
        assert_eq!(
            invalid_field(base().sign_method_name("sha1")),
            "sign_method"
        );
        assert_eq!(invalid_field(base().endpoint("not a url")), "endpoint");
        assert_eq!(
            invalid_field(base().endpoint("ftp://example.com/router/rest")),
            "endpoint"
        );
        assert_eq!(
            invalid_field(base().endpoint("http://gw.example.com/router/rest")),
            "endpoint"
        );
        assert_eq!(
            invalid_field(base().endpoint("https://gw.example.com/router/rest?session=x")),
            "endpoint"
        );
        assert_eq!(
            invalid_field(base().timeouts(Timeouts {
                connect: std::time::Duration::ZERO,
                ..Timeouts::default()
            })),
            "timeouts"
        );
        assert_eq!(
            invalid_field(base().retry(RetryConfig {
                max_attempts: 0,
                ..RetryConfig::default()
            })),
            "retry"
        );
    }

    #[test]
    fn accepts_loopback_http_and_opt_in_http() {
        for url in [
            "http://127.0.0.1:8080/router/rest",
            "http://localhost/router/rest",
            "http://[::1]:1/router/rest",
        ] {
            assert!(base().endpoint(url).build().is_ok(), "{url}");
        }
        assert!(
            base()
                .endpoint("http://gw.example.com/router/rest")
                .allow_http(true)
                .build()
                .is_ok()
        );
        let c = base().endpoint("overseas").build().unwrap();
        assert_eq!(c.endpoint(), &Endpoint::Overseas);
        assert_eq!(c.sign_method(), SignMethod::HmacSha256);
    }

    #[test]
    fn debug_hides_secrets() {
        let b = base()
            .app_secret("very-secret-value")
            .session("session-token-1");
        let text = format!("{b:?}");
        assert!(
            !text.contains("very-secret-value") && !text.contains("session-token-1"),
            "{text}"
        );
        let c = b.build().unwrap();
        let text = format!("{c:?}");
        assert!(
            !text.contains("very-secret-value") && !text.contains("session-token-1"),
            "{text}"
        );
    }
}
