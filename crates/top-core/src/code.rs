//! The `code` of an `error_response`, kept in whatever form the gateway sent it.
//!
//! TOP's router sends integers (`25`, `"7"`), but proxies and some gateways answer with text
//! (`"isp.xxx"`, `"50a"`); the vendor's Java SDK keeps the code as a string for that reason.
//! A code that is not a number must not cost the rest of the error (msg, sub_code,
//! request_id), so it is kept as text and compared as a number only when it is one.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A TOP error code: a number in the normal case, the gateway's text otherwise.
///
/// Compares with integers, so `error.code == 7` reads as it should:
///
/// ```
/// use top_core::ErrorCode;
/// assert_eq!(ErrorCode::parse("7"), 7);
/// assert_eq!(ErrorCode::parse(" 25 ").as_i64(), Some(25));
/// assert_eq!(ErrorCode::parse("isp.xxx").as_i64(), None);
/// assert_eq!(ErrorCode::parse("50a").to_string(), "50a");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ErrorCode {
    /// A numeric code (`7`, `25`, `50`...).
    Number(i64),
    /// A code that is not an integer, exactly as sent (empty when the gateway sent none).
    Text(Box<str>),
}

impl ErrorCode {
    /// Reads a code as sent: an integer (surrounding white space allowed) or any text.
    pub fn parse(text: &str) -> Self {
        match text.trim().parse::<i64>() {
            Ok(n) => ErrorCode::Number(n),
            Err(_) => ErrorCode::Text(text.into()),
        }
    }

    /// The numeric code, when it is one.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            ErrorCode::Number(n) => Some(*n),
            ErrorCode::Text(_) => None,
        }
    }

    /// The code as text (`"7"`, `"isp.xxx"`).
    pub fn as_text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            ErrorCode::Number(n) => n.to_string().into(),
            ErrorCode::Text(t) => (**t).into(),
        }
    }
}

impl Default for ErrorCode {
    /// No code at all (an `error_response` without `code`).
    fn default() -> Self {
        ErrorCode::Text("".into())
    }
}

impl From<i64> for ErrorCode {
    fn from(code: i64) -> Self {
        ErrorCode::Number(code)
    }
}

/// So that a literal (`ApiError::new(15, ..)`) is a code.
impl From<i32> for ErrorCode {
    fn from(code: i32) -> Self {
        ErrorCode::Number(code.into())
    }
}

/// Read as the gateway's text is: a number when it is one.
impl From<&str> for ErrorCode {
    fn from(code: &str) -> Self {
        ErrorCode::parse(code)
    }
}

impl PartialEq<i64> for ErrorCode {
    fn eq(&self, other: &i64) -> bool {
        self.as_i64() == Some(*other)
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorCode::Number(n) => write!(f, "{n}"),
            ErrorCode::Text(t) => f.write_str(t),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_is_kept() {
        assert_eq!(ErrorCode::parse("7"), ErrorCode::Number(7));
        assert_eq!(ErrorCode::parse("-1"), ErrorCode::Number(-1));
        assert_eq!(ErrorCode::parse("isp.x"), ErrorCode::Text("isp.x".into()));
        assert_eq!(ErrorCode::parse("50a"), ErrorCode::Text("50a".into()));
        assert_eq!(ErrorCode::parse("50a"), ErrorCode::parse("50a"));
        assert!(ErrorCode::parse("50a") != 50);
        assert_eq!(ErrorCode::default().to_string(), "");
    }
}
