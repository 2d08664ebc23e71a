//! A row of an API without an idempotency key (`taobao.retail.user.tag.mobile.add`) is sent
//! at most once per run, whatever the faults: only top-core's retry layer decides what is sent
//! again, and it never resends what may have been applied. `top sync retry --unknown` then
//! sends each unknown row exactly once. The sandbox's own call counts are the witness.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;

const TAG: &str = "taobao.retail.user.tag.mobile.add";

#[test]
fn tag_rows_are_sent_once_per_run_under_faults() {
    let rows = 500_u64;
    let sandbox = TestSandbox::start(|b| b.fault_rate(0.3).seed(3));
    let home = tempfile::tempdir().unwrap();
    let mut csv = String::from("biz_code,alipay_user_id\n");
    for i in 0..rows {
        csv.push_str(&format!("B,2088{i:012}\n"));
    }
    std::fs::write(home.path().join("tags.csv"), csv).unwrap();
    let journal = home.path().join("tags.journal");
    let args = |extra: &[&str]| {
        let mut args: Vec<String> = extra.iter().map(|s| (*s).to_owned()).collect();
        args.extend(
            ["--qps", "2000", "--concurrency", "8", "--output", "json"]
                .iter()
                .map(|s| (*s).to_owned()),
        );
        args
    };

    let (code, out, err) = run(top(home.path(), &sandbox.url).args(args(&[
        "tag",
        "import",
        "tags.csv",
        "--journal",
        journal.to_str().unwrap(),
    ])));
    assert_eq!(code, 1, "some rows end unknown: {out}{err}");
    let summary = json(&out);
    let count = |name: &str| summary[name].as_u64().unwrap();
    let (done, unknown, failed) = (count("done"), count("unknown"), count("failed"));
    assert_eq!(done + unknown + failed, rows, "{summary}");
    assert_eq!(
        failed, 0,
        "no fault proves a tag was not applied: {summary}"
    );

    let state = sandbox.state();
    assert_eq!(state.calls_to(TAG), rows, "exactly one call per row");
    // Every injected fault (isp timeout, 502, answer dropped after the commit) leaves its
    // row unknown; only the dropped answers were applied.
    let (isp, bad_gateway, dropped) = faults_among(3, 0.3, rows);
    assert_eq!(unknown, isp + bad_gateway + dropped, "{summary}");
    assert_eq!(state.tags.len() as u64, done + dropped);

    // Retry the unknown rows: each is sent exactly once more.
    let (_, out, err) = run(top(home.path(), &sandbox.url).args(args(&[
        "sync",
        "retry",
        journal.to_str().unwrap(),
        "--unknown",
    ])));
    let retried = json(&out);
    let state = sandbox.state();
    assert_eq!(
        state.calls_to(TAG),
        rows + unknown,
        "one call per unknown row: {retried}{err}"
    );
    let again = |name: &str| retried[name].as_u64().unwrap();
    assert_eq!(again("done") + again("unknown") + again("failed"), rows);
    assert!(again("done") > done, "{retried}");
}
