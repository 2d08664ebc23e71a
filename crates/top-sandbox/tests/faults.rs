//! Seeded fault injection, the QPS limit and latency, as a client sees them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::{Duration, Instant};

use common::*;
use top_sandbox::Sandbox;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Seen {
    Ok,
    Timeout15,
    Http502,
    BrokenBody,
}

async fn run(seed: u64, calls: usize) -> (Vec<Seen>, top_sandbox::StateSnapshot) {
    let sandbox = Sandbox::builder()
        .fault_rate(0.5)
        .seed(seed)
        .start()
        .await
        .unwrap();
    // A client that asks for gzip (as reqwest and the Java SDK do by default).
    let gzip_client = reqwest::Client::new();
    let mut seen = Vec::new();
    for i in 0..calls {
        let mobile = format!("131{:08}", i);
        let form = blacklist_call(&format!("f-{i}"), "s", 1, &[(&mobile, Some("1"))])
            .signed()
            .to_form();
        let response = gzip_client
            .post(sandbox.url())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let outcome = match (status, response.text().await) {
            (502, _) => Seen::Http502,
            (200, Err(_)) => Seen::BrokenBody,
            (200, Ok(body)) if body.contains("error_response") => {
                let e = api_error(&body);
                assert_eq!(e.code, 15);
                assert_eq!(
                    e.sub_code.as_deref(),
                    Some("isp.top-remote-connection-timeout")
                );
                Seen::Timeout15
            }
            (200, Ok(body)) => {
                assert!(body.contains("\"success\":true"), "{body}");
                Seen::Ok
            }
            other => panic!("unexpected {other:?}"),
        };
        seen.push(outcome);
    }
    let state = sandbox.state().await;
    sandbox.shutdown().await;
    (seen, state)
}

#[tokio::test]
async fn faults_are_seeded_and_of_every_kind() {
    let (first, state) = run(42, 40).await;
    let (second, _) = run(42, 40).await;
    assert_eq!(first, second, "same seed, same faults");
    for kind in [Seen::Ok, Seen::Timeout15, Seen::Http502, Seen::BrokenBody] {
        assert!(first.contains(&kind), "{kind:?} never seen in {first:?}");
    }
    // Timeouts and 502s applied nothing; a broken body was applied and committed.
    let applied = first
        .iter()
        .filter(|s| matches!(s, Seen::Ok | Seen::BrokenBody))
        .count() as u64;
    assert_eq!(state.applied_to(BLACKLIST), applied);
    assert_eq!(state.blacklist_of("s").len() as u64, applied);
    assert_eq!(state.calls_to(BLACKLIST), 40);
    let (other, _) = run(7, 40).await;
    assert_ne!(first, other, "another seed, other faults");
}

#[tokio::test]
async fn a_resend_after_a_dropped_connection_is_a_replay() {
    let sandbox = Sandbox::builder()
        .fault_rate(0.5)
        .seed(9)
        .start()
        .await
        .unwrap();
    let send = |call: &Call| {
        let form = call.signed().to_form();
        let url = sandbox.url();
        async move {
            let response = client()
                .post(url)
                .header("content-type", "application/x-www-form-urlencoded")
                .body(form)
                .send()
                .await
                .unwrap();
            (response.status().as_u16(), response.text().await.ok())
        }
    };
    // Call until one connection drops after its change was committed.
    let mut dropped = None;
    for i in 0..60 {
        let call = blacklist_call(&format!("d-{i}"), "s", 1, &[("13111111111", None)]);
        if let (200, None) = send(&call).await {
            dropped = Some(call);
            break;
        }
    }
    let call = dropped.expect("a dropped connection within 60 calls");
    let applied = sandbox.state().await.applied_to(BLACKLIST);
    // Resend the same request (fresh timestamp and signature) until it gets through.
    let mut answered = false;
    for _ in 0..60 {
        let again = call
            .clone()
            .param("timestamp", top_core::time::format_gmt8(chrono::Utc::now()));
        if let (200, Some(body)) = send(&again).await
            && body.contains("\"success\":true")
        {
            answered = true;
            break;
        }
    }
    assert!(answered);
    let state = sandbox.state().await;
    assert!(state.replays_of(BLACKLIST) >= 1);
    assert_eq!(
        state.applied_to(BLACKLIST),
        applied,
        "nothing applied twice"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn qps_limit_answers_code_7_with_the_ban() {
    let sandbox = Sandbox::builder().qps_limit(1).start().await.unwrap();
    let tag = || Call::new(TAG).param("alipay_user_id", "2088000000000001");
    // All at once: on a busy machine, calls in sequence may each land in a second of their
    // own. One call a second passes, so even spread over two seconds most are refused.
    let sends: Vec<_> = (0..8).map(|_| tag()).collect();
    let answers = futures::future::join_all(sends.iter().map(|call| call.send(&sandbox))).await;
    let limited: Vec<String> = answers
        .into_iter()
        .map(|(_, body)| body)
        .filter(|body| body.contains("error_response"))
        .collect();
    assert!(limited.len() >= 4, "{limited:?}");
    let body = &limited[0];
    let e = api_error(body);
    assert_eq!(e.code, 7);
    assert_eq!(e.msg, "App Call Limited");
    assert_eq!(
        e.sub_code.as_deref(),
        Some("accesscontrol.limited-by-app-access-count")
    );
    assert_eq!(
        e.sub_msg.as_deref(),
        Some("This ban will last for 1 more seconds")
    );
    // top-core reads it as a rate limit with the ban.
    match top_core::envelope::decode_content(TAG, body.as_bytes()) {
        Err(top_core::Error::RateLimited { retry_after, .. }) => {
            assert_eq!(retry_after, Duration::from_secs(1));
        }
        other => panic!("{other:?}"),
    }
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let c = tag().ok(&sandbox).await;
    assert_eq!(c["result"], serde_json::json!(true));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn latency_delays_every_answer() {
    let sandbox = Sandbox::builder()
        .latency(Duration::from_millis(150))
        .start()
        .await
        .unwrap();
    let started = Instant::now();
    Call::new(TAG)
        .param("alipay_user_id", "2088000000000001")
        .ok(&sandbox)
        .await;
    assert!(started.elapsed() >= Duration::from_millis(150));
    sandbox.shutdown().await;
}
