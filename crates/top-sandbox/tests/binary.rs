//! The `top-sandbox` binary serves a client from another process.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Command;

use common::*;

/// Sends `call` to `url`; returns the answer's text.
async fn send(url: &str, call: &Call) -> String {
    let (status, body) = post_form(url, call.signed().to_form()).await;
    assert_eq!(status, 200, "{body}");
    body
}

#[tokio::test]
async fn binary_prints_its_url_and_serves() {
    let (mut child, url) = spawn_binary(&["--seed", "1"]).await;
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert!(url.ends_with("/router/rest"), "{url}");
    let call = Call::new(TAG).param("alipay_user_id", "2088000000000001");
    let (status, body) = post_form(&url, call.signed().to_form()).await;
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(status, 200);
    assert!(body.contains("\"result\":true"), "{body}");
}

#[test]
fn binary_refuses_bad_flags() {
    let out = Command::new(env!("CARGO_BIN_EXE_top-sandbox"))
        .args(["--fault-rate", "3"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let out = Command::new(env!("CARGO_BIN_EXE_top-sandbox"))
        .args(["--listen", "127.0.0.1:0"])
        .env("TOP_SANDBOX_APPS", "missing-secret")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("TOP_SANDBOX_APPS"));
}

#[tokio::test]
async fn binary_keeps_the_idempotency_window_in_its_state_file() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("sandbox.db");
    let state = state.to_str().unwrap();
    let flags = ["--state", state, "--idempotency-max-entries", "1"];
    let other_payload = |id: &str| blacklist_call(id, "s", 1, &[("13122222222", None)]);
    let (mut child, url) = spawn_binary(&flags).await;
    send(
        &url,
        &blacklist_call("r1", "s", 1, &[("13111111111", None)]),
    )
    .await;
    send(
        &url,
        &blacklist_call("r2", "s", 1, &[("13111111111", None)]),
    )
    .await;
    child.kill().unwrap();
    child.wait().unwrap();

    let (mut child, url) = spawn_binary(&flags).await;
    // r2, the one remembered, survived the restart and refuses another payload...
    let body = send(&url, &other_payload("r2")).await;
    assert_eq!(api_error(&body).code, 50, "{body}");
    // ...r1 was evicted by the count: the same id with another payload is a fresh request.
    let body = send(&url, &other_payload("r1")).await;
    assert!(body.contains(r#""success":true"#), "{body}");
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn binary_refuses_a_zero_idempotency_window_or_count() {
    for flag in ["--idempotency-window-secs", "--idempotency-max-entries"] {
        let out = Command::new(env!("CARGO_BIN_EXE_top-sandbox"))
            .args(["--listen", "127.0.0.1:0", flag, "0"])
            .output()
            .unwrap();
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(flag), "{stderr}");
        assert!(stderr.contains("must be at least 1"), "{stderr}");
    }
}

#[tokio::test]
async fn binary_banner_shows_the_page_and_its_log_lines_hold_no_secret() {
    const SECRET: &str = "very-secret-app-9";
    const SESSION: &str = "session-value-must-not-show";
    const PASSWORD: &str = "Pa55word-must-not-show";
    let dir = tempfile::tempdir().unwrap();
    let log_path = dir.path().join("stderr.log");
    let (mut child, url) = spawn_binary_with(&[], |command| {
        command
            .env("TOP_SANDBOX_APPS", format!("30000003:{SECRET}"))
            .env("RUST_LOG", "top_sandbox=trace")
            .stderr(std::fs::File::create(&log_path).unwrap());
    })
    .await;
    let base = url.strip_suffix("/router/rest").unwrap().to_owned();

    let app = |call: Call| call.param("app_key", "30000003").secret(SECRET);
    send(
        &url,
        &app(Call::new(TAG).param("alipay_user_id", "2088000000000001")).param("session", SESSION),
    )
    .await;
    let refused = send(
        &url,
        &app(Call::new(TAG).param("alipay_user_id", "2088000000000001"))
            .param("session", SESSION)
            .secret("wrong"),
    )
    .await;
    assert!(refused.contains("sandbox_hint"), "{refused}");
    let (_, code) = post_json(
        &format!("{base}/sandbox/auth-codes"),
        &serde_json::json!({"user_phone": "13812341234", "code_type": 1}),
    )
    .await;
    let code = code["auth_code"].as_str().unwrap().to_owned();
    let param0 = damai_param("13812341234", &code, PASSWORD, 1);
    send(&url, &app(Call::new(DAMAI).param("param0", param0.clone()))).await;
    send(
        &url,
        &app(Call::new(DAMAI).param("param0", param0)).secret("wrong"),
    )
    .await;
    let calls = reqwest::get(format!("{base}/sandbox/calls"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    child.kill().unwrap();
    child.wait().unwrap();

    let log = std::fs::read_to_string(&log_path).unwrap();
    assert!(
        log.contains(&format!("{base}/sandbox/")),
        "the banner gives the page's address: {log}"
    );
    assert!(
        log.contains("hint="),
        "refusals are logged with their explanation: {log}"
    );
    for secret in [
        SECRET,
        top_sandbox::DEMO_APP_SECRET,
        SESSION,
        PASSWORD,
        code.as_str(),
        top_sandbox::DEMO_PTNR_TOKEN,
        "13812341234",
    ] {
        assert!(!log.contains(secret), "`{secret}` in a log line: {log}");
        assert!(
            !calls.contains(secret),
            "`{secret}` in the call log: {calls}"
        );
    }
}
