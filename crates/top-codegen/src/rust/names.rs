//! How the generated Rust names things, and how vendor text becomes doc comments.
//!
//! - The request type is the vendor's Java class name: the method without a leading
//!   `taobao.`, each dotted (and `_`-separated) word capitalised, then `Request`
//!   (`alibaba.alsc.crm.customer.update` → `AlibabaAlscCrmCustomerUpdateRequest`); the
//!   response type ends in `Response`.
//! - The module of an API is the method without its vendor prefix (`taobao.`, `alibaba.`)
//!   and without the leading words the crate's name already says (`alsc-crm`:
//!   `alibaba.alsc.crm.customer.update` → `customer_update`).
//! - Fields are the wire names in snake case (`outerId` → `outer_id`, sent as `outerId`);
//!   Rust keywords become raw identifiers (`r#type`), and `self`, `super`, `crate` get a
//!   trailing `_`.

/// Rust's keywords (2024 edition), strict and reserved.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Type names the generated code uses from the prelude or imports: a vendor type of one of
/// these names is renamed (see [`type_name`]).
const TAKEN_TYPE_NAMES: &[&str] = &[
    "AsMut",
    "AsRef",
    "Box",
    "BusinessError",
    "Clone",
    "CodeText",
    "Copy",
    "Cow",
    "DateTime",
    "Debug",
    "Default",
    "Deserialize",
    "Deserializer",
    "Drop",
    "Eq",
    "EnumCode",
    "Err",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "Hash",
    "Into",
    "IntoIterator",
    "Iterator",
    "Mobile",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Rule",
    "Send",
    "Sensitive",
    "Serialize",
    "Serializer",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TopRequest",
    "TopResponse",
    "Utc",
    "ValidationError",
    "Vec",
];

/// The dotted (and `_`-separated) words of a method, each capitalised.
fn camel_words<'a>(words: impl Iterator<Item = &'a str>) -> String {
    words
        .flat_map(|w| w.split('_'))
        .filter(|w| !w.is_empty())
        .map(capitalise)
        .collect()
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// The vendor's Java class name without its suffix: `AlibabaAlscCrmCustomerUpdate`.
fn class_stem(method: &str) -> String {
    let method = method.strip_prefix("taobao.").unwrap_or(method);
    camel_words(method.split('.'))
}

/// `AlibabaAlscCrmCustomerUpdateRequest`.
pub(crate) fn request_type(method: &str) -> String {
    format!("{}Request", class_stem(method))
}

/// `AlibabaAlscCrmCustomerUpdateResponse`.
pub(crate) fn response_type(method: &str) -> String {
    format!("{}Response", class_stem(method))
}

/// The answer's envelope member, as the client reads it:
/// `alibaba_alsc_crm_customer_update_response` (a leading `taobao.` dropped).
pub(crate) fn envelope(method: &str) -> String {
    top_core::envelope::response_key(method)
}

/// The module of `method` in crate `crate_name` (see the module documentation).
pub(crate) fn module(method: &str, crate_name: &str) -> String {
    let crate_words: Vec<String> = crate_name
        .split(['-', '_'])
        .map(str::to_ascii_lowercase)
        .collect();
    let words: Vec<&str> = method.split('.').collect();
    let mut start = 0;
    while start < words.len() && matches!(words[start], "taobao" | "alibaba") {
        start += 1;
    }
    let vendorless = start;
    while start < words.len() && crate_words.iter().any(|w| w == words[start]) {
        start += 1;
    }
    if start == words.len() {
        start = vendorless.min(words.len().saturating_sub(1));
    }
    let mut name = words[start..].join("_");
    if name.is_empty() {
        name = method.replace('.', "_");
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("api_{name}");
    }
    if KEYWORDS.contains(&name.as_str()) {
        name.push_str("_api");
    }
    name
}

/// The camel-case form of a module name (`customer_update` → `CustomerUpdate`), the prefix
/// of renamed types.
pub(crate) fn module_camel(module: &str) -> String {
    camel_words(std::iter::once(module))
}

/// The Rust name of a vendor type: the vendor's name with its acronyms as words
/// (`UserTagInfoResponseDTO` → `UserTagInfoResponseDto`, as Rust's naming guidelines ask),
/// unless the generated code needs that name itself (`Result`, `String`...), then prefixed
/// with the module's camel-case name (`CustomerUpdateResult`). A type whose name differs
/// from the vendor's carries the vendor's as a `doc(alias)`.
pub(crate) fn type_name(vendor: &str, module: &str) -> String {
    let name = acronyms_as_words(&capitalise(vendor));
    if TAKEN_TYPE_NAMES.contains(&name.as_str()) {
        format!("{}{name}", module_camel(module))
    } else {
        name
    }
}

/// `DTO` → `Dto`, `XMLHttpRequest` → `XmlHttpRequest`: a run of capitals is one word, but
/// for its last capital when a lower-case letter follows it (that one starts the next word).
fn acronyms_as_words(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len());
    for (i, &c) in chars.iter().enumerate() {
        let previous_upper = i > 0 && chars[i - 1].is_ascii_uppercase();
        let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
        if c.is_ascii_uppercase() && previous_upper && !next_lower {
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Whether the generated code cannot use `name` for a type of its own.
pub(crate) fn is_taken_type_name(name: &str) -> bool {
    TAKEN_TYPE_NAMES.contains(&name)
}

/// Whether `name` is a Rust identifier in upper camel case, for enum and variant names the
/// overlay chooses.
pub(crate) fn is_camel_ident(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_alphanumeric())
        && !KEYWORDS.contains(&name)
}

/// The snake-case form of a wire name (`outerId` → `outer_id`, `user_id` stays).
pub(crate) fn snake(wire: &str) -> String {
    let mut out = String::with_capacity(wire.len() + 4);
    let mut prev: Option<char> = None;
    for c in wire.chars() {
        if c.is_ascii_uppercase() {
            if prev.is_some_and(|p| p.is_ascii_lowercase() || p.is_ascii_digit()) {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
        prev = Some(c);
    }
    out
}

/// A field or method identifier for a wire name, and the plain name serde sees (`r#type`
/// is `type` to serde; `self_` is `self_`).
pub(crate) fn field(wire: &str) -> Ident {
    let mut plain = snake(wire);
    if plain.starts_with(|c: char| c.is_ascii_digit()) {
        plain = format!("_{plain}");
    }
    if NOT_RAW.contains(&plain.as_str()) {
        plain.push('_');
    }
    let code = if KEYWORDS.contains(&plain.as_str()) {
        format!("r#{plain}")
    } else {
        plain.clone()
    };
    Ident { code, plain }
}

/// An identifier as written in code and as serde names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Ident {
    /// As written in code: `r#type`.
    pub(crate) code: String,
    /// Without the raw prefix: `type`.
    pub(crate) plain: String,
}

/// A setter's name: the field's, unless a method of the type already has it (`new`, or
/// `TopRequest`'s `validate`, `params`, `retry_safe`), then `with_<name>`.
pub(crate) fn setter(field: &Ident, reserved: &[&str]) -> String {
    if reserved.contains(&field.plain.as_str()) {
        format!("with_{}", field.plain)
    } else {
        field.code.clone()
    }
}

/// An English summary made to follow a colon: its first word lower-cased when it is an
/// ordinary capitalised word (`Updates a customer` → `updates a customer`; `SMS` stays).
pub(crate) fn after_colon(summary: &str) -> String {
    let first_word = summary.split_whitespace().next().unwrap_or_default();
    let mut chars = first_word.chars();
    let ordinary = chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && first_word.chars().count() > 1
        && chars.all(|c| c.is_ascii_lowercase());
    if ordinary {
        let mut chars = summary.chars();
        match chars.next() {
            Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
            None => String::new(),
        }
    } else {
        summary.to_owned()
    }
}

/// Vendor text (usually Chinese, sometimes with HTML or brackets) as plain Markdown: white
/// space collapsed, Markdown's active characters escaped, bare links in angle brackets.
pub(crate) fn vendor_text(text: &str) -> String {
    let words: Vec<String> = text
        .split_whitespace()
        .map(|word| {
            if word.starts_with("http://") || word.starts_with("https://") {
                let url = word.trim_end_matches(|c: char| !c.is_ascii_alphanumeric() && c != '/');
                let rest = &word[url.len()..];
                if url.contains(['<', '>']) {
                    escape(word, true)
                } else {
                    format!("<{url}>{}", escape(rest, true))
                }
            } else {
                escape(word, true)
            }
        })
        .collect();
    words.join(" ")
}

/// The project's own text (overlay summaries): Markdown whose code spans are kept, with
/// brackets and angle brackets escaped so that nothing reads as a link or HTML.
pub(crate) fn project_text(text: &str) -> String {
    let words: Vec<String> = text
        .split_whitespace()
        .map(|word| escape(word, false))
        .collect();
    words.join(" ")
}

fn escape(text: &str, backticks: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '[' | ']' | '<' | '>' | '*') || (backticks && c == '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Doc comment lines (`/// ...`) of `text`, wrapped at 100 columns after `indent`. Paragraphs
/// are separated by blank lines in `text`; a line never starts with a word Markdown would
/// read as a list, a heading or a quote.
pub(crate) fn doc(text: &str, indent: usize) -> String {
    let width = 100usize.saturating_sub(indent + 4).max(40);
    let pad = " ".repeat(indent);
    let mut out = String::new();
    for (i, paragraph) in text.split("\n\n").enumerate() {
        if i > 0 {
            out.push_str(&pad);
            out.push_str("///\n");
        }
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            if line.is_empty() && starts_block(word) {
                // Nor at the start of a paragraph.
                line = escape_block_start(word);
                continue;
            }
            let fits = line.chars().count() + 1 + word.chars().count() <= width;
            if line.is_empty() || fits || starts_block(word) {
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(word);
            } else {
                push_doc_line(&mut out, &pad, &line);
                line = word.to_owned();
            }
        }
        if !line.is_empty() {
            push_doc_line(&mut out, &pad, &line);
        }
    }
    out
}

fn push_doc_line(out: &mut String, pad: &str, line: &str) {
    out.push_str(pad);
    out.push_str("/// ");
    out.push_str(line);
    out.push('\n');
}

/// Whether a word at the start of a line would begin a Markdown block.
fn starts_block(word: &str) -> bool {
    let ordered = {
        let digits = word.chars().take_while(char::is_ascii_digit).count();
        digits > 0 && matches!(word[digits..].chars().next(), Some('.' | ')'))
    };
    ordered || word.starts_with(['-', '+', '*', '#', '>', '=', '|', '~']) || word.starts_with("```")
}

/// `word` made not to open a block: `1\.`, `\-`.
fn escape_block_start(word: &str) -> String {
    let digits = word.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 {
        format!("{}\\{}", &word[..digits], &word[digits..])
    } else {
        format!("\\{word}")
    }
}

/// A Rust string literal of `text`.
pub(crate) fn lit(text: &str) -> String {
    format!("{text:?}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn types_follow_the_vendors_classes() {
        assert_eq!(
            request_type("alibaba.alsc.crm.customer.update"),
            "AlibabaAlscCrmCustomerUpdateRequest"
        );
        assert_eq!(
            request_type("taobao.retail.user.tag.mobile.add"),
            "RetailUserTagMobileAddRequest"
        );
        assert_eq!(
            response_type("taobao.logistics.express.user.blacklist.tms.sync"),
            "LogisticsExpressUserBlacklistTmsSyncResponse"
        );
        assert_eq!(
            request_type("alibaba.damai.maizuo.openapi.user.register.byauthcode"),
            "AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeRequest"
        );
        assert_eq!(
            request_type("taobao.tbk.dg.material_optional"),
            "TbkDgMaterialOptionalRequest"
        );
        assert_eq!(
            envelope("alibaba.alsc.crm.customer.update"),
            "alibaba_alsc_crm_customer_update_response"
        );
        assert_eq!(type_name("CommonResult", "customer_update"), "CommonResult");
        assert_eq!(
            type_name("Result", "customer_update"),
            "CustomerUpdateResult"
        );
        assert_eq!(type_name("resultDto", "m"), "ResultDto");
        assert_eq!(
            type_name("UserTagInfoResponseDTO", "m"),
            "UserTagInfoResponseDto"
        );
        assert_eq!(type_name("XMLHttpRequest", "m"), "XmlHttpRequest");
        assert_eq!(type_name("OpenIDs", "m"), "OpenIDs");
    }

    #[test]
    fn modules_drop_what_the_crate_says() {
        assert_eq!(
            module("alibaba.alsc.crm.customer.update", "alsc-crm"),
            "customer_update"
        );
        assert_eq!(
            module("taobao.retail.user.tag.mobile.add", "retail-tag"),
            "user_tag_mobile_add"
        );
        assert_eq!(
            module(
                "taobao.logistics.express.user.blacklist.tms.sync",
                "logistics-blacklist"
            ),
            "express_user_blacklist_tms_sync"
        );
        assert_eq!(module("taobao.a.b", "a-b"), "a_b");
        assert_eq!(module("taobao.x.type", "x"), "type_api");
        assert_eq!(module("taobao.x.2fa.get", "x"), "api_2fa_get");
    }

    #[test]
    fn fields() {
        assert_eq!(field("user_id").code, "user_id");
        assert_eq!(field("outerId").code, "outer_id");
        assert_eq!(field("outerId").plain, "outer_id");
        assert_eq!(field("type").code, "r#type");
        assert_eq!(field("type").plain, "type");
        assert_eq!(field("self").code, "self_");
        assert_eq!(field("1st").code, "_1st");
        assert_eq!(field("HTTPCode").code, "httpcode");
        assert_eq!(setter(&field("new"), &["new"]), "with_new");
        assert_eq!(setter(&field("type"), &["new"]), "r#type");
    }

    #[test]
    fn doc_text() {
        assert_eq!(
            vendor_text("品牌ID  外部品牌id\n 2选1 [a] <b> *c* `d`"),
            r"品牌ID 外部品牌id 2选1 \[a\] \<b\> \*c\* \`d\`"
        );
        assert_eq!(
            vendor_text("见 https://open.taobao.com/doc.htm。"),
            "见 <https://open.taobao.com/doc.htm>。"
        );
        assert_eq!(project_text("`0` is [sent]"), r"`0` is \[sent\]");
        assert_eq!(after_colon("Updates a customer."), "updates a customer.");
        assert_eq!(after_colon("SMS codes."), "SMS codes.");
        assert_eq!(after_colon("A"), "A");
        let long = format!("{} 1. two - three", "word ".repeat(30));
        let lines = doc(&long, 4);
        for line in lines.lines() {
            let text = line.trim_start().trim_start_matches("/// ");
            assert!(!starts_block(text.split(' ').next().unwrap()), "{line}");
            assert!(line.len() <= 100, "{line}");
        }
        assert_eq!(doc("a\n\nb", 0), "/// a\n///\n/// b\n");
        assert_eq!(doc("1. a\n\n- b", 0), "/// 1\\. a\n///\n/// \\- b\n");
        assert_eq!(lit("a\"b\n中"), r#""a\"b\n中""#);
    }
}
