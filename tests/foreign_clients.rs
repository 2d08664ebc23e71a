//! Real clients written in other languages call the sandbox over HTTP, laid out as the official
//! Python and Node SDKs lay out their requests; the sandbox accepts them and applies the change.
//! `python3` and `node` are part of the project's machine.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

use top_sandbox::{DEMO_APP_KEY, DEMO_APP_SECRET, Sandbox};

fn run(program: &str, script: &str, url: &str) -> serde_json::Value {
    let script = format!("{}/tests/clients/{script}", env!("CARGO_MANIFEST_DIR"));
    let out = Command::new(program)
        .args([script.as_str(), url, DEMO_APP_KEY, DEMO_APP_SECRET])
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{program} {script}: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(stdout.trim()).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn python_sdk_layout_query_split_and_epoch_ms() {
    let sandbox = Sandbox::builder().start().await.unwrap();
    let answer = run("python3", "python_sdk_layout.py", &sandbox.url());
    assert_eq!(
        answer["alibaba_alsc_crm_customer_create_response"]["result"]["biz_success"], true,
        "{answer}"
    );
    let state = sandbox.state().await;
    assert_eq!(state.crm_customers.len(), 1);
    assert_eq!(state.crm_customers[0].outer_id, "13411111111");
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn node_client_everything_in_the_body() {
    let sandbox = Sandbox::builder().start().await.unwrap();
    let answer = run("node", "node_client.mjs", &sandbox.url());
    assert_eq!(
        answer["logistics_express_user_blacklist_tms_sync_response"]["user_blacklist_response"]["success"],
        true,
        "{answer}"
    );
    let state = sandbox.state().await;
    assert_eq!(state.blacklist["10000000001"][0].mobile, "13111111111");
    assert_eq!(state.blacklist["10000000001"][0].reasons, [1, 2]);
    sandbox.shutdown().await;
}
