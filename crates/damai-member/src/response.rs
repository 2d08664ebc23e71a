//! The response of `alibaba.damai.maizuo.openapi.user.register.byauthcode` (docs/protocol.md §7.3).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};
use top_core::{BusinessError, Sensitive, TopResponse, mask_mobile};

/// The answer of `alibaba.damai.maizuo.openapi.user.register.byauthcode`
/// (envelope `alibaba_damai_maizuo_openapi_user_register_byauthcode_response`).
///
/// `result.success=false` is a failure: the client returns [`top_core::Error::Business`] with
/// `result_code` (as text) and `result_msg`, and this response stays reachable through
/// `BusinessError::response::<AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeResponse>()`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeResponse {
    /// `result` (`ResultData`): the outcome.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<ResultData>,
    /// The platform `request_id`.
    #[serde(
        default,
        deserialize_with = "top_core::de::lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub request_id: Option<String>,
}

impl AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeResponse {
    /// The registered member, `result.data`.
    pub fn member(&self) -> Option<&UserRegisterVo> {
        self.result.as_ref()?.data.as_ref()
    }
}

/// `ResultData`: the outcome of the call.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultData {
    /// `result_msg`: the result description, e.g. `成功`.
    #[serde(
        default,
        deserialize_with = "top_core::de::lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub result_msg: Option<String>,
    /// `data` (`UserRegisterVo`): the member. Nested in `result` (the vendor page draws it
    /// one level up; the sibling APIs' `ResultData` holds it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<UserRegisterVo>,
    /// `result_code`: the result status code, e.g. `201` (not enumerated by the vendor).
    #[serde(
        default,
        deserialize_with = "top_core::de::lenient_i64",
        skip_serializing_if = "Option::is_none"
    )]
    pub result_code: Option<i64>,
    /// `success`: whether the call succeeded.
    #[serde(
        default,
        deserialize_with = "top_core::de::lenient_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub success: Option<bool>,
}

/// `UserRegisterVo`: the registered member.
///
/// `Debug` prints `user_token` as `***` and `user_phone` masked (`136****1234`).
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRegisterVo {
    /// `user_token`: the member's login token (secret).
    #[serde(
        default,
        deserialize_with = "lenient_sensitive",
        skip_serializing_if = "Option::is_none"
    )]
    pub user_token: Option<Sensitive<String>>,
    /// `user_icon`: avatar URL.
    #[serde(
        default,
        deserialize_with = "top_core::de::lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub user_icon: Option<String>,
    /// `user_phone`: the member's mobile number as the service returns it (possibly masked,
    /// e.g. `136xxxx1234`).
    #[serde(
        default,
        deserialize_with = "top_core::de::lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub user_phone: Option<String>,
    /// `user_name`: the member's name (e.g. `赢x`).
    #[serde(
        default,
        deserialize_with = "top_core::de::lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub user_name: Option<String>,
    /// `user_id`: the member id, e.g. `2313112`.
    #[serde(
        default,
        deserialize_with = "top_core::de::lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub user_id: Option<String>,
}

/// The token as `***`, the phone masked.
impl fmt::Debug for UserRegisterVo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserRegisterVo")
            .field("user_token", &self.user_token)
            .field("user_icon", &self.user_icon)
            .field("user_phone", &self.user_phone.as_deref().map(mask_mobile))
            .field("user_name", &self.user_name)
            .field("user_id", &self.user_id)
            .finish()
    }
}

fn lenient_sensitive<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Sensitive<String>>, D::Error> {
    Ok(top_core::de::lenient_string(d)?.map(Sensitive::new))
}

impl TopResponse for AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeResponse {
    /// `result.success=false`: `result_code` as text, `result_msg`.
    fn business_error(&self) -> Option<BusinessError> {
        let result = self.result.as_ref()?;
        (result.success == Some(false)).then(|| {
            BusinessError::new(
                result.result_code.map(|c| c.to_string()),
                result.result_msg.clone(),
            )
            .with_request_id(self.request_id.clone())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failure_rules() {
        let response = |success| AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeResponse {
            result: Some(ResultData {
                result_msg: Some("验证码错误".into()),
                data: None,
                result_code: Some(4001),
                success,
            }),
            request_id: Some("rid".into()),
        };
        assert!(response(Some(true)).business_error().is_none());
        assert!(response(None).business_error().is_none());
        let e = response(Some(false)).business_error().unwrap();
        assert_eq!(
            (
                e.code.as_deref(),
                e.message.as_deref(),
                e.retryable,
                e.request_id.as_deref()
            ),
            (Some("4001"), Some("验证码错误"), false, Some("rid"))
        );
    }

    #[test]
    fn debug_hides_the_token_and_the_phone() {
        let member = UserRegisterVo {
            user_token: Some(Sensitive::new("J72Idfk1231+mCzqSXZLWt".into())),
            user_phone: Some("13900004567".into()),
            ..Default::default()
        };
        let text = format!("{member:?}");
        assert!(
            !text.contains("J72Idfk1231") && !text.contains("13900004567"),
            "{text}"
        );
        assert!(text.contains("139****4567"), "{text}");
    }
}
