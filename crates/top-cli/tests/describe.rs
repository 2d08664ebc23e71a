//! `top describe` and the description-driven `top call` (dotted `-p` members, checks before
//! sending), run as the real binary against an in-process sandbox.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use serde_json::Value;

const TAG: &str = "taobao.retail.user.tag.mobile.add";
const DAMAI: &str = "alibaba.damai.maizuo.openapi.user.register.byauthcode";
const CRM_UPDATE: &str = "alibaba.alsc.crm.customer.update";
const CRM_GET: &str = "alibaba.alsc.crm.customer.get";

/// The keys of `top describe --output json`, documented in the README.
const DOC_KEYS: [&str; 13] = [
    "alias",
    "bulk",
    "business_failure",
    "chinese_name",
    "crate",
    "cross_rules",
    "description",
    "example",
    "idempotency_key",
    "method",
    "request",
    "response",
    "summary",
];
const MEMBER_KEYS: [&str; 15] = [
    "always_send",
    "default",
    "description",
    "enum",
    "example",
    "members",
    "name",
    "path",
    "redact",
    "required",
    "rules",
    "summary",
    "type",
    "type_summary",
    "unique",
];

fn keys(value: &Value) -> Vec<&str> {
    value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect()
}

/// The member at a `[]` wire path of a describe document's `request` or `response`.
fn member<'a>(members: &'a Value, path: &str) -> &'a Value {
    let mut found = None;
    let mut stack = vec![members];
    while let Some(list) = stack.pop() {
        for m in list.as_array().unwrap() {
            assert_eq!(keys(m), MEMBER_KEYS, "{m}");
            if m["path"] == path {
                found = Some(m);
            }
            stack.push(&m["members"]);
        }
    }
    found.unwrap_or_else(|| panic!("no member {path} in {members}"))
}

/// `top describe METHOD` in text and JSON: both exit 0 and hold no full mobile number.
fn describe(home: &std::path::Path, method: &str) -> (String, Value) {
    let (code, text, err) = run(top(home, "http://127.0.0.1:9/none").args(["describe", method]));
    assert_eq!(code, 0, "{err}");
    let (code, out, err) =
        run(top(home, "http://127.0.0.1:9/none").args(["describe", method, "--output", "json"]));
    assert_eq!(code, 0, "{err}");
    for output in [&text, &out] {
        for mobile in ["13111111111", "13411111111"] {
            assert!(!output.contains(mobile), "{output}");
        }
    }
    let doc = json(&out);
    assert_eq!(keys(&doc), DOC_KEYS);
    assert_eq!(doc["method"], method);
    (text, doc)
}

#[test]
fn describe_tells_every_fact_of_each_api() {
    let home = tempfile::tempdir().unwrap();
    let home = home.path();

    let (text, doc) = describe(home, BLACKLIST);
    for fact in [
        "上门取退用户黑名单同步",
        "Adds, updates or deletes users",
        "user_blacklist_request.blacklist[].mobile  String  required  once per list  redacted: mobile",
        "user_blacklist_request.request_id  String  required  idempotency key",
        "rule: must hold at most 1000 entries",
        "4  personal attack on the courier  人身攻击类",
        "Idempotency key: user_blacklist_request.request_id",
        "may be retried in user_blacklist_response.is_retry",
        "each row is an entry of user_blacklist_request.blacklist",
        "columns: mobile, reason",
        "--supplier-id sets user_blacklist_request.supplier_id",
        "user_blacklist_response.is_retry  Boolean",
        "-p 'user_blacklist_request.blacklist[0].mobile=131****1111'",
    ] {
        assert!(text.contains(fact), "{fact:?} in\n{text}");
    }
    let reason = member(&doc["request"], "user_blacklist_request.blacklist[].reason");
    assert_eq!(reason["enum"]["comma_separated"], true);
    assert_eq!(reason["enum"]["codes"].as_array().unwrap().len(), 5);
    assert_eq!(reason["enum"]["codes"][0]["vendor"], "恶意下单");
    assert!(
        reason["rules"][0]
            .as_str()
            .unwrap()
            .contains("separated by commas, none twice")
    );
    let list = member(&doc["request"], "user_blacklist_request.blacklist");
    assert_eq!(list["type"], "Blacklist[]");
    assert_eq!(list["members"].as_array().unwrap().len(), 2);
    assert_eq!(
        member(&doc["request"], "user_blacklist_request.blacklist[].mobile")["redact"],
        "mobile"
    );
    assert_eq!(doc["idempotency_key"], "user_blacklist_request.request_id");
    assert_eq!(
        doc["business_failure"]["retryable"],
        "user_blacklist_response.is_retry"
    );
    assert_eq!(doc["bulk"]["mode"], "list");
    assert_eq!(
        doc["bulk"]["columns"],
        serde_json::json!(["mobile", "reason"])
    );
    assert_eq!(doc["bulk"]["max_batch"], 100);
    assert_eq!(doc["bulk"]["flags"][1]["flag"], "--supplier-id");
    assert_eq!(doc["bulk"]["generated"][1]["value"], "now_ms");
    assert_eq!(
        member(&doc["response"], "user_blacklist_response.success")["type"],
        "Boolean"
    );

    let (text, doc) = describe(home, TAG);
    for fact in [
        "Rules across members:\n  at least one of isv_user_id, open_id, alipay_user_id is required",
        "ext_param  String  optional",
        "rule: must be a JSON text",
        "Idempotency key: none",
        "the call failed when result or module.tag_success is false",
        "the columns being the top-level parameters",
        "-p 'ext_param={}'",
    ] {
        assert!(text.contains(fact), "{fact:?} in\n{text}");
    }
    assert_eq!(doc["request"].as_array().unwrap().len(), 5);
    assert_eq!(
        member(&doc["request"], "ext_param")["rules"],
        serde_json::json!(["must be at most 4096 characters", "must be a JSON text"])
    );
    assert_eq!(
        doc["cross_rules"][0]["members"],
        serde_json::json!(["isv_user_id", "open_id", "alipay_user_id"])
    );
    assert_eq!(doc["business_failure"]["also"][0], "module.tag_success");
    assert!(doc["idempotency_key"].is_null());

    // The vendor's sample secrets are never printed.
    let (text, doc) = describe(home, DAMAI);
    for sample in [
        "726311",
        "QWA1q2w3e4r",
        "St5dnxCv1",
        "A9UJj",
        "XYJ72Idfk",
        "J72Idfk",
    ] {
        assert!(!text.contains(sample), "{sample} in\n{text}");
        assert!(!doc.to_string().contains(sample), "{sample} in {doc}");
    }
    for fact in [
        "param0.auth_code  String  required  redacted: secret",
        "rule: must be 4 to 8 ASCII digits",
        "2  change password  修改密码",
        "Bulk: not described",
        "-p 'param0.user_login_password=<secret>'",
        "-p param0.code_type=1",
    ] {
        assert!(text.contains(fact), "{fact:?} in\n{text}");
    }
    let password = member(&doc["request"], "param0.user_login_password");
    assert_eq!(password["redact"], "secret");
    assert_eq!(password["example"], "<secret>");
    assert_eq!(
        password["rules"],
        serde_json::json!([
            "must be at least 6 characters",
            "must be at most 32 characters",
            "must not contain white space"
        ])
    );
    assert_eq!(
        member(&doc["response"], "result.data.user_token")["example"],
        "<secret>"
    );
    assert!(doc["bulk"].is_null());

    let (text, doc) = describe(home, CRM);
    for fact in [
        "param_customer_create_open_req.customer_type  Number  required  sent even when 0",
        "1  member    会员",
        "param_customer_create_open_req.outer_id must be an 11-digit mainland China mobile number (1[3-9] followed by 9 digits) when param_customer_create_open_req.outer_type is mobile",
        "Idempotency key: param_customer_create_open_req.request_id",
        "the columns being the members of param_customer_create_open_req",
        "param_customer_create_open_req.request_id is filled per call",
        "-p param_customer_create_open_req.outer_id=134****1111",
    ] {
        assert!(text.contains(fact), "{fact:?} in\n{text}");
    }
    let customer_type = member(
        &doc["request"],
        "param_customer_create_open_req.customer_type",
    );
    assert_eq!(customer_type["enum"]["wire"], "number");
    assert_eq!(customer_type["always_send"], true);
    assert_eq!(
        customer_type["rules"],
        serde_json::json!(["must be 1 (member) or 0 (customer)"])
    );
    assert_eq!(
        member(&doc["request"], "param_customer_create_open_req.outer_id")["example"],
        "134****1111"
    );
    assert_eq!(doc["bulk"]["mode"], "object");
    assert_eq!(doc["bulk"]["member"], "param_customer_create_open_req");
    assert_eq!(doc["bulk"]["columns"].as_array().unwrap().len(), 21);
    assert_eq!(doc["business_failure"]["flag"], "result.biz_success");
    assert_eq!(doc["alias"], "CreateCustomer");

    // No vendor samples at all: the required members get a placeholder.
    let (text, doc) = describe(home, CRM_UPDATE);
    assert!(
        text.contains("-p 'param_customer_update_open_req.customer_id=<String>'"),
        "{text}"
    );
    let gender = member(&doc["request"], "param_customer_update_open_req.gender");
    assert_eq!(gender["type"], "Number");
    assert_eq!(
        gender["rules"],
        serde_json::json!(["must be 0 (female) or 1 (male)"])
    );
    assert_eq!(
        member(
            &doc["request"],
            "param_customer_update_open_req.customer_id"
        )["required"],
        true
    );
}

#[test]
fn describe_lists_apis_and_suggests_the_closest_to_an_unknown_one() {
    let home = tempfile::tempdir().unwrap();
    let top_run = |args: &[&str]| run(top(home.path(), "http://127.0.0.1:9/none").args(args));

    let (code, out, err) = top_run(&["describe"]);
    assert_eq!(code, 0, "{err}");
    for method in [TAG, BLACKLIST, DAMAI, CRM, CRM_UPDATE, CRM_GET] {
        assert!(out.contains(method), "{out}");
    }
    let (code, out, _) = top_run(&["describe", "--output", "json"]);
    assert_eq!(code, 0);
    assert_eq!(json(&out)["apis"].as_array().unwrap().len(), 6);

    let (code, out, err) = top_run(&["describe", "taobao.logistics.blacklist.sync"]);
    assert_eq!(code, 2, "{out}");
    assert!(
        err.contains("no description of `taobao.logistics.blacklist.sync`; the closest described methods: taobao.logistics.express.user.blacklist.tms.sync"),
        "{err}"
    );
    let (code, out, _) = top_run(&[
        "describe",
        "alibaba.alsc.crm.customer.creat",
        "--output",
        "json",
    ]);
    assert_eq!(code, 2);
    let error = &json(&out)["error"];
    assert_eq!(error["kind"], "usage");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("closest described methods: alibaba.alsc.crm.customer.create, alibaba.alsc.crm.customer.get, alibaba.alsc.crm.customer.update"),
        "{error}"
    );
}

#[test]
fn call_checks_every_described_api_before_sending() {
    let sandbox = TestSandbox::start(|b| b);
    let home = tempfile::tempdir().unwrap();
    let refused = |args: &[&str], field: &str, rule: &str| {
        let mut all = vec!["call"];
        all.extend_from_slice(args);
        let (code, out, err) = run(top(home.path(), &sandbox.url).args(&all));
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(
            err.contains(&format!("invalid `{field}`: {rule}")),
            "{args:?}: {err}"
        );
        all.extend(["--output", "json"]);
        let (code, out, _) = run(top(home.path(), &sandbox.url).args(&all));
        assert_eq!(code, 2);
        let error = &json(&out)["error"];
        assert_eq!(error["kind"], "invalid", "{args:?}");
        assert_eq!(error["field"], field, "{args:?}");
        assert_eq!(error["rule"], rule, "{args:?}");
        assert!(!out.contains("13800000001") && !err.contains("13800000001"));
    };

    refused(
        &[TAG, "-p", "open_id=o-1", "-p", "ext_param=not json"],
        "ext_param",
        "must be a JSON text",
    );
    refused(
        &[TAG, "-p", "biz_code=B"],
        "isv_user_id|open_id|alipay_user_id",
        "at least one of isv_user_id, open_id, alipay_user_id is required",
    );
    let batch = [
        "-p",
        "user_blacklist_request.request_id=r-1",
        "-p",
        "user_blacklist_request.supplier_id=S1",
        "-p",
        "user_blacklist_request.service_type=1",
        "-p",
        "user_blacklist_request.ability_type=1",
        "-p",
        "user_blacklist_request.operate_type=1",
        "-p",
        "user_blacklist_request.blacklist[0].mobile=13800000001",
    ];
    let mut args = vec![BLACKLIST];
    args.extend(batch);
    args.extend([
        "-p",
        "user_blacklist_request.request_time=1700000000000",
        "-p",
        "user_blacklist_request.blacklist[0].reason=1,1",
    ]);
    refused(
        &args,
        "user_blacklist_request.blacklist[0].reason",
        "must list codes 1 (malicious order), 2 (malicious complaint), 3 (extortion), 4 (personal attack on the courier) or 5 (other) separated by commas, none twice",
    );
    let mut args = vec![BLACKLIST];
    args.extend(batch);
    args.extend(["-p", "user_blacklist_request.request_time=soon"]);
    refused(
        &args,
        "user_blacklist_request.request_time",
        "must be a whole number",
    );
    refused(
        &[
            DAMAI,
            "-p",
            r#"param0={"ptnr_token":"p","user_login_password":"secret-1","user_phone":"13800000001","tenant_token":"t","channel_token":"c","code_type":1}"#,
            "-p",
            "param0.auth_code=12a4",
        ],
        "param0.auth_code",
        "must be 4 to 8 ASCII digits",
    );
    refused(
        &[
            CRM,
            "-p",
            "param_customer_create_open_req.request_id=r-1",
            "-p",
            "param_customer_create_open_req.outer_type=card",
            "-p",
            "param_customer_create_open_req.outer_id=C-1",
            "-p",
            "param_customer_create_open_req.channel=2",
            "-p",
            "param_customer_create_open_req.customer_type=2",
        ],
        "param_customer_create_open_req.customer_type",
        "must be 1 (member) or 0 (customer)",
    );
    refused(
        &[
            CRM_UPDATE,
            "-p",
            "param_customer_update_open_req.customer_id=C-1",
            "-p",
            "param_customer_update_open_req.gender=3",
        ],
        "param_customer_update_open_req.gender",
        "must be 0 (female) or 1 (male)",
    );
    refused(
        &[CRM_UPDATE, "-p", "param_customer_update_open_req.name=N"],
        "param_customer_update_open_req.customer_id",
        "is required and must not be blank",
    );

    // Paths the description does not have are usage errors naming what exists.
    let usage = |args: &[&str], says: &str| {
        let mut all = vec!["call"];
        all.extend_from_slice(args);
        let (code, out, err) = run(top(home.path(), &sandbox.url).args(&all));
        assert_eq!(code, 2, "{out}{err}");
        assert!(err.contains(says), "{says:?} in {err}");
    };
    usage(
        &[CRM_UPDATE, "-p", "param_customer_update_open_req.nick=N"],
        "the members: address, birthday, brand_id, customer_id",
    );
    usage(
        &[TAG, "-p", "open_id=o", "-p", "nick=N"],
        "`nick` is not a parameter of taobao.retail.user.tag.mobile.add; its parameters: biz_code, isv_user_id, open_id, alipay_user_id, ext_param (--no-check sends it anyway)",
    );
    usage(
        &[BLACKLIST, "-p", "user_blacklist_request.blacklist.mobile=1"],
        "name an entry, `user_blacklist_request.blacklist[0].mobile`",
    );
    usage(
        &[
            BLACKLIST,
            "-p",
            "user_blacklist_request.blacklist[1].mobile=1",
        ],
        "`user_blacklist_request.blacklist[0]` is not given",
    );
    usage(
        &[
            CRM,
            "-p",
            "param_customer_create_open_req=not json",
            "-p",
            "param_customer_create_open_req.channel=2",
        ],
        "only be merged into a JSON value",
    );
    assert_eq!(
        sandbox.state().calls.values().sum::<u64>(),
        0,
        "nothing was sent"
    );

    // --no-check sends what the description refuses; the gateway answers.
    let (code, out, _) = run(top(home.path(), &sandbox.url).args([
        "call",
        TAG,
        "-p",
        "open_id=o-1",
        "-p",
        "ext_param=not json",
        "--no-check",
        "--output",
        "json",
    ]));
    assert_eq!(code, 1, "{out}");
    assert_eq!(json(&out)["error"]["kind"], "api");
    assert_eq!(sandbox.state().calls_to(TAG), 1);
}

#[test]
fn call_builds_object_parameters_from_dotted_members() {
    let sandbox = TestSandbox::start(|b| b);
    let home = tempfile::tempdir().unwrap();
    let top_run = |args: &[&str]| run(top(home.path(), &sandbox.url).args(args));

    let (code, out, err) = top_run(&[
        "call",
        BLACKLIST,
        "-p",
        "user_blacklist_request.request_id=dotted-1",
        "-p",
        "user_blacklist_request.request_time=1700000000000",
        "-p",
        "user_blacklist_request.supplier_id=S-DOT",
        "-p",
        "user_blacklist_request.service_type=1",
        "-p",
        "user_blacklist_request.ability_type=1",
        "-p",
        "user_blacklist_request.operate_type=1",
        "-p",
        "user_blacklist_request.blacklist[1].mobile=13800002222",
        "-p",
        "user_blacklist_request.blacklist[0].mobile=13800001111",
        "-p",
        "user_blacklist_request.blacklist[0].reason=2,1",
        "--output",
        "json",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(json(&out)["user_blacklist_response"]["success"], true);
    assert_eq!(
        blacklist_of(&sandbox.state(), "S-DOT"),
        vec![
            ("13800001111".to_owned(), vec![1, 2]),
            ("13800002222".to_owned(), vec![])
        ]
    );

    // A whole JSON value and members of it: merged, the members winning.
    let (code, out, err) = top_run(&[
        "call",
        CRM,
        "-p",
        r#"param_customer_create_open_req={"channel":"1","outer_type":"card","name":"Wang"}"#,
        "-p",
        "param_customer_create_open_req.channel=3",
        "-p",
        "param_customer_create_open_req.outer_id=C-42",
        "-p",
        "param_customer_create_open_req.customer_type=0",
        "-p",
        "param_customer_create_open_req.request_id=dotted-2",
        "-p",
        "param_customer_create_open_req.tag_id_list=vip,new",
        "--output",
        "json",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(json(&out)["result"]["biz_success"], true);
    let state = sandbox.state();
    let customer = &state.crm_customers[0];
    assert_eq!(
        (
            customer.outer_type.as_str(),
            customer.outer_id.as_str(),
            customer.channel.as_str(),
            customer.customer_type,
            customer.name.as_deref(),
            customer.request_id.as_str(),
        ),
        ("card", "C-42", "3", 0, Some("Wang"), "dotted-2")
    );
    assert_eq!(
        customer.tag_id_list,
        Some(vec!["vip".to_owned(), "new".to_owned()])
    );
}

#[test]
fn help_explains_the_dotted_form() {
    let home = tempfile::tempdir().unwrap();
    let (code, out, _) = run(top(home.path(), "http://127.0.0.1:9/none").args(["call", "--help"]));
    assert_eq!(code, 0);
    for fact in [
        "-p PARAM.MEMBER=VALUE",
        "-p 'user_blacklist_request.blacklist[0].mobile=13800001111'",
        "--no-check",
        "merged, the members winning",
    ] {
        assert!(out.contains(fact), "{fact:?} in\n{out}");
    }
    let (code, out, _) =
        run(top(home.path(), "http://127.0.0.1:9/none").args(["describe", "--help"]));
    assert_eq!(code, 0);
    assert!(out.contains("param.list[].member"), "{out}");
    assert!(
        out.contains("-p 'user_blacklist_request.blacklist[0].mobile=13800001111'"),
        "{out}"
    );
}
