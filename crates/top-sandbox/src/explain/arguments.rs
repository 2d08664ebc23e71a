//! Codes 40 and 50 explained by the API's description: the field, its type and summary, the
//! rule broken and every rule the description gives it. A value is never quoted (it may be
//! secret); the call log shows it redacted.

use top_core::ValidationError;
use top_model::{Description, Side};

/// The explanation of a refused business parameter; `missing` when it is answered with 40.
pub(crate) fn explain(description: &Description, error: &ValidationError, missing: bool) -> String {
    let field = error.field.as_ref();
    let path = description_path(field);
    let method = description.method();
    let member = description.member(Side::Request, &path);
    let summary = description
        .overlay
        .members
        .get(&path)
        .and_then(|m| m.summary.as_deref());
    let mut about: Vec<String> = Vec::new();
    match (member.map(|m| m.type_name.as_str()), summary) {
        (Some(kind), Some(summary)) => {
            about.push(format!("{kind}: {}", summary.trim_end_matches('.')));
        }
        (Some(kind), None) => about.push(kind.to_owned()),
        _ => {}
    }
    if let Some((top, _)) = field.split_once('.') {
        about.push(format!("inside the JSON text of the parameter `{top}`"));
    }
    let what = if about.is_empty() {
        String::new()
    } else {
        format!(" ({})", about.join("; "))
    };
    let rules: Vec<String> = description
        .rules_of(&path)
        .iter()
        .map(ToString::to_string)
        .filter(|rule| *rule != error.rule)
        .collect();
    let rules = if rules.is_empty() {
        String::new()
    } else if error.is_required() {
        format!(" Its rules: {}.", rules.join("; "))
    } else {
        format!(" Its other rules: {}.", rules.join("; "))
    };
    let source = format!("(the description of {method}, apis/{method}/)");
    if error.is_required() {
        return format!(
            "`{field}`{what} is required {source} and was not sent, or was blank: \
             empty and whitespace-only values are dropped, as TOP drops them.{rules}"
        );
    }
    if missing {
        return format!(
            "{} {source}: send at least one of them, with a value that is not blank.",
            error.rule
        );
    }
    format!(
        "`{field}`{what} {} {source}.{rules} The value is not repeated here; the call \
         log at /sandbox/calls shows it, secrets hidden.",
        error.rule
    )
}

/// `a.b[2].c` → `a.b[].c`: the description's way to step into lists.
fn description_path(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut in_index = false;
    for c in field.chars() {
        match c {
            '[' => {
                in_index = true;
                out.push_str("[]");
            }
            ']' => in_index = false,
            c if !in_index => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_type_summary_and_rules() {
        let catalog = top_model::Catalog::builtin().unwrap();
        let sync = catalog
            .get("taobao.logistics.express.user.blacklist.tms.sync")
            .unwrap();
        let error = sync
            .check_params([(
                "user_blacklist_request",
                r#"{"request_id":"r","request_time":1,"supplier_id":"s","service_type":"1","ability_type":"1","operate_type":1,"blacklist":[{"mobile":"13111111111"},{"mobile":"12"}]}"#,
            )])
            .unwrap_err();
        let hint = explain(sync, &error, false);
        assert!(
            hint.starts_with("`user_blacklist_request.blacklist[1].mobile` (String"),
            "{hint}"
        );
        assert!(
            hint.contains("must be an 11-digit mainland China mobile number"),
            "{hint}"
        );
        assert!(
            hint.contains("; inside the JSON text of the parameter `user_blacklist_request`) must"),
            "{hint}"
        );
        assert!(!hint.contains("\"12\""), "{hint}");
        let error = sync.check_params(std::iter::empty()).unwrap_err();
        let hint = explain(sync, &error, true);
        assert!(hint.starts_with("`user_blacklist_request`"), "{hint}");
        assert!(hint.contains("is required"), "{hint}");
        assert_eq!(description_path("a.b[12].c[0]"), "a.b[].c[]");
    }
}
