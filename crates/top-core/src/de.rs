//! Lenient field decoders, as the official SDK maps responses: `"true"` is a bool, `"201"` a
//! number, and a list may come bare, wrapped (`{"error_info":[..]}`) or as a single element.
//!
//! Use them on `Option` fields with `#[serde(default, deserialize_with = "...")]`:
//!
//! ```
//! #[derive(serde::Deserialize)]
//! struct Result {
//!     #[serde(default, deserialize_with = "top_core::de::lenient_bool")]
//!     success: Option<bool>,
//!     #[serde(default, deserialize_with = "top_core::de::lenient_i64")]
//!     result_code: Option<i64>,
//!     #[serde(default, deserialize_with = "top_core::de::list")]
//!     tags: Option<Vec<String>>,
//! }
//! let r: Result = serde_json::from_str(r#"{"success":"true","result_code":"201","tags":{"string":["a"]}}"#).unwrap();
//! assert_eq!((r.success, r.result_code, r.tags), (Some(true), Some(201), Some(vec!["a".to_string()])));
//! ```

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// A string from a string, number, boolean, or JSON object (re-serialized).
pub fn lenient_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s),
        Some(Value::Number(n)) => Some(n.to_string()),
        Some(Value::Bool(b)) => Some(b.to_string()),
        Some(other) => Some(other.to_string()),
    })
}

/// A secret (a token) from whatever [`lenient_string`] reads, hidden from `Debug`.
pub fn lenient_sensitive<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<crate::Sensitive<String>>, D::Error> {
    Ok(lenient_string(d)?.map(crate::Sensitive::new))
}

/// A mobile number from whatever [`lenient_string`] reads, masked in `Debug`; not checked
/// (services return numbers already masked, `136xxxx1234`).
pub fn lenient_mobile<'de, D: Deserializer<'de>>(d: D) -> Result<Option<crate::Mobile>, D::Error> {
    Ok(lenient_string(d)?.map(crate::Mobile::new))
}

/// A boolean from `true`, `"true"`, `"TRUE"`, `1` or `"1"` (and their opposites).
pub fn lenient_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(b)),
        Some(Value::Number(n)) => match n.as_i64() {
            Some(0) => Ok(Some(false)),
            Some(1) => Ok(Some(true)),
            _ => Err(D::Error::custom(format!(
                "expected a boolean, found the number {n}"
            ))),
        },
        Some(Value::String(s)) => match s.trim().to_ascii_lowercase().as_str() {
            "" => Ok(None),
            "true" | "1" => Ok(Some(true)),
            "false" | "0" => Ok(Some(false)),
            _ => Err(D::Error::custom(
                "expected a boolean, found a non-boolean string",
            )),
        },
        Some(_) => Err(D::Error::custom("expected a boolean")),
    }
}

/// An integer from a JSON number or a numeric string. Large ids stay exact (never `f64`).
pub fn lenient_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_i64()
            .map(Some)
            .ok_or_else(|| D::Error::custom(format!("expected an integer, found {n}"))),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => s
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| D::Error::custom("expected an integer, found a non-numeric string")),
        Some(_) => Err(D::Error::custom("expected an integer")),
    }
}

/// A list from a bare array, TOP's wrapper object (`{"error_info":[..]}` or, from XML, a
/// wrapper holding one element), or a single element.
pub fn list<'de, D, T>(d: D) -> Result<Option<Vec<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: DeserializeOwned,
{
    let items = match Option::<Value>::deserialize(d)? {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Array(items)) => items,
        Some(Value::Object(map)) if map.len() == 1 => {
            // A one-member object is TOP's list wrapper unless its only member is a scalar
            // field of a one-field element; a wrapper's member holds elements.
            match map.into_iter().next() {
                Some((_, Value::Array(items))) => items,
                Some((_, Value::Null)) => Vec::new(),
                Some((key, inner)) => match serde_json::from_value::<T>(inner.clone()) {
                    Ok(one) => return Ok(Some(vec![one])),
                    Err(_) => vec![Value::Object([(key, inner)].into_iter().collect())],
                },
                None => Vec::new(),
            }
        }
        Some(single) => vec![single],
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, v)| {
            serde_json::from_value(v).map_err(|e| D::Error::custom(format!("[{i}]: {e}")))
        })
        .collect::<Result<Vec<T>, _>>()
        .map(Some)
}

/// A code as TOP may write it, a JSON number or a string, read as trimmed text: for enums
/// whose wire values are small codes (`1`, `"1"`).
///
/// ```
/// use top_core::de::CodeText;
/// let codes: Vec<CodeText> = serde_json::from_str(r#"[1, " 2 ", "x"]"#).unwrap();
/// assert_eq!(codes.iter().map(|c| c.0.as_str()).collect::<Vec<_>>(), ["1", "2", "x"]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeText(pub String);

impl<'de> Deserialize<'de> for CodeText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::Number(n) => Ok(CodeText(n.to_string())),
            Value::String(s) => Ok(CodeText(s.trim().to_owned())),
            _ => Err(D::Error::custom("expected a code (a number or a string)")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Info {
        #[serde(default, deserialize_with = "lenient_string")]
        error_code: Option<String>,
        #[serde(default, deserialize_with = "lenient_string")]
        error_message: Option<String>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Holder {
        #[serde(default, deserialize_with = "list")]
        error_infos: Option<Vec<Info>>,
        #[serde(default, deserialize_with = "list")]
        tags: Option<Vec<String>>,
        #[serde(default, deserialize_with = "lenient_bool")]
        flag: Option<bool>,
        #[serde(default, deserialize_with = "lenient_i64")]
        code: Option<i64>,
        #[serde(default, deserialize_with = "lenient_string")]
        text: Option<String>,
    }

    fn holder(json: &str) -> Holder {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn lists_in_every_shape() {
        let one = Info {
            error_code: Some("c".into()),
            error_message: Some("m".into()),
        };
        let bare = holder(r#"{"error_infos":[{"error_code":"c","error_message":"m"}]}"#);
        let wrapped =
            holder(r#"{"error_infos":{"error_info":[{"error_code":"c","error_message":"m"}]}}"#);
        let xml_single =
            holder(r#"{"error_infos":{"error_info":{"error_code":"c","error_message":"m"}}}"#);
        let single = holder(r#"{"error_infos":{"error_code":"c","error_message":"m"}}"#);
        for h in [bare, wrapped, xml_single, single] {
            assert_eq!(h.error_infos, Some(vec![Info { ..one_clone(&one) }]));
        }
        let lone_field = holder(r#"{"error_infos":{"error_code":"c"}}"#);
        assert_eq!(
            lone_field.error_infos.unwrap()[0].error_code.as_deref(),
            Some("c")
        );
        assert_eq!(
            holder(r#"{"tags":{"string":["a","b"]}}"#).tags.unwrap(),
            ["a", "b"]
        );
        assert_eq!(holder(r#"{"tags":{"string":"a"}}"#).tags.unwrap(), ["a"]);
        assert_eq!(holder(r#"{"tags":"a"}"#).tags.unwrap(), ["a"]);
        assert_eq!(holder(r#"{"tags":null}"#).tags, None);
        assert_eq!(
            holder(r#"{"error_infos":{"error_info":null}}"#).error_infos,
            Some(vec![])
        );
    }

    fn one_clone(i: &Info) -> Info {
        Info {
            error_code: i.error_code.clone(),
            error_message: i.error_message.clone(),
        }
    }

    #[test]
    fn lenient_scalars() {
        let h = holder(r#"{"flag":"TRUE","code":"201","text":201}"#);
        assert_eq!(
            (h.flag, h.code, h.text.as_deref()),
            (Some(true), Some(201), Some("201"))
        );
        let h = holder(r#"{"flag":0,"code":20193846534522344,"text":{"a":1}}"#);
        assert_eq!(
            (h.flag, h.code, h.text.as_deref()),
            (Some(false), Some(20193846534522344), Some(r#"{"a":1}"#))
        );
        assert_eq!(holder(r#"{"flag":"","code":""}"#).flag, None);
        assert!(serde_json::from_str::<Holder>(r#"{"flag":"maybe"}"#).is_err());
        assert!(serde_json::from_str::<Holder>(r#"{"code":"12x"}"#).is_err());
        assert!(serde_json::from_str::<Holder>(r#"{"code":1.5}"#).is_err());
    }
}
