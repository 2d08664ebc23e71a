//! A job's flags: the members set once for the whole job (`bulk.flags`, e.g. `supplier-id`,
//! `operate`), checked by the description's rules for those members before any row is read.
//! An enum member takes its code, or the code's name or meaning (`operate=1`,
//! `operate=AddOrUpdate`).

use std::collections::BTreeMap;

use top_core::ValidationError;
use top_model::{Side, TypeRef};

use crate::api::plan::BulkPlan;
use crate::error::SyncError;

/// The flags as the calls carry them (enum names read as codes), every one checked.
///
/// # Errors
/// [`SyncError::Flag`] naming the flag: not a flag of the API (with the nearest one), a
/// required one missing, or a value that breaks the member's rules.
pub(crate) fn checked(
    plan: &BulkPlan,
    given: &BTreeMap<String, String>,
) -> Result<BTreeMap<String, String>, SyncError> {
    let names: Vec<&str> = plan.flags().iter().map(|f| f.flag.as_str()).collect();
    for name in given.keys() {
        if !names.contains(&name.as_str()) {
            let mut rule = if names.is_empty() {
                format!("{} takes no flags", plan.method())
            } else {
                format!(
                    "is not a flag of {}; its flags: {}",
                    plan.method(),
                    names.join(", ")
                )
            };
            if let Some(near) = top_model::did_you_mean(name, names.iter().copied()) {
                rule.push_str(&format!(" (did you mean `{near}`?)"));
            }
            return Err(SyncError::Flag {
                flag: name.clone(),
                rule,
            });
        }
    }
    let mut out = BTreeMap::new();
    for member in plan.flags() {
        let bad = |e: ValidationError| SyncError::Flag {
            flag: member.flag.clone(),
            rule: e.to_string(),
        };
        let Some(text) = given
            .get(&member.flag)
            .map(|t| t.trim())
            .filter(|t| !t.is_empty())
        else {
            if member.required {
                return Err(bad(ValidationError::required(member.path.clone())));
            }
            continue;
        };
        let code = member
            .codes
            .iter()
            .find(|(code, name, meaning)| {
                code == text
                    || name.eq_ignore_ascii_case(text)
                    || meaning.eq_ignore_ascii_case(text)
            })
            .map_or(text, |(code, _, _)| code.as_str());
        let type_ref = plan
            .description()
            .member(Side::Request, &member.path)
            .and_then(|p| p.type_ref().ok());
        if type_ref == Some(TypeRef::Number) && code.parse::<i64>().is_err() {
            return Err(bad(ValidationError::new(
                member.path.clone(),
                "must be a whole number",
            )));
        }
        for rule in plan.description().rules_of(&member.path) {
            rule.check_text(member.path.clone(), code).map_err(&bad)?;
        }
        out.insert(member.flag.clone(), code.to_owned());
    }
    Ok(out)
}
