//! The sync engine against the in-process sandbox over real HTTP, with real SQLite
//! journals in temporary directories.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use common::*;
use top_sync::{
    BlacklistTarget, JobSpec, Operate, RowState, RunOptions, StopReason, SyncError, SyncJob,
};

fn fast(qps: u32) -> RunOptions {
    RunOptions {
        concurrency: 8,
        qps,
        batch_size: 50,
        retry_base: Duration::from_millis(20),
        ..RunOptions::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn blacklist_sync_with_faults_applies_every_valid_row_once() {
    let sandbox = sandbox(0.2, 0).await;
    let dir = tempfile::tempdir().unwrap();
    let (text, expected, invalid) = blacklist_csv(3_000, 100);
    let input = write(dir.path(), "list.csv", &text);
    let spec = JobSpec::blacklist(&input, BlacklistTarget::new("SUP-1", Operate::Add));
    let job = SyncJob::open(&spec).unwrap();
    job.ingest().unwrap();
    let report = job.run(&client(&sandbox), &fast(2_000)).await.unwrap();

    let s = report.summary;
    assert_eq!(report.stopped, None);
    assert_eq!(
        (s.total, s.invalid, s.failed, s.unknown),
        (3_000, 30, 0, 0),
        "{s:?}"
    );
    assert_eq!(s.done, 2_970);
    assert_eq!(blacklist_state(&sandbox, "SUP-1").await, expected);

    let batches = job.journal().batch_counts().unwrap();
    let state = sandbox.state().await;
    assert_eq!(
        state.applied_to(BLACKLIST),
        batches.done,
        "each batch applied once"
    );
    assert!(
        state.calls_to(BLACKLIST) > batches.done,
        "faults forced resends"
    );

    let mut lines = Vec::new();
    job.journal()
        .for_each_problem(|p| {
            assert_eq!(p.state, RowState::Invalid);
            assert!(
                p.label.as_deref().unwrap_or("").contains("****")
                    || p.failure.sub_code.as_deref() == Some("reason")
            );
            lines.push(p.line);
            Ok(())
        })
        .unwrap();
    assert_eq!(lines, invalid);

    let failures = dir.path().join("failures.csv");
    assert_eq!(job.write_failures(&failures, false).unwrap(), 30);
    let text = std::fs::read_to_string(&failures).unwrap();
    assert!(
        text.starts_with("line,state,code,sub_code,message,mobile\n"),
        "{text}"
    );
    assert!(!text.contains(&mobile(199)), "mobiles are masked: {text}");
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_run_resumes_and_a_batch_in_flight_is_replayed_not_reapplied() {
    let sandbox = sandbox(0.0, 0).await;
    let dir = tempfile::tempdir().unwrap();
    let (text, expected, _) = blacklist_csv(1_000, 0);
    let input = write(dir.path(), "list.csv", &text);
    let spec = JobSpec::blacklist(&input, BlacklistTarget::new("SUP-2", Operate::Add));
    let client = client(&sandbox);

    // First run: stopped after a few calls.
    let job = SyncJob::open(&spec).unwrap();
    job.ingest().unwrap();
    let stop = job.stop_signal();
    let progress = job.progress();
    tokio::spawn(async move {
        while progress.snapshot().calls < 5 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        stop.stop();
    });
    let first = job.run(&client, &fast(50)).await.unwrap();
    assert_eq!(first.stopped, Some(StopReason::Interrupted));
    assert!(
        first.summary.done < 1_000 && first.summary.done > 0,
        "{:?}",
        first.summary
    );
    drop(job);

    // Simulate a crash after a batch was applied but before it was journaled done.
    let journal = rusqlite::Connection::open(spec.journal_path()).unwrap();
    let changed = journal
        .execute(
            "UPDATE batches SET state = 'in_flight' WHERE id = (SELECT MIN(id) FROM batches)",
            [],
        )
        .unwrap();
    assert_eq!(changed, 1);
    journal
        .execute(
            "UPDATE rows SET state = 'in_flight' WHERE batch_id = (SELECT MIN(id) FROM batches)",
            [],
        )
        .unwrap();
    drop(journal);

    let job = SyncJob::open(&spec).unwrap();
    job.ingest().unwrap();
    let second = job.run(&client, &fast(2_000)).await.unwrap();
    assert_eq!(second.stopped, None);
    assert_eq!(second.summary.done, 1_000);
    assert_eq!(blacklist_state(&sandbox, "SUP-2").await, expected);
    let state = sandbox.state().await;
    let batches = job.journal().batch_counts().unwrap();
    assert_eq!(state.applied_to(BLACKLIST), batches.done);
    assert_eq!(
        state.replays_of(BLACKLIST),
        1,
        "the resent batch was replayed"
    );
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_changed_input_or_another_target_is_refused_and_the_journal_is_private() {
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "list.csv", "mobile\n13100000001\n");
    let spec = JobSpec::blacklist(&input, BlacklistTarget::new("SUP-3", Operate::Add));
    let job = SyncJob::open(&spec).unwrap();
    job.ingest().unwrap();
    drop(job);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(spec.journal_path())
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let other = JobSpec::blacklist(&input, BlacklistTarget::new("SUP-3", Operate::Remove));
    assert!(matches!(
        SyncJob::open(&other),
        Err(SyncError::JobMismatch { .. })
    ));
    assert!(matches!(
        SyncJob::open(&JobSpec::tag(&input).journal(spec.journal_path())),
        Err(SyncError::JobMismatch { .. })
    ));

    write(dir.path(), "list.csv", "mobile\n13100000002\n");
    let err = SyncJob::open(&spec).unwrap_err();
    assert!(matches!(err, SyncError::InputChanged { .. }), "{err}");
    assert!(
        err.to_string().contains("changed since the journal"),
        "{err}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn crm_import_with_faults_creates_each_customer_once() {
    let sandbox = sandbox(0.2, 0).await;
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from(
        "outer_type,outer_id,channel,customer_type,name,gender,birthday,tag_id_list,mobile\n",
    );
    for i in 0..300 {
        if i == 100 {
            text.push_str("mobile,X,2,7,bad type,0,,,\n");
            continue;
        }
        text.push_str(&format!(
            "mobile,{},2,{},Name {i},{},1990-01-0{} ,\"t1,t2\",{}\n",
            mobile(i),
            i % 2,
            i % 2,
            1 + i % 9,
            mobile(i)
        ));
    }
    let input = write(dir.path(), "customers.csv", &text);
    let job = SyncJob::open(&JobSpec::crm(&input)).unwrap();
    job.ingest().unwrap();
    let report = job.run(&client(&sandbox), &fast(2_000)).await.unwrap();
    let s = report.summary;
    assert_eq!(
        (s.total, s.done, s.invalid, s.failed, s.unknown),
        (300, 299, 1, 0, 0),
        "{s:?}"
    );
    let state = sandbox.state().await;
    assert_eq!(state.crm_customers.len(), 299);
    assert_eq!(state.applied_to(CRM), 299);
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tag_rows_in_flight_after_a_crash_become_unknown_and_retry_unknown_resends_them() {
    let sandbox = sandbox(0.0, 0).await;
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("biz_code,alipay_user_id\n");
    for i in 0..50 {
        text.push_str(&format!("BIZ,2088{i:012}\n"));
    }
    let input = write(dir.path(), "tags.csv", &text);
    let spec = JobSpec::tag(&input);
    let job = SyncJob::open(&spec).unwrap();
    job.ingest().unwrap();
    drop(job);
    // A crash after claiming two rows.
    let journal = rusqlite::Connection::open(spec.journal_path()).unwrap();
    journal
        .execute(
            "UPDATE rows SET state = 'in_flight' WHERE line IN (2, 3)",
            [],
        )
        .unwrap();
    drop(journal);

    let job = SyncJob::open(&spec).unwrap();
    let report = job.run(&client(&sandbox), &fast(2_000)).await.unwrap();
    assert_eq!((report.summary.done, report.summary.unknown), (48, 2));
    assert_eq!(sandbox.state().await.tags.len(), 48);

    assert_eq!(job.retry(false).unwrap(), 0, "unknown rows need --unknown");
    assert_eq!(job.retry(true).unwrap(), 2);
    let report = job.run(&client(&sandbox), &fast(2_000)).await.unwrap();
    assert_eq!((report.summary.done, report.summary.unknown), (50, 0));
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn short_bans_pause_every_worker_and_a_long_ban_stops_the_job() {
    let sandbox = sandbox(0.0, 20).await;
    let dir = tempfile::tempdir().unwrap();
    let (text, expected, _) = blacklist_csv(400, 0);
    let input = write(dir.path(), "list.csv", &text);
    let spec = JobSpec::blacklist(&input, BlacklistTarget::new("SUP-4", Operate::Add));
    let options = RunOptions {
        batch_size: 5,
        ..fast(100)
    };

    // Waiting no ban at all: the first ban stops the run, resumable.
    let job = SyncJob::open(&spec).unwrap();
    job.ingest().unwrap();
    let stopped = job
        .run(
            &client(&sandbox),
            &RunOptions {
                max_ban_wait: Duration::ZERO,
                ..options.clone()
            },
        )
        .await
        .unwrap();
    assert!(
        matches!(stopped.stopped, Some(StopReason::RateLimited { ban_seconds, .. }) if ban_seconds >= 1),
        "{:?}",
        stopped.stopped
    );
    assert!(stopped.summary.unfinished());
    drop(job);

    // Honouring short bans: everything goes through.
    let job = SyncJob::open(&spec).unwrap();
    let progress = job.progress();
    let report = job.run(&client(&sandbox), &options).await.unwrap();
    assert_eq!(report.stopped, None);
    assert_eq!(report.summary.done, 400);
    assert!(
        progress.snapshot().bans > 0,
        "the sandbox banned at 20 calls/s"
    );
    assert_eq!(blacklist_state(&sandbox, "SUP-4").await, expected);
    let state = sandbox.state().await;
    assert_eq!(
        state.applied_to(BLACKLIST),
        job.journal().batch_counts().unwrap().done
    );
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicate_mobiles_in_a_batch_are_merged_last_line_wins() {
    let sandbox = sandbox(0.0, 0).await;
    let dir = tempfile::tempdir().unwrap();
    let text = "mobile,reason\n13100000001,1\n13100000002,2\n13100000001,\"3,4\"\n13100000003,\n";
    let input = write(dir.path(), "dups.csv", text);
    let spec = JobSpec::blacklist(&input, BlacklistTarget::new("SUP-D", Operate::Add));
    let job = SyncJob::open(&spec).unwrap();
    job.ingest().unwrap();
    let report = job.run(&client(&sandbox), &fast(100)).await.unwrap();
    assert_eq!((report.summary.done, report.summary.failed), (4, 0));
    let state = blacklist_state(&sandbox, "SUP-D").await;
    assert_eq!(state.get("13100000001"), Some(&vec![3, 4]));
    assert_eq!(state.len(), 3);
    assert_eq!(report.calls, 1);
    sandbox.shutdown().await;
}
