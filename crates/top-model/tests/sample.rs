//! A description's sample request passes its own check: for every built-in API, for the
//! code generator's demo description, and for random vendor descriptions (or the sampler
//! names the member no value fits).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use proptest::prelude::*;
use serde_json::{Map, Value, json};
use top_core::rules::Rule;
use top_model::{Catalog, Description, Overlay, SampleError, VendorApi};

fn sample_of(d: &Description) -> Map<String, Value> {
    let sample = d
        .sample_request()
        .unwrap_or_else(|e| panic!("{}: {e}", d.method()));
    assert_eq!(
        d.check_json(&sample),
        Ok(()),
        "{}: {}",
        d.method(),
        Value::Object(sample.clone())
    );
    sample
}

fn builtin(method: &str) -> Description {
    Catalog::builtin().unwrap().get(method).unwrap().clone()
}

fn demo() -> Description {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../top-codegen/tests/data/taobao.demo.order.sync");
    Description::load(&dir).unwrap()
}

fn description(vendor: Value, overlay: &str) -> Description {
    let vendor = VendorApi::from_json(&vendor.to_string()).unwrap();
    let overlay = Overlay::from_toml(&format!(
        "crate = \"demo\"\nsummary = \"A demo.\"\n{overlay}"
    ))
    .unwrap();
    Description::new(vendor, overlay).unwrap()
}

#[test]
fn every_builtin_api_has_a_sample_that_passes_its_check() {
    let catalog = Catalog::builtin().unwrap();
    assert_eq!(catalog.len(), 6);
    for d in catalog.iter() {
        let sample = sample_of(d);
        assert!(!sample.is_empty(), "{}", d.method());
    }
}

#[test]
fn the_demo_description_has_a_sample_that_passes_its_check() {
    let d = demo();
    let sample = Value::Object(sample_of(&d));
    let req = &sample["req"];
    // Enums in their wire form: Operate is a number, Kind a string.
    assert_eq!(req["operate_type"], json!(1));
    assert_eq!(req["kind"], json!("a"));
    assert_eq!(req["kinds"], json!(["a"]));
    let entry = &req["entries"][0];
    assert_eq!(entry["mobile"], json!("13800138000"));
    assert_eq!(
        entry["reason"],
        json!("1"),
        "a comma list of codes is one text"
    );
    assert_eq!(entry["tags"], json!(["samp"]), "cut to max_chars = 4");
    assert_eq!(entry["detail"]["lines"][0]["sku"], json!("123456"));
    assert_eq!(entry["detail"]["price"], json!("1.00"));
    assert_eq!(req["amount"], json!("1.00"));
    assert_eq!(req["at"], json!("1990-01-01 00:00:00"));
    assert_eq!(req["flag"], json!(true));
    assert_eq!(req["level"], json!(1));
    assert_eq!(req["codes"], json!([1]));
    assert_eq!(sample["extra"]["pin"], json!("1234"), "digits = [4, 4]");
    // A secret meets min_chars = 6 and no white space.
    let secret = req["secret"].as_str().unwrap();
    assert!(secret.len() >= 6 && !secret.contains(' '));
    // Optional members are filled too, so the at_least_one_of group holds.
    assert!(sample["open_id"].is_string() && sample["alipay_user_id"].is_string());
}

#[test]
fn crm_create_has_a_valid_mobile_and_a_past_birthday() {
    let d = builtin("alibaba.alsc.crm.customer.create");
    let sample = Value::Object(sample_of(&d));
    let req = &sample["param_customer_create_open_req"];
    let mobile = req["mobile"].as_str().unwrap();
    assert!(Rule::MainlandMobile.check_text("mobile", mobile).is_ok());
    let birthday = top_core::time::parse_gmt8(req["birthday"].as_str().unwrap()).unwrap();
    assert!(birthday < top_core::chrono::Utc::now());
    assert!(
        birthday >= top_core::time::parse_gmt8("1900-01-01 00:00:00").unwrap(),
        "not_before"
    );
    // The vendor's examples pass their rules, so they are kept.
    assert_eq!(req["birthday"], json!("2010-01-01 00:00:00"));
    assert_eq!(req["outer_type"], json!("mobile"));
    assert_eq!(req["outer_id"], json!("13411111111"));
    assert_eq!(req["email"], json!("xxx@gmail.com"));
    // The enum member: its example `1`, a declared code, as a JSON number (wire = number).
    assert_eq!(req["customer_type"], json!(1));
    // Gender is a string on this API.
    assert_eq!(req["gender"], json!("1"));
    assert_eq!(req["tag_id_list"], json!(["爱吃辣"]));
}

#[test]
fn examples_are_kept_when_they_pass_and_replaced_when_they_do_not() {
    let d = builtin("taobao.logistics.express.user.blacklist.tms.sync");
    let sample = Value::Object(sample_of(&d));
    let req = &sample["user_blacklist_request"];
    // A Number example becomes the number.
    assert_eq!(req["request_time"], json!(1_656_674_541_001_i64));
    assert_eq!(req["request_id"], json!("1656674541001"));
    assert_eq!(req["service_type"], json!("1"));
    assert_eq!(req["operate_type"], json!(1));
    assert_eq!(
        req["blacklist"],
        json!([{"mobile": "13111111111", "reason": "1"}])
    );

    // `139xxxx4567` is no mainland mobile: the format's value replaces it.
    let d = builtin("alibaba.damai.maizuo.openapi.user.register.byauthcode");
    let sample = Value::Object(sample_of(&d));
    assert_eq!(sample["param0"]["user_phone"], json!("13800138000"));
    assert_eq!(sample["param0"]["auth_code"], json!("726311"));
    assert_eq!(sample["param0"]["code_type"], json!(1));
}

#[test]
fn enum_members_without_examples_get_a_declared_code() {
    let d = builtin("alibaba.alsc.crm.customer.update");
    let sample = Value::Object(sample_of(&d));
    let req = &sample["param_customer_update_open_req"];
    let codes = |name: &str| -> Vec<Value> {
        d.enum_codes(name)
            .unwrap()
            .iter()
            .map(|c| json!(c.code.parse::<i64>().unwrap()))
            .collect()
    };
    assert!(codes("Gender").contains(&req["gender"]), "{req}");
    assert_eq!(req["gender"], json!(0), "the first code, as a number");
    assert!(codes("CustomerType").contains(&req["customer_type"]));
    // A text without rules but named like a day.
    assert_eq!(req["birthday"], json!("1990-01-01"));
}

#[test]
fn at_least_one_of_holds() {
    for method in [
        "alibaba.alsc.crm.customer.get",
        "taobao.retail.user.tag.mobile.add",
    ] {
        sample_of(&builtin(method));
    }
    // Only the group's members are optional texts no value fits but one.
    let d = description(
        json!({"name": "taobao.demo.find", "requestParams": [
            {"name": "a", "type": "String"},
            {"name": "b", "type": "String"}
        ]}),
        r#"
[members.a]
max_chars = 0
[[rules]]
at_least_one_of = ["a", "b"]
"#,
    );
    let sample = sample_of(&d);
    assert_eq!(Value::Object(sample), json!({"b": "sample"}));
}

#[test]
fn a_when_rule_triggered_by_the_sample_is_met() {
    let d = description(
        json!({"name": "taobao.demo.find", "requestParams": [
            {"name": "outer_type", "type": "String", "required": true, "example": "mobile"},
            {"name": "outer_id", "type": "String", "required": true, "example": "card-1"}
        ]}),
        r#"
[[rules]]
when = { member = "outer_type", equals = "mobile" }
then = { member = "outer_id", format = "mainland_mobile" }
"#,
    );
    let sample = Value::Object(sample_of(&d));
    assert_eq!(
        sample,
        json!({"outer_type": "mobile", "outer_id": "13800138000"})
    );

    // The member cannot be a mobile: the optional condition is left out instead.
    let d = description(
        json!({"name": "taobao.demo.find", "requestParams": [
            {"name": "outer_type", "type": "String", "example": "mobile"},
            {"name": "outer_id", "type": "String", "required": true, "maxLength": 4}
        ]}),
        r#"
[[rules]]
when = { member = "outer_type", equals = "mobile" }
then = { member = "outer_id", format = "mainland_mobile" }
"#,
    );
    let sample = Value::Object(sample_of(&d));
    assert_eq!(sample, json!({"outer_id": "samp"}));
}

#[test]
fn unique_members_differ_between_entries() {
    let d = description(
        json!({"name": "taobao.demo.sync", "requestParams": [
            {"name": "list", "type": "Entry[]", "required": true, "subParams": [
                {"name": "mobile", "type": "String", "required": true},
                {"name": "n", "type": "Number", "required": true}
            ]}
        ]}),
        r#"
[members.list]
min_items = 3
[members."list[].mobile"]
format = "mainland_mobile"
unique = true
"#,
    );
    let sample = Value::Object(sample_of(&d));
    assert_eq!(
        sample["list"],
        json!([
            {"mobile": "13800138000", "n": 1},
            {"mobile": "13800138001", "n": 1},
            {"mobile": "13800138002", "n": 1}
        ])
    );
}

#[test]
fn unsatisfiable_descriptions_name_the_member() {
    let vendor = json!({"name": "taobao.demo.sync", "requestParams": [
        {"name": "req", "type": "Req", "required": true, "subParams": [
            {"name": "entries", "type": "Entry[]", "required": true, "subParams": [
                {"name": "name", "type": "String", "required": true},
                {"name": "count", "type": "Number"}
            ]}
        ]}
    ]});
    let cases = [
        (
            "[members.\"req.entries[].name\"]\nmax_chars = 0\n",
            "req.entries[].name",
        ),
        (
            "[members.\"req.entries[].name\"]\nmin_chars = 5\nmax_chars = 3\n",
            "req.entries[].name",
        ),
        (
            "[members.\"req.entries[].name\"]\nformat = \"email\"\nmax_chars = 5\n",
            "req.entries[].name",
        ),
        (
            "[members.\"req.entries[].count\"]\nrequired = true\nmin = 5\nmax = 3\n",
            "req.entries[].count",
        ),
        (
            "[members.\"req.entries\"]\nmin_items = 2\nmax_items = 1\n",
            "req.entries",
        ),
    ];
    for (overlay, path) in cases {
        let d = description(vendor.clone(), overlay);
        let err = d.sample_request().unwrap_err();
        assert_eq!(err.path(), path, "{overlay}: {err}");
        assert!(
            matches!(&err, SampleError::NoValue { reason, .. } if !reason.is_empty()),
            "{err}"
        );
        assert!(err.to_string().starts_with(path), "{err}");
    }
    // The same rule on an optional member leaves it out.
    let d = description(
        vendor,
        "[members.\"req.entries[].count\"]\nmin = 5\nmax = 3\n",
    );
    let sample = Value::Object(sample_of(&d));
    assert_eq!(sample["req"]["entries"][0], json!({"name": "sample"}));

    // A required file upload.
    let d = description(
        json!({"name": "taobao.demo.upload", "requestParams": [
            {"name": "file", "type": "byte[]", "required": true}
        ]}),
        "",
    );
    assert_eq!(d.sample_request().unwrap_err().path(), "file");

    // Lists within lists whose entries multiply past what a sample holds.
    let d = description(
        json!({"name": "taobao.demo.sync", "requestParams": [
            {"name": "a", "type": "A[]", "required": true, "subParams": [
                {"name": "b", "type": "B[]", "required": true, "subParams": [
                    {"name": "c", "type": "String[]", "required": true}
                ]}
            ]}
        ]}),
        "[members.a]\nmin_items = 5000\n[members.\"a[].b\"]\nmin_items = 5000\n\
         [members.\"a[].b[].c\"]\nmin_items = 5000\n",
    );
    let err = d.sample_request().unwrap_err();
    assert!(err.path().starts_with("a[].b"), "{err}");

    // A rule across members none of whose members can be given.
    let d = description(
        json!({"name": "taobao.demo.find", "requestParams": [
            {"name": "a", "type": "String"}, {"name": "b", "type": "Number", "maxValue": 0,
             "minValue": 1}
        ]}),
        "[members.a]\nmax_chars = 0\n[[rules]]\nat_least_one_of = [\"a\", \"b\"]\n",
    );
    assert_eq!(d.sample_request().unwrap_err().path(), "a|b");
}

// Random vendor descriptions, sometimes with an overlay rule on a member.

const LEAVES: &[&str] = &[
    "String",
    "Number",
    "Boolean",
    "Date",
    "Price",
    "Json",
    "Field List",
    "String[]",
    "Number[]",
    "Date[]",
    "byte[]",
];

const EXAMPLES: &[&str] = &[
    "1",
    "abc",
    "2010-01-01 00:00:00",
    "2010-01-01",
    "",
    " ",
    "13800138000",
    "x y",
    "{}",
    "-5",
    "1.5",
    "a,b",
    "true",
];

/// Overlay rules, applied when the member's type takes them (else the overlay is dropped).
const RULES: &[&str] = &[
    "max_chars = 0",
    "min_chars = 3",
    "max_chars = 2",
    "format = \"mainland_mobile\"",
    "format = \"email\"",
    "format = \"no_whitespace\"",
    "format = \"epoch_millis\"",
    "digits = [2, 4]",
    "min = 5\nmax = 3",
    "min = 2",
    "max = -1",
    "required = true",
    "required = false",
    "not_future = true",
    "not_before = \"2000-01-01\"",
    "not_before = \"2999-01-01\"\nnot_future = true",
    "max_items = 0",
    "min_items = 2",
    "unique = true",
    "enum = \"E\"",
    "codes = \"E\"",
    "default = \"1\"",
];

#[derive(Debug, Clone)]
enum Shape {
    Leaf(&'static str),
    Object(Vec<Param>),
    List(Vec<Param>),
}

#[derive(Debug, Clone)]
struct Param {
    shape: Shape,
    required: bool,
    max_length: Option<u64>,
    max_list_size: Option<u64>,
    min_value: Option<i64>,
    max_value: Option<i64>,
    example: Option<&'static str>,
    rule: Option<&'static str>,
}

fn param(shape: impl Strategy<Value = Shape>) -> impl Strategy<Value = Param> {
    (
        shape,
        any::<bool>(),
        proptest::option::of(0u64..4),
        proptest::option::of(0u64..3),
        proptest::option::of(-3i64..4),
        proptest::option::of(-3i64..4),
        proptest::option::of(proptest::sample::select(EXAMPLES)),
        proptest::option::weighted(0.3, proptest::sample::select(RULES)),
    )
        .prop_map(
            |(shape, required, max_length, max_list_size, min_value, max_value, example, rule)| {
                Param {
                    shape,
                    required,
                    max_length,
                    max_list_size,
                    min_value,
                    max_value,
                    example,
                    rule,
                }
            },
        )
}

fn params() -> impl Strategy<Value = Vec<Param>> {
    let leaf = proptest::sample::select(LEAVES).prop_map(Shape::Leaf);
    let shape = leaf.prop_recursive(3, 16, 4, |inner| {
        let members = move || proptest::collection::vec(param(inner.clone()), 0..4);
        prop_oneof![
            members().prop_map(Shape::Object),
            members().prop_map(Shape::List),
        ]
    });
    proptest::collection::vec(param(shape), 0..5)
}

/// The vendor JSON of `params`, with the overlay's member tables (paths as the overlay
/// writes them).
fn vendor_json(params: &[Param], prefix: &str, overlay: &mut String) -> Value {
    let list: Vec<Value> = params
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let name = format!("m{i}");
            let path = if prefix.is_empty() {
                name.clone()
            } else {
                format!("{prefix}.{name}")
            };
            let mut v = json!({"name": name, "required": p.required});
            let (type_name, subs) = match &p.shape {
                Shape::Leaf(t) => ((*t).to_owned(), None),
                Shape::Object(members) => ("Obj".to_owned(), Some((members, path.clone()))),
                Shape::List(members) => ("Obj[]".to_owned(), Some((members, format!("{path}[]")))),
            };
            v["type"] = json!(type_name);
            if let Some((members, inner)) = subs {
                v["subParams"] = vendor_json(members, &inner, overlay);
            }
            for (key, value) in [
                ("maxLength", p.max_length.map(Value::from)),
                ("maxListSize", p.max_list_size.map(Value::from)),
                ("minValue", p.min_value.map(Value::from)),
                ("maxValue", p.max_value.map(Value::from)),
                ("example", p.example.map(Value::from)),
            ] {
                if let Some(value) = value {
                    v[key] = value;
                }
            }
            if let Some(rule) = p.rule {
                overlay.push_str(&format!("[members.\"{path}\"]\n{rule}\n"));
            }
            v
        })
        .collect();
    Value::Array(list)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn random_descriptions_give_a_valid_sample_or_an_error(
        params in params(),
        group in proptest::option::of(proptest::collection::vec(0usize..5, 1..3)),
        when in proptest::option::of((0usize..5, 0usize..5)),
    ) {
        let mut members = String::new();
        let request = vendor_json(&params, "", &mut members);
        let vendor = json!({"name": "taobao.demo.random", "requestParams": request});
        let Ok(vendor) = VendorApi::from_json(&vendor.to_string()) else {
            return Err(TestCaseError::fail("the generated vendor JSON is refused"));
        };
        let top = |i: usize| (i < params.len()).then(|| format!("\"m{i}\""));
        let mut rules = String::new();
        if let Some(group) = group {
            let names: Vec<String> = group.into_iter().filter_map(top).collect();
            if !names.is_empty() {
                rules.push_str(&format!("[[rules]]\nat_least_one_of = [{}]\n", names.join(", ")));
            }
        }
        if let Some((a, b)) = when
            && let (Some(a), Some(b)) = (top(a), top(b))
        {
            rules.push_str(&format!(
                "[[rules]]\nwhen = {{ member = {a}, equals = \"1\" }}\n\
                 then = {{ member = {b}, format = \"mainland_mobile\" }}\n"
            ));
        }
        let base = "crate = \"demo\"\nsummary = \"Random.\"\n\
            [enums.E]\nwire = \"number\"\nvalues = [{ code = \"1\", name = \"One\", meaning = \"one\" }]\n";
        // An overlay whose rules do not apply to their members' types is refused by the
        // description; the vendor part alone is then sampled.
        let with = |extra: &str| {
            Overlay::from_toml(&format!("{base}{extra}"))
                .ok()
                .and_then(|o| Description::new(vendor.clone(), o).ok())
        };
        let d = with(&format!("{rules}{members}"))
            .or_else(|| with(&rules))
            .or_else(|| with(""))
            .expect("the base overlay fits any description");
        match d.sample_request() {
            Ok(sample) => prop_assert_eq!(d.check_json(&sample), Ok(())),
            Err(e) => prop_assert!(!e.path().is_empty(), "{e}"),
        }
    }
}
