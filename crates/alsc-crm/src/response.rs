//! The response of `alibaba.alsc.crm.customer.create` (docs/protocol.md §7.4).

use serde::{Deserialize, Serialize};
use top_core::params::is_blank;
use top_core::{BusinessError, TopResponse};

/// The answer of `alibaba.alsc.crm.customer.create`
/// (envelope `alibaba_alsc_crm_customer_create_response`).
///
/// `result.biz_success=false` is a failure: the client returns [`top_core::Error::Business`]
/// with `result_code` and `result_desc` (or `result_view`), and this response stays reachable
/// through `BusinessError::response::<AlibabaAlscCrmCustomerCreateResponse>()`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlibabaAlscCrmCustomerCreateResponse {
    /// `result` (`CommonResult`): the outcome.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<CommonResult>,
    /// The platform `request_id`.
    #[serde(
        default,
        deserialize_with = "top_core::de::lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub request_id: Option<String>,
}

impl AlibabaAlscCrmCustomerCreateResponse {
    /// The new customer's id, `result.result`.
    pub fn customer_id(&self) -> Option<&str> {
        self.result.as_ref()?.result.as_deref()
    }
}

/// `CommonResult`: the outcome of the call.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommonResult {
    /// `result`: the new customer id (顾客ID), e.g. `20193846534522344567`. Read leniently:
    /// a string, a number or a boolean is kept as text (sibling APIs send `true` here).
    #[serde(
        default,
        deserialize_with = "top_core::de::lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub result: Option<String>,
    /// `result_code`: the result code, e.g. `0`.
    #[serde(
        default,
        deserialize_with = "top_core::de::lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub result_code: Option<String>,
    /// `result_desc`: a short description, e.g. `处理成功`.
    #[serde(
        default,
        deserialize_with = "top_core::de::lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub result_desc: Option<String>,
    /// `result_view`: a description for display, e.g. `处理成功`.
    #[serde(
        default,
        deserialize_with = "top_core::de::lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub result_view: Option<String>,
    /// `biz_success`: whether the call succeeded.
    #[serde(
        default,
        deserialize_with = "top_core::de::lenient_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub biz_success: Option<bool>,
}

impl TopResponse for AlibabaAlscCrmCustomerCreateResponse {
    /// `result.biz_success=false`: `result_code`, and `result_desc` or else `result_view`.
    fn business_error(&self) -> Option<BusinessError> {
        let result = self.result.as_ref()?;
        (result.biz_success == Some(false)).then(|| {
            let message = [&result.result_desc, &result.result_view]
                .into_iter()
                .find_map(|m| m.as_deref().filter(|m| !is_blank(m)))
                .map(str::to_owned);
            BusinessError::new(result.result_code.clone(), message)
                .with_request_id(self.request_id.clone())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn result_is_read_leniently() {
        for (json, expected) in [
            (
                r#"{"result":{"result":"20193846534522344567"}}"#,
                "20193846534522344567",
            ),
            (r#"{"result":{"result":true}}"#, "true"),
            (
                r#"{"result":{"result":9007199254740993}}"#,
                "9007199254740993",
            ),
        ] {
            let r: AlibabaAlscCrmCustomerCreateResponse = serde_json::from_str(json).unwrap();
            assert_eq!(r.customer_id(), Some(expected), "{json}");
        }
    }

    #[test]
    fn failure_rules() {
        let response = |biz_success, desc: Option<&str>| AlibabaAlscCrmCustomerCreateResponse {
            result: Some(CommonResult {
                result: None,
                result_code: Some("CUSTOMER_EXIST".into()),
                result_desc: desc.map(Into::into),
                result_view: Some("该手机号已是顾客".into()),
                biz_success,
            }),
            request_id: Some("rid".into()),
        };
        assert!(response(Some(true), None).business_error().is_none());
        assert!(response(None, None).business_error().is_none());
        let e = response(Some(false), Some("顾客已存在"))
            .business_error()
            .unwrap();
        assert_eq!(
            (
                e.code.as_deref(),
                e.message.as_deref(),
                e.retryable,
                e.request_id.as_deref()
            ),
            (
                Some("CUSTOMER_EXIST"),
                Some("顾客已存在"),
                false,
                Some("rid")
            )
        );
        let e = response(Some(false), Some(" ")).business_error().unwrap();
        assert_eq!(e.message.as_deref(), Some("该手机号已是顾客"));
    }
}
