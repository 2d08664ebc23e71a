//! The router's `error_response` catalogue: every code the sandbox answers, in one place.

use std::fmt;

/// `sub_code` of an invalid business value (the vendor pages' error template).
pub(crate) const INVALID_PARAMETER: &str = "isv.invalid-parameter";
/// `sub_code` of a missing business value.
pub(crate) const MISSING_PARAMETER: &str = "isv.missing-parameter";

/// The `error_response` member (and call-log field) carrying the sandbox's explanation.
pub(crate) const HINT_MEMBER: &str = "sandbox_hint";

/// One `error_response`: code, msg and the optional sub_code / sub_msg, as the router sends
/// them, plus the sandbox's own explanation (`sandbox_hint`), kept apart so that a client
/// parsing the router's members sees exactly what TOP sends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TopError {
    pub(crate) code: u32,
    pub(crate) msg: &'static str,
    pub(crate) sub_code: Option<&'static str>,
    pub(crate) sub_msg: Option<String>,
    /// What went wrong and how to fix it, in the sandbox's words (never a secret).
    pub(crate) hint: Option<String>,
}

impl TopError {
    fn new(code: u32, msg: &'static str) -> Self {
        TopError {
            code,
            msg,
            sub_code: None,
            sub_msg: None,
            hint: None,
        }
    }

    /// Sets (or replaces) the sandbox's explanation.
    pub(crate) fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
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
        TopError::new(7, "App Call Limited")
            .with_sub(
                "accesscontrol.limited-by-app-access-count",
                format!("This ban will last for {ban_seconds} more seconds"),
            )
            .with_hint(format!(
                "more business calls of this app in one second than --qps-limit allows: wait \
             {ban_seconds} s before the next call, or lower the client's rate"
            ))
    }

    /// 9: an HTTP method other than GET or POST.
    pub(crate) fn http_action_not_allowed(method: &str) -> Self {
        TopError::new(9, "Http Action Not Allowed")
            .with_sub_msg(format!("use POST or GET, not {}", printable(method)))
            .with_hint(
                "send POST with every parameter in an application/x-www-form-urlencoded body \
                 (or GET with a query string)",
            )
    }

    /// 15: the injected transient fault, as the router reports a backend timeout.
    pub(crate) fn remote_timeout() -> Self {
        TopError::new(15, "Remote service error")
            .with_sub(
                "isp.top-remote-connection-timeout",
                "remote service connection timed out (sandbox fault injection)",
            )
            .with_hint(
                "a fault injected by --fault-rate: nothing was applied; a call with an idempotency \
             key (request_id) may be resent as it is",
            )
    }

    /// 21.
    pub(crate) fn missing_method() -> Self {
        TopError::new(21, "Missing Method")
            .with_sub_msg("the method parameter is required")
            .with_hint("send `method`, the API's name, e.g. `taobao.retail.user.tag.mobile.add`")
    }

    /// 22.
    pub(crate) fn invalid_method(method: &str) -> Self {
        TopError::new(22, "Invalid Method")
            .with_sub_msg(format!("method {} does not exist", printable(method)))
            .with_hint(
                "this sandbox serves the described methods only: those of the repository's \
                 apis/ and of --apis DIR",
            )
    }

    /// 23.
    pub(crate) fn invalid_format(format: &str) -> Self {
        TopError::new(23, "Invalid Format")
            .with_sub_msg(format!(
                "format {} is not supported (json or xml)",
                printable(format)
            ))
            .with_hint(
                "send format=json (add simplify=true for answers without the envelope) or \
             format=xml; without format the answer is XML",
            )
    }

    /// 24.
    pub(crate) fn missing_signature() -> Self {
        TopError::new(24, "Missing Signature")
            .with_sub_msg("the sign parameter is required")
            .with_hint(
                "send `sign`: the upper-case hex digest (md5, hmac or hmac-sha256, as sign_method \
                 says) of every other parameter's name and value, sorted by name",
            )
    }

    /// 25, for an unknown `sign_method` or a signature that does not match.
    pub(crate) fn invalid_signature(detail: &str) -> Self {
        TopError::new(25, "Invalid Signature").with_sub_msg(detail.to_owned())
    }

    /// 28.
    pub(crate) fn missing_app_key() -> Self {
        TopError::new(28, "Missing App Key")
            .with_sub_msg("the app_key parameter is required")
            .with_hint(format!(
                "send `app_key`; the sandbox's demo app is {}",
                crate::DEMO_APP_KEY
            ))
    }

    /// 29.
    pub(crate) fn invalid_app_key() -> Self {
        TopError::new(29, "Invalid App Key")
            .with_sub_msg("the app_key is not registered")
            .with_hint(format!(
                "this app_key is not registered in the sandbox: use the demo app {} or add apps \
                 with TOP_SANDBOX_APPS=key:secret (SandboxBuilder::app in process)",
                crate::DEMO_APP_KEY
            ))
    }

    /// 30.
    pub(crate) fn missing_timestamp() -> Self {
        TopError::new(30, "Missing Timestamp")
            .with_sub_msg("the timestamp parameter is required")
            .with_hint("send `timestamp`: the current time in GMT+8 as `yyyy-MM-dd HH:mm:ss`")
    }

    /// 31.
    pub(crate) fn invalid_timestamp(detail: &str) -> Self {
        TopError::new(31, "Invalid Timestamp").with_sub_msg(detail.to_owned())
    }

    /// 32.
    pub(crate) fn missing_version() -> Self {
        TopError::new(32, "Missing Version")
            .with_sub_msg("the v parameter is required")
            .with_hint("send v=2.0")
    }

    /// 33.
    pub(crate) fn invalid_version(v: &str) -> Self {
        TopError::new(33, "Invalid Version")
            .with_sub_msg(format!("version {} is not supported (2.0)", printable(v)))
            .with_hint("send v=2.0, the only version TOP serves")
    }

    /// 40: a required business parameter (or member of an object parameter) is absent.
    pub(crate) fn missing_argument(field: &str) -> Self {
        TopError::new(40, "Missing Required Arguments")
            .with_sub(
                MISSING_PARAMETER,
                format!("Missing required arguments: {field}"),
            )
            .with_hint(format!(
                "`{field}` is required and was not sent, or was blank (empty and \
                 whitespace-only values are dropped, as TOP drops them)"
            ))
    }

    /// 40 for a rule across members that wants one of several (`at least one of isv_user_id,
    /// open_id, alipay_user_id is required`).
    pub(crate) fn missing_argument_because(field: &str, rule: &str) -> Self {
        TopError::new(40, "Missing Required Arguments")
            .with_sub(
                MISSING_PARAMETER,
                format!("Missing required arguments: {field} ({rule})"),
            )
            .with_hint(format!(
                "{rule}: send one of them with a value that is not blank"
            ))
    }

    /// 41: the request itself cannot be read (body too large, malformed encoding, invalid
    /// UTF-8, a parameter sent twice with different values, an unsupported content type).
    pub(crate) fn invalid_arguments(detail: impl Into<String>) -> Self {
        TopError::new(41, "Invalid Arguments").with_sub(INVALID_PARAMETER, detail)
    }

    /// 50: a business value breaks a rule, in the vendor pages' shape (`非法参数: field`).
    pub(crate) fn invalid_parameter(field: &str, rule: Option<&str>) -> Self {
        let (sub_msg, hint) = match rule {
            Some(rule) => (
                format!("非法参数: {field} ({rule})"),
                format!("`{field}` {rule}"),
            ),
            None => (
                format!("非法参数: {field}"),
                format!("`{field}` is not valid"),
            ),
        };
        TopError::new(50, "Remote service error")
            .with_sub(INVALID_PARAMETER, sub_msg)
            .with_hint(hint)
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
