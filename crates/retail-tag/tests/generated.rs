//! The unit tests of the hand-written response, ported to the generated code and its public
//! API: when an answer is a failure, and which code and message it carries.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use retail_tag::RetailUserTagMobileAddResponse;
use serde_json::{Value, json};
use top_core::TopResponse;

/// An `error_infos` entry: outer code `OUTER`, the given sub code, code and message.
fn info(sub: &str, code: &str, msg: &str) -> Value {
    json!({
        "outer_error_code": "OUTER",
        "error_message": msg,
        "error_code": code,
        "sub_error_code": sub,
    })
}

/// The response of this JSON (the types are `#[non_exhaustive]`).
fn response(value: Value) -> RetailUserTagMobileAddResponse {
    serde_json::from_value(value).unwrap()
}

/// The code of a failed answer whose first `error_infos` entry is `entry`.
fn failure_code(entry: Value) -> Option<String> {
    response(json!({"error_infos": [entry], "result": false}))
        .business_error()
        .unwrap()
        .code
}

#[test]
fn failure_rules() {
    let ok = response(json!({
        "error_infos": [info("NOT_FOUND", "isp.x", "m")],
        "result": true,
    }));
    assert!(ok.business_error().is_none(), "diagnostics only");

    let failed = response(json!({
        "error_infos": [info("", "isv.invalid-parameter:", "输入参数错误")],
        "result": false,
        "request_id": "rid",
    }));
    let e = failed.business_error().unwrap();
    assert_eq!(e.code.as_deref(), Some("isv.invalid-parameter:"));
    assert_eq!(e.message.as_deref(), Some("输入参数错误"));
    assert_eq!(e.request_id.as_deref(), Some("rid"));
    assert!(!e.retryable);

    let untagged = response(json!({
        "module": {"tag_success": false},
        "result": true,
    }));
    let e = untagged.business_error().unwrap();
    assert_eq!((e.code, e.message), (None, None));

    assert!(
        RetailUserTagMobileAddResponse::default()
            .business_error()
            .is_none()
    );
}

#[test]
fn sub_error_code_wins() {
    assert_eq!(
        failure_code(info("SUB", "CODE", "m")).as_deref(),
        Some("SUB")
    );
    assert_eq!(
        failure_code(info(" ", "CODE", "m")).as_deref(),
        Some("CODE")
    );
    assert_eq!(failure_code(info("", "", "m")).as_deref(), Some("OUTER"));
    // Only the first entry counts.
    let e = response(json!({
        "error_infos": [info("", "", "first"), info("SECOND", "C2", "second")],
        "result": false,
    }))
    .business_error()
    .unwrap();
    assert_eq!(
        (e.code.as_deref(), e.message.as_deref()),
        (Some("OUTER"), Some("first"))
    );
}
