//! Text to typed JSON, by a member's declared type: the one conversion behind `top call`'s
//! `-p a.b[0].c=...` and the columns of a bulk file (`address.city`, `items[0].name`).
//!
//! A path names a member below a parameter, members joined by `.` and list entries numbered
//! from 0 (`user.tags[2]`, `req.users[0].mobile`). A value is typed by the member it lands
//! on: a `Number` member becomes a JSON number, a `Boolean` a boolean, a `Date` given as
//! `yyyy-MM-dd` midnight of that day, a list of scalars a list from a comma list (`a,b`) or a
//! JSON list, an object (or a list of objects) a JSON text. A text that does not read as its
//! type is kept as a string, so the description's check names the member and the rule.
//!
//! ```
//! use serde_json::json;
//! use top_model::VendorApi;
//! use top_model::value::{MemberPath, set, wire_text};
//! let api = VendorApi::from_json(r#"{"name":"taobao.demo.add","requestParams":[
//!   {"name":"req","type":"DemoReq","subParams":[
//!     {"name":"count","type":"Number"},{"name":"tags","type":"String[]"},
//!     {"name":"users","type":"User[]","subParams":[{"name":"age","type":"Number"}]}]}]}"#)?;
//! let mut root = json!({});
//! for (path, text) in [("req.count", "12"), ("req.tags", "a, b"), ("req.users[0].age", "30")] {
//!     let path = MemberPath::parse(path).unwrap();
//!     set(&mut root, &api.request_params, path.steps(), text).unwrap();
//! }
//! assert_eq!(wire_text(&root["req"]), r#"{"count":12,"tags":["a","b"],"users":[{"age":30}]}"#);
//! # Ok::<(), top_model::ModelError>(())
//! ```

use std::fmt;

use serde_json::{Map, Value};

use crate::type_ref::TypeRef;
use crate::vendor::VendorParam;

/// The highest list entry number a path may name: entries are numbered without gaps, so a
/// larger one is a typo, and it must not make a caller allocate a huge list.
pub const MAX_INDEX: usize = 10_000;

/// A path or a value that cannot be placed: where, and why (the reason names the path and
/// says what to write instead; it never repeats the value).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
pub struct ValueError {
    /// The member path at fault, as far as it was read (`req.users[0]`).
    pub path: String,
    /// What is wrong.
    pub reason: String,
}

impl ValueError {
    fn new(path: impl Into<String>, reason: impl Into<String>) -> Self {
        ValueError {
            path: path.into(),
            reason: reason.into(),
        }
    }
}

/// One step of a [`MemberPath`]: a member name and, for a list, the entry.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Step {
    /// The member's wire name.
    pub name: String,
    /// The list entry, numbered from 0.
    pub index: Option<usize>,
}

/// A path to a member: wire names joined by `.`, list entries as `name[N]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MemberPath {
    steps: Vec<Step>,
}

impl MemberPath {
    /// Reads `a.b[2].c`. `[]`, `[x]`, empty names and other shapes are refused with what to
    /// write instead.
    ///
    /// # Errors
    /// A [`ValueError`] naming the piece at fault.
    pub fn parse(path: &str) -> Result<Self, ValueError> {
        let steps = path
            .split('.')
            .map(|piece| parse_step(path, piece))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(MemberPath { steps })
    }

    /// The steps, outermost first.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// Whether the text is a path into a parameter (`a.b`, `a[0]`) rather than a name.
    pub fn is_path(text: &str) -> bool {
        text.contains(['.', '['])
    }
}

impl fmt::Display for MemberPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.steps.iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            f.write_str(&step.name)?;
            if let Some(index) = step.index {
                write!(f, "[{index}]")?;
            }
        }
        Ok(())
    }
}

fn parse_step(path: &str, piece: &str) -> Result<Step, ValueError> {
    let bad = |reason: String| ValueError::new(path, reason);
    let (name, index) = match piece.split_once('[') {
        None => (piece, None),
        Some((name, rest)) => {
            let Some(digits) = rest.strip_suffix(']') else {
                return Err(bad(format!("`{piece}`: write a list entry as `name[0]`")));
            };
            if digits.is_empty() {
                return Err(bad(format!(
                    "`{piece}`: name one entry, `{name}[0]`, `{name}[1]`..."
                )));
            }
            let index = digits
                .parse::<usize>()
                .ok()
                .filter(|_| digits.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| {
                    bad(format!(
                        "`{piece}`: an entry is numbered from 0, `{name}[0]`"
                    ))
                })?;
            if index > MAX_INDEX {
                return Err(bad(format!("`{piece}`: entries stop at {MAX_INDEX}")));
            }
            (name, Some(index))
        }
    };
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(bad(format!(
            "`{piece}` is not a member name (letters, digits, `_`; members are joined by `.`)"
        )));
    }
    Ok(Step {
        name: name.to_owned(),
        index,
    })
}

/// The member names of `params`, comma-separated (for messages).
pub fn names(params: &[VendorParam]) -> String {
    params
        .iter()
        .map(|p| p.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Sets the member at `path` below `node` (an object whose members are `params`) to `text`,
/// typed by the description; objects and lists on the way are created.
///
/// # Errors
/// A [`ValueError`] when the path names no member, steps into a scalar, misses a list
/// entry number, or lands on a value of another shape.
pub fn set(
    node: &mut Value,
    params: &[VendorParam],
    path: &[Step],
    text: &str,
) -> Result<(), ValueError> {
    set_at(node, params, path, text, "")
}

fn set_at(
    node: &mut Value,
    params: &[VendorParam],
    path: &[Step],
    text: &str,
    at: &str,
) -> Result<(), ValueError> {
    let Some((step, rest)) = path.split_first() else {
        return Ok(());
    };
    let here = if at.is_empty() {
        step.name.clone()
    } else {
        format!("{at}.{}", step.name)
    };
    let Some(param) = params.iter().find(|p| p.name == step.name) else {
        return Err(ValueError::new(
            &here,
            format!(
                "`{here}` is not a member{}; the members: {}",
                if at.is_empty() {
                    String::new()
                } else {
                    format!(" of `{at}`")
                },
                names(params)
            ),
        ));
    };
    let type_ref = param
        .type_ref()
        .map_err(|e| ValueError::new(&here, e.to_string()))?;
    if node.is_null() {
        *node = Value::Object(Map::new());
    }
    let Value::Object(map) = node else {
        return Err(ValueError::new(
            at,
            format!("`{at}` is given as a value that is not a JSON object"),
        ));
    };
    let slot = map.entry(param.name.clone()).or_insert(Value::Null);
    match step.index {
        Some(index) => {
            let TypeRef::List(inner) = &type_ref else {
                return Err(ValueError::new(
                    &here,
                    format!("`{here}` is a {type_ref}, not a list"),
                ));
            };
            if slot.is_null() {
                *slot = Value::Array(Vec::new());
            }
            let Value::Array(items) = slot else {
                return Err(ValueError::new(
                    &here,
                    format!("`{here}` is given as a value that is not a JSON list"),
                ));
            };
            if items.len() <= index {
                items.resize(index + 1, Value::Null);
            }
            let entry_at = format!("{here}[{index}]");
            let Some(entry) = items.get_mut(index) else {
                return Err(ValueError::new(
                    &entry_at,
                    format!("`{entry_at}` cannot be set"),
                ));
            };
            if rest.is_empty() {
                *entry = typed(inner, text, &entry_at)?;
                Ok(())
            } else if inner.object_name().is_some() {
                set_at(entry, &param.sub_params, rest, text, &entry_at)
            } else {
                Err(ValueError::new(
                    &entry_at,
                    format!("`{entry_at}` is a {inner}: it has no members"),
                ))
            }
        }
        None if rest.is_empty() => {
            *slot = typed(&type_ref, text, &here)?;
            Ok(())
        }
        None => match &type_ref {
            TypeRef::Object(_) => set_at(slot, &param.sub_params, rest, text, &here),
            TypeRef::List(_) => Err(ValueError::new(
                &here,
                format!(
                    "`{here}` is a list: name an entry, `{here}[0].{}`",
                    rest.first().map(|s| s.name.as_str()).unwrap_or_default()
                ),
            )),
            other => Err(ValueError::new(
                &here,
                format!("`{here}` is a {other}: it has no members"),
            )),
        },
    }
}

/// A value of the declared type from its text (`at` names it in errors): objects (and lists
/// of them) from JSON text, lists of scalars from a JSON list or a comma list, scalars typed
/// when they read as their type (else kept as text, for the description's check to name the
/// rule).
///
/// # Errors
/// A [`ValueError`] when an object or a list of objects is not given as JSON, or the member
/// is a file upload.
pub fn typed(type_ref: &TypeRef, text: &str, at: &str) -> Result<Value, ValueError> {
    match type_ref {
        TypeRef::Object(name) => serde_json::from_str::<Value>(text)
            .ok()
            .filter(Value::is_object)
            .ok_or_else(|| {
                ValueError::new(
                    at,
                    format!(
                        "`{at}` is a {name}: give its members (`{at}.member=...`) or a JSON object"
                    ),
                )
            }),
        TypeRef::List(inner) if inner.object_name().is_some() => {
            serde_json::from_str::<Value>(text)
                .ok()
                .filter(Value::is_array)
                .ok_or_else(|| {
                    ValueError::new(
                        at,
                        format!(
                            "`{at}` is a list of {inner}: give entries (`{at}[0].member=...`) or a JSON list"
                        ),
                    )
                })
        }
        TypeRef::List(inner) => {
            if text.trim_start().starts_with('[')
                && let Ok(list @ Value::Array(_)) = serde_json::from_str::<Value>(text)
            {
                return Ok(list);
            }
            if text.trim().is_empty() {
                return Ok(Value::String(String::new()));
            }
            Ok(Value::Array(
                text.split(',')
                    .map(|item| scalar(inner, item.trim()))
                    .collect(),
            ))
        }
        TypeRef::Bytes => Err(ValueError::new(
            at,
            format!("`{at}` is a file upload, which cannot be given as text"),
        )),
        scalar_type => Ok(scalar(scalar_type, text)),
    }
}

/// A scalar of the declared type, or the text itself when it does not read as one.
pub fn scalar(type_ref: &TypeRef, text: &str) -> Value {
    match type_ref {
        TypeRef::Number => text
            .trim()
            .parse::<i64>()
            .map_or_else(|_| Value::String(text.to_owned()), Value::from),
        TypeRef::Boolean => match text.trim() {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => Value::String(text.to_owned()),
        },
        TypeRef::Date => Value::String(full_date(text)),
        _ => Value::String(text.to_owned()),
    }
}

/// A date given as `yyyy-MM-dd` is midnight of that day (`yyyy-MM-dd 00:00:00`, GMT+8); any
/// other text is kept.
fn full_date(text: &str) -> String {
    let day = text.trim();
    let midnight = format!("{day} 00:00:00");
    if day.len() == 10 && top_core::time::parse_gmt8(&midnight).is_some() {
        midnight
    } else {
        text.to_owned()
    }
}

/// A scalar's text as the description's checks read it (`"a"`, `12`, `true`); `None` for
/// null, lists and objects.
pub fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The first list entry left out (`a.list[1]` when only `[0]` and `[2]` were given), with
/// `at` as the path of `value`.
pub fn first_gap(value: &Value, at: &str) -> Option<String> {
    match value {
        Value::Array(items) => items.iter().enumerate().find_map(|(i, item)| {
            let here = format!("{at}[{i}]");
            if item.is_null() {
                Some(here)
            } else {
                first_gap(item, &here)
            }
        }),
        Value::Object(map) => map
            .iter()
            .find_map(|(name, v)| first_gap(v, &format!("{at}.{name}"))),
        _ => None,
    }
}

/// A top-level value as the form carries it: scalar lists comma-joined (as the gateway and
/// the description's check read them), objects and lists of objects as compact JSON (members
/// in name order), scalars as their text.
pub fn wire_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) if items.iter().all(|v| !v.is_object() && !v.is_array()) => items
            .iter()
            .map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join(","),
        other => other.to_string(),
    }
}

/// The value at a wire path written as the overlay writes it (`result.biz_success`;
/// `error_infos[].code` steps into a list's first entry), `None` when missing or null.
pub(crate) fn at_path<'a>(root: &'a Value, path: &str) -> Option<&'a Value> {
    let mut node = root;
    for (name, into_list) in path_steps(path) {
        node = node.get(name)?;
        if into_list {
            node = node.get(0)?;
        }
    }
    Some(node).filter(|v| !v.is_null())
}

/// The object that holds the member at `path` (written as for [`at_path`]), with the
/// member's name: where the member is written or removed. `None` when a step is missing.
pub(crate) fn parent_at_mut<'v, 'p>(
    root: &'v mut Value,
    path: &'p str,
) -> Option<(&'v mut Map<String, Value>, &'p str)> {
    let (parents, last) = match path.rsplit_once('.') {
        Some((parents, last)) => (Some(parents), last),
        None => (None, path),
    };
    let mut node = root;
    for (name, into_list) in parents.into_iter().flat_map(path_steps) {
        node = node.get_mut(name)?;
        if into_list {
            node = node.get_mut(0)?;
        }
    }
    Some((node.as_object_mut()?, last))
}

/// The steps of a wire path: each member's name, and whether it steps into a list's first
/// entry (`[]`).
fn path_steps(path: &str) -> impl Iterator<Item = (&str, bool)> {
    path.split('.')
        .map(|segment| match segment.strip_suffix("[]") {
            Some(name) => (name, true),
            None => (segment, false),
        })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn paths_read_and_print() {
        let path = MemberPath::parse("a.b[2].c").unwrap();
        assert_eq!(path.steps().len(), 3);
        assert_eq!(path.steps()[1].index, Some(2));
        assert_eq!(path.to_string(), "a.b[2].c");
        for bad in ["a..b", "a[]", "a[x]", "a[0", "a[10001]", "", "a b"] {
            let err = MemberPath::parse(bad).unwrap_err();
            assert_eq!(err.path, bad);
        }
        assert!(MemberPath::is_path("a.b") && MemberPath::is_path("a[0]"));
        assert!(!MemberPath::is_path("mobile"));
    }

    #[test]
    fn scalars_are_typed() {
        assert_eq!(scalar(&TypeRef::Number, " 12 "), Value::from(12));
        assert_eq!(scalar(&TypeRef::Number, "x"), Value::from("x"));
        assert_eq!(scalar(&TypeRef::Boolean, "true"), Value::Bool(true));
        assert_eq!(
            scalar(&TypeRef::Date, "1990-01-02"),
            Value::from("1990-01-02 00:00:00")
        );
        assert_eq!(scalar(&TypeRef::Date, "soon"), Value::from("soon"));
        let list = TypeRef::List(Box::new(TypeRef::Number));
        assert_eq!(
            typed(&list, "1, 2", "l").unwrap(),
            serde_json::json!([1, 2])
        );
        assert!(typed(&TypeRef::Object("O".into()), "1", "o").is_err());
        assert!(typed(&TypeRef::Bytes, "1", "f").is_err());
    }

    #[test]
    fn wire_texts() {
        assert_eq!(wire_text(&serde_json::json!(["a", 1])), "a,1");
        assert_eq!(
            wire_text(&serde_json::json!({"b": 1, "a": [{"y": 1, "x": "2"}]})),
            r#"{"a":[{"x":"2","y":1}],"b":1}"#
        );
        assert_eq!(
            first_gap(&serde_json::json!({"l": [1, null]}), "p").as_deref(),
            Some("p.l[1]")
        );
    }
}
