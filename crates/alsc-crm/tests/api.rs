//! `alibaba.alsc.crm.customer.create` over HTTP (wiremock) and over `MockTransport`: the
//! vendor's samples decode into the typed response, the exact form goes out (21 members,
//! `customer_type` 0 kept, GMT+8 birthday, gender as a string), invalid customers send
//! nothing, transient failures are resent with the same `request_id`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::{AtomicUsize, Ordering};

use alsc_crm::{
    AlibabaAlscCrmCustomerCreateRequest, AlibabaAlscCrmCustomerCreateResponse,
    CustomerCreateOpenReq, CustomerType, Gender,
};
use serde_json::{Value, json};
use top_core::chrono::{NaiveDate, TimeDelta, Utc};
use top_core::testing::{
    Fixtures, business_params, client_builder, client_for, object_param, parse_form,
    received_request,
};
use top_core::{
    Error, Format, HttpResponse, MockTransport, TopClient, TopRequest, TransportError,
    TransportErrorKind,
};
use wiremock::MockServer;

const METHOD: &str = "alibaba.alsc.crm.customer.create";
const P: &str = "param_customer_create_open_req";

const FIXTURES: Fixtures = Fixtures::of(env!("CARGO_MANIFEST_DIR"));

/// The vendor page's Java example, all 21 members (`channel` is its "2 表示pos": `2`).
fn doc_request() -> AlibabaAlscCrmCustomerCreateRequest {
    AlibabaAlscCrmCustomerCreateRequest::new(
        CustomerCreateOpenReq::new(
            "234334534543234234",
            "mobile",
            "13411111111",
            "2",
            CustomerType::Member,
        )
        .address("浙江省杭州市")
        .birthday_date(NaiveDate::from_ymd_opt(2010, 1, 1).unwrap())
        .brand_id("201903898665")
        .email("xxx@gmail.com")
        .gender(Gender::Male)
        .invoice("口碑(杭州)电子商务有限公司")
        .level_id("1")
        .mobile("13411111111")
        .name("王小二")
        .operator_id("2019865534")
        .phone("0571-87658765")
        .remark("老板的朋友")
        .shop_id("2019093647836487563")
        .tag_id_list(["爱吃辣"])
        .out_brand_id("123")
        .out_shop_id("132"),
    )
}

fn expected_object() -> Value {
    json!({
        "address": "浙江省杭州市",
        "birthday": "2010-01-01 00:00:00",
        "brand_id": "201903898665",
        "channel": "2",
        "customer_type": 1,
        "email": "xxx@gmail.com",
        "gender": "1",
        "invoice": "口碑(杭州)电子商务有限公司",
        "level_id": "1",
        "mobile": "13411111111",
        "name": "王小二",
        "operator_id": "2019865534",
        "outer_id": "13411111111",
        "outer_type": "mobile",
        "phone": "0571-87658765",
        "remark": "老板的朋友",
        "request_id": "234334534543234234",
        "shop_id": "2019093647836487563",
        "tag_id_list": ["爱吃辣"],
        "out_brand_id": "123",
        "out_shop_id": "132"
    })
}

/// Checks the URL and the system parameters of one received request and returns the
/// object parameter, parsed.
fn sent_object(request: &wiremock::Request, format: Format) -> Value {
    let form = business_params(request, METHOD, format);
    assert_eq!(
        form.keys().collect::<Vec<_>>(),
        [P],
        "one business parameter"
    );
    object_param(&form, P)
}

async fn assert_sent_doc_request(server: &MockServer, format: Format) {
    let object = sent_object(&received_request(server).await, format);
    assert_eq!(object.as_object().unwrap().len(), 21, "all 21 members");
    assert_eq!(object, expected_object());
}

/// Response types are `#[non_exhaustive]`: built from their JSON, as the client reads them.
fn seed_sample(request_id: Option<&str>) -> AlibabaAlscCrmCustomerCreateResponse {
    serde_json::from_value(json!({
        "result": {
            "result": "20193846534522344567",
            "result_code": "0",
            "result_desc": "处理成功",
            "result_view": "处理成功",
            "biz_success": true,
        },
        "request_id": request_id,
    }))
    .unwrap()
}

#[tokio::test]
async fn seed_sample_in_every_format() {
    for (name, format, request_id) in [
        (
            "seed_sample_simplified.json",
            Format::Json,
            Some("yb3mvd2k8h4n"),
        ),
        (
            "seed_sample_enveloped.json",
            Format::JsonEnveloped,
            Some("yb3mvd2k8h4n"),
        ),
        ("seed_sample.xml", Format::Xml, None),
    ] {
        let (server, outcome) = FIXTURES.call(name, format, &doc_request()).await;
        let answer = outcome.unwrap();
        assert_eq!(answer, seed_sample(request_id), "{name}");
        assert_eq!(answer.customer_id(), Some("20193846534522344567"));
        assert_sent_doc_request(&server, format).await;
    }
}

/// Only the required members, `customer_type` 0: zero is sent, nothing else is.
#[tokio::test]
async fn minimal_customer_keeps_customer_type_zero() {
    let request = AlibabaAlscCrmCustomerCreateRequest::new(CustomerCreateOpenReq::new(
        "req-0001",
        "card",
        "C-0001",
        "2",
        CustomerType::Customer,
    ));
    let (server, outcome) = FIXTURES
        .call("seed_sample_simplified.json", Format::Json, &request)
        .await;
    outcome.unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(
        sent_object(&received[0], Format::Json),
        json!({"request_id":"req-0001","outer_type":"card","outer_id":"C-0001","channel":"2","customer_type":0})
    );
}

#[tokio::test]
async fn error_response_json_and_xml() {
    for (server, format) in FIXTURES.assert_error_response_samples(&doc_request()).await {
        // isv.* is never retried, even for a retry-safe request.
        assert_sent_doc_request(&server, format).await;
    }
}

#[tokio::test]
async fn business_failure_json_and_xml() {
    for (name, format, message) in [
        ("business_failure.json", Format::Json, "顾客已存在"),
        // result_desc is empty there: the message falls back to result_view.
        ("business_failure.xml", Format::Xml, "该手机号已是顾客"),
    ] {
        let (server, outcome) = FIXTURES.call(name, format, &doc_request()).await;
        let err = outcome.unwrap_err();
        let Error::Business(failure) = &err else {
            panic!("{name}: {err:?}")
        };
        assert_eq!(failure.code.as_deref(), Some("CUSTOMER_EXIST"), "{name}");
        assert_eq!(failure.message.as_deref(), Some(message), "{name}");
        assert_eq!(failure.request_id.as_deref(), Some("h5g6f7d8s9a0"));
        assert!(!failure.retryable);
        let response = failure
            .response::<AlibabaAlscCrmCustomerCreateResponse>()
            .expect("typed response");
        assert_eq!(response.result.as_ref().unwrap().biz_success, Some(false));
        assert!(response.customer_id().is_none());
        assert_sent_doc_request(&server, format).await;
    }
}

type Mutation = Box<dyn Fn(CustomerCreateOpenReq) -> CustomerCreateOpenReq>;

fn set(f: impl Fn(&mut CustomerCreateOpenReq) + 'static) -> Mutation {
    Box::new(move |mut r| {
        f(&mut r);
        r
    })
}

/// Every rule of `validate()`: one mutation of a valid customer per row, and the field the
/// error names. Nothing reaches the gateway.
#[tokio::test]
async fn every_validation_rule_names_its_field_and_sends_nothing() {
    let rows: Vec<(&str, Mutation)> = vec![
        ("request_id", set(|r| r.request_id = " ".into())),
        ("request_id", set(|r| r.request_id = "9".repeat(65))),
        ("outer_type", set(|r| r.outer_type = String::new())),
        ("outer_type", set(|r| r.outer_type = "t".repeat(129))),
        ("outer_id", set(|r| r.outer_id = "\t".into())),
        (
            "outer_id",
            set(|r| {
                r.outer_type = "card".into();
                r.outer_id = "c".repeat(129).into();
            }),
        ),
        ("channel", set(|r| r.channel = "".into())),
        ("channel", set(|r| r.channel = "2".repeat(129))),
        ("outer_id", set(|r| r.outer_id = "0571-87658765".into())),
        (
            "outer_id",
            set(|r| {
                r.outer_type = "MOBILE".into();
                r.outer_id = "134111111".into();
            }),
        ),
        ("mobile", Box::new(|r| r.mobile("134xxxx1111"))),
        ("email", Box::new(|r| r.email("xxx.gmail.com"))),
        ("email", Box::new(|r| r.email("xxx@gmail"))),
        ("email", Box::new(|r| r.email("x x@gmail.com"))),
        ("email", Box::new(|r| r.email("@gmail.com"))),
        (
            "email",
            Box::new(|r| r.email(format!("{}@gmail.com", "x".repeat(120)))),
        ),
        (
            "birthday",
            Box::new(|r| r.birthday(Utc::now() + TimeDelta::days(2))),
        ),
        (
            "birthday",
            Box::new(|r| r.birthday_date(NaiveDate::from_ymd_opt(1899, 12, 31).unwrap())),
        ),
        ("name", Box::new(|r| r.name("名".repeat(65)))),
        ("address", Box::new(|r| r.address("址".repeat(257)))),
        ("invoice", Box::new(|r| r.invoice("票".repeat(257)))),
        ("remark", Box::new(|r| r.remark("注".repeat(513)))),
        ("phone", Box::new(|r| r.phone("0".repeat(33)))),
        ("brand_id", Box::new(|r| r.brand_id("1".repeat(129)))),
        ("level_id", Box::new(|r| r.level_id("1".repeat(129)))),
        ("operator_id", Box::new(|r| r.operator_id("1".repeat(129)))),
        ("shop_id", Box::new(|r| r.shop_id("1".repeat(129)))),
        (
            "out_brand_id",
            Box::new(|r| r.out_brand_id("1".repeat(129))),
        ),
        ("out_shop_id", Box::new(|r| r.out_shop_id("1".repeat(129)))),
        (
            "tag_id_list",
            Box::new(|r| r.tag_id_list((0..51).map(|i| format!("t{i}")))),
        ),
        (
            "tag_id_list[1]",
            Box::new(|r| r.tag_id_list(["爱吃辣", " "])),
        ),
        (
            "tag_id_list[0]",
            Box::new(|r| r.tag_id_list(["t".repeat(129)])),
        ),
    ];
    let server = MockServer::start().await;
    let client = client_for(&server, Format::Json);
    assert!(doc_request().validate().is_ok());
    for (i, (field, mutate)) in rows.iter().enumerate() {
        let request = AlibabaAlscCrmCustomerCreateRequest::new(mutate(
            doc_request().param_customer_create_open_req,
        ));
        let err = client.execute(&request).await.unwrap_err();
        match &err {
            Error::Validation(v) => assert_eq!(v.field, format!("{P}.{field}"), "row {i}: {v}"),
            other => panic!("row {i}: expected a validation error, got {other:?}"),
        }
        assert!(!err.to_string().contains("1341111"), "row {i}: {err}");
    }
    assert!(server.received_requests().await.unwrap().is_empty());

    // The limits themselves are accepted.
    let at_limits = doc_request()
        .param_customer_create_open_req
        .name("名".repeat(64))
        .tag_id_list((0..50).map(|i| format!("t{i}")));
    assert!(
        AlibabaAlscCrmCustomerCreateRequest::new(at_limits)
            .validate()
            .is_ok()
    );
}

#[test]
fn debug_never_shows_a_full_mobile() {
    let request = doc_request();
    let text = format!("{request:?} {request:#?}");
    assert!(!text.contains("13411111111"), "{text}");
    assert!(!text.contains("87658765"), "landline: {text}");
    assert!(text.contains("134****1111"), "{text}");
    assert!(request.retry_safe());
    // Serialization, i.e. the request sent, carries the real values.
    assert_eq!(
        serde_json::to_value(&request.param_customer_create_open_req).unwrap(),
        expected_object()
    );
}

/// The customer of the shared signing vector `alsc_customer_create_chinese_json_*`: same
/// object as the official Java SDK's (compared as JSON: the Java writer escapes `/` as `\/`).
#[tokio::test]
async fn vector_customer_matches_the_java_object() {
    let vector_object = json!({"address":"浙江省杭州市","birthday":"2010-01-01 00:00:00","channel":"2",
        "customer_type":0,"name":"王小二","outer_id":"13411111111","outer_type":"mobile",
        "remark":"a/b \"q\"","request_id":"234334534543234234","tag_id_list":["爱吃辣","t2"]});
    let request = AlibabaAlscCrmCustomerCreateRequest::new(
        CustomerCreateOpenReq::new(
            "234334534543234234",
            "mobile",
            "13411111111",
            "2",
            CustomerType::Customer,
        )
        .address("浙江省杭州市")
        .birthday_date(NaiveDate::from_ymd_opt(2010, 1, 1).unwrap())
        .name("王小二")
        .remark("a/b \"q\"")
        .tag_id_list(["爱吃辣", "t2"]),
    );
    let mut mock = MockTransport::new();
    mock.expect_send().times(1).returning(move |req| {
        let object = object_param(&parse_form(&req.body), P);
        assert_eq!(object, vector_object);
        Ok(HttpResponse::new(
            200,
            FIXTURES.read("seed_sample_simplified.json"),
        ))
    });
    let answer = mock_client(mock).execute(&request).await.unwrap();
    assert_eq!(answer.customer_id(), Some("20193846534522344567"));
}

fn mock_client(mock: MockTransport) -> TopClient {
    client_builder().transport(mock).build().unwrap()
}

/// Retry-safe: a transient `isp.*` error, an HTTP 502 and a timeout are resent with the
/// same `request_id`, up to the attempt limit.
#[tokio::test]
async fn transient_failures_are_resent() {
    let calls = AtomicUsize::new(0);
    let mut mock = MockTransport::new();
    mock.expect_send().times(4).returning(move |req| {
        let object = object_param(&parse_form(&req.body), P);
        assert_eq!(object["request_id"], "234334534543234234");
        match calls.fetch_add(1, Ordering::SeqCst) {
            0 => Ok(HttpResponse::new(
                200,
                r#"{"error_response":{"code":15,"msg":"Remote service error","sub_code":"isp.top-remote-connection-timeout"}}"#,
            )),
            1 => Ok(HttpResponse::new(502, "Bad Gateway")),
            // The third attempt of the first call: the attempt limit is reached.
            2 => Err(TransportError::from_kind(TransportErrorKind::Timeout)),
            _ => Ok(HttpResponse::new(200, FIXTURES.read("seed_sample_simplified.json"))),
        }
    });
    let client = mock_client(mock);
    let err = client.execute(&doc_request()).await;
    // isp.* then 502 were resent; the third attempt timed out and was the last.
    assert!(
        matches!(err, Err(Error::Transport(ref e)) if e.is_timeout()),
        "{err:?}"
    );
    let answer = client.execute(&doc_request()).await.unwrap();
    assert_eq!(answer.customer_id(), Some("20193846534522344567"));
}
