//! Secrets and personal data: every `top` command and its error paths run with
//! `RUST_LOG=trace` and `-vv`, in text and JSON output, with the secrets given the way the
//! CLI takes them (environment, config file, stdin). No output may hold the app secret,
//! the session, a Damai token, a password, an SMS auth code, a member's login token or a
//! full mobile number (`138****1234` is fine). The failures files (unless `--unmask`) and
//! the journals' reporting columns must not either; the journals' payloads hold the real
//! values (needed to resend) behind file mode 0600.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use common::*;
use top_core::Mobile;

const APP_KEY: &str = "20000002";
const APP_SECRET: &str = "S3cr3t-app-7f9c2d1e-leakcheck";
const SESSION: &str = "sess-6bd1c0ffee77-leakcheck";
const PASSWORD: &str = "Pa55-leakcheck-9";
/// Breaks the Damai password rule (spaces).
const BAD_PASSWORD: &str = "bad pass leakcheck 9";
const PTNR: &str = "ptnr-81aa5f-leakcheck";
const TENANT: &str = "tenant-39c0de-leakcheck";
const CHANNEL: &str = "channel-e4b21a-leakcheck";
/// A secret written without quotes in a config file: TOML reads it as a number.
const FILE_SECRET: &str = "20394857102938";
const FILE_SESSION: &str = "file-session-5e11-leakcheck";
/// What stand-in gateways answer with, to be masked or redacted.
const CANNED_TOKEN: &str = "tok-canned-0c1d-leakcheck";

/// The runs made so far and what none of their output may hold.
struct Leaks {
    home: tempfile::TempDir,
    secrets: Vec<String>,
    auth_codes: Vec<String>,
    mobiles: Vec<String>,
    runs: usize,
}

/// The exit code, stdout and stderr of one run.
type Run = (i32, String, String);

impl Leaks {
    fn new() -> Self {
        Leaks {
            home: tempfile::tempdir().unwrap(),
            secrets: [
                APP_SECRET,
                SESSION,
                PASSWORD,
                BAD_PASSWORD,
                PTNR,
                TENANT,
                CHANNEL,
                FILE_SECRET,
                FILE_SESSION,
                CANNED_TOKEN,
            ]
            .map(str::to_owned)
            .to_vec(),
            auth_codes: Vec::new(),
            mobiles: Vec::new(),
            runs: 0,
        }
    }

    fn home(&self) -> &Path {
        self.home.path()
    }

    /// Remembers mobiles the inputs hold.
    fn mobiles<I: IntoIterator<Item = S>, S: Into<String>>(&mut self, mobiles: I) {
        self.mobiles.extend(mobiles.into_iter().map(Into::into));
    }

    /// `top -vv ARGS` against `url` with every secret in the environment and TRACE logs.
    fn command(&self, url: &str, args: &[&str]) -> Command {
        let mut cmd = top(self.home(), url);
        cmd.env("TOP_APP_KEY", APP_KEY)
            .env("TOP_APP_SECRET", APP_SECRET)
            .env("TOP_SESSION", SESSION)
            .env("TOP_DAMAI_PTNR_TOKEN", PTNR)
            .env("TOP_DAMAI_TENANT_TOKEN", TENANT)
            .env("TOP_DAMAI_CHANNEL_TOKEN", CHANNEL)
            .env("RUST_LOG", "trace")
            .env("RUST_BACKTRACE", "1")
            .arg("-vv")
            .args(args);
        cmd
    }

    /// Runs `cmd` (with `stdin` written to it, else none) and checks its output.
    fn run(&mut self, name: &str, mut cmd: Command, stdin: Option<&str>) -> Run {
        cmd.stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        if let Some(text) = stdin {
            child
                .stdin
                .take()
                .unwrap()
                .write_all(text.as_bytes())
                .unwrap();
        }
        let output = child.wait_with_output().unwrap();
        let out = String::from_utf8_lossy(&output.stdout).into_owned();
        let err = String::from_utf8_lossy(&output.stderr).into_owned();
        self.assert_clean(&format!("`{name}` stdout"), &out);
        self.assert_clean(&format!("`{name}` stderr"), &err);
        self.runs += 1;
        (output.status.code().unwrap_or(-1), out, err)
    }

    /// Runs `args` in text, then in JSON output (which must be one JSON document).
    fn both(&mut self, name: &str, url: &str, args: &[&str], stdin: Option<&str>) -> [Run; 2] {
        let text = self.run(name, self.command(url, args), stdin);
        let mut json_args = args.to_vec();
        json_args.extend(["--output", "json"]);
        let json_run = self.run(
            &format!("{name} --output json"),
            self.command(url, &json_args),
            stdin,
        );
        json(&json_run.1);
        [text, json_run]
    }

    /// Fails when `text` holds a secret, an auth code, a mobile of the inputs (also with
    /// its digits spaced or dashed) or anything shaped like a full mobile number.
    fn assert_clean(&self, what: &str, text: &str) {
        for secret in &self.secrets {
            assert!(
                !text.contains(secret.as_str()),
                "{what} holds the secret {secret:?}:\n{text}"
            );
        }
        for code in &self.auth_codes {
            assert!(
                !standalone(text, code),
                "{what} holds the SMS auth code {code}:\n{text}"
            );
        }
        let squeezed: String = text.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        for mobile in &self.mobiles {
            assert!(
                !text.contains(mobile.as_str()) && !squeezed.contains(mobile.as_str()),
                "{what} holds the mobile {mobile}:\n{text}"
            );
        }
        if let Some(mobile) = bare_mobile(text) {
            panic!("{what} holds a full mobile number {mobile}:\n{text}");
        }
    }

    /// A journal: reporting columns clean, file mode 0600 (its WAL files too).
    /// `top <kind> import INPUT` in both output modes: exits 1 with these (done, failed,
    /// invalid) counts, and its failures file and journal hold nothing secret. Returns the
    /// journal's path.
    fn import_checked(
        &mut self,
        kind: &str,
        url: &str,
        input: &Path,
        expected: (u64, u64, u64),
    ) -> std::path::PathBuf {
        let journal = self.home().join(format!("{kind}.journal"));
        let failures = self.home().join(format!("{kind}-failures.csv"));
        let args = [
            kind,
            "import",
            input.to_str().unwrap(),
            "--qps",
            "1000",
            "--journal",
            journal.to_str().unwrap(),
            "--failures",
            failures.to_str().unwrap(),
        ];
        let [(c1, _, err), (c2, out, _)] = self.both(&format!("{kind} import"), url, &args, None);
        assert_eq!((c1, c2), (1, 1), "{err}");
        let summary = json(&out);
        let counts = (
            summary["done"].as_u64(),
            summary["failed"].as_u64(),
            summary["invalid"].as_u64(),
        );
        assert_eq!(
            counts,
            (Some(expected.0), Some(expected.1), Some(expected.2)),
            "{summary}"
        );
        self.assert_clean(
            &format!("{kind}-failures.csv"),
            &std::fs::read_to_string(&failures).unwrap(),
        );
        self.assert_journal_clean(&journal);
        journal
    }

    fn assert_journal_clean(&self, journal: &Path) {
        let db = journal_db(journal);
        let mut rows = db
            .prepare(
                "SELECT line, COALESCE(label, ''), COALESCE(code, ''), COALESCE(sub_code, ''),
                        COALESCE(message, ''), COALESCE(request_id, '') FROM rows",
            )
            .unwrap();
        let mut n = 0;
        for row in rows
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    [
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                    ]
                    .join("|"),
                ))
            })
            .unwrap()
        {
            let (line, columns) = row.unwrap();
            self.assert_clean(
                &format!(
                    "{} line {line} (label|code|sub_code|message)",
                    journal.display()
                ),
                &columns,
            );
            n += 1;
        }
        assert!(n > 0, "{} has rows", journal.display());
        let mut batches = db
            .prepare(
                "SELECT COALESCE(code, '') || '|' || COALESCE(sub_code, '') || '|' || COALESCE(message, '') FROM batches",
            )
            .unwrap();
        for columns in batches.query_map([], |r| r.get::<_, String>(0)).unwrap() {
            self.assert_clean(&format!("{} batch", journal.display()), &columns.unwrap());
        }
        #[cfg(unix)]
        for suffix in ["", "-wal", "-shm"] {
            use std::os::unix::fs::PermissionsExt;
            let mut path = journal.as_os_str().to_owned();
            path.push(suffix);
            if let Ok(meta) = std::fs::metadata(&path) {
                assert_eq!(
                    meta.permissions().mode() & 0o777,
                    0o600,
                    "{} holds real values",
                    Path::new(&path).display()
                );
            }
        }
    }
}

/// Whether `code` appears in `text` on its own (not inside a longer word or number, nor
/// as the fraction of a number such as a log timestamp's microseconds).
fn standalone(text: &str, code: &str) -> bool {
    text.match_indices(code).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + code.len()..].chars().next();
        !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '.')
            && !after.is_some_and(|c| c.is_ascii_alphanumeric())
    })
}

/// The first run of exactly 11 digits shaped like a mainland mobile (`1[3-9]` + 9 digits),
/// or `86` and one, that stands on its own (not inside a word, not a decimal fraction).
fn bare_mobile(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let run = &text[start..i];
        let before = text[..start].chars().next_back();
        let after = text[i..].chars().next();
        let alone = !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '.')
            && !after.is_some_and(|c| c.is_ascii_alphanumeric());
        let mobile = top_core::is_mainland_mobile(run)
            || (run.len() == 13
                && run.starts_with("86")
                && top_core::is_mainland_mobile(&run[2..]));
        if alone && mobile {
            return Some(run.to_owned());
        }
    }
    None
}

fn unix_mode(path: &Path) -> u32 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        0o600
    }
}

fn sandbox() -> TestSandbox {
    TestSandbox::start(|b| {
        b.app(APP_KEY, APP_SECRET)
            .damai_tokens(PTNR, TENANT, CHANNEL)
    })
}

#[test]
fn single_calls_and_their_errors_leak_nothing() {
    let sandbox = sandbox();
    let url = sandbox.url.clone();
    let mut leaks = Leaks::new();
    leaks.mobiles([
        "13800001111",
        "13800002222",
        "13900001111",
        "13700001111",
        "13700002222",
        "13600001111",
        "13500001111",
    ]);

    // `top call`: a success, an API error, an unknown method, a call carrying mobiles.
    let [(c1, out, _), (c2, _, _)] = leaks.both(
        "call",
        &url,
        &[
            "call",
            "taobao.retail.user.tag.mobile.add",
            "-p",
            "biz_code=B",
            "-p",
            "alipay_user_id=2088000000000001",
        ],
        None,
    );
    assert_eq!((c1, c2), (0, 0), "{out}");
    let [(c1, _, err), (c2, out, _)] = leaks.both(
        "call (API error)",
        &url,
        &[
            "call",
            "taobao.retail.user.tag.mobile.add",
            "-p",
            "ext_param=not json",
            "-p",
            "open_id=o-1",
            "--no-check",
        ],
        None,
    );
    assert_eq!((c1, c2), (1, 1), "{err}");
    assert_eq!(json(&out)["error"]["kind"], "api");
    // Refused by the description before sending, with secrets and a mobile among the members.
    let password = format!("param0.user_login_password={BAD_PASSWORD}");
    let ptnr = format!("param0.ptnr_token={PTNR}");
    let [(c1, _, err), (c2, out, _)] = leaks.both(
        "call (refused by the description)",
        &url,
        &[
            "call",
            "alibaba.damai.maizuo.openapi.user.register.byauthcode",
            "-p",
            "param0.auth_code=123456",
            "-p",
            &ptnr,
            "-p",
            &password,
            "-p",
            "param0.user_phone=13700002222",
        ],
        None,
    );
    assert_eq!((c1, c2), (2, 2), "{err}");
    assert_eq!(json(&out)["error"]["field"], "param0.user_login_password");
    // The descriptions: the vendor's sample mobiles and secrets are not printed.
    for method in [
        "taobao.retail.user.tag.mobile.add",
        "taobao.logistics.express.user.blacklist.tms.sync",
        "alibaba.damai.maizuo.openapi.user.register.byauthcode",
        "alibaba.alsc.crm.customer.create",
        "alibaba.alsc.crm.customer.update",
    ] {
        let [(c1, _, err), (c2, _, _)] = leaks.both("describe", &url, &["describe", method], None);
        assert_eq!((c1, c2), (0, 0), "{err}");
    }
    let [(c1, _, _), (c2, _, _)] = leaks.both(
        "call (unknown method)",
        &url,
        &["call", "taobao.nope.get"],
        None,
    );
    assert_eq!((c1, c2), (1, 1));
    let request = r#"param_customer_create_open_req={"request_id":"call-1","outer_type":"mobile","outer_id":"13600001111","channel":"2","customer_type":"0","mobile":"13600001111"}"#;
    let [(c1, _, err), (c2, out, _)] = leaks.both(
        "call with mobiles",
        &url,
        &["call", "alibaba.alsc.crm.customer.create", "-p", request],
        None,
    );
    assert_eq!((c1, c2), (0, 0), "{err}");
    assert!(json(&out)["result"]["result"].is_string(), "{out}");

    // Typed calls: success, business failure, validation errors.
    let [(c1, _, err), (c2, _, _)] = leaks.both(
        "tag add",
        &url,
        &[
            "tag",
            "add",
            "--biz-code",
            "B",
            "--alipay-user-id",
            "2088000000000001",
        ],
        None,
    );
    assert_eq!((c1, c2), (0, 0), "{err}");
    let [(c1, _, err), (c2, out, _)] = leaks.both(
        "tag add (account not found)",
        &url,
        &[
            "tag",
            "add",
            "--biz-code",
            "B",
            "--isv-user-id",
            "13500001111",
        ],
        None,
    );
    assert_eq!((c1, c2), (1, 1), "{err}");
    assert_eq!(json(&out)["error"]["kind"], "business", "{out}");
    let [(c1, _, _), (c2, _, _)] = leaks.both(
        "tag add (no id)",
        &url,
        &["tag", "add", "--biz-code", "B"],
        None,
    );
    assert_eq!((c1, c2), (2, 2));
    let add = [
        "blacklist",
        "add",
        "--supplier-id",
        "S1",
        "--mobile",
        "13800001111,13800002222",
        "--reason",
        "1,2",
    ];
    let [(c1, _, err), (c2, _, _)] = leaks.both("blacklist add", &url, &add, None);
    assert_eq!((c1, c2), (0, 0), "{err}");
    let [(c1, _, _), (c2, out, _)] = leaks.both(
        "blacklist add (bad mobile)",
        &url,
        &[
            "blacklist",
            "add",
            "--supplier-id",
            "S1",
            "--mobile",
            "1380000111,13800001111",
        ],
        None,
    );
    assert_eq!((c1, c2), (2, 2));
    assert_eq!(json(&out)["error"]["field"], "mobile", "{out}");
    let [(c1, _, _), (c2, out, _)] = leaks.both(
        "blacklist add (bad reason)",
        &url,
        &[
            "blacklist",
            "add",
            "--supplier-id",
            "S1",
            "--mobile",
            "13800001111",
            "--reason",
            "1,7",
        ],
        None,
    );
    assert_eq!((c1, c2), (2, 2));
    assert_eq!(json(&out)["error"]["field"], "reason", "{out}");
    let [(c1, _, err), (c2, _, _)] = leaks.both(
        "blacklist remove",
        &url,
        &[
            "blacklist",
            "remove",
            "--supplier-id",
            "S1",
            "--mobile",
            "13800002222",
        ],
        None,
    );
    assert_eq!((c1, c2), (0, 0), "{err}");
    assert_eq!(
        blacklist_of(&sandbox.state(), "S1"),
        vec![("13800001111".to_owned(), vec![1, 2])]
    );
    let create = [
        "crm",
        "create",
        "--outer-type",
        "mobile",
        "--outer-id",
        "13900001111",
        "--channel",
        "2",
        "--customer-type",
        "1",
        "--mobile",
        "13900001111",
        "--name",
        "Leak Check",
        "--request-id",
        "crm-leak-1",
    ];
    let [(c1, _, err), (c2, out, _)] = leaks.both("crm create", &url, &create, None);
    // The second is a replay of the same request id: the same answer.
    assert_eq!((c1, c2), (0, 0), "{err}");
    assert_eq!(json(&out)["result"]["biz_success"], true, "{out}");
    let mut again = create.to_vec();
    let last = again.len() - 1;
    again[last] = "crm-leak-2";
    let [(c1, _, err), (c2, out, _)] = leaks.both("crm create (exists)", &url, &again, None);
    assert_eq!((c1, c2), (1, 1), "{err}");
    assert_eq!(
        json(&out)["error"]["code"],
        "CUSTOMER_ALREADY_EXISTS",
        "{out}"
    );
    let mut bad = create.to_vec();
    bad.extend(["--birthday", "soon"]);
    let [(c1, _, _), (c2, _, _)] = leaks.both("crm create (bad birthday)", &url, &bad, None);
    assert_eq!((c1, c2), (2, 2));

    // Damai: password and auth code on stdin, tokens from the environment.
    let register = [
        "damai",
        "register",
        "--user-phone",
        "13700001111",
        "--password-stdin",
    ];
    let phone = Mobile::new("13700001111");
    let code = sandbox
        .runtime
        .block_on(sandbox.handle().issue_auth_code(&phone, 1))
        .unwrap();
    leaks.auth_codes.push(code.clone());
    let (status, out, err) = leaks.run(
        "damai register",
        leaks.command(&url, &[&register[..], &["--output", "json"]].concat()),
        Some(&format!("{PASSWORD}\n{code}\n")),
    );
    assert_eq!(status, 0, "{out}{err}");
    let answer = json(&out);
    assert_eq!(answer["result"]["success"], true, "{out}");
    assert_eq!(
        answer["result"]["data"]["user_token"], "***",
        "the member's token is a secret"
    );
    assert_eq!(answer["result"]["data"]["user_phone"], "137****1111");
    assert_eq!(sandbox.state().damai_members.len(), 1);
    // The same in text: a password change with a code of type 2.
    let change = sandbox
        .runtime
        .block_on(sandbox.handle().issue_auth_code(&phone, 2))
        .unwrap();
    leaks.auth_codes.push(change.clone());
    let (status, out, err) = leaks.run(
        "damai register --code-type change-password",
        leaks.command(
            &url,
            &[&register[..], &["--code-type", "change-password"]].concat(),
        ),
        Some(&format!("{PASSWORD}\n{change}\n")),
    );
    assert_eq!(status, 0, "{out}{err}");
    assert!(out.contains(r#""user_token": "***""#), "{out}");
    // The code is spent: a business failure.
    let [(c1, _, err), (c2, out, _)] = leaks.both(
        "damai register (spent code)",
        &url,
        &register,
        Some(&format!("{PASSWORD}\n{code}\n")),
    );
    assert_eq!((c1, c2), (1, 1), "{err}");
    assert_eq!(json(&out)["error"]["kind"], "business", "{out}");
    let code2 = sandbox
        .runtime
        .block_on(
            sandbox
                .handle()
                .issue_auth_code(&Mobile::new("13700002222"), 1),
        )
        .unwrap();
    leaks.auth_codes.push(code2.clone());
    let bad_password = [
        "damai",
        "register",
        "--user-phone",
        "13700002222",
        "--password-stdin",
    ];
    let [(c1, _, err), (c2, _, _)] = leaks.both(
        "damai register (bad password)",
        &url,
        &bad_password,
        Some(&format!("{BAD_PASSWORD}\n{code2}\n")),
    );
    assert!(c1 == 1 || c1 == 2, "{err}");
    assert_eq!(c1, c2);
    let [(c1, _, err), (c2, _, _)] = leaks.both(
        "damai register (no auth code on stdin)",
        &url,
        &register,
        Some(&format!("{PASSWORD}\n")),
    );
    assert_eq!((c1, c2), (2, 2), "{err}");
    let mut no_tokens = leaks.command(&url, &register);
    no_tokens.env_remove("TOP_DAMAI_TENANT_TOKEN");
    let (status, _, err) = leaks.run(
        "damai register (no tenant token)",
        no_tokens,
        Some(&format!("{PASSWORD}\n{code}\n")),
    );
    assert_eq!(status, 2, "{err}");
    assert!(err.contains("TOP_DAMAI_TENANT_TOKEN"), "{err}");

    // Configuration: shown with secrets redacted; a bad file; a secret given as a flag;
    // no secret at all.
    let [(c1, out, err), (c2, shown, _)] =
        leaks.both("config show", &url, &["config", "show"], None);
    assert_eq!((c1, c2), (0, 0), "{out}{err}");
    assert_eq!(json(&shown)["settings"]["app_secret"]["value"], "***");
    assert_eq!(json(&shown)["settings"]["session"]["value"], "***");
    let config = leaks.home().join("top.toml");
    std::fs::write(
        &config,
        format!("[profiles.default]\napp_key = \"{APP_KEY}\"\nsession = \"{FILE_SESSION}\"\napp_secret = {FILE_SECRET}\n"),
    )
    .unwrap();
    let mut bad_config = leaks.command(&url, &["config", "show"]);
    bad_config
        .env("TOP_CONFIG", &config)
        .env_remove("TOP_APP_SECRET");
    let (status, _, err) = leaks.run("config show (bad file)", bad_config, None);
    assert_eq!(status, 2, "{err}");
    assert!(err.contains("top.toml") && err.contains("line 4"), "{err}");
    std::fs::write(
        &config,
        format!("[profiles.default]\napp_key = \"{APP_KEY}\"\nsession = \"{FILE_SESSION}\"\napp_secret = \"{FILE_SECRET}\"\n"),
    )
    .unwrap();
    let mut from_file = leaks.command(&url, &["tag", "add", "--open-id", "o-2"]);
    from_file
        .env("TOP_CONFIG", &config)
        .env_remove("TOP_APP_SECRET")
        .env_remove("TOP_SESSION");
    let (status, _, err) = leaks.run("tag add (secrets from the config file)", from_file, None);
    assert_eq!(
        status, 1,
        "{FILE_SECRET} is not the sandbox app's secret: {err}"
    );
    let (status, _, err) = leaks.run(
        "call --app-secret",
        leaks.command(
            &url,
            &["call", "taobao.time.get", "--app-secret", APP_SECRET],
        ),
        None,
    );
    assert_eq!(status, 2, "{err}");
    let mut no_secret = leaks.command(&url, &["tag", "add", "--open-id", "o-3"]);
    no_secret.env_remove("TOP_APP_SECRET");
    let (status, _, err) = leaks.run("tag add (no secret)", no_secret, None);
    assert_eq!(status, 2, "{err}");

    // A gateway that refuses connections.
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/router/rest", listener.local_addr().unwrap())
    };
    let [(c1, _, err), (c2, out, _)] = leaks.both(
        "tag add (connection refused)",
        &closed,
        &["tag", "add", "--biz-code", "B", "--open-id", "o-4"],
        None,
    );
    assert_eq!((c1, c2), (1, 1), "{err}");
    assert_eq!(json(&out)["error"]["kind"], "transport", "{out}");
    eprintln!("{} runs checked", leaks.runs);
}

#[test]
fn answers_the_sandbox_never_gives_are_masked_too() {
    let mut leaks = Leaks::new();
    leaks.mobiles([
        "13912340000",
        "13912340001",
        "13912340002",
        "13912340003",
        "13912340004",
        "13912340005",
        "13912340006",
    ]);
    let call = ["call", "taobao.user.get", "-p", "fields=nick"];

    // A success whose answer holds mobiles (as text and as a number) and tokens.
    let url = canned_gateway(
        200,
        &format!(
            r#"{{"user":{{"mobile":"13912340000","phone":13912340001,"contacts":["13912340002","+86 139-1234-0005","8613912340006"],"access_token":"{CANNED_TOKEN}","nick":"n"}},"request_id":"r-1"}}"#
        ),
    );
    let [(c1, text, err), (c2, out, _)] =
        leaks.both("call (answer with mobiles)", &url, &call, None);
    assert_eq!((c1, c2), (0, 0), "{text}{err}");
    let answer = json(&out);
    assert_eq!(answer["user"]["mobile"], "139****0000");
    assert_eq!(answer["user"]["phone"], "139****0001");
    assert_eq!(answer["user"]["access_token"], "***");
    assert_eq!(
        answer["user"]["contacts"],
        serde_json::json!(["139****0002", "+86****0005", "861****0006"])
    );
    assert_eq!(answer["user"]["nick"], "n");

    // An API error whose message quotes a mobile.
    let url = canned_gateway(
        200,
        r#"{"error_response":{"code":15,"msg":"Remote service error","sub_code":"isv.user-not-exist:13912340003","sub_msg":"手机号13912340003不存在","request_id":"r-2"}}"#,
    );
    let [(c1, _, err), (c2, out, _)] = leaks.both("call (error with a mobile)", &url, &call, None);
    assert_eq!((c1, c2), (1, 1), "{err}");
    assert!(
        json(&out)["error"]["message"]
            .as_str()
            .unwrap()
            .contains("139****0003"),
        "{out}"
    );

    // A typed call whose business failure quotes a mobile; an HTTP error; a broken body.
    let url = canned_gateway(
        200,
        r#"{"result":false,"module":{"tag_success":false},"error_infos":[{"error_code":"isp.x","error_message":"未查询到淘宝账号:13912340004","sub_error_code":"NOT_FIND"}],"request_id":"r-3"}"#,
    );
    let [(c1, _, err), (c2, _, _)] = leaks.both(
        "tag add (business failure with a mobile)",
        &url,
        &["tag", "add", "--biz-code", "B", "--open-id", "o-1"],
        None,
    );
    assert_eq!((c1, c2), (1, 1), "{err}");
    let url = canned_gateway(502, "<html>bad gateway 13912340004</html>");
    let [(c1, _, err), (c2, _, _)] = leaks.both("call (HTTP 502)", &url, &call, None);
    assert_eq!((c1, c2), (1, 1), "{err}");
    let url = canned_gateway(200, r#"{"user":{"mobile":"13912340004""#);
    let [(c1, _, err), (c2, _, _)] = leaks.both("call (truncated body)", &url, &call, None);
    assert_eq!((c1, c2), (1, 1), "{err}");
    eprintln!("{} runs checked", leaks.runs);
}

#[test]
fn bulk_jobs_reports_and_journals_leak_nothing() {
    let sandbox = sandbox();
    let url = sandbox.url.clone();
    let mut leaks = Leaks::new();

    // Blacklist: 300 rows, 3 invalid.
    let (input, valid, invalid) = blacklist_file(leaks.home(), 300);
    leaks.mobiles(valid.iter().map(|(m, _)| m.clone()));
    leaks.mobiles((0..300).map(mobile));
    let journal = leaks.home().join("blacklist.journal");
    let failures = leaks.home().join("failures.csv");
    let sync = [
        "blacklist",
        "sync",
        input.to_str().unwrap(),
        "--supplier-id",
        "SUP-L",
        "--qps",
        "1000",
        "--journal",
        journal.to_str().unwrap(),
        "--failures",
        failures.to_str().unwrap(),
    ];
    let [(c1, _, err), (c2, out, _)] = leaks.both("blacklist sync", &url, &sync, None);
    assert_eq!((c1, c2), (1, 1), "{err}");
    assert_eq!(json(&out)["done"], 297);
    assert_eq!(blacklist_of(&sandbox.state(), "SUP-L"), valid);
    let text = std::fs::read_to_string(&failures).unwrap();
    leaks.assert_clean("failures.csv", &text);
    assert_eq!(text.lines().count(), invalid.len() + 1);
    assert!(text.contains("131****0199"), "{text}");
    leaks.assert_journal_clean(&journal);
    let payload: String = journal_db(&journal)
        .query_row("SELECT payload FROM rows WHERE line = 2", [], |r| r.get(0))
        .unwrap();
    assert!(
        payload.contains(&mobile(0)),
        "the payload keeps the real number to resend it: {payload}"
    );
    assert_eq!(unix_mode(&journal), 0o600);

    // `--unmask`: real numbers, so the file is private, even when it existed before.
    let unmasked = leaks.home().join("unmasked.csv");
    std::fs::write(&unmasked, "old\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&unmasked, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let mut args = sync.to_vec();
    let at = args
        .iter()
        .position(|a| *a == failures.to_str().unwrap())
        .unwrap();
    args[at] = unmasked.to_str().unwrap();
    args.push("--unmask");
    let (status, _, err) = leaks.run("blacklist sync --unmask", leaks.command(&url, &args), None);
    assert_eq!(status, 1, "{err}");
    let text = std::fs::read_to_string(&unmasked).unwrap();
    assert!(text.contains(&mobile(199)), "unmasked: {text}");
    assert_eq!(
        unix_mode(&unmasked),
        0o600,
        "an unmasked failures file is private"
    );

    // A dry run, a file with an unknown column, a changed input.
    let dry = leaks.home().join("dry.csv");
    let mut args = sync.to_vec();
    args[at] = dry.to_str().unwrap();
    args.push("--dry-run");
    let [(c1, _, err), (c2, _, _)] = leaks.both("blacklist sync --dry-run", &url, &args, None);
    assert_eq!((c1, c2), (1, 1), "{err}");
    leaks.assert_clean("dry.csv", &std::fs::read_to_string(&dry).unwrap());
    let odd = leaks.home().join("odd.csv");
    std::fs::write(&odd, "mobil,reason\n13100000001,1\n").unwrap();
    let [(c1, _, err), (c2, _, _)] = leaks.both(
        "blacklist sync (unknown column)",
        &url,
        &[
            "blacklist",
            "sync",
            odd.to_str().unwrap(),
            "--supplier-id",
            "S",
        ],
        None,
    );
    assert_eq!((c1, c2), (2, 2), "{err}");
    std::fs::write(&odd, "mobile,reason\n13100000001,1\n").unwrap();
    let odd_journal = leaks.home().join("odd.journal");
    let odd_sync = [
        "blacklist",
        "sync",
        odd.to_str().unwrap(),
        "--supplier-id",
        "S",
        "--journal",
        odd_journal.to_str().unwrap(),
    ];
    let (status, _, err) = leaks.run(
        "blacklist sync (small)",
        leaks.command(&url, &odd_sync),
        None,
    );
    assert_eq!(status, 0, "{err}");
    std::fs::write(&odd, "mobile,reason\n13100000002,1\n").unwrap();
    let [(c1, _, err), (c2, _, _)] =
        leaks.both("blacklist sync (changed input)", &url, &odd_sync, None);
    assert_eq!((c1, c2), (2, 2), "{err}");

    // Tags: ids that are phone numbers, an ext_param with one, a member name that is a
    // mobile, accounts not found (business failures), invalid rows.
    leaks.mobiles(["13800007777", "13800006666", "13800005555", "13800004444"]);
    let tags = leaks.home().join("tags.jsonl");
    std::fs::write(
        &tags,
        concat!(
            "{\"biz_code\":\"B\",\"alipay_user_id\":\"2088000000000011\"}\n",
            "{\"biz_code\":\"B\",\"isv_user_id\":\"13800007777\"}\n",
            "{\"biz_code\":\"B\",\"open_id\":\"+86 138 0000 6666\"}\n",
            "{\"biz_code\":\"B\",\"alipay_user_id\":\"2088000000000012\",\"ext_param\":\"{\\\"phone\\\":\\\"13800005555\\\"}\"}\n",
            "{\"biz_code\":\"B\",\"13800004444\":\"x\"}\n",
            "{\"biz_code\":\"B\"}\n",
            "not json 13800004444\n",
        ),
    )
    .unwrap();
    let tag_journal = leaks.import_checked("tag", &url, &tags, (2, 2, 3));

    // CRM: a duplicate customer (business failure), an outer id written with a country
    // code (invalid for outer_type mobile), a bad mobile column.
    leaks.mobiles(["13900003333", "13900002222", "13900001111", "13900009999"]);
    let crm = leaks.home().join("crm.csv");
    std::fs::write(
        &crm,
        concat!(
            "outer_type,outer_id,channel,customer_type,mobile,name\n",
            "mobile,13900003333,2,0,13900003333,A\n",
            "mobile,13900002222,2,1,13900002222,B\n",
            "mobile,13900003333,2,0,13900003333,A again\n",
            "mobile,+86 139-0000-1111,2,0,13900001111,C\n",
            "card,C-1,2,0,1390000999,D\n",
            "card,C-2,2,0,13900009999,13900009999\n",
        ),
    )
    .unwrap();
    // `+86 139-0000-1111` is normalised (its `outer_type` is mobile) and sent as its 11
    // digits; its written form stays in the 0600 journal only.
    let crm_journal = leaks.import_checked("crm", &url, &crm, (4, 1, 1));

    // Status and retry of each job.
    for journal in [&journal, &tag_journal, &crm_journal] {
        let j = journal.to_str().unwrap();
        let [(c1, _, err), (c2, _, _)] =
            leaks.both("sync status", &url, &["sync", "status", j], None);
        assert_eq!((c1, c2), (0, 0), "{err}");
    }
    let [(c1, _, err), (c2, _, _)] = leaks.both(
        "sync retry --unknown",
        &url,
        &[
            "sync",
            "retry",
            tag_journal.to_str().unwrap(),
            "--unknown",
            "--qps",
            "1000",
        ],
        None,
    );
    assert_eq!((c1, c2), (1, 1), "{err}");
    let [(c1, _, err), (c2, _, _)] = leaks.both(
        "sync retry",
        &url,
        &[
            "sync",
            "retry",
            crm_journal.to_str().unwrap(),
            "--qps",
            "1000",
        ],
        None,
    );
    assert_eq!((c1, c2), (1, 1), "{err}");
    leaks.assert_journal_clean(&crm_journal);
    let not_journal = leaks.home().join("not.journal");
    std::fs::write(&not_journal, "13800007777 is not a database\n").unwrap();
    let [(c1, _, err), (c2, _, _)] = leaks.both(
        "sync status (not a journal)",
        &url,
        &["sync", "status", not_journal.to_str().unwrap()],
        None,
    );
    assert_eq!((c1, c2), (2, 2), "{err}");
    eprintln!("{} runs checked", leaks.runs);
}

#[test]
fn the_sandbox_command_leaks_nothing() {
    use std::io::{BufRead, BufReader, Read};
    let mut leaks = Leaks::new();
    leaks.mobiles(["13812340001", "13812340002", "13812340003", "13812340004"]);
    let mut sandbox = leaks.command("unused", &["sandbox", "--fault-rate", "0.3", "--seed", "3"]);
    sandbox
        .env("TOP_SANDBOX_APPS", format!("{APP_KEY}:{APP_SECRET}"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = sandbox.spawn().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    let url = first
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("{first}"))
        .to_owned();

    for _ in 0..4 {
        leaks.run(
            "blacklist add (through top sandbox)",
            leaks.command(
                &url,
                &[
                    "blacklist",
                    "add",
                    "--supplier-id",
                    "S",
                    "--mobile",
                    "13812340001,13812340002",
                ],
            ),
            None,
        );
    }
    leaks.run(
        "damai register (through top sandbox, no code issued)",
        leaks.command(
            &url,
            &[
                "damai",
                "register",
                "--user-phone",
                "13812340003",
                "--password-stdin",
            ],
        ),
        Some(&format!("{PASSWORD}\n123456\n")),
    );
    leaks.run(
        "crm create (through top sandbox)",
        leaks.command(
            &url,
            &[
                "crm",
                "create",
                "--outer-type",
                "mobile",
                "--outer-id",
                "13812340004",
                "--channel",
                "2",
                "--customer-type",
                "0",
                "--mobile",
                "13812340004",
            ],
        ),
        None,
    );

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let mut out = first;
    stdout.read_to_string(&mut out).unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(
        child.wait().unwrap().success(),
        "SIGTERM stops it gracefully: {err}"
    );
    assert!(
        err.contains("call answered"),
        "the sandbox logged its calls: {err}"
    );
    leaks.assert_clean("`top sandbox` stdout", &out);
    leaks.assert_clean("`top sandbox` stderr", &err);
    eprintln!("{} runs checked, and the sandbox's own output", leaks.runs);
}
