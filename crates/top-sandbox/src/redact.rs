//! Parameter values fit to show in the call log, on the page and in explanations: secrets
//! hidden, mobile numbers masked. The rules are the project's: top-core's redaction (secret
//! member names, mobile masking) plus the description's `redact = "secret"` and
//! `redact = "mobile"` markers.

use serde_json::Value;
use top_model::Description;
use top_model::overlay::Redact;

/// What a hidden secret shows as.
pub(crate) const HIDDEN: &str = "***";

/// A value as it may be shown. `sign`, `session` and every parameter the description or
/// top-core's name rule calls secret become `***`; inside a JSON text, secret members become
/// `***` (the text is then rewritten) and mobile numbers are masked, keeping the text as sent
/// when nothing secret is inside.
pub(crate) fn param_value(name: &str, value: &str, description: Option<&Description>) -> String {
    if name == "sign" || secret_name(name) || marker(description, name) == Some(Redact::Secret) {
        return HIDDEN.to_owned();
    }
    if marker(description, name) == Some(Redact::Mobile) {
        return top_core::mask_mobile(value.trim());
    }
    let trimmed = value.trim_start();
    if (trimmed.starts_with('{') || trimmed.starts_with('['))
        && let Ok(mut parsed) = serde_json::from_str::<Value>(value)
    {
        let mut walk = Walk {
            description,
            rewrite: false,
            path: name.to_owned(),
        };
        walk.visit(&mut parsed);
        return if walk.rewrite {
            top_core::redact_json(parsed).to_string()
        } else {
            top_core::scrub_mobiles(value)
        };
    }
    top_core::scrub_identifier(value)
}

/// `text` cut to `max` characters, saying how much was left out.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    let total = text.chars().count();
    if total <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max).collect();
    out.push_str(&format!("…(+{} chars)", total - max));
    out
}

/// A caller's text fit to quote: control characters left out, cut to `max` characters.
pub(crate) fn printable(text: &str, max: usize) -> String {
    shorten(
        &text.chars().filter(|c| !c.is_control()).collect::<String>(),
        max,
    )
}

/// Whether a parameter or member name is a secret's, by top-core's one rule.
pub(crate) fn secret_name(name: &str) -> bool {
    top_core::is_secret_name(name)
}

fn marker(description: Option<&Description>, path: &str) -> Option<Redact> {
    description?.overlay.members.get(path)?.redact
}

/// Hides the description's secret members and masks its mobile members inside a JSON value;
/// notes whether the text must be rewritten (a secret inside, or a mobile that masking the
/// text would miss).
struct Walk<'d> {
    description: Option<&'d Description>,
    rewrite: bool,
    /// The path of the value visited (`param0.user_phone`, `a.list[].b`), one buffer reused.
    path: String,
}

impl Walk<'_> {
    fn visit(&mut self, value: &mut Value) {
        let parent = self.path.len();
        match value {
            Value::Object(members) => {
                for (key, member) in members.iter_mut() {
                    if member.is_null() {
                        continue;
                    }
                    self.path.push('.');
                    self.path.push_str(key);
                    let marked = marker(self.description, &self.path);
                    if secret_name(key) || marked == Some(Redact::Secret) {
                        *member = Value::String(HIDDEN.to_owned());
                        self.rewrite = true;
                    } else if marked == Some(Redact::Mobile) {
                        self.mask(member);
                    } else {
                        self.visit(member);
                    }
                    self.path.truncate(parent);
                }
            }
            Value::Array(items) => {
                self.path.push_str("[]");
                for item in items {
                    self.visit(item);
                }
                self.path.truncate(parent);
            }
            _ => {}
        }
    }

    fn mask(&mut self, member: &mut Value) {
        let text = match member {
            // The usual case: masking the text as sent catches it, nothing to rewrite.
            Value::String(s) if top_core::is_mainland_mobile(s) => return,
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => return,
        };
        // Masking the text catches 11-digit runs; anything else must be rewritten.
        if top_core::scrub_mobiles(&text) == text && !text.trim().is_empty() {
            self.rewrite = true;
        }
        *member = Value::String(top_core::mask_mobile(text.trim()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> top_model::Catalog {
        top_model::Catalog::builtin().unwrap()
    }

    #[test]
    fn secrets_hidden_and_mobiles_masked() {
        let catalog = catalog();
        let damai = catalog.get("alibaba.damai.maizuo.openapi.user.register.byauthcode");
        assert_eq!(param_value("sign", "ABC", None), HIDDEN);
        assert_eq!(param_value("session", "s-1", None), HIDDEN);
        assert_eq!(param_value("app_key", "10000001", None), "10000001");
        assert_eq!(param_value("mobile", "13812341234", None), "138****1234");
        let param0 = r#"{"auth_code":"123456","ptnr_token":"p/1","user_login_password":"pw-123456","user_phone":"13812341234","code_type":1}"#;
        let shown = param_value("param0", param0, damai);
        for secret in ["123456\"", "p/1", "pw-123456", "13812341234"] {
            assert!(!shown.contains(secret), "{shown}");
        }
        assert!(shown.contains("138****1234"), "{shown}");
        let blacklist = catalog.get("taobao.logistics.express.user.blacklist.tms.sync");
        let text = r#"{"blacklist":[{"mobile":"13111111111","reason":"1"}],"supplier_id":"S"}"#;
        assert_eq!(
            param_value("user_blacklist_request", text, blacklist),
            r#"{"blacklist":[{"mobile":"131****1111","reason":"1"}],"supplier_id":"S"}"#,
            "kept as sent, mobiles masked"
        );
        let odd = r#"{"blacklist":[{"mobile":"+86 131 1111 1111"}]}"#;
        assert!(!param_value("user_blacklist_request", odd, blacklist).contains("1111 1111"));
        assert_eq!(param_value("x", "{not json", None), "{not json");
    }

    #[test]
    fn shortening() {
        assert_eq!(shorten("abc", 3), "abc");
        assert_eq!(shorten("中文字符", 2), "中文…(+2 chars)");
        assert!(secret_name("user_token") && secret_name("session") && !secret_name("mobile"));
    }
}
