//! The one error type of a TOP call, and the errors it wraps.
//!
//! Each variant says how far the request got: [`Error::Validation`] and [`Error::Build`] mean
//! nothing was sent; [`Error::Transport`] tells whether the gateway may have seen the request;
//! [`Error::Http`], [`Error::Api`], [`Error::RateLimited`], [`Error::Business`] and
//! [`Error::Decode`] mean the gateway answered.

use std::any::Any;
use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::code::ErrorCode;
use crate::transport::TransportError;

/// Everything that can go wrong with a TOP call.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The request broke a rule of the API; nothing was sent.
    #[error(transparent)]
    Validation(#[from] ValidationError),
    /// The client is misconfigured; nothing was sent.
    #[error(transparent)]
    Build(#[from] BuildError),
    /// The HTTP exchange failed; [`TransportError::is_connect`] tells whether anything was sent.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The gateway answered with an HTTP status other than 200 (or 400 with a TOP body).
    #[error("the gateway answered HTTP {status}")]
    Http {
        /// The HTTP status code.
        status: u16,
        /// The first bytes of the body, for diagnosis (HTML error pages and the like).
        body_snippet: String,
    },
    /// The gateway answered with an `error_response`.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// Code 7 (`App Call Limited`): the app is banned for `retry_after`.
    #[error("rate limited by TOP (code 7): retry after {} s", retry_after.as_secs())]
    RateLimited {
        /// How long the ban lasts, from "This ban will last for N more seconds".
        retry_after: Duration,
        /// The gateway's error as it came (boxed: it keeps every field, and `Error` stays
        /// small enough to return by value).
        #[source]
        error: Box<ApiError>,
    },
    /// The call succeeded at the platform level but the API reported a business failure.
    #[error(transparent)]
    Business(#[from] BusinessError),
    /// The answer could not be read as the expected response.
    #[error(transparent)]
    Decode(#[from] DecodeError),
}

impl Error {
    /// Whether trying the same call again later may succeed (the retry layer already did
    /// what was safe; this is for callers that keep their own queue).
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport(e) => e.is_connect() || e.is_timeout() || e.is_io(),
            Error::Http { status, .. } => *status >= 500,
            Error::Api(e) => e.is_transient(&[]),
            Error::RateLimited { .. } => true,
            Error::Business(e) => e.retryable,
            Error::Validation(_) | Error::Build(_) | Error::Decode(_) => false,
        }
    }

    /// The TOP `request_id` of the answer, when the gateway sent one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api(e) => e.request_id.as_deref(),
            Error::RateLimited { error, .. } => error.request_id.as_deref(),
            Error::Business(e) => e.request_id.as_deref(),
            _ => None,
        }
    }

    /// The gateway's `error_response`, for [`Error::Api`] and [`Error::RateLimited`].
    pub fn api_error(&self) -> Option<&ApiError> {
        match self {
            Error::Api(e) => Some(e),
            Error::RateLimited { error, .. } => Some(error),
            _ => None,
        }
    }

    /// Whether the request may have been applied by the service even though no answer
    /// arrived: a timeout or a connection lost after the request was sent.
    pub fn outcome_unknown(&self) -> bool {
        matches!(self, Error::Transport(e) if e.is_timeout() || e.is_io())
            || matches!(self, Error::Http { status, .. } if *status >= 500)
    }

    /// Whether the failed call may have changed something at the service, so that sending
    /// it again could apply it twice (unless the request carries an idempotency key).
    ///
    /// `false` only where the failure proves nothing was applied: the request was refused
    /// before it was sent ([`Error::Validation`], [`Error::Build`], a connect failure), the
    /// gateway refused it before calling the service (code 7, the platform's signature, app
    /// key, timestamp, method and parameter checks), the service refused it (an `isv.*`
    /// sub-code, a [`Error::Business`] failure it reported), or something in front of the
    /// gateway refused it (an HTTP 4xx). Timeouts, lost connections, HTTP 5xx, `isp.*`
    /// failures and unreadable answers may hide an applied change.
    ///
    /// ```
    /// use top_core::{Error, TransportError, TransportErrorKind};
    /// let timeout: Error = TransportError::from_kind(TransportErrorKind::Timeout).into();
    /// assert!(timeout.may_have_been_applied());
    /// let refused: Error = TransportError::from_kind(TransportErrorKind::Connect).into();
    /// assert!(!refused.may_have_been_applied());
    /// ```
    pub fn may_have_been_applied(&self) -> bool {
        match self {
            Error::Validation(_) | Error::Build(_) | Error::RateLimited { .. } => false,
            Error::Transport(e) => !e.is_connect(),
            Error::Http { status, .. } => *status >= 500,
            Error::Api(e) => !e.refused_before_applying(),
            Error::Business(_) => false,
            Error::Decode(_) => true,
        }
    }
}

/// A TOP `error_response`: every field the gateway sent is kept.
///
/// Built with [`ApiError::new`] and the `with_*` setters (the type may grow, as the gateway's
/// answers may):
///
/// ```
/// use top_core::ApiError;
///
/// let error = ApiError::new(15, "Remote service error")
///     .with_sub_code("isp.top-remote-connection-timeout")
///     .with_request_id("z2a1b3");
/// assert!(error.is_transient(&[]));
/// assert_eq!(error.to_string(), "TOP error 15 Remote service error [isp.top-remote-connection-timeout] (request_id z2a1b3)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub struct ApiError {
    /// Platform error code (`25` invalid signature, `7` rate limited, `15`/`50` remote service
    /// error...), kept as text when the gateway sent something other than an integer.
    pub code: ErrorCode,
    /// The platform message, e.g. `Invalid signature`.
    pub msg: String,
    /// The detailed code, e.g. `isv.invalid-parameter` or `isp.top-remote-connection-timeout`.
    pub sub_code: Option<String>,
    /// The detailed message.
    pub sub_msg: Option<String>,
    /// The platform request id, for support tickets.
    pub request_id: Option<String>,
}

/// The `isp.*` sub-codes that signal a passing server-side failure.
pub const TRANSIENT_SUB_CODES: &[&str] = &[
    "isp.top-remote-connection-timeout",
    "isp.top-remote-connection-error",
    "isp.remote-service-timeout",
    "isp.remote-connection-error",
    "isp.top-remote-service-unavailable",
    "isp.top-remote-unknown-error",
    "isp.unknown-error",
];

impl ApiError {
    /// An error with a code and a message, the members every `error_response` has.
    pub fn new(code: impl Into<ErrorCode>, msg: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            msg: msg.into(),
            sub_code: None,
            sub_msg: None,
            request_id: None,
        }
    }

    /// With the detailed code (`isv.invalid-parameter`, `isp.top-remote-connection-timeout`).
    #[must_use]
    pub fn with_sub_code(mut self, sub_code: impl Into<String>) -> Self {
        self.sub_code = Some(sub_code.into());
        self
    }

    /// With the detailed message.
    #[must_use]
    pub fn with_sub_msg(mut self, sub_msg: impl Into<String>) -> Self {
        self.sub_msg = Some(sub_msg.into());
        self
    }

    /// With the platform request id.
    #[must_use]
    pub fn with_request_id(mut self, request_id: impl Into<String>) -> Self {
        self.request_id = Some(request_id.into());
        self
    }

    /// Whether the sub-code is a known transient server failure, or one of `extra`. A
    /// gateway that puts the sub-code in `code` (`"code":"isp.unknown-error"`) is read the
    /// same way.
    pub fn is_transient(&self, extra: &[String]) -> bool {
        let transient = |sub: &str| {
            let base = sub.strip_suffix("-tmall").unwrap_or(sub);
            TRANSIENT_SUB_CODES.contains(&base) || extra.iter().any(|e| e == sub)
        };
        match (&self.sub_code, &self.code) {
            (Some(sub), _) => transient(sub),
            (None, ErrorCode::Text(code)) => transient(code.trim()),
            (None, ErrorCode::Number(_)) => false,
        }
    }

    /// Whether the error proves the request was refused before anything was applied: an
    /// `isv.*` sub-code (the service refused the input), or a platform code of the router's
    /// own checks (rate limits, method, format, signature, app key, session, timestamp,
    /// version, parameters). Remote-service errors (code 15 and its kin) and `isp.*` are
    /// not such proof.
    pub fn refused_before_applying(&self) -> bool {
        if let Some(sub) = &self.sub_code {
            if sub.starts_with("isv.") {
                return true;
            }
            if sub.starts_with("isp.") {
                return false;
            }
        }
        // The router's own checks, which run before the service is called.
        matches!(
            self.code.as_i64(),
            Some(3..=9 | 11..=13 | 21..=34 | 40..=43)
        )
    }

    /// For code 7, the ban length parsed from "This ban will last for N more seconds".
    pub fn ban_duration(&self) -> Option<Duration> {
        if self.code != 7 {
            return None;
        }
        [self.sub_msg.as_deref(), Some(self.msg.as_str())]
            .into_iter()
            .flatten()
            .find_map(parse_ban_seconds)
            .map(Duration::from_secs)
    }
}

/// Reads N from "... ban will last for N more seconds".
fn parse_ban_seconds(text: &str) -> Option<u64> {
    let rest = &text[text.find("last for")? + "last for".len()..];
    let digits: String = rest
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "TOP error {} {}", self.code, self.msg)?;
        if let Some(sub) = &self.sub_code {
            write!(f, " [{sub}")?;
            if let Some(m) = &self.sub_msg {
                write!(f, ": {m}")?;
            }
            f.write_str("]")?;
        }
        if let Some(id) = &self.request_id {
            write!(f, " (request_id {id})")?;
        }
        Ok(())
    }
}

/// A failure that an API reports inside a successful envelope
/// (`success=false`, `biz_success=false`, `result=false`...).
#[derive(Clone, thiserror::Error)]
#[error("{}", self.describe())]
pub struct BusinessError {
    /// The API's own result code, when it has one.
    pub code: Option<String>,
    /// The API's message.
    pub message: Option<String>,
    /// Whether the API says the call may be retried (`is_retry=true`).
    pub retryable: bool,
    /// The platform request id.
    pub request_id: Option<String>,
    response: Option<Arc<dyn Any + Send + Sync>>,
}

impl BusinessError {
    /// A business failure with the API's code and message.
    pub fn new(code: Option<String>, message: Option<String>) -> Self {
        BusinessError {
            code,
            message,
            retryable: false,
            request_id: None,
            response: None,
        }
    }

    /// Marks the failure as retryable (the API said so).
    pub fn with_retryable(mut self, retryable: bool) -> Self {
        self.retryable = retryable;
        self
    }

    /// Attaches the typed response the failure came in.
    pub fn with_response<T: Any + Send + Sync>(mut self, response: T) -> Self {
        self.response = Some(Arc::new(response));
        self
    }

    /// Sets the platform request id.
    pub fn with_request_id(mut self, request_id: Option<String>) -> Self {
        self.request_id = request_id;
        self
    }

    /// The typed response, e.g. `err.response::<CustomerCreateResponse>()`.
    pub fn response<T: Any>(&self) -> Option<&T> {
        self.response.as_deref()?.downcast_ref::<T>()
    }

    fn describe(&self) -> String {
        let mut s = String::from("business failure");
        if let Some(c) = &self.code {
            s.push_str(" code ");
            s.push_str(c);
        }
        if let Some(m) = &self.message {
            s.push_str(": ");
            s.push_str(m);
        }
        if self.retryable {
            s.push_str(" (retryable)");
        }
        if let Some(id) = &self.request_id {
            s.push_str(" (request_id ");
            s.push_str(id);
            s.push(')');
        }
        s
    }
}

impl fmt::Debug for BusinessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BusinessError")
            .field("code", &self.code)
            .field("message", &self.message)
            .field("retryable", &self.retryable)
            .field("request_id", &self.request_id)
            .field("has_response", &self.response.is_some())
            .finish()
    }
}

/// A request field that breaks a rule; found before anything is sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid `{field}`: {rule}")]
pub struct ValidationError {
    /// The field, as a path of wire names (`user_blacklist_request.blacklist[2].mobile`).
    pub field: Cow<'static, str>,
    /// The rule it breaks, never the value (which may be secret).
    pub rule: Cow<'static, str>,
}

impl ValidationError {
    /// A broken rule for a field.
    pub fn new(field: impl Into<Cow<'static, str>>, rule: impl Into<Cow<'static, str>>) -> Self {
        ValidationError {
            field: field.into(),
            rule: rule.into(),
        }
    }

    /// The field is required and was missing or blank.
    pub fn required(field: impl Into<Cow<'static, str>>) -> Self {
        Self::new(field, REQUIRED_RULE)
    }

    /// Whether this is [`ValidationError::required`]: the field is missing, not invalid
    /// (a gateway answers the two with different codes).
    pub fn is_required(&self) -> bool {
        self.rule == REQUIRED_RULE
    }
}

/// The rule of [`ValidationError::required`].
const REQUIRED_RULE: &str = "is required and must not be blank";

/// A setting of [`crate::TopClientBuilder`] is missing or invalid.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// A required setting was not given.
    #[error("missing setting `{0}`")]
    Missing(&'static str),
    /// A setting has a value that cannot work.
    #[error("invalid setting `{field}`: {rule}")]
    Invalid {
        /// The setting.
        field: &'static str,
        /// Why it is rejected.
        rule: String,
    },
    /// The HTTP client could not be created.
    #[error("could not create the HTTP transport")]
    Transport(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// The answer could not be decoded; `path` names where.
#[derive(Debug, thiserror::Error)]
#[error("could not decode the response at `{path}`: {message}")]
pub struct DecodeError {
    /// A JSON path into the response (`$`, `result.result_code`...).
    pub path: String,
    /// What was wrong.
    pub message: String,
    /// The parser's error.
    #[source]
    pub source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl DecodeError {
    /// A decode failure at `path`.
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        DecodeError {
            path: path.into(),
            message: message.into(),
            source: None,
        }
    }

    /// Keeps the parser's error as the cause.
    pub fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.source = Some(Box::new(source));
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(code: i64, sub_code: Option<&str>, sub_msg: Option<&str>) -> ApiError {
        ApiError {
            sub_code: sub_code.map(Into::into),
            sub_msg: sub_msg.map(Into::into),
            ..ApiError::new(code, "m").with_request_id("rid")
        }
    }

    #[test]
    fn ban_seconds_are_parsed_from_sub_msg() {
        let e = api(
            7,
            Some("accesscontrol.limited-by-app-access-count"),
            Some("This ban will last for 31062 more seconds"),
        );
        assert_eq!(e.ban_duration(), Some(Duration::from_secs(31062)));
        assert_eq!(api(7, None, Some("no number")).ban_duration(), None);
        assert_eq!(
            api(25, None, Some("This ban will last for 3 more seconds")).ban_duration(),
            None
        );
    }

    #[test]
    fn transient_sub_codes() {
        assert!(api(15, Some("isp.top-remote-connection-timeout"), None).is_transient(&[]));
        assert!(api(15, Some("isp.unknown-error-tmall"), None).is_transient(&[]));
        assert!(!api(15, Some("isp.runtime-max-limit"), None).is_transient(&[]));
        assert!(!api(50, Some("isv.invalid-parameter"), None).is_transient(&[]));
        assert!(api(15, Some("isp.custom"), None).is_transient(&["isp.custom".to_string()]));
        let text_code = |code: &str| ApiError {
            code: ErrorCode::parse(code),
            ..api(0, None, None)
        };
        assert!(text_code("isp.unknown-error").is_transient(&[]));
        assert!(!text_code("50a").is_transient(&[]));
    }

    #[test]
    fn display_keeps_every_field() {
        let text = api(50, Some("isv.invalid-parameter"), Some("非法参数")).to_string();
        assert_eq!(
            text,
            "TOP error 50 m [isv.invalid-parameter: 非法参数] (request_id rid)"
        );
    }

    #[test]
    fn business_error_keeps_the_typed_response() {
        let e = BusinessError::new(Some("500".into()), None).with_response(42_u32);
        assert_eq!(e.response::<u32>(), Some(&42));
        assert_eq!(e.response::<String>(), None);
        assert_eq!(e.to_string(), "business failure code 500");
    }
}
