//! An API added with `apis_dir` whose description has a response sample answers with the
//! sample's values, read through the description (declared types, undeclared elements
//! dropped, missing members described), in JSON and XML; a sample that is not XML falls back
//! to the described answer. Over real HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;

use common::*;
use serde_json::{Value, json};
use top_sandbox::{Sandbox, SandboxHandle};

const METHOD: &str = "taobao.demo.sample.get";

/// A made-up API: a nested object, a list of objects, a list of texts and members of each
/// scalar type.
fn vendor() -> Value {
    json!({
        "name": METHOD,
        "apiChineseName": "示例查询",
        "requestParams": [{"name": "query", "type": "String", "required": true}],
        "responseParams": [
            {"name": "result", "type": "DemoResult", "subParams": [
                {"name": "id", "type": "Number"},
                {"name": "name", "type": "String"},
                {"name": "enabled", "type": "Boolean"},
                {"name": "created", "type": "Date"},
                {"name": "price", "type": "Price"},
                {"name": "owner", "type": "DemoOwner", "subParams": [
                    {"name": "nick", "type": "String"},
                    {"name": "level", "type": "Number"}
                ]},
                {"name": "items", "type": "DemoItem[]", "subParams": [
                    {"name": "sku", "type": "String"},
                    {"name": "quantity", "type": "Number"},
                    {"name": "in_stock", "type": "Boolean"}
                ]},
                {"name": "tags", "type": "String[]"},
                {"name": "missing_count", "type": "Number"},
                {"name": "missing_note", "type": "String"}
            ]},
            {"name": "total", "type": "Number"},
            {"name": "success", "type": "Boolean"}
        ]
    })
}

const OVERLAY: &str = "crate = \"demo\"\nsummary = \"Reads a demo record.\"\n\n\
[business_failure]\nflag = \"success\"\n";

/// The page's sample: values of every member but two, an element the description does not
/// declare at each level, its own `request_id`.
const SAMPLE: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<demo_sample_get_response>
    <result>
        <id>1234567</id>
        <name>样例 &amp; co</name>
        <enabled>true</enabled>
        <created>2024-05-01 12:30:00</created>
        <price>12.50</price>
        <owner>
            <nick>t***3</nick>
            <level>5</level>
            <vip>true</vip>
        </owner>
        <items>
            <demo_item>
                <sku>A-1</sku>
                <quantity>2</quantity>
                <in_stock>false</in_stock>
                <colour>red</colour>
            </demo_item>
            <demo_item>
                <sku>B-2</sku>
                <quantity>10</quantity>
                <in_stock>true</in_stock>
            </demo_item>
        </items>
        <tags>
            <string>new</string>
            <string>hot</string>
        </tags>
        <undeclared>dropped</undeclared>
    </result>
    <total>2</total>
    <success>false</success>
    <extra>dropped too</extra>
    <request_id>sample-request-id</request_id>
</demo_sample_get_response>
"#;

/// A folder `apis/` with the made-up API and, when given, its response sample.
fn apis_dir(sample: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let api = dir.path().join(METHOD);
    std::fs::create_dir(&api).unwrap();
    std::fs::write(api.join("vendor.json"), vendor().to_string()).unwrap();
    std::fs::write(api.join("overlay.toml"), OVERLAY).unwrap();
    if let Some(sample) = sample {
        std::fs::create_dir(api.join("samples")).unwrap();
        std::fs::write(api.join("samples").join("response.xml"), sample).unwrap();
    }
    dir
}

async fn sandbox_of(dir: &Path) -> SandboxHandle {
    Sandbox::builder().apis_dir(dir).start().await.unwrap()
}

fn call() -> Call {
    Call::new(METHOD).param("query", "q")
}

#[tokio::test]
async fn the_sample_answers_with_the_declared_types() {
    let dir = apis_dir(Some(SAMPLE));
    let sandbox = sandbox_of(dir.path()).await;

    // JSON simplified: the sample's values, numbers as numbers, booleans as booleans.
    let answer = call().ok(&sandbox).await;
    let result = &answer["result"];
    assert_eq!(
        *result,
        json!({
            "id": 1234567,
            "name": "样例 & co",
            "enabled": true,
            "created": "2024-05-01 12:30:00",
            "price": "12.50",
            "owner": {"nick": "t***3", "level": 5},
            "items": [
                {"sku": "A-1", "quantity": 2, "in_stock": false},
                {"sku": "B-2", "quantity": 10, "in_stock": true}
            ],
            "tags": ["new", "hot"],
            // Not in the sample: the described values.
            "missing_count": 0,
            "missing_note": ""
        })
    );
    assert_eq!(answer["total"], json!(2));
    // The sample's false wins over the described success flag.
    assert_eq!(answer["success"], json!(false));
    assert!(answer.get("extra").is_none(), "{answer}");
    // The platform's request_id, not the sample's.
    let request_id = answer["request_id"].as_str().unwrap();
    assert_ne!(request_id, "sample-request-id");
    assert_eq!(request_id.len(), 13);

    // JSON enveloped (the key without `taobao_`, as TOP writes it): TOP's list wrappers,
    // named after the declared item types.
    let (_, text) = call().enveloped().send(&sandbox).await;
    let body: Value = serde_json::from_str(&text).unwrap();
    let inside = &body["demo_sample_get_response"];
    assert_eq!(
        inside["result"]["items"]["demo_item"][1],
        json!({"sku": "B-2", "quantity": 10, "in_stock": true})
    );
    assert_eq!(inside["result"]["tags"], json!({"string": ["new", "hot"]}));
    assert_eq!(inside["total"], json!(2));

    // XML: the same values, escaped, the undeclared elements gone.
    let (_, xml) = call().xml().send(&sandbox).await;
    assert!(
        xml.contains(
            "<demo_sample_get_response><result><id>1234567</id><name>样例 &amp; co</name><enabled>true</enabled>"
        ),
        "{xml}"
    );
    assert!(
        xml.contains("<items><demo_item><sku>A-1</sku><quantity>2</quantity><in_stock>false</in_stock></demo_item>"),
        "{xml}"
    );
    assert!(
        xml.contains("<missing_count>0</missing_count><missing_note></missing_note></result><total>2</total><success>false</success><request_id>"),
        "{xml}"
    );
    for dropped in ["undeclared", "colour", "vip", "extra", "sample-request-id"] {
        assert!(!xml.contains(dropped), "{dropped}: {xml}");
    }
    let read = top_core::envelope::decode_content(METHOD, xml.as_bytes()).unwrap();
    assert_eq!(read["result"]["owner"]["level"], json!("5"));

    // The description's checks still come first.
    let e = Call::new(METHOD).err(&sandbox).await;
    assert_eq!(e.code, 40);
    sandbox.shutdown().await;
}

/// The answer of the made-up API with no sample at all.
fn described() -> Value {
    json!({
        "result": {
            "id": 0, "name": "", "enabled": false, "created": "1970-01-01 08:00:00",
            "price": "0", "owner": {"nick": "", "level": 0},
            "items": [{"sku": "", "quantity": 0, "in_stock": false}],
            "tags": [""], "missing_count": 0, "missing_note": ""
        },
        "total": 0,
        "success": true
    })
}

/// The answer less its `request_id`.
fn without_request_id(mut answer: Value) -> Value {
    let removed = answer.as_object_mut().unwrap().remove("request_id");
    assert!(removed.is_some_and(|id| id.is_string()));
    answer
}

#[tokio::test]
async fn without_a_sample_the_answer_is_described() {
    let dir = apis_dir(None);
    let sandbox = sandbox_of(dir.path()).await;
    let answer = call().ok(&sandbox).await;
    assert_eq!(without_request_id(answer), described());
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_sample_that_is_not_xml_falls_back_to_the_described_answer() {
    for bad in [
        "{\"total\": 2}",
        "<demo_sample_get_response><total>2</demo_sample_get_response>",
        "<error_response><code>15</code></error_response>",
    ] {
        let dir = apis_dir(Some(bad));
        let sandbox = sandbox_of(dir.path()).await;
        let answer = call().ok(&sandbox).await;
        assert_eq!(without_request_id(answer), described(), "{bad}");
        let (_, xml) = call().xml().send(&sandbox).await;
        assert!(
            xml.contains("<demo_sample_get_response><result><id>0</id>"),
            "{xml}"
        );
        sandbox.shutdown().await;
    }
}
