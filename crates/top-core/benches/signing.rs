//! Client CPU per call in the protocol core: signing (beside the raw digest of the same
//! canonical bytes, the floor), flattening and form encoding. Typical requests of the four
//! APIs come from `tests/data/vectors.json`.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use hmac::{Hmac, Mac};
use md5::{Digest, Md5};
use serde_json::Value;
use sha2::Sha256;
use std::hint::black_box;
use top_core::{Params, SignMethod, Signer};

/// The typical request of each API (one vector each), as sent (with system parameters).
fn requests() -> Vec<(&'static str, Params)> {
    let path = std::env::var("TOP_VECTORS").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/vectors.json").to_owned()
    });
    let vectors: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let pick = |name: &str| -> Params {
        let v = vectors.iter().find(|v| v["name"] == name).unwrap();
        v["params"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_owned()))
            .collect()
    };
    vec![
        ("retail-tag", pick("retail_user_tag_mobile_add_hmac_sha256")),
        (
            "logistics-blacklist",
            pick("blacklist_tms_sync_json_object_hmac_sha256"),
        ),
        (
            "damai-member",
            pick("damai_register_byauthcode_md5_simplify_partner"),
        ),
        (
            "alsc-crm",
            pick("alsc_customer_create_chinese_json_hmac_sha256"),
        ),
    ]
}

fn floor(method: SignMethod, secret: &[u8], canonical: &[u8]) -> Vec<u8> {
    match method {
        SignMethod::Md5 => {
            let mut h = Md5::new();
            h.update(secret);
            h.update(canonical);
            h.update(secret);
            h.finalize().to_vec()
        }
        SignMethod::Hmac => {
            let mut m = <Hmac<Md5> as Mac>::new_from_slice(secret).unwrap();
            m.update(canonical);
            m.finalize().into_bytes().to_vec()
        }
        _ => {
            let mut m = <Hmac<Sha256> as Mac>::new_from_slice(secret).unwrap();
            m.update(canonical);
            m.finalize().into_bytes().to_vec()
        }
    }
}

fn signing(c: &mut Criterion) {
    let secret = "helloworld";
    for (api, params) in requests() {
        let canonical = top_core::sign::canonical_string(&params);
        let mut group = c.benchmark_group(format!("sign/{api}"));
        for method in [SignMethod::Md5, SignMethod::Hmac, SignMethod::HmacSha256] {
            let signer = Signer::new(secret, method);
            group.bench_with_input(BenchmarkId::new("signer", method), &params, |b, p| {
                b.iter(|| signer.sign(black_box(p)))
            });
            group.bench_with_input(
                BenchmarkId::new("raw-digest", method),
                &canonical,
                |b, s| b.iter(|| floor(method, secret.as_bytes(), black_box(s.as_bytes()))),
            );
        }
        group.finish();
    }
}

fn encoding(c: &mut Criterion) {
    let mut group = c.benchmark_group("encode");
    for (api, params) in requests() {
        // The business part as a request struct would serialize it: object params as objects.
        let business: serde_json::Map<String, Value> = params
            .iter()
            .filter(|(k, _)| !top_core::SYSTEM_PARAMS.contains(k))
            .map(|(k, v)| {
                (
                    k.to_owned(),
                    serde_json::from_str(v)
                        .ok()
                        .filter(Value::is_object)
                        .unwrap_or(Value::String(v.to_owned())),
                )
            })
            .collect();
        let business = Value::Object(business);
        group.bench_with_input(BenchmarkId::new("to_params", api), &business, |b, v| {
            b.iter(|| top_core::to_params(black_box(v)).unwrap())
        });
        group.bench_with_input(BenchmarkId::new("to_form", api), &params, |b, p| {
            b.iter(|| black_box(p).to_form())
        });
    }
    group.finish();
}

criterion_group!(benches, signing, encoding);
criterion_main!(benches);
