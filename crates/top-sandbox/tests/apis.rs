//! The sandbox rules of each API, and request_id idempotency, over real HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::{Arc, Mutex};

use chrono::{DateTime, TimeDelta, Utc};
use common::*;
use serde_json::json;
use top_core::time::format_gmt8;
use top_core::{Clock, Mobile};
use top_sandbox::{Account, BlacklistEntry, Sandbox};

fn entry(mobile: &str, reasons: &[u8]) -> BlacklistEntry {
    BlacklistEntry {
        mobile: mobile.to_owned(),
        reasons: reasons.to_vec(),
    }
}

#[tokio::test]
async fn blacklist_add_update_delete_per_supplier() {
    let sandbox = start().await;
    let ok =
        |c: serde_json::Value| assert_eq!(c["user_blacklist_response"]["success"], json!(true));
    ok(blacklist_call(
        "r1",
        "s1",
        1,
        &[("13122222222", Some("2")), ("13111111111", Some("1,2"))],
    )
    .ok(&sandbox)
    .await);
    ok(blacklist_call("r2", "s2", 1, &[("13111111111", None)])
        .ok(&sandbox)
        .await);
    // Update: reasons replaced (and sorted). A repeated code is refused by the description
    // ("none twice"), see `blacklist_rules`.
    ok(
        blacklist_call("r3", "s1", 1, &[("13122222222", Some("5,3"))])
            .ok(&sandbox)
            .await,
    );
    let state = sandbox.state().await;
    assert_eq!(
        state.blacklist_of("s1"),
        &[entry("13111111111", &[1, 2]), entry("13122222222", &[3, 5])]
    );
    assert_eq!(state.blacklist_of("s2"), &[entry("13111111111", &[])]);
    // Delete, including a mobile that is not listed.
    ok(blacklist_call(
        "r4",
        "s1",
        2,
        &[("13111111111", None), ("13999999999", None)],
    )
    .ok(&sandbox)
    .await);
    let state = sandbox.state().await;
    assert_eq!(state.blacklist_of("s1"), &[entry("13122222222", &[3, 5])]);
    assert_eq!(state.applied_to(BLACKLIST), 4);
    assert_eq!(state.calls_to(BLACKLIST), 4);
    // The JSON shape of the state.
    let dumped = serde_json::to_value(&state).unwrap();
    assert_eq!(
        dumped["blacklist"]["s1"],
        json!([{"mobile": "13122222222", "reasons": [3, 5]}])
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn blacklist_rules() {
    let sandbox = Sandbox::builder()
        .max_blacklist_entries(3)
        .start()
        .await
        .unwrap();
    let sub = |e: top_core::ApiError| {
        assert_eq!(e.code, 50, "{e:?}");
        assert_eq!(e.sub_code.as_deref(), Some("isv.invalid-parameter"));
        e.sub_msg.unwrap()
    };
    let e = blacklist_call("r", "s", 1, &[("13111111111", Some("6"))])
        .err(&sandbox)
        .await;
    assert!(sub(e).starts_with("非法参数: user_blacklist_request.blacklist[0].reason"));
    // The description's rule: each code once.
    let e = blacklist_call("r", "s", 1, &[("13111111111", Some("3,3"))])
        .err(&sandbox)
        .await;
    assert!(sub(e).ends_with("separated by commas, none twice)"));
    let e = blacklist_call("r", "s", 3, &[("13111111111", None)])
        .err(&sandbox)
        .await;
    assert!(sub(e).starts_with("非法参数: user_blacklist_request.operate_type"));
    let e = blacklist_call("r", "s", 1, &[]).err(&sandbox).await;
    assert!(sub(e).starts_with("非法参数: user_blacklist_request.blacklist"));
    let four = [
        ("13111111111", None),
        ("13111111112", None),
        ("13111111113", None),
        ("13111111114", None),
    ];
    let e = blacklist_call("r", "s", 1, &four).err(&sandbox).await;
    assert!(sub(e).contains("at most 3 entries"));
    let e = blacklist_call("r", "s", 1, &[("+8613111111111", None)])
        .err(&sandbox)
        .await;
    assert!(sub(e).starts_with("非法参数: user_blacklist_request.blacklist[0].mobile"));
    let mut wrong_service: serde_json::Value =
        serde_json::from_str(&blacklist_request("r", "s", 1, &[("13111111111", None)])).unwrap();
    wrong_service["service_type"] = json!("2");
    let e = Call::new(BLACKLIST)
        .param("user_blacklist_request", wrong_service.to_string())
        .err(&sandbox)
        .await;
    assert!(sub(e).starts_with("非法参数: user_blacklist_request.service_type"));
    assert!(sandbox.state().await.blacklist.is_empty());
    // Three is allowed.
    let three = &four[..3];
    blacklist_call("r", "s", 1, three).ok(&sandbox).await;
    assert_eq!(sandbox.state().await.blacklist_of("s").len(), 3);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn blacklist_idempotent_replay() {
    let sandbox = start().await;
    let first = blacklist_call("same-id", "s", 1, &[("13111111111", Some("1"))])
        .ok(&sandbox)
        .await;
    // Deleted through another request...
    blacklist_call("other-id", "s", 2, &[("13111111111", None)])
        .ok(&sandbox)
        .await;
    // ...then the first request is resent with a new request_time: replayed, not re-applied.
    let mut resent: serde_json::Value = serde_json::from_str(&blacklist_request(
        "same-id",
        "s",
        1,
        &[("13111111111", Some("1"))],
    ))
    .unwrap();
    resent["request_time"] = json!(1999999999999_i64);
    let again = Call::new(BLACKLIST)
        .param("user_blacklist_request", resent.to_string())
        .ok(&sandbox)
        .await;
    assert_eq!(
        first["user_blacklist_response"],
        again["user_blacklist_response"]
    );
    let state = sandbox.state().await;
    assert!(
        state.blacklist_of("s").is_empty(),
        "the replay applied nothing"
    );
    assert_eq!(state.applied_to(BLACKLIST), 2);
    assert_eq!(state.replays_of(BLACKLIST), 1);
    assert_eq!(state.calls_to(BLACKLIST), 3);

    // Same id, different payload: refused.
    let e = blacklist_call("same-id", "s", 1, &[("13122222222", Some("1"))])
        .err(&sandbox)
        .await;
    assert_eq!(e.code, 50);
    assert!(
        e.sub_msg
            .unwrap()
            .contains("request_id reused with a different payload")
    );
    // Idempotency is per app: another app may use the same id.
    sandbox.shutdown().await;
    let sandbox = Sandbox::builder()
        .app("20000002", "s2")
        .start()
        .await
        .unwrap();
    blacklist_call("same-id", "s", 1, &[("13111111111", None)])
        .ok(&sandbox)
        .await;
    blacklist_call("same-id", "s", 1, &[("13122222222", None)])
        .param("app_key", "20000002")
        .secret("s2")
        .ok(&sandbox)
        .await;
    assert_eq!(sandbox.state().await.blacklist_of("s").len(), 2);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn retail_tag_accounts() {
    let sandbox = start().await;
    // Alipay ids of the 2088 + 12 digits form exist.
    let c = Call::new(TAG)
        .param("alipay_user_id", "2088123456789013")
        .param("biz_code", "B")
        .ok(&sandbox)
        .await;
    assert_eq!(c["result"], json!(true));
    assert_eq!(
        c["module"],
        json!({"tag_success": true, "social_nick": "t*********3", "use_type": "alipayId"})
    );
    // Unknown isv_user_id: the vendor's NOT_FIND_TAOBAO_ACCOUNT shape.
    let c = Call::new(TAG)
        .param("isv_user_id", "u123")
        .ok(&sandbox)
        .await;
    assert_eq!(c["result"], json!(false));
    assert_eq!(c["module"]["tag_success"], json!(false));
    let info = &c["error_infos"][0];
    assert_eq!(
        info["outer_error_code"],
        json!("SERVICE_ERROR:NOT_FIND_TAOBAO_ACCOUNT:NOT_FIND_TAOBAO_ACCOUNT")
    );
    assert_eq!(
        info["error_code"],
        json!("isp.system-service-error::NOT_FIND_TAOBAO_ACCOUNT:NOT_FIND_TAOBAO_ACCOUNT")
    );
    assert_eq!(info["sub_error_code"], json!("NOT_FIND_TAOBAO_ACCOUNT"));
    assert!(
        info["error_message"]
            .as_str()
            .unwrap()
            .starts_with("未查询到淘宝账号:")
    );
    // Registered over HTTP, then found.
    let (status, answer) = post_json(
        &format!("http://{}/sandbox/accounts", sandbox.addr()),
        &json!({"isv_user_id": "u123"}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(answer, json!({"isv_user_id": "u123", "nick": "tbu123"}));
    let c = Call::new(TAG)
        .param("isv_user_id", "u123")
        .ok(&sandbox)
        .await;
    assert_eq!(
        c["module"],
        json!({"tag_success": true, "social_nick": "t*********3", "use_type": "tbId"})
    );
    // Registered through the handle.
    let nick = sandbox
        .register_account(Account::OpenId("oid-9".into()))
        .await;
    assert_eq!(nick, "tboid-9");
    let c = Call::new(TAG).param("open_id", "oid-9").ok(&sandbox).await;
    assert_eq!(c["module"]["use_type"], json!("tbId"));
    // A malformed Alipay id: the vendor's INVALID_PARAMETER shape.
    let c = Call::new(TAG)
        .param("alipay_user_id", "12345")
        .ok(&sandbox)
        .await;
    assert_eq!(c["result"], json!(false));
    assert_eq!(
        c["error_infos"][0]["outer_error_code"],
        json!("INVALID_PARAMETER")
    );
    assert_eq!(
        c["error_infos"][0]["error_code"],
        json!("isv.invalid-parameter:")
    );
    // ext_param must be JSON text.
    let e = Call::new(TAG)
        .param("open_id", "oid-9")
        .param("ext_param", "{oops")
        .err(&sandbox)
        .await;
    assert_eq!(
        (e.code, e.sub_msg.as_deref()),
        (50.into(), Some("非法参数: ext_param (must be a JSON text)"))
    );
    let state = sandbox.state().await;
    assert_eq!(state.tags.len(), 3, "only successful taggings are recorded");
    assert_eq!(state.tags[0].biz_code.as_deref(), Some("B"));
    assert_eq!(state.tags[1].isv_user_id.as_deref(), Some("u123"));
    assert_eq!(state.tags[2].open_id.as_deref(), Some("oid-9"));
    assert_eq!(state.applied_to(TAG), 3);
    assert_eq!(state.calls_to(TAG), 6);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn damai_register_and_change_password() {
    let sandbox = start().await;
    let phone = "13812341234";
    let (status, answer) = post_json(
        &format!("http://{}/sandbox/auth-codes", sandbox.addr()),
        &json!({"user_phone": phone, "code_type": 1}),
    )
    .await;
    assert_eq!(status, 200);
    let code = answer["auth_code"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 6);
    let register = |code: &str, password: &str, code_type: i64| {
        Call::new(DAMAI).param("param0", damai_param(phone, code, password, code_type))
    };
    // A wrong code fails and leaves the right one usable.
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let c = register(wrong, "QWA1q2w3e4r", 1).ok(&sandbox).await;
    assert_eq!(c["result"]["success"], json!(false));
    assert_eq!(c["result"]["result_code"], json!(402));
    // A bad password is refused by the description's rule (6 to 32 characters, no white
    // space) before the code is used.
    for password in ["short", "has space1"] {
        let e = register(&code, password, 1).err(&sandbox).await;
        assert_eq!(e.code, 50);
        assert!(
            e.sub_msg
                .unwrap()
                .starts_with("非法参数: param0.user_login_password (must "),
        );
    }
    let c = register(&code, "QWA1q2w3e4r", 1).ok(&sandbox).await;
    assert_eq!(c["result"]["success"], json!(true), "{c}");
    assert_eq!(c["result"]["result_code"], json!(200));
    assert_eq!(c["result"]["result_msg"], json!("成功"));
    let data = &c["result"]["data"];
    assert_eq!(data["user_phone"], json!("138****1234"));
    assert_eq!(data["user_id"], json!("100000001"));
    assert_eq!(data["user_token"].as_str().unwrap().len(), 22);
    // A phone registers once (checked before the code).
    let c = register(&code, "QWA1q2w3e4r", 1).ok(&sandbox).await;
    assert_eq!(c["result"]["result_code"], json!(409));
    let code2 = sandbox
        .issue_auth_code(&Mobile::new(phone), 1)
        .await
        .unwrap();
    let c = register(&code2, "QWA1q2w3e4r", 1).ok(&sandbox).await;
    assert_eq!(c["result"]["result_code"], json!(409));
    // Change the password with a code_type 2 code (a code_type 1 code does not do).
    let c = register(&code2, "newPass123", 2).ok(&sandbox).await;
    assert_eq!(c["result"]["result_code"], json!(402));
    let code3 = sandbox
        .issue_auth_code(&Mobile::new(phone), 2)
        .await
        .unwrap();
    let c = register(&code3, "newPass123", 2).ok(&sandbox).await;
    assert_eq!(c["result"]["success"], json!(true));
    assert_eq!(c["result"]["data"]["user_id"], json!("100000001"));
    // Single use.
    let c = register(&code3, "otherPass123", 2).ok(&sandbox).await;
    assert_eq!(c["result"]["result_code"], json!(402));
    // code_type 2 for a stranger.
    let stranger = "13900000000";
    let code4 = sandbox
        .issue_auth_code(&Mobile::new(stranger), 2)
        .await
        .unwrap();
    let c = Call::new(DAMAI)
        .param("param0", damai_param(stranger, &code4, "abc123", 2))
        .ok(&sandbox)
        .await;
    assert_eq!(c["result"]["result_code"], json!(404));
    // Tokens must be the configured ones.
    let mut bad_token: serde_json::Value =
        serde_json::from_str(&damai_param(phone, &code4, "abc123", 1)).unwrap();
    bad_token["tenant_token"] = json!("nope");
    let c = Call::new(DAMAI)
        .param("param0", bad_token.to_string())
        .ok(&sandbox)
        .await;
    assert_eq!(c["result"]["result_code"], json!(401));
    // Invalid values are platform errors.
    let e = Call::new(DAMAI)
        .param("param0", damai_param("139xxxx4567", "123456", "abc123", 1))
        .err(&sandbox)
        .await;
    assert_eq!(
        (
            e.code,
            e.sub_msg
                .unwrap()
                .starts_with("非法参数: param0.user_phone")
        ),
        (50.into(), true)
    );
    let e = Call::new(DAMAI)
        .param("param0", damai_param(phone, "123456", "abc123", 3))
        .err(&sandbox)
        .await;
    assert_eq!(e.code, 50);
    let e = Call::new(DAMAI)
        .param("param0", json!({"user_phone": phone}).to_string())
        .err(&sandbox)
        .await;
    assert_eq!(e.code, 40);
    assert!(
        sandbox
            .issue_auth_code(&Mobile::new("123"), 1)
            .await
            .is_err()
    );
    assert!(
        sandbox
            .issue_auth_code(&Mobile::new(phone), 3)
            .await
            .is_err()
    );

    let state = sandbox.state().await;
    assert_eq!(state.damai_members.len(), 1);
    assert_eq!(state.damai_members[0].user_phone, phone);
    let dumped = serde_json::to_string(&state).unwrap();
    assert!(!dumped.contains("QWA1q2w3e4r") && !dumped.contains("newPass123"));
    assert!(!dumped.contains("password"));
    assert_eq!(state.applied_to(DAMAI), 2);
    sandbox.shutdown().await;
}

/// A clock the test moves.
#[derive(Debug)]
struct ManualClock(Mutex<DateTime<Utc>>);

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
}

#[tokio::test]
async fn damai_codes_expire_after_five_minutes() {
    let clock = Arc::new(ManualClock(Mutex::new(Utc::now())));
    let sandbox = Sandbox::builder()
        .clock(clock.clone())
        .start()
        .await
        .unwrap();
    let phone = "13912345678";
    let call = |code: &str| {
        Call::new(DAMAI)
            .param("timestamp", format_gmt8(clock.now()))
            .param("param0", damai_param(phone, code, "abc123", 1))
    };
    let code = sandbox
        .issue_auth_code(&Mobile::new(phone), 1)
        .await
        .unwrap();
    *clock.0.lock().unwrap() += TimeDelta::seconds(5 * 60 + 1);
    let c = call(&code).ok(&sandbox).await;
    assert_eq!(c["result"]["result_code"], json!(402));
    assert_eq!(c["result"]["result_msg"], json!("验证码已过期"));
    // Just inside the five minutes works.
    let code = sandbox
        .issue_auth_code(&Mobile::new(phone), 1)
        .await
        .unwrap();
    *clock.0.lock().unwrap() += TimeDelta::seconds(5 * 60);
    let c = call(&code).ok(&sandbox).await;
    assert_eq!(c["result"]["success"], json!(true), "{c}");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn crm_customers_unique_and_idempotent() {
    let sandbox = start().await;
    let create = |request_id: &str, outer_id: &str| {
        Call::new(CRM).param(
            "param_customer_create_open_req",
            crm_param(request_id, outer_id),
        )
    };
    let first = create("req-1", "13411111111").ok(&sandbox).await;
    let result = &first["result"];
    assert_eq!(result["biz_success"], json!(true));
    assert_eq!(result["result_code"], json!("0"));
    assert_eq!(result["result_desc"], json!("处理成功"));
    assert_eq!(result["result_view"], json!("处理成功"));
    let id = result["result"].as_str().unwrap().to_owned();
    assert_eq!(id.len(), 20);
    assert!(id.bytes().all(|b| b.is_ascii_digit()));
    // Replay: same id, same payload.
    let again = create("req-1", "13411111111").ok(&sandbox).await;
    assert_eq!(again["result"], first["result"]);
    // Same (outer_type, outer_id) under another request_id.
    let dup = create("req-2", "13411111111").ok(&sandbox).await;
    assert_eq!(dup["result"]["biz_success"], json!(false));
    assert_eq!(
        dup["result"]["result_code"],
        json!("CUSTOMER_ALREADY_EXISTS")
    );
    assert_eq!(dup["result"]["result"], json!(id));
    // Same request_id, other payload.
    let e = create("req-1", "13499999999").err(&sandbox).await;
    assert_eq!(e.code, 50);
    // A second customer.
    let second = create("req-3", "13422222222").ok(&sandbox).await;
    assert_ne!(second["result"]["result"], json!(id));
    // Rules.
    let mut bad: serde_json::Value = serde_json::from_str(&crm_param("req-4", "x")).unwrap();
    bad["customer_type"] = json!(2);
    let e = Call::new(CRM)
        .param("param_customer_create_open_req", bad.to_string())
        .err(&sandbox)
        .await;
    assert!(
        e.sub_msg
            .unwrap()
            .starts_with("非法参数: param_customer_create_open_req.customer_type")
    );
    bad["customer_type"] = json!(1);
    bad["mobile"] = json!("1341111111");
    let e = Call::new(CRM)
        .param("param_customer_create_open_req", bad.to_string())
        .err(&sandbox)
        .await;
    assert!(
        e.sub_msg
            .unwrap()
            .starts_with("非法参数: param_customer_create_open_req.mobile")
    );
    let e = Call::new(CRM)
        .param(
            "param_customer_create_open_req",
            json!({"channel": "2", "customer_type": 1, "outer_type": "mobile", "request_id": "r"})
                .to_string(),
        )
        .err(&sandbox)
        .await;
    assert_eq!(e.code, 40);
    assert_eq!(
        e.sub_msg.as_deref(),
        Some("Missing required arguments: param_customer_create_open_req.outer_id")
    );

    let state = sandbox.state().await;
    assert_eq!(state.crm_customers.len(), 2);
    let c = &state.crm_customers[0];
    assert_eq!(c.customer_id, id);
    assert_eq!(c.customer_type, 0);
    assert_eq!(c.request_id, "req-1");
    assert_eq!(c.name.as_deref(), Some("王小二"));
    assert_eq!(
        c.tag_id_list,
        Some(vec!["爱吃辣".to_owned(), "t2".to_owned()])
    );
    assert_eq!(c.birthday.as_deref(), Some("2010-01-01 00:00:00"));
    assert_eq!(c.remark.as_deref(), Some("a/b"));
    assert_eq!(state.applied_to(CRM), 2);
    assert_eq!(state.replays_of(CRM), 1);
    assert_eq!(state.calls_to(CRM), 8);
    sandbox.shutdown().await;
}
