//! One row read by its job's plan: each column placed at its member path and typed by the
//! description ([`top_model::value`]), then checked against the row's description (the same
//! rules, `top_core::rules`, as the SDK's `validate()`). A broken rule is reported on the
//! column it is about, never with the value.

use std::collections::BTreeMap;

use serde_json::{Map, Value};
use top_core::ValidationError;
use top_model::value::{self, MemberPath};

use crate::api::plan::BulkPlan;
use crate::input::{InvalidRow, Record};

/// The row's members as JSON (the columns in `ignored` left out), without checking them.
///
/// # Errors
/// An [`InvalidRow`] naming the first column (in name order) that is not a member of the
/// row, or whose value cannot be placed there.
pub(crate) fn entry_of(
    plan: &BulkPlan,
    kind: &str,
    record: &Record,
    ignored: &[&str],
) -> Result<Map<String, Value>, InvalidRow> {
    let params = &plan.entry().vendor.request_params;
    let mut root = Value::Object(Map::new());
    for (column, text) in &record.fields {
        if ignored.contains(&column.as_str()) {
            continue;
        }
        if !plan.accepts(column) {
            return Err(record.invalid(column.clone(), unknown_rule(plan, kind, column)));
        }
        let path = MemberPath::parse(column)
            .map_err(|e| record.invalid(column.clone(), e.reason.clone()))?;
        value::set(&mut root, params, path.steps(), text)
            .map_err(|e| record.invalid(column.clone(), e.reason))?;
    }
    let Value::Object(mut map) = root else {
        return Err(record.invalid("_record", "must be an object of columns"));
    };
    for (name, entry) in &map {
        if let Some(gap) = value::first_gap(entry, name) {
            return Err(record.invalid(
                gap,
                "is not given: list entries are numbered from 0 without gaps",
            ));
        }
    }
    for (name, text) in plan.entry_defaults() {
        if !map.contains_key(name)
            && let Some(param) = params.iter().find(|p| p.name == *name)
            && let Ok(type_ref) = param.type_ref()
            && let Ok(typed) = value::typed(&type_ref, text, name)
        {
            map.insert(name.clone(), typed);
        }
    }
    Ok(map)
}

/// Reads and checks a row; on success, its members as JSON.
///
/// # Errors
/// An [`InvalidRow`] naming the column and the rule it breaks.
pub(crate) fn check(
    plan: &BulkPlan,
    kind: &str,
    record: &Record,
    ignored: &[&str],
) -> Result<Map<String, Value>, InvalidRow> {
    let entry = entry_of(plan, kind, record, ignored)?;
    plan.entry()
        .check_json(&entry)
        .map_err(|e| invalid_from(record, &e))?;
    Ok(entry)
}

/// The rule of a column the row does not have.
fn unknown_rule(plan: &BulkPlan, kind: &str, column: &str) -> String {
    let mut rule = format!(
        "is not a {kind} field; expected {}",
        plan.columns().join(", ")
    );
    if let Some(near) = plan.near_column(column) {
        rule.push_str(&format!(" (did you mean `{near}`?)"));
    }
    rule
}

/// An invalid row from a broken rule of the row's description: the path it names is the
/// row's own (`mobile`, `tag_id_list[1]`, `address.city`), reported on the column that
/// holds it (`tag_id_list`, or `address` when the object was one JSON column).
pub(crate) fn invalid_from(record: &Record, error: &ValidationError) -> InvalidRow {
    record.invalid(
        column_of(&record.fields, error.field.as_ref()),
        error.rule.to_string(),
    )
}

/// The column of `fields` that holds the member at `path`: the column of that path, or the
/// column of the member (object, list) that holds it; else the path itself.
fn column_of(fields: &BTreeMap<String, String>, path: &str) -> String {
    if fields.contains_key(path) {
        return path.to_owned();
    }
    fields
        .keys()
        .find(|column| {
            path.strip_prefix(column.as_str())
                .is_some_and(|rest| rest.starts_with(['.', '[']))
        })
        .cloned()
        .unwrap_or_else(|| path.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_of_paths() {
        let fields: BTreeMap<String, String> = [("tag_id_list", "a,"), ("address", "{}")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        assert_eq!(column_of(&fields, "tag_id_list[1]"), "tag_id_list");
        assert_eq!(column_of(&fields, "address.city"), "address");
        assert_eq!(column_of(&fields, "tag_id_list"), "tag_id_list");
        assert_eq!(column_of(&fields, "tag"), "tag");
        assert_eq!(column_of(&fields, "a|b"), "a|b");
    }
}
