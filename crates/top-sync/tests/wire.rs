//! Calls built from rows by the description-driven plan carry exactly the SDK's wire text:
//! the blacklist batch and the CRM customer as the hand-written requests sent them (so a
//! batch journaled by an earlier version and resent is byte for byte the one first sent),
//! duplicates merged.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use top_core::TopRequest;
use top_sync::{BlacklistTarget, Operate, Record, requests};

fn record(line: u64, pairs: &[(&str, &str)]) -> Record {
    Record {
        line,
        fields: pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
    }
}

#[test]
fn a_blacklist_batch_is_byte_identical_to_the_sdk_request() {
    let rows = [
        record(2, &[("mobile", "13111111111"), ("reason", "1,2")]),
        record(3, &[("mobile", "13122222222")]),
    ];
    let built = requests::blacklist_request(
        &BlacklistTarget::new("10000000001", Operate::Add),
        "1656674541001".into(),
        1656674541001,
        &rows,
    )
    .unwrap();
    let text = built.params().unwrap();
    // The hand-written SDK's text (its doc test until the crate was generated).
    assert_eq!(
        text.get("user_blacklist_request"),
        Some(
            r#"{"ability_type":"1","blacklist":[{"mobile":"13111111111","reason":"1,2"},{"mobile":"13122222222"}],"operate_type":1,"request_id":"1656674541001","request_time":1656674541001,"service_type":"1","supplier_id":"10000000001"}"#
        )
    );
}

#[test]
fn duplicate_mobiles_merge_in_place_the_last_line_winning_and_remove_drops_reasons() {
    let rows = [
        record(2, &[("mobile", "13100000001"), ("reason", "1")]),
        record(3, &[("mobile", "13100000002")]),
        record(4, &[("mobile", "13100000001"), ("reason", "3,4")]),
    ];
    let add = requests::blacklist_request(
        &BlacklistTarget::new("S", Operate::Add),
        "r".into(),
        1,
        &rows,
    )
    .unwrap();
    let text = add.params().unwrap();
    let json = text.get("user_blacklist_request").unwrap();
    assert!(
        json.contains(
            r#""blacklist":[{"mobile":"13100000001","reason":"3,4"},{"mobile":"13100000002"}]"#
        ),
        "{json}"
    );
    let remove = requests::blacklist_request(
        &BlacklistTarget::new("S", Operate::Remove),
        "r".into(),
        1,
        &[record(2, &[("mobile", "13100000001"), ("reason", "9")])],
    )
    .unwrap();
    let text = remove.params().unwrap();
    let json = text.get("user_blacklist_request").unwrap();
    assert!(json.contains(r#""operate_type":2"#), "{json}");
    assert!(
        !json.contains("reason"),
        "reasons are not sent when removing: {json}"
    );
}

#[test]
fn a_crm_row_is_the_sdk_customer() {
    let row = record(
        2,
        &[
            ("outer_type", "mobile"),
            ("outer_id", "13411111111"),
            ("channel", "2"),
            ("customer_type", "0"),
            ("gender", "1"),
            ("mobile", "13411111111"),
            ("name", "王小二"),
            ("tag_id_list", "爱吃辣"),
            ("birthday", "1990-01-02"),
        ],
    );
    let built = requests::crm_request(&row, "234334534543234234").unwrap();
    assert_eq!(
        built
            .params()
            .unwrap()
            .get("param_customer_create_open_req"),
        Some(
            r#"{"birthday":"1990-01-02 00:00:00","channel":"2","customer_type":0,"gender":"1","mobile":"13411111111","name":"王小二","outer_id":"13411111111","outer_type":"mobile","request_id":"234334534543234234","tag_id_list":["爱吃辣"]}"#
        )
    );
    let bad = record(
        7,
        &[
            ("outer_type", "card"),
            ("outer_id", "C"),
            ("channel", "2"),
            ("customer_type", "7"),
        ],
    );
    let err = requests::crm_request(&bad, "r").unwrap_err();
    assert_eq!((err.line, err.field.as_str()), (7, "customer_type"));
}
