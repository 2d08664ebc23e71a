//! A header row checked against the job's plan before anything is read or sent. A column
//! that is a row member is read; one that looks like a misspelt member that the header lacks
//! (`reasons`, `Mobile`, `mobile_no`) refuses the file, naming the member; any other is
//! ignored (the caller warns once, naming them), or refuses the file when `strict`. A
//! member twice, or a required member missing, refuses the file.

use std::path::Path;

use crate::api::{BulkKind, BulkPlan};
use crate::error::SyncError;

/// The header as read: for each column (by position), the member it fills, or `None` when
/// it is ignored; and the names of the ignored columns (unnamed ones as `column N`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Header {
    pub columns: Vec<Option<String>>,
    pub ignored: Vec<String>,
}

/// Checks the header's column names, in order (a name may be blank: an unnamed column).
pub(crate) fn check_headers(
    path: &Path,
    names: &[String],
    kind: &BulkKind,
    strict: bool,
) -> Result<Header, SyncError> {
    let plan = kind.plan()?;
    let shape = |reason: String| SyncError::InputShape {
        path: path.to_owned(),
        reason,
    };
    let names: Vec<String> = names
        .iter()
        .map(|n| n.trim_start_matches('\u{feff}').trim().to_owned())
        .collect();
    if names.is_empty() {
        return Err(shape("the file is empty: a header row is required".into()));
    }
    let mut header = Header::default();
    for (i, name) in names.iter().enumerate() {
        if plan.accepts(name) {
            if header.columns.iter().flatten().any(|n| n == name) {
                return Err(shape(format!(
                    "column `{name}` appears twice in the header"
                )));
            }
            header.columns.push(Some(name.clone()));
            continue;
        }
        let near = misspelt(plan, name, &names);
        if strict || near.is_some() {
            let hint = near.map_or_else(String::new, |n| format!(" (did you mean `{n}`?)"));
            let rule = if strict && near.is_none() {
                " (--strict refuses any other column)"
            } else {
                ""
            };
            return Err(shape(format!(
                "unknown column `{name}` in the header{hint}; a {kind} file has the columns {}{rule}",
                plan.columns().join(", ")
            )));
        }
        header.columns.push(None);
        header.ignored.push(if name.is_empty() {
            format!("column {}", i + 1)
        } else {
            name.clone()
        });
    }
    let holds = |header: &str, member: &str| {
        header
            .strip_prefix(member)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
    };
    if let Some(missing) = plan.required().iter().find(|c| {
        !header
            .columns
            .iter()
            .flatten()
            .any(|h| holds(h, c.as_str()))
    }) {
        return Err(shape(format!(
            "the header has no `{missing}` column, which every {kind} row needs"
        )));
    }
    Ok(header)
}

/// The member an unknown column looks like a misspelling of, when the header lacks that
/// member: the same name but for case, spaces, `_`, `-` or `.`; a near spelling (top-model's
/// "did you mean", as for flags and methods); or the member with a short suffix
/// (`mobile_no`, `mobile number`).
pub(crate) fn misspelt<'a>(plan: &'a BulkPlan, name: &str, header: &[String]) -> Option<&'a str> {
    if name.is_empty() {
        return None;
    }
    let absent = || {
        plan.columns()
            .iter()
            .map(String::as_str)
            .filter(|c| !header.iter().any(|h| h == c))
    };
    let squash = |text: &str| -> String {
        text.chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '_' | '-' | '.'))
            .flat_map(char::to_lowercase)
            .collect()
    };
    let squashed = squash(name);
    if let Some(same) = absent().find(|c| squash(c) == squashed) {
        return Some(same);
    }
    if let Some(near) = top_model::did_you_mean(name, absent()) {
        return Some(near);
    }
    let lower = name.to_lowercase();
    absent().find(|c| {
        lower.strip_prefix(&c.to_lowercase()).is_some_and(|rest| {
            rest.starts_with(['_', '-', ' ', '.']) && (2..=7).contains(&rest.chars().count())
        })
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::api::JobKind;

    fn check(names: &[&str], strict: bool) -> Result<Header, String> {
        let names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
        check_headers(
            Path::new("in.csv"),
            &names,
            &BulkKind::Named(JobKind::Blacklist),
            strict,
        )
        .map_err(|e| e.to_string())
    }

    #[test]
    fn extra_columns_are_ignored_and_misspelt_ones_refused() {
        let header = check(&["mobile", "reason", "备注", ""], false).unwrap();
        assert_eq!(
            header.columns,
            [Some("mobile".into()), Some("reason".into()), None, None]
        );
        assert_eq!(header.ignored, ["备注", "column 4"]);
        for (names, near) in [
            (&["mobile", "reasons"][..], "reason"),
            (&["Mobile ", "reason"][..], "mobile"),
            (&["mobile_no", "reason"][..], "mobile"),
            (&["MOBILE"][..], "mobile"),
            (&["mobil"][..], "mobile"),
        ] {
            let err = check(names, false).unwrap_err();
            assert!(err.contains(&format!("did you mean `{near}`?")), "{err}");
        }
        // The member it looks like is there: the other one is an extra column.
        let header = check(&["mobile", "mobile_no", "reason"], false).unwrap();
        assert_eq!(header.ignored, ["mobile_no"]);
        let err = check(&["mobile", "备注"], true).unwrap_err();
        assert!(
            err.contains("unknown column `备注`") && err.contains("--strict"),
            "{err}"
        );
        let err = check(&["mobile", "mobile"], false).unwrap_err();
        assert!(err.contains("appears twice"), "{err}");
        let err = check(&["备注"], false).unwrap_err();
        assert!(err.contains("no `mobile` column"), "{err}");
    }
}
