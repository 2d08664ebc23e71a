//! A new domain crate for `top-codegen import --crate NAME` when `crates/NAME/` does not
//! exist: its manifest with the workspace's settings, a `lib.rs` that wires in the generated
//! code, a README (the crate docs) with a compiled example built from the first API's sample,
//! and the facade's wiring in the root `Cargo.toml` (a workspace dependency, an optional
//! dependency and a feature of the same name). The sample tests and the facade's re-export
//! come from `top-codegen generate`, as for every crate.
//!
//! Everything is computed before anything is written, like the rest of an import.

use std::path::{Path, PathBuf};

use toml_edit::{Array, DocumentMut, InlineTable, Item, Table, value};
use top_model::Description;

use crate::error::CodegenError;
use crate::rust;

/// The files of a new crate and the root manifest with the crate wired in.
pub(crate) struct NewCrate {
    pub(crate) files: Vec<(PathBuf, String)>,
}

/// Crate names the workspace keeps for itself.
const RESERVED: &[&str] = &[
    "top-core",
    "top-model",
    "top-codegen",
    "top-sandbox",
    "top-sync",
    "top-cli",
    "taobao-top",
];

/// Checks a crate name: lower-case words of letters and digits joined by `-`, as crates.io
/// and the facade's feature names want them.
pub(crate) fn check_name(name: &str) -> Result<(), CodegenError> {
    let words_ok = name.split('-').all(|w| {
        !w.is_empty()
            && w.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    });
    if !words_ok || !name.starts_with(|c: char| c.is_ascii_lowercase()) {
        return Err(CodegenError::Usage(format!(
            "--crate {name}: a crate name is lower-case words of letters and digits joined by `-` (`alsc-member`)"
        )));
    }
    if RESERVED.contains(&name) {
        return Err(CodegenError::Usage(format!(
            "--crate {name}: that is one of the workspace's own crates, not a domain crate"
        )));
    }
    Ok(())
}

/// The files of crate `name`, whose first API is `first`, and the root manifest wired.
pub(crate) fn new_crate(
    root: &Path,
    name: &str,
    first: &Description,
) -> Result<NewCrate, CodegenError> {
    check_name(name)?;
    let dir = Path::new("crates").join(name);
    let manifest_path = root.join("Cargo.toml");
    let root_manifest =
        std::fs::read_to_string(&manifest_path).map_err(CodegenError::io(&manifest_path))?;
    let root_manifest = wire_root(&root_manifest, name)
        .map_err(|why| CodegenError::Usage(format!("{}: {why}", manifest_path.display())))?;
    let example = rust::readme_example(name, first)?;
    Ok(NewCrate {
        files: vec![
            (dir.join("Cargo.toml"), manifest(name, first)),
            (dir.join("src/lib.rs"), LIB_RS.to_owned()),
            (dir.join("README.md"), readme(name, first, &example)),
            (PathBuf::from("Cargo.toml"), root_manifest),
        ],
    })
}

const LIB_RS: &str = "#![doc = include_str!(\"../README.md\")]\n\
#![cfg_attr(docsrs, feature(doc_cfg))]\n\n\
// The APIs generated from their descriptions in `apis/` (`top-codegen generate`), one module\n\
// each, with their types re-exported here.\n\
mod generated;\n\
pub use generated::*;\n\n\
/// The protocol core this crate describes calls for: [`top_core::TopClient`] performs them.\n\
pub use top_core;\n";

fn manifest(name: &str, first: &Description) -> String {
    let description = format!(
        "Typed TOP call {}{}, generated from its description.",
        first.method(),
        chinese(first)
    );
    format!(
        r#"[package]
name = "{name}"
description = {description:?}
readme = "README.md"
version.workspace = true
edition.workspace = true
rust-version.workspace = true
license.workspace = true
repository.workspace = true
homepage.workspace = true
categories.workspace = true
keywords.workspace = true

[features]
default = ["rustls"]
## TLS through rustls (default).
rustls = ["top-core/rustls"]
## TLS through the platform's native library.
native-tls = ["top-core/native-tls"]
## XML responses.
xml = ["top-core/xml"]
## `top_core::testing::StubTransport`: typed stubs for unit tests of code that makes these calls.
test-util = ["top-core/test-util"]
## Byte-level test doubles: `top_core::MockTransport` (mockall) and `top_core::testing`'s wiremock helpers.
mock = ["top-core/mock"]

[dependencies]
top-core.workspace = true
serde.workspace = true

[dev-dependencies]
top-core = {{ workspace = true, features = ["rustls", "xml"] }}
# The generated sample tests (tests/samples.rs) call each API through the sandbox and a
# typed stub.
top-sandbox = {{ workspace = true, features = ["testing"] }}
tokio.workspace = true

[lints]
workspace = true

[package.metadata.docs.rs]
all-features = true
"#
    )
}

fn chinese(d: &Description) -> String {
    let name = d.vendor.api_chinese_name.trim();
    if name.is_empty() {
        String::new()
    } else {
        format!(" ({name})")
    }
}

fn readme(name: &str, first: &Description, example: &rust::ReadmeExample) -> String {
    let krate = name.replace('-', "_");
    let method = first.method();
    let mut text = format!(
        "# {name}\n\n\
         Typed calls of Taobao Open Platform (TOP) APIs, part of\n\
         [taobao-top](https://github.com/taobao-top/taobao-top); the first is **`{method}`**{chinese}.\n\n\
         This crate only *describes* the calls (request and response types, validation, which\n\
         calls are safe to resend); [`top_core::TopClient`] validates, signs, sends, decodes and\n\
         retries them. Its code is generated by `top-codegen` from the descriptions in\n\
         `apis/<method>/`, one module per API (do not edit it: change the description and run\n\
         `cargo run -p top-codegen -- generate`). Add an API with\n\
         `cargo run -p top-codegen -- import FILE --crate {name}`.\n\n\
         ```toml\n[dependencies]\n{name} = \"0.1\"\ntop-core = \"0.1\"\n\
         tokio = {{ version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }}\n```\n\n\
         Or depend on the facade, `taobao-top`, with its feature `{name}`, and use\n\
         `taobao_top::{krate}`.\n\n",
        chinese = chinese(first),
    );
    text.push_str("```rust,no_run\n");
    let types = match example.types.as_slice() {
        [one] => one.clone(),
        many => format!("{{{}}}", many.join(", ")),
    };
    text.push_str(&format!("use {krate}::{}::{types};\n", example.module));
    text.push_str(&format!("use {krate}::top_core::{{Error, TopClient}};\n\n"));
    text.push_str("# async fn run() -> Result<(), Box<dyn std::error::Error>> {\n");
    text.push_str(
        "// TOP_APP_KEY, TOP_APP_SECRET, TOP_ENDPOINT (a URL, `production`, `sandbox`)...\n",
    );
    text.push_str("let client = TopClient::from_env()?;\n");
    text.push_str(&format!("let request = {};\n", example.code));
    text.push_str(
        "match client.execute(&request).await {\n\
         \x20   Ok(answer) => println!(\"{answer:?}\"),\n\
         \x20   // A failure reported inside a success envelope: the typed answer is still there.\n\
         \x20   Err(Error::Business(failure)) => println!(\"refused: {failure}\"),\n\
         \x20   Err(other) => return Err(other.into()),\n\
         }\n# Ok(()) }\n```\n",
    );
    text.push_str(&format!(
        "\nThe sample tests in `tests/samples.rs` (generated) call each API through the sandbox,\n\
         `top-sandbox`, which reads the same descriptions: `cargo test -p {name}`.\n"
    ));
    text
}

/// The root manifest with crate `name` wired in: a workspace dependency, and when the root is
/// the facade, an optional dependency, a feature of the same name and its `test-util`.
/// Entries already there are kept as they are, so wiring twice changes nothing.
fn wire_root(text: &str, name: &str) -> Result<String, String> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e| format!("not a Cargo manifest: {e}"))?;
    let workspace = doc
        .get_mut("workspace")
        .and_then(Item::as_table_mut)
        .ok_or("no [workspace] table: run top-codegen in the workspace's root (--root)")?;
    let deps = workspace
        .entry("dependencies")
        .or_insert_with(|| Item::Table(Table::new()))
        .as_table_mut()
        .ok_or("[workspace.dependencies] is not a table")?;
    if !deps.contains_key(name) {
        let mut dep = InlineTable::new();
        dep.insert("path", format!("crates/{name}").into());
        dep.insert("version", "0.1.0".into());
        dep.insert("default-features", false.into());
        deps.insert(name, value(dep));
    }
    if doc.get("package").is_none() {
        return Ok(doc.to_string());
    }
    let features = doc
        .entry("features")
        .or_insert_with(|| Item::Table(Table::new()))
        .as_table_mut()
        .ok_or("[features] is not a table")?;
    if !features.contains_key(name) {
        let mut enables = Array::new();
        enables.push(format!("dep:{name}"));
        features.insert(name, value(enables));
        if let Some(mut key) = features.key_mut(name) {
            key.leaf_decor_mut()
                .set_prefix(format!("## The `{name}` crate's APIs.\n"));
        }
    }
    if let Some(test_util) = features.get_mut("test-util").and_then(Item::as_array_mut) {
        let entry = format!("{name}?/test-util");
        if !test_util.iter().any(|v| v.as_str() == Some(entry.as_str())) {
            test_util.push(entry);
        }
    }
    let dependencies = doc
        .entry("dependencies")
        .or_insert_with(|| Item::Table(Table::new()))
        .as_table_mut()
        .ok_or("[dependencies] is not a table")?;
    if !dependencies.contains_key(name) {
        let mut dep = InlineTable::new();
        dep.insert("workspace", true.into());
        dep.insert("optional", true.into());
        dependencies.insert(name, value(dep));
    }
    Ok(doc.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROOT: &str = "[workspace]\nmembers = [\"crates/*\"]\n\n[workspace.dependencies]\ntop-core = { path = \"crates/top-core\" }\n\n\
        [package]\nname = \"taobao-top\"\n\n[features]\ndefault = [\"rustls\"]\n## TLS.\nrustls = []\ntest-util = [\"top-core/test-util\"]\n\n\
        [dependencies]\ntop-core.workspace = true\n";

    #[test]
    fn the_root_manifest_gets_the_crate_once() {
        let once = wire_root(ROOT, "alsc-member").unwrap();
        for expected in [
            "alsc-member = { path = \"crates/alsc-member\", version = \"0.1.0\", default-features = false }",
            "## The `alsc-member` crate's APIs.\nalsc-member = [\"dep:alsc-member\"]",
            "test-util = [\"top-core/test-util\", \"alsc-member?/test-util\"]",
            "alsc-member = { workspace = true, optional = true }",
            "## TLS.\nrustls = []",
        ] {
            assert!(once.contains(expected), "{expected} in:\n{once}");
        }
        assert_eq!(wire_root(&once, "alsc-member").unwrap(), once);
    }

    #[test]
    fn a_root_without_a_package_gets_only_the_workspace_dependency() {
        let text = "[workspace]\nmembers = [\"crates/*\"]\n";
        let wired = wire_root(text, "demo").unwrap();
        assert!(wired.contains("[workspace.dependencies]\ndemo = { path = \"crates/demo\""));
        assert!(!wired.contains("[features]"), "{wired}");
        assert!(wire_root("[package]\nname = \"x\"\n", "demo").is_err());
        assert!(wire_root("not toml [", "demo").is_err());
    }

    #[test]
    fn crate_names() {
        for good in ["alsc-member", "logistics2", "a"] {
            assert!(check_name(good).is_ok(), "{good}");
        }
        for bad in [
            "",
            "Alsc",
            "alsc_member",
            "-x",
            "x-",
            "a--b",
            "top-core",
            "taobao-top",
            "2x",
        ] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
    }
}
