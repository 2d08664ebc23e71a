//! A described API's sample request, called end to end (feature `testing`): the check each
//! domain crate's generated `tests/samples.rs` runs for every API it holds, and that a crate
//! of imported APIs can run for requests of its own.

use std::fmt::Debug;

use serde::de::DeserializeOwned;
use top_core::testing::StubTransport;
use top_core::{
    BuildError, Error, Format, RetryConfig, SignMethod, TopClient, TopRequest, ValidationError,
};

use crate::{DEMO_APP_KEY, DEMO_APP_SECRET, Sandbox, SandboxError, SandboxHandle};

/// How far a [`round_trip`] got before it failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RoundTripError {
    /// The request breaks a rule of its description; nothing was sent.
    #[error("{method}: the request breaks a rule of its description")]
    Invalid {
        /// The API's method name.
        method: &'static str,
        /// The rule broken, with the member's wire path.
        #[source]
        source: ValidationError,
    },
    /// The sandbox could not start.
    #[error("the sandbox did not start")]
    Sandbox(#[from] SandboxError),
    /// The client could not be built.
    #[error("the client could not be built")]
    Client(#[from] BuildError),
    /// The sandbox refused the call, or its answer did not decode into the typed response.
    #[error("{method} in {format} through the sandbox")]
    Sandboxed {
        /// The API's method name.
        method: &'static str,
        /// The answer format asked for.
        format: Format,
        /// What the client reported.
        #[source]
        source: Error,
    },
    /// The call through a typed stub failed.
    #[error("{method} through a typed stub")]
    Stubbed {
        /// The API's method name.
        method: &'static str,
        /// What the client reported.
        #[source]
        source: Error,
    },
    /// The stub read the signed form back into something other than the request sent.
    #[error("{method}: a typed stub received {received}, not the request sent: {sent}")]
    Received {
        /// The API's method name.
        method: &'static str,
        /// The request sent (`Debug`, secrets and mobiles masked).
        sent: String,
        /// The requests the stub read back (`Debug`, masked).
        received: String,
    },
}

/// Calls `request` through a new sandbox over HTTP, in JSON and in XML, then once through a
/// [`StubTransport`]. It succeeds when the request passes `validate()`, the sandbox (reading
/// the same description) accepts its signature and every parameter, each answer decodes into
/// the typed response, and the stub reads the signed form back into a request equal to
/// `request`. A business failure counts as an answer: the sandbox keeps state and may refuse
/// a sample (an unknown customer, an SMS code never issued).
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), top_sandbox::testing::RoundTripError> {
/// use serde::{Deserialize, Serialize};
/// use top_core::{TopRequest, TopResponse};
///
/// #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
/// struct TagUser { biz_code: String, alipay_user_id: String }
/// #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
/// struct Tagged {
///     // An XML answer carries the flag as text.
///     #[serde(default, deserialize_with = "top_core::de::lenient_bool")]
///     result: Option<bool>,
/// }
/// impl TopResponse for Tagged {}
/// impl TopRequest for TagUser {
///     const METHOD: &'static str = "taobao.retail.user.tag.mobile.add";
///     type Response = Tagged;
/// }
///
/// let request = TagUser { biz_code: "SPRING".into(), alipay_user_id: "2088000000000001".into() };
/// top_sandbox::testing::round_trip(&request).await?;
/// # Ok(()) }
/// ```
pub async fn round_trip<R>(request: &R) -> Result<(), RoundTripError>
where
    R: TopRequest + DeserializeOwned + PartialEq + Debug + 'static,
{
    request
        .validate()
        .map_err(|source| RoundTripError::Invalid {
            method: R::METHOD,
            source,
        })?;
    let sandbox = Sandbox::builder().start().await?;
    let sandboxed = through_sandbox(&sandbox, request).await;
    sandbox.shutdown().await;
    sandboxed?;
    through_stub(request).await
}

async fn through_sandbox<R: TopRequest>(
    sandbox: &SandboxHandle,
    request: &R,
) -> Result<(), RoundTripError> {
    for format in [Format::Json, Format::Xml] {
        let client = TopClient::builder()
            .app_key(DEMO_APP_KEY)
            .app_secret(DEMO_APP_SECRET)
            .endpoint(sandbox.url().as_str())
            .format(format)
            .sign_method(SignMethod::HmacSha256)
            .retry(RetryConfig::disabled())
            .build()?;
        match client.execute(request).await {
            Ok(_) | Err(Error::Business(_)) => {}
            Err(source) => {
                return Err(RoundTripError::Sandboxed {
                    method: R::METHOD,
                    format,
                    source,
                });
            }
        }
    }
    Ok(())
}

async fn through_stub<R>(request: &R) -> Result<(), RoundTripError>
where
    R: TopRequest + DeserializeOwned + PartialEq + Debug + 'static,
{
    let stub = StubTransport::new();
    // An empty response object: what is checked here is the request the stub receives.
    stub.on_json::<R>(serde_json::json!({}));
    let client = TopClient::builder()
        .app_key(DEMO_APP_KEY)
        .app_secret(DEMO_APP_SECRET)
        .transport(stub.clone())
        .build()?;
    match client.execute(request).await {
        Ok(_) | Err(Error::Business(_)) => {}
        Err(source) => {
            return Err(RoundTripError::Stubbed {
                method: R::METHOD,
                source,
            });
        }
    }
    let received = stub.calls::<R>();
    if received != std::slice::from_ref(request) {
        return Err(RoundTripError::Received {
            method: R::METHOD,
            sent: format!("{request:?}"),
            received: format!("{received:?}"),
        });
    }
    Ok(())
}
