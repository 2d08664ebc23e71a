//! The page at `/sandbox/`, in a real headless browser: after a few calls over real HTTP it
//! shows their methods and codes, a call opens to its parameters and explanation, and no
//! secret appears. Chromium's own `--dump-dom` prints the DOM once the page's script has run.
//!
//! A browser is required: `chromium`, `chromium-browser`, `google-chrome` on PATH, or the
//! binary named by `$CHROMIUM`. `.ci/run` installs Debian's `chromium` when it is missing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{BLACKLIST, CRM, Call, TAG};
use top_sandbox::{DEMO_APP_SECRET, SandboxHandle};

const SESSION: &str = "session-value-must-not-show";

/// The browser binary, or a failure saying how to get one (never a silent skip).
fn browser() -> PathBuf {
    if let Some(path) = std::env::var_os("CHROMIUM").filter(|p| !p.is_empty()) {
        return PathBuf::from(path);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for name in [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ] {
        for dir in std::env::split_paths(&path) {
            let candidate = dir.join(name);
            if is_executable(&candidate) {
                return candidate;
            }
        }
    }
    panic!(
        "no headless browser: the page test needs `chromium`, `chromium-browser` or \
         `google-chrome` on PATH, or $CHROMIUM naming one. `.ci/run` installs Debian's chromium \
         when it is missing; on this machine run `apt-get install -y chromium`."
    );
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}

/// The DOM of `url` after the page's script ran (5 s of virtual time: several refreshes).
async fn dump_dom(url: String) -> String {
    let browser = browser();
    tokio::task::spawn_blocking(move || {
        let profile = tempfile::tempdir().unwrap();
        let mut child = Command::new(&browser)
            .args([
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--virtual-time-budget=5000",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("--dump-dom")
            .arg(&url)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", browser.display()));
        // A browser that hangs must not hang the suite.
        let deadline = Instant::now() + Duration::from_secs(120);
        while child.try_wait().unwrap().is_none() {
            if Instant::now() > deadline {
                let _ = child.kill();
                panic!("{} did not finish within 120 s", browser.display());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let output = child.wait_with_output().unwrap();
        assert!(
            output.status.success(),
            "{} failed: {:?}",
            browser.display(),
            output.status
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    })
    .await
    .unwrap()
}

/// A good call, a badly signed one, a blacklist sync and a refused CRM create.
async fn some_calls(sandbox: &SandboxHandle) {
    let (_, ok) = Call::new(TAG)
        .param("alipay_user_id", "2088000000000001")
        .send(sandbox)
        .await;
    assert!(ok.contains(r#""result":true"#), "{ok}");
    let (_, bad) = Call::new(TAG)
        .param("alipay_user_id", "2088000000000001")
        .param("session", SESSION)
        .secret("not-the-secret")
        .send(sandbox)
        .await;
    assert!(bad.contains(r#""code":25"#), "{bad}");
    common::blacklist_call("r-1", "SUP-PAGE", 1, &[("13111111111", Some("1,2"))])
        .send(sandbox)
        .await;
    let (_, refused) = Call::new(CRM)
        .param(
            "param_customer_create_open_req",
            r#"{"channel":"2","customer_type":0,"outer_id":"x","outer_type":"mobile","request_id":"c-1"}"#,
        )
        .send(sandbox)
        .await;
    assert!(refused.contains(r#""code":50"#), "{refused}");
}

fn assert_no_secret(dom: &str) {
    for secret in [DEMO_APP_SECRET, SESSION, "not-the-secret"] {
        assert!(!dom.contains(secret), "`{secret}` on the page");
    }
}

#[tokio::test]
async fn the_page_shows_the_calls_methods_and_codes() {
    let sandbox = common::start().await;
    some_calls(&sandbox).await;
    let dom = dump_dom(sandbox.page_url()).await;
    for method in [TAG, BLACKLIST, CRM] {
        assert!(dom.contains(method), "{method} not on the page: {dom}");
    }
    assert!(dom.contains("25 Invalid Signature"), "{dom}");
    assert!(dom.contains("50 Remote service error"), "{dom}");
    assert!(dom.contains(r#"data-code="25""#), "{dom}");
    assert!(dom.contains(">ok<"), "{dom}");
    assert!(dom.contains("isv.invalid-parameter"), "{dom}");
    // The state tables: the blacklist per supplier and the call counts.
    assert!(dom.contains("SUP-PAGE"), "{dom}");
    assert!(
        dom.contains("131****1111"),
        "the blacklisted mobile, masked: {dom}"
    );
    assert!(!dom.contains("13111111111"), "no mobile in full: {dom}");
    assert!(dom.contains("Call counts"), "{dom}");
    assert!(dom.contains(&sandbox.url()), "the gateway's address: {dom}");
    assert_no_secret(&dom);
}

#[tokio::test]
async fn a_call_opens_to_its_parameters_and_explanation() {
    let sandbox = common::start().await;
    some_calls(&sandbox).await;
    // Call 2 is the badly signed one; `#call-2` opens it.
    let dom = dump_dom(format!("{}#call-2", sandbox.page_url())).await;
    assert!(
        dom.contains("No usual mistake matches"),
        "the explanation is shown: {dom}"
    );
    assert!(dom.contains("HMAC-SHA256(key &lt;secret&gt;, S)"), "{dom}");
    assert!(dom.contains("session***"), "{dom}");
    assert!(
        dom.contains("2088000000000001"),
        "the parameters are shown: {dom}"
    );
    assert_no_secret(&dom);
}

#[tokio::test]
async fn values_from_callers_are_text_not_markup() {
    let sandbox = common::start().await;
    let (_, body) = Call::new("<img src=x onerror=alert(1)>.x")
        .send(&sandbox)
        .await;
    assert!(body.contains(r#""code":22"#), "{body}");
    let dom = dump_dom(sandbox.page_url()).await;
    assert!(
        dom.contains("&lt;img src=x onerror=alert(1)&gt;.x"),
        "the method is shown as text: {dom}"
    );
    assert!(!dom.contains("<img src=x"), "{dom}");
}

#[tokio::test]
async fn the_page_is_self_contained() {
    let sandbox = common::start().await;
    let response = common::client()
        .get(sandbox.page_url())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "text/html; charset=utf-8");
    let csp = headers["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("default-src 'none'") && csp.contains("connect-src 'self'"),
        "{csp}"
    );
    let html = response.text().await.unwrap();
    for external in ["http://", "https://", " src=", "@import", "url("] {
        assert!(!html.contains(external), "the page refers to `{external}`");
    }
    let redirect = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(format!("http://{}/sandbox", sandbox.addr()))
        .send()
        .await
        .unwrap();
    assert_eq!(redirect.status(), 308);
    assert_eq!(redirect.headers()["location"], "/sandbox/");
}
