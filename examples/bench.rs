//! Load benchmark: the SDK against a bare HTTP client posting pre-signed bodies of the same size,
//! in one run, against the same local server (the sandbox, and a minimal responder that only
//! answers, so the server's own cost is visible).
//!
//! ```sh
//! cargo run --release --example bench -- [--calls 20000] [--runs 3] [--entries 10] \
//!     [--server minimal|sandbox|both] [--client sdk|bare|both] [--conc N]
//! ```
//!
//! The servers run in a child process (this example started again with `serve`), so the CPU time
//! measured here is the client's alone.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use cpu_time::ProcessTime;
use taobao_top::core::{Mobile, RetryConfig, TopClient, TopRequest};
use taobao_top::logistics_blacklist::{
    Blacklist, BlacklistReason, LogisticsExpressUserBlacklistTmsSyncRequest, OperateType,
    UserBlacklistRequest,
};
use top_sandbox::{DEMO_APP_KEY, DEMO_APP_SECRET, Sandbox};

const OK: &str = r#"{"user_blacklist_response":{"success":true,"code":"200","message":"SUCCESS","is_retry":false},"request_id":"bench"}"#;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("serve") {
        return serve(args.get(1).map(String::as_str).unwrap_or("sandbox")).await;
    }
    let flag = |name: &str, default: usize| -> usize {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let (calls, runs, entries) = (
        flag("--calls", 20_000),
        flag("--runs", 3),
        flag("--entries", 10),
    );
    let choice = |name: &str| -> String {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
            .unwrap_or_else(|| "both".to_owned())
    };
    let (server_choice, client_choice) = (choice("--server"), choice("--client"));
    let servers: Vec<&str> = ["minimal", "sandbox"]
        .into_iter()
        .filter(|s| server_choice == "both" || server_choice == *s)
        .collect();
    let (with_sdk, with_bare) = (client_choice != "bare", client_choice != "sdk");
    let concurrencies: Vec<usize> = match flag("--conc", 0) {
        0 => vec![1, 32],
        n => vec![n],
    };
    println!(
        "calls per measurement: {calls}, runs: {runs} (medians), blacklist entries per call: {entries}"
    );
    println!(
        "{:<9} {:>4} {:>12} {:>12} {:>9} {:>14} {:>14}",
        "server",
        "conc",
        "sdk calls/s",
        "bare calls/s",
        "sdk/bare",
        "sdk cpu µs/call",
        "bare cpu µs/call"
    );
    for server in servers {
        let (mut child, url) = spawn_server(server)?;
        for concurrency in concurrencies.iter().copied() {
            let mut sdk = Vec::new();
            let mut bare = Vec::new();
            for run in 0..runs {
                let tag = format!("{server}-{concurrency}-{run}");
                if with_sdk {
                    sdk.push(run_sdk(&url, calls, concurrency, entries, &tag).await?);
                }
                if with_bare {
                    bare.push(run_bare(&url, calls, concurrency, entries, &tag).await?);
                }
            }
            let (sdk_rate, sdk_cpu) = medians(&sdk, calls);
            let (bare_rate, bare_cpu) = medians(&bare, calls);
            println!(
                "{server:<9} {concurrency:>4} {sdk_rate:>12.0} {bare_rate:>12.0} {:>8.1}% {sdk_cpu:>14.1} {bare_cpu:>14.1}",
                100.0 * sdk_rate / bare_rate
            );
        }
        let _ = child.kill();
        let _ = child.wait();
    }
    Ok(())
}

/// Wall time and client CPU time of one measurement.
struct Sample {
    wall: Duration,
    cpu: Duration,
}

fn medians(samples: &[Sample], calls: usize) -> (f64, f64) {
    if samples.is_empty() {
        return (f64::NAN, f64::NAN);
    }
    let mut rates: Vec<f64> = samples
        .iter()
        .map(|s| calls as f64 / s.wall.as_secs_f64())
        .collect();
    let mut cpus: Vec<f64> = samples
        .iter()
        .map(|s| s.cpu.as_secs_f64() * 1e6 / calls as f64)
        .collect();
    rates.sort_by(f64::total_cmp);
    cpus.sort_by(f64::total_cmp);
    (rates[rates.len() / 2], cpus[cpus.len() / 2])
}

fn request(tag: &str, i: usize, entries: usize) -> LogisticsExpressUserBlacklistTmsSyncRequest {
    let blacklist: Vec<Blacklist> = (0..entries)
        .map(|e| {
            Blacklist::new(Mobile::new(format!(
                "13{:09}",
                (i * entries + e) % 1_000_000_000
            )))
            .reason([BlacklistReason::MaliciousOrder])
        })
        .collect();
    LogisticsExpressUserBlacklistTmsSyncRequest::new(UserBlacklistRequest::new(
        format!("{tag}-{i}"),
        1_700_000_000_000,
        "10000000001",
        OperateType::AddOrUpdate,
        blacklist,
    ))
}

fn client(url: &str) -> Result<TopClient, BoxError> {
    Ok(TopClient::builder()
        .app_key(DEMO_APP_KEY)
        .app_secret(DEMO_APP_SECRET)
        .endpoint(url)
        .retry(RetryConfig::disabled())
        .build()?)
}

async fn run_sdk(
    url: &str,
    calls: usize,
    concurrency: usize,
    entries: usize,
    tag: &str,
) -> Result<Sample, BoxError> {
    let client = client(url)?;
    let tag = Arc::new(format!("sdk-{tag}"));
    let (wall, cpu) = (Instant::now(), ProcessTime::now());
    let failures = run_workers(calls, concurrency, move |i| {
        let (client, tag) = (client.clone(), tag.clone());
        async move { client.execute(&request(&tag, i, entries)).await.is_err() }
    })
    .await;
    finish("SDK", failures, wall, cpu)
}

async fn run_bare(
    url: &str,
    calls: usize,
    concurrency: usize,
    entries: usize,
    tag: &str,
) -> Result<Sample, BoxError> {
    // Pre-built, pre-signed bodies of the same calls (distinct request ids, so the sandbox does
    // the same work), prepared before the clock starts.
    let signer = client(url)?;
    let tag = format!("bare-{tag}");
    let method = LogisticsExpressUserBlacklistTmsSyncRequest::METHOD;
    let bodies: Vec<bytes::Bytes> = (0..calls)
        .map(|i| {
            Ok(signer
                .prepare(method, &request(&tag, i, entries).params()?, None)
                .to_form()
                .into())
        })
        .collect::<Result<_, taobao_top::core::Error>>()?;
    let http = reqwest::Client::builder().tcp_nodelay(true).build()?;
    let (bodies, url) = (Arc::new(bodies), Arc::new(url.to_owned()));
    let (wall, cpu) = (Instant::now(), ProcessTime::now());
    let failures = run_workers(calls, concurrency, move |i| {
        let (http, url, bodies) = (http.clone(), url.clone(), bodies.clone());
        async move {
            let sent = http
                .post(url.as_str())
                .header(
                    "content-type",
                    "application/x-www-form-urlencoded;charset=utf-8",
                )
                .body(bodies[i].clone())
                .send()
                .await;
            match sent {
                Ok(r) => !r.status().is_success() || r.bytes().await.is_err(),
                Err(_) => true,
            }
        }
    })
    .await;
    finish("bare", failures, wall, cpu)
}

fn finish(who: &str, failures: usize, wall: Instant, cpu: ProcessTime) -> Result<Sample, BoxError> {
    let sample = Sample {
        wall: wall.elapsed(),
        cpu: cpu.elapsed(),
    };
    if failures > 0 {
        return Err(format!("{failures} {who} calls failed").into());
    }
    Ok(sample)
}

/// Runs `calls` calls from `concurrency` spawned tasks (as a service would), each taking the
/// next call index; returns how many failed.
async fn run_workers<F, Fut>(calls: usize, concurrency: usize, call: F) -> usize
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    let next = Arc::new(AtomicUsize::new(0));
    let call = Arc::new(call);
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..concurrency {
        let (next, call) = (next.clone(), call.clone());
        workers.spawn(async move {
            let mut failed = 0;
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= calls {
                    return failed;
                }
                failed += usize::from(call(i).await);
            }
        });
    }
    let mut failed = 0;
    while let Some(done) = workers.join_next().await {
        failed += done.unwrap_or(calls);
    }
    failed
}

fn spawn_server(kind: &str) -> Result<(Child, String), BoxError> {
    let mut child = Command::new(std::env::current_exe()?)
        .args(["serve", kind])
        .stdout(Stdio::piped())
        .spawn()?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line)?;
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .ok_or_else(|| format!("unexpected server line {line:?}"))?;
    Ok((child, url.to_owned()))
}

/// Child mode: run one server until killed.
async fn serve(kind: &str) -> Result<(), BoxError> {
    let mut sandbox = None;
    let url = match kind {
        "minimal" => {
            let app =
                axum::Router::new().route("/router/rest", axum::routing::post(|| async { OK }));
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
            let url = format!("http://{}/router/rest", listener.local_addr()?);
            tokio::spawn(async move { axum::serve(listener, app).await });
            url
        }
        _ => {
            let running = Sandbox::builder().start().await?;
            let url = running.url();
            sandbox = Some(running);
            url
        }
    };
    println!("listening on {url}");
    // Serve until the parent kills this process.
    std::future::pending::<()>().await;
    drop(sandbox);
    Ok(())
}
