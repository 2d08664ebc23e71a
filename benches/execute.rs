//! The SDK's own CPU per call, without a network: `TopClient::execute` of a 10-entry blacklist
//! sync over an in-memory transport that answers at once. Beside it, the pieces: building
//! the request, flattening, the signed form body, and decoding the answer.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;

use async_trait::async_trait;
use criterion::{Criterion, criterion_group, criterion_main};
use taobao_top::core::{
    HttpRequest, HttpResponse, Mobile, RetryConfig, TopClient, TopRequest, Transport,
    TransportError, envelope,
};
use taobao_top::logistics_blacklist::{
    Blacklist, BlacklistReason, LogisticsExpressUserBlacklistTmsSyncRequest,
    LogisticsExpressUserBlacklistTmsSyncResponse, OperateType, UserBlacklistRequest,
};

const METHOD: &str = "taobao.logistics.express.user.blacklist.tms.sync";
const OK: &[u8] = br#"{"user_blacklist_response":{"success":true,"code":"200","message":"SUCCESS","is_retry":false},"request_id":"bench"}"#;

#[derive(Debug)]
struct Instant200;

#[async_trait]
impl Transport for Instant200 {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        black_box(&request.body);
        Ok(HttpResponse::new(200, OK))
    }
}

fn request(i: usize) -> LogisticsExpressUserBlacklistTmsSyncRequest {
    let blacklist: Vec<Blacklist> = (0..10)
        .map(|e| {
            Blacklist::new(Mobile::new(format!("13{:09}", i * 10 + e)))
                .reason([BlacklistReason::MaliciousOrder])
        })
        .collect();
    LogisticsExpressUserBlacklistTmsSyncRequest::new(UserBlacklistRequest::new(
        format!("bench-{i}"),
        1_700_000_000_000,
        "10000000001",
        OperateType::AddOrUpdate,
        blacklist,
    ))
}

fn execute(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let client = TopClient::builder()
        .app_key("10000001")
        .app_secret("sandbox-secret")
        .endpoint("http://127.0.0.1:1/router/rest")
        .retry(RetryConfig::disabled())
        .transport(Instant200)
        .build()
        .unwrap();
    let mut group = c.benchmark_group("call/blacklist-10");
    let mut i = 0;
    group.bench_function("build-request", |b| {
        b.iter(|| {
            i += 1;
            request(black_box(i))
        })
    });
    let req = request(1);
    group.bench_function("validate+flatten", |b| {
        b.iter(|| {
            black_box(&req)
                .validate()
                .and(Ok(black_box(&req).params().unwrap()))
        })
    });
    let business = req.params().unwrap();
    group.bench_function("prepare (system params + sign)", |b| {
        b.iter(|| client.prepare(METHOD, black_box(&business), None))
    });
    let prepared = client.prepare(METHOD, &business, None);
    group.bench_function("form-encode", |b| b.iter(|| black_box(&prepared).to_form()));
    group.bench_function("decode", |b| {
        b.iter(|| {
            envelope::decode::<LogisticsExpressUserBlacklistTmsSyncResponse>(METHOD, black_box(OK))
                .unwrap()
        })
    });
    group.bench_function("execute (all of it)", |b| {
        b.iter(|| {
            i += 1;
            runtime.block_on(client.execute(&request(i))).unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, execute);
criterion_main!(benches);
