//! What the samples say about nesting, which the copied member list lost: the Java request
//! example sets each member on a variable of its object type (`obj1.setOperateType(1L)` on
//! `UserBlacklistRequest obj1`), and the XML or JSON samples nest each member in its object's
//! element. Both are read into groups of sibling members, each with the object it belongs to
//! and, where the sample shows one, each member's value.

use std::collections::BTreeMap;

use super::fields::norm;
use super::xml::Element;

/// Which sample a group comes from, for the guesses' wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Source {
    /// The Java request example.
    Java,
    /// The XML response sample.
    Xml,
    /// A JSON sample (a response sample, or JSON inside a request example).
    Json,
}

/// One member a sample shows.
#[derive(Debug, Clone)]
pub(super) struct Seen {
    /// The name as the sample spells it, in wire spelling (`request_id`).
    pub(super) wire: String,
    /// The sample's value, when it is a plain value.
    pub(super) value: Option<String>,
    /// The type the sample implies (`String`, `Number`, `Date`, an object type), when it
    /// implies one.
    pub(super) type_hint: Option<String>,
}

/// The members a sample shows together, and the object they belong to.
#[derive(Debug, Clone)]
pub(super) struct Group {
    /// The sample.
    pub(super) source: Source,
    /// Whether these are the members of the API itself (the request object, or the answer's
    /// root element).
    pub(super) root: bool,
    /// The object, normalized: its element name (XML/JSON) or its type name (Java).
    pub(super) key: Option<String>,
    /// For the entries of an XML list (`<error_infos><error_info>…`): the list's name.
    pub(super) item_of: Option<String>,
    /// How the guesses name the object (`UserBlacklistRequest`, `<result>`).
    pub(super) label: String,
    /// The members, in the sample's order.
    pub(super) members: Vec<Seen>,
}

/// Reading a group.
impl Group {
    /// The member `name` (normalized), if the group has it.
    pub(super) fn get(&self, name: &str) -> Option<&Seen> {
        self.members.iter().find(|m| norm(&m.wire) == name)
    }
}

/// An object a member may belong to.
#[derive(Debug, Clone)]
pub(super) enum Holder<'a> {
    /// The API itself.
    Root,
    /// An object member.
    Object {
        /// Its wire name.
        wire: &'a str,
        /// Its object type name (`Blacklist` for `Blacklist[]`).
        type_name: &'a str,
        /// Whether it is a list of objects.
        list: bool,
    },
}

/// All groups of one side (request or response).
#[derive(Debug, Clone, Default)]
pub(super) struct Evidence {
    /// The groups.
    pub(super) groups: Vec<Group>,
}

/// Asking the samples.
impl Evidence {
    /// The groups that are the members of `holder`. For a list, its entries' groups come
    /// first: the wrapper element of an XML list holds the entries, not the members.
    pub(super) fn groups_of<'s>(&'s self, holder: &Holder<'_>) -> Vec<&'s Group> {
        match holder {
            Holder::Root => self.groups.iter().filter(|g| g.root).collect(),
            Holder::Object {
                wire,
                type_name,
                list,
            } => {
                let (wire, type_name) = (norm(wire), norm(type_name));
                let items: Vec<&Group> = self
                    .groups
                    .iter()
                    .filter(|g| *list && g.item_of.as_deref() == Some(wire.as_str()))
                    .collect();
                if !items.is_empty() {
                    return items;
                }
                self.groups
                    .iter()
                    .filter(|g| {
                        !g.root
                            && g.key
                                .as_ref()
                                .is_some_and(|k| *k == wire || *k == type_name)
                    })
                    .collect()
            }
        }
    }

    /// The group that shows member `name` (normalized) in `holder`, if one does. `siblings`
    /// are the members already placed in `holder` (normalized): a group of a JSON snippet
    /// whose object has no name belongs to `holder` when it shows one of them too.
    pub(super) fn places<'s>(
        &'s self,
        holder: &Holder<'_>,
        name: &str,
        siblings: &[String],
    ) -> Option<&'s Group> {
        self.groups_of(holder)
            .into_iter()
            .find(|g| g.get(name).is_some())
            .or_else(|| {
                self.groups.iter().find(|g| {
                    !g.root
                        && g.key.is_none()
                        && g.get(name).is_some()
                        && siblings.iter().any(|s| s != name && g.get(s).is_some())
                })
            })
    }

    /// The sample's value of member `name` (normalized) in `holder`.
    pub(super) fn value(&self, holder: &Holder<'_>, name: &str) -> Option<&str> {
        self.groups_of(holder)
            .into_iter()
            .find_map(|g| g.get(name).and_then(|m| m.value.as_deref()))
    }

    /// The members the samples show in `holder`, each once, in the samples' order.
    pub(super) fn members(&self, holder: &Holder<'_>) -> Vec<(Source, Seen)> {
        let mut out: Vec<(Source, Seen)> = Vec::new();
        for group in self.groups_of(holder) {
            for member in &group.members {
                if !out.iter().any(|(_, m)| norm(&m.wire) == norm(&member.wire)) {
                    out.push((group.source, member.clone()));
                }
            }
        }
        out
    }

    /// The groups of an XML or JSON answer: one per element with children.
    pub(super) fn from_tree(root: &Element, source: Source) -> Evidence {
        let mut groups = Vec::new();
        walk(root, None, true, source, &mut groups, 0);
        Evidence { groups }
    }

    /// The groups of a request example: Java setters, or else the JSON objects it holds.
    pub(super) fn from_request(code: &str) -> Evidence {
        let java = java(code);
        if !java.groups.is_empty() {
            return java;
        }
        json_snippets(code)
    }
}

/// Adds the groups of `element` and the elements under it.
fn walk(
    element: &Element,
    parent: Option<&Element>,
    root: bool,
    source: Source,
    groups: &mut Vec<Group>,
    depth: usize,
) {
    if element.children.is_empty() || depth > 64 {
        return;
    }
    // An element whose parent holds only elements of its name is an entry of a list.
    let item_of = parent
        .filter(|p| p.children.iter().all(|c| c.name == element.name))
        .map(|p| norm(&p.name));
    let label = match source {
        Source::Xml => format!("<{}>", element.name),
        _ => format!("\"{}\"", element.name),
    };
    let mut members: Vec<Seen> = Vec::new();
    for child in &element.children {
        if members.iter().any(|m| m.wire == child.name) {
            continue;
        }
        members.push(Seen {
            wire: child.name.clone(),
            value: child.children.is_empty().then(|| child.text.clone()),
            type_hint: None,
        });
    }
    groups.push(Group {
        source,
        root,
        key: (!root).then(|| norm(&element.name)),
        item_of: if root { None } else { item_of },
        label,
        members,
    });
    for child in &element.children {
        walk(child, Some(element), false, source, groups, depth + 1);
    }
}

/// A Java variable: its type's simple name and whether it is a `List<…>`.
#[derive(Debug, Clone)]
struct Var {
    /// `Blacklist` for `LogisticsExpressUserBlacklistTmsSyncRequest.Blacklist`.
    type_name: String,
    /// Whether it is a `List<…>`.
    list: bool,
}

/// Reads `Type var = new …;`, `var.setName(value);` and `client.execute(var)` of the Java
/// example. The variable handed to `execute` is the request itself.
fn java(code: &str) -> Evidence {
    let mut vars: BTreeMap<String, Var> = BTreeMap::new();
    let mut setters: Vec<(String, String, String)> = Vec::new();
    let mut root_var: Option<String> = None;
    for statement in super::samples::split_statements(code) {
        let statement = statement.trim().trim_end_matches(';').trim();
        if let Some(at) = statement.find("execute(") {
            let arg = &statement[at + "execute(".len()..];
            let arg = arg.split(')').next().unwrap_or_default().trim();
            if is_ident(arg) {
                root_var = Some(arg.to_owned());
            }
        }
        if let Some((lhs, rhs)) = statement.split_once('=')
            && rhs.trim_start().starts_with("new ")
        {
            let mut words: Vec<&str> = lhs.split_whitespace().collect();
            let var = words.pop();
            if let Some(var) = var
                && !words.is_empty()
            {
                let declared = words.join("");
                let (inner, list) = match declared.split_once('<') {
                    Some((_, inner)) => (inner.trim_end_matches('>'), true),
                    None => (declared.as_str(), false),
                };
                let type_name = inner.rsplit('.').next().unwrap_or(inner).to_owned();
                if is_ident(var) && is_ident(&type_name) {
                    vars.insert(var.to_owned(), Var { type_name, list });
                }
            }
            continue;
        }
        if let Some((var, call)) = statement.split_once(".set")
            && is_ident(var.trim())
            && let Some((name, args)) = call.split_once('(')
            && is_ident(name)
        {
            let args = args.strip_suffix(')').unwrap_or(args).trim();
            setters.push((var.trim().to_owned(), name.to_owned(), args.to_owned()));
        }
    }
    // Without `execute(…)`, the request is the variable of a top-level `…Request` class.
    let root_var = root_var.or_else(|| {
        vars.iter()
            .find(|(_, v)| !v.list && v.type_name.ends_with("Request"))
            .map(|(name, _)| name.clone())
    });
    let mut groups: Vec<Group> = Vec::new();
    for (var, name, args) in setters {
        let Some(declared) = vars.get(&var) else {
            continue;
        };
        let root = root_var.as_deref() == Some(var.as_str());
        let (value, type_hint) = literal(&args, &vars);
        let seen = Seen {
            wire: snake(&name),
            value,
            type_hint,
        };
        let key = (!root).then(|| norm(&declared.type_name));
        match groups.iter_mut().find(|g| g.root == root && g.key == key) {
            Some(group) => group.members.push(seen),
            None => groups.push(Group {
                source: Source::Java,
                root,
                key,
                item_of: None,
                label: declared.type_name.clone(),
                members: vec![seen],
            }),
        }
    }
    Evidence { groups }
}

/// A setter's argument: its value as text and the type it implies.
fn literal(args: &str, vars: &BTreeMap<String, Var>) -> (Option<String>, Option<String>) {
    let args = args.trim();
    if let Some(text) = string_literal(args) {
        return (Some(text), Some("String".into()));
    }
    if args.contains("parseDateTime(")
        && let Some(open) = args.find('"')
        && let Some(text) = string_literal(args[open..].trim_end_matches(')'))
    {
        return (Some(text), Some("Date".into()));
    }
    let number = args.strip_suffix(['L', 'l']).unwrap_or(args);
    let digits = number.strip_prefix('-').unwrap_or(number);
    if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
        return (Some(number.to_owned()), Some("Number".into()));
    }
    if args == "true" || args == "false" {
        return (Some(args.to_owned()), Some("Boolean".into()));
    }
    if let Some(var) = vars.get(args) {
        let hint = if var.list {
            format!("{}[]", var.type_name)
        } else {
            var.type_name.clone()
        };
        return (None, Some(hint));
    }
    (None, None)
}

/// The text of a Java string literal `"…"`, escapes read.
fn string_literal(text: &str) -> Option<String> {
    let inner = text.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    Some(out)
}

/// A Java identifier (ASCII).
fn is_ident(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

/// `RequestId` → `request_id`; `Param0` → `param0`.
pub(super) fn snake(camel: &str) -> String {
    let mut out = String::new();
    for (i, c) in camel.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The JSON objects inside a request example that is not Java (a `curl` or Python example):
/// each object's keys are siblings, and an object under a key belongs to that key.
fn json_snippets(code: &str) -> Evidence {
    let mut groups = Vec::new();
    let mut start = 0;
    while let Some(open) = code[start..].find('{').map(|i| i + start) {
        let Some(close) = balanced(&code[open..]).map(|len| open + len) else {
            break;
        };
        let snippet = &code[open..close];
        match serde_json::from_str::<serde_json::Value>(snippet) {
            Ok(value) => {
                let wrapped = super::xml::json_elements("", &value)
                    .into_iter()
                    .next()
                    .unwrap_or_default();
                let mut found = Vec::new();
                walk(&wrapped, None, false, Source::Json, &mut found, 0);
                // The outermost object's own name is unknown: it belongs to no key.
                if let Some(first) = found.first_mut() {
                    first.key = None;
                }
                groups.extend(found);
                start = close;
            }
            Err(_) => start = open + 1,
        }
    }
    Evidence { groups }
}

/// The length of the balanced `{…}` at the start of `text`, skipping string contents.
fn balanced(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            '{' if !in_string => depth += 1,
            '}' if !in_string => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}
