//! A crate outside this workspace, as a user writes it: it depends on `taobao-top` with
//! `features = ["test-util"]`, builds requests from their wire JSON, answers them with
//! `StubTransport` rules and asserts on the typed records (`tests/outside/stubbed_service.rs`).
//! The test makes that crate in a temporary folder and runs its `cargo test`, so it proves
//! what a user gets from the published feature set, not what the workspace's own feature
//! unification happens to switch on.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Command;

#[test]
fn a_crate_outside_the_workspace_tests_its_code_with_typed_stubs() {
    let repository = Path::new(env!("CARGO_MANIFEST_DIR"));
    let user = tempfile::tempdir().unwrap();
    let manifest = format!(
        r#"[package]
name = "user-service"
version = "0.1.0"
edition = "2024"
publish = false

[dependencies]
taobao-top = {{ path = {path:?}, features = ["test-util"] }}

[dev-dependencies]
serde_json = "1"
tokio = {{ version = "1", features = ["macros", "rt"] }}

[workspace]
"#,
        path = repository.display().to_string()
    );
    std::fs::write(user.path().join("Cargo.toml"), manifest).unwrap();
    std::fs::create_dir_all(user.path().join("src")).unwrap();
    std::fs::write(user.path().join("src/lib.rs"), "//! A user's service.\n").unwrap();
    std::fs::create_dir_all(user.path().join("tests")).unwrap();
    std::fs::copy(
        repository.join("tests/outside/stubbed_service.rs"),
        user.path().join("tests/stubbed_service.rs"),
    )
    .unwrap();
    // The workspace's lock pins every version the user's crate needs, so it builds offline
    // from the crates this build already fetched.
    std::fs::copy(
        repository.join("Cargo.lock"),
        user.path().join("Cargo.lock"),
    )
    .unwrap();

    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = Command::new(cargo)
        .current_dir(user.path())
        .args(["test", "--offline", "--test", "stubbed_service"])
        // The scratch folder the codegen import test builds in: dependencies built once serve both.
        .env(
            "CARGO_TARGET_DIR",
            repository.join("target").join("import-scratch"),
        )
        .env_remove("RUSTFLAGS")
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .env("CARGO_INCREMENTAL", "0")
        .output()
        .unwrap();
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "the user's cargo test failed:\n{text}"
    );
    assert!(
        text.contains("test result: ok. 2 passed; 0 failed"),
        "both of the user's tests ran and passed:\n{text}"
    );
}
