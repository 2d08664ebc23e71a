//! A CSV header checked against the job's plan before anything is read or sent: every
//! column a row member (a near miss is named: "did you mean `reason`?"), none twice, none of
//! the required ones missing.

use std::path::Path;

use crate::api::BulkKind;
use crate::error::SyncError;

/// The header's column names (trimmed, a BOM dropped), or why the file is refused.
pub(crate) fn check_headers(
    path: &Path,
    raw: &csv::ByteRecord,
    kind: &BulkKind,
) -> Result<Vec<String>, SyncError> {
    let plan = kind.plan()?;
    let shape = |reason: String| SyncError::InputShape {
        path: path.to_owned(),
        reason,
    };
    let mut headers = Vec::with_capacity(raw.len());
    for (i, field) in raw.iter().enumerate() {
        let text = std::str::from_utf8(field)
            .map_err(|_| shape(format!("header column {} is not UTF-8", i + 1)))?;
        let name = text.trim_start_matches('\u{feff}').trim().to_owned();
        if !plan.accepts(&name) {
            let near = plan
                .near_column(&name)
                .map_or_else(String::new, |n| format!(" (did you mean `{n}`?)"));
            return Err(shape(format!(
                "unknown column `{name}` in the header{near}; a {kind} file has the columns {}",
                plan.columns().join(", ")
            )));
        }
        if headers.contains(&name) {
            return Err(shape(format!(
                "column `{name}` appears twice in the header"
            )));
        }
        headers.push(name);
    }
    if headers.is_empty() {
        return Err(shape("the file is empty: a header row is required".into()));
    }
    let holds = |header: &str, member: &str| {
        header
            .strip_prefix(member)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
    };
    if let Some(missing) = plan
        .required()
        .iter()
        .find(|c| !headers.iter().any(|h| holds(h, c)))
    {
        return Err(shape(format!(
            "the header has no `{missing}` column, which every {kind} row needs"
        )));
    }
    Ok(headers)
}
