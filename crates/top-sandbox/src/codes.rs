//! The router's `error_response` catalogue: every code the sandbox answers, in one place.

use std::fmt;

/// `sub_code` of an invalid business value (the vendor pages' error template).
pub(crate) const INVALID_PARAMETER: &str = "isv.invalid-parameter";
/// `sub_code` of a missing business value.
pub(crate) const MISSING_PARAMETER: &str = "isv.missing-parameter";

/// One `error_response`: code, msg and the optional sub_code / sub_msg.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TopError {
    pub(crate) code: u32,
    pub(crate) msg: &'static str,
    pub(crate) sub_code: Option<&'static str>,
    pub(crate) sub_msg: Option<String>,
}

impl TopError {
    fn new(code: u32, msg: &'static str) -> Self {
        TopError {
            code,
            msg,
            sub_code: None,
            sub_msg: None,
        }
    }

    fn with_sub(mut self, sub_code: &'static str, sub_msg: impl Into<String>) -> Self {
        self.sub_code = Some(sub_code);
        self.sub_msg = Some(sub_msg.into());
        self
    }

    fn with_sub_msg(mut self, sub_msg: impl Into<String>) -> Self {
        self.sub_msg = Some(sub_msg.into());
        self
    }

    /// 7: the per-app QPS window is full.
    pub(crate) fn app_call_limited(ban_seconds: u64) -> Self {
        TopError::new(7, "App Call Limited").with_sub(
            "accesscontrol.limited-by-app-access-count",
            format!("This ban will last for {ban_seconds} more seconds"),
        )
    }

    /// 9: an HTTP method other than GET or POST.
    pub(crate) fn http_action_not_allowed(method: &str) -> Self {
        TopError::new(9, "Http Action Not Allowed")
            .with_sub_msg(format!("use POST or GET, not {}", printable(method)))
    }

    /// 15: the injected transient fault, as the router reports a backend timeout.
    pub(crate) fn remote_timeout() -> Self {
        TopError::new(15, "Remote service error").with_sub(
            "isp.top-remote-connection-timeout",
            "remote service connection timed out (sandbox fault injection)",
        )
    }

    /// 21.
    pub(crate) fn missing_method() -> Self {
        TopError::new(21, "Missing Method").with_sub_msg("the method parameter is required")
    }

    /// 22.
    pub(crate) fn invalid_method(method: &str) -> Self {
        TopError::new(22, "Invalid Method")
            .with_sub_msg(format!("method {} does not exist", printable(method)))
    }

    /// 23.
    pub(crate) fn invalid_format(format: &str) -> Self {
        TopError::new(23, "Invalid Format").with_sub_msg(format!(
            "format {} is not supported (json or xml)",
            printable(format)
        ))
    }

    /// 24.
    pub(crate) fn missing_signature() -> Self {
        TopError::new(24, "Missing Signature").with_sub_msg("the sign parameter is required")
    }

    /// 25, for an unknown `sign_method` or a signature that does not match.
    pub(crate) fn invalid_signature(detail: &str) -> Self {
        TopError::new(25, "Invalid Signature").with_sub_msg(detail.to_owned())
    }

    /// 28.
    pub(crate) fn missing_app_key() -> Self {
        TopError::new(28, "Missing App Key").with_sub_msg("the app_key parameter is required")
    }

    /// 29.
    pub(crate) fn invalid_app_key() -> Self {
        TopError::new(29, "Invalid App Key").with_sub_msg("the app_key is not registered")
    }

    /// 30.
    pub(crate) fn missing_timestamp() -> Self {
        TopError::new(30, "Missing Timestamp").with_sub_msg("the timestamp parameter is required")
    }

    /// 31.
    pub(crate) fn invalid_timestamp(detail: &str) -> Self {
        TopError::new(31, "Invalid Timestamp").with_sub_msg(detail.to_owned())
    }

    /// 32.
    pub(crate) fn missing_version() -> Self {
        TopError::new(32, "Missing Version").with_sub_msg("the v parameter is required")
    }

    /// 33.
    pub(crate) fn invalid_version(v: &str) -> Self {
        TopError::new(33, "Invalid Version")
            .with_sub_msg(format!("version {} is not supported (2.0)", printable(v)))
    }

    /// 40: a required business parameter (or member of an object parameter) is absent.
    pub(crate) fn missing_argument(field: &str) -> Self {
        TopError::new(40, "Missing Required Arguments").with_sub(
            MISSING_PARAMETER,
            format!("Missing required arguments: {field}"),
        )
    }

    /// 40 for a rule across members that wants one of several (`at least one of isv_user_id,
    /// open_id, alipay_user_id is required`).
    pub(crate) fn missing_argument_because(field: &str, rule: &str) -> Self {
        TopError::new(40, "Missing Required Arguments").with_sub(
            MISSING_PARAMETER,
            format!("Missing required arguments: {field} ({rule})"),
        )
    }

    /// 41: the request itself cannot be read (body too large, malformed encoding, invalid
    /// UTF-8, a parameter sent twice with different values, an unsupported content type).
    pub(crate) fn invalid_arguments(detail: impl Into<String>) -> Self {
        TopError::new(41, "Invalid Arguments").with_sub(INVALID_PARAMETER, detail)
    }

    /// 50: a business value breaks a rule, in the vendor pages' shape (`非法参数: field`).
    pub(crate) fn invalid_parameter(field: &str, rule: Option<&str>) -> Self {
        let sub_msg = match rule {
            Some(rule) => format!("非法参数: {field} ({rule})"),
            None => format!("非法参数: {field}"),
        };
        TopError::new(50, "Remote service error").with_sub(INVALID_PARAMETER, sub_msg)
    }
}

impl fmt::Display for TopError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.code, self.msg)?;
        if let Some(sub) = self.sub_code {
            write!(f, " ({sub})")?;
        }
        Ok(())
    }
}

/// A caller-supplied value quoted in a message: at most 64 characters, no control characters.
fn printable(value: &str) -> String {
    let mut out: String = value.chars().filter(|c| !c.is_control()).take(64).collect();
    if value.chars().count() > 64 {
        out.push('…');
    }
    format!("`{out}`")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_quote_values_safely() {
        let e = TopError::invalid_method(&"x\u{0}y".repeat(40));
        let sub = e.sub_msg.unwrap_or_default();
        assert!(!sub.contains('\u{0}'));
        assert!(sub.ends_with("…` does not exist"), "{sub}");
        assert_eq!(
            TopError::invalid_parameter("a.b", None).sub_msg.as_deref(),
            Some("非法参数: a.b")
        );
        assert_eq!(
            TopError::app_call_limited(1).to_string(),
            "7 App Call Limited (accesscontrol.limited-by-app-access-count)"
        );
    }
}
