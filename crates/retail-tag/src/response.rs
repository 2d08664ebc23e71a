//! The response of `taobao.retail.user.tag.mobile.add` (docs/protocol.md §7.1).

use serde::{Deserialize, Serialize};
use top_core::params::is_blank;
use top_core::{BusinessError, TopResponse};

/// The answer of `taobao.retail.user.tag.mobile.add`
/// (envelope `retail_user_tag_mobile_add_response`).
///
/// A call failed when `result` is `false` or `module.tag_success` is `false`; the client then
/// returns [`top_core::Error::Business`] with the code and message of the first `error_infos`
/// entry, and this response stays reachable through
/// `BusinessError::response::<RetailUserTagMobileAddResponse>()`. When `result` is `true`,
/// `error_infos` are diagnostics only (the vendor's own sample reports
/// `NOT_FIND_TAOBAO_ACCOUNT` next to a successful tag).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetailUserTagMobileAddResponse {
    /// `error_infos`: errors or diagnostics (`ErrorInfo[]`; `{"error_info":[..]}` when not
    /// simplified).
    #[serde(
        default,
        deserialize_with = "top_core::de::list",
        skip_serializing_if = "Option::is_none"
    )]
    pub error_infos: Option<Vec<ErrorInfo>>,
    /// `module`: the tagging outcome.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub module: Option<UserTagInfoResponseDto>,
    /// `result`: the overall result.
    #[serde(
        default,
        deserialize_with = "top_core::de::lenient_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub result: Option<bool>,
    /// The platform `request_id`.
    #[serde(
        default,
        deserialize_with = "top_core::de::lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub request_id: Option<String>,
}

/// One entry of `error_infos` (`ErrorInfo`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorInfo {
    /// `outer_error_code`, e.g. `SERVICE_ERROR:NOT_FIND_TAOBAO_ACCOUNT:NOT_FIND_TAOBAO_ACCOUNT`.
    #[serde(
        default,
        deserialize_with = "top_core::de::lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub outer_error_code: Option<String>,
    /// `error_message`, e.g. `未查询到淘宝账号:_*****_*****`.
    #[serde(
        default,
        deserialize_with = "top_core::de::lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub error_message: Option<String>,
    /// `error_code`, e.g. `isv.invalid-parameter:` or `isp.system-service-error::…`.
    #[serde(
        default,
        deserialize_with = "top_core::de::lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub error_code: Option<String>,
    /// `sub_error_code`, e.g. `NOT_FIND_TAOBAO_ACCOUNT` (often empty).
    #[serde(
        default,
        deserialize_with = "top_core::de::lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub sub_error_code: Option<String>,
}

impl ErrorInfo {
    /// The most specific code: `sub_error_code`, else `error_code`, else `outer_error_code`
    /// (blank values skipped).
    pub fn code(&self) -> Option<&str> {
        [
            &self.sub_error_code,
            &self.error_code,
            &self.outer_error_code,
        ]
        .into_iter()
        .find_map(|c| c.as_deref().filter(|c| !is_blank(c)))
    }
}

/// `module` (`UserTagInfoResponseDTO`): the tagging outcome.
#[doc(alias = "UserTagInfoResponseDTO")]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserTagInfoResponseDto {
    /// `tag_success`: whether the user was tagged.
    #[serde(
        default,
        deserialize_with = "top_core::de::lenient_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub tag_success: Option<bool>,
    /// `social_nick`: the user's nick, masked by the service (`t*********3`).
    #[serde(
        default,
        deserialize_with = "top_core::de::lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub social_nick: Option<String>,
    /// `use_type`: which identifier the tag was based on, e.g. `tbId`.
    #[serde(
        default,
        deserialize_with = "top_core::de::lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub use_type: Option<String>,
}

impl RetailUserTagMobileAddResponse {
    /// Whether the call reports a failure: `result=false` or `module.tag_success=false`.
    pub fn is_failure(&self) -> bool {
        self.result == Some(false)
            || self.module.as_ref().and_then(|m| m.tag_success) == Some(false)
    }

    /// The `error_infos` entries (empty when there are none).
    pub fn errors(&self) -> &[ErrorInfo] {
        self.error_infos.as_deref().unwrap_or_default()
    }
}

impl TopResponse for RetailUserTagMobileAddResponse {
    /// `result=false` or `module.tag_success=false`; code and message from the first
    /// `error_infos` entry (`sub_error_code`, else `error_code`; `error_message`).
    fn business_error(&self) -> Option<BusinessError> {
        if !self.is_failure() {
            return None;
        }
        let first = self.errors().first();
        let code = first.and_then(ErrorInfo::code).map(str::to_owned);
        let message = first
            .and_then(|e| e.error_message.as_deref())
            .filter(|m| !is_blank(m))
            .map(str::to_owned);
        Some(BusinessError::new(code, message).with_request_id(self.request_id.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(sub: &str, code: &str, msg: &str) -> ErrorInfo {
        ErrorInfo {
            outer_error_code: Some("OUTER".into()),
            error_message: Some(msg.into()),
            error_code: Some(code.into()),
            sub_error_code: Some(sub.into()),
        }
    }

    #[test]
    fn failure_rules() {
        let ok = RetailUserTagMobileAddResponse {
            error_infos: Some(vec![info("NOT_FOUND", "isp.x", "m")]),
            result: Some(true),
            ..Default::default()
        };
        assert!(ok.business_error().is_none(), "diagnostics only");

        let failed = RetailUserTagMobileAddResponse {
            error_infos: Some(vec![info("", "isv.invalid-parameter:", "输入参数错误")]),
            result: Some(false),
            request_id: Some("rid".into()),
            ..Default::default()
        };
        let e = failed.business_error().unwrap();
        assert_eq!(e.code.as_deref(), Some("isv.invalid-parameter:"));
        assert_eq!(e.message.as_deref(), Some("输入参数错误"));
        assert_eq!(e.request_id.as_deref(), Some("rid"));
        assert!(!e.retryable);

        let untagged = RetailUserTagMobileAddResponse {
            module: Some(UserTagInfoResponseDto {
                tag_success: Some(false),
                ..Default::default()
            }),
            result: Some(true),
            ..Default::default()
        };
        let e = untagged.business_error().unwrap();
        assert_eq!((e.code, e.message), (None, None));

        assert!(
            RetailUserTagMobileAddResponse::default()
                .business_error()
                .is_none()
        );
    }

    #[test]
    fn sub_error_code_wins() {
        assert_eq!(info("SUB", "CODE", "m").code(), Some("SUB"));
        assert_eq!(info(" ", "CODE", "m").code(), Some("CODE"));
        assert_eq!(info("", "", "m").code(), Some("OUTER"));
    }
}
