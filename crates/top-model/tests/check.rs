//! A description checks calls as the gateway would: types, required members, every rule with
//! the field path, rules across members; and an overlay that speaks of what the vendor part
//! does not have is refused, naming the key.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use top_model::{Description, ModelError, Overlay, VendorApi};

const VENDOR: &str = r#"{
  "name": "taobao.demo.blacklist.sync",
  "requestParams": [
    {"name": "req", "type": "DemoRequest", "required": true, "subParams": [
      {"name": "request_id", "type": "String", "required": true},
      {"name": "operate_type", "type": "Number", "required": true},
      {"name": "entries", "type": "Entry []", "required": true, "subParams": [
        {"name": "mobile", "type": "String", "required": true},
        {"name": "reason", "type": "String"}
      ]}
    ]},
    {"name": "open_id", "type": "String"},
    {"name": "alipay_user_id", "type": "String"},
    {"name": "tags", "type": "String[]", "maxListSize": 2},
    {"name": "kind", "type": "String"},
    {"name": "outer_id", "type": "String"}
  ],
  "responseParams": [
    {"name": "result", "type": "DemoResult", "subParams": [
      {"name": "success", "type": "Boolean"}, {"name": "code", "type": "String"}]}
  ]
}"#;

const OVERLAY: &str = r#"
crate = "demo"
summary = "Syncs a blacklist."
alias = "SyncDemo"
idempotency_key = "req.request_id"

[business_failure]
flag = "result.success"
code = "result.code"

[members."req.request_id"]
max_chars = 8

[members."req.operate_type"]
enum = "Operate"

[members."req.entries"]
max_items = 2

[members."req.entries[].mobile"]
format = "mainland_mobile"
redact = "mobile"

[members."req.entries[].reason"]
codes = "Reason"

[enums.Operate]
wire = "number"
values = [
  { code = "1", name = "AddOrUpdate", meaning = "add or update" },
  { code = "2", name = "Delete", meaning = "delete" },
]

[enums.Reason]
wire = "string"
values = [
  { code = "1", name = "MaliciousOrder", meaning = "malicious order" },
  { code = "2", name = "Other", meaning = "other" },
]

[[rules]]
at_least_one_of = ["open_id", "alipay_user_id"]

[[rules]]
when = { member = "kind", equals = "mobile" }
then = { member = "outer_id", format = "mainland_mobile" }
"#;

fn api() -> Description {
    Description::new(
        VendorApi::from_json(VENDOR).unwrap(),
        Overlay::from_toml(OVERLAY).unwrap(),
    )
    .unwrap()
}

fn error(params: &[(&str, &str)]) -> (String, String) {
    let err = api().check_params(params.iter().copied()).unwrap_err();
    (err.field.into_owned(), err.rule.into_owned())
}

const GOOD_REQ: &str =
    r#"{"request_id":"r1","operate_type":1,"entries":[{"mobile":"13800000001","reason":"1,2"}]}"#;

#[test]
fn a_good_call_passes() {
    api()
        .check_params([("req", GOOD_REQ), ("open_id", "o1"), ("tags", "a,b")])
        .unwrap();
}

#[test]
fn each_broken_rule_names_the_field_and_the_rule() {
    let with_req = |req: &str| error(&[("req", req), ("open_id", "o1")]);
    assert_eq!(
        error(&[("open_id", "o1")]),
        ("req".into(), "is required and must not be blank".into())
    );
    assert_eq!(
        with_req(r#"{"operate_type":1,"entries":[]}"#),
        (
            "req.request_id".into(),
            "is required and must not be blank".into()
        )
    );
    assert_eq!(
        with_req(r#"{"request_id":"123456789","operate_type":1,"entries":[]}"#),
        (
            "req.request_id".into(),
            "must be at most 8 characters".into()
        )
    );
    assert_eq!(
        with_req(r#"{"request_id":"r","operate_type":3,"entries":[]}"#),
        (
            "req.operate_type".into(),
            "must be 1 (add or update) or 2 (delete)".into()
        )
    );
    assert_eq!(
        with_req(r#"{"request_id":"r","operate_type":"x","entries":[]}"#),
        ("req.operate_type".into(), "must be a whole number".into())
    );
    assert_eq!(
        with_req(
            r#"{"request_id":"r","operate_type":1,"entries":[{"mobile":"13800000001"},{"mobile":"1"}]}"#
        ),
        (
            "req.entries[1].mobile".into(),
            "must be an 11-digit mainland China mobile number (1[3-9] followed by 9 digits)".into()
        )
    );
    assert_eq!(
        with_req(
            r#"{"request_id":"r","operate_type":1,"entries":[{"mobile":"13800000001","reason":"1,1"}]}"#
        ),
        (
            "req.entries[0].reason".into(),
            "must list codes 1 (malicious order) or 2 (other) separated by commas, none twice"
                .into()
        )
    );
    assert_eq!(
        with_req(
            r#"{"request_id":"r","operate_type":1,"entries":[{"mobile":"13800000001"},{"mobile":"13800000002"},{"mobile":"13800000003"}]}"#
        ),
        ("req.entries".into(), "must hold at most 2 entries".into())
    );
    assert_eq!(
        with_req("{not json"),
        ("req".into(), "must be valid JSON text".into())
    );
    assert_eq!(
        error(&[("req", GOOD_REQ), ("open_id", "o"), ("tags", "a,b,c")]),
        ("tags".into(), "must hold at most 2 entries".into())
    );
}

#[test]
fn rules_across_members() {
    assert_eq!(
        error(&[("req", GOOD_REQ), ("open_id", "  ")]),
        (
            "open_id|alipay_user_id".into(),
            "at least one of open_id, alipay_user_id is required".into()
        )
    );
    assert_eq!(
        error(&[("req", GOOD_REQ), ("alipay_user_id", "a"), ("kind", "Mobile"), ("outer_id", "x")]),
        (
            "outer_id".into(),
            "must be an 11-digit mainland China mobile number (1[3-9] followed by 9 digits) when kind is mobile".into()
        )
    );
    api()
        .check_params([
            ("req", GOOD_REQ),
            ("alipay_user_id", "a"),
            ("kind", "email"),
            ("outer_id", "x"),
        ])
        .unwrap();
}

#[test]
fn the_same_checks_on_values_already_read() {
    let row = serde_json::json!({"req": serde_json::from_str::<serde_json::Value>(GOOD_REQ).unwrap(), "open_id": "o"});
    api().check_json(row.as_object().unwrap()).unwrap();
    let row = serde_json::json!({"req": {"request_id": "r", "operate_type": 2, "entries": [{"mobile": "12"}]}, "open_id": "o"});
    assert_eq!(
        api()
            .check_json(row.as_object().unwrap())
            .unwrap_err()
            .field,
        "req.entries[0].mobile"
    );
}

#[test]
fn an_overlay_about_what_is_not_there_is_refused() {
    let refused = |overlay: &str| {
        let overlay = match Overlay::from_toml(overlay) {
            Ok(o) => o,
            Err(reason) => return format!("toml: {reason}"),
        };
        match Description::new(VendorApi::from_json(VENDOR).unwrap(), overlay) {
            Ok(_) => "accepted".to_owned(),
            Err(ModelError::Member { path, reason, .. }) => format!("{path}: {reason}"),
            Err(other) => other.to_string(),
        }
    };
    let base = "crate = \"demo\"\nsummary = \"s\"\n";
    assert_eq!(
        refused(&format!("{base}[members.\"req.nope\"]\nmax_chars = 1\n")),
        "members.\"req.nope\": `req.nope` is not a request member (step into lists with `[]`)"
    );
    assert_eq!(
        refused(&format!(
            "{base}[members.\"req.entries.mobile\"]\nmax_chars = 1\n"
        )),
        "members.\"req.entries.mobile\": `req.entries.mobile` is not a request member (step into lists with `[]`)"
    );
    assert_eq!(
        refused(&format!(
            "{base}[members.\"req.operate_type\"]\nenum = \"Nope\"\n"
        )),
        "members.\"req.operate_type\": enum `Nope` is not defined in [enums]"
    );
    assert_eq!(
        refused(&format!("{base}[members.\"req\"]\nformat = \"email\"\n")),
        "members.\"req\": text rules do not apply to a `DemoRequest` member"
    );
    assert_eq!(
        refused(&format!(
            "{base}[bulk]\nobject = \"req\"\nlist = \"req.entries\"\n"
        )),
        "bulk: set at most one of `object` (a call per row of its members) and `list` (batches); neither means a call per row of the top-level parameters"
    );
    // Neither: a call per row of the top-level parameters.
    assert_eq!(
        refused(&format!(
            "{base}[bulk]\n[bulk.flags]\nopen_id = \"open-id\"\n"
        )),
        "accepted"
    );
    assert_eq!(
        refused(&format!("{base}idempotency_key = \"request_id\"\n")),
        "idempotency_key: `request_id` is not a request member (step into lists with `[]`)"
    );
    assert!(
        refused(&format!(
            "{base}[members.\"req.request_id\"]\nmax_char = 1\n"
        ))
        .starts_with("toml: ")
    );
    assert!(
        refused(&format!(
            "{base}[business_failure]\nflag = \"result.nope\"\n"
        ))
        .contains("`result.nope` is not a response member")
    );
}
