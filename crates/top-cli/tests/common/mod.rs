//! Helpers for the CLI tests: an in-process sandbox on its own runtime, and the real `top`
//! binary run with a clean environment.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use top_sandbox::{
    DEMO_APP_KEY, DEMO_APP_SECRET, Sandbox, SandboxBuilder, SandboxHandle, StateSnapshot,
};

pub const BLACKLIST: &str = "taobao.logistics.express.user.blacklist.tms.sync";
pub const CRM: &str = "alibaba.alsc.crm.customer.create";

/// A sandbox served by a runtime owned by the test thread.
pub struct TestSandbox {
    pub runtime: tokio::runtime::Runtime,
    pub handle: Option<SandboxHandle>,
    pub url: String,
}

impl TestSandbox {
    pub fn start(configure: impl FnOnce(SandboxBuilder) -> SandboxBuilder) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let handle = runtime
            .block_on(configure(Sandbox::builder().seed(11)).start())
            .unwrap();
        let url = handle.url();
        TestSandbox {
            runtime,
            handle: Some(handle),
            url,
        }
    }

    pub fn state(&self) -> StateSnapshot {
        let handle = self.handle.as_ref().unwrap();
        self.runtime.block_on(handle.state())
    }

    pub fn handle(&self) -> &SandboxHandle {
        self.handle.as_ref().unwrap()
    }
}

impl Drop for TestSandbox {
    fn drop(&mut self) {
        if let Some(handle) = self.handle.take() {
            self.runtime.block_on(handle.shutdown());
        }
    }
}

/// `top` with only the given environment: HOME in `home`, the demo app's credentials and
/// the sandbox endpoint.
pub fn top(home: &Path, url: &str) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_top"));
    cmd.env_clear()
        .env("HOME", home)
        .env("TOP_APP_KEY", DEMO_APP_KEY)
        .env("TOP_APP_SECRET", DEMO_APP_SECRET)
        .env("TOP_ENDPOINT", url)
        .current_dir(home);
    cmd
}

pub fn run(cmd: &mut Command) -> (i32, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = cmd.output().unwrap();
    (
        status.code().unwrap_or(-1),
        String::from_utf8_lossy(&stdout).into_owned(),
        String::from_utf8_lossy(&stderr).into_owned(),
    )
}

pub fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text.trim()).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

pub fn mobile(i: usize) -> String {
    format!("131{i:08}")
}

/// Mobiles with their sorted reasons.
pub type Entries = Vec<(String, Vec<u8>)>;

/// A blacklist CSV (`blacklist.csv`): every 100th row invalid (bad mobile or bad reason,
/// alternately). Returns the file, the valid (mobile, reasons) and the invalid lines.
pub fn blacklist_file(dir: &Path, rows: usize) -> (PathBuf, Entries, Vec<u64>) {
    blacklist_file_with(dir, "blacklist.csv", rows, 100)
}

/// A blacklist CSV `name` of `rows` rows, every `bad_every`-th invalid: alternately a
/// mobile that is not one (`1234..`) and a bad reason (`"1,9"`). Reasons are two distinct
/// codes in a quoted cell. Returns the file, the valid (mobile, sorted reasons) in mobile
/// order and the invalid lines.
pub fn blacklist_file_with(
    dir: &Path,
    name: &str,
    rows: usize,
    bad_every: usize,
) -> (PathBuf, Entries, Vec<u64>) {
    let mut text = String::from("mobile,reason\n");
    let mut valid = Vec::new();
    let mut invalid = Vec::new();
    for i in 0..rows {
        let line = i as u64 + 2;
        if i % bad_every == bad_every - 1 {
            invalid.push(line);
            if (i / bad_every).is_multiple_of(2) {
                text.push_str(&format!("1234{i},1\n"));
            } else {
                text.push_str(&format!("{},\"1,9\"\n", mobile(i)));
            }
            continue;
        }
        let a = 1 + (i % 5) as u8;
        let b = 1 + ((i + 1) % 5) as u8;
        text.push_str(&format!("{},\"{a},{b}\"\n", mobile(i)));
        let mut reasons = vec![a, b];
        reasons.sort_unstable();
        valid.push((mobile(i), reasons));
    }
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    (path, valid, invalid)
}

pub fn blacklist_of(state: &StateSnapshot, supplier: &str) -> Entries {
    state
        .blacklist_of(supplier)
        .iter()
        .map(|e| (e.mobile.clone(), e.reasons.clone()))
        .collect()
}

pub fn wait_until(limit: Duration, mut done: impl FnMut() -> bool) {
    let start = std::time::Instant::now();
    while !done() {
        assert!(start.elapsed() < limit, "timed out");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// `top sync status JOURNAL --output json`.
pub fn sync_status(home: &Path, url: &str, journal: &Path) -> serde_json::Value {
    let (code, out, err) = run(top(home, url).args([
        "sync",
        "status",
        journal.to_str().unwrap(),
        "--output",
        "json",
    ]));
    assert_eq!(code, 0, "sync status: {out}{err}");
    json(&out)
}

/// A job's journal, opened read-only: no checkpoint, the WAL left as a killed run left it.
pub fn journal_db(path: &Path) -> rusqlite::Connection {
    rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .unwrap_or_else(|e| panic!("journal {}: {e}", path.display()))
}

/// One number from a journal query.
pub fn count(db: &rusqlite::Connection, sql: &str) -> u64 {
    db.query_row(sql, [], |r| r.get::<_, i64>(0))
        .unwrap_or_else(|e| panic!("{sql}: {e}")) as u64
}

/// The faults a sandbox seeded with `seed` drew for its first `calls` business calls:
/// (code-15 timeouts, HTTP 502s, connections dropped after the commit). The sandbox draws
/// once per business call from `fastrand::Rng::with_seed(seed)`: a fault when `f64() <
/// rate`, then its kind with `usize(..3)` (top-sandbox `faults.rs`), so the counts depend
/// only on how many calls it served, not on their order.
pub fn faults_among(seed: u64, rate: f64, calls: u64) -> (u64, u64, u64) {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut counts = [0_u64; 3];
    for _ in 0..calls {
        if rng.f64() < rate {
            counts[rng.usize(..3)] += 1;
        }
    }
    (counts[0], counts[1], counts[2])
}

/// A stand-in gateway on a free local port that answers every request with `status` and
/// `body` (JSON), whatever was asked: for answers the sandbox never gives. Serves until the
/// test process ends. Returns its `/router/rest` URL.
pub fn canned_gateway(status: u16, body: &str) -> String {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/router/rest", listener.local_addr().unwrap());
    let body = body.to_owned();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut length = 0_usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
                    break;
                }
                if let Some((name, value)) = line.split_once(':')
                    && name.eq_ignore_ascii_case("content-length")
                {
                    length = value.trim().parse().unwrap_or(0);
                }
            }
            let mut request = vec![0; length];
            let _ = reader.read_exact(&mut request);
            let reason = if status == 200 { "OK" } else { "Error" };
            let _ = write!(
                stream,
                "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json;charset=UTF-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    url
}
