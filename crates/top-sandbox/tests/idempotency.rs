//! The idempotency window over real HTTP: replays inside it, fresh requests after count
//! eviction and age expiry, the window across a restart with a state file, and its settings.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use common::*;
use serde_json::json;
use top_core::Clock;
use top_core::time::format_gmt8;
use top_sandbox::{DEFAULT_IDEMPOTENCY_MAX_ENTRIES, DEFAULT_IDEMPOTENCY_WINDOW, Sandbox};

/// A clock the test moves (ages are measured on the sandbox clock).
#[derive(Debug)]
struct ManualClock(Mutex<DateTime<Utc>>);

impl ManualClock {
    fn start() -> Arc<Self> {
        Arc::new(ManualClock(Mutex::new(Utc::now())))
    }

    fn advance(&self, by: TimeDelta) {
        *self.0.lock().unwrap() += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap()
    }
}

/// Blacklist sync `request_id` upserting one mobile of supplier `s`, stamped with the clock's
/// time (the sandbox refuses timestamps 10 minutes away from its clock).
fn sync(clock: &ManualClock, request_id: &str, mobile: &str) -> Call {
    blacklist_call(request_id, "s", 1, &[(mobile, Some("1"))])
        .param("timestamp", format_gmt8(clock.now()))
}

fn delete(clock: &ManualClock, request_id: &str, mobile: &str) -> Call {
    blacklist_call(request_id, "s", 2, &[(mobile, None)])
        .param("timestamp", format_gmt8(clock.now()))
}

fn mobiles(state: &top_sandbox::StateSnapshot) -> Vec<String> {
    state
        .blacklist_of("s")
        .iter()
        .map(|e| e.mobile.clone())
        .collect()
}

#[tokio::test]
async fn a_replay_inside_the_window_applies_nothing() {
    let sandbox = start().await;
    let clock = ManualClock::start();
    sync(&clock, "r1", "13111111111").ok(&sandbox).await;
    delete(&clock, "r2", "13111111111").ok(&sandbox).await;
    let before = sandbox.state().await;
    assert_eq!(before.idempotency_records, 2);
    let again = sync(&clock, "r1", "13111111111").ok(&sandbox).await;
    assert_eq!(again["user_blacklist_response"]["success"], json!(true));
    let after = sandbox.state().await;
    assert!(mobiles(&after).is_empty(), "the replay re-added nothing");
    assert_eq!(after.replays_of(BLACKLIST), 1);
    assert_eq!(after.applied_to(BLACKLIST), 2);
    assert_eq!(after.idempotency_records, 2);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn past_the_count_the_oldest_id_applies_again() {
    let clock = ManualClock::start();
    let sandbox = Sandbox::builder()
        .clock(clock.clone())
        .idempotency_max_entries(2)
        .start()
        .await
        .unwrap();
    sync(&clock, "r1", "13111111111").ok(&sandbox).await;
    delete(&clock, "r2", "13111111111").ok(&sandbox).await;
    // r2 and r1 are the two remembered; a resend of r1 replays.
    sync(&clock, "r1", "13111111111").ok(&sandbox).await;
    assert!(mobiles(&sandbox.state().await).is_empty());
    // r3 pushes r1, the oldest, out.
    sync(&clock, "r3", "13122222222").ok(&sandbox).await;
    let state = sandbox.state().await;
    assert_eq!(state.idempotency_records, 2);
    assert_eq!(state.replays_of(BLACKLIST), 1);
    // r1 is fresh again: applied, not replayed...
    sync(&clock, "r1", "13111111111").ok(&sandbox).await;
    let state = sandbox.state().await;
    assert_eq!(mobiles(&state), ["13111111111", "13122222222"]);
    assert_eq!(state.applied_to(BLACKLIST), 4);
    assert_eq!(state.replays_of(BLACKLIST), 1);
    // ...which pushed r2 out: a different payload under r2 is no longer refused...
    sync(&clock, "r2", "13133333333").ok(&sandbox).await;
    // ...while r1, still inside, refuses one.
    let e = sync(&clock, "r1", "13144444444").err(&sandbox).await;
    assert_eq!(e.code, 50);
    assert!(
        e.sub_msg
            .unwrap()
            .contains("request_id reused with a different payload")
    );
    assert_eq!(sandbox.state().await.applied_to(BLACKLIST), 5);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn past_the_age_an_id_applies_again() {
    let clock = ManualClock::start();
    let sandbox = Sandbox::builder()
        .clock(clock.clone())
        .idempotency_window(Duration::from_secs(1))
        .start()
        .await
        .unwrap();
    sync(&clock, "r1", "13111111111").ok(&sandbox).await;
    delete(&clock, "r2", "13111111111").ok(&sandbox).await;
    clock.advance(TimeDelta::milliseconds(999));
    sync(&clock, "r1", "13111111111").ok(&sandbox).await;
    let state = sandbox.state().await;
    assert!(mobiles(&state).is_empty(), "replayed inside the second");
    assert_eq!(state.replays_of(BLACKLIST), 1);
    clock.advance(TimeDelta::milliseconds(1));
    assert_eq!(sandbox.state().await.idempotency_records, 0);
    sync(&clock, "r1", "13111111111").ok(&sandbox).await;
    let state = sandbox.state().await;
    assert_eq!(mobiles(&state), ["13111111111"], "applied again");
    assert_eq!(state.applied_to(BLACKLIST), 3);
    assert_eq!(state.replays_of(BLACKLIST), 1);
    assert_eq!(state.idempotency_records, 1);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn the_default_window_is_24_hours() {
    assert_eq!(DEFAULT_IDEMPOTENCY_WINDOW, Duration::from_secs(24 * 3600));
    assert_eq!(DEFAULT_IDEMPOTENCY_MAX_ENTRIES, 200_000);
    let clock = ManualClock::start();
    let sandbox = Sandbox::builder()
        .clock(clock.clone())
        .start()
        .await
        .unwrap();
    sync(&clock, "r1", "13111111111").ok(&sandbox).await;
    delete(&clock, "r2", "13111111111").ok(&sandbox).await;
    clock.advance(TimeDelta::hours(24) - TimeDelta::seconds(1));
    sync(&clock, "r1", "13111111111").ok(&sandbox).await;
    assert!(mobiles(&sandbox.state().await).is_empty());
    clock.advance(TimeDelta::seconds(1));
    sync(&clock, "r1", "13111111111").ok(&sandbox).await;
    let state = sandbox.state().await;
    assert_eq!(mobiles(&state), ["13111111111"]);
    assert_eq!(state.replays_of(BLACKLIST), 1);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_customer_create_outside_the_window_meets_the_existing_customer() {
    let clock = ManualClock::start();
    let sandbox = Sandbox::builder()
        .clock(clock.clone())
        .idempotency_max_entries(1)
        .start()
        .await
        .unwrap();
    let create = |request_id: &str, outer_id: &str| {
        Call::new(CRM)
            .param(
                "param_customer_create_open_req",
                crm_param(request_id, outer_id),
            )
            .param("timestamp", format_gmt8(clock.now()))
    };
    let first = create("c1", "13411111111").ok(&sandbox).await;
    assert_eq!(
        create("c1", "13411111111").ok(&sandbox).await["result"],
        first["result"]
    );
    create("c2", "13422222222").ok(&sandbox).await;
    // c1 was forgotten: the resend is a fresh create of a customer that exists.
    let again = create("c1", "13411111111").ok(&sandbox).await;
    assert_eq!(again["result"]["biz_success"], json!(false));
    assert_eq!(
        again["result"]["result_code"],
        json!("CUSTOMER_ALREADY_EXISTS")
    );
    assert_eq!(again["result"]["result"], first["result"]["result"]);
    let state = sandbox.state().await;
    assert_eq!(state.crm_customers.len(), 2);
    assert_eq!(state.replays_of(CRM), 1);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_restart_with_a_state_file_keeps_the_window() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sandbox.db");
    let clock = ManualClock::start();
    let open = || {
        Sandbox::builder()
            .state_file(&path)
            .clock(clock.clone())
            .idempotency_window(Duration::from_secs(60))
            .idempotency_max_entries(3)
    };
    let sandbox = open().start().await.unwrap();
    sync(&clock, "old", "13111111111").ok(&sandbox).await;
    clock.advance(TimeDelta::seconds(30));
    sync(&clock, "new", "13122222222").ok(&sandbox).await;
    delete(&clock, "del", "13111111111").ok(&sandbox).await;
    delete(&clock, "del2", "13122222222").ok(&sandbox).await;
    // Four ids, three kept: "old" was evicted, from the file too.
    assert_eq!(sandbox.state().await.idempotency_records, 3);
    sandbox.shutdown().await;

    // 45 s after "old", 15 s after the others: "new" still replays, "old" applies again.
    clock.advance(TimeDelta::seconds(15));
    let sandbox = open().start().await.unwrap();
    assert_eq!(sandbox.state().await.idempotency_records, 3);
    sync(&clock, "new", "13122222222").ok(&sandbox).await;
    sync(&clock, "old", "13111111111").ok(&sandbox).await;
    let state = sandbox.state().await;
    assert_eq!(mobiles(&state), ["13111111111"]);
    assert_eq!(state.replays_of(BLACKLIST), 1);
    sandbox.shutdown().await;

    // 90 s after "new" (made at +30 s): past the minute, not loaded; "old" was remembered
    // again at +45 s, so it is 75 s old too.
    clock.advance(TimeDelta::seconds(75));
    let sandbox = open().start().await.unwrap();
    assert_eq!(sandbox.state().await.idempotency_records, 0);
    sync(&clock, "new", "13122222222").ok(&sandbox).await;
    let state = sandbox.state().await;
    assert_eq!(mobiles(&state), ["13111111111", "13122222222"]);
    assert_eq!(state.replays_of(BLACKLIST), 1);
    sandbox.shutdown().await;

    // A narrower window at restart applies to what is loaded: "new" is 1 ms old.
    clock.advance(TimeDelta::milliseconds(1));
    let sandbox = open()
        .idempotency_window(Duration::from_millis(1))
        .start()
        .await
        .unwrap();
    assert_eq!(sandbox.state().await.idempotency_records, 0);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn zero_entries_or_zero_age_are_refused() {
    let e = Sandbox::builder()
        .idempotency_max_entries(0)
        .start()
        .await
        .unwrap_err();
    assert!(e.to_string().contains("idempotency_max_entries"), "{e}");
    assert!(e.to_string().contains("at least 1"), "{e}");
    for window in [Duration::ZERO, Duration::from_micros(999)] {
        let e = Sandbox::builder()
            .idempotency_window(window)
            .start()
            .await
            .unwrap_err();
        assert!(e.to_string().contains("idempotency_window"), "{e}");
    }
    // One millisecond and one entry are allowed.
    Sandbox::builder()
        .idempotency_window(Duration::from_millis(1))
        .idempotency_max_entries(1)
        .start()
        .await
        .unwrap()
        .shutdown()
        .await;
}
