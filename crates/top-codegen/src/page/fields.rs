//! What one member row or bullet group holds, read cell by cell: its type, whether it is
//! required, its limits (更多限制) and which of the remaining texts is the example and which
//! the description. The copied page drops empty cells, so columns are told apart by content.

use top_model::TypeRef;

use super::PageError;

/// Where a member sits as far as the layout alone says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Level {
    /// A top-level line of the list layout: certainly a parameter of the API itself.
    Top,
    /// A bullet group, or a table row marked `└`: inside one of the objects opened before.
    Sub,
    /// A table row without a marker: top level, or inside an object if the marker was lost.
    Unmarked,
}

/// The texts after a member's name, type and requiredness.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Rest {
    /// Separate cells or bullets, in page order, none empty.
    Cells(Vec<String>),
    /// One line of text whose columns were joined by spaces (a top-level line of the list
    /// layout).
    Text(String),
}

/// One member as the page lists it, before its place in the tree is decided.
#[derive(Debug, Clone)]
pub(super) struct RawMember {
    /// The 1-based line of its name.
    pub(super) line: usize,
    /// The wire name.
    pub(super) name: String,
    /// What the layout says about its depth.
    pub(super) level: Level,
    /// The vendor's type name, with the page's space before `[]` removed.
    pub(super) type_name: String,
    /// The type, read.
    pub(super) type_ref: TypeRef,
    /// 必须 / 可选; `None` on the response side, which has no such column.
    pub(super) required: Option<bool>,
    /// The example, limits and description, still to be told apart.
    pub(super) rest: Rest,
}

/// A member from the texts of its table row or bullet group, each with its line: its name
/// (a leading `└` dropped), its type, on a request side 必须 or 可选, then the rest. `line` is
/// the member's line when it has no text at all.
pub(super) fn member(
    line: usize,
    texts: &[(usize, &str)],
    level: Level,
    request: bool,
) -> Result<RawMember, PageError> {
    let (line, first) = texts.first().copied().unwrap_or((line, ""));
    let name = first.trim_start_matches(|c: char| c == '└' || c.is_whitespace());
    if !is_wire_name(name) {
        return Err(PageError::Malformed {
            line,
            reason: format!("`{first}` is not a member name (letters, digits and `_`)"),
        });
    }
    let (type_line, type_text) = texts.get(1).copied().unwrap_or((line, ""));
    if type_text.is_empty() || requiredness(type_text).is_some() {
        return Err(PageError::NoType {
            line,
            member: name.to_owned(),
        });
    }
    let (type_name, type_ref) = read_type(type_text).map_err(|reason| PageError::BadType {
        line: type_line,
        member: name.to_owned(),
        text: type_text.to_owned(),
        reason,
    })?;
    let mut next = 2;
    let required = if request {
        let Some(required) = texts.get(2).and_then(|(_, t)| requiredness(t)) else {
            return Err(PageError::Malformed {
                line: texts.get(2).map_or(type_line, |(l, _)| *l),
                reason: format!("member `{name}`: no 必须 or 可选 after its type"),
            });
        };
        next = 3;
        Some(required)
    } else {
        None
    };
    let rest = texts
        .get(next..)
        .unwrap_or_default()
        .iter()
        .map(|(_, t)| t.to_string())
        .filter(|t| !t.is_empty())
        .collect();
    Ok(RawMember {
        line,
        name: name.to_owned(),
        level,
        type_name,
        type_ref,
        required,
        rest: Rest::Cells(rest),
    })
}

/// The 更多限制 column, read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Limits {
    /// 最大长度.
    pub(super) max_length: Option<u64>,
    /// 最大列表长度.
    pub(super) max_list_size: Option<u64>,
    /// 最大值.
    pub(super) max_value: Option<i64>,
    /// 最小值.
    pub(super) min_value: Option<i64>,
}

/// A member's example, limits and description, told apart.
#[derive(Debug, Clone, Default)]
pub(super) struct Fields {
    /// The example value, when the page shows one.
    pub(super) example: Option<String>,
    /// The description (empty when the page has none).
    pub(super) description: String,
    /// The limits.
    pub(super) limits: Limits,
    /// Why the split is uncertain, when it is: becomes a guess.
    pub(super) doubt: Option<String>,
}

/// 必须 → true, 可选 → false.
pub(super) fn requiredness(text: &str) -> Option<bool> {
    match text.trim() {
        "必须" | "必选" | "是" => Some(true),
        "可选" | "否" => Some(false),
        _ => None,
    }
}

/// The vendor's own lower-case spellings of built-in types; any other type name starts with
/// an upper-case letter.
const LOWER_CASE_TYPES: [&str; 4] = ["int", "long", "boolean", "byte"];

/// Reads the text in a type position: `Some((vendor spelling, type))` when it is a type.
/// The spelling drops the page's space before `[]` (`Blacklist []` → `Blacklist[]`), as the
/// vendor's JSON spells it.
pub(super) fn read_type(text: &str) -> Result<(String, TypeRef), String> {
    let text = text.trim();
    let type_ref = TypeRef::parse(text)?;
    let base = text.strip_suffix("[]").unwrap_or(text).trim_end();
    let upper = base.chars().next().is_some_and(|c| c.is_ascii_uppercase());
    if !upper && !LOWER_CASE_TYPES.contains(&base) {
        return Err(format!(
            "`{base}` is neither a built-in type nor a type name (those start with a capital)"
        ));
    }
    let spelling = match text.strip_suffix("[]") {
        Some(inner) => format!("{}[]", inner.trim_end()),
        None => text.to_owned(),
    };
    Ok((spelling, type_ref))
}

/// Whether `text` reads as a type beyond doubt: a built-in type, or a CamelCase name
/// (upper-case first, some lower case), possibly with `[]`. Used to find where a member
/// starts, so it is stricter than [`read_type`]: an example such as `SUCCESS` is no type here.
pub(super) fn looks_like_type(text: &str) -> bool {
    let Ok((spelling, type_ref)) = read_type(text) else {
        return false;
    };
    if type_ref.object_name().is_none() {
        return true;
    }
    let base = spelling.strip_suffix("[]").unwrap_or(&spelling);
    base.chars().any(|c| c.is_ascii_lowercase())
}

/// A wire name: ASCII letters, digits and `_`, starting with a letter.
pub(super) fn is_wire_name(text: &str) -> bool {
    let mut chars = text.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A name as the samples spell it in any case convention: lower case, no `_`
/// (`request_id`, `RequestId` and `requestId` are all `requestid`).
pub(super) fn norm(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// The limit keywords of the 更多限制 column, longest first so that 最大列表长度 is not read
/// as 最大….
const LIMIT_WORDS: [&str; 4] = ["最大列表长度", "最大长度", "最大值", "最小值"];

/// One limit item at the start of `text`: (keyword, value, bytes consumed).
fn limit_at(text: &str) -> Option<(&'static str, i64, usize)> {
    let word = LIMIT_WORDS.iter().find(|w| text.starts_with(**w))?;
    let after = &text[word.len()..];
    let trimmed = after.trim_start();
    let colon = trimmed.chars().next().filter(|c| matches!(c, ':' | '：'))?;
    let value_text = trimmed[colon.len_utf8()..].trim_start();
    let digits_end = value_text
        .char_indices()
        .find(|(i, c)| !(c.is_ascii_digit() || (*i == 0 && *c == '-')))
        .map_or(value_text.len(), |(i, _)| i);
    let value: i64 = value_text[..digits_end].parse().ok()?;
    let consumed = text.len() - value_text.len() + digits_end;
    Some((word, value, consumed))
}

/// Reading and combining limits.
impl Limits {
    /// Sets the limit a keyword names.
    fn set(&mut self, word: &str, value: i64) {
        let unsigned = u64::try_from(value).ok();
        match word {
            "最大列表长度" => self.max_list_size = unsigned,
            "最大长度" => self.max_length = unsigned,
            "最大值" => self.max_value = Some(value),
            _ => self.min_value = Some(value),
        }
    }

    /// Reads a cell made only of limit items (`最大长度：64`, `最小值：1 最大值：100`).
    pub(super) fn read_cell(text: &str) -> Option<Limits> {
        let mut limits = Limits::default();
        let mut rest = text.trim();
        let mut any = false;
        while !rest.is_empty() {
            let (word, value, used) = limit_at(rest)?;
            limits.set(word, value);
            any = true;
            rest = rest[used..].trim_start_matches(|c: char| {
                c.is_whitespace() || matches!(c, ',' | '，' | ';' | '；' | '、')
            });
        }
        any.then_some(limits)
    }

    /// Finds a run of limit items inside a joined line: (text before, limits, text after).
    fn find_in(text: &str) -> Option<(&str, Limits, &str)> {
        let start = text
            .char_indices()
            .map(|(i, _)| i)
            .find(|i| limit_at(&text[*i..]).is_some())?;
        let mut limits = Limits::default();
        let mut rest = &text[start..];
        while let Some((word, value, used)) = limit_at(rest) {
            limits.set(word, value);
            rest = rest[used..].trim_start();
        }
        Some((text[..start].trim(), limits, rest.trim()))
    }

    /// Takes the limits `other` sets.
    fn merge(&mut self, other: Limits) {
        self.max_length = other.max_length.or(self.max_length);
        self.max_list_size = other.max_list_size.or(self.max_list_size);
        self.max_value = other.max_value.or(self.max_value);
        self.min_value = other.min_value.or(self.min_value);
    }
}

/// Whether two texts are the same but for runs of whitespace (the copied page collapses them).
pub(super) fn same_text(a: &str, b: &str) -> bool {
    a.split_whitespace().eq(b.split_whitespace())
}

/// Whether the text has Chinese characters or full-width forms (a description, not a value).
fn has_cjk(text: &str) -> bool {
    text.chars()
        .any(|c| ('\u{2e80}'..='\u{9fff}').contains(&c) || c > '\u{ff00}')
}

/// Tells the example from the description. `sample` is the value the samples give this
/// member (a Java setter's literal, an XML element's text): a text equal to it is the
/// example, and the sample's exact spacing is kept, which the copied page collapsed.
pub(super) fn resolve(rest: &Rest, sample: Option<&str>, is_object: bool) -> Fields {
    let mut fields = match rest {
        Rest::Cells(cells) => from_cells(cells, sample),
        Rest::Text(text) => from_text(text, sample, is_object),
    };
    if let (Some(example), Some(sample)) = (&fields.example, sample)
        && same_text(example, sample)
    {
        fields.example = Some(sample.to_owned());
    }
    fields
}

/// Separate cells or bullets: limits by content, then example and description by position.
fn from_cells(cells: &[String], sample: Option<&str>) -> Fields {
    let mut fields = Fields::default();
    let mut texts = Vec::new();
    for cell in cells {
        match Limits::read_cell(cell) {
            Some(limits) => fields.limits.merge(limits),
            None => texts.push(cell.trim()),
        }
    }
    match texts.as_slice() {
        [] => {}
        [one] if sample.is_some_and(|s| same_text(s, one)) => {
            fields.example = Some(one.to_string())
        }
        [one] => fields.description = one.to_string(),
        [example, description] => {
            fields.example = Some(example.to_string());
            fields.description = description.to_string();
        }
        [example, more @ ..] => {
            fields.example = Some(example.to_string());
            fields.description = more.join("\n");
            fields.doubt = Some(format!(
                "{} texts after the type; took `{example}` as the example and the rest as the description",
                texts.len()
            ));
        }
    }
    fields
}

/// A top-level line of the list layout: limits split it; else the sample's value, else the
/// first word is the example when a Chinese description follows.
fn from_text(text: &str, sample: Option<&str>, is_object: bool) -> Fields {
    let mut fields = Fields::default();
    let text = text.trim();
    if let Some((before, limits, after)) = Limits::find_in(text) {
        fields.limits = limits;
        if !before.is_empty() {
            fields.example = Some(before.to_owned());
        }
        fields.description = after.to_owned();
        return fields;
    }
    if let Some(sample) = sample.filter(|s| !s.trim().is_empty()) {
        // The example comes first; match it word by word since the page collapsed spaces.
        let words: Vec<&str> = sample.split_whitespace().collect();
        let mut rest = text;
        let mut matched = true;
        for word in &words {
            match rest.trim_start().strip_prefix(word) {
                Some(after) => rest = after,
                None => {
                    matched = false;
                    break;
                }
            }
        }
        if matched && (rest.is_empty() || rest.starts_with(char::is_whitespace)) {
            fields.example = Some(sample.to_owned());
            fields.description = rest.trim().to_owned();
            return fields;
        }
    }
    let first = text.split_whitespace().next().unwrap_or_default();
    let after_first = text[first.len()..].trim();
    if is_object || after_first.is_empty() {
        fields.description = text.to_owned();
    } else if !has_cjk(first) && has_cjk(after_first) {
        fields.example = Some(first.to_owned());
        fields.description = after_first.to_owned();
        fields.doubt = Some(format!(
            "the line joins example and description; took `{first}` as the example"
        ));
    } else {
        fields.description = text.to_owned();
        fields.doubt = Some(
            "the line joins example and description and no sample tells them apart; took it all as the description"
                .to_owned(),
        );
    }
    fields
}
