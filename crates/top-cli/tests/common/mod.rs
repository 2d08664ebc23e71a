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

/// A blacklist CSV: every 100th row invalid (bad mobile or bad reason, alternately).
/// Returns the file, the valid (mobile, reasons) and the invalid lines.
/// Mobiles with their sorted reasons.
pub type Entries = Vec<(String, Vec<u8>)>;

pub fn blacklist_file(dir: &Path, rows: usize) -> (PathBuf, Entries, Vec<u64>) {
    let mut text = String::from("mobile,reason\n");
    let mut valid = Vec::new();
    let mut invalid = Vec::new();
    for i in 0..rows {
        let line = i as u64 + 2;
        if i % 100 == 99 {
            invalid.push(line);
            if (i / 100).is_multiple_of(2) {
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
    let path = dir.join("blacklist.csv");
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
