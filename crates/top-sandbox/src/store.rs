//! SQLite persistence (`state_file`): every change is written in the same step it is applied
//! in memory, and the whole state (entities, idempotency records, counts, accounts, SMS
//! codes) is loaded back at start. Idempotency records keep their insertion time, so a
//! restart keeps their ages; the ones outside the window are deleted, not loaded.
//!
//! This module keeps what every method has (counts, idempotency records); each hand-written
//! slice (`crate::apis`) creates, writes and reads the tables of its own state.

use std::fmt;
use std::path::{Path, PathBuf};

use rusqlite::types::Type;
use rusqlite::{Connection, OptionalExtension, params};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::apis::{SLICES, blacklist, crm};
use crate::error::SandboxError;
use crate::idempotency::{Outcome, PayloadHash, StoredRecord, WindowConfig};
use crate::reply::{Fields, Node};
use crate::state::{Change, Counter, Data};

/// The tables of every method; the slices add theirs.
const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS counters(
    counter TEXT NOT NULL, method TEXT NOT NULL, n INTEGER NOT NULL,
    PRIMARY KEY(counter, method));
CREATE TABLE IF NOT EXISTS idempotency_window(
    seq INTEGER PRIMARY KEY, app_key TEXT NOT NULL, method TEXT NOT NULL,
    request_id TEXT NOT NULL, payload_sha256 BLOB NOT NULL, outcome TEXT NOT NULL,
    inserted_at_ms INTEGER NOT NULL, UNIQUE(app_key, method, request_id));
";

/// Version 2: idempotency records with their insertion time and order (`idempotency_window`);
/// version 1 kept them, without either, in `idempotency` and is migrated at open.
const SCHEMA_VERSION: &str = "2";

/// The open state file.
pub(crate) struct Store {
    conn: Connection,
    path: PathBuf,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// Opens (creating if needed) the state file and loads it; idempotency records outside
    /// `window` at `now_ms` are deleted rather than loaded.
    pub(crate) fn open(
        path: &Path,
        window: WindowConfig,
        now_ms: i64,
    ) -> Result<(Store, Data), SandboxError> {
        let wrap = |source| SandboxError::Store {
            path: path.to_owned(),
            source,
        };
        create_private(path);
        let conn = Connection::open(path).map_err(wrap)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(wrap)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(wrap)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(wrap)?;
        conn.execute_batch(SCHEMA).map_err(wrap)?;
        for slice in SLICES {
            conn.execute_batch(slice.schema()).map_err(wrap)?;
        }
        let version: Option<String> = conn
            .query_row("SELECT value FROM meta WHERE key = 'schema'", [], |r| {
                r.get(0)
            })
            .optional()
            .map_err(wrap)?;
        match version.as_deref() {
            None => {
                conn.execute(
                    "INSERT INTO meta(key, value) VALUES('schema', ?1)",
                    [SCHEMA_VERSION],
                )
                .map_err(wrap)?;
            }
            Some(SCHEMA_VERSION) => {}
            Some("1") => migrate_v1(&conn, now_ms).map_err(wrap)?,
            Some(other) => {
                return Err(SandboxError::Config(format!(
                    "state file {} has schema version {other}; this sandbox reads version {SCHEMA_VERSION}",
                    path.display()
                )));
            }
        }
        let data = load(&conn, window, now_ms).map_err(wrap)?;
        Ok((
            Store {
                conn,
                path: path.to_owned(),
            },
            data,
        ))
    }

    /// Writes changes in one transaction.
    pub(crate) fn persist(&mut self, changes: &[Change]) -> rusqlite::Result<()> {
        let tx = self.conn.transaction()?;
        for change in changes {
            match change {
                Change::Slice(change) => change.persist(&tx)?,
                Change::Count(counter, method) => {
                    tx.prepare_cached(
                        "INSERT INTO counters(counter, method, n) VALUES(?1, ?2, 1)
                         ON CONFLICT(counter, method) DO UPDATE SET n = n + 1",
                    )?
                    .execute(params![counter.as_str(), method])?;
                }
                Change::IdempotencyPut(record) => insert_record(&tx, record)?,
                Change::IdempotencyForget(through) => {
                    tx.prepare_cached("DELETE FROM idempotency_window WHERE seq <= ?1")?
                        .execute([through])?;
                }
                Change::Reset => {
                    tx.execute_batch("DELETE FROM counters; DELETE FROM idempotency_window;")?;
                    for table in SLICES.iter().flat_map(|slice| slice.tables()) {
                        tx.execute_batch(&format!("DELETE FROM {table};"))?;
                    }
                }
            }
        }
        tx.commit()
    }
}

/// Creates the file readable by its owner only (it holds password hashes and tokens).
fn create_private(path: &Path) {
    if path.exists() {
        return;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    // Failing here is not fatal: SQLite creates the file itself and reports real errors.
    let _ = options.open(path);
}

fn insert_record(conn: &Connection, record: &StoredRecord) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO idempotency_window
         (seq, app_key, method, request_id, payload_sha256, outcome, inserted_at_ms)
         VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        record.seq,
        record.app_key,
        record.method,
        record.request_id,
        record.payload.as_slice(),
        to_json(&record.outcome)?,
        record.at_ms
    ])?;
    Ok(())
}

/// Version 1 to 2: the records move to `idempotency_window` in their old insertion order,
/// their ages counting from now (version 1 kept no time).
fn migrate_v1(conn: &Connection, now_ms: i64) -> rusqlite::Result<()> {
    #[derive(Deserialize)]
    struct V1Record {
        payload_sha256: String,
        answer: Fields,
    }
    let tx = conn.unchecked_transaction()?;
    let rows = {
        let mut stmt = tx.prepare(
            "SELECT app_key, method, request_id, record FROM idempotency ORDER BY rowid",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        rows.collect::<rusqlite::Result<Vec<_>>>()?
    };
    let mut seq = 0_u64;
    for (app_key, method, request_id, record) in rows {
        // A record this version cannot read or replay is dropped: the id is then fresh again.
        let Ok(old) = serde_json::from_str::<V1Record>(&record) else {
            continue;
        };
        let payload = hex::decode(&old.payload_sha256)
            .ok()
            .and_then(|bytes| PayloadHash::try_from(bytes).ok());
        let outcome = match method.as_str() {
            blacklist::METHOD => Some(Outcome::Same),
            crm::METHOD => v1_customer_id(&old.answer)
                .and_then(crm::customer_number)
                .map(Outcome::Numbered),
            _ => None,
        };
        let (Some(payload), Some(outcome)) = (payload, outcome) else {
            continue;
        };
        insert_record(
            &tx,
            &StoredRecord {
                seq,
                app_key,
                method,
                request_id,
                payload,
                outcome,
                at_ms: now_ms,
            },
        )?;
        seq += 1;
    }
    tx.execute_batch(&format!(
        "DROP TABLE idempotency; UPDATE meta SET value = '{SCHEMA_VERSION}' WHERE key = 'schema';"
    ))?;
    tx.commit()
}

/// The customer id of a version-1 customer-create answer (`result.result`).
fn v1_customer_id(answer: &Fields) -> Option<&str> {
    fn member<'a>(fields: &'a [(String, Node)], name: &str) -> Option<&'a Node> {
        fields
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, node)| node)
    }
    match member(answer, "result")? {
        Node::Obj(result) => match member(result, "result")? {
            Node::Str(id) => Some(id.as_str()),
            _ => None,
        },
        _ => None,
    }
}

/// A record as the state file keeps it (JSON text).
pub(crate) fn to_json<T: Serialize>(value: &T) -> rusqlite::Result<String> {
    serde_json::to_string(value).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
}

/// A record read back.
pub(crate) fn from_json<T: DeserializeOwned>(text: &str) -> rusqlite::Result<T> {
    serde_json::from_str(text)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, Type::Text, Box::new(e)))
}

fn load(conn: &Connection, window: WindowConfig, now_ms: i64) -> rusqlite::Result<Data> {
    let mut data = Data::with_window(window);
    for slice in SLICES {
        slice.load(conn, &mut data)?;
    }

    let mut stmt = conn.prepare("SELECT counter, method, n FROM counters")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })?;
    for row in rows {
        let (counter, method, n) = row?;
        if let Some(counter) = Counter::ALL.into_iter().find(|c| c.as_str() == counter) {
            data.counters
                .entry(method)
                .or_default()
                .set(counter, u64::try_from(n).unwrap_or(0));
        }
    }

    for record in load_window(conn, window, now_ms)? {
        data.idempotency.restore(&record);
    }
    Ok(data)
}

/// The idempotency records inside the window, oldest first; the others are deleted.
fn load_window(
    conn: &Connection,
    window: WindowConfig,
    now_ms: i64,
) -> rusqlite::Result<Vec<StoredRecord>> {
    // A record is expired when now - at >= max age, so the ones kept were made after this.
    let cutoff_ms = now_ms.saturating_sub(window.max_age_ms);
    let limit = i64::try_from(window.max_entries).unwrap_or(i64::MAX);
    let mut stmt = conn.prepare(
        "SELECT seq, app_key, method, request_id, payload_sha256, outcome, inserted_at_ms
         FROM idempotency_window WHERE inserted_at_ms > ?1 ORDER BY seq DESC LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![cutoff_ms, limit], |r| {
        Ok((
            r.get::<_, u64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, Vec<u8>>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, i64>(6)?,
        ))
    })?;
    let mut records = Vec::new();
    for row in rows {
        let (seq, app_key, method, request_id, payload, outcome, at_ms) = row?;
        let payload = PayloadHash::try_from(payload).map_err(|bytes| {
            rusqlite::Error::FromSqlConversionFailure(
                4,
                Type::Blob,
                format!("payload_sha256 of {} bytes, not 32", bytes.len()).into(),
            )
        })?;
        records.push(StoredRecord {
            seq,
            app_key,
            method,
            request_id,
            payload,
            outcome: from_json(&outcome)?,
            at_ms,
        });
    }
    records.reverse();
    match records.first() {
        Some(oldest) => conn.execute(
            "DELETE FROM idempotency_window WHERE seq < ?1 OR inserted_at_ms <= ?2",
            params![oldest.seq, cutoff_ms],
        )?,
        None => conn.execute("DELETE FROM idempotency_window", [])?,
    };
    Ok(records)
}

/// The one text column of every row of a query.
pub(crate) fn strings(conn: &Connection, sql: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    rows.collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::idempotency::IdemRequest;
    use crate::state::State;

    /// Serves one call of `method` with these business parameters.
    fn call(
        state: &mut State,
        now: chrono::DateTime<chrono::Utc>,
        method: &str,
        params: &[(&str, String)],
    ) {
        use crate::endpoint::{Caller, Endpoints};
        let endpoints = Endpoints::new(&top_model::Catalog::builtin().unwrap());
        let endpoint = endpoints.get(method).unwrap();
        let params: top_core::Params = params.iter().cloned().collect();
        let checked = endpoint.check(&params).unwrap();
        let settings = crate::apis::Settings {
            max_blacklist_entries: 10,
            ptnr_token: "p".into(),
            tenant_token: "t".into(),
            channel_token: "c".into(),
        };
        let caller = Caller {
            app_key: "app",
            settings: &settings,
        };
        state
            .transact(now, |tx| endpoint.serve(&checked, &params, caller, tx))
            .unwrap();
    }

    #[test]
    fn round_trip() {
        use crate::apis::{crm_update, damai, retail_tag};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.db");
        let now = chrono::Utc::now();
        let (store, data) =
            Store::open(&path, WindowConfig::default(), now.timestamp_millis()).unwrap();
        let mut state = State::new(data, Some(store), 7);
        state.transact(now, |tx| {
            blacklist::put(tx, "s1", "13111111111", vec![1, 2]);
            blacklist::put(tx, "s1", "13122222222", vec![]);
            blacklist::delete(tx, "s1", "13122222222");
            tx.count(Counter::Calls, retail_tag::METHOD);
            tx.count(Counter::Calls, retail_tag::METHOD);
            tx.count(Counter::Calls, "taobao.any.described.api");
            retail_tag::add_account(tx, retail_tag::AccountKind::OpenId, "o1", "tb_o1");
            damai::issue_auth_code(tx, "13800000000", 1);
        });
        call(
            &mut state,
            now,
            retail_tag::METHOD,
            &[("open_id", "o1".into())],
        );
        let customer = serde_json::json!({"channel": "2", "customer_type": 0,
            "outer_id": "o-1", "outer_type": "card", "request_id": "c1", "name": "a"});
        call(
            &mut state,
            now,
            crm::METHOD,
            &[("param_customer_create_open_req", customer.to_string())],
        );
        let update = serde_json::json!({"customer_id": crm::customer_id(1), "name": "b",
            "gender": 1, "request_id": "u1"});
        call(
            &mut state,
            now,
            crm_update::METHOD,
            &[("param_customer_update_open_req", update.to_string())],
        );
        let before = state.data.snapshot(now);
        drop(state);
        let (store, data) =
            Store::open(&path, WindowConfig::default(), now.timestamp_millis()).unwrap();
        assert_eq!(data.snapshot(now), before);
        assert_eq!(before.calls_to(retail_tag::METHOD), 2);
        assert_eq!(before.calls_to("taobao.any.described.api"), 1);
        assert_eq!(before.blacklist_of("s1").len(), 1);
        assert_eq!(before.tags.len(), 1);
        assert_eq!(before.crm_customers[0].name.as_deref(), Some("b"));
        assert_eq!(before.crm_customers[0].gender.as_deref(), Some("1"));
        assert_eq!(before.idempotency_records, 2);
        // The account and the pending SMS code came back too.
        let mut state = State::new(data, Some(store), 7);
        call(
            &mut state,
            now,
            retail_tag::METHOD,
            &[("open_id", "o1".into())],
        );
        assert_eq!(state.data.snapshot(now).tags.len(), 2);
        // A reset empties every table, the slices' too.
        state.transact(now, |tx| tx.reset());
        drop(state);
        let (_, data) =
            Store::open(&path, WindowConfig::default(), now.timestamp_millis()).unwrap();
        assert_eq!(
            data.snapshot(now),
            crate::snapshot::StateSnapshot::default()
        );
    }

    const T0: i64 = 1_700_000_000_000;

    fn window(max_age_ms: i64, max_entries: usize) -> WindowConfig {
        WindowConfig {
            max_age_ms,
            max_entries,
        }
    }

    fn at(ms: i64) -> chrono::DateTime<chrono::Utc> {
        chrono::DateTime::from_timestamp_millis(ms).unwrap()
    }

    fn idem(id: &str) -> IdemRequest<'_> {
        IdemRequest {
            app_key: "app",
            method: blacklist::METHOD,
            request_id: id,
        }
    }

    /// Remembers blacklist syncs `ids` at `now_ms`, each with its own payload.
    fn remember(state: &mut State, now_ms: i64, ids: &[&str]) {
        state.transact(at(now_ms), |tx| {
            for id in ids {
                assert_eq!(tx.replay(&idem(id), &payload(id)).unwrap(), None, "{id}");
                tx.remember(&idem(id), payload(id), Outcome::Same);
            }
        });
    }

    fn payload(id: &str) -> PayloadHash {
        let mut hash = [0; 32];
        hash[..id.len()].copy_from_slice(id.as_bytes());
        hash
    }

    fn rows(path: &Path) -> Vec<(u64, String, i64)> {
        let conn = Connection::open(path).unwrap();
        let mut stmt = conn
            .prepare("SELECT seq, request_id, inserted_at_ms FROM idempotency_window ORDER BY seq")
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
    }

    fn remembered(data: &Data, now_ms: i64) -> usize {
        data.idempotency.live(now_ms)
    }

    #[test]
    fn the_window_is_persisted_with_its_evictions_and_ages() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.db");
        let (store, data) = Store::open(&path, window(60_000, 3), T0).unwrap();
        let mut state = State::new(data, Some(store), 7);
        remember(&mut state, T0, &["a", "b"]);
        remember(&mut state, T0 + 10_000, &["c", "d"]);
        // Count eviction: "a" went, from the file too.
        let kept = rows(&path);
        assert_eq!(
            kept,
            vec![
                (1, "b".to_owned(), T0),
                (2, "c".to_owned(), T0 + 10_000),
                (3, "d".to_owned(), T0 + 10_000)
            ]
        );
        // Age eviction happens at the next lookup: "b" is 60 s old.
        state.transact(at(T0 + 60_000), |tx| {
            let answer = tx.replay(&idem("c"), &payload("c")).unwrap();
            assert!(answer.is_some());
        });
        assert_eq!(rows(&path).len(), 2);
        drop(state);

        // A restart keeps the ages: at T0 + 69.999 s both are still inside.
        let (_, data) = Store::open(&path, window(60_000, 3), T0 + 69_999).unwrap();
        assert_eq!(remembered(&data, T0 + 69_999), 2);
        // At T0 + 70 s they are not loaded, and deleted from the file.
        let (store, data) = Store::open(&path, window(60_000, 3), T0 + 70_000).unwrap();
        assert_eq!(remembered(&data, T0 + 70_000), 0);
        assert!(rows(&path).is_empty());
        // Numbering restarts cleanly on an empty table.
        let mut state = State::new(data, Some(store), 7);
        remember(&mut state, T0 + 70_000, &["c"]);
        assert_eq!(rows(&path), vec![(0, "c".to_owned(), T0 + 70_000)]);
    }

    #[test]
    fn a_smaller_count_at_restart_keeps_the_newest() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.db");
        let (store, data) = Store::open(&path, window(60_000, 10), T0).unwrap();
        let mut state = State::new(data, Some(store), 7);
        remember(&mut state, T0, &["a", "b", "c", "d"]);
        drop(state);
        let (store, data) = Store::open(&path, window(60_000, 2), T0).unwrap();
        assert_eq!(remembered(&data, T0), 2);
        let ids: Vec<String> = rows(&path).into_iter().map(|(_, id, _)| id).collect();
        assert_eq!(ids, ["c", "d"]);
        // The loaded records still replay, the dropped ones are fresh, numbering continues.
        let mut state = State::new(data, Some(store), 7);
        state.transact(at(T0), |tx| {
            assert!(tx.replay(&idem("d"), &payload("d")).unwrap().is_some());
            assert_eq!(tx.replay(&idem("a"), &payload("a")).unwrap(), None);
        });
        remember(&mut state, T0, &["e"]);
        let seqs: Vec<u64> = rows(&path).into_iter().map(|(seq, _, _)| seq).collect();
        assert_eq!(seqs, [3, 4]);
    }

    #[test]
    fn a_version_1_file_is_migrated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v1.db");
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(
                "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
                 INSERT INTO meta VALUES('schema', '1');
                 CREATE TABLE idempotency(
                     app_key TEXT NOT NULL, method TEXT NOT NULL, request_id TEXT NOT NULL,
                     record TEXT NOT NULL, PRIMARY KEY(app_key, method, request_id));",
            )
            .unwrap();
            let blacklist = serde_json::json!({
                "payload_sha256": hex::encode(payload("b1")),
                "answer": [["user_blacklist_response", {"Obj": [["success", {"Bool": true}]]}]],
            });
            let crm = serde_json::json!({
                "payload_sha256": hex::encode(payload("c1")),
                "answer": [["result", {"Obj": [["result", {"Str": "20190000000000000001"}]]}]],
            });
            for (method, id, record) in [
                (blacklist::METHOD, "b1", blacklist.to_string()),
                (crm::METHOD, "c1", crm.to_string()),
                (
                    crm::METHOD,
                    "broken",
                    "{\"payload_sha256\":\"00\",\"answer\":[]}".to_owned(),
                ),
                (crm::METHOD, "not-json", "{".to_owned()),
            ] {
                conn.execute(
                    "INSERT INTO idempotency VALUES('app', ?1, ?2, ?3)",
                    params![method, id, record],
                )
                .unwrap();
            }
        }
        let (_, data) = Store::open(&path, window(60_000, 10), T0).unwrap();
        assert_eq!(remembered(&data, T0), 2);
        assert_eq!(
            rows(&path),
            vec![(0, "b1".to_owned(), T0), (1, "c1".to_owned(), T0)]
        );
        let key = IdemRequest {
            method: crm::METHOD,
            ..idem("c1")
        }
        .key();
        assert_eq!(
            data.idempotency.lookup(&key, &payload("c1")).unwrap(),
            crate::idempotency::Lookup::Replay(Outcome::Numbered(1))
        );
        // Reopened as version 2, nothing left to migrate.
        let (_, data) = Store::open(&path, window(60_000, 10), T0 + 1).unwrap();
        assert_eq!(remembered(&data, T0 + 1), 2);
    }
}
