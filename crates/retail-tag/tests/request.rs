//! What the generated request sends: only set, non-blank values; `ext_param` verbatim; the
//! rules of the description, checked before anything is sent.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use retail_tag::{RetailUserTagMobileAddRequest, TagUser};
use top_core::TopRequest;

#[test]
fn only_set_and_non_blank_values_are_sent() {
    let p = RetailUserTagMobileAddRequest::new()
        .open_id("oid-9")
        .biz_code("  ")
        .params()
        .unwrap();
    assert_eq!(p.iter().collect::<Vec<_>>(), [("open_id", "oid-9")]);
}

#[test]
fn ext_param_is_sent_verbatim() {
    let text = r#"{"k":"a&b=c+d%20e 中"}"#;
    let p = TagUser::new()
        .isv_user_id("u123")
        .ext_param(text)
        .params()
        .unwrap();
    assert_eq!(p.get("ext_param"), Some(text));
}

#[test]
fn round_trips_through_serde() {
    let r = TagUser::new()
        .alipay_user_id("2088000000000001")
        .ext_param("{}");
    let text = serde_json::to_string(&r).unwrap();
    assert_eq!(
        text,
        r#"{"alipay_user_id":"2088000000000001","ext_param":"{}"}"#
    );
    assert_eq!(serde_json::from_str::<TagUser>(&text).unwrap(), r);
}

#[test]
fn rules_name_the_member_and_the_rule() {
    let none = TagUser::new().biz_code("B").validate().unwrap_err();
    assert_eq!(&*none.field, "isv_user_id|open_id|alipay_user_id");

    let long = TagUser::new()
        .open_id("x".repeat(129))
        .validate()
        .unwrap_err();
    assert_eq!(&*long.field, "open_id");
    assert!(long.rule.to_string().contains("128"), "{long}");

    let not_json = TagUser::new()
        .open_id("o")
        .ext_param("{")
        .validate()
        .unwrap_err();
    assert_eq!(&*not_json.field, "ext_param");
    assert!(
        !not_json.to_string().contains('{'),
        "the value is not echoed: {not_json}"
    );

    assert!(
        TagUser::new()
            .open_id("o")
            .ext_param("{}")
            .validate()
            .is_ok()
    );
    assert!(
        !TagUser::new().open_id("o").retry_safe(),
        "no idempotency key"
    );
}
