//! What the scratch-workspace tests share: copying a tree, running a command that must
//! succeed, and cargo run on a scratch workspace with a target folder of its own.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// This workspace's root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Copies `from` into `to`, leaving out build output and version control.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name == "target" || name == ".git" {
            continue;
        }
        let target = to.join(&name);
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Runs `command`, which must succeed; its stdout and stderr.
pub fn run(command: &mut Command) -> String {
    let out = command.output().unwrap();
    let text = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{command:?} failed:\n{text}");
    text
}

/// `cargo ARGS` in the scratch workspace `root`, building in this workspace's
/// `target/<target>` without debug info (it only has to compile, lint and run).
pub fn cargo(root: &Path, target: &str, args: &[&str]) -> Command {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .current_dir(root)
        .env("CARGO_TARGET_DIR", workspace().join("target").join(target))
        .env_remove("RUSTFLAGS")
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .env("CARGO_INCREMENTAL", "0")
        .args(args);
    command
}

/// Whether the scratch builds are skipped (`TOP_CODEGEN_SKIP_COMPILE=1`).
pub fn skipped() -> bool {
    std::env::var_os("TOP_CODEGEN_SKIP_COMPILE").is_some()
}
