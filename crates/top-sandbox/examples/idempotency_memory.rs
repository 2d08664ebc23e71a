//! Memory of the idempotency window: sends N blacklist syncs with distinct `request_id`s
//! to an in-process sandbox over real HTTP and prints the process's resident memory before,
//! every 100 000 ids and after (Linux: `/proc/self/status`).
//!
//! ```sh
//! cargo run --release -p top-sandbox --example idempotency_memory            # 1 000 000 ids, defaults
//! cargo run --release -p top-sandbox --example idempotency_memory -- 200000  # another count
//! ```
//!
//! Every call upserts one mobile out of a pool of 1 000 for one supplier, so the blacklist
//! itself stays at 1 000 entries and what grows is the idempotency window alone. The client
//! runs in the same process; its memory is part of the baseline.

use std::error::Error;
use std::sync::Arc;
use std::time::Instant;

use top_core::time::format_gmt8;
use top_core::{Params, SignMethod, Signer};
use top_sandbox::{DEMO_APP_KEY, DEMO_APP_SECRET, Sandbox};

const METHOD: &str = "taobao.logistics.express.user.blacklist.tms.sync";
/// Connections sending at once (client and sandbox share one thread: the fastest setup on a
/// small machine, about 10 000 calls/s).
const CONCURRENCY: usize = 8;
/// Resident memory is printed every this many ids.
const REPORT_EVERY: usize = 100_000;
/// Distinct mobiles cycled through (the blacklist's final size).
const MOBILES: usize = 1_000;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn Error>> {
    let total: usize = match std::env::args().nth(1) {
        Some(text) => text.replace('_', "").parse()?,
        None => 1_000_000,
    };
    let sandbox = Sandbox::builder().start().await?;
    let url = Arc::new(sandbox.url());
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CONCURRENCY)
        // Uncompressed, as most TOP clients ask: a gzip stream per tiny answer would dominate.
        .no_gzip()
        .build()?;

    // Warm up the connections and the allocator with one id, resent (replays after the first).
    let warm = (0..CONCURRENCY)
        .map(|_| {
            let (client, url) = (client.clone(), Arc::clone(&url));
            tokio::spawn(async move {
                for _ in 0..20 {
                    send(&client, &url, "warm-up", 0).await?;
                }
                Ok::<_, Box<dyn Error + Send + Sync>>(())
            })
        })
        .collect::<Vec<_>>();
    for task in warm {
        task.await?.map_err(|e| e.to_string())?;
    }
    let empty = memory()?;
    println!(
        "before: VmRSS {:.1} MiB, VmHWM {:.1} MiB (sandbox running, {CONCURRENCY} connections, one request_id remembered)",
        mib(empty.rss_kib),
        mib(empty.hwm_kib)
    );

    let started = Instant::now();
    let tasks = (0..CONCURRENCY)
        .map(|worker| {
            let (client, url) = (client.clone(), Arc::clone(&url));
            tokio::spawn(async move {
                let mut i = worker;
                while i < total {
                    send(&client, &url, &format!("req-{i:07}"), i).await?;
                    if i > 0 && i % REPORT_EVERY == 0 {
                        let now = memory().map_err(|e| e.to_string())?;
                        println!(
                            "  {i:>9} ids: VmRSS {:.1} MiB, VmHWM {:.1} MiB",
                            mib(now.rss_kib),
                            mib(now.hwm_kib)
                        );
                    }
                    i += CONCURRENCY;
                }
                Ok::<_, Box<dyn Error + Send + Sync>>(())
            })
        })
        .collect::<Vec<_>>();
    for task in tasks {
        task.await?.map_err(|e| e.to_string())?;
    }
    let elapsed = started.elapsed();
    let after = memory()?;
    let state = sandbox.state().await;
    println!(
        "after {total} distinct request_ids in {:.1} s ({:.0} calls/s): VmRSS {:.1} MiB, peak VmHWM {:.1} MiB",
        elapsed.as_secs_f64(),
        total as f64 / elapsed.as_secs_f64(),
        mib(after.rss_kib),
        mib(after.hwm_kib)
    );
    println!(
        "sandbox: applied {}, replays {}, blacklist {} entries, {} request_ids remembered",
        state.applied_to(METHOD),
        state.replays_of(METHOD),
        state.blacklist_of("SUP-1").len(),
        state.idempotency_records
    );
    println!(
        "growth: {:.1} MiB peak over the baseline; {:.0} bytes per remembered id at the end",
        mib(after.hwm_kib.saturating_sub(empty.rss_kib)),
        (after.rss_kib.saturating_sub(empty.rss_kib) * 1024) as f64
            / state.idempotency_records.max(1) as f64
    );
    sandbox.shutdown().await;
    Ok(())
}

/// One signed blacklist sync (hmac-sha256, everything in the form body).
async fn send(
    client: &reqwest::Client,
    url: &str,
    request_id: &str,
    n: usize,
) -> Result<(), Box<dyn Error + Send + Sync>> {
    let object = serde_json::json!({
        "request_id": request_id,
        "request_time": 1_656_674_541_001_i64,
        "supplier_id": "SUP-1",
        "service_type": "1",
        "ability_type": "1",
        "operate_type": 1,
        "blacklist": [{"mobile": format!("1310000{:04}", n % MOBILES), "reason": "1"}],
    });
    let mut params: Params = [
        ("method", METHOD),
        ("app_key", DEMO_APP_KEY),
        ("v", "2.0"),
        ("format", "json"),
        ("simplify", "true"),
        ("sign_method", "hmac-sha256"),
    ]
    .into_iter()
    .collect();
    params.insert("timestamp", format_gmt8(top_core::chrono::Utc::now()));
    params.insert("user_blacklist_request", object.to_string());
    let sign = Signer::new(DEMO_APP_SECRET, SignMethod::HmacSha256).sign(&params);
    params.insert("sign", sign);
    let answer = client
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(params.to_form())
        .send()
        .await?
        .text()
        .await?;
    if !answer.contains(r#""success":true"#) {
        return Err(format!("unexpected answer for {request_id}: {answer}").into());
    }
    Ok(())
}

/// Resident set now and at its peak, in KiB.
struct Memory {
    rss_kib: u64,
    hwm_kib: u64,
}

fn memory() -> Result<Memory, Box<dyn Error>> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let field = |name: &str| -> Result<u64, Box<dyn Error>> {
        let line = status
            .lines()
            .find(|l| l.starts_with(name))
            .ok_or_else(|| format!("no {name} in /proc/self/status"))?;
        let kib = line
            .trim_start_matches(name)
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()?;
        Ok(kib)
    };
    Ok(Memory {
        rss_kib: field("VmRSS:")?,
        hwm_kib: field("VmHWM:")?,
    })
}

fn mib(kib: u64) -> f64 {
    kib as f64 / 1024.0
}
