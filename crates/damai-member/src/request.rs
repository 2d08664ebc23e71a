//! The request of `alibaba.damai.maizuo.openapi.user.register.byauthcode` (docs/protocol.md §7.3).

use std::ops::RangeInclusive;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use top_core::de::CodeText;
use top_core::params::is_blank;
use top_core::{Mobile, Sensitive, TopRequest, ValidationError};

use crate::response::AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeResponse;

/// Accepted length of the SMS `auth_code`, in ASCII digits.
pub const AUTH_CODE_DIGITS: RangeInclusive<usize> = 4..=8;
/// Accepted length of `user_login_password`, in characters.
pub const PASSWORD_CHARS: RangeInclusive<usize> = 6..=32;
/// Longest accepted `ptnr_token`, `tenant_token` and `channel_token`, in characters.
pub const MAX_TOKEN_CHARS: usize = 256;

/// `alibaba.damai.maizuo.openapi.user.register.byauthcode` (用户注册-验证码方式): registers a
/// Damai (大麦) member, or changes a member's password, with an SMS verification code.
///
/// One business parameter, `param0`, sent as a JSON text. The SMS code is single-use, so
/// the call is **not** [retry-safe](TopRequest::retry_safe): a timed-out call is never resent.
///
/// ```
/// use damai_member::{
///     AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeRequest, CodeType, UserRegisterByAuthCodeParam,
/// };
/// use top_core::TopRequest;
///
/// let request = AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeRequest::new(
///     UserRegisterByAuthCodeParam::new(
///         "13900004567",
///         "726311",
///         "QWA1q2w3e4r",
///         CodeType::Register,
///         "St5dnxCv1KtwpNaDzuE459yus3m6F7FEG+2",
///         "A9UJj/8SWB5xLq54Tn623qFzG+2u39r5xP5icq",
///         "XYJ72Idfk1231+mCzqSXZLWtCnikX/Vn",
///     ),
/// );
/// assert!(request.validate().is_ok());
/// // Debug shows neither the secrets nor the full mobile number.
/// let debug = format!("{request:?}");
/// assert!(!debug.contains("QWA1q2w3e4r") && !debug.contains("726311") && !debug.contains("13900004567"));
/// ```
#[doc(alias = "alibaba.damai.maizuo.openapi.user.register.byauthcode")]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeRequest {
    /// `param0` (`UserRegisterByAuthCodeParam`, required).
    pub param0: UserRegisterByAuthCodeParam,
}

impl AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeRequest {
    /// The call.
    pub fn new(param0: UserRegisterByAuthCodeParam) -> Self {
        AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeRequest { param0 }
    }
}

impl TopRequest for AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeRequest {
    const METHOD: &'static str = "alibaba.damai.maizuo.openapi.user.register.byauthcode";
    type Response = AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeResponse;

    /// See [`UserRegisterByAuthCodeParam::validate`].
    fn validate(&self) -> Result<(), ValidationError> {
        self.param0.validate()
    }

    /// The SMS code is single-use and the API documents no idempotency key: never resent
    /// after an unknown outcome.
    fn retry_safe(&self) -> bool {
        false
    }
}

/// `UserRegisterByAuthCodeParam` (会员注册by验证码参数对象). Every member is required.
///
/// The password, the SMS code and the three provider tokens are [`Sensitive`] (`Debug`
/// prints `***`), the phone is a [`Mobile`] (`Debug` prints `139****4567`); serialization,
/// i.e. the request sent, carries the real values.
///
/// Members are declared in the official SDK's JSON order (alphabetical).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserRegisterByAuthCodeParam {
    /// `auth_code`: the SMS verification code (手机验证码), e.g. `726311`.
    pub auth_code: Sensitive<String>,
    /// `channel_token`: the channel token issued by the API provider.
    pub channel_token: Sensitive<String>,
    /// `code_type`: what the code was sent for (`1` register, `2` change password).
    pub code_type: CodeType,
    /// `ptnr_token`: the partner token issued by the API provider.
    pub ptnr_token: Sensitive<String>,
    /// `tenant_token`: the tenant token issued by the API provider.
    pub tenant_token: Sensitive<String>,
    /// `user_login_password`: the member's login password (会员登录密码).
    pub user_login_password: Sensitive<String>,
    /// `user_phone`: the member's mobile number, also the login name (会员手机号).
    pub user_phone: Mobile,
}

impl UserRegisterByAuthCodeParam {
    /// The parameter object; every member is required.
    pub fn new(
        user_phone: impl Into<Mobile>,
        auth_code: impl Into<Sensitive<String>>,
        user_login_password: impl Into<Sensitive<String>>,
        code_type: CodeType,
        ptnr_token: impl Into<Sensitive<String>>,
        tenant_token: impl Into<Sensitive<String>>,
        channel_token: impl Into<Sensitive<String>>,
    ) -> Self {
        UserRegisterByAuthCodeParam {
            auth_code: auth_code.into(),
            channel_token: channel_token.into(),
            code_type,
            ptnr_token: ptnr_token.into(),
            tenant_token: tenant_token.into(),
            user_login_password: user_login_password.into(),
            user_phone: user_phone.into(),
        }
    }

    /// Checks the members; errors name the wire path (`param0.auth_code`) and never the value:
    ///
    /// - `user_phone` an 11-digit mainland China mobile number;
    /// - `auth_code` 4 to 8 ASCII digits ([`AUTH_CODE_DIGITS`]);
    /// - `user_login_password` 6 to 32 characters ([`PASSWORD_CHARS`]), no whitespace;
    /// - `ptnr_token`, `tenant_token`, `channel_token` not blank, at most
    ///   [`MAX_TOKEN_CHARS`] characters.
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.user_phone.validate("param0.user_phone")?;

        let code = self.auth_code.expose();
        if !AUTH_CODE_DIGITS.contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ValidationError::new(
                "param0.auth_code",
                "must be the SMS code: 4 to 8 ASCII digits",
            ));
        }

        let password = self.user_login_password.expose();
        if is_blank(password) {
            return Err(ValidationError::required("param0.user_login_password"));
        }
        if !PASSWORD_CHARS.contains(&password.chars().count()) {
            return Err(ValidationError::new(
                "param0.user_login_password",
                "must be 6 to 32 characters",
            ));
        }
        if password.chars().any(char::is_whitespace) {
            return Err(ValidationError::new(
                "param0.user_login_password",
                "must not contain whitespace",
            ));
        }

        token(&self.ptnr_token, "param0.ptnr_token")?;
        token(&self.tenant_token, "param0.tenant_token")?;
        token(&self.channel_token, "param0.channel_token")
    }
}

fn token(value: &Sensitive<String>, field: &'static str) -> Result<(), ValidationError> {
    ValidationError::check_required_max(field, value.expose(), MAX_TOKEN_CHARS)
}

/// `code_type`: what the SMS code was issued for (验证码类型).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[repr(u8)]
pub enum CodeType {
    /// `1`: registration (注册).
    Register = 1,
    /// `2`: password change (修改密码).
    ChangePassword = 2,
}

impl CodeType {
    /// The wire code.
    pub fn code(self) -> u8 {
        self as u8
    }
}

impl TryFrom<u8> for CodeType {
    type Error = ValidationError;

    fn try_from(code: u8) -> Result<Self, Self::Error> {
        match code {
            1 => Ok(CodeType::Register),
            2 => Ok(CodeType::ChangePassword),
            _ => Err(ValidationError::new(
                "code_type",
                "must be 1 (register) or 2 (change password)",
            )),
        }
    }
}

/// The JSON number `1` or `2`.
impl Serialize for CodeType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u8(self.code())
    }
}

/// `1`/`2` or `"1"`/`"2"`.
impl<'de> Deserialize<'de> for CodeType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let code: Option<u8> = CodeText::deserialize(d)?.0.parse().ok();
        code.and_then(|c| CodeType::try_from(c).ok())
            .ok_or_else(|| {
                serde::de::Error::custom("expected code_type 1 (register) or 2 (change password)")
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn param() -> UserRegisterByAuthCodeParam {
        UserRegisterByAuthCodeParam::new(
            "13900004567",
            "726311",
            "QWA1q2w3e4r",
            CodeType::Register,
            "St5dnxCv1KtwpNaDzuE459yus3m6F7FEG+2",
            "A9UJj/8SWB5xLq54Tn623qFzG+2u39r5xP5icq",
            "XYJ72Idfk1231+mCzqSXZLWtCnikX/Vn",
        )
    }

    #[test]
    fn serializes_real_values_in_sdk_order() {
        assert_eq!(
            serde_json::to_string(&param()).unwrap(),
            r#"{"auth_code":"726311","channel_token":"XYJ72Idfk1231+mCzqSXZLWtCnikX/Vn","code_type":1,"ptnr_token":"St5dnxCv1KtwpNaDzuE459yus3m6F7FEG+2","tenant_token":"A9UJj/8SWB5xLq54Tn623qFzG+2u39r5xP5icq","user_login_password":"QWA1q2w3e4r","user_phone":"13900004567"}"#
        );
    }

    #[test]
    fn round_trips() {
        let text = serde_json::to_string(&param()).unwrap();
        assert_eq!(
            serde_json::from_str::<UserRegisterByAuthCodeParam>(&text).unwrap(),
            param()
        );
    }

    #[test]
    fn code_type_on_the_wire() {
        assert_eq!(
            serde_json::to_string(&CodeType::ChangePassword).unwrap(),
            "2"
        );
        assert_eq!(
            serde_json::from_str::<CodeType>("\"1\"").unwrap(),
            CodeType::Register
        );
        assert_eq!(
            serde_json::from_str::<CodeType>("2").unwrap(),
            CodeType::ChangePassword
        );
        assert!(serde_json::from_str::<CodeType>("3").is_err());
        assert!(CodeType::try_from(0).is_err());
    }

    #[test]
    fn limits_are_inclusive() {
        let mut p = param();
        for code in ["1234", "12345678"] {
            p.auth_code = code.into();
            assert!(p.validate().is_ok(), "{code}");
        }
        for password in ["a1b2c3", "密码密码密码", &"x".repeat(32)] {
            p.user_login_password = password.into();
            assert!(p.validate().is_ok());
        }
        p.ptnr_token = "t".repeat(MAX_TOKEN_CHARS).into();
        assert!(p.validate().is_ok());
    }
}
