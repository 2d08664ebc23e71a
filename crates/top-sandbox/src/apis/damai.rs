//! `alibaba.damai.maizuo.openapi.user.register.byauthcode`: members registered (code_type 1)
//! or given a new password (code_type 2) with a single-use SMS code. The description checks
//! the members (phone, code digits, password length, code type); this slice checks what only
//! the state knows: the tokens, whether the phone is a member, and the SMS code issued.

use std::collections::HashMap;

use chrono::TimeDelta;
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use top_core::mask_mobile;

use super::{ApiSlice, Applied, SliceCall, object};
use crate::codes::TopError;
use crate::reply::{Fields, Node, fields};
use crate::snapshot::{MemberRecord, StateSnapshot};
use crate::state::{Counter, Data, SliceChange, Tx};

/// The method.
pub(crate) const METHOD: &str = "alibaba.damai.maizuo.openapi.user.register.byauthcode";

const PARAM: &str = "param0";

/// How long an issued SMS code stays valid.
pub(crate) const AUTH_CODE_TTL: TimeDelta = TimeDelta::minutes(5);

/// Business result codes (inside `result`, never an `error_response`).
pub(crate) mod result_code {
    /// Registered, or password changed.
    pub(crate) const OK: i64 = 200;
    /// ptnr_token, tenant_token or channel_token is not the configured one.
    pub(crate) const BAD_TOKEN: i64 = 401;
    /// The SMS code is wrong, expired, already used, or was never issued.
    pub(crate) const BAD_AUTH_CODE: i64 = 402;
    /// code_type 2 for a phone that is not a member.
    pub(crate) const NOT_A_MEMBER: i64 = 404;
    /// code_type 1 for a phone that is already a member.
    pub(crate) const ALREADY_REGISTERED: i64 = 409;
}

/// A Damai member with what is never shown (token, password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Member {
    pub(crate) user_phone: String,
    pub(crate) user_id: String,
    pub(crate) user_name: String,
    pub(crate) user_token: String,
    pub(crate) user_icon: String,
    /// SHA-256 of the password, hex.
    pub(crate) password_sha256: String,
}

/// An issued SMS code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct AuthCode {
    pub(crate) code: String,
    pub(crate) expires_at_ms: i64,
}

/// Members and pending SMS codes.
#[derive(Debug, Default)]
pub(crate) struct Members {
    members: Vec<Member>,
    by_phone: HashMap<String, usize>,
    /// (phone, code_type) → code.
    auth_codes: HashMap<(String, u8), AuthCode>,
}

impl Members {
    /// Adds or replaces a member (by phone).
    fn upsert(&mut self, member: Member) {
        match self.by_phone.get(&member.user_phone) {
            Some(&at) => {
                if let Some(slot) = self.members.get_mut(at) {
                    *slot = member;
                }
            }
            None => {
                self.by_phone
                    .insert(member.user_phone.clone(), self.members.len());
                self.members.push(member);
            }
        }
    }
}

/// The slice.
#[derive(Debug)]
pub(crate) struct Damai;

/// A `param0` as this slice uses it.
struct Register {
    auth_code: String,
    ptnr_token: String,
    tenant_token: String,
    channel_token: String,
    password: String,
    user_phone: String,
    code_type: u8,
}

impl ApiSlice for Damai {
    fn method(&self) -> &'static str {
        METHOD
    }

    fn apply(&self, call: &SliceCall<'_>, tx: &mut Tx<'_>) -> Result<Applied, TopError> {
        let m = object(call.business, PARAM)?;
        let code_type = match m.req_int("code_type")? {
            1 => 1,
            2 => 2,
            // The description's enum admits only 1 and 2; a replacing one may admit more.
            _ => {
                return Err(TopError::invalid_parameter(
                    &m.path_of("code_type"),
                    Some("is not a code type the sandbox serves"),
                ));
            }
        };
        let request = Register {
            auth_code: m.req_str("auth_code")?,
            ptnr_token: m.req_str("ptnr_token")?,
            tenant_token: m.req_str("tenant_token")?,
            channel_token: m.req_str("channel_token")?,
            password: m.req_str("user_login_password")?,
            user_phone: m.req_str("user_phone")?,
            code_type,
        };
        Ok(Applied::once(register(request, call, tx)))
    }

    fn schema(&self) -> &'static str {
        "CREATE TABLE IF NOT EXISTS members(
            seq INTEGER PRIMARY KEY AUTOINCREMENT, user_phone TEXT NOT NULL UNIQUE, record TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS auth_codes(
            user_phone TEXT NOT NULL, code_type INTEGER NOT NULL, code TEXT NOT NULL,
            expires_at_ms INTEGER NOT NULL, PRIMARY KEY(user_phone, code_type));"
    }

    fn tables(&self) -> &'static [&'static str] {
        &["members", "auth_codes"]
    }

    fn load(&self, conn: &Connection, data: &mut Data) -> rusqlite::Result<()> {
        for text in crate::store::strings(conn, "SELECT record FROM members ORDER BY seq")? {
            data.damai.upsert(crate::store::from_json::<Member>(&text)?);
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
            data.damai.auth_codes.insert(
                (phone, code_type),
                AuthCode {
                    code,
                    expires_at_ms,
                },
            );
        }
        Ok(())
    }

    fn snapshot(&self, data: &Data, into: &mut StateSnapshot) {
        into.damai_members = data
            .damai
            .members
            .iter()
            .map(|m| MemberRecord {
                user_phone: m.user_phone.clone(),
                user_id: m.user_id.clone(),
                user_name: m.user_name.clone(),
            })
            .collect();
    }
}

/// A change of the members or codes.
#[derive(Debug)]
enum Change {
    Member(Member),
    AuthCodePut(String, u8, AuthCode),
    AuthCodeDelete(String, u8),
}

impl SliceChange for Change {
    fn persist(&self, conn: &Connection) -> rusqlite::Result<()> {
        match self {
            Change::Member(member) => {
                conn.prepare_cached(
                    "INSERT INTO members(user_phone, record) VALUES(?1, ?2)
                     ON CONFLICT(user_phone) DO UPDATE SET record = excluded.record",
                )?
                .execute(params![member.user_phone, crate::store::to_json(member)?])?;
            }
            Change::AuthCodePut(phone, code_type, code) => {
                conn.prepare_cached(
                    "INSERT OR REPLACE INTO auth_codes(user_phone, code_type, code, expires_at_ms)
                     VALUES(?1, ?2, ?3, ?4)",
                )?
                .execute(params![
                    phone,
                    code_type,
                    code.code,
                    code.expires_at_ms
                ])?;
            }
            Change::AuthCodeDelete(phone, code_type) => {
                conn.prepare_cached(
                    "DELETE FROM auth_codes WHERE user_phone = ?1 AND code_type = ?2",
                )?
                .execute(params![phone, code_type])?;
            }
        }
        Ok(())
    }
}

fn upsert_member(tx: &mut Tx<'_>, member: Member) {
    tx.record(|| Change::Member(member.clone()));
    tx.data.damai.upsert(member);
}

fn remove_auth_code(tx: &mut Tx<'_>, phone: &str, code_type: u8) {
    tx.data
        .damai
        .auth_codes
        .remove(&(phone.to_owned(), code_type));
    tx.record(|| Change::AuthCodeDelete(phone.to_owned(), code_type));
}

/// Registers or changes the password; business failures are answered inside `result`.
fn register(req: Register, call: &SliceCall<'_>, tx: &mut Tx<'_>) -> Fields {
    let settings = call.settings;
    let phone = req.user_phone.as_str();
    if req.ptnr_token != settings.ptnr_token {
        return failure(result_code::BAD_TOKEN, "ptnr_token 无效");
    }
    if req.tenant_token != settings.tenant_token {
        return failure(result_code::BAD_TOKEN, "tenant_token 无效");
    }
    if req.channel_token != settings.channel_token {
        return failure(result_code::BAD_TOKEN, "channel_token 无效");
    }
    let existing = tx.data.damai.by_phone.get(phone).copied();
    match (req.code_type, existing) {
        (1, Some(_)) => return failure(result_code::ALREADY_REGISTERED, "该手机号已注册"),
        (2, None) => return failure(result_code::NOT_A_MEMBER, "会员不存在"),
        _ => {}
    }
    let now_ms = tx.now.timestamp_millis();
    match tx
        .data
        .damai
        .auth_codes
        .get(&(phone.to_owned(), req.code_type))
    {
        None => return failure(result_code::BAD_AUTH_CODE, "验证码错误或已失效"),
        Some(issued) if issued.expires_at_ms < now_ms => {
            remove_auth_code(tx, phone, req.code_type);
            return failure(result_code::BAD_AUTH_CODE, "验证码已过期");
        }
        Some(issued) if issued.code != req.auth_code => {
            return failure(result_code::BAD_AUTH_CODE, "验证码错误或已失效");
        }
        Some(_) => remove_auth_code(tx, phone, req.code_type),
    }
    let password_sha256 = hex::encode(Sha256::digest(req.password.as_bytes()));
    let member = match existing.and_then(|at| tx.data.damai.members.get(at)) {
        Some(member) => Member {
            password_sha256,
            ..member.clone()
        },
        None => {
            let user_id = (100_000_001 + tx.data.damai.members.len() as u64).to_string();
            Member {
                user_phone: phone.to_owned(),
                user_name: format!("麦子{}", last_chars(phone, 4)),
                user_icon: format!("https://img.alicdn.com/sandbox/damai/avatar/{user_id}.png"),
                user_id,
                user_token: token(tx.rng),
                password_sha256,
            }
        }
    };
    let data = Node::Obj(fields([
        ("user_id", Node::str(member.user_id.as_str())),
        ("user_token", Node::str(member.user_token.as_str())),
        ("user_phone", Node::Str(mask_mobile(phone))),
        ("user_name", Node::str(member.user_name.as_str())),
        ("user_icon", Node::str(member.user_icon.as_str())),
    ]));
    tracing::debug!(
        user_phone = %mask_mobile(phone),
        code_type = req.code_type,
        "damai member {}",
        if req.code_type == 1 { "registered" } else { "password changed" }
    );
    upsert_member(tx, member);
    tx.count(Counter::Applied, METHOD);
    fields([(
        "result",
        Node::Obj(fields([
            ("success", Node::Bool(true)),
            ("result_code", Node::Int(result_code::OK)),
            ("result_msg", Node::str("成功")),
            ("data", data),
        ])),
    )])
}

/// The last `n` characters (a phone's last four digits in a member name).
fn last_chars(text: &str, n: usize) -> String {
    let count = text.chars().count();
    text.chars().skip(count.saturating_sub(n)).collect()
}

fn failure(code: i64, message: &str) -> Fields {
    fields([(
        "result",
        Node::Obj(fields([
            ("success", Node::Bool(false)),
            ("result_code", Node::Int(code)),
            ("result_msg", Node::str(message)),
        ])),
    )])
}

/// A login token in the vendor's style (base64 alphabet, 22 characters).
fn token(rng: &mut fastrand::Rng) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    (0..22)
        .map(|_| char::from(ALPHABET[rng.usize(..ALPHABET.len())]))
        .collect()
}

/// Issues a six-digit SMS code for a phone and code type, valid [`AUTH_CODE_TTL`]; a new
/// code replaces the previous one. The phone and code type were checked by the caller with
/// the description's rules of `param0.user_phone` and `param0.code_type`.
pub(crate) fn issue_auth_code(tx: &mut Tx<'_>, phone: &str, code_type: u8) -> String {
    let code = format!("{:06}", tx.rng.u32(0..1_000_000));
    let expires_at_ms = (tx.now + AUTH_CODE_TTL).timestamp_millis();
    let issued = AuthCode {
        code: code.clone(),
        expires_at_ms,
    };
    tx.record(|| Change::AuthCodePut(phone.to_owned(), code_type, issued.clone()));
    tx.data
        .damai
        .auth_codes
        .insert((phone.to_owned(), code_type), issued);
    tracing::debug!(user_phone = %mask_mobile(phone), code_type, "auth code issued");
    code
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_tokens() {
        assert_eq!(last_chars("13812341234", 4), "1234");
        assert_eq!(last_chars("中文", 4), "中文");
        let mut rng = fastrand::Rng::with_seed(3);
        assert_eq!(token(&mut rng).len(), 22);
    }
}
