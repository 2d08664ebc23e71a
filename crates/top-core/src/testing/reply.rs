//! Writing a stub's answer as the gateway would (docs/protocol.md §5): in the format the
//! form asked for, with the platform `request_id`, lists wrapped as TOP wraps them when the
//! answer is not simplified.

use http::HeaderValue;
use http::header::CONTENT_TYPE;
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::envelope::response_key;
use crate::error::{ApiError, Error};
use crate::format::Format;
use crate::transport::{HttpResponse, TransportError};

/// The `request_id` the stub writes into answers that carry none.
pub(crate) const REQUEST_ID: &str = "stub-request-id";

/// What to answer one request with.
#[derive(Debug)]
pub(crate) enum Reply {
    /// The response content: the object inside the envelope.
    Content(Value),
    /// The members of an `error_response`.
    ErrorResponse(Map<String, Value>),
    /// An HTTP answer with this status and body.
    Http(u16, String),
    /// No answer: the exchange fails.
    Transport(TransportError),
}

impl Reply {
    /// A typed response, or a loud error when it does not serialize.
    pub(crate) fn response<T: Serialize>(method: &str, response: &T) -> Reply {
        match serde_json::to_value(response) {
            Ok(value) => Reply::Content(value),
            Err(e) => Reply::unsendable(method, &e),
        }
    }

    /// A canned JSON answer: `{"error_response": {..}}`, or the response content, bare or in
    /// its `<method>_response` envelope.
    pub(crate) fn json(method: &str, value: Value) -> Reply {
        let Value::Object(mut members) = value else {
            return Reply::Content(value);
        };
        if members.len() == 1 {
            if let Some(Value::Object(error)) = members.get("error_response") {
                return Reply::ErrorResponse(error.clone());
            }
            if let Some(content) = members.remove(&response_key(method)) {
                return Reply::Content(content);
            }
        }
        Reply::Content(Value::Object(members))
    }

    /// What the gateway does that makes the client return `error` (see `StubTransport`'s
    /// documentation for the mapping).
    pub(crate) fn error<T: Serialize + 'static>(method: &str, error: Error) -> Reply {
        match error {
            Error::Api(api) => Reply::ErrorResponse(error_members(&api)),
            Error::RateLimited { retry_after, error } => {
                let mut api = ApiError {
                    code: 7.into(),
                    ..*error
                };
                if api.ban_duration().is_none() {
                    // The client reads the ban from this text; keep it equal to `retry_after`.
                    let seconds = retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0);
                    api.sub_msg = Some(format!("This ban will last for {seconds} more seconds"));
                }
                Reply::ErrorResponse(error_members(&api))
            }
            Error::Transport(e) => Reply::Transport(e),
            Error::Http {
                status,
                body_snippet,
            } => Reply::Http(status, body_snippet),
            Error::Decode(e) => Reply::Http(200, format!("stub: an unreadable answer ({e})")),
            Error::Business(failure) => match failure.response::<T>() {
                Some(response) => Reply::response(method, response),
                None => Reply::unsendable(method, &"Error::Business without its typed response"),
            },
            other => Reply::unsendable(method, &other),
        }
    }

    /// A loud `error_response` for a stub used wrongly: the test fails with this text.
    pub(crate) fn misuse(code: i64, msg: String) -> Reply {
        let mut members = Map::new();
        members.insert("code".into(), code.into());
        members.insert("msg".into(), msg.into());
        Reply::ErrorResponse(members)
    }

    fn unsendable(method: &str, what: &dyn std::fmt::Display) -> Reply {
        Reply::misuse(
            15,
            format!(
                "Remote service error: the stub of `{method}` answered with something no gateway sends: {what}"
            ),
        )
    }

    /// The HTTP answer, in the `format` the client asked for.
    pub(crate) fn render(
        self,
        method: &str,
        format: Format,
    ) -> Result<HttpResponse, TransportError> {
        let (name, mut value) = match self {
            Reply::Transport(e) => return Err(e),
            Reply::Http(status, body) => return Ok(HttpResponse::new(status, body)),
            Reply::ErrorResponse(members) => ("error_response".to_owned(), Value::Object(members)),
            Reply::Content(content) => (response_key(method), content),
        };
        if let Value::Object(members) = &mut value {
            // The gateway puts a request id in every answer.
            members
                .entry("request_id")
                .or_insert_with(|| REQUEST_ID.into());
        }
        let (body, content_type) = match format {
            Format::Json if name != "error_response" => (value.to_string(), "application/json"),
            Format::Json | Format::JsonEnveloped => (
                json!({ name: wrap_lists(value) }).to_string(),
                "application/json",
            ),
            Format::Xml => {
                let mut xml = String::from(r#"<?xml version="1.0" encoding="utf-8" ?>"#);
                write_element(&mut xml, &name, &wrap_lists(value));
                (xml, "text/xml")
            }
        };
        let mut response = HttpResponse::new(200, body);
        response.headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static(if content_type == "text/xml" {
                "text/xml;charset=utf-8"
            } else {
                "application/json;charset=utf-8"
            }),
        );
        Ok(response)
    }
}

/// The format the form asks for: `format` (`xml` when absent, as on the router) and
/// `simplify`.
pub(crate) fn requested_format(form: &[(String, String)]) -> Format {
    let param = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    match (param("format"), param("simplify")) {
        (Some("json"), Some("true")) => Format::Json,
        (Some("json"), _) => Format::JsonEnveloped,
        _ => Format::Xml,
    }
}

/// Every field of the error, absent ones left out.
fn error_members(api: &ApiError) -> Map<String, Value> {
    let mut members = Map::new();
    match api.code.as_i64() {
        Some(code) => members.insert("code".into(), code.into()),
        None => members.insert("code".into(), api.code.to_string().into()),
    };
    members.insert("msg".into(), api.msg.clone().into());
    for (name, value) in [
        ("sub_code", &api.sub_code),
        ("sub_msg", &api.sub_msg),
        ("request_id", &api.request_id),
    ] {
        if let Some(value) = value {
            members.insert(name.into(), value.clone().into());
        }
    }
    members
}

/// TOP's non-simplified lists: `"error_infos": [..]` becomes
/// `"error_infos": {"error_info": [..]}`. The item is named after the element type, which the
/// JSON only hints at: `string`, `number` or `boolean` for scalars, and for objects the
/// member's name without its plural `s`.
fn wrap_lists(value: Value) -> Value {
    match value {
        Value::Object(members) => Value::Object(
            members
                .into_iter()
                .map(|(name, member)| {
                    let member = match member {
                        Value::Array(items) => {
                            let item = item_name(&name, &items);
                            let items = items.into_iter().map(wrap_lists).collect();
                            json!({ item: Value::Array(items) })
                        }
                        other => wrap_lists(other),
                    };
                    (name, member)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(wrap_lists).collect()),
        other => other,
    }
}

fn item_name(list: &str, items: &[Value]) -> String {
    match items.iter().find(|v| !v.is_null()) {
        Some(Value::String(_)) => "string".into(),
        Some(Value::Number(_)) => "number".into(),
        Some(Value::Bool(_)) => "boolean".into(),
        _ => list
            .strip_suffix('s')
            .filter(|s| !s.is_empty())
            .unwrap_or(list)
            .into(),
    }
}

/// One element: members become child elements, an array repeats its element, `null` is left
/// out, as the client's XML reader expects.
fn write_element(xml: &mut String, name: &str, value: &Value) {
    match value {
        Value::Null => {}
        Value::Array(items) => {
            for item in items {
                write_element(xml, name, item);
            }
        }
        Value::Object(members) => {
            open(xml, name);
            for (child, member) in members {
                write_element(xml, child, member);
            }
            close(xml, name);
        }
        Value::String(text) => {
            open(xml, name);
            escape(xml, text);
            close(xml, name);
        }
        scalar => {
            open(xml, name);
            xml.push_str(&scalar.to_string());
            close(xml, name);
        }
    }
}

fn open(xml: &mut String, name: &str) {
    xml.push('<');
    xml.push_str(name);
    xml.push('>');
}

fn close(xml: &mut String, name: &str) {
    xml.push_str("</");
    xml.push_str(name);
    xml.push('>');
}

fn escape(xml: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => xml.push_str("&amp;"),
            '<' => xml.push_str("&lt;"),
            '>' => xml.push_str("&gt;"),
            c => xml.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(reply: Reply, format: Format) -> String {
        let response = reply.render("taobao.demo.get", format).unwrap();
        String::from_utf8(response.body.to_vec()).unwrap()
    }

    #[test]
    fn lists_are_wrapped_unless_simplified() {
        let content = json!({"infos": [{"a": 1, "tags": ["x"]}], "n": [1], "empty": [], "blacklist": [{"m": "1"}]});
        assert_eq!(
            body(Reply::Content(content.clone()), Format::Json),
            r#"{"blacklist":[{"m":"1"}],"empty":[],"infos":[{"a":1,"tags":["x"]}],"n":[1],"request_id":"stub-request-id"}"#
        );
        assert_eq!(
            body(Reply::Content(content.clone()), Format::JsonEnveloped),
            r#"{"demo_get_response":{"blacklist":{"blacklist":[{"m":"1"}]},"empty":{"empty":[]},"infos":{"info":[{"a":1,"tags":{"string":["x"]}}]},"n":{"number":[1]},"request_id":"stub-request-id"}}"#
        );
        assert_eq!(
            body(Reply::Content(content), Format::Xml),
            r#"<?xml version="1.0" encoding="utf-8" ?><demo_get_response><blacklist><blacklist><m>1</m></blacklist></blacklist><empty></empty><infos><info><a>1</a><tags><string>x</string></tags></info></infos><n><number>1</number></n><request_id>stub-request-id</request_id></demo_get_response>"#
        );
    }

    #[test]
    fn errors_are_never_simplified_and_text_is_escaped() {
        let reply = || Reply::misuse(22, "a<b & c>".into());
        assert_eq!(
            body(reply(), Format::Json),
            r#"{"error_response":{"code":22,"msg":"a<b & c>","request_id":"stub-request-id"}}"#
        );
        assert_eq!(
            body(reply(), Format::Xml),
            r#"<?xml version="1.0" encoding="utf-8" ?><error_response><code>22</code><msg>a&lt;b &amp; c&gt;</msg><request_id>stub-request-id</request_id></error_response>"#
        );
    }

    #[test]
    fn canned_json_is_unwrapped() {
        let inner = json!({"ok": true});
        for canned in [inner.clone(), json!({"demo_get_response": inner.clone()})] {
            assert!(
                matches!(Reply::json("taobao.demo.get", canned), Reply::Content(c) if c == inner)
            );
        }
        let error = json!({"error_response": {"code": 7}});
        assert!(matches!(
            Reply::json("taobao.demo.get", error),
            Reply::ErrorResponse(m) if m["code"] == 7
        ));
    }

    #[test]
    fn formats_from_the_form() {
        let form = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        };
        assert_eq!(
            requested_format(&form(&[("format", "json"), ("simplify", "true")])),
            Format::Json
        );
        assert_eq!(
            requested_format(&form(&[("format", "json")])),
            Format::JsonEnveloped
        );
        assert_eq!(requested_format(&form(&[])), Format::Xml);
    }
}
