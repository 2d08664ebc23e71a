//! Redaction by type: secrets and mobile numbers cannot leak through `Debug` or `Display`.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::ValidationError;

/// A secret value (app secret, session, password, auth code, token).
///
/// `Debug` prints `***`; there is no `Display`. The value is reachable only through
/// [`Sensitive::expose`], and serializes as itself because it has to be sent.
///
/// ```
/// use top_core::Sensitive;
/// let password = Sensitive::from("QWA1q2w3e4r");
/// assert_eq!(format!("{password:?}"), "***");
/// assert_eq!(password.expose(), "QWA1q2w3e4r");
/// ```
#[derive(Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Sensitive<T>(T);

impl<T> Sensitive<T> {
    /// Wraps a secret.
    pub fn new(value: T) -> Self {
        Sensitive(value)
    }

    /// The secret itself. Call it only where the value is sent or compared.
    pub fn expose(&self) -> &T {
        &self.0
    }

    /// Unwraps the secret.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> fmt::Debug for Sensitive<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<String> for Sensitive<String> {
    fn from(value: String) -> Self {
        Sensitive(value)
    }
}

impl From<&str> for Sensitive<String> {
    fn from(value: &str) -> Self {
        Sensitive(value.to_owned())
    }
}

/// A mobile number: `Debug` and `Display` print it masked (`138****1234`), serialization
/// sends the real value.
///
/// ```
/// use top_core::Mobile;
/// let m = Mobile::new("13812341234");
/// assert_eq!(m.to_string(), "138****1234");
/// assert!(m.is_mainland());
/// assert_eq!(m.expose(), "13812341234");
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Mobile(String);

impl Mobile {
    /// Wraps a mobile number as given; [`Mobile::validate`] checks it.
    pub fn new(number: impl Into<String>) -> Self {
        Mobile(number.into())
    }

    /// The full number. Call it only where the value is sent.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The masked form, `138****1234`.
    pub fn masked(&self) -> String {
        mask_mobile(&self.0)
    }

    /// Whether this is an 11-digit mainland China mobile number (`1[3-9]` then 9 digits).
    pub fn is_mainland(&self) -> bool {
        is_mainland_mobile(&self.0)
    }

    /// Checks [`Mobile::is_mainland`], naming `field` in the error.
    pub fn validate(
        &self,
        field: impl Into<std::borrow::Cow<'static, str>>,
    ) -> Result<(), ValidationError> {
        if self.is_mainland() {
            Ok(())
        } else {
            Err(ValidationError::new(
                field,
                "must be an 11-digit mainland China mobile number (1[3-9] followed by 9 digits)",
            ))
        }
    }
}

impl fmt::Debug for Mobile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Mobile({})", self.masked())
    }
}

impl fmt::Display for Mobile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl From<&str> for Mobile {
    fn from(value: &str) -> Self {
        Mobile::new(value)
    }
}

impl From<String> for Mobile {
    fn from(value: String) -> Self {
        Mobile::new(value)
    }
}

/// Whether `s` is an 11-digit mainland China mobile number.
pub fn is_mainland_mobile(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 11
        && b[0] == b'1'
        && (b'3'..=b'9').contains(&b[1])
        && b.iter().all(u8::is_ascii_digit)
}

/// Masks a phone number for logs and reports: the first 3 and last 4 characters stay,
/// the middle becomes `****` (`13812341234` → `138****1234`). Short values become `****`.
pub fn mask_mobile(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    if chars.len() < 8 {
        return "****".to_owned();
    }
    let mut out: String = chars[..3].iter().collect();
    out.push_str("****");
    out.extend(&chars[chars.len() - 4..]);
    out
}

/// Masks every run of 11 digits that looks like a mainland mobile number (`1[3-9]` + 9
/// digits) inside free text, e.g. an error message that quotes the number.
///
/// ```
/// assert_eq!(top_core::scrub_mobiles("bad 13812341234!"), "bad 138****1234!");
/// assert_eq!(top_core::scrub_mobiles("id 123456789012345"), "id 123456789012345");
/// ```
pub fn scrub_mobiles(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut copied = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        let run = &text[start..i];
        if is_mainland_mobile(run) {
            out.push_str(&text[copied..start]);
            out.push_str(&mask_mobile(run));
            copied = i;
        }
    }
    out.push_str(&text[copied..]);
    out
}

/// A value shown on its own (an id column, a member of an answer): masked whole when it is
/// a mainland mobile number however written (`+86 138 1234 1234` → `+86****1234`), else
/// with every 11-digit mobile inside it masked ([`scrub_mobiles`]).
///
/// ```
/// assert_eq!(top_core::scrub_identifier("+86 138-1234-1234"), "+86****1234");
/// assert_eq!(top_core::scrub_identifier("id 13812341234"), "id 138****1234");
/// assert_eq!(top_core::scrub_identifier("2088000000000011"), "2088000000000011");
/// ```
pub fn scrub_identifier(value: &str) -> String {
    if is_phone_like(value) {
        mask_mobile(value.trim())
    } else {
        scrub_mobiles(value)
    }
}

/// Whether `value` is a mainland mobile number however it is written: an optional `+`,
/// then digits with spaces, dashes, dots or parentheses between them, 11 to 15 digits
/// ending with the 11 of a mainland mobile (`+86 138-1234-1234`, `0086 13812341234`).
fn is_phone_like(value: &str) -> bool {
    let value = value.trim();
    let value = value.strip_prefix('+').unwrap_or(value);
    if !value
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '.' | '(' | ')'))
    {
        return false;
    }
    let digits: String = value.chars().filter(char::is_ascii_digit).collect();
    (11..=15).contains(&digits.len()) && is_mainland_mobile(&digits[digits.len() - 11..])
}

/// Whether a member or parameter named `key` holds a secret: a token (`user_token`,
/// `access_token`...), a password, a secret, a session or an SMS auth code. The one rule every
/// printer of parameters and answers uses.
pub fn is_secret_name(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    key.ends_with("token")
        || key.contains("password")
        || key.contains("secret")
        || key == "session"
        || key == "auth_code"
}

/// An answer fit to print or log: every mobile number masked (in strings, however written when a
/// string is a phone number; in numbers; in member names), and every secret member (named like a
/// token, a password, a secret, a session or an auth code) replaced by `***`.
///
/// ```
/// let answer = serde_json::json!({"user_token": "t-1", "user_phone": "13812341234", "id": 7});
/// assert_eq!(
///     top_core::redact_json(answer),
///     serde_json::json!({"user_token": "***", "user_phone": "138****1234", "id": 7})
/// );
/// ```
pub fn redact_json(value: Value) -> Value {
    match value {
        Value::String(s) => Value::String(scrub_identifier(&s)),
        Value::Number(n) => {
            let text = n.to_string();
            let masked = scrub_mobiles(&text);
            if masked == text {
                Value::Number(n)
            } else {
                Value::String(masked)
            }
        }
        Value::Array(items) => Value::Array(items.into_iter().map(redact_json).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(key, value)| {
                    let value = if is_secret_name(&key) && !value.is_null() {
                        Value::String("***".to_owned())
                    } else {
                        redact_json(value)
                    };
                    (scrub_mobiles(&key), value)
                })
                .collect(),
        ),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_redacted() {
        let answer = serde_json::json!({
            "result": {
                "data": { "user_token": "tok-1", "user_phone": "13812341234", "user_id": "7" },
                "mobile": 13912341234_u64,
                "ids": [13712341234_u64, 2019000000000001_u64, "13612341234,13512341234", "+86 133 1234 1234"],
                "13412341234": { "password": "p", "access_token": null, "appSecret": 1 },
            }
        });
        assert_eq!(
            redact_json(answer),
            serde_json::json!({
                "result": {
                    "data": { "user_token": "***", "user_phone": "138****1234", "user_id": "7" },
                    "mobile": "139****1234",
                    "ids": ["137****1234", 2019000000000001_u64, "136****1234,135****1234", "+86****1234"],
                    "134****1234": { "password": "***", "access_token": null, "appSecret": "***" },
                }
            })
        );
    }

    #[test]
    fn masks() {
        assert_eq!(mask_mobile("13812341234"), "138****1234");
        assert_eq!(mask_mobile("1381234"), "****");
        assert_eq!(mask_mobile("+8613812341234"), "+86****1234");
        assert_eq!(mask_mobile("一二三四五六七八"), "一二三****五六七八");
        assert_eq!(
            format!("{:?}", Mobile::new("13812341234")),
            "Mobile(138****1234)"
        );
    }

    #[test]
    fn mainland_rule() {
        assert!(is_mainland_mobile("13111111111"));
        assert!(is_mainland_mobile("19912345678"));
        assert!(!is_mainland_mobile("12111111111"));
        assert!(!is_mainland_mobile("1311111111"));
        assert!(!is_mainland_mobile("131111111111"));
        assert!(!is_mainland_mobile("1311111111a"));
        assert!(!is_mainland_mobile("139xxxx4567"));
        let err = Mobile::new("123").validate("mobile").unwrap_err();
        assert_eq!(err.field, "mobile");
    }

    #[test]
    fn sensitive_never_prints() {
        let s = Sensitive::from("top-secret");
        assert_eq!(format!("{s:?}"), "***");
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"top-secret\"");
    }
}
