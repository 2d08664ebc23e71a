//! The call log over real HTTP: `GET /sandbox/calls` (newest first, `?method=`, `?limit=`),
//! bounded, cleared by `POST /sandbox/reset`, secrets hidden and mobiles masked.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{BLACKLIST, CRM, Call, DAMAI, TAG};
use serde_json::Value;
use top_core::Mobile;
use top_sandbox::{CallOutcome, DEMO_APP_SECRET, Sandbox, SandboxHandle};

const SESSION: &str = "session-value-must-not-show";
const PASSWORD: &str = "Pa55word-must-not-show";

async fn get(url: &str) -> (u16, Value) {
    let response = common::client().get(url).send().await.unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn base(sandbox: &SandboxHandle) -> String {
    format!("http://{}", sandbox.addr())
}

async fn calls(sandbox: &SandboxHandle, query: &str) -> Vec<Value> {
    let (status, answer) = get(&format!("{}/sandbox/calls{query}", base(sandbox))).await;
    assert_eq!(status, 200, "{answer}");
    answer["calls"].as_array().cloned().unwrap_or_default()
}

fn request_id(body: &str) -> String {
    let answer: Value = serde_json::from_str(body).unwrap();
    answer.get("error_response").unwrap_or(&answer)["request_id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn every_call_is_logged_newest_first_with_its_outcome() {
    let sandbox = common::start().await;
    let (_, ok) = Call::new(TAG)
        .param("alipay_user_id", "2088000000000001")
        .param("session", SESSION)
        .send(&sandbox)
        .await;
    let (_, bad) = Call::new(TAG)
        .param("alipay_user_id", "2088000000000001")
        .secret("wrong")
        .send(&sandbox)
        .await;
    let logged = calls(&sandbox, "").await;
    assert_eq!(logged.len(), 2);
    let (newest, oldest) = (&logged[0], &logged[1]);
    assert_eq!(newest["seq"], 2);
    assert_eq!(newest["method"], TAG);
    assert_eq!(newest["app_key"], "10000001");
    assert_eq!(newest["outcome"], "error");
    assert_eq!(newest["code"], 25);
    assert_eq!(newest["msg"], "Invalid Signature");
    assert_eq!(newest["http_status"], 200);
    assert_eq!(newest["request_id"], request_id(&bad).as_str());
    let answered: Value = serde_json::from_str(&bad).unwrap();
    assert_eq!(
        newest["sandbox_hint"], answered["error_response"]["sandbox_hint"],
        "the log holds the answer's explanation"
    );
    assert!(newest["latency_ms"].as_f64().unwrap() >= 0.0);
    let time = newest["time"].as_str().unwrap();
    assert!(time.ends_with("+08:00") && time.len() == 29, "{time}");
    assert_eq!(oldest["outcome"], "success");
    assert_eq!(oldest["code"], Value::Null);
    assert_eq!(oldest["request_id"], request_id(&ok).as_str());
    assert_eq!(oldest["params"]["session"], "***");
    assert_eq!(oldest["params"]["sign"], "***");
    assert_eq!(oldest["params"]["alipay_user_id"], "2088000000000001");
    assert_eq!(oldest["params"]["timestamp"].as_str().unwrap().len(), 19);

    let typed = sandbox.calls(10).await;
    assert_eq!(typed.len(), 2);
    assert_eq!(typed[0].outcome, CallOutcome::Error);
    assert_eq!(typed[0].code, Some(25));
    assert_eq!(typed[1].outcome, CallOutcome::Success);
}

#[tokio::test]
async fn secrets_are_hidden_and_mobiles_masked() {
    let sandbox = common::start().await;
    let phone = "13812341234";
    let code = sandbox
        .issue_auth_code(&Mobile::new(phone), 1)
        .await
        .unwrap();
    let (_, answer) = Call::new(DAMAI)
        .param("param0", common::damai_param(phone, &code, PASSWORD, 1))
        .send(&sandbox)
        .await;
    assert!(answer.contains(r#""success":true"#), "{answer}");
    let (_, answer) = common::blacklist_call("r-1", "SUP-1", 1, &[("13111111111", Some("1,2"))])
        .send(&sandbox)
        .await;
    assert!(answer.contains(r#""success":true"#), "{answer}");
    let text = reqwest::get(format!("{}/sandbox/calls", base(&sandbox)))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for secret in [
        DEMO_APP_SECRET,
        PASSWORD,
        code.as_str(),
        top_sandbox::DEMO_PTNR_TOKEN,
        top_sandbox::DEMO_TENANT_TOKEN,
        top_sandbox::DEMO_CHANNEL_TOKEN,
        phone,
        "13111111111",
    ] {
        assert!(!text.contains(secret), "`{secret}` in the log: {text}");
    }
    let logged = calls(&sandbox, "").await;
    let blacklist = logged[0]["params"]["user_blacklist_request"]
        .as_str()
        .unwrap();
    assert!(
        blacklist.contains(r#"{"mobile":"131****1111","reason":"1,2"}"#),
        "the JSON text as sent, the mobile masked: {blacklist}"
    );
    let param0: Value =
        serde_json::from_str(logged[1]["params"]["param0"].as_str().unwrap()).unwrap();
    assert_eq!(param0["user_login_password"], "***");
    assert_eq!(param0["auth_code"], "***");
    assert_eq!(param0["ptnr_token"], "***");
    assert_eq!(param0["user_phone"], "138****1234");
    assert_eq!(param0["code_type"], 1);
}

#[tokio::test]
async fn business_failures_and_faults_are_told_apart() {
    let sandbox = common::start().await;
    for _ in 0..2 {
        Call::new(CRM)
            .param(
                "param_customer_create_open_req",
                common::crm_param("c-1", "13411111111"),
            )
            .send(&sandbox)
            .await;
    }
    // A second create of the same customer under another request_id: CUSTOMER_ALREADY_EXISTS.
    Call::new(CRM)
        .param(
            "param_customer_create_open_req",
            common::crm_param("c-2", "13411111111"),
        )
        .send(&sandbox)
        .await;
    let logged = calls(&sandbox, "").await;
    assert_eq!(logged[0]["outcome"], "business_failure", "{}", logged[0]);
    assert_eq!(logged[0]["business_code"], "CUSTOMER_ALREADY_EXISTS");
    assert_eq!(logged[1]["outcome"], "success", "a replay is a success");
    assert_eq!(logged[2]["outcome"], "success");

    let faulty = Sandbox::builder()
        .fault_rate(1.0)
        .seed(7)
        .start()
        .await
        .unwrap();
    for i in 0..6 {
        let _ = common::client()
            .post(faulty.url())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(
                Call::new(TAG)
                    .param("alipay_user_id", format!("208800000000000{i}"))
                    .signed()
                    .to_form(),
            )
            .send()
            .await
            .map(|r| r.bytes());
    }
    let logged = faulty.calls(10).await;
    assert_eq!(logged.len(), 6);
    for call in &logged {
        match call.outcome {
            CallOutcome::Error => assert_eq!(call.code, Some(15)),
            CallOutcome::Fault => assert!(call.fault.is_some(), "{call:?}"),
            other => panic!("{other:?}: {call:?}"),
        }
    }
    assert!(
        logged.iter().any(|c| c.http_status == 502) || logged.iter().any(|c| c.fault.is_some())
    );
}

#[tokio::test]
async fn method_and_limit_select_and_reset_clears() {
    let sandbox = common::start().await;
    Call::new(TAG)
        .param("alipay_user_id", "2088000000000001")
        .send(&sandbox)
        .await;
    common::blacklist_call("r-1", "SUP-1", 1, &[("13111111111", None)])
        .send(&sandbox)
        .await;
    Call::new(TAG)
        .param("alipay_user_id", "2088000000000002")
        .send(&sandbox)
        .await;
    assert_eq!(calls(&sandbox, "").await.len(), 3);
    let tags = calls(&sandbox, &format!("?method={TAG}")).await;
    assert_eq!(tags.len(), 2);
    assert!(tags.iter().all(|c| c["method"] == TAG));
    let one = calls(&sandbox, &format!("?method={BLACKLIST}&limit=5")).await;
    assert_eq!(one.len(), 1);
    let newest = calls(&sandbox, "?limit=1").await;
    assert_eq!((newest.len(), newest[0]["seq"].as_u64()), (1, Some(3)));
    let (status, answer) = get(&format!("{}/sandbox/calls?limit=many", base(&sandbox))).await;
    assert_eq!(status, 400, "{answer}");
    let (_, summary) = get(&format!("{}/sandbox/calls", base(&sandbox))).await;
    assert_eq!(summary["recorded"], 3);
    assert_eq!(summary["capacity"], 500);

    let (status, _) =
        common::post_json(&format!("{}/sandbox/reset", base(&sandbox)), &Value::Null).await;
    assert_eq!(status, 200);
    assert!(calls(&sandbox, "").await.is_empty());
    Call::new(TAG)
        .param("alipay_user_id", "2088000000000001")
        .send(&sandbox)
        .await;
    assert_eq!(
        calls(&sandbox, "").await[0]["seq"],
        4,
        "numbers are never reused"
    );
}

#[tokio::test]
async fn the_log_is_a_bounded_ring() {
    let sandbox = Sandbox::builder()
        .call_log_capacity(3)
        .start()
        .await
        .unwrap();
    for i in 0..5 {
        Call::new(TAG)
            .param("alipay_user_id", format!("208800000000000{i}"))
            .send(&sandbox)
            .await;
    }
    let logged = calls(&sandbox, "?limit=100").await;
    let seqs: Vec<u64> = logged.iter().filter_map(|c| c["seq"].as_u64()).collect();
    assert_eq!(seqs, vec![5, 4, 3]);

    let silent = Sandbox::builder()
        .call_log_capacity(0)
        .start()
        .await
        .unwrap();
    Call::new(TAG)
        .param("alipay_user_id", "2088000000000001")
        .send(&silent)
        .await;
    assert!(calls(&silent, "").await.is_empty());
}

#[tokio::test]
async fn calls_refused_before_the_method_is_known_are_logged_too() {
    let sandbox = common::start().await;
    let (_, body) = common::post_form(&sandbox.url(), "a=%zz".to_owned()).await;
    assert!(body.contains("<code>41</code>"), "{body}");
    let response = common::client().put(sandbox.url()).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let logged = calls(&sandbox, "").await;
    assert_eq!(logged.len(), 2);
    assert_eq!(logged[0]["code"], 9);
    assert_eq!(logged[1]["code"], 41);
    assert_eq!(logged[1]["method"], Value::Null);
    assert!(
        logged[1]["sandbox_hint"]
            .as_str()
            .unwrap()
            .contains("form encoder")
    );
}
