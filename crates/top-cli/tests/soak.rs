//! Kill-and-resume soak: the real `top` binary syncs a large file against a sandbox that
//! fails 20 % of the calls; the process is killed with SIGKILL at random moments (seeded),
//! resumed with the same command each time, and finally left to finish. At the end nothing
//! is lost (every valid row done, the sandbox holds exactly the valid rows), nothing is
//! applied twice (the sandbox's counters add up exactly with the faults it drew), and the
//! journal is consistent.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use common::*;

/// Kills per job: the first `EARLY_KILLS` moments after the journal holds its first rows
/// (reading the input), the others at a random moment after the run's first call
/// reached the sandbox (calls in flight, resends in backoff).
const KILLS: usize = 6;
const EARLY_KILLS: usize = 2;
const FAULT_RATE: f64 = 0.2;

/// What one killed run did.
#[derive(Debug)]
struct Killed {
    /// Milliseconds between the chosen moment's start and the kill.
    delay_ms: u64,
    /// Whether the run had made a call when it was killed.
    called: bool,
    /// Rows in the journal after the kill (none when it did not exist yet).
    rows: u64,
    /// Whether the journal had the whole input after the kill.
    input_read: bool,
    /// Rows left in flight (claimed, or in a batch whose request id is fixed): the next
    /// run resends them with the same request id.
    in_flight: u64,
}

/// The kills in short: delay (ms), whether a call was made, rows journaled, rows in flight.
fn describe(killed: &[Killed]) -> String {
    killed
        .iter()
        .map(|k| {
            format!(
                "{} ms{}: {} rows{}, {} in flight",
                k.delay_ms,
                if k.called { " after a call" } else { "" },
                k.rows,
                if k.input_read { "" } else { " (reading)" },
                k.in_flight
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Runs `top args` `KILLS` times, each killed with SIGKILL after a random delay of
/// 50-400 ms (from its start, or from its first call for the later kills).
/// Rows in the journal now (0 while it does not exist or has no tables yet).
fn journal_rows(journal: &Path) -> u64 {
    rusqlite::Connection::open_with_flags(journal, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .and_then(|db| db.query_row("SELECT COUNT(*) FROM rows", [], |r| r.get::<_, i64>(0)))
        .map_or(0, |n| n as u64)
}

fn kill_repeatedly(
    sandbox: &TestSandbox,
    home: &Path,
    args: &[String],
    journal: &Path,
    method: &str,
    rng: &mut fastrand::Rng,
) -> Vec<Killed> {
    let calls = || sandbox.state().calls_to(method);
    let mut killed = Vec::new();
    for i in 0..KILLS {
        let before = calls();
        let log_path = home.join(format!("run-{i}.log"));
        let log = std::fs::File::create(&log_path).unwrap();
        let mut child = top(home, &sandbox.url)
            .args(args)
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap();
        let log = || std::fs::read_to_string(&log_path).unwrap_or_default();
        if i >= EARLY_KILLS {
            let started = Instant::now();
            while calls() == before {
                if let Some(status) = child.try_wait().unwrap() {
                    panic!("run {i} ended ({status}) before its first call: {}", log());
                }
                assert!(
                    started.elapsed() < Duration::from_secs(30),
                    "run {i} sends nothing"
                );
                std::thread::sleep(Duration::from_millis(25));
            }
        }
        // Early kills wait until the journal holds rows, so that they land while the input is
        // read whatever the machine's load; later ones wait for the first call.
        let delay_ms = if i < EARLY_KILLS {
            let started = Instant::now();
            while journal_rows(journal) == 0 {
                if let Some(status) = child.try_wait().unwrap() {
                    panic!(
                        "run {i} ended ({status}) before it journaled a row: {}",
                        log()
                    );
                }
                assert!(
                    started.elapsed() < Duration::from_secs(30),
                    "run {i} journals nothing"
                );
                std::thread::sleep(Duration::from_millis(5));
            }
            rng.u64(0..=30)
        } else {
            rng.u64(50..=400)
        };
        std::thread::sleep(Duration::from_millis(delay_ms));
        if let Some(status) = child.try_wait().unwrap() {
            panic!(
                "run {i} finished ({status}) before its kill at {delay_ms} ms: make the job longer. {}",
                log()
            );
        }
        child.kill().unwrap();
        let status = child.wait().unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::process::ExitStatusExt;
            assert_eq!(status.signal(), Some(9), "run {i} died of SIGKILL");
        }
        #[cfg(not(unix))]
        assert!(!status.success());
        // Read-only: the journal stays as the kill left it (WAL not checkpointed). A kill
        // may also have left it without tables (killed while creating it): zeros then.
        let observe = || -> rusqlite::Result<(u64, bool, u64)> {
            let db = rusqlite::Connection::open_with_flags(
                journal,
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
            )?;
            let number = |sql: &str| db.query_row(sql, [], |r| r.get::<_, i64>(0));
            Ok((
                number("SELECT COUNT(*) FROM rows")? as u64,
                number("SELECT ingest_complete FROM job")? == 1,
                number("SELECT COUNT(*) FROM rows WHERE state = 'in_flight'")? as u64,
            ))
        };
        let (rows, input_read, in_flight) = observe().unwrap_or((0, false, 0));
        killed.push(Killed {
            delay_ms,
            called: calls() > before,
            rows,
            input_read,
            in_flight,
        });
    }
    killed
}

fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| (*s).to_owned()).collect()
}

/// The sandbox's counters for `method` add up exactly: every call it served was applied,
/// replayed, or met a fault that applied nothing (code 15, HTTP 502); none was refused
/// (a request id reused with another payload, a customer created twice). Every connection
/// dropped after a commit was followed by a replay of the same request id, and every
/// other replay answers a send whose answer a kill cut off (at most `in_flight` per kill).
fn assert_counters_add_up(
    state: &top_sandbox::StateSnapshot,
    method: &str,
    seed: u64,
    kills: usize,
    in_flight: usize,
) -> (u64, u64, u64) {
    let calls = state.calls_to(method);
    let applied = state.applied_to(method);
    let replays = state.replays_of(method);
    let (timeouts, bad_gateways, dropped) = faults_among(seed, FAULT_RATE, calls);
    assert_eq!(
        calls,
        applied + replays + timeouts + bad_gateways,
        "calls {calls} = applied {applied} + replays {replays} + code-15 faults {timeouts} + 502 faults {bad_gateways}"
    );
    assert!(
        timeouts > 0 && bad_gateways > 0 && dropped > 0,
        "every kind of fault was met: {timeouts} {bad_gateways} {dropped}"
    );
    assert!(
        dropped <= replays,
        "each of the {dropped} answers dropped after a commit was replayed ({replays} replays)"
    );
    assert!(
        replays <= dropped + (kills * in_flight) as u64,
        "{replays} replays: {dropped} dropped answers and at most {in_flight} cut off by each of {kills} kills"
    );
    (calls, applied, replays)
}

#[test]
fn blacklist_sync_of_50_000_rows_survives_kill_9_and_applies_each_batch_once() {
    const SEED: u64 = 0x50AC_0001;
    const ROWS: usize = 50_000;
    const CONCURRENCY: usize = 8;
    let started = Instant::now();
    let sandbox = TestSandbox::start(|b| b.fault_rate(FAULT_RATE).seed(SEED));
    let home = tempfile::tempdir().unwrap();
    // 0.5 % invalid: every 200th row.
    let (input, valid, invalid) = blacklist_file_with(home.path(), "soak.csv", ROWS, 200);
    let journal = home.path().join("soak.journal");
    let failures = home.path().join("failures.csv");
    let args = strings(&[
        "blacklist",
        "sync",
        input.to_str().unwrap(),
        "--supplier-id",
        "SUP-SOAK",
        "--qps",
        "100000",
        "--concurrency",
        "8",
        "--journal",
        journal.to_str().unwrap(),
        "--failures",
        failures.to_str().unwrap(),
        "--output",
        "json",
    ]);

    let mut rng = fastrand::Rng::with_seed(SEED);
    let killed = kill_repeatedly(&sandbox, home.path(), &args, &journal, BLACKLIST, &mut rng);
    assert!(
        killed
            .iter()
            .any(|k| !k.called && k.rows > 0 && !k.input_read),
        "a kill landed while the input was read into the journal: {killed:?}"
    );
    assert!(
        killed.iter().filter(|k| k.in_flight > 0).count() >= KILLS - EARLY_KILLS,
        "the later kills left batches in flight: {killed:?}"
    );

    // The last run finishes.
    let (code, out, err) = run(top(home.path(), &sandbox.url).args(&args));
    assert_eq!(code, 1, "invalid rows make exit 1: {out}{err}");
    let summary = json(&out);
    let expected_done = valid.len() as u64;
    assert_eq!(
        (
            summary["total"].as_u64(),
            summary["done"].as_u64(),
            summary["invalid"].as_u64(),
            summary["failed"].as_u64(),
            summary["unknown"].as_u64(),
            summary["pending"].as_u64(),
            summary["in_flight"].as_u64(),
        ),
        (
            Some(ROWS as u64),
            Some(expected_done),
            Some(invalid.len() as u64),
            Some(0),
            Some(0),
            Some(0),
            Some(0)
        ),
        "{summary}"
    );
    assert_eq!(summary["stopped"], serde_json::Value::Null);

    // The sandbox holds exactly the valid rows, with their reasons.
    let state = sandbox.state();
    let held = blacklist_of(&state, "SUP-SOAK");
    assert_eq!(held.len(), valid.len());
    assert!(
        held == valid,
        "the sandbox's blacklist is exactly the valid rows"
    );

    // The journal: every row read once, in line order; no row pending or in flight; every
    // valid row done in exactly one batch, every batch done and applied once.
    let status = sync_status(home.path(), &sandbox.url, &journal);
    assert_eq!(status["input_read"], true);
    assert_eq!(status["summary"]["done"], expected_done);
    assert_eq!(status["summary"]["pending"], 0);
    assert_eq!(status["summary"]["in_flight"], 0);
    let batches = &status["batches"];
    let total_batches = batches["total"].as_u64().unwrap();
    assert_eq!(batches["done"], total_batches, "{batches}");
    assert_eq!(
        (batches["failed"].as_u64(), batches["in_flight"].as_u64()),
        (Some(0), Some(0))
    );
    assert!(
        total_batches >= expected_done.div_ceil(100),
        "batches of at most 100 rows: {total_batches}"
    );

    let db = journal_db(&journal);
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM rows"),
        ROWS as u64,
        "each line journaled once"
    );
    assert_eq!(count(&db, "SELECT MIN(line) FROM rows"), 2);
    assert_eq!(count(&db, "SELECT MAX(line) FROM rows"), ROWS as u64 + 1);
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM rows WHERE state NOT IN ('done', 'invalid')"
        ),
        0
    );
    let invalid_lines: Vec<u64> = db
        .prepare("SELECT line FROM rows WHERE state = 'invalid' ORDER BY line")
        .unwrap()
        .query_map([], |r| r.get::<_, i64>(0))
        .unwrap()
        .map(|l| l.unwrap() as u64)
        .collect();
    assert_eq!(
        invalid_lines, invalid,
        "the invalid rows are the generated ones"
    );
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM rows WHERE state = 'invalid'
             AND (batch_id IS NOT NULL OR code != 'invalid' OR sub_code NOT IN ('mobile', 'reason'))"
        ),
        0,
        "invalid rows were never batched and name their field"
    );
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM rows r LEFT JOIN batches b ON b.id = r.batch_id
             WHERE r.state = 'done' AND (b.id IS NULL OR b.state != 'done' OR r.request_id != b.request_id)"
        ),
        0,
        "every done row belongs to a done batch and carries its request id"
    );
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM batches b
             WHERE b.size != (SELECT COUNT(*) FROM rows r WHERE r.batch_id = b.id) OR b.size > 100"
        ),
        0,
        "a batch keeps the rows it was created with (no row moved to another batch)"
    );
    assert_eq!(
        count(&db, "SELECT SUM(size) FROM batches"),
        expected_done,
        "each valid row was put in exactly one batch"
    );
    assert_eq!(
        count(&db, "SELECT COUNT(DISTINCT request_id) FROM batches"),
        total_batches
    );
    let payload: String = db
        .query_row("SELECT payload FROM rows WHERE line = 2", [], |r| r.get(0))
        .unwrap();
    assert_eq!(
        payload,
        format!(r#"{{"mobile":"{}","reason":"1,2"}}"#, mobile(0))
    );

    // Exactly once: each batch applied once; every other call is a fault or a replay.
    let (calls, applied, replays) =
        assert_counters_add_up(&state, BLACKLIST, SEED, KILLS, CONCURRENCY);
    assert_eq!(applied, total_batches, "each batch applied exactly once");
    assert_eq!(
        count(&db, "SELECT COUNT(*) FROM batches WHERE attempts < 1"),
        0,
        "every batch's accepted send is journaled"
    );

    // The failures file lists the invalid lines, masked.
    let text = std::fs::read_to_string(&failures).unwrap();
    let listed: Vec<u64> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(listed, invalid);

    // Nothing is left: one more run sends nothing.
    let (code, out, _) = run(top(home.path(), &sandbox.url).args(&args));
    assert_eq!((code, json(&out)["calls"].as_u64()), (1, Some(0)));
    assert_eq!(sandbox.state().calls_to(BLACKLIST), calls);
    eprintln!(
        "blacklist soak: {ROWS} rows, {} kills [{}], {total_batches} batches, {calls} calls, {applied} applied, {replays} replays, {:.1} s",
        killed.len(),
        describe(&killed),
        started.elapsed().as_secs_f64()
    );
}

/// A CRM file of `rows` customers; every 200th row breaks a rule (customer_type, gender,
/// birthday in turn). Returns the file, the valid rows' (outer_id, name, mobile) by line,
/// and the invalid lines with the field each breaks.
#[allow(clippy::type_complexity)]
fn crm_file(
    dir: &Path,
    rows: usize,
) -> (
    std::path::PathBuf,
    BTreeMap<u64, (String, String, String)>,
    Vec<(u64, &'static str)>,
) {
    let mut text = String::from(
        "outer_type,outer_id,channel,customer_type,name,gender,birthday,mobile,tag_id_list\n",
    );
    let mut valid = BTreeMap::new();
    let mut invalid = Vec::new();
    for i in 0..rows {
        let line = i as u64 + 2;
        // outer_type `mobile`: the outer id is the customer's mobile.
        let phone = format!("139{i:08}");
        let outer_id = phone.clone();
        let name = format!("Name {i}");
        let (customer_type, gender, birthday) = if i % 200 == 199 {
            let (bad, field) = match (i / 200) % 3 {
                0 => (("7", "1", "1990-01-02"), "customer_type"),
                1 => (("1", "x", "1990-01-02"), "gender"),
                _ => (("0", "0", "soon"), "birthday"),
            };
            invalid.push((line, field));
            bad
        } else {
            valid.insert(line, (outer_id.clone(), name.clone(), phone.clone()));
            let t = if i % 2 == 0 { "0" } else { "1" };
            (t, t, "1990-02-03 08:00:00")
        };
        text.push_str(&format!(
            "mobile,{outer_id},2,{customer_type},{name},{gender},{birthday},{phone},\"t1,t2\"\n"
        ));
    }
    let path = dir.join("customers.csv");
    std::fs::write(&path, text).unwrap();
    (path, valid, invalid)
}

#[test]
fn crm_import_survives_kill_9_and_creates_each_customer_once() {
    const SEED: u64 = 0x50AC_0002;
    const ROWS: usize = 5_000;
    const CONCURRENCY: usize = 64;
    let started = Instant::now();
    let sandbox = TestSandbox::start(|b| b.fault_rate(FAULT_RATE).seed(SEED));
    let home = tempfile::tempdir().unwrap();
    let (input, valid, invalid) = crm_file(home.path(), ROWS);
    let journal = home.path().join("crm.journal");
    let args = strings(&[
        "crm",
        "import",
        input.to_str().unwrap(),
        "--qps",
        "100000",
        "--concurrency",
        "64",
        "--journal",
        journal.to_str().unwrap(),
        "--output",
        "json",
    ]);
    let mut rng = fastrand::Rng::with_seed(SEED);
    let killed = kill_repeatedly(&sandbox, home.path(), &args, &journal, CRM, &mut rng);
    assert!(
        killed.iter().filter(|k| k.in_flight > 0).count() >= KILLS - EARLY_KILLS,
        "the later kills left rows in flight: {killed:?}"
    );

    let (code, out, err) = run(top(home.path(), &sandbox.url).args(&args));
    assert_eq!(code, 1, "invalid rows make exit 1: {out}{err}");
    let summary = json(&out);
    assert_eq!(
        (
            summary["done"].as_u64(),
            summary["invalid"].as_u64(),
            summary["failed"].as_u64(),
            summary["unknown"].as_u64(),
            summary["pending"].as_u64(),
        ),
        (
            Some(valid.len() as u64),
            Some(invalid.len() as u64),
            Some(0),
            Some(0),
            Some(0)
        ),
        "{summary}"
    );

    // Each customer exists once, created with its row's request id.
    let db = journal_db(&journal);
    let request_ids: BTreeMap<u64, String> = db
        .prepare("SELECT line, request_id FROM rows WHERE state = 'done'")
        .unwrap()
        .query_map([], |r| Ok((r.get::<_, i64>(0)? as u64, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(request_ids.len(), valid.len());
    let state = sandbox.state();
    let mut by_outer_id: BTreeMap<&str, &top_sandbox::CustomerRecord> = BTreeMap::new();
    for customer in &state.crm_customers {
        let previous = by_outer_id.insert(customer.outer_id.as_str(), customer);
        assert!(
            previous.is_none(),
            "customer {} created twice",
            customer.outer_id
        );
    }
    assert_eq!(state.crm_customers.len(), valid.len());
    for (line, (outer_id, name, phone)) in &valid {
        let customer = by_outer_id
            .get(outer_id.as_str())
            .unwrap_or_else(|| panic!("line {line}: customer {outer_id} missing"));
        assert_eq!(customer.request_id, request_ids[line], "line {line}");
        assert_eq!(
            (customer.name.as_deref(), customer.mobile.as_deref()),
            (Some(name.as_str()), Some(phone.as_str()))
        );
    }

    // The journal: nothing left pending or in flight; the invalid rows are the generated
    // ones, each naming its field; every request id distinct.
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) FROM rows WHERE state NOT IN ('done', 'invalid')"
        ),
        0
    );
    let bad: Vec<(u64, String)> = db
        .prepare("SELECT line, sub_code FROM rows WHERE state = 'invalid' ORDER BY line")
        .unwrap()
        .query_map([], |r| Ok((r.get::<_, i64>(0)? as u64, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let expected: Vec<(u64, String)> = invalid.iter().map(|(l, f)| (*l, (*f).to_owned())).collect();
    assert_eq!(bad, expected);
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(DISTINCT request_id) FROM rows WHERE state = 'done'"
        ),
        valid.len() as u64
    );

    let (calls, applied, replays) = assert_counters_add_up(&state, CRM, SEED, KILLS, CONCURRENCY);
    assert_eq!(applied, valid.len() as u64, "each customer created once");
    eprintln!(
        "crm soak: {ROWS} rows, {} kills [{}], {calls} calls, {applied} applied, {replays} replays, {:.1} s",
        killed.len(),
        describe(&killed),
        started.elapsed().as_secs_f64()
    );
}

#[test]
fn a_kill_while_the_journal_is_created_does_not_block_the_job() {
    let sandbox = TestSandbox::start(|b| b);
    let home = tempfile::tempdir().unwrap();
    let (input, valid, _) = blacklist_file_with(home.path(), "small.csv", 250, 1_000);
    let sync = |journal: &Path| {
        run(top(home.path(), &sandbox.url).args([
            "blacklist",
            "sync",
            input.to_str().unwrap(),
            "--supplier-id",
            "SUP-NEW",
            "--qps",
            "1000",
            "--journal",
            journal.to_str().unwrap(),
            "--output",
            "json",
        ]))
    };

    // What a kill leaves while the journal is created: the file and nothing in it (killed
    // right after creating it), or a database switched to WAL with no tables yet.
    let empty = home.path().join("empty.journal");
    std::fs::write(&empty, "").unwrap();
    let no_tables = home.path().join("no-tables.journal");
    {
        let db = rusqlite::Connection::open(&no_tables).unwrap();
        let mode: String = db
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
    }
    for journal in [&empty, &no_tables] {
        let (code, out, err) = sync(journal);
        assert_eq!(code, 0, "{}: {out}{err}", journal.display());
        assert_eq!(json(&out)["done"], 250);
        assert_eq!(
            count(
                &journal_db(journal),
                "SELECT COUNT(*) FROM rows WHERE state = 'done'"
            ),
            250
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(journal).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
    assert_eq!(blacklist_of(&sandbox.state(), "SUP-NEW"), valid);

    // A database with tables of its own is not a journal to replace.
    let other = home.path().join("other.db");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('keep me');")
        .unwrap();
    let (code, out, _) = sync(&other);
    assert_eq!(code, 2, "{out}");
    let message = json(&out)["error"]["message"].as_str().unwrap().to_owned();
    assert!(message.contains("is not a top-sync journal"), "{message}");
    assert_eq!(count(&journal_db(&other), "SELECT COUNT(*) FROM notes"), 1);
}
