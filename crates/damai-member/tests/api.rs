//! `alibaba.damai.maizuo.openapi.user.register.byauthcode` over HTTP (wiremock) and over
//! `MockTransport`: the vendor's samples decode into the typed response, the exact form goes
//! out (tokens form-encoded), secrets never print, invalid requests send nothing, and an
//! unknown outcome is never resent (the SMS code is single-use).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::atomic::{AtomicUsize, Ordering};

use damai_member::{
    AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeRequest,
    AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeResponse, CodeType, UserRegisterByAuthCodeParam,
    UserRegisterVo,
};
use serde_json::{Value, json};
use top_core::testing::{
    Fixtures, business_params, client_builder, client_for, object_param, received_request,
};
use top_core::{
    Error, Format, HttpResponse, MockTransport, TopClient, TopRequest, TransportError,
    TransportErrorKind,
};
use wiremock::MockServer;

const METHOD: &str = "alibaba.damai.maizuo.openapi.user.register.byauthcode";

const PHONE: &str = "13900004567";
const AUTH_CODE: &str = "726311";
const PASSWORD: &str = "QWA1q2w3e4r";
const PTNR_TOKEN: &str = "St5dnxCv1KtwpNaDzuE459yus3m6F7FEG+2";
const TENANT_TOKEN: &str = "A9UJj/8SWB5xLq54Tn623qFzG+2u39r5xP5icq";
const CHANNEL_TOKEN: &str = "XYJ72Idfk1231+mCzqSXZLWtCnikX/Vn";
const SECRETS: [&str; 5] = [AUTH_CODE, PASSWORD, PTNR_TOKEN, TENANT_TOKEN, CHANNEL_TOKEN];

const FIXTURES: Fixtures = Fixtures::of(env!("CARGO_MANIFEST_DIR"));

/// The vendor page's example (its `139xxxx4567` placeholder made a real-shaped number).
fn doc_request() -> AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeRequest {
    AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeRequest::new(UserRegisterByAuthCodeParam::new(
        PHONE,
        AUTH_CODE,
        PASSWORD,
        CodeType::Register,
        PTNR_TOKEN,
        TENANT_TOKEN,
        CHANNEL_TOKEN,
    ))
}

fn expected_object() -> Value {
    json!({
        "auth_code": AUTH_CODE,
        "ptnr_token": PTNR_TOKEN,
        "user_login_password": PASSWORD,
        "user_phone": PHONE,
        "tenant_token": TENANT_TOKEN,
        "channel_token": CHANNEL_TOKEN,
        "code_type": 1
    })
}

/// Checks the one received request (URL, system parameters, signature, token encoding) and
/// that it carried exactly the doc request.
async fn assert_sent_doc_request(server: &MockServer, format: Format) {
    let request = received_request(server).await;
    // `+` and `/` of the tokens are percent-encoded in the body.
    let body = String::from_utf8(request.body.clone()).unwrap();
    assert!(
        body.contains("St5dnxCv1KtwpNaDzuE459yus3m6F7FEG%2B2"),
        "{body}"
    );
    assert!(
        body.contains("A9UJj%2F8SWB5xLq54Tn623qFzG%2B2u39r5xP5icq"),
        "{body}"
    );
    let form = business_params(&request, METHOD, format);
    assert_eq!(form.keys().collect::<Vec<_>>(), ["param0"]);
    assert_eq!(object_param(&form, "param0"), expected_object());
}

/// The registered member of a response, `result.data`.
fn member(
    response: &AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeResponse,
) -> Option<&UserRegisterVo> {
    response.result.as_ref().and_then(|r| r.data.as_ref())
}

/// The response types are `#[non_exhaustive]`: built from JSON, as the client reads them.
fn response(value: Value) -> AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeResponse {
    serde_json::from_value(value).expect("a valid response")
}

fn seed_sample(
    request_id: Option<&str>,
) -> AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeResponse {
    response(json!({
        "result": {
            "result_msg": "成功",
            "data": {
                "user_token": "J72Idfk1231+mCzqSXZLWt",
                "user_icon": "http://www.maitix/xxx/x.jpg",
                "user_phone": "136xxxx1234",
                "user_name": "赢x",
                "user_id": "2313112"
            },
            "result_code": 201,
            "success": false
        },
        "request_id": request_id
    }))
}

/// The vendor's sample says `success=false` (with `result_code=201`, `result_msg=成功` and
/// data): by the flag, a business failure whose typed response carries everything.
#[tokio::test]
async fn seed_sample_in_every_format_is_a_business_failure_with_data() {
    for (name, format, request_id) in [
        (
            "seed_sample_simplified.json",
            Format::Json,
            Some("kd8a7r2mzq1x"),
        ),
        (
            "seed_sample_enveloped.json",
            Format::JsonEnveloped,
            Some("kd8a7r2mzq1x"),
        ),
        ("seed_sample.xml", Format::Xml, None),
    ] {
        let (server, outcome) = FIXTURES.call(name, format, &doc_request()).await;
        let err = outcome.unwrap_err();
        let Error::Business(failure) = &err else {
            panic!("{name}: {err:?}")
        };
        assert_eq!(failure.code.as_deref(), Some("201"), "{name}");
        assert_eq!(failure.message.as_deref(), Some("成功"), "{name}");
        assert_eq!(failure.request_id.as_deref(), request_id, "{name}");
        assert!(!failure.retryable);
        let response = failure
            .response::<AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeResponse>()
            .expect("typed response");
        assert_eq!(response, &seed_sample(request_id), "{name}");
        assert_eq!(
            member(response).and_then(|m| m.user_id.as_deref()),
            Some("2313112")
        );
        assert_sent_doc_request(&server, format).await;
    }
}

#[tokio::test]
async fn success_json_and_xml() {
    for (name, format) in [("success.json", Format::Json), ("success.xml", Format::Xml)] {
        let (server, outcome) = FIXTURES.call(name, format, &doc_request()).await;
        let answer = outcome.unwrap();
        assert_eq!(
            answer,
            response(json!({
                "result": {
                    "result_msg": "成功",
                    "data": {
                        "user_token": "Zk91mQx+Yt7/Rw2LpN4c",
                        "user_icon": "https://img.alicdn.com/member/avatar.jpg",
                        "user_phone": "139****4567",
                        "user_name": "用户4567",
                        "user_id": "2313113"
                    },
                    "result_code": 200,
                    "success": true
                },
                "request_id": "p0o9i8u7y6t5"
            })),
            "{name}"
        );
        let token = member(&answer).and_then(|m| m.user_token.as_ref());
        assert_eq!(
            token.map(|t| t.expose().as_str()),
            Some("Zk91mQx+Yt7/Rw2LpN4c")
        );
        let debug = format!("{answer:?}");
        assert!(!debug.contains("Zk91mQx"), "token printed: {debug}");
        assert_sent_doc_request(&server, format).await;
    }
}

#[tokio::test]
async fn error_response_json_and_xml() {
    for (server, format) in FIXTURES.assert_error_response_samples(&doc_request()).await {
        assert_sent_doc_request(&server, format).await;
    }
}

#[tokio::test]
async fn business_failure() {
    let (server, outcome) = FIXTURES
        .call("business_failure.json", Format::Json, &doc_request())
        .await;
    let err = outcome.unwrap_err();
    let Error::Business(failure) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(failure.code.as_deref(), Some("4001"));
    assert_eq!(failure.message.as_deref(), Some("验证码错误或已过期"));
    assert_eq!(failure.request_id.as_deref(), Some("m3n4b5v6c7x8"));
    let response = failure
        .response::<AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeResponse>()
        .expect("typed response");
    assert!(member(response).is_none());
    assert_sent_doc_request(&server, Format::Json).await;
}

type Mutation = Box<dyn Fn(&mut UserRegisterByAuthCodeParam)>;

/// Every rule of `validate()`: one mutation of a valid request per row, and the field the
/// error names. Nothing reaches the gateway, and no error message carries the value.
#[tokio::test]
async fn every_validation_rule_names_its_field_and_sends_nothing() {
    let rows: Vec<(&str, Mutation)> = vec![
        (
            "param0.user_phone",
            Box::new(|p| p.user_phone = "139xxxx4567".into()),
        ),
        (
            "param0.user_phone",
            Box::new(|p| p.user_phone = "+8613900004567".into()),
        ),
        ("param0.auth_code", Box::new(|p| p.auth_code = "726".into())),
        (
            "param0.auth_code",
            Box::new(|p| p.auth_code = "726311726".into()),
        ),
        (
            "param0.auth_code",
            Box::new(|p| p.auth_code = "72631a".into()),
        ),
        (
            "param0.auth_code",
            Box::new(|p| p.auth_code = "７２６３１１".into()),
        ),
        ("param0.auth_code", Box::new(|p| p.auth_code = "".into())),
        (
            "param0.user_login_password",
            Box::new(|p| p.user_login_password = "Ab1!x".into()),
        ),
        (
            "param0.user_login_password",
            Box::new(|p| p.user_login_password = "x".repeat(33).into()),
        ),
        (
            "param0.user_login_password",
            Box::new(|p| p.user_login_password = "QWA1 q2w3e4r".into()),
        ),
        (
            "param0.user_login_password",
            Box::new(|p| p.user_login_password = "        ".into()),
        ),
        ("param0.ptnr_token", Box::new(|p| p.ptnr_token = " ".into())),
        (
            "param0.ptnr_token",
            Box::new(|p| p.ptnr_token = "t".repeat(257).into()),
        ),
        (
            "param0.tenant_token",
            Box::new(|p| p.tenant_token = "".into()),
        ),
        (
            "param0.tenant_token",
            Box::new(|p| p.tenant_token = "t".repeat(257).into()),
        ),
        (
            "param0.channel_token",
            Box::new(|p| p.channel_token = "\t".into()),
        ),
        (
            "param0.channel_token",
            Box::new(|p| p.channel_token = "t".repeat(257).into()),
        ),
    ];
    let server = MockServer::start().await;
    let client = client_for(&server, Format::Json);
    assert!(doc_request().validate().is_ok());
    for (i, (field, mutate)) in rows.iter().enumerate() {
        let mut request = doc_request();
        mutate(&mut request.param0);
        let err = client.execute(&request).await.unwrap_err();
        match &err {
            Error::Validation(v) => assert_eq!(v.field, *field, "row {i}: {v}"),
            other => panic!("row {i}: expected a validation error, got {other:?}"),
        }
        let text = format!("{err} {err:?}");
        for secret in SECRETS.iter().chain([&PHONE]) {
            assert!(!text.contains(secret), "row {i}: {text}");
        }
    }
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[test]
fn debug_never_shows_secrets_or_the_full_mobile() {
    let request = doc_request();
    let text = format!("{request:?} {request:#?} {:?}", request.param0);
    for value in SECRETS.iter().chain([&PHONE]) {
        assert!(!text.contains(value), "{value} in {text}");
    }
    assert!(text.contains("139****4567"), "{text}");
    assert!(!request.retry_safe());
    // Serialization, i.e. the request sent, carries the real values.
    let json = serde_json::to_value(&request.param0).unwrap();
    assert_eq!(json, expected_object());
}

fn mock_client(mock: MockTransport) -> TopClient {
    client_builder().transport(mock).build().unwrap()
}

type Answer = fn() -> Result<HttpResponse, TransportError>;

/// Not retry-safe: a timeout, a lost connection, an HTTP 5xx or a transient `isp.*` error
/// is sent once only, since the SMS code may already have been used.
#[tokio::test]
async fn unknown_outcomes_are_never_resent() {
    let cases: Vec<(&str, Answer)> = vec![
        ("timeout", || {
            Err(TransportError::from_kind(TransportErrorKind::Timeout))
        }),
        ("io", || {
            Err(TransportError::from_kind(TransportErrorKind::Io))
        }),
        ("http 502", || Ok(HttpResponse::new(502, "Bad Gateway"))),
        ("isp", || {
            Ok(HttpResponse::new(
                200,
                r#"{"error_response":{"code":15,"msg":"Remote service error","sub_code":"isp.top-remote-connection-timeout"}}"#,
            ))
        }),
    ];
    for (name, answer) in cases {
        let mut mock = MockTransport::new();
        mock.expect_send().times(1).returning(move |_| answer());
        let err = mock_client(mock).execute(&doc_request()).await.unwrap_err();
        assert!(!matches!(err, Error::Validation(_)), "{name}: {err:?}");
    }
}

/// A connection that never opened sent nothing: retrying it is safe even here.
#[tokio::test]
async fn a_connect_failure_is_retried() {
    let calls = AtomicUsize::new(0);
    let mut mock = MockTransport::new();
    mock.expect_send().times(2).returning(move |_| {
        if calls.fetch_add(1, Ordering::SeqCst) == 0 {
            Err(TransportError::from_kind(TransportErrorKind::Connect))
        } else {
            Ok(HttpResponse::new(200, FIXTURES.read("success.json")))
        }
    });
    let answer = mock_client(mock).execute(&doc_request()).await.unwrap();
    assert_eq!(answer.result.unwrap().success, Some(true));
}
