//! The unit tests of the hand-written request and response, ported to the generated code
//! and its public API: reason codes, the comma list `reason` on the wire (read by serde,
//! checked by `validate()`), the enums' wire forms, the batch's JSON, the failure rule.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use logistics_blacklist::{
    AbilityType, Blacklist, BlacklistReason, LogisticsExpressUserBlacklistTmsSyncRequest,
    LogisticsExpressUserBlacklistTmsSyncResponse, OperateType, ServiceType, UserBlacklistRequest,
};
use serde_json::json;
use top_core::rules::{EnumCode, Rule};
use top_core::{TopRequest, TopResponse, ValidationError};

use BlacklistReason::{Extortion, MaliciousComplaint, MaliciousOrder, Other, PersonalAttack};

/// Every reason, in code order (the old `BlacklistReason::ALL`).
const ALL: [BlacklistReason; 5] = [
    MaliciousOrder,
    MaliciousComplaint,
    Extortion,
    PersonalAttack,
    Other,
];

/// The rule a bad `reason` list breaks, as `validate()` words it.
fn reason_rule() -> String {
    Rule::CommaCodes(vec![
        EnumCode::new("1", "malicious order"),
        EnumCode::new("2", "malicious complaint"),
        EnumCode::new("3", "extortion"),
        EnumCode::new("4", "personal attack on the courier"),
        EnumCode::new("5", "other"),
    ])
    .message()
    .into_owned()
}

/// The entry read from `{"mobile":…,"reason":<reason>}`.
fn entry_with(reason: serde_json::Value) -> Result<Blacklist, serde_json::Error> {
    serde_json::from_value(json!({"mobile": "13111111111", "reason": reason}))
}

/// The reasons of an entry read from the wire text `reason` (the old `parse_list`).
fn read_list(text: &str) -> Result<Vec<BlacklistReason>, serde_json::Error> {
    entry_with(json!(text)).map(|e| e.reason.unwrap_or_default())
}

/// A one-entry call of this entry.
fn call_of(entry: Blacklist) -> LogisticsExpressUserBlacklistTmsSyncRequest {
    LogisticsExpressUserBlacklistTmsSyncRequest::new(UserBlacklistRequest::new(
        "r-1",
        1,
        "s-1",
        OperateType::AddOrUpdate,
        [entry],
    ))
}

/// `validate()` of a one-entry call whose entry was read from the wire text `reason`.
fn validate_list(text: &str) -> Result<(), ValidationError> {
    call_of(entry_with(json!(text)).unwrap()).validate()
}

#[test]
fn reason_codes() {
    for (i, r) in ALL.into_iter().enumerate() {
        let code = (i + 1).to_string();
        assert_eq!(r.code(), code);
        // The code reads back, as a string and as a number (the old `TryFrom<u8>`/`FromStr`),
        // and the JSON form is the code (the old `Display`).
        assert_eq!(
            serde_json::from_value::<BlacklistReason>(json!(code)).unwrap(),
            r
        );
        assert_eq!(
            serde_json::from_value::<BlacklistReason>(json!(i + 1)).unwrap(),
            r
        );
        assert_eq!(serde_json::to_value(r).unwrap(), json!(code));
    }
    assert!(serde_json::from_value::<BlacklistReason>(json!(0)).is_err());
    assert!(serde_json::from_value::<BlacklistReason>(json!(6)).is_err());
    assert!(serde_json::from_value::<BlacklistReason>(json!(" 3 ")).is_ok());
    let err = serde_json::from_value::<BlacklistReason>(json!("x")).unwrap_err();
    assert!(err.to_string().contains("5 (other)"), "{err}");
    // The old `join`: the wire list keeps the given order.
    let entry = Blacklist::new("13111111111").reason([Other, MaliciousOrder]);
    assert_eq!(
        serde_json::to_value(&entry).unwrap(),
        json!({"mobile": "13111111111", "reason": "5,1"})
    );
}

#[test]
fn parse_list_rules() {
    assert_eq!(read_list("1,2,3,4,5").unwrap(), ALL);
    assert_eq!(read_list(" 4 ").unwrap(), [PersonalAttack]);
    assert_eq!(
        read_list("1, 2").unwrap(),
        [MaliciousOrder, MaliciousComplaint]
    );
    // A blank text is no reason at all.
    assert_eq!(entry_with(json!("  ")).unwrap().reason, None);
    assert!(validate_list("  ").is_ok());
    assert!(validate_list("1,2,3,4,5").is_ok());

    // Empty items, codes outside 1-5 and other separators are not codes: serde refuses them.
    for bad in ["0", "6", "1,,2", ",1", "1,", "1;2", "1 2", "-1", "256", "a"] {
        let err = read_list(bad).unwrap_err();
        assert!(err.to_string().contains("5 (other)"), "{bad}: {err}");
    }

    // A repeated code reads, but the call is refused before anything is sent, naming the
    // entry's `reason` and the rule, not the value.
    for repeated in ["1,1", "2, 3, 2"] {
        let err = validate_list(repeated).unwrap_err();
        assert_eq!(
            (err.field.as_ref(), err.rule.as_ref()),
            (
                "user_blacklist_request.blacklist[0].reason",
                reason_rule().as_str()
            ),
            "{repeated}"
        );
    }
    // Built in code, the same rule holds.
    let err = call_of(Blacklist::new("13111111111").reason([Extortion, Other, Extortion]))
        .validate()
        .unwrap_err();
    assert_eq!(err.field, "user_blacklist_request.blacklist[0].reason");
    assert_eq!(err.rule, reason_rule());
    // In a later entry the path names that entry.
    let err = LogisticsExpressUserBlacklistTmsSyncRequest::new(UserBlacklistRequest::new(
        "r-1",
        1,
        "s-1",
        OperateType::AddOrUpdate,
        [
            Blacklist::new("13111111111").reason([MaliciousOrder]),
            Blacklist::new("13122222222").reason([Other, Other]),
        ],
    ))
    .validate()
    .unwrap_err();
    assert_eq!(err.field, "user_blacklist_request.blacklist[1].reason");
}

#[test]
fn enums_on_the_wire() {
    assert_eq!(OperateType::AddOrUpdate.code(), 1);
    assert_eq!(OperateType::Delete.code(), 2);
    assert_eq!(ServiceType::DoorToDoor.code(), "1");
    assert_eq!(AbilityType::DoorToDoor.code(), "1");
    assert_eq!(
        serde_json::to_string(&OperateType::AddOrUpdate).unwrap(),
        "1"
    );
    assert_eq!(serde_json::to_string(&OperateType::Delete).unwrap(), "2");
    assert_eq!(
        serde_json::to_string(&ServiceType::DoorToDoor).unwrap(),
        "\"1\""
    );
    assert_eq!(
        serde_json::to_string(&AbilityType::DoorToDoor).unwrap(),
        "\"1\""
    );
    assert_eq!(serde_json::to_string(&Extortion).unwrap(), "\"3\"");
    assert_eq!(
        serde_json::from_str::<OperateType>("\"2\"").unwrap(),
        OperateType::Delete
    );
    assert_eq!(
        serde_json::from_str::<ServiceType>("1").unwrap(),
        ServiceType::DoorToDoor
    );
    assert_eq!(
        serde_json::from_str::<AbilityType>("\"1\"").unwrap(),
        AbilityType::DoorToDoor
    );
    assert_eq!(
        serde_json::from_str::<BlacklistReason>("4").unwrap(),
        PersonalAttack
    );
    assert!(serde_json::from_str::<OperateType>("3").is_err());
    assert!(serde_json::from_str::<ServiceType>("\"2\"").is_err());
    assert!(serde_json::from_str::<AbilityType>("\"x\"").is_err());
}

#[test]
fn blacklist_reason_forms() {
    for (json, expected) in [
        (
            r#"{"mobile":"13111111111","reason":"1,2"}"#,
            vec![MaliciousOrder, MaliciousComplaint],
        ),
        (
            r#"{"mobile":"13111111111","reason":2}"#,
            vec![MaliciousComplaint],
        ),
        (
            r#"{"mobile":"13111111111","reason":["5",1]}"#,
            vec![Other, MaliciousOrder],
        ),
        (r#"{"mobile":"13111111111","reason":""}"#, vec![]),
        (r#"{"mobile":"13111111111","reason":null}"#, vec![]),
        (r#"{"mobile":"13111111111"}"#, vec![]),
    ] {
        let entry: Blacklist = serde_json::from_str(json).unwrap();
        assert_eq!(entry.reason.unwrap_or_default(), expected, "{json}");
    }
    // No reason is unset (the old code read an empty list).
    for none in [
        r#"{"mobile":"13111111111","reason":""}"#,
        r#"{"mobile":"13111111111","reason":null}"#,
        r#"{"mobile":"13111111111"}"#,
    ] {
        let entry: Blacklist = serde_json::from_str(none).unwrap();
        assert_eq!(entry, Blacklist::new("13111111111"), "{none}");
    }
    assert!(
        serde_json::from_str::<Blacklist>(r#"{"mobile":"13111111111","reason":"1,9"}"#).is_err()
    );
    // Written as the comma list, omitted when there is no reason; and read back.
    let entry = Blacklist::new("13111111111").reason([Extortion, Other]);
    let text = serde_json::to_string(&entry).unwrap();
    assert_eq!(text, r#"{"mobile":"13111111111","reason":"3,5"}"#);
    assert_eq!(serde_json::from_str::<Blacklist>(&text).unwrap(), entry);
    assert_eq!(
        serde_json::from_str::<Blacklist>(r#"{"mobile":"13111111111","reason":"3, 5"}"#).unwrap(),
        entry
    );
    for empty in [
        Blacklist::new("13122222222"),
        Blacklist::new("13122222222").reason([]),
    ] {
        assert_eq!(
            serde_json::to_string(&empty).unwrap(),
            r#"{"mobile":"13122222222"}"#
        );
    }
}

#[test]
fn the_batch_round_trips() {
    let batch = UserBlacklistRequest::new(
        "r-1",
        1,
        "s-1",
        OperateType::Delete,
        [Blacklist::new("13111111111")],
    );
    let text = serde_json::to_string(&batch).unwrap();
    assert_eq!(
        text,
        r#"{"ability_type":"1","blacklist":[{"mobile":"13111111111"}],"operate_type":2,"request_id":"r-1","request_time":1,"service_type":"1","supplier_id":"s-1"}"#
    );
    assert_eq!(
        serde_json::from_str::<UserBlacklistRequest>(&text).unwrap(),
        batch
    );
    // Codes are read from strings or numbers.
    let lenient: UserBlacklistRequest = serde_json::from_str(
        r#"{"ability_type":1,"blacklist":[{"mobile":"13111111111"}],"operate_type":"2","request_id":"r-1","request_time":1,"service_type":1,"supplier_id":"s-1"}"#,
    )
    .unwrap();
    assert_eq!(lenient, batch);
    // A batch read without `service_type` and `ability_type` gets the description's
    // defaults, as the constructor fills them.
    let minimal = serde_json::from_str::<UserBlacklistRequest>(
        r#"{"blacklist":[{"mobile":"13111111111"}],"operate_type":"2","request_id":"r-1","request_time":1,"supplier_id":"s-1"}"#,
    )
    .unwrap();
    assert_eq!(minimal.service_type, ServiceType::DoorToDoor);
    assert_eq!(minimal.ability_type, AbilityType::DoorToDoor);
}

/// `{"user_blacklist_response":{success, code 500, message busy, is_retry}, "request_id":"rid"}`,
/// leaving out the flags that are `None`.
fn response(
    success: Option<bool>,
    is_retry: Option<bool>,
) -> LogisticsExpressUserBlacklistTmsSyncResponse {
    let mut outcome = json!({"code": "500", "message": "busy"});
    if let Some(success) = success {
        outcome["success"] = json!(success);
    }
    if let Some(is_retry) = is_retry {
        outcome["is_retry"] = json!(is_retry);
    }
    serde_json::from_value(json!({"user_blacklist_response": outcome, "request_id": "rid"}))
        .unwrap()
}

#[test]
fn failure_rules() {
    assert!(response(Some(true), None).business_error().is_none());
    assert!(response(None, None).business_error().is_none());
    assert!(
        LogisticsExpressUserBlacklistTmsSyncResponse::default()
            .business_error()
            .is_none()
    );
    let e = response(Some(false), Some(true)).business_error().unwrap();
    assert_eq!(
        (
            e.code.as_deref(),
            e.message.as_deref(),
            e.retryable,
            e.request_id.as_deref()
        ),
        (Some("500"), Some("busy"), true, Some("rid"))
    );
    assert!(
        !response(Some(false), Some(false))
            .business_error()
            .unwrap()
            .retryable
    );
    assert!(
        !response(Some(false), None)
            .business_error()
            .unwrap()
            .retryable
    );
    // A blank code or message is no code or message (the hand-written rule passed them on
    // as they were).
    let blank: LogisticsExpressUserBlacklistTmsSyncResponse = serde_json::from_value(json!({
        "user_blacklist_response": {"success": false, "code": " ", "message": ""}
    }))
    .unwrap();
    let e = blank.business_error().unwrap();
    assert_eq!((e.code, e.message, e.request_id), (None, None, None));
}
