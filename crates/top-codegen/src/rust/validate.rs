//! `validate()` of a generated request, and the other reads of request members
//! (`retry_safe()`, rules across members).
//!
//! The body walks the members in the description's order and applies, to each, exactly
//! what `top_model::Description::check_json` applies to the JSON of the request: a blank
//! required text is missing, a blank optional one is unset, then the type's own check
//! (`Price`, dates kept as text), then every rule of `Description::rules_of` through
//! `top_core::rules::Rule`, then the rules across members. So both sides name the same field
//! with the same message.

use top_core::rules::{EnumCode, Rule};
use top_model::format_rule;
use top_model::overlay::CrossRule;

use super::api::{Api, Fault, Field, Scalar, Text, TypeCheck};
use super::code::{Code, Helper};
use super::names::lit;

/// What `top_model`'s checks say of a `Price` that is not one.
pub(crate) const PRICE_MESSAGE: &str = "must be a decimal amount";
/// What `top_model`'s checks say of a date that is not one.
pub(crate) const DATE_MESSAGE: &str = "must be `yyyy-MM-dd HH:mm:ss` (GMT+8)";

/// Local names the generated `validate()` uses itself.
const LOCALS: &[&str] = &["i", "j", "k", "entry", "value", "list", "v"];

pub(super) fn local_name(field_code: &str, plain: &str) -> String {
    let indexed =
        plain.len() > 1 && plain.starts_with('i') && plain[1..].chars().all(|c| c.is_ascii_digit());
    if LOCALS.contains(&plain) || indexed {
        format!("{plain}_")
    } else {
        field_code.to_owned()
    }
}

/// A Rust expression building `rule`.
pub(super) fn rule_code(rule: &Rule, c: &mut Code) -> Result<String, String> {
    c.import("top_core::rules::Rule");
    let codes = |codes: &[EnumCode], c: &mut Code| {
        c.import("top_core::rules::EnumCode");
        let items: Vec<String> = codes
            .iter()
            .map(|e| format!("EnumCode::new({}, {})", lit(&e.code), lit(&e.meaning)))
            .collect();
        format!("vec![{}]", items.join(", "))
    };
    let option = |v: &Option<i64>| match v {
        Some(n) => format!("Some({n})"),
        None => "None".to_owned(),
    };
    Ok(match rule {
        Rule::MaxChars(n) => format!("Rule::MaxChars({n})"),
        Rule::MinChars(n) => format!("Rule::MinChars({n})"),
        Rule::MainlandMobile => "Rule::MainlandMobile".to_owned(),
        Rule::Email => "Rule::Email".to_owned(),
        Rule::Digits { min, max } => format!("Rule::Digits {{ min: {min}, max: {max} }}"),
        Rule::JsonText => "Rule::JsonText".to_owned(),
        Rule::NoWhitespace => "Rule::NoWhitespace".to_owned(),
        Rule::OneOf(list) => format!("Rule::OneOf({})", codes(list, c)),
        Rule::CommaCodes(list) => format!("Rule::CommaCodes({})", codes(list, c)),
        Rule::MaxItems(n) => format!("Rule::MaxItems({n})"),
        Rule::MinItems(n) => format!("Rule::MinItems({n})"),
        Rule::Range { min, max } => {
            format!(
                "Rule::Range {{ min: {}, max: {} }}",
                option(min),
                option(max)
            )
        }
        Rule::NotBefore { year, month, day } => {
            format!("Rule::NotBefore {{ year: {year}, month: {month}, day: {day} }}")
        }
        Rule::NotFuture => "Rule::NotFuture".to_owned(),
        other => return Err(format!("the generator does not know the rule `{other}`")),
    })
}

fn is_list_rule(rule: &Rule) -> bool {
    matches!(rule, Rule::MaxItems(_) | Rule::MinItems(_))
}

/// A field path in `validate()`: static text, or a `format!` pattern with list indices.
#[derive(Debug, Clone)]
struct FieldPath {
    text: String,
    dynamic: bool,
}

impl FieldPath {
    fn root(name: &str) -> Self {
        FieldPath {
            text: name.to_owned(),
            dynamic: false,
        }
    }

    fn member(&self, name: &str) -> Self {
        FieldPath {
            text: format!("{}.{name}", self.text),
            dynamic: self.dynamic,
        }
    }

    fn index(&self, var: &str) -> Self {
        FieldPath {
            text: format!("{}[{{{var}}}]", self.text),
            dynamic: true,
        }
    }

    /// A rule check's method and its field argument: the path built only when the rule is
    /// broken when it has indices (`check_text_at(|| format!(..), ..)`).
    fn check(&self, method: &str) -> (String, String) {
        if self.dynamic {
            (format!("{method}_at"), format!("|| {}", self.expr()))
        } else {
            (method.to_owned(), self.expr())
        }
    }

    /// The expression of the path (`"a.b"`, `format!("a.list[{i}].b")`).
    fn expr(&self) -> String {
        if self.dynamic {
            format!("format!({})", lit(&self.text))
        } else {
            lit(&self.text)
        }
    }
}

fn index_var(depth: usize) -> String {
    match depth {
        0 => "i".to_owned(),
        1 => "j".to_owned(),
        2 => "k".to_owned(),
        n => format!("i{n}"),
    }
}

/// The body of `validate()` (without its final `Ok(())`): empty when the description has no
/// rule for the request.
pub(super) fn body(api: &Api<'_>, c: &mut Code) -> Result<Code, Fault> {
    let walk = Walk { api };
    let mut checks = walk.members(&api.params, "self", None, 0, c)?;
    checks.extend(walk.cross_rules(c)?);
    let mut body = Code::default();
    render(checks, &mut body);
    Ok(body)
}

/// The expression of `retry_safe()`: whether the idempotency key at `key` is set (`true`
/// when it always is).
pub(super) fn key_presence(api: &Api<'_>, key: &str, c: &mut Code) -> Result<String, String> {
    Walk { api }.lookup(key, c).map(|lookup| lookup.presence)
}

/// The result of resolving a request member path for a rule across members.
struct Lookup {
    /// An `Option` of the member's text, `None` when unset or blank.
    text: String,
    /// Whether `text` is an `Option<String>` (else an `Option<&str>`).
    owned: bool,
    /// A `bool` expression: whether the member is set and not blank.
    presence: String,
    /// The negation of `presence`.
    absence: String,
}

/// A statement of `validate()`. Kept as a tree so that an `if` holding nothing but another
/// `if` is written as one `if` with both conditions (as clippy wants).
#[derive(Debug)]
enum Stmt {
    Line(String),
    If(String, Vec<Stmt>),
    For(String, Vec<Stmt>),
}

fn render(stmts: Vec<Stmt>, c: &mut Code) {
    for stmt in stmts {
        match stmt {
            Stmt::Line(line) => c.line(line),
            Stmt::If(mut condition, mut body) => {
                while body.len() == 1 && matches!(body.first(), Some(Stmt::If(..))) {
                    let Some(Stmt::If(inner, inner_body)) = body.pop() else {
                        break;
                    };
                    condition = format!("{} && {}", chainable(&condition), chainable(&inner));
                    body = inner_body;
                }
                c.line(format!("if {condition} {{"));
                render(body, c);
                c.line("}");
            }
            Stmt::For(head, body) => {
                c.line(format!("for {head} {{"));
                render(body, c);
                c.line("}");
            }
        }
    }
}

/// A condition that can be joined with `&&`.
fn chainable(condition: &str) -> String {
    if condition.contains("||") {
        format!("({condition})")
    } else {
        condition.to_owned()
    }
}

/// `return Err(...)` when `condition` holds.
fn fail_if(condition: String, error: String) -> Stmt {
    Stmt::If(condition, vec![Stmt::Line(format!("return Err({error});"))])
}

/// `validate()`'s body, written member by member.
struct Walk<'x, 'a> {
    api: &'x Api<'a>,
}

impl Walk<'_, '_> {
    /// The checks of `fields`, members of the value at `place`; `prefix` is the field path
    /// of that value (`None` for the request itself).
    fn members(
        &self,
        fields: &[Field<'_>],
        place: &str,
        prefix: Option<&FieldPath>,
        depth: usize,
        c: &mut Code,
    ) -> Result<Vec<Stmt>, Fault> {
        let mut out = Vec::new();
        for field in fields {
            let path = match prefix {
                Some(prefix) => prefix.member(&field.param.name),
                None => FieldPath::root(&field.param.name),
            };
            out.extend(self.member(field, place, &path, prefix.is_none(), depth, c)?);
        }
        Ok(out)
    }

    fn member(
        &self,
        field: &Field<'_>,
        place: &str,
        path: &FieldPath,
        top_level: bool,
        depth: usize,
        c: &mut Code,
    ) -> Result<Vec<Stmt>, Fault> {
        let id = &field.ident.code;
        let here = format!("{place}.{id}");
        let local = local_name(id, &field.ident.plain);
        let key = || format!("members.\"{}\"", field.rule_path);
        let rules = self.api.d.rules_of(&field.rule_path);
        let mut out = Vec::new();
        if field.shape.list {
            let (list_rules, item_rules): (Vec<Rule>, Vec<Rule>) =
                rules.into_iter().partition(is_list_rule);
            let list = if field.required {
                here.clone()
            } else {
                local.clone()
            };
            let mut inner = Vec::new();
            for rule in &list_rules {
                let rule = rule_code(rule, c).map_err(|r| Fault::overlay(key(), r))?;
                let (method, field) = path.check("check_items");
                inner.push(Stmt::Line(format!(
                    "{rule}.{method}({field}, {list}.len())?;"
                )));
            }
            let var = index_var(depth);
            let item_path = path.index(&var);
            let (entry, items) = match &field.shape.scalar {
                Scalar::Object(name) => {
                    let object = self.object(name, field)?;
                    let mut items =
                        self.members(&object, "entry", Some(&item_path), depth + 1, c)?;
                    for member in object
                        .iter()
                        .filter(|m| m.overlay.is_some_and(|o| o.unique))
                    {
                        let text = matches!(
                            member.shape.scalar,
                            Scalar::Text(Text::Plain | Text::Mobile, _)
                        );
                        if !member.required || member.shape.list || !text {
                            return Err(Fault::overlay(
                                format!("members.\"{}\".unique", member.rule_path),
                                "`unique` applies to a required text member of a list's entries",
                            ));
                        }
                        // A map of the values seen, by the first entry that had each.
                        let seen = format!("seen_{}", member.ident.plain);
                        inner.push(Stmt::Line(format!(
                            "let mut {seen} = std::collections::HashMap::with_capacity({list}.len());"
                        )));
                        let member_path = FieldPath {
                            text: format!("{}.{}", item_path.text, member.param.name),
                            dynamic: true,
                        };
                        items.push(Stmt::If(
                            format!(
                                "let Some(first) = {seen}.insert(&entry.{}, {var})",
                                member.ident.code
                            ),
                            vec![Stmt::Line(format!(
                                "return Err(top_core::rules::repeated({}, first));",
                                member_path.expr()
                            ))],
                        ));
                    }
                    ("entry", items)
                }
                scalar => {
                    let items = item_checks(scalar, &item_rules, &item_path, c)
                        .map_err(|r| Fault::overlay(key(), r))?;
                    ("value", items)
                }
            };
            if !items.is_empty() {
                inner.push(Stmt::For(
                    format!("({var}, {entry}) in {list}.iter().enumerate()"),
                    items,
                ));
            }
            if inner.is_empty() {
                return Ok(out);
            }
            if field.required {
                out.extend(inner);
            } else {
                out.push(Stmt::If(format!("let Some({local}) = &{here}"), inner));
            }
            return Ok(out);
        }
        match &field.shape.scalar {
            Scalar::Object(name) => {
                let object = self.object(name, field)?;
                if field.required && !top_level {
                    out.extend(self.members(&object, &here, Some(path), depth, c)?);
                } else {
                    let inner = self.members(&object, &local, Some(path), depth, c)?;
                    if inner.is_empty() {
                        return Ok(out);
                    }
                    if field.required {
                        out.push(Stmt::Line(format!("let {local} = &{here};")));
                        out.extend(inner);
                    } else {
                        out.push(Stmt::If(format!("let Some({local}) = &{here}"), inner));
                    }
                }
            }
            Scalar::Text(text, check) => {
                let value = if field.required {
                    match text {
                        Text::Plain => format!("&{here}"),
                        Text::Mobile | Text::Secret => format!("{here}.expose()"),
                    }
                } else {
                    "value".to_owned()
                };
                let mut inner = Vec::new();
                if field.required {
                    c.import("top_core::params::is_blank");
                    c.import("top_core::ValidationError");
                    inner.push(fail_if(
                        format!("is_blank({value})"),
                        format!("ValidationError::required({})", path.expr()),
                    ));
                }
                inner.extend(type_check(*check, &value, path, c));
                for rule in rules.iter().filter(|r| !is_list_rule(r)) {
                    let rule = rule_code(rule, c).map_err(|r| Fault::overlay(key(), r))?;
                    let (method, field) = path.check("check_text");
                    inner.push(Stmt::Line(format!("{rule}.{method}({field}, {value})?;")));
                }
                if inner.is_empty() {
                    return Ok(out);
                }
                if field.required {
                    out.extend(inner);
                } else {
                    let present = c.helper(match text {
                        Text::Plain => Helper::Present,
                        Text::Mobile => Helper::PresentMobile,
                        Text::Secret => Helper::PresentSecret,
                    });
                    out.push(Stmt::If(
                        format!("let Some(value) = {present}(&{here})"),
                        inner,
                    ));
                }
            }
            Scalar::Codes(_) => {
                // Each code is valid by its type, so the codes rule can only refuse a repeat:
                // it is built (with its message) only then. Other rules check the wire text.
                let mut inner = Vec::new();
                for rule in rules.iter().filter(|r| !is_list_rule(r)) {
                    let code = rule_code(rule, c).map_err(|r| Fault::overlay(key(), r))?;
                    let (method, field) = path.check("check_text");
                    let check = Stmt::Line(format!(
                        "{code}.{method}({field}, &top_core::codes::join(codes))?;"
                    ));
                    if matches!(rule, Rule::CommaCodes(_)) {
                        inner.push(Stmt::If(
                            "top_core::codes::repeats(codes)".into(),
                            vec![check],
                        ));
                    } else {
                        inner.push(check);
                    }
                }
                if !inner.is_empty() {
                    out.push(Stmt::If(
                        format!("let Some(codes) = {here}.as_deref().filter(|v| !v.is_empty())"),
                        inner,
                    ));
                }
            }
            scalar => {
                let value = if field.required {
                    here.clone()
                } else {
                    "value".to_owned()
                };
                let mut inner = Vec::new();
                for rule in rules.iter().filter(|r| applies_to(scalar, r)) {
                    let rule = rule_code(rule, c).map_err(|r| Fault::overlay(key(), r))?;
                    let check = scalar_check(scalar, &value, c);
                    let (method, field) = path.check(check_method(scalar));
                    inner.push(Stmt::Line(format!("{rule}.{method}({field}, {check})?;")));
                }
                if inner.is_empty() {
                    return Ok(out);
                }
                if field.required {
                    out.extend(inner);
                } else {
                    out.push(Stmt::If(format!("let Some(value) = {here}"), inner));
                }
            }
        }
        Ok(out)
    }

    fn object(&self, name: &str, field: &Field<'_>) -> Result<Vec<Field<'_>>, Fault> {
        self.api
            .object(name)
            .map(|o| o.fields.clone())
            .ok_or_else(|| {
                Fault::vendor(
                    format!("request.{}", field.rule_path),
                    format!("type `{name}` has no members the generator read"),
                )
            })
    }

    /// The rules across members, after every member's own.
    fn cross_rules(&self, c: &mut Code) -> Result<Vec<Stmt>, Fault> {
        let mut out = Vec::new();
        for (i, rule) in self.api.d.overlay.rules.iter().enumerate() {
            let key = format!("rules[{i}]");
            match rule {
                CrossRule::AtLeastOneOf { at_least_one_of } => {
                    let mut absent = Vec::new();
                    for path in at_least_one_of {
                        let lookup = self.lookup(path, c).map_err(|r| Fault::overlay(&key, r))?;
                        absent.push(lookup.absence);
                    }
                    c.import("top_core::ValidationError");
                    out.push(fail_if(
                        absent.join(" && "),
                        format!(
                            "ValidationError::new({}, {})",
                            lit(&rule.field()),
                            lit(&rule.message())
                        ),
                    ));
                }
                CrossRule::When { when, then } => {
                    let condition = self
                        .lookup(&when.member, c)
                        .map_err(|r| Fault::overlay(&key, r))?;
                    let value = self
                        .lookup(&then.member, c)
                        .map_err(|r| Fault::overlay(&key, r))?;
                    let field = rule.field();
                    let message = rule.message();
                    let rule = rule_code(&format_rule(then.format), c)
                        .map_err(|r| Fault::overlay(&key, r))?;
                    let borrow = if value.owned { "&" } else { "" };
                    c.import("top_core::ValidationError");
                    out.push(fail_if(
                        format!(
                            "{}.is_some_and(|v| v.trim().eq_ignore_ascii_case({})) && {rule}.check_text({}, {borrow}{}.unwrap_or_default()).is_err()",
                            condition.text,
                            lit(when.equals.trim()),
                            lit(&then.member),
                            value.text
                        ),
                        format!(
                            "ValidationError::new({}, {})",
                            lit(&field),
                            lit(&message)
                        ),
                    ));
                }
                _ => {
                    return Err(Fault::overlay(key, "a rule the generator does not know"));
                }
            }
        }
        Ok(out)
    }

    /// Resolves a `[]`-free request path to its text, as `top_model`'s rules across
    /// members read it.
    fn lookup(&self, path: &str, c: &mut Code) -> Result<Lookup, String> {
        let segments: Vec<&str> = path.split('.').collect();
        let mut fields: Vec<Field<'_>> = self.api.params.clone();
        let mut place = "self".to_owned();
        let mut chain: Option<String> = None;
        for (i, segment) in segments.iter().enumerate() {
            if segment.ends_with("[]") {
                return Err(format!(
                    "`{path}` steps into a list, which the generator cannot read here"
                ));
            }
            let field = fields
                .iter()
                .find(|f| f.param.name == *segment)
                .cloned()
                .ok_or_else(|| format!("`{path}` is not a request member"))?;
            let id = field.ident.code.clone();
            if i + 1 < segments.len() {
                let Scalar::Object(name) = &field.shape.scalar else {
                    return Err(format!("`{segment}` of `{path}` is not an object"));
                };
                if field.shape.list {
                    return Err(format!(
                        "`{path}` steps into a list, which the generator cannot read here"
                    ));
                }
                chain = match (chain, field.required) {
                    (None, true) => {
                        place = format!("{place}.{id}");
                        None
                    }
                    (None, false) => Some(format!("{place}.{id}.as_ref()")),
                    (Some(chain), true) => Some(format!("{chain}.map(|v| &v.{id})")),
                    (Some(chain), false) => Some(format!("{chain}.and_then(|v| v.{id}.as_ref())")),
                };
                fields = self
                    .api
                    .object(name)
                    .map(|o| o.fields.clone())
                    .ok_or_else(|| format!("type `{name}` has no members the generator read"))?;
                continue;
            }
            if field.shape.list || matches!(field.shape.scalar, Scalar::Object(_)) {
                return Err(format!("`{path}` is not a single value"));
            }
            let owned = !matches!(field.shape.scalar, Scalar::Text(..));
            return Ok(match chain {
                None => {
                    let at = format!("{place}.{id}");
                    let text = leaf_text(&field, &at, c);
                    let (presence, absence) = match (&field.shape.scalar, field.required) {
                        (Scalar::Text(Text::Plain, _), true) => {
                            c.import("top_core::params::is_blank");
                            (format!("!is_blank(&{at})"), format!("is_blank(&{at})"))
                        }
                        (Scalar::Text(_, _), true) => {
                            c.import("top_core::params::is_blank");
                            (
                                format!("!is_blank({at}.expose())"),
                                format!("is_blank({at}.expose())"),
                            )
                        }
                        (_, true) => ("true".to_owned(), "false".to_owned()),
                        (_, false) => (format!("{text}.is_some()"), format!("{text}.is_none()")),
                    };
                    Lookup {
                        text,
                        owned,
                        presence,
                        absence,
                    }
                }
                Some(chain) => {
                    let text = format!(
                        "{chain}.and_then(|v| {})",
                        leaf_text(&field, &format!("v.{id}"), c)
                    );
                    Lookup {
                        presence: format!("{text}.is_some()"),
                        absence: format!("{text}.is_none()"),
                        text,
                        owned,
                    }
                }
            });
        }
        Err(format!("`{path}` is empty"))
    }
}

/// Whether a rule is checked on a single non-text value: list rules apply to lists, and an
/// enum's `OneOf` holds by its type.
fn applies_to(scalar: &Scalar, rule: &Rule) -> bool {
    let held_by_type = matches!(scalar, Scalar::Enum(_)) && matches!(rule, Rule::OneOf(_));
    !is_list_rule(rule) && !held_by_type
}

/// The checks of one entry (`value`, a reference) of a list of scalars.
fn item_checks(
    scalar: &Scalar,
    rules: &[Rule],
    path: &FieldPath,
    c: &mut Code,
) -> Result<Vec<Stmt>, String> {
    let mut out = Vec::new();
    match scalar {
        Scalar::Text(text, check) => {
            let value = match text {
                Text::Plain => "value",
                Text::Mobile | Text::Secret => "value.expose()",
            };
            out.extend(type_check(*check, value, path, c));
            c.import("top_core::params::is_blank");
            c.import("top_core::ValidationError");
            out.push(fail_if(
                format!("is_blank({value})"),
                format!("ValidationError::required({})", path.expr()),
            ));
            for rule in rules {
                let rule = rule_code(rule, c)?;
                let (method, field) = path.check("check_text");
                out.push(Stmt::Line(format!("{rule}.{method}({field}, {value})?;")));
            }
        }
        scalar => {
            for rule in rules.iter().filter(|r| applies_to(scalar, r)) {
                let rule = rule_code(rule, c)?;
                let check = scalar_check(scalar, "*value", c);
                let (method, field) = path.check(check_method(scalar));
                out.push(Stmt::Line(format!("{rule}.{method}({field}, {check})?;")));
            }
        }
    }
    Ok(out)
}

/// The wire text of a list of codes, `None` when unset or empty.
fn codes_text(at: &str) -> String {
    format!("{at}.as_deref().filter(|v| !v.is_empty()).map(top_core::codes::join)")
}

/// An `Option` of a single value's text, `None` when unset or blank.
fn leaf_text(field: &Field<'_>, at: &str, c: &mut Code) -> String {
    let required = field.required;
    match &field.shape.scalar {
        Scalar::Codes(_) => codes_text(at),
        Scalar::Text(text, _) if !required => {
            let helper = match text {
                Text::Plain => Helper::Present,
                Text::Mobile => Helper::PresentMobile,
                Text::Secret => Helper::PresentSecret,
            };
            format!("{}(&{at})", c.helper(helper))
        }
        Scalar::Text(text, _) => {
            c.import("top_core::params::is_blank");
            let text = match text {
                Text::Plain => format!("{at}.as_str()"),
                Text::Mobile => format!("{at}.expose()"),
                Text::Secret => format!("{at}.expose().as_str()"),
            };
            format!("Some({text}).filter(|v| !is_blank(v))")
        }
        Scalar::Enum(_) if required => format!("Some({at}.code().to_string())"),
        Scalar::Enum(_) => format!("{at}.map(|v| v.code().to_string())"),
        Scalar::Date => {
            c.import("top_core::time::format_gmt8");
            if required {
                format!("Some(format_gmt8({at}))")
            } else {
                format!("{at}.map(format_gmt8)")
            }
        }
        _ if required => format!("Some({at}.to_string())"),
        _ => format!("{at}.map(|v| v.to_string())"),
    }
}

/// The check of a text's declared type, as `top_model` makes it, before the rules: a call of
/// a generated helper.
fn type_check(check: Option<TypeCheck>, value: &str, path: &FieldPath, c: &mut Code) -> Vec<Stmt> {
    let Some(check) = check else {
        return Vec::new();
    };
    let helper = c.helper(match check {
        TypeCheck::Price => Helper::CheckPrice,
        TypeCheck::Date => Helper::CheckDate,
    });
    vec![Stmt::Line(format!("{helper}({}, {value})?;", path.expr()))]
}

/// `check_number` for numbers, `check_text` on the wire text for the others.
fn check_method(scalar: &Scalar) -> &'static str {
    match scalar {
        Scalar::Int => "check_number",
        _ => "check_text",
    }
}

/// The argument of a rule check of a non-text value.
fn scalar_check(scalar: &Scalar, value: &str, c: &mut Code) -> String {
    match scalar {
        Scalar::Int => value.to_owned(),
        Scalar::Date => {
            c.import("top_core::time::format_gmt8");
            format!("&format_gmt8({value})")
        }
        Scalar::Enum(_) => format!("&{value}.code().to_string()"),
        _ => format!("&{value}.to_string()"),
    }
}
