//! Lists of enum codes that TOP takes as one comma-separated text (`"1,2"`), for the
//! generated types: `#[serde(default, skip_serializing_if = "top_core::codes::is_absent",
//! with = "top_core::codes::option")]` on an `Option<Vec<Code>>`.
//!
//! ```
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Debug, PartialEq, Serialize, Deserialize)]
//! enum Reason {
//!     #[serde(rename = "1")]
//!     Order,
//!     #[serde(rename = "2")]
//!     Complaint,
//! }
//!
//! #[derive(Debug, PartialEq, Serialize, Deserialize)]
//! struct Entry {
//!     #[serde(default, skip_serializing_if = "top_core::codes::is_absent", with = "top_core::codes::option")]
//!     reason: Option<Vec<Reason>>,
//! }
//!
//! let entry = Entry { reason: Some(vec![Reason::Order, Reason::Complaint]) };
//! assert_eq!(serde_json::to_string(&entry).unwrap(), r#"{"reason":"1,2"}"#);
//! assert_eq!(serde_json::from_str::<Entry>(r#"{"reason":"1, 2"}"#).unwrap(), entry);
//! assert_eq!(serde_json::from_str::<Entry>(r#"{"reason":["1","2"]}"#).unwrap(), entry);
//! assert_eq!(serde_json::to_string(&Entry { reason: Some(vec![]) }).unwrap(), "{}");
//! ```

use serde::Serialize;
use serde_json::Value;

/// The codes joined by commas (`1,2`), each as its type serializes it.
pub fn join<T: Serialize>(codes: &[T]) -> String {
    let texts: Vec<String> = codes
        .iter()
        .map(|code| match serde_json::to_value(code) {
            Ok(Value::String(text)) => text,
            Ok(other) => other.to_string(),
            // A code type that does not serialize has no code to send.
            Err(_) => String::new(),
        })
        .collect();
    texts.join(",")
}

/// Whether a code appears twice (what a list of codes' rule refuses); cheap to ask before
/// building the rule and its message.
pub fn repeats<T: PartialEq>(codes: &[T]) -> bool {
    codes
        .iter()
        .enumerate()
        .any(|(i, code)| codes[..i].contains(code))
}

/// Unset or empty: not sent.
pub fn is_absent<T>(codes: &Option<Vec<T>>) -> bool {
    codes.as_ref().is_none_or(Vec::is_empty)
}

/// `Option<Vec<Code>>` as one comma-separated text.
pub mod option {
    use serde::de::{DeserializeOwned, Error as _};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use serde_json::Value;

    /// Writes the codes joined by commas, or nothing.
    pub fn serialize<S: Serializer, T: Serialize>(
        codes: &Option<Vec<T>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match codes {
            Some(codes) => s.serialize_str(&super::join(codes)),
            None => s.serialize_none(),
        }
    }

    /// Reads `"1,2"` (spaces around codes ignored), a list of codes, or a single code.
    pub fn deserialize<'de, D: Deserializer<'de>, T: DeserializeOwned>(
        d: D,
    ) -> Result<Option<Vec<T>>, D::Error> {
        let items: Vec<Value> = match Option::<Value>::deserialize(d)? {
            None | Some(Value::Null) => return Ok(None),
            Some(Value::String(text)) if text.trim().is_empty() => return Ok(None),
            Some(Value::String(text)) => text
                .split(',')
                .map(|code| Value::String(code.trim().to_owned()))
                .collect(),
            Some(Value::Array(items)) => items,
            Some(one) => vec![one],
        };
        items
            .into_iter()
            .map(|item| T::deserialize(item).map_err(D::Error::custom))
            .collect::<Result<Vec<T>, D::Error>>()
            .map(Some)
    }
}
