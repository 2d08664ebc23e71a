//! What a re-import changed in an API's vendor part: members added, removed, retyped, and
//! requirement flips, by member path.

use std::collections::BTreeMap;
use std::fmt;

use top_model::{VendorApi, VendorParam};

/// The changes between two vendor parts of one API.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Changes {
    pub(crate) added: Vec<String>,
    pub(crate) removed: Vec<String>,
    pub(crate) retyped: Vec<(String, String, String)>,
    pub(crate) required: Vec<(String, bool)>,
}

impl Changes {
    pub(crate) fn between(old: &VendorApi, new: &VendorApi) -> Self {
        let (old, new) = (members(old), members(new));
        let mut changes = Changes::default();
        for (path, param) in &new {
            match old.get(path) {
                None => changes.added.push(path.clone()),
                Some(before) => {
                    if before.type_name.trim() != param.type_name.trim() {
                        changes.retyped.push((
                            path.clone(),
                            before.type_name.clone(),
                            param.type_name.clone(),
                        ));
                    }
                    if before.required != param.required {
                        changes.required.push((path.clone(), param.required));
                    }
                }
            }
        }
        changes.removed = old
            .keys()
            .filter(|p| !new.contains_key(*p))
            .cloned()
            .collect();
        changes
    }

    pub(crate) fn is_empty(&self) -> bool {
        *self == Changes::default()
    }
}

impl fmt::Display for Changes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("no member changed");
        }
        let mut parts = Vec::new();
        for p in &self.added {
            parts.push(format!("+ {p}"));
        }
        for p in &self.removed {
            parts.push(format!("- {p}"));
        }
        for (p, from, to) in &self.retyped {
            parts.push(format!("~ {p}: {from} -> {to}"));
        }
        for (p, required) in &self.required {
            parts.push(format!(
                "~ {p}: {}",
                if *required {
                    "now required"
                } else {
                    "now optional"
                }
            ));
        }
        f.write_str(&parts.join("\n  "))
    }
}

/// Every member by path (`request.user.mobile`, `response.result.list[].id`).
fn members(api: &VendorApi) -> BTreeMap<String, &VendorParam> {
    fn walk<'a>(
        params: &'a [VendorParam],
        path: &str,
        out: &mut BTreeMap<String, &'a VendorParam>,
    ) {
        for p in params {
            let here = format!("{path}.{}", p.name);
            out.insert(here.clone(), p);
            let inner = if p.type_ref().is_ok_and(|t| t.is_list()) {
                format!("{here}[]")
            } else {
                here
            };
            walk(&p.sub_params, &inner, out);
        }
    }
    let mut out = BTreeMap::new();
    walk(&api.request_params, "request", &mut out);
    walk(&api.response_params, "response", &mut out);
    out
}
