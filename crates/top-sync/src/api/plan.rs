//! A bulk job's plan, read from its API's description (`overlay.bulk`): which members a
//! row's columns are, which are set once per job from a flag, which the engine generates
//! per call, which have defaults, which column names a row in reports, and whether a call
//! may be resent.
//!
//! * `bulk.object`: one call per row, the columns being that object parameter's members;
//!   `bulk.list`: rows batched (up to `max_batch` per call), each an entry of that list;
//!   neither: one call per row, the columns being the top-level parameters.
//! * Nested members are columns by their dotted path (`address.city`), list entries by
//!   their number (`items[0].name`); an object or list member may also be one column
//!   holding JSON.
//! * Members in `bulk.flags` and `bulk.generated` are not columns, except a generated
//!   `request_id` of a one-call-per-row job, which a row may give itself (its own key wins).
//!
//! A row is checked against the *entry* description: the same description with the row's
//! members as its parameters (rules re-rooted there, the members the job fills made
//! optional), so the path a broken rule names is the row's own column path.

use std::collections::BTreeMap;

use top_core::rules::Rule;
use top_model::overlay::{CrossRule, Format, Generated, MemberOverlay, Redact};
use top_model::value::MemberPath;
use top_model::{Description, Side, TypeRef, VendorParam};

use crate::report::mask;

/// The default batch size of a list job whose description sets none.
const DEFAULT_BATCH: usize = 100;

/// How rows become calls.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Shape {
    /// One call per row; the row's members are the top-level parameters.
    TopLevel,
    /// One call per row; the row's members are this object parameter's.
    Object(String),
    /// Batches: each row an entry of this list member.
    List(String),
}

/// A member set once per job from a command-line flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlagMember {
    /// The member's wire path (`user_blacklist_request.supplier_id`).
    pub path: String,
    /// The flag's name (`supplier-id`).
    pub flag: String,
    /// Whether the call needs it.
    pub required: bool,
    /// The codes it takes, when it is an enum: (code, name, meaning).
    pub codes: Vec<(String, String, String)>,
}

/// Which column names a row in reports, and how it is masked.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Label {
    /// The failures file's header.
    header: String,
    /// The columns, the first present one naming the row.
    members: Vec<String>,
    /// Always masked as a mobile (a mobile-number member); else masked where it holds one.
    always_mobile: bool,
}

/// A bulk job's plan for one described API.
#[derive(Debug, Clone)]
pub struct BulkPlan {
    description: Description,
    entry: Description,
    shape: Shape,
    columns: Vec<String>,
    required: Vec<String>,
    flags: Vec<FlagMember>,
    /// Outside the row: (path, default text).
    fixed_defaults: Vec<(String, String)>,
    /// Inside the row: (entry member, default text).
    entry_defaults: Vec<(String, String)>,
    /// (full path, what), outside the row, or inside it for one-call-per-row jobs.
    generated: Vec<(String, Generated)>,
    /// The entry path of the generated request id a row may give itself.
    row_request_id: Option<String>,
    /// Entry members that are not columns (set by a flag or per call).
    not_columns: Vec<String>,
    /// Entry members no two entries of a call share.
    unique: Vec<String>,
    idempotent: bool,
    label: Label,
    max_batch: usize,
    max_items: Option<usize>,
    /// Entry members that are mainland mobiles.
    mobiles: Vec<String>,
    /// Entry members that are mainland mobiles when another member has a value:
    /// (member, when member, equals).
    mobiles_when: Vec<(String, String, String)>,
}

impl BulkPlan {
    /// Plans the description's bulk settings.
    ///
    /// # Errors
    /// Why the settings cannot be planned, naming the member.
    pub(crate) fn new(description: &Description) -> Result<Self, String> {
        let bulk = description
            .overlay
            .bulk
            .as_ref()
            .ok_or_else(|| "the description has no bulk settings".to_owned())?;
        let member = |path: &str| {
            description
                .member(Side::Request, path)
                .ok_or_else(|| format!("bulk: `{path}` is not a request member"))
        };
        let (shape, prefix, params): (Shape, String, Vec<VendorParam>) = match (
            &bulk.object,
            &bulk.list,
        ) {
            (Some(object), None) => {
                let param = member(object)?;
                if !matches!(param.type_ref(), Ok(TypeRef::Object(_))) {
                    return Err(format!("bulk.object: `{object}` is not an object member"));
                }
                (
                    Shape::Object(object.clone()),
                    format!("{object}."),
                    param.sub_params.clone(),
                )
            }
            (None, Some(list)) => {
                let param = member(list)?;
                let of_objects = matches!(param.type_ref(), Ok(TypeRef::List(inner)) if inner.object_name().is_some());
                if !of_objects {
                    return Err(format!("bulk.list: `{list}` is not a list of objects"));
                }
                (
                    Shape::List(list.clone()),
                    format!("{list}[]."),
                    param.sub_params.clone(),
                )
            }
            (None, None) => (
                Shape::TopLevel,
                String::new(),
                description.vendor.request_params.clone(),
            ),
            (Some(_), Some(_)) => {
                return Err("bulk: set at most one of `object` and `list`".into());
            }
        };
        let relative = |path: &str| -> Option<String> {
            path.strip_prefix(prefix.as_str()).map(str::to_owned)
        };

        let mut flags = Vec::new();
        let mut not_columns = Vec::new();
        let mut optional_in_entry = Vec::new();
        for (path, flag) in &bulk.flags {
            if path.contains("[]") {
                return Err(format!(
                    "bulk.flags: `{path}` is inside a list; a flag sets one member per job"
                ));
            }
            if let Some(rel) = relative(path) {
                not_columns.push(rel.clone());
                optional_in_entry.push(rel);
            }
            let codes = description
                .overlay
                .members
                .get(path)
                .and_then(|m| m.enum_name.as_deref())
                .and_then(|name| description.overlay.enums.get(name))
                .map(|e| {
                    e.values
                        .iter()
                        .map(|v| (v.code.clone(), v.name.clone(), v.meaning.clone()))
                        .collect()
                })
                .unwrap_or_default();
            flags.push(FlagMember {
                path: path.clone(),
                flag: flag.clone(),
                required: description.is_required(path),
                codes,
            });
        }

        let batched = matches!(shape, Shape::List(_));
        let mut generated = Vec::new();
        let mut row_request_id = None;
        for (path, what) in &bulk.generated {
            if path.contains("[]") {
                return Err(format!(
                    "bulk.generated: `{path}` is inside a list; generated members are per call"
                ));
            }
            if let Some(rel) = relative(path) {
                optional_in_entry.push(rel.clone());
                match what {
                    Generated::RequestId if !batched => row_request_id = Some(rel),
                    _ => not_columns.push(rel),
                }
            }
            generated.push((path.clone(), *what));
        }

        let mut fixed_defaults = Vec::new();
        let mut entry_defaults = Vec::new();
        for (path, overlay) in &description.overlay.members {
            let Some(text) = default_of(overlay) else {
                continue;
            };
            match relative(path) {
                Some(rel) if !rel.contains(['.', '[']) => {
                    optional_in_entry.push(rel.clone());
                    entry_defaults.push((rel, text));
                }
                Some(_) => {}
                None if !path.contains("[]") => fixed_defaults.push((path.to_owned(), text)),
                None => {}
            }
        }

        let entry = entry_description(description, &shape, &prefix, params, &optional_in_entry)?;
        let unique = if batched {
            entry
                .overlay
                .members
                .iter()
                .filter(|(path, m)| is_unique(m) && !path.contains(['.', '[']))
                .map(|(path, _)| path.clone())
                .collect()
        } else {
            Vec::new()
        };
        let columns = columns_of(&entry.vendor.request_params, "", &not_columns);
        let required: Vec<String> = entry
            .vendor
            .request_params
            .iter()
            .filter(|p| !not_columns.contains(&p.name) && entry.is_required(&p.name))
            .map(|p| p.name.clone())
            .collect();
        let idempotent = match &description.overlay.idempotency_key {
            Some(key) => {
                generated
                    .iter()
                    .any(|(p, g)| p == key && *g == Generated::RequestId)
                    || (description.is_required(key)
                        && relative(key).is_some_and(|rel| required.contains(&rel)))
            }
            None => false,
        };
        let label = label_of(&entry, &columns, &required, row_request_id.as_deref());
        let mobiles = entry
            .overlay
            .members
            .iter()
            .filter(|(_, m)| m.format == Some(Format::MainlandMobile))
            .map(|(path, _)| path.clone())
            .collect();
        let mobiles_when = entry
            .overlay
            .rules
            .iter()
            .filter_map(|rule| match rule {
                CrossRule::When { when, then } if then.format == Format::MainlandMobile => Some((
                    then.member.clone(),
                    when.member.clone(),
                    when.equals.clone(),
                )),
                _ => None,
            })
            .collect();
        let max_items = match &shape {
            Shape::List(list) => description
                .rules_of(list)
                .into_iter()
                .filter_map(|r| match r {
                    Rule::MaxItems(n) => Some(n),
                    _ => None,
                })
                .min(),
            _ => None,
        };
        let max_batch = if batched {
            bulk.max_batch
                .unwrap_or(DEFAULT_BATCH)
                .min(max_items.unwrap_or(usize::MAX))
                .max(1)
        } else {
            1
        };
        Ok(BulkPlan {
            description: description.clone(),
            entry,
            shape,
            columns,
            required,
            flags,
            fixed_defaults,
            entry_defaults,
            generated,
            row_request_id,
            not_columns,
            unique,
            idempotent,
            label,
            max_batch,
            max_items,
            mobiles,
            mobiles_when,
        })
    }

    /// The TOP method.
    pub fn method(&self) -> &str {
        self.description.method()
    }

    /// The API's description (with the overlay lines top-sync applies while they are
    /// pending; see the crate README).
    pub fn description(&self) -> &Description {
        &self.description
    }

    /// The description a row is checked against: the row's members as its parameters.
    pub fn entry(&self) -> &Description {
        &self.entry
    }

    /// The columns, in the description's order: scalar members by name, nested ones by
    /// dotted path, list entries as `name[0].member`.
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// The columns every row must have.
    pub fn required(&self) -> &[String] {
        &self.required
    }

    /// The members set once per job from a flag.
    pub fn flags(&self) -> &[FlagMember] {
        &self.flags
    }

    /// Whether rows are batched, many per call.
    pub fn batched(&self) -> bool {
        matches!(self.shape, Shape::List(_))
    }

    /// The rows per call by default (1 unless batched).
    pub fn max_batch(&self) -> usize {
        self.max_batch
    }

    /// The most rows a call may carry (batched jobs whose list has a limit).
    pub fn max_items(&self) -> Option<usize> {
        self.max_items
    }

    /// Whether a call whose outcome is unknown may be resent: it carries the API's
    /// idempotency key (generated per call, or a required column).
    pub fn idempotent(&self) -> bool {
        self.idempotent
    }

    /// The failures file's identifying column.
    pub fn label_column(&self) -> &str {
        &self.label.header
    }

    /// Whether `column` names a row member: a column, the object or list member holding
    /// some, or a list entry's member (`items[3].name`).
    pub fn accepts(&self, column: &str) -> bool {
        let Ok(path) = MemberPath::parse(column) else {
            return false;
        };
        let Some(first) = path.steps().first() else {
            return false;
        };
        if self.not_columns.contains(&first.name) {
            return false;
        }
        resolves(&self.entry.vendor.request_params, path.steps())
    }

    /// The columns nearest to `column`, for "did you mean" (at most one).
    pub fn near_column(&self, column: &str) -> Option<&str> {
        top_model::did_you_mean(column, self.columns.iter().map(String::as_str))
    }

    pub(crate) fn shape(&self) -> &Shape {
        &self.shape
    }

    pub(crate) fn fixed_defaults(&self) -> &[(String, String)] {
        &self.fixed_defaults
    }

    pub(crate) fn entry_defaults(&self) -> &[(String, String)] {
        &self.entry_defaults
    }

    pub(crate) fn generated(&self) -> &[(String, Generated)] {
        &self.generated
    }

    /// The entry member of a generated request id a row may give itself.
    pub(crate) fn row_request_id(&self) -> Option<&str> {
        self.row_request_id.as_deref()
    }

    pub(crate) fn unique(&self) -> &[String] {
        &self.unique
    }

    /// The columns of `fields` that hold mainland mobiles by the description: members with
    /// the mainland-mobile format, and members that have it when another member has a value
    /// (CRM's `outer_id` when `outer_type` is `mobile`, compared as the rule compares).
    pub(crate) fn mobile_columns<'a>(&'a self, fields: &BTreeMap<String, String>) -> Vec<&'a str> {
        let mut columns: Vec<&str> = self.mobiles.iter().map(String::as_str).collect();
        for (member, when, equals) in &self.mobiles_when {
            if fields
                .get(when)
                .is_some_and(|v| v.trim().eq_ignore_ascii_case(equals.trim()))
                && !columns.contains(&member.as_str())
            {
                columns.push(member);
            }
        }
        columns
    }

    /// How an entry member is hidden in previews and reports.
    pub(crate) fn redaction(&self, path: &str) -> Option<Redact> {
        self.entry.overlay.members.get(path).and_then(|m| m.redact)
    }

    /// The value naming a row in reports, masked.
    pub(crate) fn label_of(&self, fields: &BTreeMap<String, String>) -> String {
        self.identity_of(fields)
            .map_or_else(String::new, |v| mask::label(v, self.label.always_mobile))
    }

    /// The value naming a row, unmasked (for `--unmask` reports).
    pub(crate) fn identity_of<'a>(&self, fields: &'a BTreeMap<String, String>) -> Option<&'a str> {
        self.label
            .members
            .iter()
            .find_map(|m| fields.get(m).map(String::as_str))
    }
}

fn default_of(member: &MemberOverlay) -> Option<String> {
    member.default.clone()
}

fn is_unique(member: &MemberOverlay) -> bool {
    member.unique
}

/// The description with the row's members as its parameters.
fn entry_description(
    description: &Description,
    shape: &Shape,
    prefix: &str,
    params: Vec<VendorParam>,
    optional: &[String],
) -> Result<Description, String> {
    if *shape == Shape::TopLevel {
        let mut overlay = description.overlay.clone();
        overlay.bulk = None;
        for rel in optional {
            overlay.members.entry(rel.clone()).or_default().required = Some(false);
        }
        return Description::new(description.vendor.clone(), overlay).map_err(|e| e.to_string());
    }
    let mut vendor = description.vendor.clone();
    vendor.request_params = params;
    let mut overlay = description.overlay.clone();
    overlay.bulk = None;
    overlay.idempotency_key = overlay
        .idempotency_key
        .as_deref()
        .and_then(|k| k.strip_prefix(prefix))
        .map(str::to_owned);
    overlay.members = description
        .overlay
        .members
        .iter()
        .filter_map(|(path, m)| path.strip_prefix(prefix).map(|r| (r.to_owned(), m.clone())))
        .collect();
    overlay.rules = description
        .overlay
        .rules
        .iter()
        .filter_map(|rule| rerooted(rule, prefix))
        .collect();
    for rel in optional {
        overlay.members.entry(rel.clone()).or_default().required = Some(false);
    }
    Description::new(vendor, overlay).map_err(|e| e.to_string())
}

/// A rule across members of the row, with its paths relative to the row; `None` when it
/// speaks of a member outside the row.
fn rerooted(rule: &CrossRule, prefix: &str) -> Option<CrossRule> {
    match rule {
        CrossRule::AtLeastOneOf { at_least_one_of } => {
            let members = at_least_one_of
                .iter()
                .map(|p| p.strip_prefix(prefix).map(str::to_owned))
                .collect::<Option<Vec<_>>>()?;
            Some(CrossRule::AtLeastOneOf {
                at_least_one_of: members,
            })
        }
        CrossRule::When { when, then } => {
            let mut rule = rule.clone();
            let when_member = when.member.strip_prefix(prefix)?.to_owned();
            let then_member = then.member.strip_prefix(prefix)?.to_owned();
            if let CrossRule::When { when, then } = &mut rule {
                when.member = when_member;
                then.member = then_member;
            }
            Some(rule)
        }
        _ => None,
    }
}

/// The columns of `params` (below `at`): scalars by name, objects by their members' paths,
/// lists of objects by their first entry's members.
fn columns_of(params: &[VendorParam], at: &str, not_columns: &[String]) -> Vec<String> {
    let mut columns = Vec::new();
    for param in params {
        let here = if at.is_empty() {
            param.name.clone()
        } else {
            format!("{at}.{}", param.name)
        };
        if at.is_empty() && not_columns.contains(&param.name) {
            continue;
        }
        match param.type_ref() {
            Ok(TypeRef::Object(_)) if !param.sub_params.is_empty() => {
                columns.extend(columns_of(&param.sub_params, &here, not_columns));
            }
            Ok(TypeRef::List(inner))
                if inner.object_name().is_some() && !param.sub_params.is_empty() =>
            {
                columns.extend(columns_of(
                    &param.sub_params,
                    &format!("{here}[0]"),
                    not_columns,
                ));
            }
            Ok(TypeRef::Bytes) => {}
            _ => columns.push(here),
        }
    }
    columns
}

/// Whether `steps` name a member of `params`, stepping into objects and list entries.
fn resolves(params: &[VendorParam], steps: &[top_model::value::Step]) -> bool {
    let Some((step, rest)) = steps.split_first() else {
        return true;
    };
    let Some(param) = params.iter().find(|p| p.name == step.name) else {
        return false;
    };
    let Ok(type_ref) = param.type_ref() else {
        return false;
    };
    match (step.index, &type_ref) {
        (Some(_), TypeRef::List(inner)) => {
            rest.is_empty() || (inner.object_name().is_some() && resolves(&param.sub_params, rest))
        }
        (Some(_), _) => false,
        (None, TypeRef::Object(_)) => resolves(&param.sub_params, rest),
        (None, _) => rest.is_empty(),
    }
}

/// The column naming a row: the first required mobile-number column, else the first
/// required column the job does not fill, else the members of the row's first
/// "at least one of" rule, else the first mobile-number column, else the first column.
fn label_of(
    entry: &Description,
    columns: &[String],
    required: &[String],
    row_request_id: Option<&str>,
) -> Label {
    let member = |name: &str| entry.overlay.members.get(name);
    let is_mobile = |name: &str| member(name).is_some_and(|m| m.redact == Some(Redact::Mobile));
    let always_mobile = |name: &str| {
        member(name).is_some_and(|m| {
            m.redact == Some(Redact::Mobile) && m.format == Some(Format::MainlandMobile)
        })
    };
    let single = |name: &str| Label {
        header: name.to_owned(),
        members: vec![name.to_owned()],
        always_mobile: always_mobile(name),
    };
    let candidates: Vec<&String> = required
        .iter()
        .filter(|c| Some(c.as_str()) != row_request_id)
        .collect();
    if let Some(c) = candidates.iter().find(|c| is_mobile(c)) {
        return single(c);
    }
    if let Some(c) = candidates.first() {
        return single(c);
    }
    let any_of = entry.overlay.rules.iter().find_map(|rule| match rule {
        CrossRule::AtLeastOneOf { at_least_one_of } => Some(at_least_one_of.clone()),
        _ => None,
    });
    if let Some(members) = any_of {
        return Label {
            header: members.join("|"),
            members,
            always_mobile: false,
        };
    }
    let first = columns
        .iter()
        .find(|c| is_mobile(c))
        .or_else(|| columns.iter().find(|c| Some(c.as_str()) != row_request_id));
    first.map_or_else(
        || Label {
            header: String::new(),
            members: Vec::new(),
            always_mobile: false,
        },
        |c| single(c),
    )
}
