//! The client: the only send path. Validates, flattens, adds system parameters, signs exactly
//! what it sends, posts, decodes, and retries by the rules of [`RetryConfig`].

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use http::HeaderMap;
use serde_json::Value;
use tracing::Instrument;

use crate::builder::TopClientBuilder;
use crate::endpoint::Endpoint;
use crate::envelope;
use crate::error::{BuildError, DecodeError, Error, ValidationError};
use crate::format::Format;
use crate::options::{CallOptions, Timeouts};
use crate::params::Params;
use crate::redact::Sensitive;
use crate::request::{TopRequest, TopResponse};
use crate::retry::{Retry, RetryBudget, RetryConfig};
use crate::sign::{SignMethod, Signer};
use crate::time::{Clock, format_gmt8};
use crate::transport::{HttpRequest, Transport, TransportError, TransportErrorKind};

/// Names the client sets itself; a request may not carry them.
pub const SYSTEM_PARAMS: &[&str] = &[
    "method",
    "app_key",
    "timestamp",
    "v",
    "sign_method",
    "sign",
    "format",
    "simplify",
    "session",
    "partner_id",
    "target_app_key",
];

/// Answers larger than this are refused whatever the transport (10 MiB).
pub const MAX_RESPONSE_BYTES: usize = 10 * 1024 * 1024;

/// A TOP client. Cheap to clone (an `Arc` inside); share one per app key.
///
/// ```no_run
/// # async fn run() -> Result<(), top_core::Error> {
/// use top_core::{Params, TopClient, CallOptions};
/// let client = TopClient::builder()
///     .app_key("12345678")
///     .app_secret("your-app-secret")
///     .build()?;
/// let params: Params = [("biz_code", "TEST_BIZ"), ("alipay_user_id", "2088000000000001")].into_iter().collect();
/// let answer = client.call_raw("taobao.retail.user.tag.mobile.add", params, CallOptions::default()).await?;
/// println!("{answer}");
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct TopClient {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) app_key: String,
    pub(crate) signer: Signer,
    pub(crate) endpoint: Endpoint,
    pub(crate) format: Format,
    pub(crate) timeouts: Timeouts,
    pub(crate) retry: RetryConfig,
    pub(crate) budget: RetryBudget,
    /// HTTP attempts made by this client, for callers that report calls sent.
    pub(crate) attempts: AtomicU64,
    pub(crate) transport: Arc<dyn Transport>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) session: Option<Sensitive<String>>,
    pub(crate) partner_id: Option<String>,
    pub(crate) headers: HeaderMap,
}

impl TopClient {
    /// A builder; `app_key` and `app_secret` are required.
    pub fn builder() -> TopClientBuilder {
        TopClientBuilder::default()
    }

    /// A client from `TOP_APP_KEY`, `TOP_APP_SECRET`, `TOP_SESSION`, `TOP_ENDPOINT` and
    /// `TOP_SIGN_METHOD`.
    pub fn from_env() -> Result<Self, BuildError> {
        Self::builder().from_env().build()
    }

    pub(crate) fn from_inner(inner: Inner) -> Self {
        TopClient {
            inner: Arc::new(inner),
        }
    }

    /// Performs a typed call with the client's defaults.
    pub async fn execute<R: TopRequest>(&self, request: &R) -> Result<R::Response, Error> {
        self.execute_with(request, CallOptions::default()).await
    }

    /// Performs a typed call: validates (nothing is sent on error), signs, sends, decodes,
    /// retries what is safe, and turns a failure reported inside the envelope into
    /// [`Error::Business`].
    pub async fn execute_with<R: TopRequest>(
        &self,
        request: &R,
        options: CallOptions,
    ) -> Result<R::Response, Error> {
        request.validate()?;
        let business = request.params()?;
        self.run(
            R::METHOD,
            &business,
            request.retry_safe(),
            &options,
            |body| {
                let (response, request_id) = envelope::decode::<R::Response>(R::METHOD, body)?;
                match response.business_error() {
                    Some(failure) => {
                        let request_id = failure.request_id.clone().or(request_id);
                        Err(Error::Business(
                            failure.with_request_id(request_id).with_response(response),
                        ))
                    }
                    None => Ok(response),
                }
            },
        )
        .await
    }

    /// Calls any method with loose parameters and returns the response content as JSON
    /// (the simplified root or the envelope's inside). Never retried after sending.
    pub async fn call_raw(
        &self,
        method: &str,
        params: Params,
        options: CallOptions,
    ) -> Result<Value, Error> {
        let valid = !method.is_empty()
            && method.split('.').count() >= 2
            && method
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'_');
        if !valid {
            return Err(ValidationError::new(
                "method",
                "must be a dotted TOP method name such as taobao.user.get",
            )
            .into());
        }
        self.run(method, &params, false, &options, |body| {
            envelope::decode_content(method, body)
        })
        .await
    }

    /// The exact parameters that would be sent now for `method`: business parameters plus
    /// system parameters, a fresh timestamp and the signature.
    pub fn prepare(&self, method: &str, business: &Params, session: Option<&str>) -> Params {
        let timestamp = format_gmt8(self.inner.clock.now());
        let (pairs, sign) = self.signed_pairs(method, business, session, &timestamp);
        let mut params: Params = pairs.into_iter().collect();
        params.insert("sign", sign);
        params
    }

    /// Every parameter to send, in ASCII order and borrowed (nothing is copied), and the
    /// signature over exactly those.
    fn signed_pairs<'a>(
        &'a self,
        method: &'a str,
        business: &'a Params,
        session: Option<&'a str>,
        timestamp: &'a str,
    ) -> (Vec<(&'a str, &'a str)>, String) {
        let inner = &*self.inner;
        let session = session.or(inner.session.as_ref().map(|s| s.expose().as_str()));
        let system = [
            ("app_key", Some(inner.app_key.as_str())),
            ("format", Some(inner.format.wire_name())),
            ("method", Some(method)),
            ("partner_id", inner.partner_id.as_deref()),
            ("session", session),
            ("sign_method", Some(inner.signer.method().as_str())),
            ("simplify", inner.format.simplify().then_some("true")),
            ("timestamp", Some(timestamp)),
            ("v", Some("2.0")),
        ];
        let mut pairs: Vec<(&str, &str)> = Vec::with_capacity(business.len() + system.len());
        pairs.extend(business.iter());
        pairs.extend(system.into_iter().filter_map(|(name, value)| {
            value
                .filter(|v| !crate::params::is_blank(v))
                .map(|v| (name, v))
        }));
        pairs.sort_unstable_by(|a, b| a.0.cmp(b.0));
        let sign = inner.signer.sign_sorted(pairs.iter().copied());
        (pairs, sign)
    }

    /// The form body of one attempt: what is signed is what is sent.
    fn form_body(&self, method: &str, business: &Params, session: Option<&str>) -> String {
        let timestamp = format_gmt8(self.inner.clock.now());
        let (pairs, sign) = self.signed_pairs(method, business, session, &timestamp);
        let capacity = pairs
            .iter()
            .map(|(k, v)| k.len() + v.len() * 3 / 2 + 2)
            .sum::<usize>()
            + 80;
        let mut form = form_urlencoded::Serializer::new(String::with_capacity(capacity));
        form.extend_pairs(pairs);
        form.append_pair("sign", &sign);
        form.finish()
    }

    /// The app key.
    pub fn app_key(&self) -> &str {
        &self.inner.app_key
    }

    /// The endpoint calls go to.
    pub fn endpoint(&self) -> &Endpoint {
        &self.inner.endpoint
    }

    /// The sign method.
    pub fn sign_method(&self) -> SignMethod {
        self.inner.signer.method()
    }

    /// The response format asked for.
    pub fn format(&self) -> Format {
        self.inner.format
    }

    /// Retry tokens left in the shared budget.
    pub fn retry_budget_remaining(&self) -> u32 {
        self.inner.budget.remaining()
    }

    /// HTTP attempts this client has made (every attempt of every call, retries included).
    pub fn attempts(&self) -> u64 {
        self.inner.attempts.load(Ordering::Relaxed)
    }

    /// The retry policy of this client.
    pub fn retry_config(&self) -> &RetryConfig {
        &self.inner.retry
    }

    /// A client like this one (same credentials, endpoint, transport and clock) that retries
    /// by `retry`, with a budget of its own. For callers that keep their own queue, such as
    /// the bulk engine, which waits out rate-limit bans for all its workers at once.
    pub fn with_retry(&self, retry: RetryConfig) -> TopClient {
        let inner = &*self.inner;
        TopClient::from_inner(Inner {
            app_key: inner.app_key.clone(),
            signer: inner.signer.clone(),
            endpoint: inner.endpoint.clone(),
            format: inner.format,
            timeouts: inner.timeouts,
            budget: RetryBudget::new(retry.budget),
            attempts: AtomicU64::new(0),
            retry,
            transport: Arc::clone(&inner.transport),
            clock: Arc::clone(&inner.clock),
            session: inner.session.clone(),
            partner_id: inner.partner_id.clone(),
            headers: inner.headers.clone(),
        })
    }

    async fn run<T>(
        &self,
        method: &str,
        business: &Params,
        retry_safe: bool,
        options: &CallOptions,
        decode: impl Fn(&[u8]) -> Result<T, Error>,
    ) -> Result<T, Error> {
        if let Some(name) = business.names().find(|n| SYSTEM_PARAMS.contains(n)) {
            return Err(ValidationError::new(
                name.to_owned(),
                "is a system parameter; the client sets it",
            )
            .into());
        }
        let span = tracing::debug_span!(
            "top.call",
            method,
            attempt = tracing::field::Empty,
            request_id = tracing::field::Empty,
            latency_ms = tracing::field::Empty,
            outcome = tracing::field::Empty,
        );
        let retry = &self.inner.retry;
        let deadline = options
            .deadline
            .map(|d| tokio::time::Instant::now().checked_add(d));
        async {
            let mut attempt = 1;
            loop {
                let span = tracing::Span::current();
                span.record("attempt", attempt);
                let started = Instant::now();
                let remaining = deadline.map(|end| {
                    end.map_or(Duration::MAX, |end| {
                        end.saturating_duration_since(tokio::time::Instant::now())
                    })
                });
                let result = self
                    .attempt(method, business, options, remaining, &decode)
                    .await;
                span.record("latency_ms", started.elapsed().as_millis() as u64);
                let error = match result {
                    Ok(value) => {
                        self.inner.budget.refund(retry.success_refund);
                        span.record("outcome", "ok");
                        return Ok(value);
                    }
                    Err(error) => error,
                };
                if let Some(id) = error.request_id() {
                    span.record("request_id", id);
                }
                span.record("outcome", outcome(&error));
                let next = (attempt < retry.max_attempts)
                    .then(|| retry.decide(&error, retry_safe))
                    .flatten();
                let wait = match next {
                    Some(Retry::Wait(ban)) => ban,
                    Some(Retry::Backoff(cost)) if self.inner.budget.try_acquire(cost) => retry.backoff(attempt),
                    _ => return Err(error),
                };
                // No retry starts that the deadline would cut short before it is sent.
                if let Some(Some(end)) = deadline
                    && tokio::time::Instant::now() + wait >= end
                {
                    return Err(error);
                }
                tracing::debug!(attempt, wait_ms = wait.as_millis() as u64, error = %error, "retrying");
                tokio::time::sleep(wait).await;
                attempt += 1;
            }
        }
        .instrument(span)
        .await
    }

    async fn attempt<T>(
        &self,
        method: &str,
        business: &Params,
        options: &CallOptions,
        remaining: Option<Duration>,
        decode: &impl Fn(&[u8]) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let inner = &*self.inner;
        let session = options.session.as_ref().map(|s| s.expose().as_str());
        let timeout = options.timeout.unwrap_or(inner.timeouts.attempt);
        // The whole call's deadline bounds each attempt too.
        let timeout = remaining.map_or(timeout, |r| timeout.min(r));
        if timeout.is_zero() {
            return Err(TransportError::from_kind(TransportErrorKind::Timeout).into());
        }
        inner.attempts.fetch_add(1, Ordering::Relaxed);
        let request = HttpRequest {
            url: inner.endpoint.url().to_owned(),
            headers: inner.headers.clone(),
            body: self.form_body(method, business, session).into(),
            timeout,
        };
        let response = match tokio::time::timeout(timeout, inner.transport.send(request)).await {
            Ok(Ok(response)) => response,
            Ok(Err(e)) if e.kind() == TransportErrorKind::BodyTooLarge => {
                return Err(DecodeError::new("$", "the answer exceeds the size limit")
                    .with_source(e)
                    .into());
            }
            Ok(Err(e)) => return Err(e.into()),
            Err(_) => return Err(TransportError::from_kind(TransportErrorKind::Timeout).into()),
        };
        if response.body.len() > MAX_RESPONSE_BYTES {
            return Err(DecodeError::new(
                "$",
                format!("the answer exceeds {MAX_RESPONSE_BYTES} bytes"),
            )
            .into());
        }
        let http_error = || Error::Http {
            status: response.status,
            body_snippet: snippet(&response.body),
        };
        match response.status {
            200 => decode(&response.body),
            // The gateway sends some TOP errors with 400 (as the Java SDK notes); read them.
            400 => match decode(&response.body) {
                Err(Error::Decode(_)) => Err(http_error()),
                other => other,
            },
            _ => Err(http_error()),
        }
    }
}

fn outcome(error: &Error) -> &'static str {
    match error {
        Error::Validation(_) => "invalid",
        Error::Build(_) => "misconfigured",
        Error::Transport(e) if e.is_timeout() => "timeout",
        Error::Transport(_) => "transport",
        Error::Http { .. } => "http",
        Error::Api(_) => "api",
        Error::RateLimited { .. } => "rate_limited",
        Error::Business(_) => "business",
        Error::Decode(_) => "decode",
    }
}

fn snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(256)]);
    text.chars().filter(|c| !c.is_control()).collect()
}

/// App key, endpoint and settings; never the secret or the session.
impl fmt::Debug for TopClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = &*self.inner;
        f.debug_struct("TopClient")
            .field("app_key", &inner.app_key)
            .field("app_secret", &"***")
            .field("session", &inner.session)
            .field("endpoint", &inner.endpoint.url())
            .field("sign_method", &inner.signer.method())
            .field("format", &inner.format)
            .field("timeouts", &inner.timeouts)
            .field("retry", &inner.retry)
            .field("transport", &inner.transport)
            .finish()
    }
}

impl Inner {
    pub(crate) fn default_headers() -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("application/x-www-form-urlencoded;charset=utf-8"),
        );
        headers.insert(
            http::header::ACCEPT,
            http::HeaderValue::from_static("application/json, text/xml"),
        );
        headers
    }
}

/// Used by the builder to size the per-attempt timeout check.
pub(crate) fn never_unbounded(d: Duration) -> bool {
    !d.is_zero()
}
