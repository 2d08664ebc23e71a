//! The sandbox reads the API descriptions: parameter checks of each of the built-in APIs
//! from their descriptions, customer.update's state, and APIs added with `--apis` /
//! `apis_dir`, served from their description alone. Over real HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::*;
use serde_json::{Value, json};
use top_core::rules::Rule;
use top_sandbox::Sandbox;

const UPDATE: &str = "alibaba.alsc.crm.customer.update";
/// A method no built-in description has: the vendor's customer.get under another name (the
/// real customer.get is built in, with a slice of its own).
const GET: &str = "alibaba.alsc.crm.customer.query";

/// What the description itself says of these business parameters, as the sandbox must
/// answer it.
fn described_error(method: &str, params: &[(&str, &str)]) -> top_core::ValidationError {
    let catalog = top_model::Catalog::builtin().unwrap();
    catalog
        .get(method)
        .unwrap()
        .check_params(params.iter().copied())
        .unwrap_err()
}

/// Sends `method` with one business parameter; returns the `error_response`, checked
/// against the description's own verdict: 40 `Missing required arguments: <field>` or 50
/// `非法参数: <field> (<rule>)`.
async fn refused(
    sandbox: &top_sandbox::SandboxHandle,
    method: &str,
    name: &str,
    value: &str,
) -> top_core::ApiError {
    let e = Call::new(method).param(name, value).err(sandbox).await;
    let described = described_error(method, &[(name, value)]);
    let sub_msg = e.sub_msg.clone().unwrap();
    if e.code == 40 {
        assert_eq!(e.sub_code.as_deref(), Some("isv.missing-parameter"));
        assert!(
            sub_msg.starts_with(&format!("Missing required arguments: {}", described.field)),
            "{sub_msg}"
        );
    } else {
        assert_eq!(e.code, 50, "{e:?}");
        assert_eq!(e.sub_code.as_deref(), Some("isv.invalid-parameter"));
        assert_eq!(
            sub_msg,
            format!("非法参数: {} ({})", described.field, described.rule)
        );
    }
    e
}

#[tokio::test]
async fn every_built_in_api_is_checked_by_its_description() {
    let sandbox = start().await;

    // Retail tag: none of the three ids (a rule across members), an id too long.
    let e = refused(&sandbox, TAG, "biz_code", "b").await;
    assert_eq!(e.code, 40);
    assert_eq!(
        e.sub_msg.as_deref(),
        Some(
            "Missing required arguments: isv_user_id|open_id|alipay_user_id (at least one of isv_user_id, open_id, alipay_user_id is required)"
        )
    );
    let e = refused(&sandbox, TAG, "isv_user_id", &"u".repeat(129)).await;
    assert_eq!(
        e.sub_msg.as_deref(),
        Some("非法参数: isv_user_id (must be at most 128 characters)")
    );

    // Blacklist: an entry without its mobile, an entry with a bad one.
    let mut sync: Value =
        serde_json::from_str(&blacklist_request("r", "s", 1, &[("13111111111", None)])).unwrap();
    sync["blacklist"] = json!([{"mobile": "13111111111"}, {"reason": "1"}]);
    let e = refused(
        &sandbox,
        BLACKLIST,
        "user_blacklist_request",
        &sync.to_string(),
    )
    .await;
    assert_eq!(
        e.sub_msg.as_deref(),
        Some("Missing required arguments: user_blacklist_request.blacklist[1].mobile")
    );
    sync["blacklist"] = json!([{"mobile": "13111111111"}, {"mobile": "12345"}]);
    let e = refused(
        &sandbox,
        BLACKLIST,
        "user_blacklist_request",
        &sync.to_string(),
    )
    .await;
    assert_eq!(
        e.sub_msg.unwrap(),
        format!(
            "非法参数: user_blacklist_request.blacklist[1].mobile ({})",
            Rule::MainlandMobile.message()
        )
    );

    // Damai: no tenant token, an SMS code of letters.
    let mut param0: Value =
        serde_json::from_str(&damai_param("13812341234", "123456", "abc123", 1)).unwrap();
    param0.as_object_mut().unwrap().remove("tenant_token");
    let e = refused(&sandbox, DAMAI, "param0", &param0.to_string()).await;
    assert_eq!(
        e.sub_msg.as_deref(),
        Some("Missing required arguments: param0.tenant_token")
    );
    let param0 = damai_param("13812341234", "12a", "abc123", 1);
    let e = refused(&sandbox, DAMAI, "param0", &param0).await;
    assert_eq!(
        e.sub_msg.as_deref(),
        Some("非法参数: param0.auth_code (must be 4 to 8 ASCII digits)")
    );

    // Customer create: no channel, an e-mail without a dotted domain.
    let mut customer: Value = serde_json::from_str(&crm_param("c1", "13411111111")).unwrap();
    customer.as_object_mut().unwrap().remove("channel");
    let e = refused(
        &sandbox,
        CRM,
        "param_customer_create_open_req",
        &customer.to_string(),
    )
    .await;
    assert_eq!(
        e.sub_msg.as_deref(),
        Some("Missing required arguments: param_customer_create_open_req.channel")
    );
    customer["channel"] = json!("2");
    customer["email"] = json!("a@b");
    let e = refused(
        &sandbox,
        CRM,
        "param_customer_create_open_req",
        &customer.to_string(),
    )
    .await;
    assert_eq!(
        e.sub_msg.unwrap(),
        format!(
            "非法参数: param_customer_create_open_req.email ({})",
            Rule::Email.message()
        )
    );
    // The rule across members: an outer_id that is not a mobile when outer_type is mobile.
    customer["email"] = json!("a@b.cn");
    customer["outer_id"] = json!("card-1");
    let e = refused(
        &sandbox,
        CRM,
        "param_customer_create_open_req",
        &customer.to_string(),
    )
    .await;
    assert!(
        e.sub_msg
            .unwrap()
            .ends_with("when param_customer_create_open_req.outer_type is mobile)")
    );

    // Customer update: no customer id, a gender code that does not exist.
    let e = refused(
        &sandbox,
        UPDATE,
        "param_customer_update_open_req",
        &json!({"name": "x"}).to_string(),
    )
    .await;
    assert_eq!(
        e.sub_msg.as_deref(),
        Some("Missing required arguments: param_customer_update_open_req.customer_id")
    );
    let e = refused(
        &sandbox,
        UPDATE,
        "param_customer_update_open_req",
        &json!({"customer_id": "20190000000000000001", "gender": 2}).to_string(),
    )
    .await;
    assert_eq!(
        e.sub_msg.as_deref(),
        Some("非法参数: param_customer_update_open_req.gender (must be 0 (female) or 1 (male))")
    );
    // The same error in XML.
    let (_, xml) = Call::new(UPDATE)
        .param(
            "param_customer_update_open_req",
            json!({"name": "x"}).to_string(),
        )
        .xml()
        .send(&sandbox)
        .await;
    assert!(xml.contains("<error_response><code>40</code>"), "{xml}");
    assert!(
        xml.contains("<sub_msg>Missing required arguments: param_customer_update_open_req.customer_id</sub_msg>"),
        "{xml}"
    );

    // Refused calls change nothing and are counted as calls only.
    let state = sandbox.state().await;
    assert!(state.applied.is_empty() && state.crm_customers.is_empty());
    assert_eq!(state.calls_to(UPDATE), 3);
    sandbox.shutdown().await;
}

fn update_call(request_id: Option<&str>, customer_id: &str, changes: Value) -> Call {
    let mut param = json!({"customer_id": customer_id});
    if let Some(id) = request_id {
        param["request_id"] = json!(id);
    }
    for (k, v) in changes.as_object().unwrap() {
        param[k] = v.clone();
    }
    Call::new(UPDATE).param("param_customer_update_open_req", param.to_string())
}

#[tokio::test]
async fn customer_update_finds_applies_and_replays() {
    let sandbox = start().await;
    // No such customer: a business failure in the success envelope, naming the id.
    let missing = update_call(Some("u0"), "20190000000000000001", json!({"name": "x"}))
        .ok(&sandbox)
        .await;
    assert_eq!(
        missing["result"],
        json!({
            "result": "false",
            "result_code": "CUSTOMER_NOT_FOUND",
            "result_desc": "顾客不存在: 20190000000000000001",
            "result_view": "顾客不存在: 20190000000000000001",
            "biz_success": false,
        })
    );
    let created = Call::new(CRM)
        .param(
            "param_customer_create_open_req",
            crm_param("c1", "13411111111"),
        )
        .ok(&sandbox)
        .await;
    let id = created["result"]["result"].as_str().unwrap().to_owned();
    // A failure is not remembered: the same request_id applies once the customer exists.
    let changes = json!({"name": "李四", "gender": 1, "tag_ids": ["vip"], "customer_type": 1,
        "operator_name": "op", "email": "li@example.cn"});
    let updated = update_call(Some("u0"), &id, changes.clone())
        .ok(&sandbox)
        .await;
    assert_eq!(
        updated["result"],
        json!({"result": "true", "result_code": "0", "result_desc": "处理成功",
            "result_view": "处理成功", "biz_success": true})
    );
    let state = sandbox.state().await;
    let customer = &state.crm_customers[0];
    assert_eq!(customer.customer_id, id);
    assert_eq!(customer.name.as_deref(), Some("李四"));
    assert_eq!(customer.gender.as_deref(), Some("1"));
    assert_eq!(customer.customer_type, 1);
    assert_eq!(customer.tag_ids, Some(vec!["vip".to_owned()]));
    assert_eq!(customer.operator_name.as_deref(), Some("op"));
    assert_eq!(customer.email.as_deref(), Some("li@example.cn"));
    // What the update did not name stays.
    assert_eq!(customer.mobile.as_deref(), Some("13411111111"));
    assert_eq!(customer.remark.as_deref(), Some("a/b"));
    assert_eq!(customer.updates, 1);
    let shown = serde_json::to_value(&state).unwrap();
    assert_eq!(shown["crm_customers"][0]["name"], json!("李四"));
    assert_eq!(shown["crm_customers"][0]["updates"], json!(1));

    // Changed since by another request...
    update_call(Some("u1"), &id, json!({"name": "王五"}))
        .ok(&sandbox)
        .await;
    // ...the resend of u0 replays its answer and applies nothing.
    let again = update_call(Some("u0"), &id, changes.clone())
        .ok(&sandbox)
        .await;
    assert_eq!(again["result"], updated["result"]);
    let state = sandbox.state().await;
    assert_eq!(state.crm_customers[0].name.as_deref(), Some("王五"));
    assert_eq!(state.crm_customers[0].updates, 2);
    assert_eq!(state.replays_of(UPDATE), 1);
    assert_eq!(state.applied_to(UPDATE), 2);
    assert_eq!(state.calls_to(UPDATE), 4);
    // The same request_id with another payload is refused.
    let e = update_call(Some("u0"), &id, json!({"name": "赵六"}))
        .err(&sandbox)
        .await;
    assert_eq!(e.code, 50);
    assert!(
        e.sub_msg
            .unwrap()
            .contains("request_id reused with a different payload")
    );
    // Without a request_id (optional on this API) every call applies.
    for _ in 0..2 {
        update_call(None, &id, json!({"remark": "r"}))
            .ok(&sandbox)
            .await;
    }
    assert_eq!(sandbox.state().await.crm_customers[0].updates, 4);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn customer_updates_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sandbox.db");
    let sandbox = Sandbox::builder().state_file(&path).start().await.unwrap();
    Call::new(CRM)
        .param(
            "param_customer_create_open_req",
            crm_param("c1", "13411111111"),
        )
        .ok(&sandbox)
        .await;
    update_call(Some("u1"), "20190000000000000001", json!({"name": "新名"}))
        .ok(&sandbox)
        .await;
    let before = sandbox.state().await;
    sandbox.shutdown().await;
    let sandbox = Sandbox::builder().state_file(&path).start().await.unwrap();
    let after = sandbox.state().await;
    assert_eq!(after, before);
    assert_eq!(after.crm_customers[0].name.as_deref(), Some("新名"));
    // The update's request_id survived too.
    update_call(Some("u1"), "20190000000000000001", json!({"name": "新名"}))
        .ok(&sandbox)
        .await;
    assert_eq!(sandbox.state().await.replays_of(UPDATE), 1);
    sandbox.shutdown().await;
}

/// A directory with the vendor's description of `alibaba.alsc.crm.customer.get` renamed to
/// [`GET`] (a method the project does not describe) and a minimal overlay whose idempotency
/// key is the customer id (not a real key of this API: it lets the test see replays).
fn apis_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let api = dir.path().join(GET);
    std::fs::create_dir(&api).unwrap();
    let vendor = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../top-model/tests/data/vendor/alibaba.alsc.crm.customer.get.json");
    let text = std::fs::read_to_string(vendor)
        .unwrap()
        .replace("\"alibaba.alsc.crm.customer.get\"", &format!("\"{GET}\""));
    std::fs::write(api.join("vendor.json"), text).unwrap();
    std::fs::write(
        api.join("overlay.toml"),
        r#"crate = "alsc-crm"
summary = "Reads a customer of the Alibaba local-services CRM."
idempotency_key = "param_customer_id_query_open_req.customer_id"

[business_failure]
flag = "result.biz_success"
code = "result.result_code"
message = "result.result_desc"
"#,
    )
    .unwrap();
    dir
}

fn query(customer_id: &str, options: &[&str]) -> Call {
    Call::new(GET).param(
        "param_customer_id_query_open_req",
        json!({"customer_id": customer_id, "options": options}).to_string(),
    )
}

#[tokio::test]
async fn an_api_added_with_apis_dir_is_served_from_its_description() {
    let dir = apis_dir();
    let sandbox = Sandbox::builder()
        .apis_dir(dir.path())
        .start()
        .await
        .unwrap();

    // JSON simplified: values of the declared types, the success flag true, lists of one.
    let answer = query("c1", &["CARD"]).ok(&sandbox).await;
    let result = &answer["result"];
    assert_eq!(result["biz_success"], json!(true));
    assert_eq!(result["result_code"], json!(""));
    let info = &result["result"]["customer_open_info"];
    assert_eq!(info["name"], json!(""));
    assert_eq!(info["consume_num"], json!(0));
    assert_eq!(info["deleted"], json!(false));
    assert_eq!(info["tags"], json!([""]));
    assert_eq!(info["customer_out_info_list"][0]["out_type"], json!(""));
    let card = &result["result"]["card_open_info_list"][0];
    assert_eq!(card["accounts"][0]["balance"], json!(0));
    assert_eq!(card["physical_cards"][0]["physical_card_id"], json!(""));
    assert_eq!(card["gmt_create"], json!("1970-01-01 08:00:00"));
    assert_eq!(answer["request_id"].as_str().unwrap().len(), 13);

    // JSON enveloped: TOP's list wrappers.
    let (_, text) = query("c1", &["CARD"]).enveloped().send(&sandbox).await;
    let body: Value = serde_json::from_str(&text).unwrap();
    let inside = &body["alibaba_alsc_crm_customer_query_response"];
    assert_eq!(inside["result"]["biz_success"], json!(true));
    assert_eq!(
        inside["result"]["result"]["card_open_info_list"]["card_open_info"][0]["accounts"]["account_open_info"]
            [0]["balance"],
        json!(0)
    );
    assert_eq!(
        inside["result"]["result"]["customer_open_info"]["tags"],
        json!({"string": [""]})
    );
    assert!(inside["request_id"].is_string());

    // XML: the same envelope as root element.
    let (_, xml) = query("c1", &["CARD"]).xml().send(&sandbox).await;
    assert!(
        xml.contains(
            "<alibaba_alsc_crm_customer_query_response><result><biz_success>true</biz_success>"
        ),
        "{xml}"
    );
    assert!(xml.contains("<tags><string></string></tags>"), "{xml}");
    let read = top_core::envelope::decode_content(GET, xml.as_bytes()).unwrap();
    assert_eq!(read["result"]["biz_success"], json!("true"));
    assert!(read["request_id"].is_string());

    // Its checks come from its description: `options` is required inside the object.
    let e = Call::new(GET)
        .param(
            "param_customer_id_query_open_req",
            json!({"customer_id": "c1"}).to_string(),
        )
        .err(&sandbox)
        .await;
    assert_eq!(
        (e.code, e.sub_msg.as_deref()),
        (
            40.into(),
            Some("Missing required arguments: param_customer_id_query_open_req.options")
        )
    );
    let e = Call::new(GET)
        .param("param_customer_id_query_open_req", "[1]")
        .err(&sandbox)
        .await;
    assert_eq!(
        (e.code, e.sub_msg.as_deref()),
        (
            50.into(),
            Some("非法参数: param_customer_id_query_open_req (must be a JSON object)")
        )
    );
    // Idempotency by the overlay's key: the same payload replays, another is refused.
    query("c1", &["CARD"]).ok(&sandbox).await;
    let e = query("c1", &["POINT"]).err(&sandbox).await;
    assert!(
        e.sub_msg
            .unwrap()
            .contains("request_id reused with a different payload")
    );
    query("c2", &["POINT"]).ok(&sandbox).await;
    let state = sandbox.state().await;
    assert_eq!(state.calls_to(GET), 8);
    assert_eq!(state.applied_to(GET), 2);
    assert_eq!(state.replays_of(GET), 3);

    // The built-in APIs are still served.
    let c = Call::new(TAG)
        .param("alipay_user_id", "2088000000000001")
        .ok(&sandbox)
        .await;
    assert_eq!(c["result"], json!(true));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_description_in_apis_dir_replaces_the_built_in_one() {
    let dir = tempfile::tempdir().unwrap();
    let api = dir.path().join(TAG);
    std::fs::create_dir(&api).unwrap();
    let source = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../apis")
        .join(TAG);
    std::fs::copy(source.join("vendor.json"), api.join("vendor.json")).unwrap();
    let overlay = std::fs::read_to_string(source.join("overlay.toml")).unwrap();
    let overlay = overlay.replacen(
        "[members.biz_code]\nsummary = \"The business source party.\"\nmax_chars = 128",
        "[members.biz_code]\nsummary = \"The business source party.\"\nmax_chars = 3",
        1,
    );
    assert!(overlay.contains("max_chars = 3"));
    std::fs::write(api.join("overlay.toml"), overlay).unwrap();
    let sandbox = Sandbox::builder()
        .apis_dir(dir.path())
        .start()
        .await
        .unwrap();
    let e = Call::new(TAG)
        .param("alipay_user_id", "2088000000000001")
        .param("biz_code", "four")
        .err(&sandbox)
        .await;
    assert_eq!(
        e.sub_msg.as_deref(),
        Some("非法参数: biz_code (must be at most 3 characters)")
    );
    // The hand-written state stays.
    let c = Call::new(TAG)
        .param("alipay_user_id", "2088000000000001")
        .param("biz_code", "abc")
        .ok(&sandbox)
        .await;
    assert_eq!(c["module"]["use_type"], json!("alipayId"));
    assert_eq!(sandbox.state().await.tags.len(), 1);
    sandbox.shutdown().await;
}

/// A copy of [`apis_dir`] whose vendor.json has a member without a type.
fn bad_apis_dir() -> (tempfile::TempDir, PathBuf) {
    let dir = apis_dir();
    let vendor = dir.path().join(GET).join("vendor.json");
    let text = std::fs::read_to_string(&vendor).unwrap();
    let mut value: Value = serde_json::from_str(&text).unwrap();
    value["requestParams"][0]["subParams"][1]
        .as_object_mut()
        .unwrap()
        .remove("type");
    std::fs::write(&vendor, value.to_string()).unwrap();
    (dir, vendor)
}

#[tokio::test]
async fn a_bad_apis_dir_is_refused_naming_the_file_and_member() {
    let (dir, vendor) = bad_apis_dir();
    let e = Sandbox::builder()
        .apis_dir(dir.path())
        .start()
        .await
        .unwrap_err();
    let message = e.to_string();
    assert!(message.contains(&vendor.display().to_string()), "{message}");
    assert!(
        message.contains("request.param_customer_id_query_open_req.customer_id"),
        "{message}"
    );
    // An overlay naming a member that does not exist.
    let dir = apis_dir();
    let overlay = dir.path().join(GET).join("overlay.toml");
    std::fs::write(
        &overlay,
        "crate = \"alsc-crm\"\nsummary = \"s\"\n[members.\"param_customer_id_query_open_req.nope\"]\nmax_chars = 1\n",
    )
    .unwrap();
    let message = Sandbox::builder()
        .apis_dir(dir.path())
        .start()
        .await
        .unwrap_err()
        .to_string();
    assert!(
        message.contains(&overlay.display().to_string()),
        "{message}"
    );
    assert!(
        message.contains("param_customer_id_query_open_req.nope"),
        "{message}"
    );
    // A directory that does not exist.
    let missing = dir.path().join("missing");
    let message = Sandbox::builder()
        .apis_dir(&missing)
        .start()
        .await
        .unwrap_err()
        .to_string();
    assert!(
        message.contains(&missing.display().to_string()),
        "{message}"
    );
}

#[tokio::test]
async fn the_binary_takes_apis() {
    let dir = apis_dir();
    let (mut child, url) = spawn_binary(&["--apis", dir.path().to_str().unwrap()]).await;
    let (status, body) = post_form(&url, query("c1", &["CARD"]).signed().to_form()).await;
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(status, 200);
    assert!(body.contains(r#""biz_success":true"#), "{body}");

    let (dir, vendor) = bad_apis_dir();
    let out = Command::new(env!("CARGO_BIN_EXE_top-sandbox"))
        .args(["--listen", "127.0.0.1:0", "--apis"])
        .arg(dir.path())
        .env_remove("TOP_SANDBOX_APPS")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&vendor.display().to_string()), "{stderr}");
    assert!(stderr.contains("a member without a type"), "{stderr}");
}
