//! Any TOP API in minutes, end to end, on a copy of this workspace: ten vendor descriptions
//! of varied shape (`tests/data/vendor/`, see its README) are imported with the real
//! `top-codegen import --crate`: the local-services CRM ones join the existing `alsc-crm`, the
//! others make a new crate, `extra-apis`, which the import creates and wires into the facade.
//! Then `top-codegen generate`, and with nothing edited by hand:
//! - clippy with `-D warnings` on both crates and on the facade with the new feature;
//! - the generated sample tests call every imported API through the sandbox over HTTP, in
//!   JSON and in XML (the sandbox serves them from their descriptions alone);
//! - the new crate's README example compiles, and rustdoc has no warning;
//! - `top describe` describes each one, and `top call` refuses a call that lacks a required
//!   parameter before sending it;
//! - `top-codegen check` agrees, and importing a file again keeps its overlay and reports no
//!   change.
//!
//! Each phase's time is printed (`--nocapture`): import to first call is the import, the
//! generation, the build of the crates and the first sample test. It builds in
//! `target/import-scratch` (offline, with the workspace's `Cargo.lock`). Set
//! `TOP_CODEGEN_SKIP_COMPILE=1` to skip it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use common::{cargo, copy_dir, run, skipped, workspace};

const NEW_CRATE: &str = "extra-apis";
const EXISTING_CRATE: &str = "alsc-crm";

fn vendor_files() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/vendor");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

/// Whether the vendor marks a top-level request parameter required.
fn has_required_param(file: &Path) -> bool {
    let value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
    let api = value.get("data").unwrap_or(&value);
    api["requestParams"]
        .as_array()
        .is_some_and(|params| params.iter().any(|p| p["required"] == true))
}

fn method_of(file: &Path) -> String {
    file.file_stem().unwrap().to_string_lossy().into_owned()
}

#[test]
fn ten_vendor_descriptions_become_typed_crates_the_sandbox_and_the_cli_serve() {
    if skipped() {
        return;
    }
    let files = vendor_files();
    assert_eq!(files.len(), 10, "{files:?}");
    let scratch = tempfile::tempdir().unwrap();
    let root = scratch.path();
    copy_dir(&workspace(), root);
    let (crm, others): (Vec<PathBuf>, Vec<PathBuf>) = files
        .iter()
        .cloned()
        .partition(|f| method_of(f).starts_with("alibaba.alsc.crm."));
    assert!(!crm.is_empty() && !others.is_empty());

    let codegen = || {
        let mut command = Command::new(env!("CARGO_BIN_EXE_top-codegen"));
        command.arg("--root").arg(root);
        command
    };
    let started = Instant::now();
    let out = run(codegen()
        .args(["import", "--crate", EXISTING_CRATE])
        .args(&crm));
    assert_eq!(
        out.matches(&format!("new in crate {EXISTING_CRATE}"))
            .count(),
        crm.len(),
        "{out}"
    );
    let out = run(codegen()
        .args(["import", "--crate", NEW_CRATE])
        .args(&others));
    assert_eq!(
        out.matches(&format!("new in crate {NEW_CRATE}")).count(),
        others.len(),
        "{out}"
    );
    assert!(
        out.contains(&format!("crate {NEW_CRATE}: created")),
        "{out}"
    );
    let out = run(codegen().arg("generate"));
    assert!(!out.contains("no sample test"), "{out}");
    assert!(!out.contains("note:"), "{out}");
    let imported = started.elapsed();

    let krate = root.join("crates").join(NEW_CRATE);
    for file in ["Cargo.toml", "README.md", "src/lib.rs", "tests/samples.rs"] {
        assert!(krate.join(file).is_file(), "{file}");
    }
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    assert!(
        manifest.contains(&format!("{NEW_CRATE} = [\"dep:{NEW_CRATE}\"]")),
        "{manifest}"
    );
    let domains = std::fs::read_to_string(root.join("src/domains.rs")).unwrap();
    assert!(domains.contains(&format!("pub use {};", NEW_CRATE.replace('-', "_"))));
    for (krate, apis) in [(EXISTING_CRATE, &crm), (NEW_CRATE, &others)] {
        let tests =
            std::fs::read_to_string(root.join("crates").join(krate).join("tests/samples.rs"))
                .unwrap();
        for file in apis.iter() {
            assert!(tests.contains(&format!("/// `{}` with its sample.", method_of(file))));
        }
    }

    let target = workspace().join("target/import-scratch");
    let cargo = |args: &[&str]| cargo(root, "import-scratch", args);
    // The first call: build the crates and run the new crate's sample tests.
    let tests = run(&mut cargo(&[
        "test",
        "--offline",
        "-p",
        NEW_CRATE,
        "--test",
        "samples",
    ]));
    let first_call = started.elapsed();
    let tests = tests
        + &run(&mut cargo(&[
            "test",
            "--offline",
            "-p",
            EXISTING_CRATE,
            "--test",
            "samples",
        ]));
    let passed: usize = tests
        .lines()
        .filter_map(|l| l.strip_prefix("test result: ok. "))
        .filter_map(|l| l.split(' ').next()?.parse::<usize>().ok())
        .sum();
    let existing_apis = std::fs::read_dir(root.join("apis"))
        .unwrap()
        .filter(|e| {
            let overlay = e.as_ref().unwrap().path().join("overlay.toml");
            std::fs::read_to_string(overlay)
                .unwrap()
                .contains(&format!("crate = \"{EXISTING_CRATE}\""))
        })
        .count();
    assert_eq!(passed, others.len() + existing_apis, "{tests}");
    assert!(!tests.contains("FAILED"), "{tests}");

    run(&mut cargo(&[
        "clippy",
        "--offline",
        "-p",
        NEW_CRATE,
        "-p",
        EXISTING_CRATE,
        "--all-targets",
        "--all-features",
        "--",
        "-D",
        "warnings",
    ]));
    run(&mut cargo(&[
        "clippy",
        "--offline",
        "-p",
        "taobao-top",
        "--lib",
        "--features",
        NEW_CRATE,
        "--",
        "-D",
        "warnings",
    ]));
    run(&mut cargo(&["test", "--offline", "-p", NEW_CRATE, "--doc"]));
    run(cargo(&[
        "doc",
        "--offline",
        "-p",
        NEW_CRATE,
        "-p",
        EXISTING_CRATE,
        "--no-deps",
    ])
    .env("RUSTDOCFLAGS", "-D warnings"));
    run(codegen().arg("check"));

    // The command line reads the descriptions built in after `generate`.
    run(&mut cargo(&["build", "--offline", "-p", "top-cli"]));
    let top = target.join("debug/top");
    for file in &files {
        let method = method_of(file);
        let described = run(Command::new(&top).args(["describe", &method]));
        assert!(described.contains(&method), "{described}");
        let refused = Command::new(&top)
            .args(["call", &method])
            .env("TOP_APP_KEY", "10000001")
            .env("TOP_APP_SECRET", "sandbox-secret")
            // Nothing listens here: a call that got this far would fail to connect.
            .env("TOP_ENDPOINT", "http://127.0.0.1:9")
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&refused.stderr);
        if has_required_param(file) {
            assert!(!refused.status.success(), "{method}: {text}");
            assert!(text.contains("required"), "{method}: {text}");
            assert!(!text.contains("connect"), "{method} was sent: {text}");
        }
    }

    // Importing again: the overlay is kept, nothing changed.
    let again = run(codegen()
        .args(["import", "--crate", NEW_CRATE])
        .arg(&others[0]));
    assert!(
        again.contains("updated, overlay kept; no member changed"),
        "{again}"
    );

    eprintln!(
        "import + generate: {:.1} s; import to first call (with the build): {:.1} s; all: {:.1} s",
        imported.as_secs_f64(),
        first_call.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
}
