//! The `top-sandbox` binary serves a client from another process.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use common::*;

#[tokio::test]
async fn binary_prints_its_url_and_serves() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_top-sandbox"))
        .args(["--listen", "127.0.0.1:0", "--seed", "1"])
        .env_remove("TOP_SANDBOX_APPS")
        .env_remove("TOP_SANDBOX_STATE")
        .env_remove("TOP_SANDBOX_LISTEN")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        line
    })
    .await
    .unwrap();
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_owned();
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
