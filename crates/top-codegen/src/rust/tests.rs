//! The generator on small descriptions: which APIs it writes, where names go, and that a
//! description it cannot turn into Rust is an error naming the file and the member, never a
//! panic.

use std::path::Path;

use top_model::{Catalog, Description, Overlay, VendorApi};

use super::api::Api;
use super::emit::{self, Placement};
use super::validate::{DATE_MESSAGE, PRICE_MESSAGE};
use super::*;

fn description(vendor: &str, overlay: &str) -> Description {
    let vendor = VendorApi::from_json(vendor).unwrap();
    let overlay = Overlay::from_toml(overlay).unwrap();
    Description::new(vendor, overlay).unwrap()
}

/// A vendor part of `taobao.demo.thing.add` with one object parameter of `members`.
fn vendor(members: &str) -> String {
    format!(
        r#"{{"name":"taobao.demo.thing.add","requestParams":[
            {{"name":"thing","type":"Thing","required":true,"subParams":[{members}]}}],
          "responseParams":[{{"name":"result","type":"Outcome","subParams":[
            {{"name":"success","type":"Boolean"}},{{"name":"code","type":"String"}}]}}]}}"#
    )
}

const OVERLAY: &str = "crate = \"demo\"\nsummary = \"Adds a thing.\"\n";

fn generate(d: &Description) -> Result<String, Fault> {
    let api = Api::new(d, "thing_add".into())?;
    emit::module(&api, &Placement::default())
}

/// A scratch root with `apis/` holding `(method, vendor, overlay)` and crate `demo`.
fn root_with(apis: &[(&str, &str, &str)], hand_written: Option<&str>) -> tempfile::TempDir {
    let root = tempfile::tempdir().unwrap();
    for (method, vendor, overlay) in apis {
        let dir = root.path().join("apis").join(method);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("vendor.json"), vendor).unwrap();
        std::fs::write(dir.join("overlay.toml"), overlay).unwrap();
    }
    let krate = root.path().join("crates/demo");
    std::fs::create_dir_all(krate.join("src")).unwrap();
    std::fs::write(krate.join("Cargo.toml"), "[package]\nname = \"demo\"\n").unwrap();
    let lib = format!(
        "mod generated;\npub use generated::*;\n{}",
        hand_written.unwrap_or_default()
    );
    std::fs::write(krate.join("src/lib.rs"), lib).unwrap();
    root
}

fn run(root: &Path) -> Result<RustOutputs, String> {
    let catalog = Catalog::load_dir(&root.join("apis")).map_err(|e| e.to_string())?;
    outputs(root, &catalog).map_err(|e| e.to_string())
}

#[test]
fn a_description_the_generator_cannot_write_names_its_file_and_member() {
    let cases = [
        (
            vendor(r#"{"name":"photo","type":"byte[]"}"#),
            OVERLAY.to_owned(),
            "apis/taobao.demo.thing.add/vendor.json: request.thing.photo: a file upload",
        ),
        (
            vendor(r#"{"name":"count","type":"Number"}"#),
            format!("{OVERLAY}[members.\"thing.count\"]\nredact = \"mobile\"\n"),
            "overlay.toml: members.\"thing.count\": `redact` applies to text members",
        ),
        (
            vendor(r#"{"name":"kind","type":"Number"}"#),
            format!(
                "{OVERLAY}[members.\"thing.kind\"]\nenum = \"Kind\"\n[enums.Kind]\nwire = \"number\"\nvalues = [{{ code = \"a\", name = \"A\", meaning = \"a\" }}]\n"
            ),
            "overlay.toml: enums.Kind.values[0]: `a` is not a number",
        ),
        (
            vendor(r#"{"name":"kind","type":"String"}"#),
            format!(
                "{OVERLAY}[members.\"thing.kind\"]\nenum = \"Kind\"\n[enums.Kind]\nwire = \"string\"\nvalues = [{{ code = \"a\", name = \"a b\", meaning = \"a\" }}]\n"
            ),
            "enums.Kind.values[0]: `a b` is not an upper camel-case Rust name",
        ),
        (
            vendor(r#"{"name":"kind","type":"String"}"#),
            format!(
                "{OVERLAY}[members.\"thing.kind\"]\nenum = \"Option\"\n[enums.Option]\nwire = \"string\"\nvalues = [{{ code = \"a\", name = \"A\", meaning = \"a\" }}]\n"
            ),
            "enums.Option: an enum's name must be",
        ),
        (
            vendor(
                r#"{"name":"a","type":"Part","subParams":[{"name":"x","type":"String"}]},
                   {"name":"b","type":"Part","subParams":[{"name":"y","type":"String"}]}"#,
            ),
            OVERLAY.to_owned(),
            "type `Part` appears twice with different members",
        ),
        (
            vendor(r#"{"name":"code","type":"String"}"#),
            format!("{OVERLAY}[business_failure]\nflag = \"result.code\"\n"),
            "business_failure: `result.code` is not a Boolean member",
        ),
        (
            vendor(r#"{"name":"code","type":"String"}"#),
            format!("{OVERLAY}alias = \"Thing\"\n"),
            "`Thing` names two types of this API",
        ),
    ];
    for (vendor, overlay, expected) in cases {
        let root = root_with(&[("taobao.demo.thing.add", &vendor, &overlay)], None);
        let err = run(root.path()).err().unwrap_or_default();
        assert!(err.contains(expected), "expected {expected:?} in {err:?}");
    }
}

/// Every combination of type, requirement and marker the format allows gives Rust or a
/// description error, never a panic.
#[test]
fn the_generator_never_panics() {
    let types = [
        "String",
        "Number",
        "Boolean",
        "Date",
        "Price",
        "Json",
        "Field List",
        "byte[]",
        "String[]",
        "Number[]",
        "Date[]",
        "Boolean[]",
        "Thing2",
        "Thing2[]",
    ];
    let markers = [
        "",
        "redact = \"mobile\"\n",
        "redact = \"secret\"\n",
        "enum = \"Kind\"\n",
        "codes = \"Kind\"\n",
        "max_chars = 3\nmin_chars = 1\n",
        "max_items = 2\n",
        "min = 1\nmax = 9\n",
        "format = \"email\"\n",
        "always_send = true\n",
    ];
    let mut written = 0;
    for type_name in types {
        for required in [false, true] {
            for marker in markers {
                let member = if type_name.starts_with("Thing2") {
                    format!(
                        r#"{{"name":"m","type":"{type_name}","required":{required},"subParams":[{{"name":"x","type":"String","required":true}}]}}"#
                    )
                } else {
                    format!(r#"{{"name":"m","type":"{type_name}","required":{required}}}"#)
                };
                let overlay = format!(
                    "{OVERLAY}[members.\"thing.m\"]\n{marker}[enums.Kind]\nwire = \"number\"\nvalues = [{{ code = \"1\", name = \"One\", meaning = \"one\" }}]\n"
                );
                let vendor = VendorApi::from_json(&vendor(&member)).unwrap();
                let overlay = Overlay::from_toml(&overlay).unwrap();
                // The model refuses some combinations itself; the rest must generate or fail.
                let Ok(d) = Description::new(vendor, overlay) else {
                    continue;
                };
                if generate(&d).is_ok() {
                    written += 1;
                }
            }
        }
    }
    assert!(written > 80, "{written}");
}

#[test]
fn the_type_checks_say_what_the_model_says() {
    let d = description(
        &vendor(r#"{"name":"price","type":"Price"},{"name":"days","type":"Date[]"}"#),
        OVERLAY,
    );
    let check = |thing: serde_json::Value| {
        let params = serde_json::json!({ "thing": thing });
        d.check_json(params.as_object().unwrap()).unwrap_err()
    };
    assert_eq!(check(serde_json::json!({"price": "x"})).rule, PRICE_MESSAGE);
    assert_eq!(check(serde_json::json!({"days": ["x"]})).rule, DATE_MESSAGE);
    let code = generate(&d).unwrap();
    assert!(code.contains("fn check_price(") && code.contains("fn check_date("));
}

#[test]
fn hand_written_apis_are_skipped_and_their_names_kept() {
    let create = r#"{"name":"taobao.demo.thing.create","requestParams":[
        {"name":"kind","type":"Number"}],"responseParams":[
        {"name":"result","type":"Outcome","subParams":[{"name":"success","type":"Boolean"}]}]}"#;
    let update = r#"{"name":"taobao.demo.thing.update","requestParams":[
        {"name":"kind","type":"Number"},{"name":"sex","type":"Number"}],"responseParams":[
        {"name":"result","type":"Outcome","subParams":[{"name":"success","type":"Boolean"}]}]}"#;
    let enums = |wire: &str| {
        format!(
            "[members.kind]\nenum = \"Kind\"\n[members.sex]\nenum = \"Sex\"\n\
             [enums.Kind]\nwire = \"number\"\nvalues = [{{ code = \"1\", name = \"One\", meaning = \"one\" }}, {{ code = \"02\", name = \"Two\", meaning = \"two\" }}]\n\
             [enums.Sex]\nwire = \"{wire}\"\nvalues = [{{ code = \"0\", name = \"F\", meaning = \"f\" }}]\n"
        )
    };
    let create_overlay = format!(
        "{OVERLAY}hand_written = true\n{}",
        enums("string").replace("[members.sex]\nenum = \"Sex\"\n", "")
    );
    let update_overlay = format!("{OVERLAY}{}", enums("number"));
    let hand = "pub struct DemoThingCreateRequest;\npub struct Outcome;\npub enum Kind { One, Two }\npub enum Sex { F }\n";
    let root = root_with(
        &[
            ("taobao.demo.thing.create", create, &create_overlay),
            ("taobao.demo.thing.update", update, &update_overlay),
        ],
        Some(hand),
    );
    let out = run(root.path()).unwrap();
    let files: Vec<String> = out
        .files
        .iter()
        .map(|(p, _)| p.display().to_string())
        .collect();
    assert_eq!(
        files,
        [
            "crates/demo/src/generated/thing_update.rs",
            "crates/demo/src/generated/mod.rs"
        ]
    );
    assert!(out.notes.is_empty(), "{:?}", out.notes);
    let module = &out.files[0].1;
    // `Kind` is the crate's own (same codes, `02` read as 2); `Sex` differs (a number here)
    // and `Outcome` is taken: both stay in the module.
    assert!(module.contains("use crate::Kind;"), "{module}");
    assert!(module.contains("pub enum Sex"), "{module}");
    assert!(module.contains("pub struct Outcome"), "{module}");
    assert!(module.starts_with(GENERATED_MARK), "{module}");
    let mod_rs = &out.files[1].1;
    assert!(
        mod_rs.contains("pub use thing_update::{DemoThingUpdateRequest, DemoThingUpdateResponse};"),
        "{mod_rs}"
    );

    // Without the flag, a request type defined by hand is a note, not a second definition.
    let flagless = create_overlay.replace("hand_written = true\n", "");
    let root = root_with(
        &[("taobao.demo.thing.create", create, &flagless)],
        Some(hand),
    );
    let out = run(root.path()).unwrap();
    assert!(out.files.is_empty());
    assert!(
        out.notes[0]
            .contains("add `hand_written = true` to apis/taobao.demo.thing.create/overlay.toml"),
        "{:?}",
        out.notes
    );

    // The alias must be free in the crate.
    let taken = format!("{OVERLAY}alias = \"Outcome\"\n{}", enums("number"));
    let root = root_with(&[("taobao.demo.thing.update", update, &taken)], Some(hand));
    let err = run(root.path()).unwrap_err();
    assert!(
        err.contains("overlay.toml: alias: crate demo already has a type `Outcome`"),
        "{err}"
    );
}

#[test]
fn crates_that_do_not_exist_or_are_not_wired_are_notes() {
    let vendor = vendor(r#"{"name":"x","type":"String"}"#);
    let root = root_with(&[("taobao.demo.thing.add", &vendor, OVERLAY)], None);
    std::fs::write(root.path().join("crates/demo/src/lib.rs"), "").unwrap();
    let out = run(root.path()).unwrap();
    assert_eq!(out.files.len(), 2);
    assert!(
        out.notes[0].contains("does not declare `mod generated;`"),
        "{:?}",
        out.notes
    );

    std::fs::remove_dir_all(root.path().join("crates/demo")).unwrap();
    let out = run(root.path()).unwrap();
    assert!(out.files.is_empty());
    assert!(
        out.notes[0].contains("crate demo has no crates/demo/Cargo.toml"),
        "{:?}",
        out.notes
    );

    let bad = OVERLAY.replace("demo", "../x");
    let root = root_with(&[("taobao.demo.thing.add", &vendor, &bad)], None);
    let err = run(root.path()).unwrap_err();
    assert!(err.contains("crate: a crate name is letters"), "{err}");
}

#[test]
fn the_hand_written_scan_reads_definitions_not_comments() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("generated")).unwrap();
    std::fs::write(
        dir.path().join("a.rs"),
        "// struct Commented\n/// pub struct Doc\npub struct Real {}\npub(crate) enum Inner<T> {}\ntype Alias = u8;\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("generated/b.rs"), "pub struct Generated;\n").unwrap();
    let found = hand_defined(dir.path()).unwrap();
    let names: Vec<&str> = found.keys().map(String::as_str).collect();
    assert_eq!(names, ["Alias", "Inner", "Real"]);
    assert_eq!(found.get("Inner"), Some(&Kind::Enum));
}

#[test]
fn members_differing_only_in_case_get_numbered_names_in_vendor_order() {
    let d = description(
        &vendor(
            r#"{"name":"userId","type":"String"},{"name":"user_id","type":"String"},{"name":"USER_ID","type":"String"},{"name":"type","type":"String"}"#,
        ),
        OVERLAY,
    );
    let code = generate(&d).unwrap();
    for expected in [
        "pub user_id: Option<String>",
        "rename = \"userId\", default",
        "pub user_id_2: Option<String>",
        "rename = \"user_id\", default",
        "pub user_id_3: Option<String>",
        "rename = \"USER_ID\", default",
        "pub r#type: Option<String>",
        "Sent as `user_id`.",
    ] {
        assert!(code.contains(expected), "{expected} in:\n{code}");
    }
}
