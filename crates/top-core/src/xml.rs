//! XML answers mapped to the JSON shape of the envelope form, so one set of response types
//! reads both: elements become members, repeated elements arrays, empty elements null.

use quick_xml::Reader;
use quick_xml::events::Event;
use serde_json::{Map, Value};

use crate::error::DecodeError;

/// Nesting deeper than this is refused: TOP answers are a few levels deep.
const MAX_DEPTH: usize = 64;

struct Frame {
    name: String,
    members: Map<String, Value>,
    text: String,
}

/// Parses an XML document into its root element name and value.
pub(crate) fn to_value(text: &str) -> Result<(String, Value), DecodeError> {
    let mut reader = Reader::from_str(text);
    let bad = |e: &dyn std::fmt::Display| DecodeError::new("$", format!("invalid XML: {e}"));
    let mut stack: Vec<Frame> = Vec::new();
    let mut root: Option<(String, Value)> = None;
    loop {
        let event = reader.read_event().map_err(|e| bad(&e))?;
        match event {
            Event::Start(start) => {
                if root.is_some() {
                    return Err(DecodeError::new(
                        "$",
                        "invalid XML: content after the root element",
                    ));
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(DecodeError::new("$", "XML nested too deeply"));
                }
                let name = element_name(start.name().as_ref())?;
                stack.push(Frame {
                    name,
                    members: Map::new(),
                    text: String::new(),
                });
            }
            Event::Empty(empty) => {
                let name = element_name(empty.name().as_ref())?;
                match stack.last_mut() {
                    Some(parent) => add_member(&mut parent.members, name, Value::Null),
                    None if root.is_none() => root = Some((name, Value::Null)),
                    None => {
                        return Err(DecodeError::new(
                            "$",
                            "invalid XML: content after the root element",
                        ));
                    }
                }
            }
            Event::Text(t) => {
                if let Some(frame) = stack.last_mut() {
                    frame.text.push_str(&t.xml_content().map_err(|e| bad(&e))?);
                } else if !t.xml_content().map_err(|e| bad(&e))?.trim().is_empty() {
                    return Err(DecodeError::new(
                        "$",
                        "invalid XML: text outside the root element",
                    ));
                }
            }
            Event::CData(c) => {
                if let Some(frame) = stack.last_mut() {
                    frame.text.push_str(&c.xml_content().map_err(|e| bad(&e))?);
                }
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref().map_err(|e| bad(&e))? {
                    Some(c) => c.to_string(),
                    None => {
                        let name = r.decode().map_err(|e| bad(&e))?;
                        quick_xml::escape::resolve_predefined_entity(&name)
                            .ok_or_else(|| {
                                DecodeError::new(
                                    "$",
                                    format!("invalid XML: unknown entity `&{name};`"),
                                )
                            })?
                            .to_owned()
                    }
                };
                if let Some(frame) = stack.last_mut() {
                    frame.text.push_str(&resolved);
                }
            }
            Event::End(_) => {
                let frame = stack
                    .pop()
                    .ok_or_else(|| DecodeError::new("$", "invalid XML: unbalanced end tag"))?;
                let value = if !frame.members.is_empty() {
                    Value::Object(frame.members)
                } else if frame.text.trim().is_empty() {
                    Value::Null
                } else {
                    Value::String(frame.text)
                };
                match stack.last_mut() {
                    Some(parent) => add_member(&mut parent.members, frame.name, value),
                    None => root = Some((frame.name, value)),
                }
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
        }
    }
    if !stack.is_empty() {
        return Err(DecodeError::new("$", "invalid XML: truncated document"));
    }
    root.ok_or_else(|| DecodeError::new("$", "invalid XML: no root element"))
}

fn element_name(raw: &[u8]) -> Result<String, DecodeError> {
    std::str::from_utf8(raw)
        .map(str::to_owned)
        .map_err(|_| DecodeError::new("$", "invalid XML: element name is not UTF-8"))
}

/// Repeated elements become an array, as the envelope JSON has them.
fn add_member(members: &mut Map<String, Value>, name: String, value: Value) {
    match members.get_mut(&name) {
        Some(Value::Array(items)) => items.push(value),
        Some(existing) => {
            let first = existing.take();
            *existing = Value::Array(vec![first, value]);
        }
        None => {
            members.insert(name, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn maps_elements_lists_and_entities() {
        let (root, v) = to_value(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?><r><a>1</a><l><i><x>a&amp;b</x></i><i><x>&#20013;</x></i></l><e/><s></s><c><![CDATA[<raw>]]></c></r>",
        )
        .unwrap();
        assert_eq!(root, "r");
        assert_eq!(
            v,
            json!({"a":"1","l":{"i":[{"x":"a&b"},{"x":"中"}]},"e":null,"s":null,"c":"<raw>"})
        );
    }

    #[test]
    fn refuses_broken_documents() {
        for bad in [
            "<r><a></r>",
            "<r>",
            "",
            "just text",
            "<r/><r/>",
            "<r>&bogus;</r>",
            "<r></r>trailing",
        ] {
            assert!(to_value(bad).is_err(), "{bad:?} should fail");
        }
        let deep = "<a>".repeat(100) + &"</a>".repeat(100);
        assert!(to_value(&deep).is_err());
    }
}
