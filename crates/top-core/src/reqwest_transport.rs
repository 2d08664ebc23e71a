//! The default [`Transport`]: one pooled reqwest client (rustls or native TLS, gzip).

use async_trait::async_trait;
use bytes::BytesMut;

use crate::error::BuildError;
use crate::options::Timeouts;
use crate::transport::{HttpRequest, HttpResponse, Transport, TransportError, TransportErrorKind};

/// Answers larger than this are refused (10 MiB): no TOP response of these APIs comes close.
pub const DEFAULT_MAX_BODY: usize = 10 * 1024 * 1024;

/// reqwest-backed transport. Cheap to clone; clones share the connection pool.
///
/// Certificates are verified against the bundled web roots. To trust a private CA, build the
/// client yourself:
///
/// ```no_run
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use top_core::{ReqwestTransport, Timeouts};
/// let ca = top_core::reqwest::Certificate::from_pem(&std::fs::read("ca.pem")?)?;
/// let client = ReqwestTransport::client_builder(&Timeouts::default())
///     .add_root_certificate(ca)
///     .build()?;
/// let transport = ReqwestTransport::from_client(client);
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    max_body: usize,
}

impl ReqwestTransport {
    /// A transport with the given connect timeout (the attempt timeout comes with each request).
    pub fn new(timeouts: &Timeouts) -> Result<Self, BuildError> {
        let client = Self::client_builder(timeouts)
            .build()
            .map_err(|e| BuildError::Transport(Box::new(e)))?;
        Ok(Self::from_client(client))
    }

    /// The reqwest builder with this crate's defaults, to add certificates or a proxy.
    pub fn client_builder(timeouts: &Timeouts) -> reqwest::ClientBuilder {
        reqwest::Client::builder()
            .connect_timeout(timeouts.connect)
            .timeout(timeouts.attempt)
            .pool_idle_timeout(std::time::Duration::from_secs(60))
            .tcp_nodelay(true)
            .gzip(true)
            .user_agent(concat!("taobao-top/", env!("CARGO_PKG_VERSION")))
    }

    /// Wraps a reqwest client you configured.
    pub fn from_client(client: reqwest::Client) -> Self {
        ReqwestTransport {
            client,
            max_body: DEFAULT_MAX_BODY,
        }
    }

    /// Changes the largest answer accepted.
    pub fn with_max_body(mut self, bytes: usize) -> Self {
        self.max_body = bytes;
        self
    }
}

fn classify(error: reqwest::Error) -> TransportError {
    let kind = if error.is_connect() {
        TransportErrorKind::Connect
    } else if error.is_timeout() {
        TransportErrorKind::Timeout
    } else {
        TransportErrorKind::Io
    };
    TransportError::new(kind, error.without_url())
}

#[async_trait]
impl Transport for ReqwestTransport {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let mut response = self
            .client
            .post(&request.url)
            .headers(request.headers)
            .body(request.body)
            .timeout(request.timeout)
            .send()
            .await
            .map_err(classify)?;
        let too_large = || TransportError::from_kind(TransportErrorKind::BodyTooLarge);
        if response
            .content_length()
            .is_some_and(|n| n > self.max_body as u64)
        {
            return Err(too_large());
        }
        let status = response.status().as_u16();
        let headers = std::mem::take(response.headers_mut());
        let mut body = BytesMut::new();
        while let Some(chunk) = response.chunk().await.map_err(classify)? {
            if body.len() + chunk.len() > self.max_body {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(HttpResponse {
            status,
            headers,
            body: body.freeze(),
        })
    }
}
