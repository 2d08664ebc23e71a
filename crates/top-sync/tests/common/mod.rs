//! Helpers shared by the engine tests: an in-process sandbox, a client, input files.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use top_core::{RetryConfig, TopClient};
use top_sandbox::{DEMO_APP_KEY, DEMO_APP_SECRET, Sandbox, SandboxHandle};
use top_sync::{
    InputFormat, InvalidRow, JobKind, ReadOptions, Record, RecordReader, SyncError, TextEncoding,
};

pub const BLACKLIST: &str = "taobao.logistics.express.user.blacklist.tms.sync";
pub const CRM: &str = "alibaba.alsc.crm.customer.create";
pub const TAG: &str = "taobao.retail.user.tag.mobile.add";

pub async fn sandbox(fault_rate: f64, qps_limit: u32) -> SandboxHandle {
    Sandbox::builder()
        .fault_rate(fault_rate)
        .seed(7)
        .qps_limit(qps_limit)
        .start()
        .await
        .expect("sandbox starts")
}

/// A client as the CLI builds it for bulk jobs, with short backoffs for tests.
pub fn client(sandbox: &SandboxHandle) -> TopClient {
    TopClient::builder()
        .app_key(DEMO_APP_KEY)
        .app_secret(DEMO_APP_SECRET)
        .endpoint(sandbox.url().as_str())
        .retry(
            RetryConfig::default()
                .max_ban_wait(Duration::ZERO)
                .base_delay(Duration::from_millis(10))
                .max_delay(Duration::from_millis(100)),
        )
        .build()
        .unwrap()
}

pub fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    write_bytes(dir, name, text.as_bytes())
}

pub fn write_bytes(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    let mut file = std::fs::File::create(&path).unwrap();
    file.write_all(bytes).unwrap();
    path
}

/// What a reader yields for one record.
pub type ReadResult = Result<Record, InvalidRow>;

/// Every record of `bytes` read as `format` for a job of `kind`: `Err` when the file is
/// refused as a whole (its header), else each record in order. An I/O error while reading
/// a regular file fails the test.
pub fn read_all(
    bytes: &[u8],
    format: InputFormat,
    kind: JobKind,
) -> Result<Vec<ReadResult>, SyncError> {
    read_all_with(bytes, format, kind, &ReadOptions::default())
}

/// Options that read a file's bytes as UTF-8 whatever they hold: bytes that are not UTF-8
/// are then reported row by row (detection would refuse the whole file).
pub fn as_utf8() -> ReadOptions {
    ReadOptions::default().encoding(TextEncoding::Utf8)
}

/// [`read_all`] with `options`.
pub fn read_all_with(
    bytes: &[u8],
    format: InputFormat,
    kind: JobKind,
    options: &ReadOptions,
) -> Result<Vec<ReadResult>, SyncError> {
    let dir = tempfile::tempdir().unwrap();
    let name = match format {
        InputFormat::Jsonl => "input.jsonl",
        _ => "input.csv",
    };
    let path = write_bytes(dir.path(), name, bytes);
    let mut reader = RecordReader::open_with(&path, format, kind, options)?;
    let mut out = Vec::new();
    while let Some(record) = reader
        .next_record()
        .unwrap_or_else(|e| panic!("a readable file gave an I/O error: {e}"))
    {
        out.push(record);
    }
    Ok(out)
}

pub fn mobile(i: usize) -> String {
    format!("131{i:08}")
}

/// A blacklist CSV of `rows` rows; every `bad_every`-th row is invalid (alternately a bad
/// mobile and a bad reason). Returns the text, the expected state and the invalid lines.
pub fn blacklist_csv(
    rows: usize,
    bad_every: usize,
) -> (String, BTreeMap<String, Vec<u8>>, Vec<u64>) {
    let mut text = String::from("mobile,reason\n");
    let mut expected = BTreeMap::new();
    let mut invalid = Vec::new();
    for i in 0..rows {
        let line = i as u64 + 2;
        if bad_every > 0 && i % bad_every == bad_every - 1 {
            invalid.push(line);
            if (i / bad_every).is_multiple_of(2) {
                text.push_str(&format!("1234{i},1\n"));
            } else {
                text.push_str(&format!("{},9\n", mobile(i)));
            }
            continue;
        }
        let reasons: Vec<u8> = vec![1 + (i % 5) as u8, 1 + ((i + 2) % 5) as u8];
        let mut sorted = reasons.clone();
        sorted.sort_unstable();
        sorted.dedup();
        text.push_str(&format!(
            "{},\"{}\"\n",
            mobile(i),
            reasons
                .iter()
                .map(u8::to_string)
                .collect::<Vec<_>>()
                .join(",")
        ));
        expected.insert(mobile(i), sorted);
    }
    (text, expected, invalid)
}

/// The sandbox's blacklist of a supplier as mobile → reasons.
pub async fn blacklist_state(sandbox: &SandboxHandle, supplier: &str) -> BTreeMap<String, Vec<u8>> {
    sandbox
        .state()
        .await
        .blacklist_of(supplier)
        .iter()
        .map(|e| (e.mobile.clone(), e.reasons.clone()))
        .collect()
}
