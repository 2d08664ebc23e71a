//! Helpers shared by the per-API row checks: unknown fields, and mapping a domain
//! crate's [`top_core::ValidationError`] back to the input column it is about.

use top_core::ValidationError;

use crate::kind::JobKind;
use crate::record::{InvalidRow, Record};

/// Refuses a record with a field the job does not know (JSON Lines; a CSV header is
/// checked once when the file is opened).
pub(crate) fn known_fields(record: &Record, kind: JobKind) -> Result<(), InvalidRow> {
    match record
        .fields
        .keys()
        .find(|k| !kind.columns().contains(&k.as_str()))
    {
        Some(unknown) => Err(record.invalid(
            unknown.clone(),
            format!(
                "is not a {kind} field; expected {}",
                kind.columns().join(", ")
            ),
        )),
        None => Ok(()),
    }
}

/// A required field, or an invalid row naming it.
pub(crate) fn required<'a>(record: &'a Record, name: &'static str) -> Result<&'a str, InvalidRow> {
    record
        .get(name)
        .ok_or_else(|| record.invalid(name, "is required and must not be blank"))
}

/// The input column a validation error names: its last path segment without an index
/// (`user_blacklist_request.blacklist[0].mobile` → `mobile`).
pub(crate) fn column_of(error: &ValidationError) -> String {
    let field = error.field.as_ref();
    let last = field.rsplit('.').next().unwrap_or(field);
    let name = last.split('[').next().unwrap_or(last);
    if name.is_empty() {
        field.to_owned()
    } else {
        name.to_owned()
    }
}

/// Turns a domain crate's validation error into an invalid row.
pub(crate) fn invalid_from(record: &Record, error: &ValidationError) -> InvalidRow {
    record.invalid(column_of(error), error.rule.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_from_paths() {
        let e = ValidationError::new("user_blacklist_request.blacklist[2].mobile", "r");
        assert_eq!(column_of(&e), "mobile");
        let e = ValidationError::new("param_customer_create_open_req.tag_id_list[1]", "r");
        assert_eq!(column_of(&e), "tag_id_list");
        assert_eq!(
            column_of(&ValidationError::new("biz_code", "r")),
            "biz_code"
        );
    }
}
