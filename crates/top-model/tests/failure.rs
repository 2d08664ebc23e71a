//! `Description::business_error` on answers read as JSON, for each built-in API's rule: the
//! flags, the code and message fallbacks, the retry flag, and successes left alone. The
//! generated `TopResponse::business_error` of each domain crate applies the same rules to the
//! typed answers (their tests pin the same cases).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::json;
use top_model::Catalog;

fn failure(method: &str, answer: serde_json::Value) -> Option<top_core::BusinessError> {
    let catalog = Catalog::builtin().unwrap();
    catalog.get(method).unwrap().business_error(&answer)
}

#[test]
fn retail_codes_fall_back_and_diagnostics_are_not_failures() {
    let m = "taobao.retail.user.tag.mobile.add";
    let info = |sub: &str, code: &str| json!([{"sub_error_code": sub, "error_code": code, "outer_error_code": "OUTER", "error_message": "m"}]);
    assert!(failure(m, json!({"result": true, "error_infos": info("X", "Y")})).is_none());
    let e = failure(
        m,
        json!({"result": false, "error_infos": info("SUB", "CODE")}),
    )
    .unwrap();
    assert_eq!(e.code.as_deref(), Some("SUB"));
    let e = failure(
        m,
        json!({"result": false, "error_infos": info(" ", "CODE")}),
    )
    .unwrap();
    assert_eq!(e.code.as_deref(), Some("CODE"));
    let e = failure(m, json!({"result": false, "error_infos": info("", "")})).unwrap();
    assert_eq!(
        (e.code.as_deref(), e.message.as_deref()),
        (Some("OUTER"), Some("m"))
    );
    let e = failure(
        m,
        json!({"result": true, "module": {"tag_success": "false"}}),
    )
    .unwrap();
    assert_eq!((e.code, e.message), (None, None));
    assert!(
        failure(m, json!({})).is_none(),
        "a missing flag is a success"
    );
}

#[test]
fn blacklist_failures_say_whether_they_may_be_retried() {
    let m = "taobao.logistics.express.user.blacklist.tms.sync";
    let answer = |success: bool, retry: bool| json!({"user_blacklist_response": {"success": success, "code": "500", "message": "busy", "is_retry": retry}, "request_id": "rid"});
    assert!(failure(m, answer(true, false)).is_none());
    let e = failure(m, answer(false, true)).unwrap();
    assert_eq!(
        (
            e.code.as_deref(),
            e.message.as_deref(),
            e.retryable,
            e.request_id.as_deref()
        ),
        (Some("500"), Some("busy"), true, Some("rid"))
    );
    assert!(!failure(m, answer(false, false)).unwrap().retryable);
}

#[test]
fn crm_messages_fall_back_and_damai_codes_are_numbers_as_text() {
    let e = failure(
        "alibaba.alsc.crm.customer.create",
        json!({"result": {"biz_success": false, "result_code": "CUSTOMER_EXIST", "result_desc": "", "result_view": "该手机号已是顾客"}}),
    )
    .unwrap();
    assert_eq!(
        (e.code.as_deref(), e.message.as_deref()),
        (Some("CUSTOMER_EXIST"), Some("该手机号已是顾客"))
    );
    let e = failure(
        "alibaba.damai.maizuo.openapi.user.register.byauthcode",
        json!({"result": {"success": false, "result_code": 4001, "result_msg": "验证码错误"}}),
    )
    .unwrap();
    assert_eq!(e.code.as_deref(), Some("4001"));
    assert!(
        failure(
            "alibaba.damai.maizuo.openapi.user.register.byauthcode",
            json!({"result": {"success": true}})
        )
        .is_none()
    );
}
