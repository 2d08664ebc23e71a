//! The generated `validate()` of `taobao.demo.order.sync` against `top_model`'s
//! `Description::check_json` on the JSON of the same request: for every value, both accept
//! it or both name the same field with the same message. (Copied into a scratch crate by
//! top-codegen's `tests/compile.rs`.)
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::Path;

use demo::*;
use top_core::TopRequest;
use top_core::chrono::DateTime;
use top_model::Description;

fn description() -> Description {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../apis/taobao.demo.order.sync");
    Description::load(&dir).unwrap()
}

fn valid() -> DemoOrderSyncRequest {
    let at = DateTime::from_timestamp(1_700_000_000, 0).unwrap();
    let entry = Entry::new("13800000001")
        .reason([Reason::One, Reason::Two])
        .tags(["ab"]);
    DemoOrderSyncRequest::new(DemoRequest::new(
        "r-1",
        Operate::AddOrUpdate,
        [entry],
        "12.50",
        at,
    ))
    .open_id("o-1")
}

type Change = Box<dyn Fn(&mut DemoOrderSyncRequest)>;

fn change(f: impl Fn(&mut DemoOrderSyncRequest) + 'static) -> Change {
    Box::new(f)
}

fn detail(r: &mut DemoOrderSyncRequest) -> &mut Detail {
    r.req.entries[0].detail.get_or_insert_with(Detail::new)
}

#[test]
fn validate_and_check_json_agree() {
    let d = description();
    let rows: Vec<(&str, Change)> = vec![
        ("valid", change(|_| {})),
        ("blank id", change(|r| r.req.request_id = " ".into())),
        ("long id", change(|r| r.req.request_id = "x".repeat(17))),
        (
            "4 entries",
            change(|r| {
                let e = r.req.entries[0].clone();
                r.req.entries = vec![e.clone(), e.clone(), e.clone(), e];
            }),
        ),
        (
            "bad mobile",
            change(|r| r.req.entries[0].mobile = "123".into()),
        ),
        (
            "blank mobile",
            change(|r| r.req.entries[0].mobile = " ".into()),
        ),
        (
            "repeated reason",
            change(|r| r.req.entries[0].reason = Some(vec![Reason::One, Reason::One])),
        ),
        (
            "no reason",
            change(|r| r.req.entries[0].reason = Some(vec![])),
        ),
        (
            "repeated mobile",
            change(|r| {
                let e = r.req.entries[0].clone();
                r.req.entries.push(e);
            }),
        ),
        ("no tags", change(|r| r.req.entries[0].tags = Some(vec![]))),
        (
            "blank tag",
            change(|r| r.req.entries[0].tags = Some(vec!["ab".into(), " ".into()])),
        ),
        (
            "long tag",
            change(|r| r.req.entries[0].tags = Some(vec!["abcde".into()])),
        ),
        (
            "bad price",
            change(|r| detail(r).price = Some("1,5".into())),
        ),
        (
            "good price",
            change(|r| detail(r).price = Some(" 0.5 ".into())),
        ),
        (
            "long type",
            change(|r| detail(r).r#type = Some("abcde".into())),
        ),
        (
            "3 lines",
            change(|r| detail(r).lines = Some(vec![Line::new("123"); 3])),
        ),
        (
            "short sku",
            change(|r| detail(r).lines = Some(vec![Line::new("123"), Line::new("12")])),
        ),
        (
            "zero count",
            change(|r| detail(r).lines = Some(vec![Line::new("123").count(0)])),
        ),
        (
            "count 1",
            change(|r| detail(r).lines = Some(vec![Line::new("123").count(1)])),
        ),
        (
            "bad buyer",
            change(|r| r.req.buyer_id = Some("12a4".into())),
        ),
        (
            "short secret",
            change(|r| r.req.secret = Some("abc".into())),
        ),
        (
            "spaced secret",
            change(|r| r.req.secret = Some("abc def".into())),
        ),
        ("blank amount", change(|r| r.req.amount = "  ".into())),
        ("bad amount", change(|r| r.req.amount = "NaN".into())),
        (
            "blank date",
            change(|r| r.req.dates = Some(vec![" ".into()])),
        ),
        (
            "bad date",
            change(|r| r.req.dates = Some(vec!["2024-13-01 00:00:00".into()])),
        ),
        (
            "good date",
            change(|r| r.req.dates = Some(vec!["2024-12-01 08:00:00".into()])),
        ),
        ("level 0", change(|r| r.req.level = Some(0))),
        ("level 6", change(|r| r.req.level = Some(6))),
        (
            "3 kinds",
            change(|r| r.req.kinds = Some(vec![Kind::Alpha, Kind::Beta, Kind::Alpha])),
        ),
        ("3 codes", change(|r| r.req.codes = Some(vec![1, 2, 3]))),
        (
            "long note",
            change(|r| r.req.note = Some("123456789".into())),
        ),
        ("blank note", change(|r| r.req.note = Some(" ".into()))),
        ("short tag", change(|r| r.tags = Some(vec!["a".into()]))),
        ("3 tags", change(|r| r.tags = Some(vec!["ab".into(); 3]))),
        ("blank top tag", change(|r| r.tags = Some(vec![" ".into()]))),
        (
            "extra without code",
            change(|r| r.extra = Some(Extra::new(" ", "1234"))),
        ),
        (
            "short pin",
            change(|r| r.extra = Some(Extra::new("c", "12"))),
        ),
        ("blank pin", change(|r| r.extra = Some(Extra::new("c", "")))),
        ("no id", change(|r| r.open_id = None)),
        (
            "blank ids",
            change(|r| {
                r.open_id = Some(" ".into());
                r.alipay_user_id = Some("".into());
            }),
        ),
        (
            "alipay id",
            change(|r| {
                r.open_id = None;
                r.alipay_user_id = Some("2088".into());
            }),
        ),
        (
            "mobile outer id",
            change(|r| {
                r.outer_type = Some(" Mobile ".into());
                r.outer_id = Some("123".into());
            }),
        ),
        (
            "missing outer id",
            change(|r| r.outer_type = Some("mobile".into())),
        ),
        (
            "card outer id",
            change(|r| {
                r.outer_type = Some("card".into());
                r.outer_id = Some("123".into());
            }),
        ),
        (
            "kind a",
            change(|r| {
                r.req.kind = Some(Kind::Alpha);
                r.req.buyer_id = Some("1234".into());
            }),
        ),
        ("self", change(|r| r.self_ = Some("s".into()))),
    ];
    let mut failures = 0;
    for (name, change) in &rows {
        let mut request = valid();
        change(&mut request);
        let json = serde_json::to_value(&request).unwrap();
        let expected = d.check_json(json.as_object().unwrap());
        assert_eq!(request.validate(), expected, "{name}: {json}");
        failures += usize::from(expected.is_err());
    }
    assert!(failures > 35, "most rows break a rule: {failures}");
}

#[test]
fn wire_names_redaction_and_retry() {
    let request = valid().self_("me").with_params("p");
    let params = request.params().unwrap();
    assert_eq!(params.get("self"), Some("me"));
    assert_eq!(params.get("params"), Some("p"));
    let req: serde_json::Value = serde_json::from_str(params.get("req").unwrap()).unwrap();
    assert_eq!(req["entries"][0]["mobile"], "13800000001");
    assert_eq!(req["operate_type"], 1);
    let secret = valid();
    let mut secret = secret;
    secret.req.secret = Some("hunter2hunter2".into());
    let shown = format!("{secret:?}");
    assert!(
        !shown.contains("13800000001") && !shown.contains("hunter2"),
        "{shown}"
    );
    assert!(request.retry_safe());
    let mut blank_key = valid();
    blank_key.req.request_id = " ".into();
    assert!(!blank_key.retry_safe());
    assert_eq!(serde_json::to_value(Kind::Beta).unwrap(), "b");
    assert_eq!(
        serde_json::from_value::<Operate>("2".into()).unwrap(),
        Operate::Delete
    );
}

#[test]
fn business_failure_reads_the_named_members() {
    use top_core::TopResponse;
    let answer: DemoOrderSyncResponse = serde_json::from_value(serde_json::json!({
        "result": {"success": "false", "code": 7, "msg": "refused", "is_retry": true},
        "errors": {"error_info": [{"sub_code": "isv.x", "message": "m"}]},
        "type": "t",
        "modifiedAt": "2024-01-01 00:00:00",
        "request_id": "rid"
    }))
    .unwrap();
    assert_eq!(answer.r#type.as_deref(), Some("t"));
    assert_eq!(answer.modified_at.as_deref(), Some("2024-01-01 00:00:00"));
    let failure = answer.business_error().unwrap();
    assert_eq!(failure.code.as_deref(), Some("isv.x"));
    assert_eq!(failure.message.as_deref(), Some("refused"));
    assert!(failure.retryable);
    assert_eq!(failure.request_id.as_deref(), Some("rid"));
    let ok: DemoOrderSyncResponse =
        serde_json::from_value(serde_json::json!({"result": {"success": true}})).unwrap();
    assert!(ok.business_error().is_none());
}
