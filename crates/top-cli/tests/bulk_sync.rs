//! Bulk sync through the real binary against an in-process sandbox: faults, invalid rows,
//! interrupts, kill -9 and resume, code-7 bans, a changed input, the journal's mode.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::process::Stdio;
use std::time::Duration;

use common::*;

#[test]
fn ten_thousand_rows_with_faults_end_exactly_as_the_valid_rows() {
    let sandbox = TestSandbox::start(|b| b.fault_rate(0.2));
    let home = tempfile::tempdir().unwrap();
    let (input, valid, invalid) = blacklist_file(home.path(), 10_000);
    let failures = home.path().join("failures.csv");
    let (code, out, err) = run(top(home.path(), &sandbox.url).args([
        "blacklist",
        "sync",
        input.to_str().unwrap(),
        "--supplier-id",
        "SUP-10K",
        "--qps",
        "5000",
        "--concurrency",
        "8",
        "--failures",
        failures.to_str().unwrap(),
        "--output",
        "json",
    ]));
    assert_eq!(code, 1, "invalid rows make exit 1: {out}{err}");
    let summary = json(&out);
    assert_eq!(summary["total"], 10_000);
    assert_eq!(summary["done"], 9_900);
    assert_eq!(summary["invalid"], 100);
    assert_eq!(
        (summary["failed"].as_u64(), summary["unknown"].as_u64()),
        (Some(0), Some(0))
    );
    assert!(summary["peak_rss_kib"].as_u64().is_some());

    let state = sandbox.state();
    assert_eq!(blacklist_of(&state, "SUP-10K"), valid);
    assert!(state.calls_to(BLACKLIST) > 99, "faults forced resends");
    assert_eq!(
        state.applied_to(BLACKLIST),
        99,
        "99 batches of 100, each applied once"
    );

    let listed: Vec<u64> = std::fs::read_to_string(&failures)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(listed, invalid);
    let text = std::fs::read_to_string(&failures).unwrap();
    assert!(!text.contains(&mobile(199)), "mobiles masked: {text}");
    assert!(text.contains("131****0199"), "{text}");

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let journal = home.path().join("blacklist.csv.journal");
        let mode = std::fs::metadata(&journal).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the journal holds real numbers");
    }

    // Nothing left: a second run sends nothing.
    let before = sandbox.state().calls_to(BLACKLIST);
    let (code, out, _) = run(top(home.path(), &sandbox.url).args([
        "blacklist",
        "sync",
        input.to_str().unwrap(),
        "--supplier-id",
        "SUP-10K",
        "--output",
        "json",
    ]));
    assert_eq!(code, 1);
    assert_eq!(json(&out)["calls"], 0);
    assert_eq!(sandbox.state().calls_to(BLACKLIST), before);
}

#[test]
fn interrupted_then_killed_runs_resume_without_applying_anything_twice() {
    let sandbox = TestSandbox::start(|b| b.fault_rate(0.2).latency(Duration::from_millis(20)));
    let home = tempfile::tempdir().unwrap();
    let (input, valid, _) = blacklist_file(home.path(), 3_000);
    let args = |qps: &str| {
        vec![
            "blacklist".to_owned(),
            "sync".into(),
            input.to_str().unwrap().into(),
            "--supplier-id".into(),
            "SUP-K".into(),
            "--batch-size".into(),
            "10".into(),
            "--concurrency".into(),
            "4".into(),
            "--qps".into(),
            qps.into(),
            "--output".into(),
            "json".into(),
        ]
    };
    let calls = || sandbox.state().calls_to(BLACKLIST);

    // Ctrl-C (SIGINT): stops dispatching, finishes the calls in flight, exits 3.
    let child = top(home.path(), &sandbox.url)
        .args(args("40"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    wait_until(Duration::from_secs(30), || calls() >= 20);
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    let out = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(3), "{out}");
    let summary = json(&out);
    assert_eq!(summary["stopped"]["reason"], "interrupted");
    assert!(summary["pending"].as_u64().unwrap() > 0);

    // kill -9 mid-way.
    let mut child = top(home.path(), &sandbox.url)
        .args(args("40"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = calls();
    wait_until(Duration::from_secs(30), || calls() >= start + 40);
    child.kill().unwrap();
    child.wait().unwrap();

    // Resume to the end.
    let (code, out, err) = run(top(home.path(), &sandbox.url).args(args("5000")));
    assert_eq!(code, 1, "30 invalid rows: {out}{err}");
    let summary = json(&out);
    assert_eq!(
        (summary["done"].as_u64(), summary["invalid"].as_u64()),
        (Some(2_970), Some(30))
    );

    let state = sandbox.state();
    assert_eq!(blacklist_of(&state, "SUP-K"), valid);
    let (code, out, _) = run(top(home.path(), &sandbox.url).args([
        "sync",
        "status",
        home.path().join("blacklist.csv.journal").to_str().unwrap(),
        "--output",
        "json",
    ]));
    assert_eq!(code, 0);
    let status = json(&out);
    let batches = status["batches"]["done"].as_u64().unwrap();
    assert_eq!(status["batches"]["in_flight"], 0);
    assert_eq!(
        state.applied_to(BLACKLIST),
        batches,
        "every batch applied exactly once"
    );
    assert!(
        state.calls_to(BLACKLIST) >= state.applied_to(BLACKLIST) + state.replays_of(BLACKLIST),
        "{:?}",
        state.calls
    );
}

#[test]
fn code_7_bans_are_honoured_by_every_worker() {
    let sandbox = TestSandbox::start(|b| b.qps_limit(20));
    let home = tempfile::tempdir().unwrap();
    let (input, valid, _) = blacklist_file(home.path(), 600);
    let (code, out, err) = run(top(home.path(), &sandbox.url).args([
        "blacklist",
        "sync",
        input.to_str().unwrap(),
        "--supplier-id",
        "SUP-B",
        "--batch-size",
        "10",
        "--qps",
        "200",
        "--output",
        "json",
    ]));
    assert_eq!(code, 1, "6 invalid rows: {out}{err}");
    let summary = json(&out);
    assert_eq!(
        (summary["done"].as_u64(), summary["failed"].as_u64()),
        (Some(594), Some(0))
    );
    assert!(summary["bans"].as_u64().unwrap() > 0, "{summary}");
    assert_eq!(blacklist_of(&sandbox.state(), "SUP-B"), valid);
}

#[test]
fn a_changed_input_is_refused_and_dry_run_sends_nothing() {
    let sandbox = TestSandbox::start(|b| b);
    let home = tempfile::tempdir().unwrap();
    let (input, _, invalid) = blacklist_file(home.path(), 300);
    let path = input.to_str().unwrap();

    let failures = home.path().join("dry.csv");
    let (code, out, _) = run(top(home.path(), &sandbox.url).args([
        "blacklist",
        "sync",
        path,
        "--supplier-id",
        "S",
        "--dry-run",
        "--failures",
        failures.to_str().unwrap(),
        "--output",
        "json",
    ]));
    assert_eq!(code, 1);
    assert_eq!(json(&out)["invalid"], 3);
    assert_eq!(
        std::fs::read_to_string(&failures).unwrap().lines().count(),
        invalid.len() + 1
    );
    assert!(!home.path().join("blacklist.csv.journal").exists());
    assert_eq!(sandbox.state().calls_to(BLACKLIST), 0);

    let (code, _, err) = run(top(home.path(), &sandbox.url).args([
        "blacklist",
        "sync",
        path,
        "--supplier-id",
        "S",
        "--qps",
        "1000",
    ]));
    assert_eq!(code, 1, "{err}");
    std::fs::write(&input, "mobile\n13100000001\n").unwrap();
    let (code, _, err) =
        run(top(home.path(), &sandbox.url).args(["blacklist", "sync", path, "--supplier-id", "S"]));
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("changed since the journal"), "{err}");

    // A header the job does not know is refused before anything is sent.
    std::fs::write(home.path().join("bad.csv"), "mobil,reason\n13100000001,1\n").unwrap();
    let (code, _, err) = run(top(home.path(), &sandbox.url).args([
        "blacklist",
        "sync",
        "bad.csv",
        "--supplier-id",
        "S",
    ]));
    assert_eq!(code, 2);
    assert!(err.contains("unknown column `mobil`"), "{err}");
}

#[test]
fn tag_and_crm_imports_read_jsonl_and_report_unknowns() {
    let sandbox = TestSandbox::start(|b| b);
    let home = tempfile::tempdir().unwrap();
    let mut tags = String::new();
    for i in 0..20 {
        tags.push_str(&format!(
            "{{\"biz_code\":\"B\",\"alipay_user_id\":\"2088{i:012}\"}}\n"
        ));
    }
    tags.push_str("{\"biz_code\":\"B\",\"mobile\":\"13100000001\"}\n");
    std::fs::write(home.path().join("tags.jsonl"), tags).unwrap();
    let (code, out, err) = run(top(home.path(), &sandbox.url).args([
        "tag",
        "import",
        "tags.jsonl",
        "--qps",
        "1000",
        "--output",
        "json",
    ]));
    assert_eq!(code, 1, "{out}{err}");
    let s = json(&out);
    assert_eq!(
        (s["done"].as_u64(), s["invalid"].as_u64()),
        (Some(20), Some(1))
    );
    assert_eq!(sandbox.state().tags.len(), 20);

    let mut crm =
        String::from("outer_type,outer_id,channel,customer_type,gender,birthday,tag_id_list\n");
    for i in 0..30 {
        crm.push_str(&format!(
            "mobile,{},2,{},1,1990-02-03 08:00:00,\"a,b\"\n",
            mobile(i),
            i % 2
        ));
    }
    std::fs::write(home.path().join("crm.csv"), crm).unwrap();
    let (code, out, err) = run(top(home.path(), &sandbox.url).args([
        "crm", "import", "crm.csv", "--qps", "1000", "--output", "json",
    ]));
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(json(&out)["done"], 30);
    assert_eq!(sandbox.state().crm_customers.len(), 30);
}
