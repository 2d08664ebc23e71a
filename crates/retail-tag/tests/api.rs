//! `taobao.retail.user.tag.mobile.add` over HTTP (wiremock) and over `MockTransport`: the
//! vendor's samples decode into the typed response, the exact form goes out, invalid requests
//! send nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use retail_tag::{RetailUserTagMobileAddRequest, RetailUserTagMobileAddResponse};
use serde_json::json;
use top_core::testing::{
    Fixtures, client_for, parse_form, received_business_params, received_request, vector_client,
};
use top_core::{
    Error, Format, HttpResponse, MockTransport, SignMethod, TopRequest, TransportError,
    TransportErrorKind,
};
use wiremock::MockServer;

const METHOD: &str = "taobao.retail.user.tag.mobile.add";

const FIXTURES: Fixtures = Fixtures::of(env!("CARGO_MANIFEST_DIR"));

/// The vendor page's example, with real-shaped values.
fn doc_request() -> RetailUserTagMobileAddRequest {
    RetailUserTagMobileAddRequest::new()
        .biz_code("TEST_BIZ")
        .isv_user_id("u123")
        .open_id("oid-9")
        .alipay_user_id("2088000000000001")
        .ext_param("{}")
}

fn expected_form() -> BTreeMap<String, String> {
    [
        ("alipay_user_id", "2088000000000001"),
        ("biz_code", "TEST_BIZ"),
        ("ext_param", "{}"),
        ("isv_user_id", "u123"),
        ("open_id", "oid-9"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

/// The seed page's response sample, typed (response types are `#[non_exhaustive]`: built
/// from their JSON, as the client reads them).
fn seed_sample(request_id: Option<&str>) -> RetailUserTagMobileAddResponse {
    serde_json::from_value(json!({
        "error_infos": [{
            "outer_error_code": "SERVICE_ERROR:NOT_FIND_TAOBAO_ACCOUNT:NOT_FIND_TAOBAO_ACCOUNT",
            "error_message": "未查询到淘宝账号:_*****_*****",
            "error_code": "isp.system-service-error::NOT_FIND_TAOBAO_ACCOUNT:NOT_FIND_TAOBAO_ACCOUNT",
            "sub_error_code": "NOT_FIND_TAOBAO_ACCOUNT",
        }],
        "module": {"tag_success": true, "social_nick": "t*********3", "use_type": "tbId"},
        "result": true,
        "request_id": request_id,
    }))
    .unwrap()
}

#[tokio::test]
async fn seed_sample_as_simplified_json() {
    let (server, outcome) = FIXTURES
        .call("seed_sample_simplified.json", Format::Json, &doc_request())
        .await;
    let answer = outcome.unwrap();
    assert_eq!(answer, seed_sample(Some("16mt1yxrlg0ih")));
    let infos = answer.error_infos.as_deref().unwrap_or_default();
    assert_eq!(
        infos[0].sub_error_code.as_deref(),
        Some("NOT_FIND_TAOBAO_ACCOUNT")
    );
    assert_eq!(
        received_business_params(&server, METHOD, Format::Json).await,
        expected_form()
    );
}

#[tokio::test]
async fn seed_sample_as_enveloped_json_with_list_wrappers() {
    let (server, outcome) = FIXTURES
        .call(
            "seed_sample_enveloped.json",
            Format::JsonEnveloped,
            &doc_request(),
        )
        .await;
    let answer = outcome.unwrap();
    assert_eq!(answer, seed_sample(Some("16mt1yxrlg0ih")));
    assert_eq!(
        received_business_params(&server, METHOD, Format::JsonEnveloped).await,
        expected_form()
    );
}

#[tokio::test]
async fn seed_sample_as_xml() {
    let (server, outcome) = FIXTURES
        .call("seed_sample.xml", Format::Xml, &doc_request())
        .await;
    let answer = outcome.unwrap();
    assert_eq!(answer, seed_sample(None));
    assert_eq!(
        received_business_params(&server, METHOD, Format::Xml).await,
        expected_form()
    );
}

#[tokio::test]
async fn success_by_alipay_id_only_sends_only_that() {
    let request = RetailUserTagMobileAddRequest::new().alipay_user_id("2088000000000001");
    let (server, outcome) = FIXTURES.call("success.json", Format::Json, &request).await;
    let answer = outcome.unwrap();
    assert_eq!(
        answer,
        serde_json::from_value(json!({
            "module": {"tag_success": true, "social_nick": "a*********9", "use_type": "alipayId"},
            "result": true,
            "request_id": "3x9k2m7q1z5w",
        }))
        .unwrap()
    );
    assert!(answer.error_infos.is_none());
    let form = received_business_params(&server, METHOD, Format::Json).await;
    assert_eq!(
        form.into_iter().collect::<Vec<_>>(),
        [("alipay_user_id".to_owned(), "2088000000000001".to_owned())]
    );
}

#[tokio::test]
async fn error_response_json_and_xml() {
    for (server, _) in FIXTURES.assert_error_response_samples(&doc_request()).await {
        // isv.* is never retried.
        received_request(&server).await;
    }
}

#[tokio::test]
async fn business_failure_json_and_xml() {
    for (name, format) in [
        ("business_failure.json", Format::Json),
        ("business_failure.xml", Format::Xml),
    ] {
        let (server, outcome) = FIXTURES.call(name, format, &doc_request()).await;
        let err = outcome.unwrap_err();
        let Error::Business(failure) = &err else {
            panic!("{name}: {err:?}")
        };
        // sub_error_code is empty, so the code is error_code.
        assert_eq!(failure.code.as_deref(), Some("isv.invalid-parameter:"));
        assert_eq!(
            failure.message.as_deref(),
            Some("输入参数错误:aliPayUserId")
        );
        assert_eq!(failure.request_id.as_deref(), Some("5kq8w2e7r1t0"));
        assert!(!failure.retryable);
        let response = failure
            .response::<RetailUserTagMobileAddResponse>()
            .expect("typed response");
        assert_eq!(response.result, Some(false));
        assert_eq!(
            response.module.as_ref().and_then(|m| m.tag_success),
            Some(false)
        );
        assert_eq!(err.request_id(), Some("5kq8w2e7r1t0"));
        assert_eq!(server.received_requests().await.unwrap().len(), 1);
    }
}

type Mutation = Box<dyn Fn(RetailUserTagMobileAddRequest) -> RetailUserTagMobileAddRequest>;

/// Every rule of `validate()`: one mutation of a valid request per row, and the field the
/// error names. Nothing reaches the gateway.
#[tokio::test]
async fn every_validation_rule_names_its_field_and_sends_nothing() {
    let long = || "x".repeat(129);
    let rows: Vec<(&str, Mutation)> = vec![
        (
            "isv_user_id|open_id|alipay_user_id",
            Box::new(|_| RetailUserTagMobileAddRequest::new().biz_code("TEST_BIZ")),
        ),
        (
            "isv_user_id|open_id|alipay_user_id",
            Box::new(|r| r.isv_user_id(" ").open_id("").alipay_user_id("\t")),
        ),
        ("biz_code", Box::new(move |r| r.biz_code(long()))),
        ("isv_user_id", Box::new(move |r| r.isv_user_id(long()))),
        ("open_id", Box::new(move |r| r.open_id(long()))),
        (
            "alipay_user_id",
            Box::new(move |r| r.alipay_user_id(long())),
        ),
        (
            "ext_param",
            Box::new(|r| r.ext_param(format!("\"{}\"", "x".repeat(4095)))),
        ),
        ("ext_param", Box::new(|r| r.ext_param("{not json"))),
        ("ext_param", Box::new(|r| r.ext_param("{} trailing"))),
    ];
    let server = MockServer::start().await;
    let client = client_for(&server, Format::Json);
    assert!(doc_request().validate().is_ok());
    for (i, (field, mutate)) in rows.iter().enumerate() {
        let request = mutate(doc_request());
        match client.execute(&request).await {
            Err(Error::Validation(v)) => {
                assert_eq!(v.field, *field, "row {i}: {v}");
                assert!(!v.rule.is_empty());
            }
            other => panic!("row {i}: expected a validation error, got {other:?}"),
        }
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[test]
fn any_single_identifier_is_enough() {
    for request in [
        RetailUserTagMobileAddRequest::new().isv_user_id("u123"),
        RetailUserTagMobileAddRequest::new().open_id("oid-9"),
        RetailUserTagMobileAddRequest::new().alipay_user_id("2088000000000001"),
    ] {
        assert!(request.validate().is_ok(), "{request:?}");
    }
    assert!(!RetailUserTagMobileAddRequest::new().retry_safe());
}

/// The request of the shared signing vectors, sent through the client with a fixed clock,
/// carries exactly the vectors' signatures.
#[tokio::test]
async fn doc_request_reproduces_the_signing_vectors() {
    for (sign_method, expected) in [
        (SignMethod::Md5, "7A0FFA83027F3C07FDC24FB24931D12F"),
        (SignMethod::Hmac, "76CC4E95837692BE15D5CEC800E7DA55"),
        (
            SignMethod::HmacSha256,
            "38FC6200CE6AF457F4F5B4BD1C0E9C98C5D54BB83C75EE272D5E27269BCC0D94",
        ),
    ] {
        let mut mock = MockTransport::new();
        mock.expect_send().times(1).returning(move |req| {
            let form = parse_form(&req.body);
            assert_eq!(form.get("sign").map(String::as_str), Some(expected));
            assert_eq!(
                form.get("timestamp").map(String::as_str),
                Some("2024-01-01 12:00:00")
            );
            Ok(HttpResponse::new(
                200,
                FIXTURES.read("seed_sample_enveloped.json"),
            ))
        });
        let answer = vector_client(mock, sign_method)
            .execute(&doc_request())
            .await
            .unwrap();
        assert_eq!(answer.result, Some(true));
    }
}

/// Tagging is not retry-safe: a timeout or a transient `isp.*` error is not resent, a
/// connection that never opened is.
#[tokio::test]
async fn only_unsent_attempts_are_retried() {
    let mut mock = MockTransport::new();
    mock.expect_send()
        .times(1)
        .returning(|_| Err(TransportError::from_kind(TransportErrorKind::Timeout)));
    let err = vector_client(mock, SignMethod::HmacSha256)
        .execute(&doc_request())
        .await
        .unwrap_err();
    assert!(err.outcome_unknown(), "{err:?}");

    let mut mock = MockTransport::new();
    mock.expect_send().times(1).returning(|_| {
        Ok(HttpResponse::new(
            200,
            r#"{"error_response":{"code":15,"msg":"Remote service error","sub_code":"isp.top-remote-connection-timeout"}}"#,
        ))
    });
    let err = vector_client(mock, SignMethod::HmacSha256)
        .execute(&doc_request())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Api(ref e) if e.code == 15), "{err:?}");

    let mut mock = MockTransport::new();
    let calls = AtomicUsize::new(0);
    mock.expect_send().times(2).returning(move |_| {
        if calls.fetch_add(1, Ordering::SeqCst) == 0 {
            Err(TransportError::from_kind(TransportErrorKind::Connect))
        } else {
            Ok(HttpResponse::new(200, FIXTURES.read("success.json")))
        }
    });
    let answer = vector_client(mock, SignMethod::HmacSha256)
        .execute(&doc_request())
        .await
        .unwrap();
    assert_eq!(answer.request_id.as_deref(), Some("3x9k2m7q1z5w"));
}
