//! The response type of a generated module, its object types, and `TopResponse` with the
//! overlay's business-failure rule.

use top_model::Description;

use super::api::{Answer, AnswerField, AnswerObject, Api, Fault};
use super::code::Code;
use super::emit::{join_and, sentence};
use super::names::{self, lit};
use super::validate::local_name;

fn answer_type(field: &AnswerField<'_>) -> String {
    let scalar = match &field.answer {
        Answer::Text => "String",
        Answer::Secret => "Sensitive<String>",
        Answer::Mobile => "Mobile",
        Answer::Int => "i64",
        Answer::Bool => "bool",
        Answer::Object(name) => name.as_str(),
    };
    if field.list {
        format!("Vec<{scalar}>")
    } else {
        scalar.to_owned()
    }
}

fn answer_field(field: &AnswerField<'_>, summary: Option<&str>, c: &mut Code) {
    let vendor = names::vendor_text(&field.param.description);
    let mut text = if vendor.is_empty() {
        format!("`{}`", field.param.name)
    } else {
        format!("`{}` ({vendor})", field.param.name)
    };
    match summary {
        Some(summary) => text.push_str(&format!(": {}", names::after_colon(&sentence(summary)))),
        None => text.push('.'),
    }
    if field.ident.plain != field.param.name {
        text.push_str(&format!(" Sent as `{}`.", field.param.name));
    }
    c.doc(&text, 4);
    let mut attrs = Vec::new();
    if field.ident.plain != field.param.name {
        attrs.push(format!("rename = {}", lit(&field.param.name)));
    }
    attrs.push("default".to_owned());
    let read = match (&field.answer, field.list) {
        (_, true) => Some("top_core::de::list"),
        (Answer::Text, false) => Some("top_core::de::lenient_string"),
        (Answer::Secret, false) => Some("top_core::de::lenient_sensitive"),
        (Answer::Mobile, false) => Some("top_core::de::lenient_mobile"),
        (Answer::Int, false) => Some("top_core::de::lenient_i64"),
        (Answer::Bool, false) => Some("top_core::de::lenient_bool"),
        (Answer::Object(_), false) => None,
    };
    if let Some(read) = read {
        attrs.push(format!("deserialize_with = {}", lit(read)));
    }
    attrs.push("skip_serializing_if = \"Option::is_none\"".to_owned());
    match field.answer {
        Answer::Secret => c.import("top_core::Sensitive"),
        Answer::Mobile => c.import("top_core::Mobile"),
        _ => {}
    }
    c.line(format!("    #[serde({})]", attrs.join(", ")));
    c.line(format!(
        "    pub {}: Option<{}>,",
        field.ident.code,
        answer_type(field)
    ));
}

/// The overlay's summary of the object type of a response member.
/// The member's summary in the overlay's `answers`, else its object type's summary.
fn object_summary(d: &Description, field: &AnswerField<'_>) -> Option<String> {
    if let Some(summary) = d
        .overlay
        .answers
        .get(&field.path)
        .and_then(|a| a.summary.as_ref())
    {
        return Some(names::project_text(summary));
    }
    if !matches!(field.answer, Answer::Object(_)) {
        return None;
    }
    let type_ref = field.param.type_ref().ok()?;
    let name = type_ref.object_name()?;
    d.overlay
        .types
        .get(name)
        .map(|t| names::project_text(&t.summary))
}

pub(super) fn response(api: &Api<'_>, c: &mut Code) -> Result<(), Fault> {
    let d = api.d;
    let name = &api.response;
    let mut text = format!(
        "The answer of `{}` (envelope `{}`).",
        d.method(),
        names::envelope(d.method())
    );
    let failure = d.overlay.business_failure.as_ref();
    if let Some(failure) = failure {
        let flags: Vec<String> = std::iter::once(&failure.flag)
            .chain(&failure.also)
            .map(|f| format!("`{f}`"))
            .collect();
        text.push_str(&format!(
            "\n\n{} = `false` is a failure{}: the client returns [`top_core::Error::Business`]",
            flags.join(" or "),
            if failure.flag_required {
                format!(", and so is a missing `{}`", failure.flag)
            } else {
                String::new()
            }
        ));
        let mut with = Vec::new();
        let first_of = |first: &Option<String>, fallbacks: &[String]| {
            first.as_ref().map(|first| {
                let paths: Vec<String> = std::iter::once(first)
                    .chain(fallbacks)
                    .map(|p| format!("`{p}`"))
                    .collect();
                if paths.len() == 1 {
                    paths.concat()
                } else {
                    format!("the first non-blank of {}", join_or(&paths))
                }
            })
        };
        if let Some(code) = first_of(&failure.code, &failure.code_fallbacks) {
            with.push(format!("the code {code}"));
        }
        if let Some(message) = first_of(&failure.message, &failure.message_fallbacks) {
            with.push(format!("the message {message}"));
        }
        if let Some(retryable) = &failure.retryable {
            with.push(format!("retryable when `{retryable}` is `true`"));
        }
        if !with.is_empty() {
            text.push_str(&format!(" with {}", join_and(&with)));
        }
        text.push_str(&format!(
            ", and this response stays reachable through `BusinessError::response::<{name}>()`."
        ));
    }
    let own_request_id = api.answers.iter().any(|a| a.param.name == "request_id");
    c.doc(&text, 0);
    c.line("#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]");
    c.line("#[non_exhaustive]");
    c.line(format!("pub struct {name} {{"));
    for field in &api.answers {
        answer_field(field, object_summary(d, field).as_deref(), c);
    }
    if !own_request_id {
        c.doc("The platform's `request_id` of the answer.", 4);
        c.line("    #[serde(default, deserialize_with = \"top_core::de::lenient_string\", skip_serializing_if = \"Option::is_none\")]");
        c.line("    pub request_id: Option<String>,");
    }
    c.line("}");
    c.blank();
    c.import("top_core::TopResponse");
    let Some(failure) = failure else {
        c.doc("The API reports no failure inside a successful answer.", 0);
        c.line(format!("impl TopResponse for {name} {{}}"));
        return Ok(());
    };
    c.import("top_core::BusinessError");
    c.line(format!("impl TopResponse for {name} {{"));
    c.doc(
        "The description's business-failure rule: a failure when a flag is `false`, with the code and message it names.",
        4,
    );
    c.line("    fn business_error(&self) -> Option<BusinessError> {");
    let key = "business_failure";
    let flag = answer_path(api, &failure.flag).map_err(|r| Fault::overlay(key, r))?;
    if flag.answer != Answer::Bool {
        return Err(Fault::overlay(
            key,
            format!("`{}` is not a Boolean member", failure.flag),
        ));
    }
    let mut failed = vec![if failure.flag_required {
        format!("{} != Some(true)", flag.expr)
    } else {
        format!("{} == Some(false)", flag.expr)
    }];
    for also in &failure.also {
        let also_flag = answer_path(api, also).map_err(|r| Fault::overlay(key, r))?;
        if also_flag.answer != Answer::Bool {
            return Err(Fault::overlay(
                key,
                format!("`{also}` is not a Boolean member"),
            ));
        }
        failed.push(format!("{} == Some(false)", also_flag.expr));
    }
    c.line(format!("        let failed = {};", failed.join(" || ")));
    c.line("        if !failed {");
    c.line("            return None;");
    c.line("        }");
    // The first of the paths with a non-blank value.
    let mut text_of = |first: &Option<String>, fallbacks: &[String]| -> Result<String, Fault> {
        let Some(first) = first else {
            return Ok("None".to_owned());
        };
        c.import("top_core::params::is_blank");
        let mut chain = Vec::new();
        for path in std::iter::once(first).chain(fallbacks) {
            let found = answer_path(api, path).map_err(|r| Fault::overlay(key, r))?;
            chain.push(match found.answer {
                Answer::Text => format!("{}.filter(|v| !is_blank(v))", found.expr),
                _ => format!("{}.map(|v| v.to_string())", found.expr),
            });
        }
        let mut expr = chain.remove(0);
        for next in chain {
            expr = format!("{expr}.or_else(|| {next})");
        }
        Ok(expr)
    };
    let code = text_of(&failure.code, &failure.code_fallbacks)?;
    let message = text_of(&failure.message, &failure.message_fallbacks)?;
    c.line(format!("        let code = {code};"));
    c.line(format!("        let message = {message};"));
    let mut error = "BusinessError::new(code, message)".to_owned();
    if let Some(retryable) = &failure.retryable {
        let found = answer_path(api, retryable).map_err(|r| Fault::overlay(key, r))?;
        if found.answer != Answer::Bool {
            return Err(Fault::overlay(
                key,
                format!("`{retryable}` is not a Boolean member"),
            ));
        }
        c.line(format!(
            "        let retryable = {} == Some(true);",
            found.expr
        ));
        error.push_str(".with_retryable(retryable)");
    }
    let request_id = if own_request_id {
        let found = answer_path(api, "request_id").map_err(|r| Fault::overlay(key, r))?;
        match found.answer {
            Answer::Text => found.expr,
            _ => format!("{}.map(|v| v.to_string())", found.expr),
        }
    } else {
        "self.request_id.clone()".to_owned()
    };
    error.push_str(&format!(".with_request_id({request_id})"));
    c.line(format!("        Some({error})"));
    c.line("    }");
    c.line("}");
    Ok(())
}

/// A response member reached from the response: an `Option` of its value (the first entry
/// of a list stepped into with `[]`).
struct AnswerPath {
    expr: String,
    answer: Answer,
}

/// `a`, `a or b`, `a, b or c`.
fn join_or(items: &[String]) -> String {
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

fn answer_path(api: &Api<'_>, path: &str) -> Result<AnswerPath, String> {
    let segments: Vec<&str> = path.split('.').collect();
    let mut fields: &[AnswerField<'_>] = &api.answers;
    let mut chain: Option<String> = None;
    // The closure parameter naming the value reached so far.
    let mut holder = String::new();
    for (i, segment) in segments.iter().enumerate() {
        let (name, into_list) = match segment.strip_suffix("[]") {
            Some(name) => (name, true),
            None => (*segment, false),
        };
        let field = fields
            .iter()
            .find(|f| f.param.name == name)
            .ok_or_else(|| format!("`{path}` is not a response member"))?;
        let id = &field.ident.code;
        let last = i + 1 == segments.len();
        if into_list != field.list {
            return Err(format!(
                "`{path}`: step into a list with `[]`, and only into a list"
            ));
        }
        let reach = |chain: &Option<String>, what: &str| match chain {
            None => format!("self.{id}{what}"),
            Some(chain) => format!("{chain}.and_then(|{holder}| {holder}.{id}{what})"),
        };
        if !last {
            let Answer::Object(object) = &field.answer else {
                return Err(format!("`{segment}` of `{path}` is not an object"));
            };
            let mut next = reach(&chain, ".as_ref()");
            if field.list {
                next.push_str(".and_then(|list| list.first())");
                holder = "entry".to_owned();
            } else {
                holder = local_name(id, &field.ident.plain);
            }
            chain = Some(next);
            fields = &api
                .answer_object(object)
                .ok_or_else(|| format!("type `{object}` has no members the generator read"))?
                .fields;
            continue;
        }
        if matches!(field.answer, Answer::Object(_)) {
            return Err(format!("`{path}` names an object, not a value"));
        }
        if matches!(field.answer, Answer::Secret | Answer::Mobile) {
            return Err(format!(
                "`{path}` is redacted: it cannot be a failure's code, message or flag"
            ));
        }
        let copy = field.answer != Answer::Text;
        let expr = if field.list {
            let first = if copy { ".copied()" } else { ".cloned()" };
            format!(
                "{}.and_then(|list| list.first(){first})",
                reach(&chain, ".as_ref()")
            )
        } else if copy {
            reach(&chain, "")
        } else {
            reach(&chain, ".clone()")
        };
        return Ok(AnswerPath {
            expr,
            answer: field.answer.clone(),
        });
    }
    Err(format!("`{path}` is empty"))
}

pub(super) fn answer_object(d: &Description, object: &AnswerObject<'_>, c: &mut Code) {
    let vendor = names::vendor_text(&object.declared_by.description);
    let summary = d
        .overlay
        .types
        .get(&object.vendor_name)
        .map(|t| names::after_colon(&sentence(&names::project_text(&t.summary))));
    let text = match (summary, vendor.is_empty()) {
        (Some(summary), true) => format!("`{}`: {summary}", object.vendor_name),
        (Some(summary), false) => format!("`{}` ({vendor}): {summary}", object.vendor_name),
        (None, true) => format!("`{}`, a member type of the answer.", object.vendor_name),
        (None, false) => format!(
            "`{}` ({vendor}), a member type of the answer.",
            object.vendor_name
        ),
    };
    c.doc(&text, 0);
    if object.name != object.vendor_name {
        c.line(format!("#[doc(alias = {})]", lit(&object.vendor_name)));
    }
    c.line("#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]");
    c.line("#[non_exhaustive]");
    c.line(format!("pub struct {} {{", object.name));
    for field in &object.fields {
        answer_field(field, object_summary(d, field).as_deref(), c);
    }
    c.line("}");
}
