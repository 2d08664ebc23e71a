//! Unit-testing your own code with typed stubs. `onboard` is a small service function: it
//! tags a new member (`taobao.retail.user.tag.mobile.add`) and creates their CRM customer
//! (`alibaba.alsc.crm.customer.create`). Its tests give the client a `StubTransport`: each
//! API answers with typed responses or errors, and the typed requests sent can be checked.
//! No network, no wiremock, no envelope text; the client still validates, signs, decodes and
//! retries as in production.
//!
//! ```sh
//! cargo run --example service_test --features test-util    # runs the scenarios and prints them
//! cargo test --example service_test --features test-util   # the same scenarios as unit tests
//! ```

use std::time::Duration;

use taobao_top::alsc_crm::{
    AlibabaAlscCrmCustomerCreateRequest, AlibabaAlscCrmCustomerCreateResponse, CommonResult,
    CustomerCreateOpenReq, CustomerType,
};
use taobao_top::core::testing::StubTransport;
use taobao_top::core::{ApiError, Error, RetryConfig, TopClient};
use taobao_top::retail_tag::{RetailUserTagMobileAddRequest, RetailUserTagMobileAddResponse};

type Tag = RetailUserTagMobileAddRequest;
type CreateCustomer = AlibabaAlscCrmCustomerCreateRequest;

// ----- The code under test -------------------------------------------------------------

/// A member who just signed up.
pub struct Signup<'a> {
    /// Their Alipay user id.
    pub alipay_user_id: &'a str,
    /// Their mobile number.
    pub mobile: &'a str,
    /// The signup's id: the CRM call's idempotency key.
    pub signup_id: &'a str,
}

/// Tags the member for the spring campaign, then creates their CRM customer; returns the
/// customer id.
pub async fn onboard(client: &TopClient, signup: &Signup<'_>) -> Result<Option<String>, Error> {
    let tag = Tag::new()
        .biz_code("SPRING")
        .alipay_user_id(signup.alipay_user_id);
    client.execute(&tag).await?;
    let customer = CustomerCreateOpenReq::new(
        signup.signup_id,
        "mobile",
        signup.mobile,
        "2",
        CustomerType::Member,
    )
    .mobile(signup.mobile);
    let created = client.execute(&CreateCustomer::new(customer)).await?;
    Ok(created.customer_id().map(str::to_owned))
}

// ----- Its tests: the stubs, the scenarios ---------------------------------------------

const SIGNUP: Signup<'static> = Signup {
    alipay_user_id: "2088000000000001",
    mobile: "13411111111",
    signup_id: "signup-42",
};

/// A client over `stub`. Any key and secret do; retries back off 1 ms so tests stay fast.
fn client(stub: &StubTransport) -> Result<TopClient, Error> {
    Ok(TopClient::builder()
        .app_key("test-key")
        .app_secret("test-secret")
        .retry(RetryConfig::default().base_delay(Duration::from_millis(1)))
        .transport(stub.clone())
        .build()?)
}

// Response types are `#[non_exhaustive]` (the vendor may add members): start from
// `Default` and set what the test needs.
fn tagged() -> RetailUserTagMobileAddResponse {
    let mut answer = RetailUserTagMobileAddResponse::default();
    answer.result = Some(true);
    answer
}

fn created(customer_id: &str) -> AlibabaAlscCrmCustomerCreateResponse {
    let mut result = CommonResult::default();
    result.result = Some(customer_id.into());
    result.biz_success = Some(true);
    let mut answer = AlibabaAlscCrmCustomerCreateResponse::default();
    answer.result = Some(result);
    answer
}

/// An `error_response` of the gateway, as the handler of a stub returns it.
fn api_error(code: i64, sub_code: &str) -> Error {
    Error::Api(ApiError::new(code, "Remote service error").with_sub_code(sub_code))
}

/// Both calls succeed; the CRM customer is made from the signup.
async fn happy_path() -> Result<(StubTransport, Result<Option<String>, Error>), Error> {
    let stub = StubTransport::new();
    stub.on::<Tag>(|_| Ok(tagged()))
        .on::<CreateCustomer>(|request| {
            // A handler sees the typed request and may answer from it.
            let id = format!("C-{}", request.param_customer_create_open_req.request_id);
            Ok(created(&id))
        });
    let outcome = onboard(&client(&stub)?, &SIGNUP).await;
    Ok((stub, outcome))
}

/// The CRM backend times out once: the call is retry-safe (`request_id`), so the client
/// resends the same customer and onboarding succeeds.
async fn crm_hiccup() -> Result<(StubTransport, Result<Option<String>, Error>), Error> {
    let stub = StubTransport::new();
    stub.on::<Tag>(|_| Ok(tagged()))
        .on::<CreateCustomer>(|_| Err(api_error(15, "isp.top-remote-connection-timeout")))
        .on::<CreateCustomer>(|_| Ok(created("C-7")));
    let outcome = onboard(&client(&stub)?, &SIGNUP).await;
    Ok((stub, outcome))
}

/// TOP does not know the user: onboarding stops before the CRM.
async fn unknown_user() -> Result<(StubTransport, Result<Option<String>, Error>), Error> {
    let stub = StubTransport::new();
    stub.on::<Tag>(|_| Err(api_error(15, "isv.user-not-exist")));
    let outcome = onboard(&client(&stub)?, &SIGNUP).await;
    Ok((stub, outcome))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    for (name, (stub, outcome)) in [
        ("happy path", happy_path().await?),
        ("CRM hiccup", crm_hiccup().await?),
        ("unknown user", unknown_user().await?),
    ] {
        println!("{name}: onboard returned {outcome:?}");
        println!(
            "  tag calls {}, CRM calls {}",
            stub.call_count::<Tag>(),
            stub.call_count::<CreateCustomer>()
        );
        for request in stub.calls::<CreateCustomer>() {
            let customer = request.param_customer_create_open_req;
            // `Mobile` prints masked.
            let mobile = customer.mobile.map(|m| m.to_string()).unwrap_or_default();
            println!("  CRM request {}: mobile {mobile}", customer.request_id);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[tokio::test]
    async fn onboarding_tags_then_creates_the_customer() {
        let (stub, outcome) = happy_path().await.unwrap();
        assert_eq!(outcome.unwrap().as_deref(), Some("C-signup-42"));
        assert_eq!(
            stub.calls::<Tag>(),
            [Tag::new()
                .biz_code("SPRING")
                .alipay_user_id("2088000000000001")]
        );
        let customer = &stub.calls::<CreateCustomer>()[0].param_customer_create_open_req;
        assert_eq!(
            (
                customer.outer_id.expose(),
                customer.mobile.as_ref().map(|m| m.expose())
            ),
            ("13411111111", Some("13411111111"))
        );
        assert_eq!(customer.customer_type, CustomerType::Member);
    }

    #[tokio::test]
    async fn a_crm_timeout_is_resent_with_the_same_customer() {
        let (stub, outcome) = crm_hiccup().await.unwrap();
        assert_eq!(outcome.unwrap().as_deref(), Some("C-7"));
        let sent = stub.calls::<CreateCustomer>();
        assert_eq!(sent.len(), 2);
        assert_eq!(sent[0], sent[1], "same customer, same request_id");
        assert_eq!(stub.call_count::<Tag>(), 1);
    }

    #[tokio::test]
    async fn an_unknown_user_is_not_sent_to_the_crm() {
        let (stub, outcome) = unknown_user().await.unwrap();
        let error = outcome.unwrap_err();
        assert_eq!(
            error.api_error().and_then(|e| e.sub_code.as_deref()),
            Some("isv.user-not-exist")
        );
        assert_eq!(stub.call_count::<CreateCustomer>(), 0);
    }
}
