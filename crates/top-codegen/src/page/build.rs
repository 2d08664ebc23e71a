//! From what a layout reader found to the vendor description: the method and names, each
//! member's place in the tree, its example and description, the members only the samples
//! show, and the guesses made on the way.
//!
//! Placing a member: the copy shows that a member is a sub-member, not of which open object.
//! The candidates are the objects opened before it (and, for an unmarked table row, the top
//! level). The samples decide when they show the member in one candidate; otherwise it stays
//! where the copied list puts it (in the innermost object; at the top level for an unmarked
//! row). Whenever the list alone left a choice, the decision is reported.

use serde_json::{Map, Value};
use top_model::{ModelError, TypeRef, VendorApi};

use super::evidence::{Evidence, Group, Holder, Seen, Source};
use super::fields::{self, Fields, Level, RawMember, Rest, norm};
use super::samples::{self, Markup};
use super::{Heading, Page, PageError, RawPage, Samples};

/// How deep members may nest; deeper is a broken page, and a bound keeps recursion safe.
const MAX_DEPTH: usize = 32;

/// What every placement guess ends with.
const SETTLE: &str =
    "if wrong, import the vendor's JSON description instead (it keeps the nesting)";

/// Platforms whose response keys keep their prefix; `taobao.` is the one TOP drops.
const PLATFORMS: [&str; 17] = [
    "alibaba",
    "alicom",
    "aliexpress",
    "alihealth",
    "alimama",
    "alipay",
    "alitrip",
    "cainiao",
    "dingtalk",
    "fliggy",
    "koubei",
    "lazada",
    "tmall",
    "wdk",
    "xhotel",
    "youku",
    "yunos",
];

/// The request or the response side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    /// The request parameters.
    Request,
    /// The members of the answer.
    Response,
}

impl Side {
    /// The first word of its member paths.
    fn label(self) -> &'static str {
        match self {
            Side::Request => "request",
            Side::Response => "response",
        }
    }

    /// How a guess names its top level.
    fn top(self) -> &'static str {
        match self {
            Side::Request => "the request's own parameters",
            Side::Response => "the answer's top level",
        }
    }
}

/// One member in the tree.
#[derive(Debug, Clone)]
struct Node {
    /// What the page lists.
    raw: RawMember,
    /// `request.user_blacklist_request.blacklist[].mobile`
    path: String,
    /// Its members, as indices into [`Tree::nodes`].
    children: Vec<usize>,
    /// Its example, description and limits, told apart.
    fields: Fields,
}

/// The members of one side.
#[derive(Debug, Default)]
struct Tree {
    /// Every member, in the order placed.
    nodes: Vec<Node>,
    /// The top-level members.
    roots: Vec<usize>,
}

impl Tree {
    /// `at` (`None`: the top level) as the evidence asks about it.
    fn holder(&self, at: Option<usize>) -> Holder<'_> {
        match at.and_then(|i| self.nodes.get(i)) {
            None => Holder::Root,
            Some(node) => Holder::Object {
                wire: &node.raw.name,
                type_name: node.raw.type_ref.object_name().unwrap_or_default(),
                list: node.raw.type_ref.is_list(),
            },
        }
    }

    /// The members placed in `at` so far.
    fn children(&self, at: Option<usize>) -> &[usize] {
        match at.and_then(|i| self.nodes.get(i)) {
            None => &self.roots,
            Some(node) => &node.children,
        }
    }

    /// The normalized names of the members placed in `at` so far.
    fn child_names(&self, at: Option<usize>) -> Vec<String> {
        self.children(at)
            .iter()
            .filter_map(|i| self.nodes.get(*i))
            .map(|n| norm(&n.raw.name))
            .collect()
    }

    /// The path a child `name` of `at` has.
    fn child_path(&self, side: Side, at: Option<usize>, name: &str) -> String {
        match at.and_then(|i| self.nodes.get(i)) {
            None => format!("{}.{name}", side.label()),
            Some(parent) if parent.raw.type_ref.is_list() => format!("{}[].{name}", parent.path),
            Some(parent) => format!("{}.{name}", parent.path),
        }
    }

    /// How a guess names a candidate.
    fn describe(&self, side: Side, at: Option<usize>) -> String {
        match at.and_then(|i| self.nodes.get(i)) {
            None => side.top().to_owned(),
            Some(node) => format!("{} ({})", node.raw.type_name, node.path),
        }
    }

    /// How deep member `at` sits (0: top level).
    fn depth(&self, at: usize) -> usize {
        self.nodes
            .get(at)
            .map_or(0, |n| n.path.matches('.').count())
    }

    /// Adds `raw` under `at`; refuses a name twice among siblings.
    fn attach(
        &mut self,
        side: Side,
        at: Option<usize>,
        raw: RawMember,
        fields: Fields,
    ) -> Result<usize, PageError> {
        let path = self.child_path(side, at, &raw.name);
        let twice = self
            .children(at)
            .iter()
            .filter_map(|i| self.nodes.get(*i))
            .any(|n| n.raw.name == raw.name);
        if twice {
            return Err(PageError::Malformed {
                line: raw.line,
                reason: format!("{path} appears twice"),
            });
        }
        let index = self.nodes.len();
        if path.matches('.').count() > MAX_DEPTH {
            return Err(PageError::Malformed {
                line: raw.line,
                reason: format!("{path}: nested deeper than {MAX_DEPTH} levels"),
            });
        }
        self.nodes.push(Node {
            raw,
            path,
            children: Vec::new(),
            fields,
        });
        match at.and_then(|i| self.nodes.get_mut(i)) {
            Some(parent) => parent.children.push(index),
            None => self.roots.push(index),
        }
        Ok(index)
    }
}

/// Builds the page from what a layout reader found.
pub(super) fn build(raw: RawPage) -> Result<Page, PageError> {
    let mut guesses = Vec::new();
    let response = raw.response_sample.as_deref().map(samples::markup);
    let error = raw.error_sample.as_deref().map(samples::markup);
    for (what, markup) in [("response", &response), ("error", &error)] {
        if let Some(Markup {
            problem: Some(problem),
            ..
        }) = markup
        {
            guesses.push(format!(
                "samples.{what}: {problem}; kept as copied and not used to decide anything"
            ));
        }
    }
    let request_evidence = raw
        .request_sample
        .as_deref()
        .map(Evidence::from_request)
        .unwrap_or_default();
    let response_tree = response.as_ref().and_then(|m| m.tree.as_ref());
    let response_evidence = match (response_tree, &response) {
        (Some(tree), Some(m)) => {
            Evidence::from_tree(tree, if m.json { Source::Json } else { Source::Xml })
        }
        _ => Evidence::default(),
    };
    let root = response_tree.map(|t| t.name.as_str());
    if let Some(Markup {
        tree: Some(tree), ..
    }) = &error
        && tree.name != "error_response"
    {
        guesses.push(format!(
            "samples.error: its root is <{}>, not <error_response>",
            tree.name
        ));
    }
    let heading = heading(&raw, root, &mut guesses)?;

    let request = nest(Side::Request, raw.request, &request_evidence, &mut guesses)?;
    let response_members = nest(
        Side::Response,
        raw.response,
        &response_evidence,
        &mut guesses,
    )?;

    let mut api = Map::new();
    api.insert("name".into(), Value::String(heading.name));
    api.insert("apiChineseName".into(), Value::String(heading.chinese));
    api.insert("description".into(), Value::String(heading.description));
    api.insert("requestParams".into(), params(&request, &request.roots));
    api.insert(
        "responseParams".into(),
        params(&response_members, &response_members.roots),
    );
    let invalid = |source| PageError::Invalid {
        line: heading.line,
        source,
    };
    let vendor: VendorApi = serde_json::from_value(Value::Object(api))
        .map_err(|e| invalid(ModelError::member("$", e.to_string())))?;
    vendor.check().map_err(invalid)?;
    Ok(Page {
        vendor,
        samples: Samples {
            request: raw.request_sample,
            response: response.map(|m| m.text),
            error: error.map(|m| m.text),
        },
        guesses,
    })
}

/// The method, Chinese name and description.
struct Names {
    /// The method line, or the title's line.
    line: usize,
    /// The method name.
    name: String,
    /// The Chinese name.
    chinese: String,
    /// The description.
    description: String,
}

/// The method, Chinese name and description: from the method line, or (table layout) from
/// the samples and the title, with guesses.
fn heading(
    raw: &RawPage,
    root: Option<&str>,
    guesses: &mut Vec<String>,
) -> Result<Names, PageError> {
    match &raw.heading {
        Heading::Method {
            line,
            name,
            chinese,
            description,
        } => {
            if let Some(root) = root
                && root != response_key(name)
            {
                guesses.push(format!(
                    "name: the response sample's root <{root}> is not the response key <{}> of {name}; kept the method line's name",
                    response_key(name)
                ));
            }
            Ok(Names {
                line: *line,
                name: name.clone(),
                chinese: chinese.clone(),
                description: description.clone(),
            })
        }
        Heading::Title { line, lines } => {
            let from_root = root.and_then(|r| method_from_key(r).map(|m| (m, r)));
            let (name, from) = match from_root {
                Some((name, root)) => (name, format!("the response sample's root <{root}>")),
                None => {
                    let class = raw.request_sample.as_deref().and_then(request_class);
                    match class.as_deref().and_then(method_from_class) {
                        Some(name) => (
                            name,
                            format!("the request example's class {}", class.unwrap_or_default()),
                        ),
                        None => {
                            return Err(PageError::NoMethod {
                                line: raw.params_line,
                            });
                        }
                    }
                }
            };
            guesses.push(format!(
                "name: the page has no method line; read `{name}` from {from} (TOP drops `taobao.` from the keys of taobao.* methods, other platforms keep their prefix); check it if wrong"
            ));
            let (chinese, description) = split_title(lines, guesses);
            Ok(Names {
                line: *line,
                name,
                chinese,
                description,
            })
        }
    }
}

/// The key of an answer: `taobao.a.b` → `a_b_response`, `alibaba.a.b` → `alibaba_a_b_response`.
fn response_key(method: &str) -> String {
    let method = method.strip_prefix("taobao.").unwrap_or(method);
    format!("{}_response", method.replace('.', "_"))
}

/// The method of an answer's key, the reverse of [`response_key`].
fn method_from_key(key: &str) -> Option<String> {
    let words: Vec<&str> = key.strip_suffix("_response")?.split('_').collect();
    method_from_words(&words)
}

/// `[retail, user, tag]` → `taobao.retail.user.tag`; a platform's first word is kept as is.
fn method_from_words(words: &[&str]) -> Option<String> {
    let ok = |w: &&str| {
        !w.is_empty()
            && w.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    };
    if words.len() < 2 || !words.iter().all(ok) {
        return None;
    }
    let joined = words.join(".");
    let method = match words.first() {
        Some(first) if PLATFORMS.contains(first) || *first == "taobao" => joined,
        _ => format!("taobao.{joined}"),
    };
    (method.split('.').count() >= 3).then_some(method)
}

/// The request class of a Java example (`RetailUserTagMobileAddRequest req = new …`).
fn request_class(code: &str) -> Option<String> {
    samples::split_statements(code).into_iter().find_map(|s| {
        let (lhs, rhs) = s.split_once('=')?;
        let class = lhs.split_whitespace().next()?;
        let plain = class.chars().all(|c| c.is_ascii_alphanumeric());
        (rhs.trim_start().starts_with("new ")
            && plain
            && class.len() > "Request".len()
            && class.ends_with("Request"))
        .then(|| class.to_owned())
    })
}

/// `RetailUserTagMobileAddRequest` → `taobao.retail.user.tag.mobile.add`.
fn method_from_class(class: &str) -> Option<String> {
    let camel = class.strip_suffix("Request")?;
    let snake = super::evidence::snake(camel);
    let words: Vec<&str> = snake.split('_').collect();
    method_from_words(&words)
}

/// The Chinese name and description from the title of a page without a method line: one
/// line `中文名-描述` (the seed table page), or a name line and description lines.
fn split_title(lines: &[String], guesses: &mut Vec<String>) -> (String, String) {
    let (chinese, description, how) = match lines {
        [] => (
            String::new(),
            String::new(),
            "it has no title; both left empty".to_owned(),
        ),
        [one] => {
            let halves: Vec<(&str, &str)> = one
                .match_indices('-')
                .map(|(i, _)| (one[..i].trim(), one[i + 1..].trim()))
                .collect();
            match halves.iter().find(|(a, b)| !a.is_empty() && a == b) {
                Some((a, _)) => (
                    a.to_string(),
                    a.to_string(),
                    format!("its title `{one}` repeats `{a}` around `-`: both are `{a}`"),
                ),
                None => match halves.first() {
                    Some((a, b)) => (
                        a.to_string(),
                        b.to_string(),
                        format!(
                            "split its title `{one}` at the first `-` into the Chinese name `{a}` and the description `{b}`"
                        ),
                    ),
                    None => (
                        one.clone(),
                        one.clone(),
                        format!("its title `{one}` is both the Chinese name and the description"),
                    ),
                },
            }
        }
        [first, more @ ..] => (
            first.clone(),
            more.join("\n"),
            format!(
                "took its first title line `{first}` as the Chinese name and the rest as the description"
            ),
        ),
    };
    guesses.push(format!(
        "api_chinese_name, description: the page has no method line; {how}; check them if wrong"
    ));
    (chinese, description)
}

/// Places the members of one side, tells their fields apart, and adds the members only the
/// samples show.
fn nest(
    side: Side,
    members: Vec<RawMember>,
    evidence: &Evidence,
    guesses: &mut Vec<String>,
) -> Result<Tree, PageError> {
    let mut tree = Tree::default();
    let mut open: Vec<usize> = Vec::new();
    for raw in members {
        if raw.level == Level::Top {
            open.clear();
        }
        let candidates: Vec<Option<usize>> = match raw.level {
            Level::Top => vec![None],
            Level::Unmarked => std::iter::once(None)
                .chain(open.iter().copied().map(Some))
                .collect(),
            Level::Sub if open.is_empty() => {
                return Err(PageError::Malformed {
                    line: raw.line,
                    reason: format!(
                        "`{}` is a sub-member, but no object member comes before it",
                        raw.name
                    ),
                });
            }
            Level::Sub => open.iter().copied().map(Some).collect(),
        };
        let listed = match raw.level {
            Level::Sub => candidates.last().copied().flatten(),
            Level::Top | Level::Unmarked => None,
        };
        let name = norm(&raw.name);
        let shown: Vec<(Option<usize>, &Group)> = candidates
            .iter()
            .filter_map(|c| {
                evidence
                    .places(&tree.holder(*c), &name, &tree.child_names(*c))
                    .map(|g| (*c, g))
            })
            .collect();
        let chosen = match shown.as_slice() {
            [] => listed,
            [(only, _)] => *only,
            many if many.iter().any(|(c, _)| *c == listed) => listed,
            [.., (innermost, _)] => *innermost,
        };
        // The first member after an object is that object's: no choice there.
        let first_in_listed = raw.level == Level::Sub && tree.children(listed).is_empty();
        if candidates.len() >= 2 {
            let path = tree.child_path(side, chosen, &raw.name);
            let others: Vec<String> = candidates
                .iter()
                .filter(|c| **c != chosen)
                .map(|c| tree.describe(side, *c))
                .collect();
            match shown.as_slice() {
                [(only, group)] if *only != listed => guesses.push(format!(
                    "{path}: placed in {}, not in {} where the copied page lists it: {}; {SETTLE}",
                    tree.describe(side, chosen),
                    tree.describe(side, listed),
                    shown_by(group),
                )),
                [] if !first_in_listed => guesses.push(format!(
                    "{path}: placed in {} as the copied page lists it, though it may belong to {}: no sample shows it; {SETTLE}",
                    tree.describe(side, chosen),
                    others.join(" or "),
                )),
                [_, _, ..] => guesses.push(format!(
                    "{path}: the samples show a `{}` in several of the objects it may belong to; placed in {}; {SETTLE}",
                    raw.name,
                    tree.describe(side, chosen),
                )),
                _ => {}
            }
        }
        match chosen {
            None => open.clear(),
            Some(parent) => {
                if let Some(at) = open.iter().position(|o| *o == parent) {
                    open.truncate(at + 1);
                }
            }
        }
        let sample = evidence.value(&tree.holder(chosen), &name);
        let fields = fields::resolve(&raw.rest, sample, raw.type_ref.object_name().is_some());
        let is_object = raw.type_ref.object_name().is_some();
        let index = tree.attach(side, chosen, raw, fields)?;
        if let Some(node) = tree.nodes.get(index)
            && let Some(doubt) = &node.fields.doubt
        {
            guesses.push(format!("{}: {doubt}; check it if wrong", node.path));
        }
        if is_object {
            open.push(index);
        }
    }
    // Objects the page lists without members: the samples may show them.
    let empty: Vec<usize> = (0..tree.nodes.len())
        .filter(|i| {
            tree.nodes
                .get(*i)
                .is_some_and(|n| n.children.is_empty() && n.raw.type_ref.object_name().is_some())
        })
        .collect();
    for index in empty {
        infer(side, &mut tree, index, evidence, guesses)?;
    }
    Ok(tree)
}

/// Adds the members the samples show in object `index`, which the page lists without any.
fn infer(
    side: Side,
    tree: &mut Tree,
    index: usize,
    evidence: &Evidence,
    guesses: &mut Vec<String>,
) -> Result<(), PageError> {
    if tree.depth(index) >= MAX_DEPTH {
        return Ok(());
    }
    let Some(line) = tree.nodes.get(index).map(|n| n.raw.line) else {
        return Ok(());
    };
    let seen = evidence.members(&tree.holder(Some(index)));
    for (source, member) in seen {
        if !fields::is_wire_name(&member.wire) {
            continue;
        }
        let (type_name, why) = inferred_type(&member);
        let Ok(type_ref) = TypeRef::parse(&type_name) else {
            continue;
        };
        let object = type_ref.object_name().is_some();
        let example = member.value.clone().filter(|v| !v.is_empty());
        let raw = RawMember {
            line,
            name: member.wire.clone(),
            level: Level::Sub,
            type_name: type_name.clone(),
            type_ref,
            required: (side == Side::Request).then_some(false),
            rest: Rest::Cells(Vec::new()),
        };
        let fields = Fields {
            example: example.clone(),
            ..Fields::default()
        };
        let child = tree.attach(side, Some(index), raw, fields)?;
        let path = tree
            .nodes
            .get(child)
            .map(|n| n.path.clone())
            .unwrap_or_default();
        let value = example.map_or(String::new(), |v| format!(", example `{v}`"));
        let optional = if side == Side::Request {
            "; taken as optional"
        } else {
            ""
        };
        guesses.push(format!(
            "{path}: not listed on the page; read from the {} as {type_name} ({why}{value}){optional}, without a description; check it if wrong",
            sample_name(side, source)
        ));
        if object {
            infer(side, tree, child, evidence, guesses)?;
        }
    }
    Ok(())
}

/// The type a sample implies, and why.
fn inferred_type(member: &Seen) -> (String, &'static str) {
    if let Some(hint) = &member.type_hint {
        return (hint.clone(), "the setter's argument");
    }
    match member.value.as_deref() {
        Some("true" | "false") => ("Boolean".into(), "its value is a flag"),
        Some(v) if !v.is_empty() && v.chars().all(|c| c.is_ascii_digit()) => (
            "String".into(),
            "its value is digits: it may be a Number, String kept as the safer reading",
        ),
        Some(_) => ("String".into(), "its value is text"),
        None => (
            camel(&member.wire),
            "it has members of its own; the type name is made up from the element's",
        ),
    }
}

/// `user_info` → `UserInfo`.
fn camel(wire: &str) -> String {
    wire.split('_')
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// How a guess names the sample a member was read from.
fn sample_name(side: Side, source: Source) -> &'static str {
    match (side, source) {
        (_, Source::Java) => "Java request example",
        (Side::Response, Source::Xml) => "XML response sample",
        (Side::Response, Source::Json) => "JSON response sample",
        (Side::Request, _) => "request example",
    }
}

/// Why a sample says a member belongs where it was placed.
fn shown_by(group: &Group) -> String {
    match (group.source, group.root) {
        (Source::Java, true) => "the Java request example sets it on the request itself".into(),
        (Source::Java, false) => format!("the Java request example sets it on {}", group.label),
        (Source::Xml, _) => format!("the XML response sample nests it in {}", group.label),
        (Source::Json, _) => format!("the JSON sample nests it in {}", group.label),
    }
}

/// The vendor JSON of members.
fn params(tree: &Tree, indices: &[usize]) -> Value {
    Value::Array(
        indices
            .iter()
            .filter_map(|i| tree.nodes.get(*i))
            .map(|node| param(tree, node))
            .collect(),
    )
}

/// The vendor JSON of one member and its members.
fn param(tree: &Tree, node: &Node) -> Value {
    let mut p = Map::new();
    p.insert("name".into(), Value::String(node.raw.name.clone()));
    p.insert("type".into(), Value::String(node.raw.type_name.clone()));
    if node.raw.required == Some(true) {
        p.insert("required".into(), Value::Bool(true));
    }
    let fields = &node.fields;
    if !fields.description.is_empty() {
        p.insert(
            "description".into(),
            Value::String(fields.description.clone()),
        );
    }
    if let Some(example) = &fields.example {
        p.insert("example".into(), Value::String(example.clone()));
    }
    let limits = &fields.limits;
    for (key, value) in [
        ("maxLength", limits.max_length.map(Value::from)),
        ("maxListSize", limits.max_list_size.map(Value::from)),
        ("maxValue", limits.max_value.map(Value::from)),
        ("minValue", limits.min_value.map(Value::from)),
    ] {
        if let Some(value) = value {
            p.insert(key.into(), value);
        }
    }
    if !node.children.is_empty() {
        p.insert("subParams".into(), params(tree, &node.children));
    }
    Value::Object(p)
}
