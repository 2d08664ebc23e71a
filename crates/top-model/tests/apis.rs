//! The project's own descriptions (`apis/<method>/`): every one loads, its overlay says what
//! the hand-written code enforces, and its vendor part is written in canonical form.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use top_core::rules::{EnumCode, Rule};
use top_model::overlay::{Format, Generated, Redact, Wire};
use top_model::{Catalog, Description, Side, VENDOR_FILE, VendorApi};

const APIS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../apis");

const RETAIL: &str = "taobao.retail.user.tag.mobile.add";
const BLACKLIST: &str = "taobao.logistics.express.user.blacklist.tms.sync";
const DAMAI: &str = "alibaba.damai.maizuo.openapi.user.register.byauthcode";
const CRM_CREATE: &str = "alibaba.alsc.crm.customer.create";
const CRM_UPDATE: &str = "alibaba.alsc.crm.customer.update";

fn catalog() -> Catalog {
    Catalog::load_dir(Path::new(APIS)).unwrap_or_else(|e| panic!("{e}"))
}

fn api<'a>(catalog: &'a Catalog, method: &str) -> &'a Description {
    catalog
        .get(method)
        .unwrap_or_else(|| panic!("{method} is not described"))
}

fn codes(pairs: &[(&'static str, &'static str)]) -> Vec<EnumCode> {
    pairs
        .iter()
        .map(|&(code, meaning)| EnumCode::new(code, meaning))
        .collect()
}

fn redact(description: &Description, path: &str) -> Option<Redact> {
    description.overlay.members.get(path).and_then(|m| m.redact)
}

#[test]
fn the_six_apis_are_described() {
    let catalog = catalog();
    assert_eq!(catalog.len(), 6);
    for (method, crate_name, alias, key) in [
        (RETAIL, "retail-tag", "TagUser", None),
        (
            BLACKLIST,
            "logistics-blacklist",
            "SyncBlacklist",
            Some("user_blacklist_request.request_id"),
        ),
        (DAMAI, "damai-member", "RegisterMember", None),
        (
            CRM_CREATE,
            "alsc-crm",
            "CreateCustomer",
            Some("param_customer_create_open_req.request_id"),
        ),
        (
            CRM_UPDATE,
            "alsc-crm",
            "UpdateCustomer",
            Some("param_customer_update_open_req.request_id"),
        ),
        (
            "alibaba.alsc.crm.customer.get",
            "alsc-crm",
            "GetCustomer",
            None,
        ),
    ] {
        let description = api(&catalog, method);
        let overlay = &description.overlay;
        assert_eq!(overlay.crate_name, crate_name, "{method}");
        assert_eq!(overlay.alias.as_deref(), Some(alias), "{method}");
        assert_eq!(overlay.idempotency_key.as_deref(), key, "{method}");
        assert!(!overlay.summary.is_empty(), "{method}");
        assert!(overlay.business_failure.is_some(), "{method}");
        // Every object type has an English summary.
        let mut stack: Vec<_> = description
            .vendor
            .request_params
            .iter()
            .chain(&description.vendor.response_params)
            .collect();
        while let Some(param) = stack.pop() {
            if let Some(name) = param.type_ref().unwrap().object_name() {
                assert!(overlay.types.contains_key(name), "{method}: type {name}");
            }
            stack.extend(&param.sub_params);
        }
    }
}

#[test]
fn retail_tag_rules() {
    let catalog = catalog();
    let tag = api(&catalog, RETAIL);
    assert_eq!(tag.vendor.id, None, "the page shows no apiId");
    for id in ["biz_code", "isv_user_id", "open_id", "alipay_user_id"] {
        assert_eq!(tag.rules_of(id), [Rule::MaxChars(128)], "{id}");
    }
    assert_eq!(
        tag.rules_of("ext_param"),
        [Rule::MaxChars(4096), Rule::JsonText]
    );
    assert_eq!(tag.overlay.rules.len(), 1, "at least one of the three ids");
    let failure = tag.overlay.business_failure.as_ref().unwrap();
    assert_eq!(failure.flag, "result");
    assert_eq!(failure.also, ["module.tag_success"]);
    assert!(tag.member(Side::Response, "module.tag_success").is_some());
    let bulk = tag.overlay.bulk.as_ref().unwrap();
    assert_eq!(
        (bulk.object.as_deref(), bulk.list.as_deref()),
        (None, None),
        "a call per row of the top-level parameters"
    );
}

#[test]
fn blacklist_rules() {
    let catalog = catalog();
    let sync = api(&catalog, BLACKLIST);
    assert_eq!(sync.vendor.id, Some(67452));
    let p = |m: &str| format!("user_blacklist_request.{m}");
    assert_eq!(
        sync.rules_of(&p("blacklist[].mobile")),
        [Rule::MainlandMobile]
    );
    assert_eq!(redact(sync, &p("blacklist[].mobile")), Some(Redact::Mobile));
    let reasons: Vec<EnumCode> = codes(&[
        ("1", "malicious order"),
        ("2", "malicious complaint"),
        ("3", "extortion"),
        ("4", "personal attack on the courier"),
        ("5", "other"),
    ]);
    assert_eq!(
        sync.rules_of(&p("blacklist[].reason")),
        [Rule::CommaCodes(reasons.clone())]
    );
    let reason = &sync.rules_of(&p("blacklist[].reason"))[0];
    assert!(reason.check_text("reason", "1,5").is_ok());
    assert!(
        reason.check_text("reason", "1,1").is_err(),
        "a repeat is refused"
    );
    assert_eq!(
        sync.rules_of(&p("blacklist")),
        [Rule::MaxItems(1000), Rule::MinItems(1)]
    );
    assert_eq!(sync.rules_of(&p("request_id")), [Rule::MaxChars(64)]);
    assert_eq!(sync.rules_of(&p("supplier_id")), [Rule::MaxChars(64)]);
    assert_eq!(
        sync.rules_of(&p("request_time")),
        [Rule::Range {
            min: Some(1),
            max: None
        }]
    );
    assert_eq!(
        sync.rules_of(&p("operate_type")),
        [Rule::OneOf(codes(&[
            ("1", "add or update"),
            ("2", "delete")
        ]))]
    );
    let operate = &sync.overlay.enums["OperateType"];
    assert_eq!(operate.wire, Wire::Number);
    let names: Vec<&str> = operate.values.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["AddOrUpdate", "Delete"]);
    assert_eq!(sync.overlay.enums["BlacklistReason"].wire, Wire::String);

    let failure = sync.overlay.business_failure.as_ref().unwrap();
    assert_eq!(failure.flag, "user_blacklist_response.success");
    assert_eq!(
        failure.retryable.as_deref(),
        Some("user_blacklist_response.is_retry")
    );

    let bulk = sync.overlay.bulk.as_ref().unwrap();
    assert_eq!(
        bulk.list.as_deref(),
        Some("user_blacklist_request.blacklist")
    );
    assert_eq!(bulk.object, None);
    assert_eq!(bulk.max_batch, Some(100));
    assert_eq!(bulk.flags[&p("supplier_id")], "supplier-id");
    assert_eq!(bulk.flags[&p("operate_type")], "operate");
    assert_eq!(bulk.generated[&p("request_id")], Generated::RequestId);
    assert_eq!(bulk.generated[&p("request_time")], Generated::NowMs);
}

#[test]
fn damai_rules() {
    let catalog = catalog();
    let register = api(&catalog, DAMAI);
    assert_eq!(register.vendor.id, None, "the page shows no apiId");
    // Settled as the SDK: 4 to 8 digits (the sandbox's "exactly 6" is not the vendor's).
    assert_eq!(
        register.rules_of("param0.auth_code"),
        [Rule::Digits { min: 4, max: 8 }]
    );
    // Settled as the SDK: no letter-and-digit rule.
    assert_eq!(
        register.rules_of("param0.user_login_password"),
        [Rule::MinChars(6), Rule::MaxChars(32), Rule::NoWhitespace]
    );
    assert_eq!(
        register.rules_of("param0.user_phone"),
        [Rule::MainlandMobile]
    );
    assert_eq!(
        register.rules_of("param0.code_type"),
        [Rule::OneOf(codes(&[
            ("1", "register"),
            ("2", "change password")
        ]))]
    );
    for secret in [
        "auth_code",
        "user_login_password",
        "ptnr_token",
        "tenant_token",
        "channel_token",
    ] {
        let path = format!("param0.{secret}");
        assert_eq!(redact(register, &path), Some(Redact::Secret), "{path}");
    }
    for token in ["ptnr_token", "tenant_token", "channel_token"] {
        let path = format!("param0.{token}");
        assert_eq!(register.rules_of(&path), [Rule::MaxChars(256)], "{path}");
    }
    assert_eq!(redact(register, "param0.user_phone"), Some(Redact::Mobile));
    // The page draws `data` one level up; the XML sample nests it in `result`.
    assert!(
        register
            .member(Side::Response, "result.data.user_token")
            .is_some()
    );
    assert_eq!(
        register.overlay.business_failure.as_ref().unwrap().flag,
        "result.success"
    );
    assert!(register.overlay.bulk.is_none());
}

#[test]
fn crm_rules() {
    let catalog = catalog();
    for (method, object) in [
        (CRM_CREATE, "param_customer_create_open_req"),
        (CRM_UPDATE, "param_customer_update_open_req"),
    ] {
        let crm = api(&catalog, method);
        let p = |m: &str| format!("{object}.{m}");
        assert_eq!(crm.rules_of(&p("request_id")), [Rule::MaxChars(64)]);
        assert_eq!(crm.rules_of(&p("mobile")), [Rule::MainlandMobile]);
        assert_eq!(redact(crm, &p("mobile")), Some(Redact::Mobile));
        assert_eq!(
            crm.rules_of(&p("email")),
            [Rule::MaxChars(128), Rule::Email]
        );
        assert_eq!(crm.rules_of(&p("name")), [Rule::MaxChars(64)]);
        assert_eq!(crm.rules_of(&p("remark")), [Rule::MaxChars(512)]);
        assert_eq!(
            crm.rules_of(&p("gender")),
            [Rule::OneOf(codes(&[("0", "female"), ("1", "male")]))]
        );
        assert!(crm.overlay.members[&p("customer_type")].always_send);
        let failure = crm.overlay.business_failure.as_ref().unwrap();
        assert_eq!(failure.flag, "result.biz_success");
        assert_eq!(failure.code.as_deref(), Some("result.result_code"));
        let bulk = crm.overlay.bulk.as_ref().unwrap();
        assert_eq!(bulk.object.as_deref(), Some(object));
        assert_eq!(bulk.generated[&p("request_id")], Generated::RequestId);
    }

    let create = api(&catalog, CRM_CREATE);
    assert_eq!(create.vendor.id, Some(45839));
    assert_eq!(create.overlay.enums["Gender"].wire, Wire::String);
    assert_eq!(create.overlay.enums["CustomerType"].wire, Wire::Number);
    let tags = create.rules_of("param_customer_create_open_req.tag_id_list");
    assert_eq!(
        tags,
        [Rule::MinChars(1), Rule::MaxChars(128), Rule::MaxItems(50)]
    );
    assert_eq!(create.overlay.rules.len(), 1, "outer_type mobile");
    let top_model::overlay::CrossRule::When { when, then } = &create.overlay.rules[0] else {
        panic!("expected a when/then rule");
    };
    assert_eq!(when.member, "param_customer_create_open_req.outer_type");
    assert_eq!(when.equals, "mobile");
    assert_eq!(then.member, "param_customer_create_open_req.outer_id");
    assert_eq!(then.format, Format::MainlandMobile);

    let update = api(&catalog, CRM_UPDATE);
    assert_eq!(update.vendor.id, Some(45840));
    // Gender is a Number on this API: the same codes, another wire form.
    assert_eq!(update.overlay.enums["Gender"].wire, Wire::Number);
    assert!(update.is_required("param_customer_update_open_req.customer_id"));
    assert!(!update.is_required("param_customer_update_open_req.request_id"));
}

/// The vendor parts are in canonical form: what `VendorApi` writes back is the file.
#[test]
fn vendor_files_round_trip() {
    let mut seen = 0;
    for entry in std::fs::read_dir(APIS).unwrap() {
        let path = entry.unwrap().path().join(VENDOR_FILE);
        if !path.is_file() {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let api = VendorApi::from_json(&text).unwrap();
        let written = serde_json::to_string_pretty(&api).unwrap();
        assert_eq!(written, text.trim_end_matches('\n'), "{}", path.display());
        seen += 1;
    }
    assert_eq!(seen, 6);
}
