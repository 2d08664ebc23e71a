//! `request_id` idempotency (blacklist sync, customer create): keyed by (app_key, method,
//! request_id); the same payload replays the first answer, a different one is refused.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::apis::Api;
use crate::codes::TopError;
use crate::reply::Fields;
use crate::state::Data;

/// Who asked what under which id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct IdemKey {
    pub(crate) app_key: String,
    pub(crate) api: Api,
    pub(crate) request_id: String,
}

/// The first answer and the payload it answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct IdemRecord {
    pub(crate) payload_sha256: String,
    pub(crate) answer: Fields,
}

/// What to do with a request.
#[derive(Debug)]
pub(crate) enum Lookup<'a> {
    /// Never seen: apply it.
    Fresh,
    /// Seen with the same payload: answer this again, apply nothing.
    Replay(&'a Fields),
}

/// Looks a request up; a known id with another payload is an error.
pub(crate) fn lookup<'a>(
    data: &'a Data,
    key: &IdemKey,
    payload_sha256: &str,
) -> Result<Lookup<'a>, TopError> {
    match data.idempotency.get(key) {
        None => Ok(Lookup::Fresh),
        Some(record) if record.payload_sha256 == payload_sha256 => {
            Ok(Lookup::Replay(&record.answer))
        }
        Some(_) => Err(TopError::invalid_parameter(
            "request_id",
            Some("request_id reused with a different payload"),
        )),
    }
}

/// SHA-256 (hex) of the canonical JSON of an object parameter (keys sorted at every level),
/// leaving out the members in `ignore` (such as a send time).
pub(crate) fn payload_hash(object: &Map<String, Value>, ignore: &[&str]) -> String {
    let mut text = String::with_capacity(256);
    let mut keys: Vec<&String> = object
        .keys()
        .filter(|k| !ignore.contains(&k.as_str()))
        .collect();
    keys.sort();
    text.push('{');
    for (i, k) in keys.into_iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        canonical(&Value::String(k.clone()), &mut text);
        text.push(':');
        if let Some(v) = object.get(k) {
            canonical(v, &mut text);
        }
    }
    text.push('}');
    hex::encode(Sha256::digest(text.as_bytes()))
}

fn canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical(&Value::String(k.clone()), out);
                out.push(':');
                if let Some(v) = map.get(k) {
                    canonical(v, out);
                }
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical(v, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    #[test]
    fn order_does_not_matter_content_does() {
        let a = obj(json!({"a":1,"b":{"y":[1,{"q":1,"p":2}],"x":"中"},"t":5}));
        let b = obj(json!({"b":{"x":"中","y":[1,{"p":2,"q":1}]},"a":1,"t":6}));
        assert_eq!(payload_hash(&a, &["t"]), payload_hash(&b, &["t"]));
        assert_ne!(payload_hash(&a, &[]), payload_hash(&b, &[]));
        let c = obj(json!({"a":"1","b":{"x":"中","y":[1,{"p":2,"q":1}]}}));
        assert_ne!(payload_hash(&a, &["t"]), payload_hash(&c, &["t"]));
    }
}
