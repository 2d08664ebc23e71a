//! The real `top-codegen` binary on a scratch workspace: import, generate, check, re-import
//! with changes, and bad input that writes nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn vendor_fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../top-model/tests/data/vendor")
        .join(format!("{name}.json"))
}

fn codegen(root: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_top-codegen"))
        .arg("--root")
        .arg(root)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every file below `dir`, with its content, for "nothing was written" checks.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push((path.clone(), std::fs::read(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

const GET: &str = "alibaba.alsc.crm.customer.get";

/// A facade's root manifest, as `import --crate` finds it.
const ROOT_MANIFEST: &str = "[workspace]\nmembers = [\"crates/*\"]\n\n[workspace.dependencies]\ntop-core = { path = \"crates/top-core\" }\n\n\
    [package]\nname = \"taobao-top\"\n\n[features]\ndefault = []\ntest-util = [\"top-core/test-util\"]\n\n[dependencies]\ntop-core.workspace = true\n";

#[test]
fn import_generate_check_and_reimport() {
    let root = tempfile::tempdir().unwrap();
    let root = root.path();
    std::fs::create_dir_all(root.join("crates/top-model/src")).unwrap();
    std::fs::write(root.join("Cargo.toml"), ROOT_MANIFEST).unwrap();

    // A new API needs its crate.
    let fixture = vendor_fixture(GET);
    let (code, _, err) = codegen(root, &["import", fixture.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--crate"), "{err}");
    assert!(!root.join("apis").exists(), "nothing written");

    let (code, out, err) = codegen(
        root,
        &["import", fixture.to_str().unwrap(), "--crate", "alsc-crm"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&format!("{GET}: new in crate alsc-crm")),
        "{out}"
    );
    let dir = root.join("apis").join(GET);
    let overlay = std::fs::read_to_string(dir.join("overlay.toml")).unwrap();
    assert!(overlay.contains("crate = \"alsc-crm\""), "{overlay}");
    // The crate is new: made, with its README example built from the sample, and wired in.
    assert!(out.contains("crate alsc-crm: created"), "{out}");
    let readme = std::fs::read_to_string(root.join("crates/alsc-crm/README.md")).unwrap();
    assert!(
        readme.contains("use alsc_crm::customer_get::{AlibabaAlscCrmCustomerGetRequest, CustomerIdQueryOpenReq};"),
        "{readme}"
    );
    assert!(
        readme.contains("let request = AlibabaAlscCrmCustomerGetRequest::new()\n    .param_customer_id_query_open_req(CustomerIdQueryOpenReq::new([\"sample\"])"),
        "{readme}"
    );
    let lib = std::fs::read_to_string(root.join("crates/alsc-crm/src/lib.rs")).unwrap();
    assert!(lib.contains("mod generated;") && lib.contains("include_str!(\"../README.md\")"));
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    for wired in [
        "alsc-crm = { path = \"crates/alsc-crm\", version = \"0.1.0\", default-features = false }",
        "alsc-crm = [\"dep:alsc-crm\"]",
        "\"alsc-crm?/test-util\"",
        "alsc-crm = { workspace = true, optional = true }",
    ] {
        assert!(manifest.contains(wired), "{wired} in:\n{manifest}");
    }

    // Nothing generated yet: check names the files and fails.
    let (code, _, err) = codegen(root, &["check"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("crates/top-model/src/builtin.rs"), "{err}");
    let (code, out, err) = codegen(root, &["generate"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("from 1 descriptions"), "{out}");
    let builtin = std::fs::read_to_string(root.join("crates/top-model/src/builtin.rs")).unwrap();
    assert!(builtin.contains(&format!("include_str!(\"../builtin/{GET}/vendor.json\")")));
    let (code, out, _) = codegen(root, &["check"]);
    assert_eq!(code, 0, "{out}");

    // A hand edit of a generated file is drift.
    let copy = root.join(format!("crates/top-model/builtin/{GET}/overlay.toml"));
    std::fs::write(&copy, "edited").unwrap();
    let (code, _, err) = codegen(root, &["check"]);
    assert_eq!(code, 1);
    assert!(err.contains(&format!("{GET}/overlay.toml")), "{err}");
    codegen(root, &["generate"]);

    // The overlay is the project's: a re-import keeps it and reports the vendor's changes.
    let custom = format!("{overlay}alias = \"GetCustomer\"\n");
    std::fs::write(dir.join("overlay.toml"), &custom).unwrap();
    let mut vendor: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&fixture).unwrap()).unwrap();
    let request = vendor["requestParams"][0]["subParams"]
        .as_array_mut()
        .unwrap();
    request.retain(|p| p["name"] != "phone");
    request.push(serde_json::json!({"name": "union_id", "type": "String"}));
    request[0]["type"] = "Number".into();
    let changed = root.join("changed.json");
    std::fs::write(
        &changed,
        serde_json::json!({"success": true, "data": vendor}).to_string(),
    )
    .unwrap();
    let (code, out, err) = codegen(root, &["import", changed.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("updated, overlay kept"), "{out}");
    assert!(
        out.contains("+ request.param_customer_id_query_open_req.union_id"),
        "{out}"
    );
    assert!(
        out.contains("- request.param_customer_id_query_open_req.phone"),
        "{out}"
    );
    assert!(
        out.contains("~ request.param_customer_id_query_open_req.brand_id: String -> Number"),
        "{out}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("overlay.toml")).unwrap(),
        custom
    );
    let (code, _, _) = codegen(root, &["check"]);
    assert_eq!(code, 1, "the new vendor part is not generated yet");
}

#[test]
fn bad_input_names_the_file_and_member_and_writes_nothing() {
    let root = tempfile::tempdir().unwrap();
    let root = root.path();
    std::fs::create_dir_all(root.join("apis")).unwrap();
    let good = vendor_fixture(GET);
    let bad = root.join("bad.json");
    std::fs::write(
        &bad,
        r#"{"name":"taobao.bad.api","requestParams":[{"name":"o","type":"O","subParams":[{"name":"m"}]}]}"#,
    )
    .unwrap();
    let before = snapshot(root);
    let (code, _, err) = codegen(
        root,
        &[
            "import",
            good.to_str().unwrap(),
            bad.to_str().unwrap(),
            "--crate",
            "x",
        ],
    );
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("bad.json") && err.contains("request.o.m: a member without a type"),
        "{err}"
    );
    assert_eq!(
        snapshot(root),
        before,
        "nothing written, not even the good file"
    );

    let not_json = root.join("page.txt");
    std::fs::write(&not_json, "文档中心 > API类目").unwrap();
    let (code, _, err) = codegen(
        root,
        &["import", not_json.to_str().unwrap(), "--crate", "x"],
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("page.txt")
            && err.contains("neither the vendor's JSON description nor a vendor page"),
        "{err}"
    );

    // A type used but never described, and JSON that is not a description.
    for (name, text, expected) in [
        (
            "undescribed.json",
            r#"{"name":"taobao.bad.api","requestParams":[{"name":"o","type":"FooDto"}]}"#,
            "request.o: type `FooDto` is used but never described",
        ),
        ("broken.json", "{\"name\": ", "not JSON"),
        (
            "wrapper.json",
            r#"{"success":false,"data":null}"#,
            "success=false",
        ),
    ] {
        let file = root.join(name);
        std::fs::write(&file, text).unwrap();
        let (code, _, err) = codegen(root, &["import", file.to_str().unwrap(), "--crate", "x"]);
        assert_eq!(code, 2, "{err}");
        assert!(
            err.contains(name) && err.contains(expected),
            "{expected} in {err}"
        );
    }
    assert_eq!(
        snapshot(root).len(),
        before.len() + 4,
        "only the inputs were written"
    );

    // The bad vendor data beside the ten good descriptions.
    let bad_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/vendor/bad");
    for (name, expected) in [
        (
            "not_json.txt",
            "neither the vendor's JSON description nor a vendor page",
        ),
        (
            "no_type.json",
            "request.param_point_cal_open_req.consume_amount: a member without a type",
        ),
        (
            "no_name.json",
            "response.grade_promotions[1]: a member without a name",
        ),
        (
            "undescribed_type.json",
            "request.param_foo: type `FooDto` is used but never described",
        ),
        (
            "empty_wrapper.json",
            "not a vendor API description: the vendor answered success=false",
        ),
        (
            "upload.json",
            "request.img: a file upload (`byte[]`): taobao-top cannot send files yet",
        ),
    ] {
        let file = bad_dir.join(name);
        let (code, _, err) = codegen(root, &["import", file.to_str().unwrap(), "--crate", "x"]);
        assert_eq!(code, 2, "{err}");
        assert!(
            err.contains(&format!("bad/{name}: {expected}")),
            "{expected} in {err}"
        );
    }
    assert_eq!(snapshot(root).len(), before.len() + 4, "nothing written");

    // A bad overlay stops generation, naming it.
    let dir = root.join("apis").join(GET);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(&good, dir.join("vendor.json")).unwrap();
    std::fs::write(
        dir.join("overlay.toml"),
        "crate = \"alsc-crm\"\nsummary = \"s\"\n[members.\"nope\"]\nmax_chars = 1\n",
    )
    .unwrap();
    let (code, _, err) = codegen(root, &["generate"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("overlay.toml") && err.contains("`nope` is not a request member"),
        "{err}"
    );
    assert!(!root.join("crates").exists(), "nothing generated");
}

/// A scratch crate: `generate` writes its module, `check` then passes and fails on a hand
/// edit; marking the API hand-written removes the generated files and leaves a file written
/// by hand in `src/generated/` alone.
#[test]
fn generated_rust_of_a_scratch_crate() {
    const UPDATE: &str = "alibaba.alsc.crm.customer.update";
    let root = tempfile::tempdir().unwrap();
    let root = root.path();
    let krate = root.join("crates/alsc-crm");
    std::fs::create_dir_all(krate.join("src")).unwrap();
    std::fs::write(krate.join("Cargo.toml"), "[package]\nname = \"alsc-crm\"\n").unwrap();
    std::fs::write(krate.join("src/lib.rs"), "").unwrap();
    let fixture = vendor_fixture(UPDATE);
    let (code, _, err) = codegen(
        root,
        &["import", fixture.to_str().unwrap(), "--crate", "alsc-crm"],
    );
    assert_eq!(code, 0, "{err}");

    let (code, out, err) = codegen(root, &["generate"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("from 1 descriptions"), "{out}");
    assert!(
        err.contains("note: crates/alsc-crm/src/lib.rs does not declare `mod generated;`"),
        "{err}"
    );
    let module = krate.join("src/generated/customer_update.rs");
    let text = std::fs::read_to_string(&module).unwrap();
    assert!(text.starts_with(&format!(
        "// Generated by `top-codegen generate` from apis/{UPDATE}/: do not edit"
    )));
    assert!(text.contains("pub struct AlibabaAlscCrmCustomerUpdateRequest"));
    assert!(text.contains("#[doc(alias = \"alibaba.alsc.crm.customer.update\")]"));
    let mod_rs = std::fs::read_to_string(krate.join("src/generated/mod.rs")).unwrap();
    assert!(mod_rs.contains("pub mod customer_update;"), "{mod_rs}");

    std::fs::write(
        krate.join("src/lib.rs"),
        "mod generated;\npub use generated::*;\n",
    )
    .unwrap();
    let (code, out, err) = codegen(root, &["check"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(err.is_empty(), "wired, nothing to note: {err}");

    // A hand edit of generated Rust is drift; `generate` puts it back.
    std::fs::write(&module, text.replace("pub struct", "pub(crate) struct")).unwrap();
    let (code, _, err) = codegen(root, &["check"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("crates/alsc-crm/src/generated/customer_update.rs"),
        "{err}"
    );
    codegen(root, &["generate"]);
    assert_eq!(std::fs::read_to_string(&module).unwrap(), text);

    // Hand-written again: the generated files go, a hand-made one stays.
    let hand_made = krate.join("src/generated/notes.rs");
    std::fs::write(&hand_made, "// mine\n").unwrap();
    let overlay = root.join("apis").join(UPDATE).join("overlay.toml");
    let with_flag = std::fs::read_to_string(&overlay).unwrap().replacen(
        "summary =",
        "hand_written = true\nsummary =",
        1,
    );
    std::fs::write(&overlay, with_flag).unwrap();
    let (code, _, err) = codegen(root, &["check"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("customer_update.rs") && err.contains("mod.rs"),
        "{err}"
    );
    let (code, _, err) = codegen(root, &["generate"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("declares `mod generated;` but no API"),
        "{err}"
    );
    assert!(!module.exists());
    assert!(!krate.join("src/generated/mod.rs").exists());
    assert!(hand_made.exists());
    let (code, _, _) = codegen(root, &["check"]);
    assert_eq!(code, 0);
}

/// A vendor page over the vendor's JSON of the same API: the page's samples are kept, every
/// guess is reported, and the vendor part does not change (the page lacks the API's id and
/// prints full-width punctuation as ASCII; neither is a change).
#[test]
fn a_page_reimported_over_the_vendors_json_changes_nothing_and_keeps_its_samples() {
    const SYNC: &str = "taobao.logistics.express.user.blacklist.tms.sync";
    let root = tempfile::tempdir().unwrap();
    let root = root.path();
    std::fs::write(root.join("Cargo.toml"), ROOT_MANIFEST).unwrap();
    let pages = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/pages");
    let json = pages.join(format!("{SYNC}.json"));
    let (code, out, err) = codegen(
        root,
        &[
            "import",
            json.to_str().unwrap(),
            "--crate",
            "logistics-blacklist",
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("crate logistics-blacklist: created"), "{out}");
    let vendor_path = root.join("apis").join(SYNC).join("vendor.json");
    let from_json = std::fs::read_to_string(&vendor_path).unwrap();

    let page = pages.join("001_ba5bb4e4487c7dba.txt");
    let (code, out, err) = codegen(root, &["import", page.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&format!("{SYNC}: updated, overlay kept; no member changed")),
        "{out}"
    );
    assert!(
        out.contains(
            "guess: request.user_blacklist_request.operate_type: placed in UserBlacklistRequest"
        ),
        "{out}"
    );
    // The page adds the examples the vendor's JSON lacks; every other fact is the same.
    fn without_examples(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                map.remove("example");
                map.values_mut().for_each(without_examples);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(without_examples),
            _ => {}
        }
    }
    let from_page = std::fs::read_to_string(&vendor_path).unwrap();
    assert!(
        from_page.contains("\"example\": \"1656674541001\""),
        "{from_page}"
    );
    let mut from_page: serde_json::Value = serde_json::from_str(&from_page).unwrap();
    without_examples(&mut from_page);
    assert_eq!(
        from_page,
        serde_json::from_str::<serde_json::Value>(&from_json).unwrap()
    );
    let samples = root.join("apis").join(SYNC).join("samples");
    let response = std::fs::read_to_string(samples.join("response.xml")).unwrap();
    assert!(
        response.starts_with("<logistics_express_user_blacklist_tms_sync_response>"),
        "{response}"
    );
    let error = std::fs::read_to_string(samples.join("error.xml")).unwrap();
    assert!(error.starts_with("<error_response>"), "{error}");
    let request = std::fs::read_to_string(samples.join("request.txt")).unwrap();
    assert!(request.contains("setOperateType"), "{request}");
}
