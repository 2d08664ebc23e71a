//! `top sync retry` of blacklist batches the gateway refused for good: the batch was larger
//! than the gateway accepts, so every row failed; a retry with smaller batches sends them again
//! under new request ids and finishes the job.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;

#[test]
fn refused_batches_are_rebatched_by_retry() {
    let sandbox = TestSandbox::start(|b| b.max_blacklist_entries(50));
    let home = tempfile::tempdir().unwrap();
    let (input, valid, invalid) = blacklist_file_with(home.path(), "big-batches.csv", 300, 1000);
    assert!(invalid.is_empty());
    let journal = home.path().join("big.journal");
    let sync = |extra: &[&str]| {
        let mut args = vec![
            "blacklist",
            "sync",
            input.to_str().unwrap(),
            "--supplier-id",
            "SUP-R",
        ];
        args.extend_from_slice(extra);
        args.extend_from_slice(&[
            "--journal",
            journal.to_str().unwrap(),
            "--qps",
            "1000",
            "--output",
            "json",
        ]);
        run(top(home.path(), &sandbox.url).args(&args))
    };

    // Batches of 100 against a gateway that takes at most 50 entries: refused, not retried.
    let (code, out, err) = sync(&["--batch-size", "100"]);
    assert_eq!(code, 1, "{out}{err}");
    let summary = json(&out);
    assert_eq!(
        (summary["done"].as_u64(), summary["failed"].as_u64()),
        (Some(0), Some(300)),
        "{summary}"
    );
    let state = sandbox.state();
    assert_eq!(
        state.calls_to(BLACKLIST),
        3,
        "three batches, each refused once (isv.* is never retried)"
    );
    assert_eq!(state.applied_to(BLACKLIST), 0);
    let db = journal_db(&journal);
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM rows WHERE state = 'failed' AND code = '50'"
        ),
        300
    );
    let refused: Vec<String> = {
        let mut stmt = db
            .prepare("SELECT request_id FROM batches ORDER BY request_id")
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    drop(db);

    // Retry with batches the gateway accepts: new batches, new request ids, every row done.
    let (code, out, err) = run(top(home.path(), &sandbox.url).args([
        "sync",
        "retry",
        journal.to_str().unwrap(),
        "--batch-size",
        "50",
        "--qps",
        "1000",
        "--output",
        "json",
    ]));
    assert_eq!(code, 0, "{out}{err}");
    let summary = json(&out);
    assert_eq!(
        (summary["done"].as_u64(), summary["failed"].as_u64()),
        (Some(300), Some(0)),
        "{summary}"
    );
    let state = sandbox.state();
    assert_eq!(blacklist_of(&state, "SUP-R"), valid);
    assert_eq!(
        state.applied_to(BLACKLIST),
        6,
        "six batches of 50, each applied once"
    );
    let db = journal_db(&journal);
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM rows WHERE state = 'done'"),
        300
    );
    for id in &refused {
        let reused = count(
            &db,
            &format!("SELECT COUNT(*) FROM rows WHERE request_id = '{id}'"),
        );
        assert_eq!(reused, 0, "a refused batch's request id {id} is not reused");
    }

    // Nothing is left to send.
    let (code, out, _) = sync(&["--batch-size", "50"]);
    assert_eq!(code, 0);
    assert_eq!(json(&out)["done"].as_u64(), Some(300));
    assert_eq!(sandbox.state().applied_to(BLACKLIST), 6);
}
