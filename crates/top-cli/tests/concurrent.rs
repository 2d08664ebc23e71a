//! Two runs on one journal would send the same rows: while one runs, another is refused with
//! exit 3 (nothing done, try again later), and the first finishes as if alone.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Stdio;
use std::time::Duration;

use common::*;

#[test]
fn a_second_run_on_a_busy_journal_is_refused() {
    let sandbox = TestSandbox::start(|b| b.latency(Duration::from_millis(100)));
    let home = tempfile::tempdir().unwrap();
    let (input, valid, _) = blacklist_file_with(home.path(), "busy.csv", 1_000, 10_000);
    let journal = home.path().join("busy.journal");
    let args = [
        "blacklist",
        "sync",
        input.to_str().unwrap(),
        "--supplier-id",
        "SUP-BUSY",
        "--journal",
        journal.to_str().unwrap(),
        "--batch-size",
        "100",
        "--concurrency",
        "1",
        "--qps",
        "4",
        "--output",
        "json",
    ];
    let first = top(home.path(), &sandbox.url)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_until(Duration::from_secs(20), || {
        sandbox.state().calls_to(BLACKLIST) > 0
    });

    let (code, out, err) = run(top(home.path(), &sandbox.url).args(args));
    assert_eq!(code, 3, "{out}{err}");
    assert!(
        format!("{out}{err}").contains("another run is using the journal"),
        "{out}{err}"
    );

    let finished = first.wait_with_output().unwrap();
    let out = String::from_utf8_lossy(&finished.stdout);
    assert_eq!(finished.status.code(), Some(0), "{out}");
    assert_eq!(json(&out)["done"].as_u64(), Some(1_000));
    let state = sandbox.state();
    assert_eq!(blacklist_of(&state, "SUP-BUSY"), valid);
    assert_eq!(
        state.applied_to(BLACKLIST),
        10,
        "ten batches, each applied once"
    );
    assert_eq!(
        state.calls_to(BLACKLIST),
        10,
        "the refused run sent nothing"
    );
}
