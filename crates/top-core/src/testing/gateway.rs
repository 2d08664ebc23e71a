//! Helpers for the tests of crates built on top-core: a [wiremock] gateway that answers with
//! a fixture, a client pointed at it, and the checks every request it received must pass.
//!
//! Every client made here uses [`APP_KEY`], [`APP_SECRET`] and the default `hmac-sha256`
//! signature, so [`business_params`] can check the system parameters and the signature. The
//! helpers are test assertions: they panic, with a message, when a check fails.
//!
//! ```
//! use top_core::testing::{client_for, gateway_answering, object_param, received_business_params};
//! use top_core::{Format, TopRequest};
//!
//! #[derive(Debug, serde::Serialize)]
//! struct DemoAdd {
//!     param0: serde_json::Value,
//! }
//!
//! impl TopRequest for DemoAdd {
//!     const METHOD: &'static str = "taobao.demo.add";
//!     type Response = serde_json::Value;
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let server = gateway_answering(r#"{"ok":true,"request_id":"r1"}"#, "application/json").await;
//! let request = DemoAdd { param0: serde_json::json!({"id": 7}) };
//! client_for(&server, Format::Json).execute(&request).await.unwrap();
//!
//! // Exactly one signed request went out; these are its business parameters.
//! let form = received_business_params(&server, DemoAdd::METHOD, Format::Json).await;
//! assert_eq!(object_param(&form, "param0"), serde_json::json!({"id": 7}));
//! # }
//! ```
//!
//! A crate's own fixtures, in its `tests/fixtures/`, come through [`Fixtures`]:
//! `Fixtures::of(env!("CARGO_MANIFEST_DIR")).gateway("success.json")`.
#![cfg_attr(docsrs, doc(cfg(feature = "mock")))]

use std::collections::BTreeMap;
use std::time::Duration;

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

#[cfg(any(feature = "rustls", feature = "native-tls"))]
use crate::{ApiError, Error, TopRequest};
use crate::{
    FixedClock, Format, Params, RetryConfig, SignMethod, TopClient, TopClientBuilder, Transport,
};

/// The app key of every client made here (and of the shared signing vectors).
pub const APP_KEY: &str = "12345678";

/// The app secret of every client made here (and of the shared signing vectors).
pub const APP_SECRET: &str = "helloworld";

/// The path the gateway answers on.
pub const GATEWAY_PATH: &str = "/router/rest";

/// The fixtures of a crate: the files in its `tests/fixtures/`.
///
/// ```
/// const FIXTURES: top_core::testing::Fixtures =
///     top_core::testing::Fixtures::of(env!("CARGO_MANIFEST_DIR"));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Fixtures {
    manifest_dir: &'static str,
}

impl Fixtures {
    /// The fixtures of the crate at `manifest_dir`; pass `env!("CARGO_MANIFEST_DIR")`.
    pub const fn of(manifest_dir: &'static str) -> Self {
        Fixtures { manifest_dir }
    }

    /// The text of the fixture `name`.
    ///
    /// # Panics
    /// When the file cannot be read (the message names it).
    pub fn read(&self, name: &str) -> String {
        let file = format!("{}/tests/fixtures/{name}", self.manifest_dir);
        std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{file}: {e}"))
    }

    /// A gateway that answers every POST to [`GATEWAY_PATH`] with the fixture `name`, as
    /// `text/xml` when the name ends in `.xml` and as `application/json` otherwise.
    ///
    /// # Panics
    /// When the fixture cannot be read.
    pub async fn gateway(&self, name: &str) -> MockServer {
        let content_type = if name.ends_with(".xml") {
            "text/xml;charset=utf-8"
        } else {
            "application/json;charset=utf-8"
        };
        gateway_answering(self.read(name), content_type).await
    }

    /// Sends `request` once, with a [`client_for`] `format`, to a [`gateway`](Self::gateway)
    /// answering with the fixture `name`. Returns the gateway, to check what it received, and
    /// the outcome.
    ///
    /// # Panics
    /// When the fixture cannot be read or the client cannot be built.
    #[cfg(any(feature = "rustls", feature = "native-tls"))]
    #[cfg_attr(docsrs, doc(cfg(any(feature = "rustls", feature = "native-tls"))))]
    pub async fn call<R: TopRequest>(
        &self,
        name: &str,
        format: Format,
        request: &R,
    ) -> (MockServer, Result<R::Response, Error>) {
        let server = self.gateway(name).await;
        let outcome = client_for(&server, format).execute(request).await;
        (server, outcome)
    }

    /// [`call`](Self::call)s `request` with the fixtures `error_response.json`
    /// ([`Format::Json`]) and `error_response.xml` ([`Format::Xml`]), the platform's documented
    /// error sample, and checks that each call fails with exactly its [`ApiError`]: code 50
    /// `Remote service error`, sub-code `isv.invalid-parameter` `非法参数`, request id
    /// `10bbs5xqbnmcm`. Returns each gateway with its format, to check what it received.
    ///
    /// # Panics
    /// When a call does not fail with that error.
    #[cfg(any(feature = "rustls", feature = "native-tls"))]
    #[cfg_attr(docsrs, doc(cfg(any(feature = "rustls", feature = "native-tls"))))]
    pub async fn assert_error_response_samples<R: TopRequest>(
        &self,
        request: &R,
    ) -> Vec<(MockServer, Format)> {
        let mut gateways = Vec::with_capacity(2);
        for (name, format) in [
            ("error_response.json", Format::Json),
            ("error_response.xml", Format::Xml),
        ] {
            let (server, outcome) = self.call(name, format, request).await;
            match outcome {
                Err(Error::Api(api)) => assert_eq!(
                    api,
                    ApiError::new(50, "Remote service error")
                        .with_sub_code("isv.invalid-parameter")
                        .with_sub_msg("非法参数")
                        .with_request_id("10bbs5xqbnmcm"),
                    "{name}"
                ),
                other => panic!("{name}: {other:?}"),
            }
            gateways.push((server, format));
        }
        gateways
    }
}

/// A gateway that answers every POST to [`GATEWAY_PATH`] with HTTP 200, `body` and
/// `content_type`.
pub async fn gateway_answering(body: impl Into<String>, content_type: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(GATEWAY_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_raw(body.into(), content_type))
        .mount(&server)
        .await;
    server
}

/// A builder with [`APP_KEY`], [`APP_SECRET`] and retries backing off from 1 ms (so a test
/// that is retried does not wait), to finish with a transport, a clock, a format...
pub fn client_builder() -> TopClientBuilder {
    TopClient::builder()
        .app_key(APP_KEY)
        .app_secret(APP_SECRET)
        .retry(RetryConfig {
            base_delay: Duration::from_millis(1),
            ..RetryConfig::default()
        })
}

/// A [`client_builder`] client that sends to `server` over HTTP and asks for `format`.
///
/// # Panics
/// When the client cannot be built.
#[cfg(any(feature = "rustls", feature = "native-tls"))]
#[cfg_attr(docsrs, doc(cfg(any(feature = "rustls", feature = "native-tls"))))]
pub fn client_for(server: &MockServer, format: Format) -> TopClient {
    client_builder()
        .endpoint(format!("{}{GATEWAY_PATH}", server.uri()).as_str())
        .format(format)
        .build()
        .unwrap_or_else(|e| panic!("test client: {e}"))
}

/// The client of the shared signing vectors: a [`client_builder`] client over `transport`
/// that signs with `sign_method`, asks for enveloped JSON (`format=json`) and whose clock is
/// stopped at 2024-01-01 12:00:00 GMT+8.
///
/// # Panics
/// When the client cannot be built.
pub fn vector_client(transport: impl Transport + 'static, sign_method: SignMethod) -> TopClient {
    let noon = chrono::DateTime::from_timestamp(1_704_081_600, 0) // 2024-01-01 12:00:00 GMT+8
        .unwrap_or_else(|| panic!("2024-01-01 is a valid instant"));
    client_builder()
        .sign_method(sign_method)
        .format(Format::JsonEnveloped)
        .clock(FixedClock(noon))
        .transport(transport)
        .build()
        .unwrap_or_else(|e| panic!("vector client: {e}"))
}

/// The one request `server` received.
///
/// # Panics
/// When it received none or more than one.
pub async fn received_request(server: &MockServer) -> Request {
    let mut received = server
        .received_requests()
        .await
        .unwrap_or_else(|| panic!("the mock server does not record requests"));
    assert_eq!(received.len(), 1, "exactly one request");
    received.remove(0)
}

/// The parameters of a form-encoded body, by name. Unlike [`Params`] it keeps blank values,
/// so a test sees everything that was sent.
pub fn parse_form(body: &[u8]) -> BTreeMap<String, String> {
    form_urlencoded::parse(body).into_owned().collect()
}

/// The business parameters of `request`, a call of `method` by a client made here asking for
/// `format`.
///
/// Checks that it is a POST to [`GATEWAY_PATH`] with nothing in the URL, and that its form
/// carries exactly these system parameters: `method`, `app_key` = [`APP_KEY`],
/// `sign_method=hmac-sha256`, `v=2.0`, `format` and `simplify` as `format` says, a GMT+8
/// `timestamp`, and a `sign` that verifies with [`APP_SECRET`] over exactly the sent form.
///
/// # Panics
/// When a check fails.
pub fn business_params(
    request: &Request,
    method: &str,
    format: Format,
) -> BTreeMap<String, String> {
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), GATEWAY_PATH);
    assert!(request.url.query().is_none(), "nothing in the URL");
    let mut form = parse_form(&request.body);
    let params: Params = form.clone().into_iter().collect();
    let sign = form
        .remove("sign")
        .unwrap_or_else(|| panic!("no `sign` in the form"));
    assert_eq!(sign.len(), 64, "hmac-sha256 by default");
    assert!(
        crate::verify(&params, APP_SECRET, SignMethod::HmacSha256, &sign),
        "the signature does not verify"
    );
    assert_eq!(form.remove("method").as_deref(), Some(method));
    assert_eq!(form.remove("app_key").as_deref(), Some(APP_KEY));
    assert_eq!(form.remove("sign_method").as_deref(), Some("hmac-sha256"));
    assert_eq!(form.remove("v").as_deref(), Some("2.0"));
    assert_eq!(form.remove("format").as_deref(), Some(format.wire_name()));
    assert_eq!(
        form.remove("simplify").as_deref(),
        format.simplify().then_some("true")
    );
    let timestamp = form
        .remove("timestamp")
        .unwrap_or_else(|| panic!("no `timestamp` in the form"));
    assert!(crate::time::parse_gmt8(&timestamp).is_some(), "{timestamp}");
    form
}

/// The business parameters of the one request `server` received: [`received_request`], then
/// [`business_params`].
///
/// # Panics
/// When `server` did not receive exactly one request, or a check fails.
pub async fn received_business_params(
    server: &MockServer,
    method: &str,
    format: Format,
) -> BTreeMap<String, String> {
    business_params(&received_request(server).await, method, format)
}

/// The object parameter `name` of `form`, parsed as JSON.
///
/// # Panics
/// When `form` has no `name` or its value is not JSON.
pub fn object_param(form: &BTreeMap<String, String>, name: &str) -> serde_json::Value {
    let text = form
        .get(name)
        .unwrap_or_else(|| panic!("no `{name}` in the form"));
    serde_json::from_str(text).unwrap_or_else(|e| panic!("`{name}` is not JSON ({e}): {text}"))
}
