//! The typed single calls, `top call` and `top config show`, run as the real binary against
//! an in-process sandbox.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use top_core::Mobile;

#[test]
fn typed_commands_and_call_reach_the_sandbox() {
    let sandbox = TestSandbox::start(|b| b);
    let home = tempfile::tempdir().unwrap();
    let top_run = |args: &[&str]| run(top(home.path(), &sandbox.url).args(args));

    let (code, out, err) = top_run(&[
        "tag",
        "add",
        "--biz-code",
        "B",
        "--alipay-user-id",
        "2088000000000001",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(json(&out)["result"], true);

    let (code, out, err) = top_run(&[
        "blacklist",
        "add",
        "--supplier-id",
        "S1",
        "--mobile",
        "13800001111,13800002222",
        "--reason",
        "1,2",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(!out.contains("13800001111"), "answers are masked: {out}");
    let (code, _, err) = top_run(&[
        "blacklist",
        "remove",
        "--supplier-id",
        "S1",
        "--mobile",
        "13800002222",
    ]);
    assert_eq!(code, 0, "{err}");
    let state = sandbox.state();
    assert_eq!(
        blacklist_of(&state, "S1"),
        vec![("13800001111".to_owned(), vec![1, 2])]
    );

    let (code, out, err) = top_run(&[
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
        "--gender",
        "0",
        "--birthday",
        "1990-01-02",
        "--tag-id-list",
        "a,b",
        "--output",
        "json",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(json(&out)["result"]["biz_success"], true);

    let phone = Mobile::new("13700001111");
    let auth = sandbox
        .runtime
        .block_on(sandbox.handle().issue_auth_code(&phone, 1))
        .unwrap();
    let mut cmd = top(home.path(), &sandbox.url);
    cmd.args([
        "damai",
        "register",
        "--user-phone",
        "13700001111",
        "--password-stdin",
    ])
    .env("TOP_DAMAI_PTNR_TOKEN", top_sandbox::DEMO_PTNR_TOKEN)
    .env("TOP_DAMAI_TENANT_TOKEN", top_sandbox::DEMO_TENANT_TOKEN)
    .env("TOP_DAMAI_CHANNEL_TOKEN", top_sandbox::DEMO_CHANNEL_TOKEN)
    .stdin(std::process::Stdio::piped())
    .stdout(std::process::Stdio::piped())
    .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        writeln!(stdin, "Secret-pass1\n{auth}").unwrap();
    }
    let output = child.wait_with_output().unwrap();
    let (out, err) = (
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    assert_eq!(output.status.code(), Some(0), "{out}{err}");
    assert!(!out.contains("Secret-pass1") && !err.contains("Secret-pass1"));
    assert_eq!(sandbox.state().damai_members.len(), 1);

    let (code, out, err) = top_run(&[
        "call",
        "taobao.retail.user.tag.mobile.add",
        "-p",
        "biz_code=B",
        "-p",
        "alipay_user_id=2088000000000002",
        "--output",
        "json",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(json(&out)["module"]["tag_success"], true);
    assert_eq!(sandbox.state().tags.len(), 2);
}

#[test]
fn bad_input_is_refused_before_sending_and_errors_carry_top_fields() {
    let sandbox = TestSandbox::start(|b| b);
    let home = tempfile::tempdir().unwrap();
    let top_run = |args: &[&str]| run(top(home.path(), &sandbox.url).args(args));
    let calls = || sandbox.state().calls.values().sum::<u64>();

    let (code, _, err) = top_run(&[
        "blacklist",
        "add",
        "--supplier-id",
        "S",
        "--mobile",
        "1380000111",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("invalid `mobile`"), "{err}");
    let (code, out, _) = top_run(&[
        "blacklist",
        "add",
        "--supplier-id",
        "S",
        "--mobile",
        "13800001111",
        "--reason",
        "1,7",
        "--output",
        "json",
    ]);
    assert_eq!(code, 2);
    assert_eq!(json(&out)["error"]["field"], "reason");
    let (code, _, err) = top_run(&[
        "crm",
        "create",
        "--outer-type",
        "m",
        "--outer-id",
        "1",
        "--channel",
        "2",
        "--customer-type",
        "0",
        "--birthday",
        "soon",
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("birthday"), "{err}");
    let (code, _, err) = top_run(&["tag", "add", "--biz-code", "B"]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(calls(), 0, "nothing was sent");

    // An API error (the description's check skipped): exit 1 with code, sub_code, message
    // and request_id.
    let (code, out, _) = top_run(&[
        "call",
        "taobao.retail.user.tag.mobile.add",
        "-p",
        "ext_param=not json",
        "-p",
        "open_id=x",
        "--no-check",
        "--output",
        "json",
    ]);
    assert_eq!(code, 1, "{out}");
    let error = &json(&out)["error"];
    assert!(
        error["code"].is_string() && error["sub_code"].is_string(),
        "{error}"
    );
    assert!(error["request_id"].is_string(), "{error}");

    // A secret as a flag does not exist.
    let (code, _, err) = top_run(&["call", "taobao.time.get", "--app-secret", "x"]);
    assert_eq!(code, 2, "{err}");
    // Missing credentials: exit 2, naming what to set.
    let (code, _, err) = run(top(home.path(), &sandbox.url)
        .env_remove("TOP_APP_SECRET")
        .args(["tag", "add", "--open-id", "o"]));
    assert_eq!(code, 2);
    assert!(err.contains("TOP_APP_SECRET"), "{err}");
}

#[test]
fn config_show_names_sources_and_redacts_secrets() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join(".config/top");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("config.toml");
    std::fs::write(
        &file,
        "default_profile = \"work\"\n[profiles.work]\napp_key = \"111\"\napp_secret = \"file-secret-value\"\nsession = \"file-session-value\"\nendpoint = \"sandbox\"\n[profiles.other]\napp_key = \"222\"\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_top"));
    cmd.env_clear()
        .env("HOME", home.path())
        .env("TOP_SIGN_METHOD", "md5");
    let (code, out, err) = run(cmd.args([
        "config",
        "show",
        "--endpoint",
        "overseas",
        "--output",
        "json",
    ]));
    assert_eq!(code, 0, "{err}");
    assert!(
        !out.contains("file-secret-value") && !out.contains("file-session-value"),
        "{out}"
    );
    let v = json(&out);
    let s = &v["settings"];
    assert_eq!(s["app_key"]["value"], "111");
    assert!(
        s["app_key"]["source"]
            .as_str()
            .unwrap()
            .contains("[profiles.work]")
    );
    assert_eq!(s["app_secret"]["value"], "***");
    assert_eq!(s["endpoint"]["value"], "overseas");
    assert_eq!(s["endpoint"]["source"], "flag --endpoint");
    assert_eq!(s["sign_method"]["source"], "env TOP_SIGN_METHOD");
    #[cfg(unix)]
    assert!(
        v["warnings"][0].as_str().unwrap().contains("chmod 600"),
        "{v}"
    );

    let (code, out, _) = run(cmd.args(["--profile", "other"]));
    assert_eq!(code, 0);
    assert_eq!(json(&out)["settings"]["app_key"]["value"], "222");
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_top"));
    cmd.env_clear().env("HOME", home.path());
    let (code, _, err) = run(cmd.args(["config", "show", "--profile", "nope"]));
    assert_eq!(code, 2);
    assert!(err.contains("profile `nope`"), "{err}");
}
