//! The generated request and response through the public API only: the parameter object's
//! wire form (real values, the official SDK's order), `code_type` on the wire, the inclusive
//! limits and the wording of the description's rules, the business-failure rule and the
//! `Debug` of the registered member.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use damai_member::{
    AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeRequest,
    AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeResponse, CodeType, UserRegisterByAuthCodeParam,
    UserRegisterVo,
};
use serde_json::json;
use top_core::rules::Rule;
use top_core::{Mobile, Sensitive, TopRequest, TopResponse};

type Register = AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeRequest;
type Response = AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeResponse;

fn param() -> UserRegisterByAuthCodeParam {
    UserRegisterByAuthCodeParam::new(
        "13900004567",
        "726311",
        "QWA1q2w3e4r",
        CodeType::Register,
        "St5dnxCv1KtwpNaDzuE459yus3m6F7FEG+2",
        "A9UJj/8SWB5xLq54Tn623qFzG+2u39r5xP5icq",
        "XYJ72Idfk1231+mCzqSXZLWtCnikX/Vn",
    )
}

#[test]
fn serializes_real_values_in_sdk_order() {
    assert_eq!(
        serde_json::to_string(&param()).unwrap(),
        r#"{"auth_code":"726311","channel_token":"XYJ72Idfk1231+mCzqSXZLWtCnikX/Vn","code_type":1,"ptnr_token":"St5dnxCv1KtwpNaDzuE459yus3m6F7FEG+2","tenant_token":"A9UJj/8SWB5xLq54Tn623qFzG+2u39r5xP5icq","user_login_password":"QWA1q2w3e4r","user_phone":"13900004567"}"#
    );
}

#[test]
fn round_trips() {
    let text = serde_json::to_string(&param()).unwrap();
    assert_eq!(
        serde_json::from_str::<UserRegisterByAuthCodeParam>(&text).unwrap(),
        param()
    );
    let request = Register::new(param());
    let text = serde_json::to_string(&request).unwrap();
    assert_eq!(serde_json::from_str::<Register>(&text).unwrap(), request);
}

#[test]
fn code_type_on_the_wire() {
    assert_eq!(
        (CodeType::Register.code(), CodeType::ChangePassword.code()),
        (1, 2)
    );
    assert_eq!(
        serde_json::to_string(&CodeType::ChangePassword).unwrap(),
        "2"
    );
    assert_eq!(
        serde_json::from_str::<CodeType>("\"1\"").unwrap(),
        CodeType::Register
    );
    assert_eq!(
        serde_json::from_str::<CodeType>("2").unwrap(),
        CodeType::ChangePassword
    );
    for unknown in ["0", "3", "\"3\"", "\"register\""] {
        assert!(
            serde_json::from_str::<CodeType>(unknown).is_err(),
            "{unknown}"
        );
    }
}

#[test]
fn limits_are_inclusive() {
    let mut request = Register::new(param());
    assert!(request.validate().is_ok());
    for code in ["1234", "12345678"] {
        request.param0.auth_code = code.into();
        assert!(request.validate().is_ok(), "{code}");
    }
    for password in ["a1b2c3", "密码密码密码", &"x".repeat(32)] {
        request.param0.user_login_password = password.into();
        assert!(request.validate().is_ok(), "{password}");
    }
    request.param0.ptnr_token = "t".repeat(256).into();
    request.param0.tenant_token = "t".repeat(256).into();
    request.param0.channel_token = "t".repeat(256).into();
    assert!(request.validate().is_ok());
}

type Mutation = fn(&mut UserRegisterByAuthCodeParam);

/// Each rule's error names the member's wire path and `top_core::rules`' wording of the rule,
/// never the value.
#[test]
fn rules_name_the_member_and_the_rule_never_the_value() {
    let required = top_core::ValidationError::required("x").rule;
    let rows: [(&str, Mutation, String); 12] = [
        (
            "param0.auth_code",
            |p| p.auth_code = "".into(),
            required.to_string(),
        ),
        (
            "param0.auth_code",
            |p| p.auth_code = "72a3".into(),
            Rule::Digits { min: 4, max: 8 }.message().into(),
        ),
        (
            "param0.auth_code",
            |p| p.auth_code = "726311726".into(),
            Rule::Digits { min: 4, max: 8 }.message().into(),
        ),
        (
            "param0.ptnr_token",
            |p| p.ptnr_token = " ".into(),
            required.to_string(),
        ),
        (
            "param0.ptnr_token",
            |p| p.ptnr_token = "t".repeat(257).into(),
            Rule::MaxChars(256).message().into(),
        ),
        (
            "param0.user_login_password",
            |p| p.user_login_password = "Ab1!x".into(),
            Rule::MinChars(6).message().into(),
        ),
        (
            "param0.user_login_password",
            |p| p.user_login_password = "x".repeat(33).into(),
            Rule::MaxChars(32).message().into(),
        ),
        (
            "param0.user_login_password",
            |p| p.user_login_password = "QWA1 q2w3e4r".into(),
            Rule::NoWhitespace.message().into(),
        ),
        (
            "param0.user_phone",
            |p| p.user_phone = "139xxxx4567".into(),
            Rule::MainlandMobile.message().into(),
        ),
        (
            "param0.tenant_token",
            |p| p.tenant_token = "t".repeat(257).into(),
            Rule::MaxChars(256).message().into(),
        ),
        (
            "param0.channel_token",
            |p| p.channel_token = "\t".into(),
            required.to_string(),
        ),
        (
            "param0.channel_token",
            |p| p.channel_token = "t".repeat(257).into(),
            Rule::MaxChars(256).message().into(),
        ),
    ];
    assert_eq!(
        Rule::Digits { min: 4, max: 8 }.message(),
        "must be 4 to 8 ASCII digits"
    );
    for (field, mutate, rule) in rows {
        let mut request = Register::new(param());
        mutate(&mut request.param0);
        let err = request.validate().unwrap_err();
        assert_eq!((&*err.field, &*err.rule), (field, rule.as_str()));
        let text = format!("{err} {err:?}");
        for value in [
            "72a3",
            "726311726",
            "Ab1!x",
            "QWA1 q2w3e4r",
            "139xxxx4567",
            "ttttt",
        ] {
            assert!(!text.contains(value), "{value} echoed: {text}");
        }
    }
    assert!(!Register::new(param()).retry_safe(), "no idempotency key");
}

fn response(success: Option<bool>) -> Response {
    serde_json::from_value(json!({
        "result": {
            "result_msg": "验证码错误",
            "result_code": 4001,
            "success": success
        },
        "request_id": "rid"
    }))
    .unwrap()
}

#[test]
fn failure_rules() {
    assert!(response(Some(true)).business_error().is_none());
    assert!(response(None).business_error().is_none());
    assert!(Response::default().business_error().is_none());
    let e = response(Some(false)).business_error().unwrap();
    assert_eq!(
        (
            e.code.as_deref(),
            e.message.as_deref(),
            e.retryable,
            e.request_id.as_deref()
        ),
        (Some("4001"), Some("验证码错误"), false, Some("rid"))
    );
}

#[test]
fn debug_hides_the_token_and_the_phone() {
    let mut member = UserRegisterVo::default();
    member.user_token = Some(Sensitive::new("J72Idfk1231+mCzqSXZLWt".into()));
    member.user_phone = Some(Mobile::new("13900004567"));
    let text = format!("{member:?}");
    assert!(
        !text.contains("J72Idfk1231") && !text.contains("13900004567"),
        "{text}"
    );
    assert!(text.contains("139****4567"), "{text}");

    // The same through a whole response, read as the client reads it.
    let answer: Response = serde_json::from_value(json!({
        "result": {
            "success": true,
            "data": {"user_token": "J72Idfk1231+mCzqSXZLWt", "user_phone": "13900004567"}
        }
    }))
    .unwrap();
    let found = answer.result.as_ref().and_then(|r| r.data.as_ref());
    assert_eq!(found, Some(&member));
    let text = format!("{answer:?} {answer:#?}");
    assert!(
        !text.contains("J72Idfk1231") && !text.contains("13900004567"),
        "{text}"
    );
}
