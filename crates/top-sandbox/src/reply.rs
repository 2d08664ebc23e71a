//! Rendering answers as the router does: JSON simplified, the JSON `<method>_response`
//! envelope with TOP list wrappers, or XML; `error_response` in the asked format.

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Serialize, Serializer};

use crate::codes::{HINT_MEMBER, TopError};

const JSON_TYPE: &str = "application/json;charset=UTF-8";
const XML_TYPE: &str = "text/xml;charset=UTF-8";
const XML_DECL: &str = "<?xml version=\"1.0\" encoding=\"utf-8\" ?>";

/// A value of a business answer, independent of the wire format (and stored as is for
/// idempotent replays).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) enum Node {
    /// A string.
    Str(String),
    /// An integer (a JSON number).
    Int(i64),
    /// A boolean.
    Bool(bool),
    /// An object: members in order.
    Obj(Fields),
    /// A list: a bare array when simplified, `{"<item>": [..]}` in the envelope,
    /// `<item>` elements in XML.
    List {
        /// The element name.
        item: String,
        /// The elements.
        items: Vec<Node>,
    },
}

/// Members of an object, in order.
pub(crate) type Fields = Vec<(String, Node)>;

impl Node {
    /// A string node.
    pub(crate) fn str(value: impl Into<String>) -> Node {
        Node::Str(value.into())
    }
}

/// Builds [`Fields`] from `(name, node)` pairs.
pub(crate) fn fields<const N: usize>(members: [(&str, Node); N]) -> Fields {
    members
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect()
}

/// How the caller asked to be answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WireFormat {
    /// `format` absent or `xml`.
    Xml,
    /// `format=json`, enveloped or simplified.
    Json {
        /// `simplify=true`.
        simplify: bool,
    },
}

impl WireFormat {
    /// Reads `format` and `simplify`; `Err` for an unknown format.
    pub(crate) fn parse(format: Option<&str>, simplify: Option<&str>) -> Result<Self, ()> {
        let simplify = simplify.is_some_and(|s| s.trim().eq_ignore_ascii_case("true"));
        match format.map(str::trim) {
            None => Ok(WireFormat::Xml),
            Some(f) if f.eq_ignore_ascii_case("xml") => Ok(WireFormat::Xml),
            Some(f) if f.eq_ignore_ascii_case("json") => Ok(WireFormat::Json { simplify }),
            Some(_) => Err(()),
        }
    }

    /// The format to answer in, falling back to XML (the router's default) when unknown.
    pub(crate) fn lenient(format: Option<&str>, simplify: Option<&str>) -> Self {
        Self::parse(format, simplify).unwrap_or(WireFormat::Xml)
    }

    fn content_type(self) -> &'static str {
        match self {
            WireFormat::Xml => XML_TYPE,
            WireFormat::Json { .. } => JSON_TYPE,
        }
    }
}

/// A rendered body with its content type.
pub(crate) struct Rendered {
    pub(crate) content_type: &'static str,
    pub(crate) body: String,
}

impl Rendered {
    /// HTTP 200 with this body.
    pub(crate) fn into_response(self) -> Response {
        (
            StatusCode::OK,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static(self.content_type),
            )],
            Body::from(self.body),
        )
            .into_response()
    }
}

/// A success answer: `answer` are the envelope's members; `request_id` is appended.
pub(crate) fn success(
    format: WireFormat,
    response_key: &str,
    answer: &[(String, Node)],
    request_id: &str,
) -> Rendered {
    let body = match format {
        WireFormat::Json { simplify } => {
            let root = Root {
                fields: answer,
                request_id,
                simplify,
            };
            let text = if simplify {
                serde_json::to_string(&root)
            } else {
                serde_json::to_string(&Envelope {
                    key: response_key,
                    root,
                })
            };
            // Serializing strings, integers and booleans into a String cannot fail.
            text.unwrap_or_default()
        }
        WireFormat::Xml => {
            let mut out = String::with_capacity(256);
            out.push_str(XML_DECL);
            open(&mut out, response_key);
            for (name, node) in answer {
                xml_node(&mut out, name, node);
            }
            xml_leaf(&mut out, "request_id", request_id);
            close(&mut out, response_key);
            out
        }
    };
    Rendered {
        content_type: format.content_type(),
        body,
    }
}

/// A success answer's content as simplified JSON: what the descriptions' business-failure
/// rules read.
pub(crate) fn content_json(answer: &[(String, Node)]) -> serde_json::Value {
    let root = Root {
        fields: answer,
        request_id: "",
        simplify: true,
    };
    // Strings, integers and booleans always serialize.
    serde_json::to_value(&root).unwrap_or_default()
}

/// An `error_response` (simplified or not, errors are always wrapped). The router's members
/// come first, then the sandbox's `sandbox_hint`, then `request_id`.
pub(crate) fn error(format: WireFormat, error: &TopError, request_id: &str) -> Rendered {
    let body = match format {
        WireFormat::Json { .. } => {
            serde_json::to_string(&ErrorEnvelope { error, request_id }).unwrap_or_default()
        }
        WireFormat::Xml => {
            let mut out = String::with_capacity(256);
            out.push_str(XML_DECL);
            open(&mut out, "error_response");
            xml_leaf(&mut out, "code", &error.code.to_string());
            xml_leaf(&mut out, "msg", error.msg);
            if let Some(sub_code) = error.sub_code {
                xml_leaf(&mut out, "sub_code", sub_code);
            }
            if let Some(sub_msg) = &error.sub_msg {
                xml_leaf(&mut out, "sub_msg", sub_msg);
            }
            if let Some(hint) = &error.hint {
                xml_leaf(&mut out, HINT_MEMBER, hint);
            }
            xml_leaf(&mut out, "request_id", request_id);
            close(&mut out, "error_response");
            out
        }
    };
    Rendered {
        content_type: format.content_type(),
        body,
    }
}

struct JsonNode<'a> {
    node: &'a Node,
    simplify: bool,
}

impl Serialize for JsonNode<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let simplify = self.simplify;
        match self.node {
            Node::Str(v) => s.serialize_str(v),
            Node::Int(v) => s.serialize_i64(*v),
            Node::Bool(v) => s.serialize_bool(*v),
            Node::Obj(members) => {
                let mut map = s.serialize_map(Some(members.len()))?;
                for (k, node) in members {
                    map.serialize_entry(k, &JsonNode { node, simplify })?;
                }
                map.end()
            }
            Node::List { item, items } => {
                let list = JsonList { items, simplify };
                if simplify {
                    list.serialize(s)
                } else {
                    let mut map = s.serialize_map(Some(1))?;
                    map.serialize_entry(item, &list)?;
                    map.end()
                }
            }
        }
    }
}

struct JsonList<'a> {
    items: &'a [Node],
    simplify: bool,
}

impl Serialize for JsonList<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.items.len()))?;
        for node in self.items {
            seq.serialize_element(&JsonNode {
                node,
                simplify: self.simplify,
            })?;
        }
        seq.end()
    }
}

struct Root<'a> {
    fields: &'a [(String, Node)],
    request_id: &'a str,
    simplify: bool,
}

impl Serialize for Root<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.fields.len() + 1))?;
        for (k, node) in self.fields {
            map.serialize_entry(
                k,
                &JsonNode {
                    node,
                    simplify: self.simplify,
                },
            )?;
        }
        map.serialize_entry("request_id", self.request_id)?;
        map.end()
    }
}

struct Envelope<'a> {
    key: &'a str,
    root: Root<'a>,
}

impl Serialize for Envelope<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(1))?;
        map.serialize_entry(self.key, &self.root)?;
        map.end()
    }
}

struct ErrorEnvelope<'a> {
    error: &'a TopError,
    request_id: &'a str,
}

impl Serialize for ErrorEnvelope<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Inner<'a>(&'a ErrorEnvelope<'a>);
        impl Serialize for Inner<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let e = self.0.error;
                let mut map = s.serialize_map(None)?;
                map.serialize_entry("code", &e.code)?;
                map.serialize_entry("msg", e.msg)?;
                if let Some(sub_code) = e.sub_code {
                    map.serialize_entry("sub_code", sub_code)?;
                }
                if let Some(sub_msg) = &e.sub_msg {
                    map.serialize_entry("sub_msg", sub_msg)?;
                }
                if let Some(hint) = &e.hint {
                    map.serialize_entry(HINT_MEMBER, hint)?;
                }
                map.serialize_entry("request_id", self.0.request_id)?;
                map.end()
            }
        }
        let mut map = s.serialize_map(Some(1))?;
        map.serialize_entry("error_response", &Inner(self))?;
        map.end()
    }
}

fn xml_node(out: &mut String, name: &str, node: &Node) {
    match node {
        Node::Str(v) => xml_leaf(out, name, v),
        Node::Int(v) => xml_leaf(out, name, &v.to_string()),
        Node::Bool(v) => xml_leaf(out, name, if *v { "true" } else { "false" }),
        Node::Obj(members) => {
            open(out, name);
            for (k, v) in members {
                xml_node(out, k, v);
            }
            close(out, name);
        }
        Node::List { item, items } => {
            open(out, name);
            for v in items {
                xml_node(out, item, v);
            }
            close(out, name);
        }
    }
}

fn xml_leaf(out: &mut String, name: &str, text: &str) {
    open(out, name);
    escape_into(out, text);
    close(out, name);
}

fn open(out: &mut String, name: &str) {
    out.push('<');
    out.push_str(name);
    out.push('>');
}

fn close(out: &mut String, name: &str) {
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

/// Escapes text content; characters XML 1.0 cannot carry become U+FFFD.
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer() -> Fields {
        fields([
            (
                "error_infos",
                Node::List {
                    item: "error_info".into(),
                    items: vec![Node::Obj(fields([("error_code", Node::str("a<&>b"))]))],
                },
            ),
            ("result", Node::Bool(true)),
            ("n", Node::Int(201)),
        ])
    }

    #[test]
    fn three_forms() {
        let a = answer();
        let simple = success(WireFormat::Json { simplify: true }, "x_response", &a, "rid");
        assert_eq!(
            simple.body,
            r#"{"error_infos":[{"error_code":"a<&>b"}],"result":true,"n":201,"request_id":"rid"}"#
        );
        let env = success(
            WireFormat::Json { simplify: false },
            "x_response",
            &a,
            "rid",
        );
        assert_eq!(
            env.body,
            r#"{"x_response":{"error_infos":{"error_info":[{"error_code":"a<&>b"}]},"result":true,"n":201,"request_id":"rid"}}"#
        );
        let xml = success(WireFormat::Xml, "x_response", &a, "rid");
        assert!(xml.body.ends_with("<x_response><error_infos><error_info><error_code>a&lt;&amp;&gt;b</error_code></error_info></error_infos><result>true</result><n>201</n><request_id>rid</request_id></x_response>"), "{}", xml.body);
        assert_eq!(xml.content_type, XML_TYPE);
    }

    #[test]
    fn errors_are_wrapped() {
        let e = TopError::invalid_parameter("f", None);
        let json = error(WireFormat::Json { simplify: true }, &e, "r");
        assert_eq!(
            json.body,
            r#"{"error_response":{"code":50,"msg":"Remote service error","sub_code":"isv.invalid-parameter","sub_msg":"非法参数: f","sandbox_hint":"`f` is not valid","request_id":"r"}}"#
        );
        let xml = error(WireFormat::Xml, &e, "r");
        assert!(xml.body.contains("<error_response><code>50</code>"));
        assert!(
            xml.body.contains(
                "<sandbox_hint>`f` is not valid</sandbox_hint><request_id>r</request_id>"
            ),
            "{}",
            xml.body
        );
    }

    #[test]
    fn format_parsing() {
        assert_eq!(WireFormat::parse(None, Some("true")), Ok(WireFormat::Xml));
        assert_eq!(
            WireFormat::parse(Some("JSON"), Some("true")),
            Ok(WireFormat::Json { simplify: true })
        );
        assert_eq!(
            WireFormat::parse(Some("json"), None),
            Ok(WireFormat::Json { simplify: false })
        );
        assert!(WireFormat::parse(Some("json2"), None).is_err());
        assert_eq!(WireFormat::lenient(Some("yaml"), None), WireFormat::Xml);
        let mut s = String::new();
        escape_into(&mut s, "a\u{1}b");
        assert_eq!(s, "a\u{FFFD}b");
    }
}
