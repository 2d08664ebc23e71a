//! `taobao.logistics.express.user.blacklist.tms.sync`: a blacklist of mobiles per supplier.
//! The description checks every member (mobile, reason codes, operate type, list size...);
//! this slice only keeps the lists.

use std::collections::BTreeMap;

use rusqlite::{Connection, params};

use super::{ApiSlice, Applied, Members, SliceCall, object};
use crate::codes::TopError;
use crate::idempotency::Outcome;
use crate::reply::{Fields, Node, fields};
use crate::snapshot::{BlacklistEntry, StateSnapshot};
use crate::state::{Counter, Data, SliceChange, Tx};

/// The method.
pub(crate) const METHOD: &str = "taobao.logistics.express.user.blacklist.tms.sync";

const PARAM: &str = "user_blacklist_request";

/// supplier_id → mobile → reason codes (sorted).
#[derive(Debug, Default)]
pub(crate) struct Lists(BTreeMap<String, BTreeMap<String, Vec<u8>>>);

/// The slice.
#[derive(Debug)]
pub(crate) struct Blacklist;

/// `operate_type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operate {
    /// 1: add or update (reasons replaced).
    Upsert,
    /// 2: delete.
    Delete,
}

impl ApiSlice for Blacklist {
    fn method(&self) -> &'static str {
        METHOD
    }

    fn apply(&self, call: &SliceCall<'_>, tx: &mut Tx<'_>) -> Result<Applied, TopError> {
        let m = object(call.business, PARAM)?;
        let supplier_id = m.req_str("supplier_id")?;
        let operate = match m.req_int("operate_type")? {
            1 => Operate::Upsert,
            2 => Operate::Delete,
            // The description's enum admits only 1 and 2; a replacing one may admit more,
            // which this slice cannot apply.
            _ => {
                return Err(TopError::invalid_parameter(
                    &m.path_of("operate_type"),
                    Some("is not an operation the sandbox applies"),
                ));
            }
        };
        let list = m.req_array("blacklist")?;
        let max = call.settings.max_blacklist_entries;
        if list.len() > max {
            return Err(TopError::invalid_parameter(
                &m.path_of("blacklist"),
                Some(&format!(
                    "at most {max} entries per call (this sandbox's --max-blacklist-entries)"
                )),
            ));
        }
        let mut entries = Vec::with_capacity(list.len());
        for (i, item) in list.iter().enumerate() {
            let path = format!("{PARAM}.blacklist[{i}]");
            let Some(map) = item.as_object() else {
                return Err(TopError::invalid_parameter(
                    &path,
                    Some("must be a JSON object"),
                ));
            };
            let entry = Members::new(path, map);
            let mobile = entry.req_str("mobile")?;
            let reasons = match entry.opt_str("reason")? {
                None => Vec::new(),
                Some(text) => reason_codes(&text).ok_or_else(|| {
                    TopError::invalid_parameter(
                        &entry.path_of("reason"),
                        Some("is not a list of reason codes the sandbox can keep"),
                    )
                })?,
            };
            entries.push((mobile, reasons));
        }
        for (mobile, reasons) in entries.iter() {
            match operate {
                Operate::Upsert => put(tx, &supplier_id, mobile, reasons.clone()),
                Operate::Delete => delete(tx, &supplier_id, mobile),
            }
        }
        tracing::debug!(
            supplier_id = %supplier_id,
            entries = entries.len(),
            operate = ?operate,
            "blacklist sync applied"
        );
        tx.count(Counter::Applied, METHOD);
        Ok(Applied::remembered(synced_answer(), Outcome::Same))
    }

    fn replayed(&self, _outcome: Outcome) -> Option<Fields> {
        Some(synced_answer())
    }

    /// A resend may carry a new send time.
    fn payload_ignores(&self) -> &'static [&'static str] {
        &["request_time"]
    }

    fn schema(&self) -> &'static str {
        "CREATE TABLE IF NOT EXISTS blacklist(
            supplier_id TEXT NOT NULL, mobile TEXT NOT NULL, reasons TEXT NOT NULL,
            PRIMARY KEY(supplier_id, mobile));"
    }

    fn tables(&self) -> &'static [&'static str] {
        &["blacklist"]
    }

    fn load(&self, conn: &Connection, data: &mut Data) -> rusqlite::Result<()> {
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
                .0
                .entry(supplier)
                .or_default()
                .insert(mobile, reasons);
        }
        Ok(())
    }

    fn snapshot(&self, data: &Data, into: &mut StateSnapshot) {
        into.blacklist = data
            .blacklist
            .0
            .iter()
            .filter(|(_, entries)| !entries.is_empty())
            .map(|(supplier, entries)| {
                let list = entries
                    .iter()
                    .map(|(mobile, reasons)| BlacklistEntry {
                        mobile: mobile.clone(),
                        reasons: reasons.clone(),
                    })
                    .collect();
                (supplier.clone(), list)
            })
            .collect();
    }
}

/// `"2,1"` → `[1, 2]`. Which codes exist is the description's rule; this only reads them
/// into what the state keeps (`None` for a part that is not a small number).
fn reason_codes(text: &str) -> Option<Vec<u8>> {
    let mut reasons = text
        .split(',')
        .map(|part| part.trim().parse::<u8>().ok())
        .collect::<Option<Vec<u8>>>()?;
    reasons.sort_unstable();
    reasons.dedup();
    Some(reasons)
}

/// The answer of an applied sync (and of its replays).
pub(crate) fn synced_answer() -> Fields {
    fields([(
        "user_blacklist_response",
        Node::Obj(fields([
            ("success", Node::Bool(true)),
            ("code", Node::str("200")),
            ("message", Node::str("SUCCESS")),
            ("is_retry", Node::Bool(false)),
        ])),
    )])
}

/// A change of the lists.
#[derive(Debug)]
enum Change {
    Put {
        supplier: String,
        mobile: String,
        reasons: Vec<u8>,
    },
    Delete {
        supplier: String,
        mobile: String,
    },
}

impl SliceChange for Change {
    fn persist(&self, conn: &Connection) -> rusqlite::Result<()> {
        match self {
            Change::Put {
                supplier,
                mobile,
                reasons,
            } => {
                let reasons: Vec<String> = reasons.iter().map(u8::to_string).collect();
                conn.prepare_cached(
                    "INSERT INTO blacklist(supplier_id, mobile, reasons) VALUES(?1, ?2, ?3)
                     ON CONFLICT(supplier_id, mobile) DO UPDATE SET reasons = excluded.reasons",
                )?
                .execute(params![supplier, mobile, reasons.join(",")])?;
            }
            Change::Delete { supplier, mobile } => {
                conn.prepare_cached(
                    "DELETE FROM blacklist WHERE supplier_id = ?1 AND mobile = ?2",
                )?
                .execute(params![supplier, mobile])?;
            }
        }
        Ok(())
    }
}

/// Adds or updates a blacklisted mobile.
pub(crate) fn put(tx: &mut Tx<'_>, supplier: &str, mobile: &str, reasons: Vec<u8>) {
    tx.record(|| Change::Put {
        supplier: supplier.to_owned(),
        mobile: mobile.to_owned(),
        reasons: reasons.clone(),
    });
    tx.data
        .blacklist
        .0
        .entry(supplier.to_owned())
        .or_default()
        .insert(mobile.to_owned(), reasons);
}

/// Removes a blacklisted mobile (nothing when absent).
pub(crate) fn delete(tx: &mut Tx<'_>, supplier: &str, mobile: &str) {
    if let Some(entries) = tx.data.blacklist.0.get_mut(supplier) {
        entries.remove(mobile);
        if entries.is_empty() {
            tx.data.blacklist.0.remove(supplier);
        }
    }
    tx.record(|| Change::Delete {
        supplier: supplier.to_owned(),
        mobile: mobile.to_owned(),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reasons_are_read_sorted() {
        assert_eq!(reason_codes("2,1, 2"), Some(vec![1, 2]));
        assert_eq!(reason_codes("5"), Some(vec![5]));
        for unreadable in ["a", "1,,2", "1;2", "300"] {
            assert_eq!(reason_codes(unreadable), None, "{unreadable}");
        }
    }
}
