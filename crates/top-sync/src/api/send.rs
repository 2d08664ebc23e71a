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
use top_core::{BusinessError, CallOptions, Error, Params, TopClient, TopRequest, ValidationError};
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
    match business_failure(plan, &answer) {
        Some(failure) => Err(failure.into()),
        None => Ok(()),
    }
}

/// The failure an answer reports inside a success envelope, by the description's rule.
fn business_failure(plan: &BulkPlan, answer: &Value) -> Option<BusinessError> {
    let rule = plan.description().overlay.business_failure.as_ref()?;
    let flag_false = |path: &str, required: bool| match lookup(answer, path) {
        Some(Value::Bool(false)) => true,
        Some(Value::String(s)) => s.eq_ignore_ascii_case("false"),
        None => required,
        _ => false,
    };
    let failed = flag_false(&rule.flag, rule.flag_required)
        || rule.also.iter().any(|p| flag_false(p, false));
    if !failed {
        return None;
    }
    let text = |path: &Option<String>| {
        path.as_deref()
            .and_then(|p| lookup(answer, p))
            .map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
    };
    Some(BusinessError::new(text(&rule.code), text(&rule.message)))
}

/// The value at a response path (`result.biz_success`, `error_infos[].code`: the first
/// entry of a list).
fn lookup<'a>(answer: &'a Value, path: &str) -> Option<&'a Value> {
    let mut node = answer;
    for segment in path.split('.') {
        let (name, into_list) = match segment.strip_suffix("[]") {
            Some(name) => (name, true),
            None => (segment, false),
        };
        node = node.get(name)?;
        if into_list {
            node = node.get(0)?;
        }
    }
    Some(node)
}
