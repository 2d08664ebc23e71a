//! The XML of the samples, read leniently and written back as real XML. A copied table-layout
//! page writes tags with spaces inside (`< code >50</ code >`) and everything on one line; the
//! list layout copies the vendor's indented XML. Both read into the same small tree, which
//! is written with four-space indentation, and which the evidence reader walks. A JSON sample
//! reads into the same tree.

use serde_json::Value;

/// Deeper than any TOP answer; stops a pathological text from recursing without end.
const MAX_DEPTH: usize = 64;

/// One element: its name, its own text (trimmed) and its child elements.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Element {
    /// The tag name.
    pub(super) name: String,
    /// The text directly inside it, entities decoded, trimmed.
    pub(super) text: String,
    /// Child elements in order.
    pub(super) children: Vec<Element>,
}

/// Reads XML, tolerating spaces inside tags; drops declarations, comments and attributes.
pub(super) fn parse(text: &str) -> Result<Element, String> {
    let mut stack: Vec<(Element, String)> = Vec::new();
    let mut root: Option<Element> = None;
    let mut rest = text;
    loop {
        let (before, tag) = match rest.find('<') {
            Some(i) => (&rest[..i], Some(&rest[i + 1..])),
            None => (rest, None),
        };
        match stack.last_mut() {
            Some((_, raw)) => raw.push_str(before),
            None if before.trim().is_empty() => {}
            None => {
                return Err(format!(
                    "text outside the root element: `{}`",
                    before.trim()
                ));
            }
        }
        let Some(tag) = tag else { break };
        let Some(end) = tag.find('>') else {
            return Err("a `<` without its `>`".into());
        };
        let inner = tag[..end].trim();
        rest = &tag[end + 1..];
        if inner.starts_with('?') || inner.starts_with('!') {
            continue;
        }
        if let Some(name) = inner.strip_prefix('/') {
            let name = name.trim();
            let Some((mut element, raw)) = stack.pop() else {
                return Err(format!("`</{name}>` closes nothing"));
            };
            if element.name != name {
                return Err(format!("`<{}>` is closed by `</{name}>`", element.name));
            }
            element.text = decode(raw.trim());
            close(element, &mut stack, &mut root)?;
            continue;
        }
        let self_closing = inner.ends_with('/');
        let inner = inner.trim_end_matches('/').trim();
        let name = inner.split_whitespace().next().unwrap_or_default();
        if !is_name(name) {
            return Err(format!("`<{inner}>` is not a tag"));
        }
        if root.is_some() {
            return Err(format!("`<{name}>` after the root element"));
        }
        if stack.len() >= MAX_DEPTH {
            return Err(format!("nested deeper than {MAX_DEPTH} elements"));
        }
        let element = Element {
            name: name.to_owned(),
            ..Element::default()
        };
        if self_closing {
            close(element, &mut stack, &mut root)?;
        } else {
            stack.push((element, String::new()));
        }
    }
    if let Some((open, _)) = stack.last() {
        return Err(format!("`<{}>` is never closed", open.name));
    }
    root.ok_or_else(|| "no element".to_owned())
}

/// Attaches a finished element to its parent, or makes it the root.
fn close(
    element: Element,
    stack: &mut [(Element, String)],
    root: &mut Option<Element>,
) -> Result<(), String> {
    match stack.last_mut() {
        Some((parent, raw)) => {
            // Text between child elements is layout, not content, once the parent has
            // children; keep only what is not whitespace.
            if raw.trim().is_empty() {
                raw.clear();
            }
            parent.children.push(element);
            Ok(())
        }
        None if root.is_none() => {
            *root = Some(element);
            Ok(())
        }
        None => Err("two root elements".into()),
    }
}

/// An XML name (what `< 1 >` is not).
fn is_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_alphabetic() || c == '_')
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':'))
}

/// Decodes the five predefined entities; anything else stays as written.
fn decode(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// Escapes text for element content.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Writes the tree as XML, four spaces per level, one element per line.
pub(super) fn render(element: &Element) -> String {
    let mut out = String::new();
    write(element, 0, &mut out);
    out
}

/// Writes `element` at `depth`.
fn write(element: &Element, depth: usize, out: &mut String) {
    let indent = "    ".repeat(depth);
    let name = &element.name;
    if element.children.is_empty() {
        out.push_str(&format!(
            "{indent}<{name}>{}</{name}>\n",
            escape(&element.text)
        ));
        return;
    }
    out.push_str(&format!("{indent}<{name}>\n"));
    if !element.text.is_empty() {
        out.push_str(&format!("{indent}    {}\n", escape(&element.text)));
    }
    for child in &element.children {
        write(child, depth + 1, out);
    }
    out.push_str(&format!("{indent}</{name}>\n"));
}

/// The tree of a JSON sample: `{"x_response": {...}}` is the element `x_response`; an array
/// is its entries as repeated elements of the array's name, as the XML of TOP lists them.
pub(super) fn from_json(value: &Value) -> Option<Element> {
    let Value::Object(map) = value else {
        return None;
    };
    let mut entries = map.iter();
    let (name, inner) = entries.next()?;
    if entries.next().is_some() {
        return None;
    }
    json_elements(name, inner).into_iter().next()
}

/// The elements of a JSON value under `name`: one for an object or a plain value, one per
/// entry for an array.
pub(super) fn json_elements(name: &str, value: &Value) -> Vec<Element> {
    let mut out = Vec::new();
    add_json(name, value, &mut out);
    out
}

/// Adds the elements of `value` under `name` to `out`.
fn add_json(name: &str, value: &Value, out: &mut Vec<Element>) {
    match value {
        Value::Object(map) => {
            let mut children = Vec::new();
            for (key, inner) in map {
                add_json(key, inner, &mut children);
            }
            out.push(Element {
                name: name.to_owned(),
                text: String::new(),
                children,
            });
        }
        Value::Array(items) => {
            for item in items {
                add_json(name, item, out);
            }
        }
        Value::String(text) => out.push(leaf(name, text.clone())),
        Value::Null => out.push(leaf(name, String::new())),
        other => out.push(leaf(name, other.to_string())),
    }
}

/// An element with text only.
fn leaf(name: &str, text: String) -> Element {
    Element {
        name: name.to_owned(),
        text,
        children: Vec::new(),
    }
}
