//! The transport contract: one async call from an [`HttpRequest`] to an [`HttpResponse`].

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use http::HeaderMap;

/// A POST to the gateway. Every parameter is in the form body; the URL has no query string.
#[derive(Clone)]
pub struct HttpRequest {
    /// The gateway URL.
    pub url: String,
    /// Headers (content type, accept, user agent).
    pub headers: HeaderMap,
    /// The form-encoded body.
    pub body: Bytes,
    /// How long this attempt may take.
    pub timeout: Duration,
}

/// URL and body size only: the body carries the session and business secrets.
impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpRequest")
            .field("url", &self.url)
            .field("body_len", &self.body.len())
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// The gateway's answer, body already decompressed.
#[derive(Clone)]
pub struct HttpResponse {
    /// HTTP status code.
    pub status: u16,
    /// Response headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
}

impl HttpResponse {
    /// A response with a status and body and no headers (tests and custom transports).
    pub fn new(status: u16, body: impl Into<Bytes>) -> Self {
        HttpResponse {
            status,
            headers: HeaderMap::new(),
            body: body.into(),
        }
    }
}

impl fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// Sends one HTTP request. Implement it to plug in another HTTP stack; [`MockTransport`]
/// (feature `mock`) is generated for unit tests.
#[cfg_attr(any(test, feature = "mock"), mockall::automock)]
#[async_trait::async_trait]
pub trait Transport: Send + Sync + fmt::Debug {
    /// Sends the request and reads the whole answer.
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError>;
}

/// How far a failed exchange got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be made: nothing was sent, retrying is always safe.
    Connect,
    /// No complete answer in time: the request may have been applied.
    Timeout,
    /// The connection failed after the request was sent: it may have been applied.
    Io,
    /// The answer was larger than the limit.
    BodyTooLarge,
}

impl fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TransportErrorKind::Connect => "could not connect to the gateway (nothing was sent)",
            TransportErrorKind::Timeout => {
                "timed out waiting for the gateway (the call may have been applied)"
            }
            TransportErrorKind::Io => {
                "the connection failed after the request was sent (the call may have been applied)"
            }
            TransportErrorKind::BodyTooLarge => "the gateway's answer exceeds the size limit",
        })
    }
}

/// A failed HTTP exchange.
#[derive(Debug, thiserror::Error)]
#[error("{kind}")]
pub struct TransportError {
    kind: TransportErrorKind,
    #[source]
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl TransportError {
    /// An error of `kind` caused by `source`.
    pub fn new(
        kind: TransportErrorKind,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        TransportError {
            kind,
            source: Some(source.into()),
        }
    }

    /// An error of `kind` with no further cause.
    pub fn from_kind(kind: TransportErrorKind) -> Self {
        TransportError { kind, source: None }
    }

    /// How far the exchange got.
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// Nothing was sent.
    pub fn is_connect(&self) -> bool {
        self.kind == TransportErrorKind::Connect
    }

    /// The attempt ran out of time.
    pub fn is_timeout(&self) -> bool {
        self.kind == TransportErrorKind::Timeout
    }

    /// The connection broke after sending.
    pub fn is_io(&self) -> bool {
        self.kind == TransportErrorKind::Io
    }
}
