//! `top call`'s `-p` values read against the API's description: dotted paths into object
//! parameters (`-p req.blacklist[0].mobile=...`) become the JSON text the gateway takes,
//! each value typed by the description ([`top_model::value`], the conversion bulk files'
//! columns use too), so nobody has to hand-write nested JSON in a shell.
//!
//! A parameter may be given whole (`-p req='{"..":..}'`) and by members: the members are
//! merged into the whole value, a member winning over the same member of the whole value.

use serde_json::{Map, Value};
use top_core::Params;
use top_model::Description;
use top_model::value::{self, MemberPath, Step, names, wire_text};

use crate::error::CliError;

/// Whether a `-p` name is a path into a parameter rather than a parameter.
pub(crate) fn is_dotted(name: &str) -> bool {
    MemberPath::is_path(name)
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
    let mut members: Vec<(String, Vec<Step>, String)> = Vec::new();
    for (name, value) in given {
        if is_dotted(&name) {
            let path = MemberPath::parse(&name).map_err(|e| usage(&name, &e.reason))?;
            let segments = path.steps().to_vec();
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
        value::set(&mut root, request, segments, value).map_err(|e| usage(name, &e.reason))?;
    }
    if let Value::Object(map) = &root {
        for (top, value) in map {
            if let Some(gap) = value::first_gap(value, top) {
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
