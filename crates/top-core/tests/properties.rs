//! Property tests: the signer is order-independent and total; the parsers never panic.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use serde_json::Value;
use top_core::{Params, SignMethod, sign, to_params};

fn method() -> impl Strategy<Value = SignMethod> {
    prop_oneof![
        Just(SignMethod::Md5),
        Just(SignMethod::Hmac),
        Just(SignMethod::HmacSha256)
    ]
}

fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".*".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{0,8}", inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #[test]
    fn signing_does_not_depend_on_insertion_order(
        pairs in prop::collection::vec(("\\PC{0,12}", "\\PC{0,24}"), 0..12),
        secret in "\\PC{0,80}",
        m in method(),
    ) {
        let forward: Params = pairs.iter().cloned().collect();
        let backward: Params = pairs.iter().rev().cloned().collect();
        // Later duplicates win on insert, so compare maps built with the same winners.
        let mut dedup = std::collections::BTreeMap::new();
        for (k, v) in &pairs { dedup.insert(k.clone(), v.clone()); }
        let from_map: Params = dedup.into_iter().collect();
        let s = sign(&forward, &secret, m);
        prop_assert_eq!(s.len(), if m == SignMethod::HmacSha256 { 64 } else { 32 });
        prop_assert!(s.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()));
        prop_assert_eq!(&s, &sign(&from_map, &secret, m));
        let _ = sign(&backward, &secret, m);
    }

    #[test]
    fn the_envelope_parser_never_panics_on_bytes(body in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = top_core::envelope::decode_content("taobao.retail.user.tag.mobile.add", &body);
    }

    #[test]
    fn the_envelope_parser_never_panics_on_near_misses(text in "[{<][\\PC<>/{}\\[\\]\":,]{0,200}") {
        let _ = top_core::envelope::decode_content("alibaba.alsc.crm.customer.create", text.as_bytes());
        let _ = top_core::envelope::decode::<Value>("alibaba.alsc.crm.customer.create", text.as_bytes());
    }

    #[test]
    fn any_json_answer_is_decoded_or_refused(value in json()) {
        let body = serde_json::to_vec(&value).unwrap();
        let _ = top_core::envelope::decode_content("alibaba.alsc.crm.customer.create", &body);
    }

    #[test]
    fn the_flattener_never_panics_and_never_emits_blanks(fields in prop::collection::btree_map("[a-z_]{1,10}", json(), 0..8)) {
        let object = Value::Object(fields.into_iter().collect());
        if let Ok(params) = to_params(&object) {
            for (name, value) in params.iter() {
                prop_assert!(!top_core::params::is_blank(value), "{} is blank", name);
            }
        }
    }

    #[test]
    fn timestamps_parse_or_refuse(text in "\\PC{0,40}") {
        let _ = top_core::time::parse_timestamp(&text);
    }
}
