//! A vendor page's response sample as the answer of an API without hand-written state.
//!
//! The sample is read through the description's own answer ([`Fields`] of declared types):
//! each described member takes the sample element of its name, scalars typed as declared
//! (a Number becomes an integer when its text is one, a Boolean a boolean when `true` or
//! `false`, anything else its text), lists take every child of their wrapper (whatever the
//! children are named), objects are read member by member. What the sample lacks keeps its
//! described value and what the description does not declare is dropped, so the answer
//! always has the description's shape, whatever the page shows.

use quick_xml::Reader;
use quick_xml::events::Event;

use crate::reply::{Fields, Node};

/// Nesting deeper than this is refused: TOP answers are a few levels deep, and the tree is
/// dropped recursively.
const MAX_DEPTH: usize = 64;

/// The answer `described` with the values of the XML sample `xml`.
///
/// # Errors
/// Why the sample cannot be read (not well-formed XML, or an `error_response`); the caller
/// then answers as the description shapes it.
pub(crate) fn answer(described: &[(String, Node)], xml: &str) -> Result<Fields, String> {
    let root = parse(xml)?;
    // An error sample filed as the response one must not become a success answer.
    if root.name == "error_response" {
        return Err("the sample is an `error_response`, not a success answer".to_owned());
    }
    // The root's name is not checked: the answer's envelope is the response key whatever the
    // page wrote, and the members below the root are what the description reads.
    Ok(read_members(described, &root))
}

/// An element of the sample: its name, its text and its child elements, in order.
#[derive(Debug, Default)]
struct Element {
    name: String,
    text: String,
    children: Vec<Element>,
}

impl Element {
    fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }
}

/// Every described member, from the element of its name in `element` when there is one.
fn read_members(described: &[(String, Node)], element: &Element) -> Fields {
    described
        .iter()
        .map(|(name, default)| {
            let node = match element.child(name) {
                Some(child) => read(default, child),
                None => default.clone(),
            };
            (name.clone(), node)
        })
        .collect()
}

/// The value of `element` as the described `default` is typed; `default` where the element
/// does not hold a value of that type.
fn read(default: &Node, element: &Element) -> Node {
    match default {
        Node::Obj(members) => Node::Obj(read_members(members, element)),
        Node::List { item, items } => {
            // The described list holds one element of the item's shape: the template.
            let Some(template) = items.first() else {
                return default.clone();
            };
            // Text without item elements is not a TOP list (the page wrote something else).
            if element.children.is_empty() && !element.text.trim().is_empty() {
                return default.clone();
            }
            Node::List {
                item: item.clone(),
                items: element
                    .children
                    .iter()
                    .map(|child| read(template, child))
                    .collect(),
            }
        }
        // An object where a value is declared: not this member's value.
        _ if !element.children.is_empty() => default.clone(),
        Node::Int(_) => {
            let text = element.text.trim();
            if text.is_empty() {
                default.clone()
            } else {
                // Decimals and ids past i64 keep their text rather than lose their value.
                text.parse()
                    .map_or_else(|_| Node::str(element.text.clone()), Node::Int)
            }
        }
        Node::Bool(_) => {
            let text = element.text.trim();
            if text.eq_ignore_ascii_case("true") {
                Node::Bool(true)
            } else if text.eq_ignore_ascii_case("false") {
                Node::Bool(false)
            } else {
                // A boolean as any other text would break the declared type.
                default.clone()
            }
        }
        Node::Str(_) => Node::Str(element.text.clone()),
    }
}

/// Parses a well-formed XML document into its root element.
fn parse(xml: &str) -> Result<Element, String> {
    let mut reader = Reader::from_str(xml);
    let bad = |e: &dyn std::fmt::Display| format!("not well-formed XML: {e}");
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let event = reader.read_event().map_err(|e| bad(&e))?;
        let closed = match event {
            Event::Start(start) => {
                if root.is_some() {
                    return Err(bad(&"content after the root element"));
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(format!("nested deeper than {MAX_DEPTH} elements"));
                }
                stack.push(Element {
                    name: element_name(start.name().as_ref())?,
                    ..Element::default()
                });
                None
            }
            Event::Empty(empty) => Some(Element {
                name: element_name(empty.name().as_ref())?,
                ..Element::default()
            }),
            Event::End(_) => Some(
                stack
                    .pop()
                    .ok_or_else(|| bad(&"an end tag without its start"))?,
            ),
            Event::Text(t) => {
                let text = t.xml_content().map_err(|e| bad(&e))?;
                push_text(&mut stack, &text)?;
                None
            }
            Event::CData(c) => {
                let text = c.xml_content().map_err(|e| bad(&e))?;
                push_text(&mut stack, &text)?;
                None
            }
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref().map_err(|e| bad(&e))? {
                    Some(c) => c.to_string(),
                    None => {
                        let name = r.decode().map_err(|e| bad(&e))?;
                        quick_xml::escape::resolve_predefined_entity(&name)
                            .ok_or_else(|| bad(&format!("unknown entity `&{name};`")))?
                            .to_owned()
                    }
                };
                push_text(&mut stack, &resolved)?;
                None
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => None,
        };
        if let Some(element) = closed {
            match stack.last_mut() {
                Some(parent) => parent.children.push(element),
                None if root.is_none() => root = Some(element),
                None => return Err(bad(&"content after the root element")),
            }
        }
    }
    if !stack.is_empty() {
        return Err(bad(&"the document ends inside an element"));
    }
    root.ok_or_else(|| bad(&"no root element"))
}

/// Adds text to the open element; text outside the root (other than white space) is not XML.
fn push_text(stack: &mut [Element], text: &str) -> Result<(), String> {
    match stack.last_mut() {
        Some(open) => open.text.push_str(text),
        None if !text.trim().is_empty() => {
            return Err("not well-formed XML: text outside the root element".to_owned());
        }
        None => {}
    }
    Ok(())
}

fn element_name(raw: &[u8]) -> Result<String, String> {
    std::str::from_utf8(raw)
        .map(str::to_owned)
        .map_err(|_| "not well-formed XML: an element name is not UTF-8".to_owned())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use top_model::Catalog;

    use super::*;
    use crate::endpoint::described_answer;
    use crate::reply::fields;

    /// The seed page's XML response sample kept by a domain crate's tests.
    fn seed_sample(domain_crate: &str) -> String {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("..")
            .join(domain_crate)
            .join("tests/fixtures/seed_sample.xml");
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// The answer of the built-in `method` read from `xml`.
    fn answer_of(method: &str, xml: &str) -> Result<Fields, String> {
        let catalog = Catalog::builtin().unwrap();
        answer(&described_answer(catalog.get(method).unwrap()), xml)
    }

    #[test]
    fn the_retail_tag_sample_reads_lists_objects_and_booleans() {
        let answer = answer_of(
            "taobao.retail.user.tag.mobile.add",
            &seed_sample("retail-tag"),
        )
        .unwrap();
        let expected = fields([
            (
                "error_infos",
                Node::List {
                    item: "error_info".into(),
                    items: vec![Node::Obj(fields([
                        (
                            "outer_error_code",
                            Node::str(
                                "SERVICE_ERROR:NOT_FIND_TAOBAO_ACCOUNT:NOT_FIND_TAOBAO_ACCOUNT",
                            ),
                        ),
                        ("error_message", Node::str("未查询到淘宝账号:_*****_*****")),
                        (
                            "error_code",
                            Node::str(
                                "isp.system-service-error::NOT_FIND_TAOBAO_ACCOUNT:NOT_FIND_TAOBAO_ACCOUNT",
                            ),
                        ),
                        ("sub_error_code", Node::str("NOT_FIND_TAOBAO_ACCOUNT")),
                    ]))],
                },
            ),
            (
                "module",
                Node::Obj(fields([
                    ("tag_success", Node::Bool(true)),
                    ("social_nick", Node::str("t*********3")),
                    ("use_type", Node::str("tbId")),
                ])),
            ),
            ("result", Node::Bool(true)),
        ]);
        assert_eq!(answer, expected);
    }

    #[test]
    fn the_blacklist_sample_keeps_text_codes_and_false_flags() {
        let answer = answer_of(
            "taobao.logistics.express.user.blacklist.tms.sync",
            &seed_sample("logistics-blacklist"),
        )
        .unwrap();
        let expected = fields([(
            "user_blacklist_response",
            Node::Obj(fields([
                ("success", Node::Bool(true)),
                // Declared a String: the sample's digits stay text.
                ("code", Node::str("200")),
                ("message", Node::str("SUCCESS")),
                ("is_retry", Node::Bool(false)),
            ])),
        )]);
        assert_eq!(answer, expected);
    }

    #[test]
    fn the_damai_sample_types_numbers_and_overrides_the_described_flag() {
        let answer = answer_of(
            "alibaba.damai.maizuo.openapi.user.register.byauthcode",
            &seed_sample("damai-member"),
        )
        .unwrap();
        let Node::Obj(result) = &answer[0].1 else {
            panic!("{answer:?}")
        };
        let member = |name: &str| {
            result
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        assert_eq!(member("result_code"), Some(Node::Int(201)));
        // The described answer says true (the business-failure flag); the sample says false.
        assert_eq!(member("success"), Some(Node::Bool(false)));
        assert_eq!(member("result_msg"), Some(Node::str("成功")));
        let Some(Node::Obj(data)) = member("data") else {
            panic!("{result:?}")
        };
        assert_eq!(data[4], ("user_id".to_owned(), Node::str("2313112")));
    }

    #[test]
    fn the_crm_sample_keeps_long_ids_as_text() {
        let answer =
            answer_of("alibaba.alsc.crm.customer.create", &seed_sample("alsc-crm")).unwrap();
        let Node::Obj(result) = &answer[0].1 else {
            panic!("{answer:?}")
        };
        assert_eq!(
            result[0],
            ("result".to_owned(), Node::str("20193846534522344567"))
        );
        assert_eq!(
            result.last(),
            Some(&("biz_success".to_owned(), Node::Bool(true)))
        );
    }

    #[test]
    fn what_the_sample_lacks_is_described_and_what_it_adds_is_dropped() {
        let described = fields([
            ("n", Node::Int(0)),
            ("b", Node::Bool(true)),
            ("s", Node::str("")),
            (
                "l",
                Node::List {
                    item: "x".into(),
                    items: vec![Node::Obj(fields([
                        ("id", Node::Int(0)),
                        ("on", Node::Bool(false)),
                    ]))],
                },
            ),
            (
                "tags",
                Node::List {
                    item: "string".into(),
                    items: vec![Node::str("")],
                },
            ),
            ("o", Node::Obj(fields([("k", Node::str("d"))]))),
        ]);
        let xml = "<?xml version=\"1.0\"?>\n<x_response>\n  <n> 7 </n>\n  <b>yes</b>\n  \
                   <extra>1</extra>\n  <l><whatever><id>1</id><junk/></whatever><x><on>TRUE</on></x></l>\n  \
                   <tags><s>a&amp;b</s><s><![CDATA[<c>]]></s></tags>\n  <o/>\n  \
                   <request_id>abc</request_id>\n</x_response>";
        let expected = fields([
            ("n", Node::Int(7)),
            // Not a boolean: the described value.
            ("b", Node::Bool(true)),
            ("s", Node::str("")),
            (
                "l",
                Node::List {
                    item: "x".into(),
                    items: vec![
                        Node::Obj(fields([("id", Node::Int(1)), ("on", Node::Bool(false))])),
                        Node::Obj(fields([("id", Node::Int(0)), ("on", Node::Bool(true))])),
                    ],
                },
            ),
            (
                "tags",
                Node::List {
                    item: "string".into(),
                    items: vec![Node::str("a&b"), Node::str("<c>")],
                },
            ),
            ("o", Node::Obj(fields([("k", Node::str("d"))]))),
        ]);
        assert_eq!(answer(&described, xml).unwrap(), expected);
        // An empty wrapper is an empty list; text where a list is declared is not one.
        let read = answer(&described, "<r><l/><tags>a,b</tags><n>1.5</n></r>").unwrap();
        assert_eq!(
            read[3].1,
            Node::List {
                item: "x".into(),
                items: vec![]
            }
        );
        assert_eq!(read[4].1, described[4].1);
        // A decimal where a Number is declared keeps its value as text.
        assert_eq!(read[0].1, Node::str("1.5"));
    }

    #[test]
    fn bad_samples_are_refused_not_panicked_on() {
        let described = fields([("n", Node::Int(0))]);
        let deep = "<a>".repeat(100) + &"</a>".repeat(100);
        for bad in [
            "",
            "not xml",
            "<r><n>1</r>",
            "<r>",
            "<r/><r/>",
            "<r>&bogus;</r>",
            "<r></r>trailing",
            "</r>",
            "<error_response><code>15</code></error_response>",
            deep.as_str(),
        ] {
            assert!(
                answer(&described, bad).is_err(),
                "{bad:?} should be refused"
            );
        }
    }
}
