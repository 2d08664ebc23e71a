//! Sending a built call.
//!
//! An API with Rust types in a domain crate goes through them: the call's JSON is read into
//! the typed request and sent with [`TopClient::execute`], so the wire text is the SDK's own,
//! byte for byte (the blacklist's alphabetical JSON among them), top-core retries an unknown
//! outcome only when the request carries its idempotency key, and the typed answer reports
//! business failures. Any other described API is sent as loose parameters
//! ([`TopClient::call_raw`], as `top call` does: never resent after sending) and its answer is
//! read by the description's business-failure rule.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use top_core::{CallOptions, Error, Params, TopClient, TopRequest, ValidationError};
use top_model::value::wire_text;

use crate::api::plan::BulkPlan;

/// Sends the call once (top-core retries what is safe inside it).
pub(crate) async fn send(
    client: &TopClient,
    plan: &BulkPlan,
    call: Map<String, Value>,
) -> Result<(), Error> {
    use alsc_crm::{AlibabaAlscCrmCustomerCreateRequest, AlibabaAlscCrmCustomerUpdateRequest};
    use logistics_blacklist::LogisticsExpressUserBlacklistTmsSyncRequest;
    use retail_tag::RetailUserTagMobileAddRequest;

    match plan.method() {
        LogisticsExpressUserBlacklistTmsSyncRequest::METHOD => {
            typed::<LogisticsExpressUserBlacklistTmsSyncRequest>(client, call).await
        }
        RetailUserTagMobileAddRequest::METHOD => {
            typed::<RetailUserTagMobileAddRequest>(client, call).await
        }
        AlibabaAlscCrmCustomerCreateRequest::METHOD => {
            typed::<AlibabaAlscCrmCustomerCreateRequest>(client, call).await
        }
        AlibabaAlscCrmCustomerUpdateRequest::METHOD => {
            typed::<AlibabaAlscCrmCustomerUpdateRequest>(client, call).await
        }
        _ => raw(client, plan, call).await,
    }
}

/// The typed request of a built call.
///
/// # Errors
/// A [`ValidationError`] when the call does not fit the type (the description and the
/// domain crate disagree: a bug, reported without the values).
pub(crate) fn typed_request<R: TopRequest + DeserializeOwned>(
    call: Map<String, Value>,
) -> Result<R, ValidationError> {
    serde_json::from_value(Value::Object(call)).map_err(|_| {
        ValidationError::new(
            R::METHOD,
            "the call built from the rows does not fit the SDK's request type",
        )
    })
}

async fn typed<R: TopRequest + DeserializeOwned>(
    client: &TopClient,
    call: Map<String, Value>,
) -> Result<(), Error> {
    let request: R = typed_request(call)?;
    client.execute(&request).await.map(drop)
}

async fn raw(client: &TopClient, plan: &BulkPlan, call: Map<String, Value>) -> Result<(), Error> {
    let mut params = Params::new();
    for (name, value) in &call {
        params.insert(name.clone(), wire_text(value));
    }
    let answer = client
        .call_raw(plan.method(), params, CallOptions::default())
        .await?;
    match plan.description().business_error(&answer) {
        Some(failure) => Err(failure.into()),
        None => Ok(()),
    }
}
