//! Control endpoints, reset, and SQLite persistence across a restart.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use serde_json::{Value, json};
use top_core::Mobile;
use top_sandbox::{Account, Sandbox, SandboxHandle, StateSnapshot};

async fn http_state(sandbox: &SandboxHandle) -> StateSnapshot {
    let text = client()
        .get(format!("http://{}/sandbox/state", sandbox.addr()))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    serde_json::from_str(&text).unwrap()
}

/// One call of each API, a replay and a failure.
async fn exercise(sandbox: &SandboxHandle) {
    blacklist_call("b1", "s1", 1, &[("13111111111", Some("1,2"))])
        .ok(sandbox)
        .await;
    blacklist_call("b1", "s1", 1, &[("13111111111", Some("1,2"))])
        .ok(sandbox)
        .await;
    Call::new(TAG)
        .param("alipay_user_id", "2088000000000001")
        .ok(sandbox)
        .await;
    let code = sandbox
        .issue_auth_code(&Mobile::new("13812341234"), 1)
        .await
        .unwrap();
    Call::new(DAMAI)
        .param("param0", damai_param("13812341234", &code, "abc123", 1))
        .ok(sandbox)
        .await;
    Call::new(CRM)
        .param(
            "param_customer_create_open_req",
            crm_param("c1", "13411111111"),
        )
        .ok(sandbox)
        .await;
    Call::new(BLACKLIST).err(sandbox).await;
}

#[tokio::test]
async fn state_endpoint_matches_the_handle_and_reset_clears() {
    let sandbox = start().await;
    exercise(&sandbox).await;
    let state = sandbox.state().await;
    assert_eq!(http_state(&sandbox).await, state);
    assert_eq!(state.blacklist_of("s1").len(), 1);
    assert_eq!(state.tags.len(), 1);
    assert_eq!(state.damai_members.len(), 1);
    assert_eq!(state.crm_customers.len(), 1);
    assert_eq!(state.calls_to(BLACKLIST), 3);
    assert_eq!(state.applied_to(BLACKLIST), 1);
    assert_eq!(state.replays_of(BLACKLIST), 1);
    // The documented JSON shape.
    let raw: Value = serde_json::to_value(&state).unwrap();
    for key in [
        "blacklist",
        "tags",
        "damai_members",
        "crm_customers",
        "calls",
        "applied",
        "replays",
    ] {
        assert!(raw.get(key).is_some(), "{key}");
    }
    assert_eq!(
        raw["damai_members"][0],
        json!({"user_phone": "13812341234", "user_id": "100000001", "user_name": "麦子1234"})
    );

    let (status, answer) = post_json(
        &format!("http://{}/sandbox/reset", sandbox.addr()),
        &Value::Null,
    )
    .await;
    assert_eq!((status, answer), (200, json!({"reset": true})));
    assert_eq!(sandbox.state().await, StateSnapshot::default());
    // Idempotency records went too: the same request_id applies again.
    blacklist_call("b1", "s1", 1, &[("13111111111", Some("1,2"))])
        .ok(&sandbox)
        .await;
    assert_eq!(sandbox.state().await.applied_to(BLACKLIST), 1);
    sandbox.reset().await;
    assert_eq!(sandbox.state().await, StateSnapshot::default());
    sandbox.shutdown().await;
}

#[tokio::test]
async fn control_requests_are_checked() {
    let sandbox = start().await;
    let base = format!("http://{}", sandbox.addr());
    for body in [
        json!({"user_phone": "123", "code_type": 1}),
        json!({"user_phone": "13812341234", "code_type": 9}),
        json!({"code_type": 1}),
    ] {
        let (status, answer) = post_json(&format!("{base}/sandbox/auth-codes"), &body).await;
        assert_eq!(status, 400, "{body}");
        assert!(answer["error"].is_string());
    }
    let (status, answer) = post_json(
        &format!("{base}/sandbox/auth-codes"),
        &json!({"user_phone": "13812341234", "code_type": "2"}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(answer["auth_code"].as_str().unwrap().len(), 6);
    for body in [
        json!({}),
        json!({"isv_user_id": "a", "open_id": "b"}),
        json!({"isv_user_id": "  "}),
        json!([1]),
    ] {
        let (status, _) = post_json(&format!("{base}/sandbox/accounts"), &body).await;
        assert_eq!(status, 400, "{body}");
    }
    let (status, answer) = post_json(
        &format!("{base}/sandbox/accounts"),
        &json!({"open_id": "o1", "nick": "tb_nick_9"}),
    )
    .await;
    assert_eq!(
        (status, answer),
        (200, json!({"open_id": "o1", "nick": "tb_nick_9"}))
    );
    let c = Call::new(TAG).param("open_id", "o1").ok(&sandbox).await;
    assert_eq!(c["module"]["social_nick"], json!("t*********9"));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn sqlite_state_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sandbox.db");
    let sandbox = Sandbox::builder().state_file(&path).start().await.unwrap();
    exercise(&sandbox).await;
    sandbox
        .register_account(Account::IsvUserId("u-1".into()))
        .await;
    let pending = sandbox
        .issue_auth_code(&Mobile::new("13900001111"), 1)
        .await
        .unwrap();
    let before = sandbox.state().await;
    sandbox.shutdown().await;

    let sandbox = Sandbox::builder().state_file(&path).start().await.unwrap();
    assert_eq!(sandbox.state().await, before);
    // Idempotency records survived: a resend is a replay.
    blacklist_call("b1", "s1", 1, &[("13111111111", Some("1,2"))])
        .ok(&sandbox)
        .await;
    let e = blacklist_call("b1", "s1", 2, &[("13111111111", None)])
        .err(&sandbox)
        .await;
    assert_eq!(e.code, 50);
    // So did the registered account and the pending SMS code.
    let c = Call::new(TAG)
        .param("isv_user_id", "u-1")
        .ok(&sandbox)
        .await;
    assert_eq!(c["result"], json!(true));
    let c = Call::new(DAMAI)
        .param("param0", damai_param("13900001111", &pending, "abc123", 1))
        .ok(&sandbox)
        .await;
    assert_eq!(c["result"]["success"], json!(true), "{c}");
    // New ids continue after the loaded ones.
    let c = Call::new(CRM)
        .param(
            "param_customer_create_open_req",
            crm_param("c2", "13422222222"),
        )
        .ok(&sandbox)
        .await;
    assert_eq!(c["result"]["result"], json!("20190000000000000002"));
    let after = sandbox.state().await;
    assert_eq!(after.replays_of(BLACKLIST), 2);
    assert_eq!(after.damai_members.len(), 2);
    sandbox.reset().await;
    sandbox.shutdown().await;

    let sandbox = Sandbox::builder().state_file(&path).start().await.unwrap();
    assert_eq!(sandbox.state().await, StateSnapshot::default());
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_broken_state_file_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("junk.db");
    std::fs::write(
        &path,
        b"this is not a database, just some text that is long enough",
    )
    .unwrap();
    let err = Sandbox::builder()
        .state_file(&path)
        .start()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("junk.db"), "{err}");
}
