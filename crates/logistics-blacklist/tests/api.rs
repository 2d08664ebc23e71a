//! `taobao.logistics.express.user.blacklist.tms.sync` over HTTP (wiremock) and over
//! `MockTransport`: the vendor's samples decode into the typed response, the exact form goes
//! out, invalid batches send nothing, `is_retry=true` is resent with the same `request_id`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use logistics_blacklist::{
    Blacklist, BlacklistReason, LogisticsExpressUserBlacklistTmsSyncRequest,
    LogisticsExpressUserBlacklistTmsSyncResponse, OperateType, UserBlacklistRequest,
};
use serde_json::{Value, json};
use top_core::testing::{
    Fixtures, business_params, client_for, object_param, parse_form, received_business_params,
    received_request, vector_client,
};
use top_core::{
    Error, Format, HttpResponse, MockTransport, SignMethod, TopRequest, TransportError,
    TransportErrorKind,
};
use wiremock::MockServer;

/// The description's most entries per call (`max_items` of `user_blacklist_request.blacklist`).
const MAX_ENTRIES: usize = 1000;

const METHOD: &str = "taobao.logistics.express.user.blacklist.tms.sync";

const FIXTURES: Fixtures = Fixtures::of(env!("CARGO_MANIFEST_DIR"));

/// The vendor page's example (plus a second entry, as in the shared signing vectors).
fn doc_request() -> LogisticsExpressUserBlacklistTmsSyncRequest {
    LogisticsExpressUserBlacklistTmsSyncRequest::new(UserBlacklistRequest::new(
        "1656674541001".to_owned(),
        1_656_674_541_001,
        "10000000001".to_owned(),
        OperateType::AddOrUpdate,
        vec![
            Blacklist::new("13111111111").reason([
                BlacklistReason::MaliciousOrder,
                BlacklistReason::MaliciousComplaint,
            ]),
            Blacklist::new("13122222222"),
        ],
    ))
}

fn expected_object() -> Value {
    json!({
        "request_id": "1656674541001",
        "request_time": 1_656_674_541_001_i64,
        "supplier_id": "10000000001",
        "service_type": "1",
        "ability_type": "1",
        "blacklist": [
            {"mobile": "13111111111", "reason": "1,2"},
            {"mobile": "13122222222"}
        ],
        "operate_type": 1
    })
}

/// The one request the gateway received must carry exactly the doc batch.
async fn assert_sent_doc_batch(server: &MockServer, format: Format) {
    let form = received_business_params(server, METHOD, format).await;
    assert_eq!(
        form.keys().collect::<Vec<_>>(),
        ["user_blacklist_request"],
        "one business parameter"
    );
    assert_eq!(
        object_param(&form, "user_blacklist_request"),
        expected_object()
    );
}

/// Response types are `#[non_exhaustive]`: built from their JSON, as the client reads them.
fn seed_sample(request_id: Option<&str>) -> LogisticsExpressUserBlacklistTmsSyncResponse {
    serde_json::from_value(serde_json::json!({
        "user_blacklist_response": {
            "success": true,
            "code": "200",
            "message": "SUCCESS",
            "is_retry": false,
        },
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
    assert_eq!(answer, seed_sample(Some("z28s1nbcl4vl")));
    assert_sent_doc_batch(&server, Format::Json).await;
}

#[tokio::test]
async fn seed_sample_as_enveloped_json() {
    let (server, outcome) = FIXTURES
        .call(
            "seed_sample_enveloped.json",
            Format::JsonEnveloped,
            &doc_request(),
        )
        .await;
    let answer = outcome.unwrap();
    assert_eq!(answer, seed_sample(Some("z28s1nbcl4vl")));
    assert_sent_doc_batch(&server, Format::JsonEnveloped).await;
}

#[tokio::test]
async fn seed_sample_as_xml() {
    let (server, outcome) = FIXTURES
        .call("seed_sample.xml", Format::Xml, &doc_request())
        .await;
    let answer = outcome.unwrap();
    assert_eq!(answer, seed_sample(None));
    assert_sent_doc_batch(&server, Format::Xml).await;
}

#[tokio::test]
async fn delete_sends_operate_type_2_on_the_batch() {
    let request = LogisticsExpressUserBlacklistTmsSyncRequest::new(UserBlacklistRequest::new(
        "del-1".to_owned(),
        1_704_081_600_000,
        "10000000001".to_owned(),
        OperateType::Delete,
        vec![Blacklist::new("13111111111")],
    ));
    let (server, outcome) = FIXTURES
        .call("seed_sample_simplified.json", Format::Json, &request)
        .await;
    outcome.unwrap();
    let received = server.received_requests().await.unwrap();
    let form = business_params(&received[0], METHOD, Format::Json);
    assert_eq!(
        object_param(&form, "user_blacklist_request"),
        json!({"request_id":"del-1","request_time":1_704_081_600_000_i64,"supplier_id":"10000000001",
            "service_type":"1","ability_type":"1","blacklist":[{"mobile":"13111111111"}],"operate_type":2})
    );
}

#[tokio::test]
async fn error_response_json_and_xml() {
    for (server, _) in FIXTURES.assert_error_response_samples(&doc_request()).await {
        // isv.* is never retried, even for a retry-safe request.
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
        assert_eq!(failure.code.as_deref(), Some("400"));
        assert_eq!(failure.message.as_deref(), Some("供应商不存在"));
        assert_eq!(failure.request_id.as_deref(), Some("u7i8o9p0a1s2"));
        assert!(!failure.retryable);
        assert!(!err.is_retryable());
        let response = failure
            .response::<LogisticsExpressUserBlacklistTmsSyncResponse>()
            .expect("typed response");
        assert_eq!(
            response.user_blacklist_response.as_ref().unwrap().success,
            Some(false)
        );
        assert_eq!(
            server.received_requests().await.unwrap().len(),
            1,
            "is_retry=false: not resent"
        );
    }
}

/// `is_retry=true` on a retry-safe request: resent up to the attempt limit, each time with
/// the same batch (same `request_id`) and a fresh signature.
#[tokio::test]
async fn is_retry_true_is_resent_with_the_same_request_id() {
    let (server, outcome) = FIXTURES
        .call(
            "business_failure_retryable.json",
            Format::Json,
            &doc_request(),
        )
        .await;
    let err = outcome.unwrap_err();
    let Error::Business(failure) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(
        (failure.code.as_deref(), failure.message.as_deref()),
        (Some("500"), Some("SYSTEM_BUSY"))
    );
    assert!(failure.retryable && err.is_retryable());
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 3, "max_attempts");
    for request in &received {
        let form = business_params(request, METHOD, Format::Json);
        assert_eq!(
            object_param(&form, "user_blacklist_request"),
            expected_object()
        );
    }
}

type Mutation = Box<dyn Fn(&mut UserBlacklistRequest)>;

fn mobiles(n: usize) -> Vec<Blacklist> {
    (0..n)
        .map(|i| Blacklist::new(format!("130{i:08}")))
        .collect()
}

/// Every rule of `validate()`: one mutation of a valid batch per row, and the field the
/// error names. Nothing reaches the gateway.
#[tokio::test]
async fn every_validation_rule_names_its_field_and_sends_nothing() {
    let rows: Vec<(&str, Mutation)> = vec![
        (
            "user_blacklist_request.request_id",
            Box::new(|b| b.request_id = " ".into()),
        ),
        (
            "user_blacklist_request.request_id",
            Box::new(|b| b.request_id = "9".repeat(65)),
        ),
        (
            "user_blacklist_request.request_time",
            Box::new(|b| b.request_time = 0),
        ),
        (
            "user_blacklist_request.request_time",
            Box::new(|b| b.request_time = -1_656_674_541_001),
        ),
        (
            "user_blacklist_request.supplier_id",
            Box::new(|b| b.supplier_id = String::new()),
        ),
        (
            "user_blacklist_request.supplier_id",
            Box::new(|b| b.supplier_id = "1".repeat(65)),
        ),
        (
            "user_blacklist_request.blacklist",
            Box::new(|b| b.blacklist.clear()),
        ),
        (
            "user_blacklist_request.blacklist",
            Box::new(|b| b.blacklist = mobiles(MAX_ENTRIES + 1)),
        ),
        (
            "user_blacklist_request.blacklist[1].mobile",
            Box::new(|b| b.blacklist[1].mobile = "139xxxx4567".into()),
        ),
        (
            "user_blacklist_request.blacklist[0].mobile",
            Box::new(|b| b.blacklist[0].mobile = "12111111111".into()),
        ),
        (
            "user_blacklist_request.blacklist[2].mobile",
            Box::new(|b| b.blacklist.push(Blacklist::new("13111111111"))),
        ),
        (
            "user_blacklist_request.blacklist[0].reason",
            Box::new(|b| {
                b.blacklist[0].reason = Some(vec![BlacklistReason::Other, BlacklistReason::Other])
            }),
        ),
    ];
    let server = MockServer::start().await;
    let client = client_for(&server, Format::Json);
    assert!(doc_request().validate().is_ok());
    for (i, (field, mutate)) in rows.iter().enumerate() {
        let mut request = doc_request();
        mutate(&mut request.user_blacklist_request);
        match client.execute(&request).await {
            Err(Error::Validation(v)) => {
                assert_eq!(v.field, *field, "row {i}: {v}");
                assert!(!v.rule.contains("1311111111"), "row {i}: {v}");
            }
            other => panic!("row {i}: expected a validation error, got {other:?}"),
        }
    }
    assert!(server.received_requests().await.unwrap().is_empty());

    let mut full = doc_request();
    full.user_blacklist_request.blacklist = mobiles(MAX_ENTRIES);
    assert!(full.validate().is_ok(), "exactly the limit is fine");
}

#[test]
fn debug_never_shows_a_full_mobile() {
    let request = doc_request();
    let text = format!("{request:?} {:#?}", request.user_blacklist_request);
    for mobile in ["13111111111", "13122222222"] {
        assert!(!text.contains(mobile), "{text}");
    }
    assert!(text.contains("131****1111"), "{text}");
    assert!(request.retry_safe());
}

/// The batch of the shared signing vectors goes out byte for byte as the official Java SDK
/// writes it, with the vectors' signatures.
#[tokio::test]
async fn doc_request_reproduces_the_signing_vectors() {
    for (sign_method, expected) in [
        (SignMethod::Hmac, "DABA5385632026F09ECE0310FB232FAE"),
        (
            SignMethod::HmacSha256,
            "4649CCDD99FA80DCCBF5EE6C6C8FC9A40DA8CCE7ECE871B1186C93BEF48775B7",
        ),
    ] {
        let mut mock = MockTransport::new();
        mock.expect_send().times(1).returning(move |req| {
            let form = parse_form(&req.body);
            assert_eq!(
                form["user_blacklist_request"],
                r#"{"ability_type":"1","blacklist":[{"mobile":"13111111111","reason":"1,2"},{"mobile":"13122222222"}],"operate_type":1,"request_id":"1656674541001","request_time":1656674541001,"service_type":"1","supplier_id":"10000000001"}"#
            );
            assert_eq!(form.get("sign").map(String::as_str), Some(expected));
            Ok(HttpResponse::new(200, FIXTURES.read("seed_sample_enveloped.json")))
        });
        let answer = vector_client(mock, sign_method)
            .execute(&doc_request())
            .await
            .unwrap();
        assert_eq!(answer, seed_sample(Some("z28s1nbcl4vl")));
    }
}

/// Retry-safe: a timeout is resent (same batch) and the second answer wins.
#[tokio::test]
async fn a_timeout_is_resent() {
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = calls.clone();
    let mut mock = MockTransport::new();
    mock.expect_send().times(2).returning(move |_| {
        if seen.fetch_add(1, Ordering::SeqCst) == 0 {
            Err(TransportError::from_kind(TransportErrorKind::Timeout))
        } else {
            Ok(HttpResponse::new(
                200,
                FIXTURES.read("seed_sample_simplified.json"),
            ))
        }
    });
    let answer = vector_client(mock, SignMethod::HmacSha256)
        .execute(&doc_request())
        .await
        .unwrap();
    assert_eq!(answer.request_id.as_deref(), Some("z28s1nbcl4vl"));
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

/// `is_retry=true` then success: the caller sees the success.
#[tokio::test]
async fn is_retry_then_success() {
    let calls = AtomicUsize::new(0);
    let mut mock = MockTransport::new();
    mock.expect_send().times(2).returning(move |_| {
        let body = if calls.fetch_add(1, Ordering::SeqCst) == 0 {
            FIXTURES.read("business_failure_retryable.json")
        } else {
            FIXTURES.read("seed_sample_simplified.json")
        };
        Ok(HttpResponse::new(200, body))
    });
    let answer = vector_client(mock, SignMethod::HmacSha256)
        .execute(&doc_request())
        .await
        .unwrap();
    assert_eq!(answer.user_blacklist_response.unwrap().success, Some(true));
}
