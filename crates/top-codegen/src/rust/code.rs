//! A Rust source being written: its text, the `use` items it needs, and the small private
//! helpers it calls, so that a module imports and defines only what it uses (the generated
//! code compiles without warnings).

use std::collections::BTreeSet;

use super::names;

/// A private helper function of a generated module.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Helper {
    Absent,
    AbsentMobile,
    AbsentSecret,
    Present,
    PresentMobile,
    PresentSecret,
    CheckPrice,
    CheckDate,
}

impl Helper {
    fn source(self) -> &'static str {
        match self {
            Helper::Absent => {
                "/// Unset or blank: not sent.\n\
                 fn absent(value: &Option<String>) -> bool {\n\
                 value.as_deref().is_none_or(is_blank)\n}\n"
            }
            Helper::AbsentMobile => {
                "/// Unset or blank: not sent.\n\
                 fn absent_mobile(value: &Option<Mobile>) -> bool {\n\
                 value.as_ref().is_none_or(|m| is_blank(m.expose()))\n}\n"
            }
            Helper::AbsentSecret => {
                "/// Unset or blank: not sent.\n\
                 fn absent_secret(value: &Option<Sensitive<String>>) -> bool {\n\
                 value.as_ref().is_none_or(|s| is_blank(s.expose()))\n}\n"
            }
            Helper::Present => {
                "/// The text, when set and not blank.\n\
                 fn present(value: &Option<String>) -> Option<&str> {\n\
                 value.as_deref().filter(|v| !is_blank(v))\n}\n"
            }
            Helper::PresentMobile => {
                "/// The number, when set and not blank.\n\
                 fn present_mobile(value: &Option<Mobile>) -> Option<&str> {\n\
                 value.as_ref().map(Mobile::expose).filter(|v| !is_blank(v))\n}\n"
            }
            Helper::PresentSecret => {
                "/// The secret, when set and not blank.\n\
                 fn present_secret(value: &Option<Sensitive<String>>) -> Option<&str> {\n\
                 value.as_ref().map(|s| s.expose().as_str()).filter(|v| !is_blank(v))\n}\n"
            }
            Helper::CheckPrice => {
                "/// A decimal amount, as the gateway reads a `Price`.\n\
                 fn check_price(field: impl Into<Cow<'static, str>>, value: &str) -> Result<(), ValidationError> {\n\
                 if value.trim().parse::<f64>().is_ok_and(f64::is_finite) {\n\
                 Ok(())\n} else {\n\
                 Err(ValidationError::new(field, PRICE))\n}\n}\n"
            }
            Helper::CheckDate => {
                "/// A GMT+8 `yyyy-MM-dd HH:mm:ss` date, as the gateway reads a `Date`.\n\
                 fn check_date(field: impl Into<Cow<'static, str>>, value: &str) -> Result<(), ValidationError> {\n\
                 if parse_gmt8(value.trim()).is_some() {\n\
                 Ok(())\n} else {\n\
                 Err(ValidationError::new(field, DATE))\n}\n}\n"
            }
        }
    }

    fn imports(self) -> &'static [&'static str] {
        match self {
            Helper::Absent | Helper::Present => &["top_core::params::is_blank"],
            Helper::AbsentMobile | Helper::PresentMobile => {
                &["top_core::params::is_blank", "top_core::Mobile"]
            }
            Helper::AbsentSecret | Helper::PresentSecret => {
                &["top_core::params::is_blank", "top_core::Sensitive"]
            }
            Helper::CheckPrice => &["std::borrow::Cow", "top_core::ValidationError"],
            Helper::CheckDate => &[
                "std::borrow::Cow",
                "top_core::ValidationError",
                "top_core::time::parse_gmt8",
            ],
        }
    }
}

/// Source text with its imports and helpers.
#[derive(Debug, Default)]
pub(crate) struct Code {
    text: String,
    imports: BTreeSet<String>,
    helpers: BTreeSet<Helper>,
}

impl Code {
    /// One line (or several, already terminated) of code.
    pub(crate) fn line(&mut self, line: impl AsRef<str>) {
        self.text.push_str(line.as_ref());
        self.text.push('\n');
    }

    /// Whether nothing was written (imports and helpers aside).
    pub(crate) fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// An empty line.
    pub(crate) fn blank(&mut self) {
        self.text.push('\n');
    }

    /// A doc comment, wrapped for code indented by `indent` spaces.
    pub(crate) fn doc(&mut self, text: &str, indent: usize) {
        self.text.push_str(&names::doc(text, indent));
    }

    /// Needs `use {path};` (`serde::Serialize`, `crate::Gender`).
    pub(crate) fn import(&mut self, path: impl Into<String>) {
        self.imports.insert(path.into());
    }

    /// Needs a helper function (and its imports).
    pub(crate) fn helper(&mut self, helper: Helper) -> &'static str {
        for path in helper.imports() {
            self.import(*path);
        }
        self.helpers.insert(helper);
        match helper {
            Helper::Absent => "absent",
            Helper::AbsentMobile => "absent_mobile",
            Helper::AbsentSecret => "absent_secret",
            Helper::Present => "present",
            Helper::PresentMobile => "present_mobile",
            Helper::PresentSecret => "present_secret",
            Helper::CheckPrice => "check_price",
            Helper::CheckDate => "check_date",
        }
    }

    /// Appends another piece, merging its needs.
    pub(crate) fn append(&mut self, other: Code) {
        self.text.push_str(&other.text);
        self.imports.extend(other.imports);
        self.helpers.extend(other.helpers);
    }

    /// The whole module: `head` (comments, module docs), the `use` items, the code, then the
    /// helpers.
    pub(crate) fn finish(self, head: &str) -> String {
        let mut out = String::from(head);
        let local = |p: &&String| p.starts_with("crate::") || p.starts_with("super::");
        let std: Vec<&String> = self
            .imports
            .iter()
            .filter(|p| p.starts_with("std::"))
            .collect();
        let external: Vec<&String> = self
            .imports
            .iter()
            .filter(|p| !p.starts_with("std::") && !local(p))
            .collect();
        let crate_local: Vec<&String> = self.imports.iter().filter(local).collect();
        for group in [std, external, crate_local] {
            if group.is_empty() {
                continue;
            }
            out.push('\n');
            // `a::b::C` and `a::b::D` become `use a::b::{C, D};`.
            let mut by_parent: Vec<(&str, Vec<&str>)> = Vec::new();
            for path in group {
                let (parent, name) = path.rsplit_once("::").unwrap_or(("", path.as_str()));
                match by_parent.iter_mut().find(|(p, _)| *p == parent) {
                    Some((_, names)) => names.push(name),
                    None => by_parent.push((parent, vec![name])),
                }
            }
            for (parent, names) in by_parent {
                match names.as_slice() {
                    [one] => out.push_str(&format!("use {parent}::{one};\n")),
                    many => out.push_str(&format!("use {parent}::{{{}}};\n", many.join(", "))),
                }
            }
        }
        out.push('\n');
        out.push_str(&self.text);
        for helper in &self.helpers {
            out.push('\n');
            out.push_str(
                &helper
                    .source()
                    .replace("PRICE", &names::lit(super::validate::PRICE_MESSAGE))
                    .replace("DATE", &names::lit(super::validate::DATE_MESSAGE)),
            );
        }
        out
    }
}
