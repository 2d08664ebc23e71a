//! `top call`'s `-p` values read against the API's description: dotted paths into object
//! parameters (`-p req.blacklist[0].mobile=...`) become the JSON text the gateway takes,
//! each value typed by the description (Number as a JSON number, Boolean as a boolean,
//! lists of scalars from comma lists), so nobody has to hand-write nested JSON in a shell.
//!
//! A parameter may be given whole (`-p req='{"..":..}'`) and by members: the members are
//! merged into the whole value, a member winning over the same member of the whole value.

use serde_json::{Map, Value};
use top_core::Params;
use top_model::{Description, TypeRef, VendorParam};

use crate::error::CliError;

/// Highest `[N]` accepted: entries are numbered without gaps, so a larger index is a typo,
/// and it must not make `top` allocate a huge list.
const MAX_INDEX: usize = 10_000;

/// One step of a `-p` path: a member name and, for a list, the entry.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Segment {
    name: String,
    index: Option<usize>,
}

/// Whether a `-p` name is a path into a parameter rather than a parameter.
pub(crate) fn is_dotted(name: &str) -> bool {
    name.contains(['.', '['])
}

/// The parameters to send for `api`: whole values as given, dotted members built into
/// their parameter's JSON. With `strict`, a name the description does not know is refused
/// (a typo would otherwise be sent and ignored by the gateway).
pub(crate) fn build(
    api: &Description,
    given: Vec<(String, String)>,
    strict: bool,
) -> Result<Params, CliError> {
    let request = &api.vendor.request_params;
    let mut whole: Vec<(String, String)> = Vec::new();
    let mut members: Vec<(String, Vec<Segment>, String)> = Vec::new();
    for (name, value) in given {
        if is_dotted(&name) {
            let segments = parse_path(&name).map_err(|why| usage(&name, &why))?;
            if members.iter().any(|(_, s, _)| *s == segments) {
                return Err(CliError::Usage(format!("`{name}` is given twice")));
            }
            members.push((name, segments, value));
        } else if whole.iter().any(|(n, _)| *n == name) {
            return Err(CliError::Usage(format!(
                "parameter `{name}` is given twice"
            )));
        } else {
            if strict && !request.iter().any(|p| p.name == name) {
                return Err(CliError::Usage(format!(
                    "`{name}` is not a parameter of {}; its parameters: {} (--no-check sends it anyway)",
                    api.method(),
                    names(request)
                )));
            }
            whole.push((name, value));
        }
    }

    let mut root = Value::Object(Map::new());
    let mut order: Vec<String> = whole.iter().map(|(n, _)| n.clone()).collect();
    for (name, segments, value) in &members {
        let Some(top) = segments.first().map(|s| s.name.clone()) else {
            continue;
        };
        if !request.iter().any(|p| p.name == top) {
            return Err(CliError::Usage(format!(
                "`{top}` (of `{name}`) is not a parameter of {}; its parameters: {}",
                api.method(),
                names(request)
            )));
        }
        if !order.contains(&top) {
            order.push(top.clone());
        }
        if let Value::Object(map) = &mut root
            && !map.contains_key(&top)
            && let Some((_, text)) = whole.iter().find(|(n, _)| *n == top)
        {
            let parsed: Value = serde_json::from_str(text).map_err(|_| {
                usage(
                    name,
                    &format!(
                        "`{top}` is also given whole, and its members can only be merged into a JSON value"
                    ),
                )
            })?;
            map.insert(top.clone(), parsed);
        }
        set(&mut root, request, segments, value, "").map_err(|why| usage(name, &why))?;
    }
    if let Value::Object(map) = &root {
        for (top, value) in map {
            if let Some(gap) = first_gap(value, top) {
                return Err(CliError::Usage(format!(
                    "`{gap}` is not given: list entries are numbered from 0 without gaps"
                )));
            }
        }
    }

    let mut params = Params::new();
    for name in order {
        let built = match &root {
            Value::Object(map) => map.get(&name),
            _ => None,
        };
        let text = match built {
            Some(value) => wire_text(value),
            None => whole
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_default(),
        };
        params.insert(name, text);
    }
    Ok(params)
}

fn usage(name: &str, why: &str) -> CliError {
    CliError::Usage(format!("-p {name}: {why}"))
}

fn names(params: &[VendorParam]) -> String {
    params
        .iter()
        .map(|p| p.name.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `a.b[2].c` → segments; `[]` and other shapes are refused with what to write instead.
fn parse_path(path: &str) -> Result<Vec<Segment>, String> {
    path.split('.')
        .map(|piece| {
            let (name, index) = match piece.split_once('[') {
                None => (piece, None),
                Some((name, rest)) => {
                    let Some(digits) = rest.strip_suffix(']') else {
                        return Err(format!("`{piece}`: write a list entry as `name[0]`"));
                    };
                    if digits.is_empty() {
                        return Err(format!(
                            "`{piece}`: name one entry, `{name}[0]`, `{name}[1]`..."
                        ));
                    }
                    let index = digits
                        .parse::<usize>()
                        .ok()
                        .filter(|_| digits.bytes().all(|b| b.is_ascii_digit()))
                        .ok_or_else(|| {
                            format!("`{piece}`: an entry is numbered from 0, `{name}[0]`")
                        })?;
                    if index > MAX_INDEX {
                        return Err(format!("`{piece}`: entries stop at {MAX_INDEX}"));
                    }
                    (name, Some(index))
                }
            };
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Err(format!(
                    "`{piece}` is not a member name (letters, digits, `_`; members are joined by `.`)"
                ));
            }
            Ok(Segment {
                name: name.to_owned(),
                index,
            })
        })
        .collect()
}

/// Sets the member at `segments` below `node` (whose members are `params`) to `text`, typed
/// by the description. `at` is the path walked so far, for messages.
fn set(
    node: &mut Value,
    params: &[VendorParam],
    segments: &[Segment],
    text: &str,
    at: &str,
) -> Result<(), String> {
    let Some((segment, rest)) = segments.split_first() else {
        return Ok(());
    };
    let here = if at.is_empty() {
        segment.name.clone()
    } else {
        format!("{at}.{}", segment.name)
    };
    let Some(param) = params.iter().find(|p| p.name == segment.name) else {
        return Err(format!(
            "`{here}` is not a member{}; the members: {}",
            if at.is_empty() {
                String::new()
            } else {
                format!(" of `{at}`")
            },
            names(params)
        ));
    };
    let type_ref = param.type_ref().map_err(|e| e.to_string())?;
    if node.is_null() {
        *node = Value::Object(Map::new());
    }
    let Value::Object(map) = node else {
        return Err(format!(
            "`{at}` is given as a value that is not a JSON object"
        ));
    };
    let slot = map.entry(param.name.clone()).or_insert(Value::Null);
    match segment.index {
        Some(index) => {
            let TypeRef::List(inner) = &type_ref else {
                return Err(format!("`{here}` is a {type_ref}, not a list"));
            };
            if slot.is_null() {
                *slot = Value::Array(Vec::new());
            }
            let Value::Array(items) = slot else {
                return Err(format!(
                    "`{here}` is given as a value that is not a JSON list"
                ));
            };
            if items.len() <= index {
                items.resize(index + 1, Value::Null);
            }
            let entry_at = format!("{here}[{index}]");
            let Some(entry) = items.get_mut(index) else {
                return Err(format!("`{entry_at}` cannot be set"));
            };
            if rest.is_empty() {
                *entry = leaf(inner, text, &entry_at)?;
                Ok(())
            } else if inner.object_name().is_some() {
                set(entry, &param.sub_params, rest, text, &entry_at)
            } else {
                Err(format!("`{entry_at}` is a {inner}: it has no members"))
            }
        }
        None if rest.is_empty() => {
            *slot = leaf(&type_ref, text, &here)?;
            Ok(())
        }
        None => match &type_ref {
            TypeRef::Object(_) => set(slot, &param.sub_params, rest, text, &here),
            TypeRef::List(_) => Err(format!(
                "`{here}` is a list: name an entry, `{here}[0].{}`",
                rest.first().map(|s| s.name.as_str()).unwrap_or_default()
            )),
            other => Err(format!("`{here}` is a {other}: it has no members")),
        },
    }
}

/// A value of the declared type: objects (and lists of them) from JSON text, lists of
/// scalars from a JSON list or a comma list, scalars typed when they read as their type
/// (else kept as text, for the description's check to name the rule).
fn leaf(type_ref: &TypeRef, text: &str, at: &str) -> Result<Value, String> {
    match type_ref {
        TypeRef::Object(name) => serde_json::from_str::<Value>(text)
            .ok()
            .filter(Value::is_object)
            .ok_or_else(|| {
                format!("`{at}` is a {name}: give its members (`{at}.member=...`) or a JSON object")
            }),
        TypeRef::List(inner) if inner.object_name().is_some() => serde_json::from_str::<Value>(
            text,
        )
        .ok()
        .filter(Value::is_array)
        .ok_or_else(|| {
            format!(
                "`{at}` is a list of {inner}: give entries (`{at}[0].member=...`) or a JSON list"
            )
        }),
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
        TypeRef::Bytes => Err(format!(
            "`{at}` is a file upload, which `top call` cannot send"
        )),
        scalar_type => Ok(scalar(scalar_type, text)),
    }
}

fn scalar(type_ref: &TypeRef, text: &str) -> Value {
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
        _ => Value::String(text.to_owned()),
    }
}

/// The first list entry left out (`a.list[1]` when only `[0]` and `[2]` were given).
fn first_gap(value: &Value, at: &str) -> Option<String> {
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

/// A built top-level value as the form carries it: scalar lists comma-joined (as the
/// gateway and the description's check read them), objects and object lists as JSON.
fn wire_text(value: &Value) -> String {
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use top_model::{Overlay, VendorApi};

    fn api() -> Description {
        let vendor = VendorApi::from_json(
            r#"{"name":"taobao.demo.user.add","requestParams":[
              {"name":"req","type":"DemoReq","required":true,"subParams":[
                {"name":"id","type":"String","required":true},
                {"name":"count","type":"Number"},
                {"name":"flag","type":"Boolean"},
                {"name":"tags","type":"String[]"},
                {"name":"users","type":"User []","subParams":[
                  {"name":"mobile","type":"String"},{"name":"age","type":"Number"}]}]},
              {"name":"codes","type":"Number[]"},
              {"name":"note","type":"String"}]}"#,
        )
        .unwrap();
        let overlay = Overlay::from_toml("crate = \"demo\"\nsummary = \"Demo.\"\n").unwrap();
        Description::new(vendor, overlay).unwrap()
    }

    fn p(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn built(pairs: &[(&str, &str)]) -> Result<Vec<(String, String)>, String> {
        build(&api(), p(pairs), true)
            .map(|params| {
                params
                    .iter()
                    .map(|(n, v)| (n.to_owned(), v.to_owned()))
                    .collect()
            })
            .map_err(|e| e.to_string())
    }

    fn json_of(pairs: &[(&str, &str)], name: &str) -> Value {
        let params = built(pairs).unwrap();
        let text = &params.iter().find(|(n, _)| n == name).unwrap().1;
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn members_are_typed_by_the_description() {
        let req = json_of(
            &[
                ("req.id", "7"),
                ("req.count", "12"),
                ("req.flag", "true"),
                ("req.tags", "a, b"),
                ("req.users[0].mobile", "13800000001"),
                ("req.users[0].age", "x"),
                ("req.users[1].age", "30"),
            ],
            "req",
        );
        assert_eq!(
            req,
            serde_json::json!({"id": "7", "count": 12, "flag": true, "tags": ["a", "b"],
                "users": [{"mobile": "13800000001", "age": "x"}, {"age": 30}]})
        );
        assert_eq!(
            built(&[("codes[1]", "2"), ("codes[0]", "1"), ("note", "n")]).unwrap(),
            p(&[("codes", "1,2"), ("note", "n")])
        );
    }

    #[test]
    fn members_merge_into_a_whole_value_and_win() {
        let req = json_of(
            &[
                ("req", r#"{"id":"old","count":1,"users":[{"age":1}]}"#),
                ("req.id", "new"),
                ("req.users[0].mobile", "m"),
                ("req.users[1]", r#"{"age":2}"#),
            ],
            "req",
        );
        assert_eq!(
            req,
            serde_json::json!({"id": "new", "count": 1,
                "users": [{"age": 1, "mobile": "m"}, {"age": 2}]})
        );
        // A whole value alone is sent as typed.
        assert_eq!(
            built(&[("req", "{ \"id\" : 1 }")]).unwrap(),
            p(&[("req", "{ \"id\" : 1 }")])
        );
    }

    #[test]
    fn wrong_paths_say_what_to_write() {
        let err = |pairs: &[(&str, &str)]| built(pairs).unwrap_err();
        assert!(err(&[("req.nope", "1")]).contains("the members: id, count"));
        assert!(err(&[("nope.id", "1")]).contains("its parameters: req, codes, note"));
        assert!(err(&[("nope", "1")]).contains("--no-check"));
        assert!(err(&[("req.users.mobile", "1")]).contains("`req.users[0].mobile`"));
        assert!(err(&[("req.users[].mobile", "1")]).contains("`users[0]`"));
        assert!(err(&[("req.users[x].mobile", "1")]).contains("numbered from 0"));
        assert!(err(&[("req.users[99999999999999999999]", "1")]).contains("numbered"));
        assert!(err(&[("req.users[10001]", "{}")]).contains("stop at"));
        assert!(err(&[("req.id.x", "1")]).contains("is a String: it has no members"));
        assert!(err(&[("req.id[0]", "1")]).contains("not a list"));
        assert!(err(&[("req.users[1].age", "1")]).contains("`req.users[0]` is not given"));
        assert!(err(&[("req", "not json"), ("req.id", "1")]).contains("merged"));
        assert!(err(&[("req", "[1]"), ("req.id", "1")]).contains("not a JSON object"));
        assert!(err(&[("req.users", "{}")]).contains("JSON list"));
        assert!(err(&[("req.id", "1"), ("req.id", "2")]).contains("twice"));
        assert!(err(&[("note", "1"), ("note", "2")]).contains("twice"));
        assert!(err(&[("req..id", "1")]).contains("not a member name"));
        assert!(err(&[("req.users[0", "1")]).contains("name[0]"));
        // Without strictness an unknown name is sent as given.
        let params = build(&api(), p(&[("nope", "1")]), false).unwrap();
        assert_eq!(params.get("nope"), Some("1"));
    }
}
