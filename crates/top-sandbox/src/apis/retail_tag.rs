//! `taobao.retail.user.tag.mobile.add`: tags a user found by isv_user_id, open_id or Alipay id.
//! The description checks the parameters (lengths, `ext_param` a JSON text, at least one of
//! the three ids); this slice finds the account and keeps the taggings.

use std::collections::HashMap;

use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use super::{ApiSlice, Applied, SliceCall};
use crate::codes::TopError;
use crate::reply::{Fields, Node, fields};
use crate::snapshot::{StateSnapshot, TagRecord};
use crate::state::{Counter, Data, SliceChange, Tx};

/// The method.
pub(crate) const METHOD: &str = "taobao.retail.user.tag.mobile.add";

/// A kind of retail account registered through `POST /sandbox/accounts`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub(crate) enum AccountKind {
    IsvUserId,
    OpenId,
}

impl AccountKind {
    /// The stored name (the parameter name).
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            AccountKind::IsvUserId => "isv_user_id",
            AccountKind::OpenId => "open_id",
        }
    }

    /// The kind of a stored name.
    pub(crate) fn parse(name: &str) -> Option<Self> {
        match name {
            "isv_user_id" => Some(AccountKind::IsvUserId),
            "open_id" => Some(AccountKind::OpenId),
            _ => None,
        }
    }
}

/// Taggings and the accounts they can find.
#[derive(Debug, Default)]
pub(crate) struct Retail {
    /// Successful taggings, in arrival order.
    tags: Vec<TagRecord>,
    /// (kind, id) → nick.
    accounts: HashMap<(AccountKind, String), String>,
}

/// The slice.
#[derive(Debug)]
pub(crate) struct RetailTag;

impl ApiSlice for RetailTag {
    fn method(&self) -> &'static str {
        METHOD
    }

    fn apply(&self, call: &SliceCall<'_>, tx: &mut Tx<'_>) -> Result<Applied, TopError> {
        let get = |name: &str| call.params.get(name).map(str::to_owned);
        let record = TagRecord {
            biz_code: get("biz_code"),
            isv_user_id: get("isv_user_id"),
            open_id: get("open_id"),
            alipay_user_id: get("alipay_user_id"),
            ext_param: get("ext_param"),
        };
        Ok(Applied::once(tag(record, tx)))
    }

    fn schema(&self) -> &'static str {
        "CREATE TABLE IF NOT EXISTS tags(seq INTEGER PRIMARY KEY AUTOINCREMENT, record TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS accounts(
            kind TEXT NOT NULL, id TEXT NOT NULL, nick TEXT NOT NULL, PRIMARY KEY(kind, id));"
    }

    fn tables(&self) -> &'static [&'static str] {
        &["tags", "accounts"]
    }

    fn load(&self, conn: &Connection, data: &mut Data) -> rusqlite::Result<()> {
        for text in crate::store::strings(conn, "SELECT record FROM tags ORDER BY seq")? {
            data.retail.tags.push(crate::store::from_json(&text)?);
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
                data.retail.accounts.insert((kind, id), nick);
            }
        }
        Ok(())
    }

    fn snapshot(&self, data: &Data, into: &mut StateSnapshot) {
        into.tags = data.retail.tags.clone();
    }
}

/// A change of the taggings or accounts.
#[derive(Debug)]
enum Change {
    Tag(TagRecord),
    Account(AccountKind, String, String),
}

impl SliceChange for Change {
    fn persist(&self, conn: &Connection) -> rusqlite::Result<()> {
        match self {
            Change::Tag(tag) => {
                conn.prepare_cached("INSERT INTO tags(record) VALUES(?1)")?
                    .execute([crate::store::to_json(tag)?])?;
            }
            Change::Account(kind, id, nick) => {
                conn.prepare_cached(
                    "INSERT OR REPLACE INTO accounts(kind, id, nick) VALUES(?1, ?2, ?3)",
                )?
                .execute(params![kind.as_str(), id, nick])?;
            }
        }
        Ok(())
    }
}

/// Registers a retail account.
pub(crate) fn add_account(tx: &mut Tx<'_>, kind: AccountKind, id: &str, nick: &str) {
    tx.data
        .retail
        .accounts
        .insert((kind, id.to_owned()), nick.to_owned());
    tx.record(|| Change::Account(kind, id.to_owned(), nick.to_owned()));
}

/// An Alipay user id as the sandbox knows them: `2088` followed by 12 digits.
pub(crate) fn is_alipay_user_id(id: &str) -> bool {
    id.len() == 16 && id.starts_with("2088") && id.bytes().all(|b| b.is_ascii_digit())
}

/// Tags the user, or answers the vendor's "account not found" shape.
fn tag(record: TagRecord, tx: &mut Tx<'_>) -> Fields {
    let registered = |kind: AccountKind, id: &Option<String>| {
        id.as_ref()
            .and_then(|id| tx.data.retail.accounts.get(&(kind, id.clone())))
            .cloned()
    };
    let found = registered(AccountKind::IsvUserId, &record.isv_user_id)
        .or_else(|| registered(AccountKind::OpenId, &record.open_id))
        .map(|nick| (nick, "tbId"))
        .or_else(|| {
            record
                .alipay_user_id
                .as_deref()
                .filter(|id| is_alipay_user_id(id))
                .map(|id| (format!("tb{}", &id[6..]), "alipayId"))
        });
    let Some((nick, use_type)) = found else {
        let malformed_alipay = record
            .alipay_user_id
            .as_deref()
            .is_some_and(|id| !is_alipay_user_id(id));
        let info = if malformed_alipay {
            error_info(
                "INVALID_PARAMETER",
                "输入参数错误:aliPayUserId",
                "isv.invalid-parameter:",
                "",
            )
        } else {
            let who = record
                .isv_user_id
                .as_deref()
                .or(record.open_id.as_deref())
                .or(record.alipay_user_id.as_deref())
                .unwrap_or_default();
            error_info(
                "SERVICE_ERROR:NOT_FIND_TAOBAO_ACCOUNT:NOT_FIND_TAOBAO_ACCOUNT",
                &format!("未查询到淘宝账号:{}", mask_id(who)),
                "isp.system-service-error::NOT_FIND_TAOBAO_ACCOUNT:NOT_FIND_TAOBAO_ACCOUNT",
                "NOT_FIND_TAOBAO_ACCOUNT",
            )
        };
        return fields([
            (
                "error_infos",
                Node::List {
                    item: "error_info".to_owned(),
                    items: vec![info],
                },
            ),
            (
                "module",
                Node::Obj(fields([("tag_success", Node::Bool(false))])),
            ),
            ("result", Node::Bool(false)),
        ]);
    };
    tracing::debug!(use_type, "retail user tagged");
    tx.record(|| Change::Tag(record.clone()));
    tx.data.retail.tags.push(record);
    tx.count(Counter::Applied, METHOD);
    fields([
        (
            "module",
            Node::Obj(fields([
                ("tag_success", Node::Bool(true)),
                ("social_nick", Node::Str(mask_nick(&nick))),
                ("use_type", Node::str(use_type)),
            ])),
        ),
        ("result", Node::Bool(true)),
    ])
}

fn error_info(outer: &str, message: &str, code: &str, sub: &str) -> Node {
    Node::Obj(fields([
        ("outer_error_code", Node::str(outer)),
        ("error_message", Node::str(message)),
        ("error_code", Node::str(code)),
        ("sub_error_code", Node::str(sub)),
    ]))
}

/// `tb1234567893` → `t*********3`, as the vendor masks nicks.
pub(crate) fn mask_nick(nick: &str) -> String {
    let mut chars = nick.chars();
    match (chars.next(), chars.next_back()) {
        (Some(first), Some(last)) => format!("{first}*********{last}"),
        (Some(first), None) => format!("{first}*********"),
        _ => "*********".to_owned(),
    }
}

/// An identifier shown in a message: first and last character kept.
fn mask_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    match chars.as_slice() {
        [] => String::new(),
        [one] => format!("{one}*****"),
        [first, .., last] => format!("{first}*****{last}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_masks() {
        assert_eq!(AccountKind::parse("open_id"), Some(AccountKind::OpenId));
        assert_eq!(
            AccountKind::parse(AccountKind::IsvUserId.as_str()),
            Some(AccountKind::IsvUserId)
        );
        assert_eq!(AccountKind::parse("alipay_user_id"), None);
        assert!(is_alipay_user_id("2088000000000001"));
        assert!(!is_alipay_user_id("2088000000000"));
        assert!(!is_alipay_user_id("208800000000000a"));
        assert!(!is_alipay_user_id("1088000000000001"));
        assert_eq!(mask_nick("tb1234567893"), "t*********3");
        assert_eq!(mask_nick("中"), "中*********");
        assert_eq!(mask_nick(""), "*********");
        assert_eq!(mask_id("u123"), "u*****3");
        assert_eq!(mask_id("u"), "u*****");
    }
}
