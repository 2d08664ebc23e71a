//! SQLite persistence (`state_file`): every change is written in the same step it is applied
//! in memory, and the whole state (entities, idempotency records, counts, accounts, SMS
//! codes) is loaded back at start.

use std::fmt;
use std::path::{Path, PathBuf};

use rusqlite::types::Type;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::apis::Api;
use crate::error::SandboxError;
use crate::idempotency::{IdemKey, IdemRecord};
use crate::snapshot::{CustomerRecord, TagRecord};
use crate::state::{AccountKind, AuthCode, Change, Counter, Data, Member};

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS blacklist(
    supplier_id TEXT NOT NULL, mobile TEXT NOT NULL, reasons TEXT NOT NULL,
    PRIMARY KEY(supplier_id, mobile));
CREATE TABLE IF NOT EXISTS tags(seq INTEGER PRIMARY KEY AUTOINCREMENT, record TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS members(
    seq INTEGER PRIMARY KEY AUTOINCREMENT, user_phone TEXT NOT NULL UNIQUE, record TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS customers(seq INTEGER PRIMARY KEY AUTOINCREMENT, record TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS counters(
    counter TEXT NOT NULL, method TEXT NOT NULL, n INTEGER NOT NULL,
    PRIMARY KEY(counter, method));
CREATE TABLE IF NOT EXISTS idempotency(
    app_key TEXT NOT NULL, method TEXT NOT NULL, request_id TEXT NOT NULL, record TEXT NOT NULL,
    PRIMARY KEY(app_key, method, request_id));
CREATE TABLE IF NOT EXISTS accounts(
    kind TEXT NOT NULL, id TEXT NOT NULL, nick TEXT NOT NULL, PRIMARY KEY(kind, id));
CREATE TABLE IF NOT EXISTS auth_codes(
    user_phone TEXT NOT NULL, code_type INTEGER NOT NULL, code TEXT NOT NULL,
    expires_at_ms INTEGER NOT NULL, PRIMARY KEY(user_phone, code_type));
";

const SCHEMA_VERSION: &str = "1";

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
    /// Opens (creating if needed) the state file and loads it.
    pub(crate) fn open(path: &Path) -> Result<(Store, Data), SandboxError> {
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
            Some(other) => {
                return Err(SandboxError::Config(format!(
                    "state file {} has schema version {other}; this sandbox reads version {SCHEMA_VERSION}",
                    path.display()
                )));
            }
        }
        let data = load(&conn).map_err(wrap)?;
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
                Change::BlacklistPut {
                    supplier,
                    mobile,
                    reasons,
                } => {
                    let reasons: Vec<String> = reasons.iter().map(u8::to_string).collect();
                    tx.prepare_cached(
                        "INSERT INTO blacklist(supplier_id, mobile, reasons) VALUES(?1, ?2, ?3)
                         ON CONFLICT(supplier_id, mobile) DO UPDATE SET reasons = excluded.reasons",
                    )?
                    .execute(params![supplier, mobile, reasons.join(",")])?;
                }
                Change::BlacklistDelete { supplier, mobile } => {
                    tx.prepare_cached(
                        "DELETE FROM blacklist WHERE supplier_id = ?1 AND mobile = ?2",
                    )?
                    .execute(params![supplier, mobile])?;
                }
                Change::Tag(tag) => {
                    tx.prepare_cached("INSERT INTO tags(record) VALUES(?1)")?
                        .execute([to_json(tag)?])?;
                }
                Change::Member(member) => {
                    tx.prepare_cached(
                        "INSERT INTO members(user_phone, record) VALUES(?1, ?2)
                         ON CONFLICT(user_phone) DO UPDATE SET record = excluded.record",
                    )?
                    .execute(params![member.user_phone, to_json(member)?])?;
                }
                Change::Customer(customer) => {
                    tx.prepare_cached("INSERT INTO customers(record) VALUES(?1)")?
                        .execute([to_json(customer)?])?;
                }
                Change::Count(counter, api) => {
                    tx.prepare_cached(
                        "INSERT INTO counters(counter, method, n) VALUES(?1, ?2, 1)
                         ON CONFLICT(counter, method) DO UPDATE SET n = n + 1",
                    )?
                    .execute(params![counter.as_str(), api.method()])?;
                }
                Change::Idempotency(key, record) => {
                    tx.prepare_cached(
                        "INSERT OR REPLACE INTO idempotency(app_key, method, request_id, record)
                         VALUES(?1, ?2, ?3, ?4)",
                    )?
                    .execute(params![
                        key.app_key,
                        key.api.method(),
                        key.request_id,
                        to_json(record)?
                    ])?;
                }
                Change::Account(kind, id, nick) => {
                    tx.prepare_cached(
                        "INSERT OR REPLACE INTO accounts(kind, id, nick) VALUES(?1, ?2, ?3)",
                    )?
                    .execute(params![kind.as_str(), id, nick])?;
                }
                Change::AuthCodePut(phone, code_type, code) => {
                    tx.prepare_cached(
                        "INSERT OR REPLACE INTO auth_codes(user_phone, code_type, code, expires_at_ms)
                         VALUES(?1, ?2, ?3, ?4)",
                    )?
                    .execute(params![phone, code_type, code.code, code.expires_at_ms])?;
                }
                Change::AuthCodeDelete(phone, code_type) => {
                    tx.prepare_cached(
                        "DELETE FROM auth_codes WHERE user_phone = ?1 AND code_type = ?2",
                    )?
                    .execute(params![phone, code_type])?;
                }
                Change::Reset => {
                    tx.execute_batch(
                        "DELETE FROM blacklist; DELETE FROM tags; DELETE FROM members;
                         DELETE FROM customers; DELETE FROM counters; DELETE FROM idempotency;
                         DELETE FROM accounts; DELETE FROM auth_codes;",
                    )?;
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

fn to_json<T: Serialize>(value: &T) -> rusqlite::Result<String> {
    serde_json::to_string(value).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
}

fn from_json<T: DeserializeOwned>(text: &str) -> rusqlite::Result<T> {
    serde_json::from_str(text)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(0, Type::Text, Box::new(e)))
}

fn load(conn: &Connection) -> rusqlite::Result<Data> {
    let mut data = Data::default();

    let mut stmt = conn.prepare("SELECT supplier_id, mobile, reasons FROM blacklist")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    for row in rows {
        let (supplier, mobile, reasons) = row?;
        let reasons = reasons
            .split(',')
            .filter_map(|p| p.trim().parse::<u8>().ok())
            .collect();
        data.blacklist
            .entry(supplier)
            .or_default()
            .insert(mobile, reasons);
    }

    for text in strings(conn, "SELECT record FROM tags ORDER BY seq")? {
        data.tags.push(from_json::<TagRecord>(&text)?);
    }
    for text in strings(conn, "SELECT record FROM members ORDER BY seq")? {
        data.upsert_member(from_json::<Member>(&text)?);
    }
    for text in strings(conn, "SELECT record FROM customers ORDER BY seq")? {
        data.push_customer(from_json::<CustomerRecord>(&text)?);
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
        let counter = Counter::ALL.into_iter().find(|c| c.as_str() == counter);
        if let (Some(counter), Some(api)) = (counter, Api::from_method(&method)) {
            data.counters[counter as usize][api.index()] = u64::try_from(n).unwrap_or(0);
        }
    }

    let mut stmt = conn.prepare("SELECT app_key, method, request_id, record FROM idempotency")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
        ))
    })?;
    for row in rows {
        let (app_key, method, request_id, record) = row?;
        if let Some(api) = Api::from_method(&method) {
            let key = IdemKey {
                app_key,
                api,
                request_id,
            };
            data.idempotency
                .insert(key, from_json::<IdemRecord>(&record)?);
        }
    }

    let mut stmt = conn.prepare("SELECT kind, id, nick FROM accounts")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    for row in rows {
        let (kind, id, nick) = row?;
        if let Some(kind) = AccountKind::parse(&kind) {
            data.accounts.insert((kind, id), nick);
        }
    }

    let mut stmt =
        conn.prepare("SELECT user_phone, code_type, code, expires_at_ms FROM auth_codes")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, u8>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, i64>(3)?,
        ))
    })?;
    for row in rows {
        let (phone, code_type, code, expires_at_ms) = row?;
        data.auth_codes.insert(
            (phone, code_type),
            AuthCode {
                code,
                expires_at_ms,
            },
        );
    }
    Ok(data)
}

fn strings(conn: &Connection, sql: &str) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    rows.collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::State;

    #[test]
    fn round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.db");
        let (store, data) = Store::open(&path).unwrap();
        let mut state = State::new(data, Some(store), 7);
        let now = chrono::Utc::now();
        state.transact(now, |tx| {
            tx.blacklist_put("s1", "13111111111", vec![1, 2]);
            tx.blacklist_put("s1", "13122222222", vec![]);
            tx.blacklist_delete("s1", "13122222222");
            tx.push_tag(TagRecord {
                alipay_user_id: Some("2088000000000001".into()),
                ..TagRecord::default()
            });
            tx.count(Counter::Calls, Api::RetailTag);
            tx.count(Counter::Calls, Api::RetailTag);
            tx.add_account(AccountKind::OpenId, "o1", "tb_o1");
            tx.put_auth_code(
                "13800000000",
                1,
                AuthCode {
                    code: "123456".into(),
                    expires_at_ms: 5,
                },
            );
        });
        let before = state.data.snapshot();
        drop(state);
        let (_, data) = Store::open(&path).unwrap();
        assert_eq!(data.snapshot(), before);
        assert_eq!(data.accounts.len(), 1);
        assert_eq!(data.auth_codes.len(), 1);
        assert_eq!(before.calls_to(Api::RetailTag.method()), 2);
        assert_eq!(before.blacklist_of("s1").len(), 1);
    }
}
