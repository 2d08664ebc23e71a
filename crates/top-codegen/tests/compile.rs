//! The generated Rust compiles cleanly for every description we have, not only for the APIs
//! the workspace has converted: a scratch workspace gets the real APIs (as if none were
//! written by hand any more, so `alsc-crm` holds two APIs whose `CommonResult` and `Gender`
//! clash) and a made-up API that uses what the real ones do not (keywords and camelCase wire
//! names, nested lists of objects, secrets, prices, dates, rules across members, a vendor
//! type named `Result`). Then `cargo clippy --all-targets -D warnings`, rustdoc with
//! `-D warnings`, and the made-up API's tests (its `validate()` against `top_model`'s
//! `check_json`, value by value) must pass, and `top-codegen check` must agree.
//!
//! It builds in `target/codegen-scratch` (offline, with the workspace's `Cargo.lock`), so
//! only its first run compiles the dependencies. Set `TOP_CODEGEN_SKIP_COMPILE=1` to skip it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::Command;

use common::{cargo, copy_dir, run, skipped, workspace};

#[test]
fn generated_code_of_every_description_compiles_without_warnings() {
    if skipped() {
        return;
    }
    let real = workspace();
    let scratch = tempfile::tempdir().unwrap();
    let root = scratch.path();

    // apis/: the real ones, none hand-written, and the made-up one.
    let apis = root.join("apis");
    copy_dir(&real.join("apis"), &apis);
    for entry in std::fs::read_dir(&apis).unwrap() {
        let overlay = entry.unwrap().path().join("overlay.toml");
        let text = std::fs::read_to_string(&overlay).unwrap();
        let text: Vec<&str> = text
            .lines()
            .filter(|l| !l.trim_start().starts_with("hand_written"))
            .collect();
        std::fs::write(&overlay, text.join("\n") + "\n").unwrap();
    }
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/taobao.demo.order.sync");
    copy_dir(&demo, &apis.join("taobao.demo.order.sync"));

    // One crate per `crate = ...`, with nothing but the extension point.
    let mut crates = vec![
        "alsc-crm",
        "damai-member",
        "logistics-blacklist",
        "retail-tag",
        "demo",
    ];
    crates.sort();
    let top_core = real.join("crates/top-core");
    let top_model = real.join("crates/top-model");
    for name in &crates {
        let dir = root.join("crates").join(name);
        std::fs::create_dir_all(dir.join("src")).unwrap();
        let mut manifest = format!(
            "[package]\nname = {name:?}\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\ntop-core = {{ path = {:?}, default-features = false }}\n\
             serde = {{ version = \"1.0.200\", features = [\"derive\"] }}\n\n\
             [lints]\nworkspace = true\n",
            top_core.display().to_string(),
        );
        if *name == "demo" {
            manifest.push_str(&format!(
                "\n[dev-dependencies]\ntop-model = {{ path = {:?} }}\nserde_json = \"1.0.120\"\n",
                top_model.display().to_string()
            ));
            std::fs::create_dir_all(dir.join("tests")).unwrap();
            std::fs::copy(
                Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/demo_equivalence.rs"),
                dir.join("tests/equivalence.rs"),
            )
            .unwrap();
        }
        std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
        std::fs::write(
            dir.join("src/lib.rs"),
            format!("//! `{name}`, generated only.\n\nmod generated;\npub use generated::*;\n"),
        )
        .unwrap();
    }
    let members: Vec<String> = crates.iter().map(|c| format!("\"crates/{c}\"")).collect();
    std::fs::write(
        root.join("Cargo.toml"),
        format!(
            "[workspace]\nmembers = [{}]\nresolver = \"3\"\n\n\
             [workspace.lints.rust]\nmissing_docs = \"warn\"\nunsafe_code = \"forbid\"\n\n\
             [workspace.lints.clippy]\nunwrap_used = \"warn\"\nexpect_used = \"warn\"\n",
            members.join(", ")
        ),
    )
    .unwrap();
    std::fs::copy(real.join("Cargo.lock"), root.join("Cargo.lock")).unwrap();
    std::fs::copy(real.join("clippy.toml"), root.join("clippy.toml")).unwrap();

    let codegen = || {
        let mut command = Command::new(env!("CARGO_BIN_EXE_top-codegen"));
        command.arg("--root").arg(root);
        command
    };
    let out = run(codegen().arg("generate"));
    assert!(!out.contains("skipped"), "{out}");
    assert!(!out.contains("does not declare"), "{out}");
    run(codegen().arg("check"));
    for (file, needle) in [
        ("alsc-crm/src/generated/mod.rs", "pub mod customer_create;"),
        ("alsc-crm/src/generated/mod.rs", "pub mod customer_update;"),
        (
            "alsc-crm/src/generated/customer_update.rs",
            "use crate::CustomerType;",
        ),
        (
            "alsc-crm/src/generated/customer_update.rs",
            "pub enum Gender",
        ),
        (
            "demo/src/generated/order_sync.rs",
            "pub struct OrderSyncResult",
        ),
    ] {
        let text = std::fs::read_to_string(root.join("crates").join(file)).unwrap();
        assert!(text.contains(needle), "{file} lacks {needle}");
    }
    let mod_rs =
        std::fs::read_to_string(root.join("crates/alsc-crm/src/generated/mod.rs")).unwrap();
    let update_exports = mod_rs
        .split("pub use customer_update::")
        .nth(1)
        .and_then(|rest| rest.split(';').next())
        .unwrap();
    assert!(
        !update_exports.contains("CommonResult") && !update_exports.contains("Gender"),
        "the clashing names of customer.update stay in its module:\n{mod_rs}"
    );

    let cargo = |args: &[&str]| cargo(root, "codegen-scratch", args);
    run(&mut cargo(&[
        "clippy",
        "--offline",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]));
    run(cargo(&["doc", "--offline", "--workspace", "--no-deps"]).env("RUSTDOCFLAGS", "-D warnings"));
    let tests = run(&mut cargo(&["test", "--offline", "-p", "demo"]));
    assert!(
        tests.contains("validate_and_check_json_agree ... ok"),
        "{tests}"
    );
}
