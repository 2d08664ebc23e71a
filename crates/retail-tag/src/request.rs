//! The request of `taobao.retail.user.tag.mobile.add` (docs/protocol.md §7.1).

use serde::{Deserialize, Serialize};
use top_core::params::is_blank;
use top_core::{TopRequest, ValidationError};

use crate::response::RetailUserTagMobileAddResponse;

/// Longest accepted `biz_code`, `isv_user_id`, `open_id` and `alipay_user_id`, in characters.
pub const MAX_ID_CHARS: usize = 128;
/// Longest accepted `ext_param`, in characters.
pub const MAX_EXT_PARAM_CHARS: usize = 4096;

/// `taobao.retail.user.tag.mobile.add` (根据手机号或者支付宝id进行用户打标): tags a user,
/// identified by an external user id, an open id or an Alipay user id.
///
/// Every parameter is a plain top-level string and optional on the vendor page; this SDK
/// requires at least one of `isv_user_id`, `open_id` and `alipay_user_id` (a call with none
/// identifies nobody). Unset and blank values are not sent.
///
/// ```
/// use retail_tag::RetailUserTagMobileAddRequest;
/// use top_core::TopRequest;
///
/// let request = RetailUserTagMobileAddRequest::new()
///     .biz_code("TEST_BIZ")
///     .alipay_user_id("2088000000000001")
///     .ext_param("{}");
/// assert!(request.validate().is_ok());
/// let params = request.params().unwrap();
/// assert_eq!(params.get("alipay_user_id"), Some("2088000000000001"));
/// assert_eq!(params.get("ext_param"), Some("{}"));
/// assert!(!params.contains("open_id"));
/// ```
#[doc(alias = "taobao.retail.user.tag.mobile.add")]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetailUserTagMobileAddRequest {
    /// `biz_code`: the business source party (业务来源方).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub biz_code: Option<String>,
    /// `isv_user_id`: the caller's unique user id (识别外部用户唯一用户ID).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub isv_user_id: Option<String>,
    /// `open_id`: the user's open id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub open_id: Option<String>,
    /// `alipay_user_id`: the user's Alipay id (支付宝ID), e.g. `2088000000000001`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alipay_user_id: Option<String>,
    /// `ext_param`: extension information, a JSON text sent verbatim (not re-encoded), e.g. `{}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ext_param: Option<String>,
}

impl RetailUserTagMobileAddRequest {
    /// An empty request; set at least one of `isv_user_id`, `open_id` or `alipay_user_id`.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `biz_code`.
    pub fn biz_code(mut self, biz_code: impl Into<String>) -> Self {
        self.biz_code = Some(biz_code.into());
        self
    }

    /// Sets `isv_user_id`.
    pub fn isv_user_id(mut self, isv_user_id: impl Into<String>) -> Self {
        self.isv_user_id = Some(isv_user_id.into());
        self
    }

    /// Sets `open_id`.
    pub fn open_id(mut self, open_id: impl Into<String>) -> Self {
        self.open_id = Some(open_id.into());
        self
    }

    /// Sets `alipay_user_id`.
    pub fn alipay_user_id(mut self, alipay_user_id: impl Into<String>) -> Self {
        self.alipay_user_id = Some(alipay_user_id.into());
        self
    }

    /// Sets `ext_param`, a JSON text sent as it is.
    pub fn ext_param(mut self, ext_param: impl Into<String>) -> Self {
        self.ext_param = Some(ext_param.into());
        self
    }
}

/// The value when it is set and not blank (blank values are never sent).
fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !is_blank(v))
}

fn max_chars(
    field: &'static str,
    value: &Option<String>,
    max: usize,
) -> Result<(), ValidationError> {
    present(value).map_or(Ok(()), |v| ValidationError::check_max_chars(field, v, max))
}

impl TopRequest for RetailUserTagMobileAddRequest {
    const METHOD: &'static str = "taobao.retail.user.tag.mobile.add";
    type Response = RetailUserTagMobileAddResponse;

    /// At least one of `isv_user_id`, `open_id`, `alipay_user_id`; ids at most
    /// [`MAX_ID_CHARS`]; `ext_param` a JSON text of at most [`MAX_EXT_PARAM_CHARS`].
    fn validate(&self) -> Result<(), ValidationError> {
        if [&self.isv_user_id, &self.open_id, &self.alipay_user_id]
            .into_iter()
            .all(|id| present(id).is_none())
        {
            return Err(ValidationError::new(
                "isv_user_id|open_id|alipay_user_id",
                "at least one of isv_user_id, open_id or alipay_user_id is required",
            ));
        }
        max_chars("biz_code", &self.biz_code, MAX_ID_CHARS)?;
        max_chars("isv_user_id", &self.isv_user_id, MAX_ID_CHARS)?;
        max_chars("open_id", &self.open_id, MAX_ID_CHARS)?;
        max_chars("alipay_user_id", &self.alipay_user_id, MAX_ID_CHARS)?;
        max_chars("ext_param", &self.ext_param, MAX_EXT_PARAM_CHARS)?;
        if let Some(ext) = present(&self.ext_param)
            && serde_json::from_str::<serde::de::IgnoredAny>(ext).is_err()
        {
            return Err(ValidationError::new("ext_param", "must be a JSON text"));
        }
        Ok(())
    }

    /// Tagging is not documented as idempotent: never resent after an unknown outcome.
    fn retry_safe(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_set_and_non_blank_values_are_sent() {
        let p = RetailUserTagMobileAddRequest::new()
            .open_id("oid-9")
            .biz_code("  ")
            .params()
            .unwrap();
        assert_eq!(p.iter().collect::<Vec<_>>(), [("open_id", "oid-9")]);
    }

    #[test]
    fn ext_param_is_sent_verbatim() {
        let text = r#"{"k":"a&b=c+d%20e 中"}"#;
        let p = RetailUserTagMobileAddRequest::new()
            .isv_user_id("u123")
            .ext_param(text)
            .params()
            .unwrap();
        assert_eq!(p.get("ext_param"), Some(text));
    }

    #[test]
    fn round_trips_through_serde() {
        let r = RetailUserTagMobileAddRequest::new()
            .alipay_user_id("2088000000000001")
            .ext_param("{}");
        let text = serde_json::to_string(&r).unwrap();
        assert_eq!(
            text,
            r#"{"alipay_user_id":"2088000000000001","ext_param":"{}"}"#
        );
        assert_eq!(
            serde_json::from_str::<RetailUserTagMobileAddRequest>(&text).unwrap(),
            r
        );
    }
}
