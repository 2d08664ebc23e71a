//! `top describe [METHOD]`: what the built-in description of an API says (the vendor's
//! page and the project's overlay), for people or as one JSON document, with a `top call`
//! line to start from.

use std::fmt::Write as _;

use clap::Args;
use serde::Serialize;
use serde_json::{Value, json};
use top_model::overlay::{BusinessFailure, CrossRule, EnumDef, Generated, Redact, Wire};
use top_model::{Description, TypeRef, VendorParam};

use crate::apis;
use crate::commands::Ctx;
use crate::error::{CliError, EXIT_OK};

/// Arguments of `top describe`.
#[derive(Debug, Args)]
#[command(after_help = DESCRIBE_HELP)]
pub(crate) struct DescribeArgs {
    /// The method, e.g. taobao.logistics.express.user.blacklist.tms.sync; without it, the
    /// described methods are listed.
    pub method: Option<String>,
}

const DESCRIBE_HELP: &str = "\
Members are named by their wire path: `param.member`, and `param.list[].member` for the
members of every entry of a list. `top call` takes the same paths with an entry number:

  top describe taobao.logistics.express.user.blacklist.tms.sync
  top call taobao.logistics.express.user.blacklist.tms.sync \\
    -p user_blacklist_request.supplier_id=S1 \\
    -p 'user_blacklist_request.blacklist[0].mobile=13800001111' ...

--output json prints one JSON document (keys listed in the top-cli README).";

/// Stands for a secret in examples: the vendor's sample values are never printed for them.
const SECRET: &str = "<secret>";

/// Runs `top describe`.
pub(crate) fn run(ctx: &Ctx, args: DescribeArgs) -> Result<u8, CliError> {
    let catalog = apis::catalog()?;
    let Some(method) = args.method else {
        let apis: Vec<Value> = catalog
            .iter()
            .map(|d| {
                json!({
                    "method": d.method(),
                    "chinese_name": d.vendor.api_chinese_name,
                    "summary": d.overlay.summary,
                })
            })
            .collect();
        let width = catalog.iter().map(|d| d.method().len()).max().unwrap_or(0);
        let text: Vec<String> = catalog
            .iter()
            .map(|d| format!("{:width$}  {}", d.method(), d.overlay.summary))
            .collect();
        show(ctx, &text.join("\n"), json!({ "apis": apis }));
        return Ok(EXIT_OK);
    };
    let method = method.trim();
    let Some(api) = catalog.get(method) else {
        return Err(apis::unknown_method(&catalog, method));
    };
    let doc = Doc::of(api);
    let value = serde_json::to_value(&doc).unwrap_or(Value::Null);
    show(ctx, &doc.text(), value);
    Ok(EXIT_OK)
}

/// Mobile numbers of the vendor's samples are masked like every other output of `top`.
fn show(ctx: &Ctx, text: &str, value: Value) {
    ctx.out.either(
        &top_core::scrub_mobiles(text),
        &top_core::redact_json(value),
    );
}

/// Everything `top describe` tells of one API; its serialization is the JSON output, whose
/// keys are documented in the README and kept stable.
#[derive(Debug, Serialize)]
struct Doc {
    method: String,
    chinese_name: String,
    summary: String,
    description: String,
    #[serde(rename = "crate")]
    crate_name: String,
    alias: Option<String>,
    request: Vec<Member>,
    cross_rules: Vec<CrossRuleDoc>,
    idempotency_key: Option<String>,
    business_failure: Option<FailureDoc>,
    bulk: Option<BulkDoc>,
    response: Vec<Member>,
    example: String,
}

#[derive(Debug, Serialize)]
struct Member {
    name: String,
    /// The wire path, `[]` stepping into lists (the overlay's and the checks' notation).
    path: String,
    #[serde(rename = "type")]
    type_name: String,
    required: bool,
    /// The vendor's (Chinese) description.
    description: String,
    /// The overlay's English summary.
    summary: Option<String>,
    /// The overlay's summary of the member's object type.
    type_summary: Option<String>,
    rules: Vec<String>,
    #[serde(rename = "enum")]
    enum_doc: Option<EnumDoc>,
    redact: Option<Redact>,
    always_send: bool,
    /// The wire value sent when the caller gives none.
    default: Option<String>,
    /// No two entries of the list share this member's value.
    unique: bool,
    example: Option<String>,
    members: Vec<Member>,
}

#[derive(Debug, Serialize)]
struct EnumDoc {
    name: String,
    /// The value is a comma-separated list of codes rather than one code.
    comma_separated: bool,
    wire: Wire,
    summary: String,
    codes: Vec<CodeDoc>,
}

#[derive(Debug, Serialize)]
struct CodeDoc {
    code: String,
    name: String,
    meaning: String,
    vendor: String,
}

/// The overlay's business-failure rule with every key present (the overlay's own
/// serialization leaves defaults out).
#[derive(Debug, Serialize)]
struct FailureDoc {
    flag: String,
    flag_required: bool,
    also: Vec<String>,
    code: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    code_fallbacks: Vec<String>,
    message: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    message_fallbacks: Vec<String>,
    retryable: Option<String>,
}

impl From<&BusinessFailure> for FailureDoc {
    fn from(f: &BusinessFailure) -> Self {
        FailureDoc {
            flag: f.flag.clone(),
            flag_required: f.flag_required,
            also: f.also.clone(),
            code: f.code.clone(),
            code_fallbacks: f.code_fallbacks.clone(),
            message: f.message.clone(),
            message_fallbacks: f.message_fallbacks.clone(),
            retryable: f.retryable.clone(),
        }
    }
}

#[derive(Debug, Serialize)]
struct CrossRuleDoc {
    members: Vec<String>,
    rule: String,
}

#[derive(Debug, Serialize)]
struct BulkDoc {
    /// `object`: one call per row; `list`: rows batched as entries of a list member.
    mode: &'static str,
    member: Option<String>,
    columns: Vec<String>,
    max_batch: Option<usize>,
    flags: Vec<BulkFlag>,
    generated: Vec<BulkGenerated>,
}

#[derive(Debug, Serialize)]
struct BulkFlag {
    member: String,
    flag: String,
}

#[derive(Debug, Serialize)]
struct BulkGenerated {
    member: String,
    value: Generated,
}

impl Doc {
    fn of(api: &Description) -> Doc {
        let overlay = &api.overlay;
        Doc {
            method: api.method().to_owned(),
            chinese_name: api.vendor.api_chinese_name.clone(),
            summary: overlay.summary.clone(),
            description: api.vendor.description.clone(),
            crate_name: overlay.crate_name.clone(),
            alias: overlay.alias.clone(),
            request: members(api, &api.vendor.request_params, "", true),
            cross_rules: overlay.rules.iter().map(cross_rule).collect(),
            idempotency_key: overlay.idempotency_key.clone(),
            business_failure: overlay.business_failure.as_ref().map(FailureDoc::from),
            bulk: bulk(api),
            response: members(api, &api.vendor.response_params, "", false),
            example: example(api),
        }
    }
}

/// The members of `params` under `prefix`, with the overlay's knowledge on the request side.
fn members(api: &Description, params: &[VendorParam], prefix: &str, request: bool) -> Vec<Member> {
    params
        .iter()
        .map(|p| {
            let path = join(prefix, &p.name);
            let type_ref = p.type_ref().ok();
            let type_name = type_ref
                .as_ref()
                .map_or_else(|| p.type_name.clone(), ToString::to_string);
            let overlay = request.then(|| api.overlay.members.get(&path)).flatten();
            let type_summary = type_ref
                .as_ref()
                .and_then(TypeRef::object_name)
                .and_then(|name| api.overlay.types.get(name))
                .map(|t| t.summary.clone());
            let enum_doc = overlay.and_then(|m| {
                let (name, comma_separated) = match (&m.enum_name, &m.codes) {
                    (Some(name), _) => (name, false),
                    (None, Some(name)) => (name, true),
                    (None, None) => return None,
                };
                api.overlay
                    .enums
                    .get(name)
                    .map(|def| enum_doc(name, comma_separated, def))
            });
            let answer = (!request).then(|| api.overlay.answers.get(&path)).flatten();
            let redact = overlay
                .and_then(|m| m.redact)
                .or_else(|| answer.and_then(|a| a.redact));
            let secret = redact == Some(Redact::Secret) || secret_named(&p.name);
            let inner = if type_ref.as_ref().is_some_and(TypeRef::is_list) {
                format!("{path}[]")
            } else {
                path.clone()
            };
            Member {
                name: p.name.clone(),
                required: if request {
                    api.is_required(&path)
                } else {
                    p.required
                },
                rules: if request {
                    api.rules_of(&path)
                        .iter()
                        .map(ToString::to_string)
                        .collect()
                } else {
                    Vec::new()
                },
                description: p.description.clone(),
                summary: overlay
                    .and_then(|m| m.summary.clone())
                    .or_else(|| answer.and_then(|a| a.summary.clone())),
                type_summary,
                enum_doc,
                redact,
                always_send: overlay.is_some_and(|m| m.always_send),
                default: overlay.and_then(|m| m.default.clone()),
                unique: overlay.is_some_and(|m| m.unique),
                example: p
                    .example
                    .as_ref()
                    .map(|e| if secret { SECRET.to_owned() } else { e.clone() }),
                members: members(api, &p.sub_params, &inner, request),
                type_name,
                path,
            }
        })
        .collect()
}

fn enum_doc(name: &str, comma_separated: bool, def: &EnumDef) -> EnumDoc {
    EnumDoc {
        name: name.to_owned(),
        comma_separated,
        wire: def.wire,
        summary: def.summary.clone(),
        codes: def
            .values
            .iter()
            .map(|v| CodeDoc {
                code: v.code.clone(),
                name: v.name.clone(),
                meaning: v.meaning.clone(),
                vendor: v.vendor.clone(),
            })
            .collect(),
    }
}

/// Whether a member's name says it holds a secret, by the rule `top` redacts answers with
/// (`*token`, `*password*`...), so a vendor's sample token is not printed either.
fn secret_named(name: &str) -> bool {
    let probe = top_core::redact_json(json!({ name: "x" }));
    probe.get(name).and_then(Value::as_str) == Some("***")
}

fn cross_rule(rule: &CrossRule) -> CrossRuleDoc {
    let members: Vec<String> = rule.members().into_iter().map(str::to_owned).collect();
    let rule_text = match rule {
        // "outer_id must be ... when outer_type is mobile": the member the rule binds first.
        CrossRule::When { then, .. } => format!("{} {}", then.member, rule.message()),
        _ => rule.message(),
    };
    CrossRuleDoc {
        members,
        rule: rule_text,
    }
}

fn bulk(api: &Description) -> Option<BulkDoc> {
    let bulk = api.overlay.bulk.as_ref()?;
    let (mode, member) = match (&bulk.object, &bulk.list) {
        (_, Some(list)) => ("list", Some(list.clone())),
        (object, None) => ("object", object.clone()),
    };
    let columns = match &member {
        Some(path) => api
            .member(top_model::Side::Request, path)
            .map(|p| p.sub_params.iter().map(|m| m.name.clone()).collect())
            .unwrap_or_default(),
        None => api
            .vendor
            .request_params
            .iter()
            .map(|p| p.name.clone())
            .collect(),
    };
    Some(BulkDoc {
        mode,
        member,
        columns,
        max_batch: bulk.max_batch,
        flags: bulk
            .flags
            .iter()
            .map(|(member, flag)| BulkFlag {
                member: member.clone(),
                flag: format!("--{}", flag.trim_start_matches('-')),
            })
            .collect(),
        generated: bulk
            .generated
            .iter()
            .map(|(member, value)| BulkGenerated {
                member: member.clone(),
                value: *value,
            })
            .collect(),
    })
}

/// A `top call` line from the vendor's sample values; a required member without one gets
/// a `<Type>` placeholder, a secret `<secret>`.
fn example(api: &Description) -> String {
    let mut args = Vec::new();
    example_args(api, &api.vendor.request_params, "", "", true, &mut args);
    let mut line = format!("top call {}", api.method());
    for (path, value) in args {
        line.push_str(" -p ");
        line.push_str(&shell_word(&format!("{path}={value}")));
    }
    line
}

fn example_args(
    api: &Description,
    params: &[VendorParam],
    rule_prefix: &str,
    p_prefix: &str,
    parents_required: bool,
    out: &mut Vec<(String, String)>,
) {
    for p in params {
        let path = join(rule_prefix, &p.name);
        let p_path = join(p_prefix, &p.name);
        let required = parents_required && api.is_required(&path);
        let type_ref = p.type_ref().ok();
        match &type_ref {
            Some(TypeRef::Object(_)) => {
                example_args(api, &p.sub_params, &path, &p_path, required, out);
            }
            Some(TypeRef::List(inner)) if inner.object_name().is_some() => {
                let (path, p_path) = (format!("{path}[]"), format!("{p_path}[0]"));
                example_args(api, &p.sub_params, &path, &p_path, required, out);
            }
            _ => {
                let secret = api.overlay.members.get(&path).and_then(|m| m.redact)
                    == Some(Redact::Secret)
                    || secret_named(&p.name);
                let value = match (&p.example, secret) {
                    (Some(_), true) => Some(SECRET.to_owned()),
                    (None, true) if required => Some(SECRET.to_owned()),
                    (Some(example), false) => Some(example.clone()),
                    (None, false) if required => Some(format!(
                        "<{}>",
                        type_ref.map_or_else(|| p.type_name.clone(), |t| t.to_string())
                    )),
                    (None, _) => None,
                };
                if let Some(value) = value {
                    out.push((p_path, value));
                }
            }
        }
    }
}

/// `word` as one shell word: quoted unless it has only characters no shell treats
/// specially (`[0]` is a glob to zsh, so paths with entries are quoted too).
fn shell_word(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.,:/@%+=".contains(c));
    if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}

/// One line of free text (the vendor's descriptions may hold line breaks).
fn line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Doc {
    /// The description for people: the same facts as the JSON output.
    fn text(&self) -> String {
        let mut t = String::new();
        let _ = writeln!(t, "{}  {}", self.method, line(&self.chinese_name));
        let _ = writeln!(t, "  {}", line(&self.summary));
        if !self.description.is_empty() && self.description != self.chinese_name {
            let _ = writeln!(t, "  vendor: {}", line(&self.description));
        }
        let alias = self
            .alias
            .as_ref()
            .map(|a| format!(", request alias {a}"))
            .unwrap_or_default();
        let _ = writeln!(t, "  crate {}{alias}", self.crate_name);

        let _ = writeln!(
            t,
            "\nRequest parameters (wire paths; `[]` is every entry of a list, written `[0]`, `[1]`... in `top call -p`):"
        );
        for member in &self.request {
            self.member_text(&mut t, member, 1, true);
        }
        if !self.cross_rules.is_empty() {
            let _ = writeln!(t, "\nRules across members:");
            for rule in &self.cross_rules {
                let _ = writeln!(t, "  {}", rule.rule);
            }
        }
        let _ = writeln!(t);
        match &self.idempotency_key {
            Some(key) => {
                let _ = writeln!(
                    t,
                    "Idempotency key: {key} (a resend with the same value is applied once)"
                );
            }
            None => {
                let _ = writeln!(
                    t,
                    "Idempotency key: none (resending a call whose outcome is unknown may apply it twice)"
                );
            }
        }
        match &self.business_failure {
            Some(failure) => {
                let _ = writeln!(t, "Business failure: {}", failure_text(failure));
            }
            None => {
                let _ = writeln!(t, "Business failure: none declared");
            }
        }
        match &self.bulk {
            Some(bulk) => bulk_text(&mut t, bulk),
            None => {
                let _ = writeln!(t, "Bulk: not described");
            }
        }

        let _ = writeln!(t, "\nResponse members:");
        for member in &self.response {
            self.member_text(&mut t, member, 1, false);
        }
        let _ = writeln!(
            t,
            "\nExample (the vendor's sample values, mobile numbers masked; {SECRET} and <Type> are yours to fill in):"
        );
        let _ = write!(t, "  {}", self.example.replace(" -p ", " \\\n    -p "));
        t
    }

    fn member_text(&self, t: &mut String, m: &Member, depth: usize, request: bool) {
        let pad = "  ".repeat(depth);
        let mut head = format!("{pad}{}  {}", m.path, m.type_name);
        if request {
            head.push_str(if m.required {
                "  required"
            } else {
                "  optional"
            });
            if self.idempotency_key.as_deref() == Some(m.path.as_str()) {
                head.push_str("  idempotency key");
            }
            if m.always_send {
                head.push_str("  sent even when 0");
            }
            if let Some(default) = &m.default {
                head.push_str(&format!("  default {default}"));
            }
            if m.unique {
                head.push_str("  once per list");
            }
        }
        match m.redact {
            Some(Redact::Mobile) => head.push_str("  redacted: mobile"),
            Some(Redact::Secret) => head.push_str("  redacted: secret"),
            _ => {}
        }
        let _ = writeln!(t, "{head}");
        let body = format!("{pad}    ");
        if let Some(summary) = &m.summary {
            let _ = writeln!(t, "{body}{}", line(summary));
        }
        if !m.description.is_empty() {
            let _ = writeln!(t, "{body}vendor: {}", line(&m.description));
        }
        if let Some(summary) = &m.type_summary {
            let object = m.type_name.trim_end_matches("[]");
            let _ = writeln!(t, "{body}{object}: {}", line(summary));
        }
        for rule in &m.rules {
            let _ = writeln!(t, "{body}rule: {rule}");
        }
        if let Some(e) = &m.enum_doc {
            let kind = if e.comma_separated {
                "codes separated by commas"
            } else {
                "one code"
            };
            let _ = writeln!(t, "{body}{} ({kind}):", e.name);
            let width = e.codes.iter().map(|c| c.code.len()).max().unwrap_or(0);
            let meaning_width = e
                .codes
                .iter()
                .map(|c| c.meaning.chars().count())
                .max()
                .unwrap_or(0);
            for c in &e.codes {
                let code_line = if c.vendor.is_empty() {
                    format!("{body}  {:width$}  {}", c.code, c.meaning)
                } else {
                    format!(
                        "{body}  {:width$}  {:meaning_width$}  {}",
                        c.code,
                        c.meaning,
                        line(&c.vendor)
                    )
                };
                let _ = writeln!(t, "{code_line}");
            }
        }
        for child in &m.members {
            self.member_text(t, child, depth + 1, request);
        }
    }
}

fn failure_text(f: &FailureDoc) -> String {
    let flags: Vec<&str> = std::iter::once(f.flag.as_str())
        .chain(f.also.iter().map(String::as_str))
        .collect();
    let mut text = format!("the call failed when {} is false", flags.join(" or "));
    text.push_str(if f.flag_required {
        " or missing"
    } else {
        " (missing counts as success)"
    });
    // `code in a, else b`: the first path with a value.
    let paths = |first: &Option<String>, fallbacks: &[String]| {
        first.as_ref().map(|first| {
            std::iter::once(first)
                .chain(fallbacks)
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(", else ")
        })
    };
    let details: Vec<String> = [
        ("code", paths(&f.code, &f.code_fallbacks)),
        ("message", paths(&f.message, &f.message_fallbacks)),
        ("may be retried", f.retryable.clone()),
    ]
    .into_iter()
    .filter_map(|(what, path)| path.map(|p| format!("{what} in {p}")))
    .collect();
    if !details.is_empty() {
        text.push_str("; ");
        text.push_str(&details.join(", "));
    }
    text
}

fn bulk_text(t: &mut String, bulk: &BulkDoc) {
    match (bulk.mode, &bulk.member) {
        ("list", Some(list)) => {
            let per_call = bulk
                .max_batch
                .map(|n| format!(", {n} per call by default"))
                .unwrap_or_default();
            let _ = writeln!(
                t,
                "Bulk (rows of a CSV, JSON Lines or workbook file): each row is an entry of {list}, rows batched{per_call}"
            );
        }
        (_, Some(object)) => {
            let _ = writeln!(
                t,
                "Bulk (rows of a CSV, JSON Lines or workbook file): one call per row, the columns being the members of {object}"
            );
        }
        (_, None) => {
            let _ = writeln!(
                t,
                "Bulk (rows of a CSV, JSON Lines or workbook file): one call per row, the columns being the top-level parameters"
            );
        }
    }
    let _ = writeln!(t, "  columns: {}", bulk.columns.join(", "));
    for flag in &bulk.flags {
        let _ = writeln!(t, "  {} sets {} for the whole job", flag.flag, flag.member);
    }
    for generated in &bulk.generated {
        let what = match generated.value {
            Generated::RequestId => "a stable id per call",
            Generated::NowMs => "the send time in epoch milliseconds",
            _ => "a value of its own",
        };
        let _ = writeln!(t, "  {} is filled per call: {what}", generated.member);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_words() {
        assert_eq!(shell_word("a.b=1"), "a.b=1");
        assert_eq!(shell_word("a[0].m=1"), "'a[0].m=1'");
        assert_eq!(shell_word("x=it's"), r"'x=it'\''s'");
        assert_eq!(shell_word(""), "''");
    }

    #[test]
    fn secrets_by_name() {
        assert!(secret_named("user_token"));
        assert!(secret_named("user_login_password"));
        assert!(!secret_named("user_phone"));
    }
}
