//! `alibaba.alsc.crm.customer.create`, whose code is now generated from
//! `apis/alibaba.alsc.crm.customer.create/`: the unit tests of the former hand-written
//! request and response, ported to the public API. The enums' wire forms, the e-mail rule,
//! blank optional members left out (and `customer_type` 0 kept), the JSON round trip, the
//! inclusive birthday bounds, the lenient `result`, and when an answer is a business failure.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use alsc_crm::{
    AlibabaAlscCrmCustomerCreateRequest, AlibabaAlscCrmCustomerCreateResponse,
    CustomerCreateOpenReq, CustomerType, Gender,
};
use serde_json::json;
use top_core::chrono::{NaiveDate, TimeDelta, Utc};
use top_core::rules::Rule;
use top_core::{TopRequest, TopResponse, ValidationError};

const P: &str = "param_customer_create_open_req";

/// `validate()` of the call carrying `customer`, as the client runs it before sending.
fn validate(customer: CustomerCreateOpenReq) -> Result<(), ValidationError> {
    AlibabaAlscCrmCustomerCreateRequest::new(customer).validate()
}

/// A member identified by a card number, valid as it is.
fn card_member() -> CustomerCreateOpenReq {
    CustomerCreateOpenReq::new("r1", "card", "C-1", "2", CustomerType::Member)
}

#[test]
fn enums_on_the_wire() {
    // `customer_type` is a number, `gender` a string, on this API.
    assert_eq!(serde_json::to_string(&CustomerType::Customer).unwrap(), "0");
    assert_eq!(serde_json::to_string(&CustomerType::Member).unwrap(), "1");
    assert_eq!(serde_json::to_string(&Gender::Female).unwrap(), "\"0\"");
    assert_eq!(serde_json::to_string(&Gender::Male).unwrap(), "\"1\"");
    assert_eq!(
        (CustomerType::Customer.code(), CustomerType::Member.code()),
        (0, 1)
    );
    assert_eq!((Gender::Female.code(), Gender::Male.code()), ("0", "1"));
    // Read from either a number or a string.
    assert_eq!(
        serde_json::from_str::<CustomerType>("\"1\"").unwrap(),
        CustomerType::Member
    );
    assert_eq!(
        serde_json::from_str::<CustomerType>("0").unwrap(),
        CustomerType::Customer
    );
    assert_eq!(serde_json::from_str::<Gender>("0").unwrap(), Gender::Female);
    assert_eq!(
        serde_json::from_str::<Gender>("\"1\"").unwrap(),
        Gender::Male
    );
    // Unknown codes are refused.
    assert!(serde_json::from_str::<CustomerType>("2").is_err());
    assert!(serde_json::from_str::<Gender>("\"m\"").is_err());
}

#[test]
fn emails() {
    let with_email = |email: &str| {
        validate(
            CustomerCreateOpenReq::new("r", "mobile", "13411111111", "2", CustomerType::Member)
                .email(email),
        )
    };
    for ok in ["xxx@gmail.com", "a.b+c@mail.example.cn", "王@例子.中国"] {
        assert!(with_email(ok).is_ok(), "{ok}");
    }
    let email = format!("{P}.email");
    for bad in [
        "x",
        "@gmail.com",
        "x@gmail",
        "x@@gmail.com",
        "x@g@mail.com",
        "x @gmail.com",
        "x@.com",
        "x@gmail.",
        "x@gmail..com",
    ] {
        let err = with_email(bad).unwrap_err();
        assert_eq!(
            (err.field.as_ref(), err.rule.as_ref()),
            (email.as_str(), Rule::Email.message().as_ref()),
            "{bad}"
        );
    }
    // 130 characters: the length rule, checked before the shape.
    let long = format!("{}@gmail.com", "x".repeat(120));
    let err = with_email(&long).unwrap_err();
    assert_eq!(
        (err.field.as_ref(), err.rule.as_ref()),
        (email.as_str(), "must be at most 128 characters")
    );
    assert_eq!(err.rule, Rule::MaxChars(128).message());
    // 128 characters pass.
    assert!(with_email(&format!("{}@gmail.com", "x".repeat(118))).is_ok());
}

#[test]
fn blank_optionals_are_not_sent_and_zero_is() {
    let req =
        CustomerCreateOpenReq::new("r1", "mobile", "13411111111", "2", CustomerType::Customer)
            .email(" ")
            .name("")
            .mobile("")
            .phone(" ");
    // Blank optional members count as unset: no rule applies to them...
    assert!(validate(req.clone()).is_ok());
    // ...and they are not sent; `customer_type` 0 is.
    let expected = r#"{"channel":"2","customer_type":0,"outer_id":"13411111111","outer_type":"mobile","request_id":"r1"}"#;
    assert_eq!(serde_json::to_string(&req).unwrap(), expected);
    let params = AlibabaAlscCrmCustomerCreateRequest::new(req)
        .params()
        .unwrap();
    assert_eq!(params.get(P), Some(expected));
}

#[test]
fn round_trips() {
    let req = card_member()
        .birthday_date(NaiveDate::from_ymd_opt(1990, 5, 17).unwrap())
        .gender(Gender::Female)
        .mobile("13411111111")
        .tag_id_list(["a", "b"]);
    let text = serde_json::to_string(&req).unwrap();
    assert!(
        text.contains(r#""birthday":"1990-05-17 00:00:00""#),
        "{text}"
    );
    assert_eq!(
        serde_json::from_str::<CustomerCreateOpenReq>(&text).unwrap(),
        req
    );
}

#[test]
fn birthday_bounds_are_inclusive() {
    let earliest = card_member().birthday_date(NaiveDate::from_ymd_opt(1900, 1, 1).unwrap());
    assert!(validate(earliest).is_ok());
    let now = card_member().birthday(Utc::now() - TimeDelta::seconds(1));
    assert!(validate(now).is_ok());

    // Just outside each bound: the day before, and tomorrow.
    let birthday = format!("{P}.birthday");
    let too_early = card_member().birthday_date(NaiveDate::from_ymd_opt(1899, 12, 31).unwrap());
    let err = validate(too_early).unwrap_err();
    assert_eq!(
        (err.field.as_ref(), err.rule.as_ref()),
        (birthday.as_str(), "must not be before 1900-01-01")
    );
    let tomorrow = card_member().birthday(Utc::now() + TimeDelta::days(1));
    let err = validate(tomorrow).unwrap_err();
    assert_eq!(
        (err.field.as_ref(), err.rule.as_ref()),
        (birthday.as_str(), Rule::NotFuture.message().as_ref())
    );
}

#[test]
fn result_is_read_leniently() {
    for (json, expected) in [
        (
            r#"{"result":{"result":"20193846534522344567"}}"#,
            "20193846534522344567",
        ),
        (r#"{"result":{"result":true}}"#, "true"),
        (
            r#"{"result":{"result":9007199254740993}}"#,
            "9007199254740993",
        ),
    ] {
        let r: AlibabaAlscCrmCustomerCreateResponse = serde_json::from_str(json).unwrap();
        assert_eq!(r.customer_id(), Some(expected), "{json}");
    }
}

#[test]
fn failure_rules() {
    // Response types are `#[non_exhaustive]`: built from their JSON, as the client reads them.
    let response = |biz_success: Option<bool>, desc: Option<&str>| {
        serde_json::from_value::<AlibabaAlscCrmCustomerCreateResponse>(json!({
            "result": {
                "result_code": "CUSTOMER_EXIST",
                "result_desc": desc,
                "result_view": "该手机号已是顾客",
                "biz_success": biz_success,
            },
            "request_id": "rid",
        }))
        .unwrap()
    };
    // A success, or no flag at all, is not a failure.
    assert!(response(Some(true), None).business_error().is_none());
    assert!(response(None, None).business_error().is_none());
    // `biz_success=false`: `result_code`, `result_desc`, not retryable, the request id.
    let e = response(Some(false), Some("顾客已存在"))
        .business_error()
        .unwrap();
    assert_eq!(
        (
            e.code.as_deref(),
            e.message.as_deref(),
            e.retryable,
            e.request_id.as_deref()
        ),
        (
            Some("CUSTOMER_EXIST"),
            Some("顾客已存在"),
            false,
            Some("rid")
        )
    );
    // A blank or missing `result_desc` falls back to `result_view`.
    let e = response(Some(false), Some(" ")).business_error().unwrap();
    assert_eq!(e.message.as_deref(), Some("该手机号已是顾客"));
    let e = response(Some(false), None).business_error().unwrap();
    assert_eq!(e.message.as_deref(), Some("该手机号已是顾客"));
}
