//! One call built from its rows: the rows' members placed where the plan says (the
//! top-level parameters, the object parameter, or the entries of the list), the job's flags,
//! the generated members (request id, send time) and the defaults around them; then the
//! whole call checked against the description before anything is sent.
//!
//! In a batch, entries that share the value of a `unique` member are merged: the entry keeps
//! the place of the first such row and the members of the last one (the last line wins, as
//! successive add/update calls would).

use std::collections::BTreeMap;

use serde_json::{Map, Value};
use top_core::ValidationError;
use top_model::overlay::Generated;
use top_model::value::{self, MemberPath};

use crate::api::plan::{BulkPlan, Shape};

/// What a call is made with besides its rows.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CallContext<'a> {
    /// The job's flags (flag name → value).
    pub flags: &'a BTreeMap<String, String>,
    /// The call's request id, fixed before its first send.
    pub request_id: Option<&'a str>,
    /// The call's send time, epoch milliseconds.
    pub now_ms: i64,
}

/// The call's parameters as JSON (parameter name → value), checked.
///
/// # Errors
/// A [`ValidationError`] naming the member path and the rule the call breaks; nothing is
/// sent then.
pub(crate) fn build(
    plan: &BulkPlan,
    context: CallContext<'_>,
    entries: Vec<Map<String, Value>>,
) -> Result<Map<String, Value>, ValidationError> {
    let params = &plan.description().vendor.request_params;
    let mut root = Value::Object(Map::new());
    let set = |root: &mut Value, path: &str, text: &str| -> Result<(), ValidationError> {
        let steps =
            MemberPath::parse(path).map_err(|e| ValidationError::new(path.to_owned(), e.reason))?;
        value::set(root, params, steps.steps(), text)
            .map_err(|e| ValidationError::new(path.to_owned(), e.reason))
    };
    for flag in plan.flags() {
        if let Some(text) = context
            .flags
            .get(&flag.flag)
            .filter(|t| !t.trim().is_empty())
        {
            set(&mut root, &flag.path, text)?;
        }
    }
    let now = context.now_ms.to_string();
    for (path, what) in plan.generated() {
        let text = match what {
            Generated::RequestId => match context.request_id {
                Some(id) => id,
                None => continue,
            },
            Generated::NowMs => now.as_str(),
            _ => continue,
        };
        // A request id the row gave itself stays.
        if plan.row_request_id().is_some() && *what == Generated::RequestId {
            continue;
        }
        set(&mut root, path, text)?;
    }
    let mut entries = merge_unique(plan, entries);
    if let (Some(rel), Some(id)) = (plan.row_request_id(), context.request_id) {
        for entry in &mut entries {
            entry
                .entry(rel.to_owned())
                .or_insert_with(|| Value::String(id.to_owned()));
        }
    }
    match plan.shape() {
        Shape::TopLevel => {
            if let (Value::Object(map), Some(entry)) = (&mut root, entries.pop()) {
                map.extend(entry);
            }
        }
        Shape::Object(path) => {
            let entry = entries.pop().unwrap_or_default();
            let slot = object_at(&mut root, path)
                .ok_or_else(|| ValidationError::new(path.clone(), "must be a JSON object"))?;
            slot.extend(entry);
        }
        Shape::List(path) => {
            let (parent, name) = match path.rsplit_once('.') {
                Some((parent, name)) => (Some(parent), name),
                None => (None, path.as_str()),
            };
            let list = Value::Array(entries.into_iter().map(Value::Object).collect());
            let holder = match parent {
                Some(parent) => object_at(&mut root, parent),
                None => match &mut root {
                    Value::Object(map) => Some(map),
                    _ => None,
                },
            }
            .ok_or_else(|| ValidationError::new(path.clone(), "must be a JSON object"))?;
            holder.insert(name.to_owned(), list);
        }
    }
    for (path, text) in plan.fixed_defaults() {
        if !present(&root, path) {
            set(&mut root, path, text)?;
        }
    }
    let Value::Object(map) = root else {
        return Err(ValidationError::new("$", "must be an object of parameters"));
    };
    plan.description().check_json(&map)?;
    Ok(map)
}

/// Entries with the same value of a unique member merged: the first one's place, the last
/// one's members.
fn merge_unique(plan: &BulkPlan, entries: Vec<Map<String, Value>>) -> Vec<Map<String, Value>> {
    let unique = plan.unique();
    if unique.is_empty() || entries.len() < 2 {
        return entries;
    }
    let key = |entry: &Map<String, Value>| -> Option<Vec<String>> {
        let values: Vec<String> = unique
            .iter()
            .filter_map(|m| entry.get(m).map(Value::to_string))
            .collect();
        (values.len() == unique.len()).then_some(values)
    };
    let mut merged: Vec<Map<String, Value>> = Vec::with_capacity(entries.len());
    let mut keys: Vec<Option<Vec<String>>> = Vec::with_capacity(entries.len());
    for entry in entries {
        let k = key(&entry);
        match k
            .as_ref()
            .and_then(|k| keys.iter().position(|o| o.as_ref() == Some(k)))
        {
            Some(i) => {
                if let Some(slot) = merged.get_mut(i) {
                    *slot = entry;
                }
            }
            None => {
                keys.push(k);
                merged.push(entry);
            }
        }
    }
    merged
}

/// The object at a `.`-joined path, created on the way.
fn object_at<'a>(root: &'a mut Value, path: &str) -> Option<&'a mut Map<String, Value>> {
    let mut node = root;
    for name in path.split('.') {
        let Value::Object(map) = node else {
            return None;
        };
        node = map
            .entry(name.to_owned())
            .or_insert_with(|| Value::Object(Map::new()));
    }
    match node {
        Value::Object(map) => Some(map),
        _ => None,
    }
}

/// Whether the member at a `.`-joined path is set.
fn present(root: &Value, path: &str) -> bool {
    let mut node = root;
    for name in path.split('.') {
        match node.get(name) {
            Some(next) => node = next,
            None => return false,
        }
    }
    !node.is_null()
}
