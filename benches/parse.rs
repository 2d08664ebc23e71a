//! Client CPU of reading an answer: each API's response fixture (the vendor's sample) as
//! simplified JSON, enveloped JSON and XML, decoded into its typed response by `top-core`.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;
use std::path::Path;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use serde::de::DeserializeOwned;
use taobao_top::alsc_crm::AlibabaAlscCrmCustomerCreateResponse;
use taobao_top::core::envelope::decode;
use taobao_top::damai_member::AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeResponse;
use taobao_top::logistics_blacklist::LogisticsExpressUserBlacklistTmsSyncResponse;
use taobao_top::retail_tag::RetailUserTagMobileAddResponse;

fn fixture(krate: &str, name: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("crates")
            .join(krate)
            .join("tests/fixtures")
            .join(name),
    )
    .unwrap()
}

fn bench_api<T: DeserializeOwned>(c: &mut Criterion, krate: &str, method: &str) {
    let mut group = c.benchmark_group(format!("parse/{krate}"));
    for (format, file) in [
        ("json-simplified", "seed_sample_simplified.json"),
        ("json-enveloped", "seed_sample_enveloped.json"),
        ("xml", "seed_sample.xml"),
    ] {
        let body = fixture(krate, file);
        decode::<T>(method, &body).unwrap();
        group.bench_with_input(BenchmarkId::from_parameter(format), &body, |b, body| {
            b.iter(|| decode::<T>(method, black_box(body)).unwrap())
        });
    }
    group.finish();
}

fn parsing(c: &mut Criterion) {
    bench_api::<RetailUserTagMobileAddResponse>(
        c,
        "retail-tag",
        "taobao.retail.user.tag.mobile.add",
    );
    bench_api::<LogisticsExpressUserBlacklistTmsSyncResponse>(
        c,
        "logistics-blacklist",
        "taobao.logistics.express.user.blacklist.tms.sync",
    );
    bench_api::<AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeResponse>(
        c,
        "damai-member",
        "alibaba.damai.maizuo.openapi.user.register.byauthcode",
    );
    bench_api::<AlibabaAlscCrmCustomerCreateResponse>(
        c,
        "alsc-crm",
        "alibaba.alsc.crm.customer.create",
    );
}

criterion_group!(benches, parsing);
criterion_main!(benches);
