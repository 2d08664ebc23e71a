//! The response of `taobao.logistics.express.user.blacklist.tms.sync` (docs/protocol.md §7.2).

use serde::{Deserialize, Serialize};
use top_core::{BusinessError, TopResponse};

/// The answer of `taobao.logistics.express.user.blacklist.tms.sync`
/// (envelope `logistics_express_user_blacklist_tms_sync_response`).
///
/// `user_blacklist_response.success=false` is a failure: the client returns
/// [`top_core::Error::Business`] with `code` and `message`, retryable when `is_retry=true`
/// (and, the request being retry-safe, the client already resent it within its retry
/// policy). The typed response stays reachable through
/// `BusinessError::response::<LogisticsExpressUserBlacklistTmsSyncResponse>()`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogisticsExpressUserBlacklistTmsSyncResponse {
    /// `user_blacklist_response`: the outcome.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_blacklist_response: Option<UserBlacklistResponse>,
    /// The platform `request_id`.
    #[serde(
        default,
        deserialize_with = "top_core::de::lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub request_id: Option<String>,
}

/// `UserBlacklistResponse`: the outcome of a batch.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserBlacklistResponse {
    /// `success`: whether the batch was applied (系统成功失败).
    #[serde(
        default,
        deserialize_with = "top_core::de::lenient_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub success: Option<bool>,
    /// `code`: the result code, e.g. `200`.
    #[serde(
        default,
        deserialize_with = "top_core::de::lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub code: Option<String>,
    /// `message`: the result message, e.g. `SUCCESS`.
    #[serde(
        default,
        deserialize_with = "top_core::de::lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub message: Option<String>,
    /// `is_retry`: whether the caller may retry the batch (是否可重试).
    #[serde(
        default,
        deserialize_with = "top_core::de::lenient_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_retry: Option<bool>,
}

impl TopResponse for LogisticsExpressUserBlacklistTmsSyncResponse {
    /// `success=false`: `code`, `message`, retryable when `is_retry=true`.
    fn business_error(&self) -> Option<BusinessError> {
        let outcome = self.user_blacklist_response.as_ref()?;
        (outcome.success == Some(false)).then(|| {
            BusinessError::new(outcome.code.clone(), outcome.message.clone())
                .with_retryable(outcome.is_retry == Some(true))
                .with_request_id(self.request_id.clone())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failure_rules() {
        let response = |success, is_retry| LogisticsExpressUserBlacklistTmsSyncResponse {
            user_blacklist_response: Some(UserBlacklistResponse {
                success,
                code: Some("500".into()),
                message: Some("busy".into()),
                is_retry,
            }),
            request_id: Some("rid".into()),
        };
        assert!(response(Some(true), None).business_error().is_none());
        assert!(response(None, None).business_error().is_none());
        assert!(
            LogisticsExpressUserBlacklistTmsSyncResponse::default()
                .business_error()
                .is_none()
        );
        let e = response(Some(false), Some(true)).business_error().unwrap();
        assert_eq!(
            (
                e.code.as_deref(),
                e.message.as_deref(),
                e.retryable,
                e.request_id.as_deref()
            ),
            (Some("500"), Some("busy"), true, Some("rid"))
        );
        assert!(
            !response(Some(false), Some(false))
                .business_error()
                .unwrap()
                .retryable
        );
        assert!(
            !response(Some(false), None)
                .business_error()
                .unwrap()
                .retryable
        );
    }
}
