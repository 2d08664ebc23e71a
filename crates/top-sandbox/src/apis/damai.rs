//! `alibaba.damai.maizuo.openapi.user.register.byauthcode`: members registered (code_type 1)
//! or given a new password (code_type 2) with a single-use SMS code.

use chrono::TimeDelta;
use sha2::{Digest, Sha256};
use top_core::{Params, is_mainland_mobile, mask_mobile};

use super::{Api, Members, Rules, object_param};
use crate::codes::TopError;
use crate::reply::{Fields, Node, fields};
use crate::state::{AuthCode, Counter, Member, Tx};

const PARAM: &str = "param0";

/// How long an issued SMS code stays valid.
pub(crate) const AUTH_CODE_TTL: TimeDelta = TimeDelta::minutes(5);

/// Business result codes (inside `result`, never an `error_response`).
pub(crate) mod result_code {
    /// Registered, or password changed.
    pub(crate) const OK: i64 = 200;
    /// The password breaks the rule.
    pub(crate) const BAD_PASSWORD: i64 = 400;
    /// ptnr_token, tenant_token or channel_token is not the configured one.
    pub(crate) const BAD_TOKEN: i64 = 401;
    /// The SMS code is wrong, expired, already used, or was never issued.
    pub(crate) const BAD_AUTH_CODE: i64 = 402;
    /// code_type 2 for a phone that is not a member.
    pub(crate) const NOT_A_MEMBER: i64 = 404;
    /// code_type 1 for a phone that is already a member.
    pub(crate) const ALREADY_REGISTERED: i64 = 409;
}

/// A validated `param0`.
#[derive(Debug)]
pub(crate) struct RegisterRequest {
    auth_code: String,
    ptnr_token: String,
    tenant_token: String,
    channel_token: String,
    password: String,
    user_phone: String,
    code_type: u8,
}

/// Reads and checks `param0`.
pub(crate) fn parse(params: &Params) -> Result<RegisterRequest, TopError> {
    let map = object_param(params, PARAM)?;
    let m = Members::new(PARAM, &map);
    let auth_code = m.req_str("auth_code")?;
    let ptnr_token = m.req_str("ptnr_token")?;
    let password = m.req_str("user_login_password")?;
    let user_phone = m.req_str("user_phone")?;
    let tenant_token = m.req_str("tenant_token")?;
    let channel_token = m.req_str("channel_token")?;
    let code_type = m.req_int("code_type")?;
    if !is_mainland_mobile(&user_phone) {
        return Err(TopError::invalid_parameter(
            &m.path_of("user_phone"),
            Some("must be an 11-digit mainland China mobile number"),
        ));
    }
    let code_type = match code_type {
        1 => 1,
        2 => 2,
        _ => {
            return Err(TopError::invalid_parameter(
                &m.path_of("code_type"),
                Some("must be 1 (register) or 2 (change password)"),
            ));
        }
    };
    if !is_six_digits(&auth_code) {
        return Err(TopError::invalid_parameter(
            &m.path_of("auth_code"),
            Some("must be six digits"),
        ));
    }
    Ok(RegisterRequest {
        auth_code,
        ptnr_token,
        tenant_token,
        channel_token,
        password,
        user_phone,
        code_type,
    })
}

fn is_six_digits(code: &str) -> bool {
    code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit())
}

/// The password rule: 6 to 32 printable ASCII characters without spaces, with at least one
/// letter and one digit.
pub(crate) fn password_ok(password: &str) -> bool {
    (6..=32).contains(&password.len())
        && password.bytes().all(|b| b.is_ascii_graphic())
        && password.bytes().any(|b| b.is_ascii_alphabetic())
        && password.bytes().any(|b| b.is_ascii_digit())
}

/// Registers or changes the password; business failures are answered inside `result`.
pub(crate) fn apply(req: RegisterRequest, rules: &Rules, tx: &mut Tx<'_>) -> Fields {
    let phone = req.user_phone.as_str();
    if req.ptnr_token != rules.ptnr_token {
        return failure(result_code::BAD_TOKEN, "ptnr_token 无效");
    }
    if req.tenant_token != rules.tenant_token {
        return failure(result_code::BAD_TOKEN, "tenant_token 无效");
    }
    if req.channel_token != rules.channel_token {
        return failure(result_code::BAD_TOKEN, "channel_token 无效");
    }
    if !password_ok(&req.password) {
        return failure(
            result_code::BAD_PASSWORD,
            "密码不符合规则: 6-32 位可见 ASCII 字符, 须同时包含字母和数字",
        );
    }
    let existing = tx.data.member_by_phone.get(phone).copied();
    match (req.code_type, existing) {
        (1, Some(_)) => return failure(result_code::ALREADY_REGISTERED, "该手机号已注册"),
        (2, None) => return failure(result_code::NOT_A_MEMBER, "会员不存在"),
        _ => {}
    }
    let now_ms = tx.now.timestamp_millis();
    match tx.data.auth_codes.get(&(phone.to_owned(), req.code_type)) {
        None => return failure(result_code::BAD_AUTH_CODE, "验证码错误或已失效"),
        Some(issued) if issued.expires_at_ms < now_ms => {
            tx.remove_auth_code(phone, req.code_type);
            return failure(result_code::BAD_AUTH_CODE, "验证码已过期");
        }
        Some(issued) if issued.code != req.auth_code => {
            return failure(result_code::BAD_AUTH_CODE, "验证码错误或已失效");
        }
        Some(_) => tx.remove_auth_code(phone, req.code_type),
    }
    let password_sha256 = hex::encode(Sha256::digest(req.password.as_bytes()));
    let member = match existing.and_then(|at| tx.data.members.get(at)) {
        Some(member) => Member {
            password_sha256,
            ..member.clone()
        },
        None => {
            let user_id = (100_000_001 + tx.data.members.len() as u64).to_string();
            Member {
                user_phone: phone.to_owned(),
                user_name: format!("麦子{}", &phone[7..]),
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
    tx.upsert_member(member);
    tx.count(Counter::Applied, Api::Damai);
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
/// code replaces the previous one.
pub(crate) fn issue_auth_code(
    tx: &mut Tx<'_>,
    phone: &str,
    code_type: i64,
) -> Result<String, String> {
    if !is_mainland_mobile(phone) {
        return Err("user_phone must be an 11-digit mainland China mobile number".to_owned());
    }
    let code_type: u8 = match code_type {
        1 => 1,
        2 => 2,
        _ => return Err("code_type must be 1 (register) or 2 (change password)".to_owned()),
    };
    let code = format!("{:06}", tx.rng.u32(0..1_000_000));
    let expires_at_ms = (tx.now + AUTH_CODE_TTL).timestamp_millis();
    tx.put_auth_code(
        phone,
        code_type,
        AuthCode {
            code: code.clone(),
            expires_at_ms,
        },
    );
    tracing::debug!(user_phone = %mask_mobile(phone), code_type, "auth code issued");
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_rule() {
        assert!(password_ok("QWA1q2w3e4r"));
        assert!(password_ok("abc123"));
        for bad in [
            "abc12",
            "abcdefgh",
            "12345678",
            "abc 123",
            "密码abc123",
            &"a1".repeat(17),
        ] {
            assert!(!password_ok(bad), "{bad}");
        }
        assert!(is_six_digits("012345"));
        assert!(!is_six_digits("12345a"));
        let mut rng = fastrand::Rng::with_seed(3);
        assert_eq!(token(&mut rng).len(), 22);
    }
}
