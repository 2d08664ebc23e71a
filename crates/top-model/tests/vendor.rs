//! The vendor's own descriptions read into the model, and bad descriptions refused with the
//! member path.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use top_model::{ModelError, TypeRef, VendorApi, VendorParam};

fn vendor(name: &str) -> VendorApi {
    let path = format!(
        "{}/tests/data/vendor/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    VendorApi::from_json(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn find<'a>(params: &'a [VendorParam], name: &str) -> &'a VendorParam {
    params.iter().find(|p| p.name == name).unwrap()
}

#[test]
fn the_vendor_descriptions_are_read_whole() {
    let sync = vendor("taobao.logistics.express.user.blacklist.tms.sync");
    assert_eq!(sync.api_chinese_name, "上门取退用户黑名单同步");
    assert_eq!(sync.id, Some(67452));
    let request = find(&sync.request_params, "user_blacklist_request");
    assert_eq!(
        request.type_ref().unwrap(),
        TypeRef::Object("UserBlacklistRequest".into())
    );
    let blacklist = find(&request.sub_params, "blacklist");
    assert_eq!(
        blacklist.type_ref().unwrap().object_name(),
        Some("Blacklist")
    );
    assert!(find(&request.sub_params, "operate_type").required);

    // Three levels of object lists in the answer.
    let get = vendor("alibaba.alsc.crm.customer.get");
    let result = find(&get.response_params, "result");
    let agg = find(&result.sub_params, "result");
    let cards = find(&agg.sub_params, "card_open_info_list");
    let physical = find(&cards.sub_params, "physical_cards");
    assert_eq!(
        physical.type_ref().unwrap().object_name(),
        Some("PhysicalCardOpenInfo")
    );
    assert!(!physical.sub_params.is_empty());

    for name in [
        "alibaba.alsc.crm.customer.create",
        "alibaba.alsc.crm.customer.update",
    ] {
        let api = vendor(name);
        assert_eq!(api.name, name);
        // Round trip: what is written reads back the same.
        let text = serde_json::to_string_pretty(&api).unwrap();
        assert_eq!(VendorApi::from_json(&text).unwrap(), api);
    }
}

#[test]
fn the_vendors_wrapper_is_accepted() {
    let inner = r#"{"name":"taobao.demo.get","requestParams":[],"responseParams":[{"name":"ok","type":"Boolean"}]}"#;
    let wrapped = format!(r#"{{"success":true,"data":{inner}}}"#);
    assert_eq!(
        VendorApi::from_json(&wrapped).unwrap(),
        VendorApi::from_json(inner).unwrap()
    );
}

#[test]
fn bad_descriptions_name_the_member() {
    let reason = |text: &str| match VendorApi::from_json(text).unwrap_err() {
        ModelError::Member { path, reason, .. } => format!("{path}: {reason}"),
        ModelError::NotADescription { reason, .. } => format!("not: {reason}"),
        other => format!("{other}"),
    };
    assert!(reason("nonsense").starts_with("not: not JSON"));
    assert!(reason("[1]").starts_with("not: expected a JSON object"));
    assert!(reason(r#"{"title":"x"}"#).starts_with("not: expected `name`"));
    assert_eq!(
        reason(
            r#"{"name":"a.b.c","requestParams":[{"name":"o","type":"O","subParams":[{"type":"String"}]}]}"#
        ),
        "request.o[0]: a member without a name"
    );
    assert_eq!(
        reason(
            r#"{"name":"a.b.c","requestParams":[{"name":"o","type":"O","subParams":[{"name":"m"}]}]}"#
        ),
        "request.o.m: a member without a type"
    );
    assert_eq!(
        reason(r#"{"name":"a.b.c","requestParams":[{"name":"o","type":"Str ing"}]}"#),
        "request.o: `Str ing` is not a known TOP type or a type name"
    );
    assert_eq!(
        reason(
            r#"{"name":"a.b.c","requestParams":[{"name":"o","type":"String"},{"name":"o","type":"Number"}]}"#
        ),
        "request.o: the name appears twice"
    );
    assert_eq!(
        reason(
            r#"{"name":"a.b.c","responseParams":[{"name":"l","type":"X[]","subParams":[{"name":"m","type":"Y[][]"}]}]}"#
        ),
        "response.l[].m: `Y[][]`: lists of lists are not a TOP type"
    );
    assert_eq!(
        reason(
            r#"{"name":"a.b.c","requestParams":[{"name":"s","type":"String","subParams":[{"name":"m","type":"String"}]}]}"#
        ),
        "request.s: a `String` member cannot have members"
    );
    assert!(reason(r#"{"success":false,"data":{}}"#).contains("success=false"));
}
