//! `taobao.retail.user.tag.mobile.add`: tags a user found by isv_user_id, open_id or Alipay id.

use top_core::Params;

use super::Api;
use crate::codes::TopError;
use crate::reply::{Fields, Node, fields};
use crate::snapshot::TagRecord;
use crate::state::{AccountKind, Counter, Tx};

/// A validated tagging.
#[derive(Debug)]
pub(crate) struct TagRequest {
    record: TagRecord,
}

/// Reads the plain top-level parameters.
pub(crate) fn parse(params: &Params) -> Result<TagRequest, TopError> {
    let get = |name: &str| params.get(name).map(str::to_owned);
    let record = TagRecord {
        biz_code: get("biz_code"),
        isv_user_id: get("isv_user_id"),
        open_id: get("open_id"),
        alipay_user_id: get("alipay_user_id"),
        ext_param: get("ext_param"),
    };
    if record.isv_user_id.is_none() && record.open_id.is_none() && record.alipay_user_id.is_none() {
        return Err(TopError::missing_argument(
            "isv_user_id, open_id or alipay_user_id",
        ));
    }
    if let Some(ext) = &record.ext_param
        && serde_json::from_str::<serde_json::Value>(ext).is_err()
    {
        return Err(TopError::invalid_parameter(
            "ext_param",
            Some("must be JSON text"),
        ));
    }
    Ok(TagRequest { record })
}

/// An Alipay user id as the sandbox knows them: `2088` followed by 12 digits.
pub(crate) fn is_alipay_user_id(id: &str) -> bool {
    id.len() == 16 && id.starts_with("2088") && id.bytes().all(|b| b.is_ascii_digit())
}

/// Tags the user, or answers the vendor's "account not found" shape.
pub(crate) fn apply(req: TagRequest, tx: &mut Tx<'_>) -> Fields {
    let record = req.record;
    let registered = |kind: AccountKind, id: &Option<String>| {
        id.as_ref()
            .and_then(|id| tx.data.accounts.get(&(kind, id.clone())))
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
    tx.push_tag(record);
    tx.count(Counter::Applied, Api::RetailTag);
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
