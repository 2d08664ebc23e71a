//! `alibaba.alsc.crm.customer.get`, an API imported from the vendor's description and
//! generated (no hand-written SDK code): through the SDK against the sandbox over real HTTP,
//! in every response format, it reads the customer that customer.create made and
//! customer.update changed; an unknown customer is a typed business failure; a call that names
//! no customer is refused before anything is sent.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use taobao_top::alsc_crm::{
    AlibabaAlscCrmCustomerCreateRequest, AlibabaAlscCrmCustomerGetRequest,
    AlibabaAlscCrmCustomerGetResponse, AlibabaAlscCrmCustomerUpdateRequest, CustomerCreateOpenReq,
    CustomerIdQueryOpenReq, CustomerType, CustomerUpdateOpenReq, GetCustomer,
};
use taobao_top::core::{Error, Format, RetryConfig, SignMethod, TopClient};
use top_sandbox::{DEMO_APP_KEY, DEMO_APP_SECRET, Sandbox, SandboxHandle};

fn client(sandbox: &SandboxHandle, format: Format) -> TopClient {
    TopClient::builder()
        .app_key(DEMO_APP_KEY)
        .app_secret(DEMO_APP_SECRET)
        .endpoint(sandbox.url().as_str())
        .format(format)
        .sign_method(SignMethod::HmacSha256)
        .retry(RetryConfig::disabled())
        .build()
        .unwrap()
}

#[tokio::test]
async fn reads_what_create_made_and_update_changed() {
    let sandbox = Sandbox::builder().start().await.unwrap();
    let json = client(&sandbox, Format::Json);
    let created = json
        .execute(&AlibabaAlscCrmCustomerCreateRequest::new(
            CustomerCreateOpenReq::new("get-1", "mobile", "13411112222", "2", CustomerType::Member)
                .mobile("13411112222")
                .name("王小二")
                .tag_id_list(["爱吃辣"]),
        ))
        .await
        .unwrap();
    let id = created.customer_id().unwrap().to_owned();
    json.execute(&AlibabaAlscCrmCustomerUpdateRequest::new(
        CustomerUpdateOpenReq::new(id.clone()).email("wang@example.com"),
    ))
    .await
    .unwrap();

    for format in [Format::Json, Format::JsonEnveloped, Format::Xml] {
        let by_id = GetCustomer::new(CustomerIdQueryOpenReq::new().customer_id(id.clone()));
        let answer: AlibabaAlscCrmCustomerGetResponse =
            client(&sandbox, format).execute(&by_id).await.unwrap();
        let result = answer.result.as_ref().unwrap();
        assert_eq!(result.biz_success, Some(true), "{format}");
        let profile = result
            .result
            .as_ref()
            .and_then(|r| r.customer_open_info.as_ref())
            .unwrap();
        assert_eq!(
            profile.customer_id.as_deref(),
            Some(id.as_str()),
            "{format}"
        );
        assert_eq!(profile.name.as_deref(), Some("王小二"), "{format}");
        assert_eq!(profile.customer_type, Some(1), "{format}");
        assert_eq!(
            profile.email.as_deref(),
            Some("wang@example.com"),
            "{format}: the update shows"
        );
        assert_eq!(
            profile.tags.as_deref(),
            Some(&["爱吃辣".to_owned()][..]),
            "{format}"
        );
        assert_eq!(
            profile.mobile.as_ref().map(|m| m.expose()),
            Some("13411112222")
        );
        let debug = format!("{answer:?}");
        assert!(!debug.contains("13411112222"), "masked in Debug: {debug}");
    }

    // Found by the mobile number too.
    let by_mobile =
        AlibabaAlscCrmCustomerGetRequest::new(CustomerIdQueryOpenReq::new().mobile("13411112222"));
    let answer = json.execute(&by_mobile).await.unwrap();
    let found = answer
        .result
        .and_then(|r| r.result)
        .and_then(|r| r.customer_open_info)
        .and_then(|p| p.customer_id);
    assert_eq!(found.as_deref(), Some(id.as_str()));

    // An unknown customer: a business failure with the typed answer reachable.
    let unknown =
        GetCustomer::new(CustomerIdQueryOpenReq::new().customer_id("20190000000000009999"));
    match json.execute(&unknown).await {
        Err(Error::Business(failure)) => {
            assert_eq!(failure.code.as_deref(), Some("CUSTOMER_NOT_FOUND"));
            assert!(
                failure
                    .message
                    .as_deref()
                    .unwrap()
                    .contains("20190000000000009999")
            );
        }
        other => panic!("{other:?}"),
    }

    // No way to find a customer: refused by the description's rule, nothing sent.
    let calls_before = sandbox
        .state()
        .await
        .calls_to("alibaba.alsc.crm.customer.get");
    match json
        .execute(&GetCustomer::new(
            CustomerIdQueryOpenReq::new().options(["CARD"]),
        ))
        .await
    {
        Err(Error::Validation(v)) => {
            assert!(v.field.contains("customer_id"), "{v}");
            assert!(v.rule.contains("at least one of"), "{v}");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        sandbox
            .state()
            .await
            .calls_to("alibaba.alsc.crm.customer.get"),
        calls_before
    );
    sandbox.shutdown().await;
}
