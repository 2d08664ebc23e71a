//! A TOP API documentation page copied as text (select all, copy, paste into a file), read
//! into the vendor's description of the API ([`VendorApi`]) and the page's samples.
//!
//! Two layouts are known (the seed pages under `tests/data/pages/`):
//! - the *table* layout (`table.rs`): markdown-like rows `名称 | 类型 | 是否必须 | …`, empty
//!   cells dropped, code samples one per line behind their line numbers;
//! - the *list* layout (`list.rs`): a `method.name (中文名)` line, sections 请求参数 / 响应参数 /
//!   请求示例 / 响应示例 / 异常示例, top-level members one per line and sub-members as groups of
//!   bullets.
//!
//! Copying loses the nesting depth of sub-members. `build.rs` decides it from the samples
//! (`evidence.rs`: the Java example's setters, the XML answer's elements) and reports every
//! decision the page alone does not settle as a guess, as it does for anything else it had to
//! guess (a method name read from a sample, members that only the samples show).

mod build;
mod evidence;
mod fields;
mod keep;
mod list;
mod samples;
mod table;
#[cfg(test)]
mod tests;
mod xml;

pub(crate) use keep::keep_what_pages_lose;

use top_model::VendorApi;

use self::fields::RawMember;

/// A page, read.
#[derive(Debug, Clone)]
pub(crate) struct Page {
    /// The vendor part of the API's description (without the vendor's `id`: pages do not
    /// show it). Checked: every member has a wire name and a known type.
    pub(crate) vendor: VendorApi,
    /// The page's samples.
    pub(crate) samples: Samples,
    /// Every decision the page did not settle, one readable line each, naming the member
    /// path, what was decided and why.
    pub(crate) guesses: Vec<String>,
}

/// The page's code samples.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Samples {
    /// The request example (Java on the seed pages), one statement per line.
    pub(crate) request: Option<String>,
    /// The answer sample: real XML with four-space indentation (or the JSON as copied).
    pub(crate) response: Option<String>,
    /// The error sample (`<error_response>…`), as the answer sample.
    pub(crate) error: Option<String>,
}

/// Why a text could not be read as a page; always names the 1-based line.
#[derive(Debug, thiserror::Error)]
pub(crate) enum PageError {
    /// The text is not a vendor page in a known layout.
    #[error("line {line}: not a TOP API page: {reason}")]
    NotAPage {
        /// Where reading stopped (1 when the whole text is no page).
        line: usize,
        /// What is missing.
        reason: String,
    },
    /// No `method.name (中文名)` line, and no sample that names the method.
    #[error(
        "line {line}: no `method.name (中文名)` line before the parameters (and no sample naming the method)"
    )]
    NoMethod {
        /// The line where the parameters start.
        line: usize,
    },
    /// A section every page has is missing.
    #[error("line {line}: the {section} section is missing")]
    MissingSection {
        /// Where it was expected (the next section, or the last line).
        line: usize,
        /// The section (`请求参数`, `响应参数`).
        section: &'static str,
    },
    /// A member without a type.
    #[error("line {line}: member `{member}` has no type")]
    NoType {
        /// The member's line.
        line: usize,
        /// The member's wire name.
        member: String,
    },
    /// A member whose type is no TOP type (`名称`, a garbled copy).
    #[error("line {line}: member `{member}`: `{text}` is not a TOP type ({reason})")]
    BadType {
        /// The line of the type.
        line: usize,
        /// The member's wire name.
        member: String,
        /// The text in the type's place.
        text: String,
        /// Why it is no type.
        reason: String,
    },
    /// A member row or bullet group that cannot be read.
    #[error("line {line}: {reason}")]
    Malformed {
        /// The line.
        line: usize,
        /// What is wrong.
        reason: String,
    },
    /// What was read is not a valid description (the model's own checks).
    #[error("line {line}: the description read from the page is not valid: {source}")]
    Invalid {
        /// The method line, or 1.
        line: usize,
        /// The model's complaint, naming the member path.
        #[source]
        source: top_model::ModelError,
    },
}

/// Where an error is (the message says it; tests read it).
#[cfg(test)]
impl PageError {
    /// The 1-based line the error is about.
    pub(crate) fn line(&self) -> usize {
        match self {
            PageError::NotAPage { line, .. }
            | PageError::NoMethod { line }
            | PageError::MissingSection { line, .. }
            | PageError::NoType { line, .. }
            | PageError::BadType { line, .. }
            | PageError::Malformed { line, .. }
            | PageError::Invalid { line, .. } => *line,
        }
    }
}

/// The heading of a page: the method line, or (table layout) a title only.
#[derive(Debug, Clone)]
enum Heading {
    /// `method.name (中文名)` and the description lines after it.
    Method {
        /// The method line.
        line: usize,
        /// The method name.
        name: String,
        /// The Chinese name.
        chinese: String,
        /// The description.
        description: String,
    },
    /// The text before the first table, without a method line.
    Title {
        /// The first title line, or the line of the first table when there is no title.
        line: usize,
        /// The title lines.
        lines: Vec<String>,
    },
}

/// What a layout reader found, before nesting is decided.
#[derive(Debug, Clone)]
struct RawPage {
    /// The method line or the title.
    heading: Heading,
    /// The line where the request parameters start.
    params_line: usize,
    /// The request parameters, in page order, depth undecided.
    request: Vec<RawMember>,
    /// The members of the answer, in page order, depth undecided.
    response: Vec<RawMember>,
    /// The request example, one statement per line.
    request_sample: Option<String>,
    /// The answer sample, as copied (line numbers stripped).
    response_sample: Option<String>,
    /// The error sample, as copied.
    error_sample: Option<String>,
}

/// The page layouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// Markdown-like rows (`table.rs`).
    Table,
    /// Sections, lines and bullets (`list.rs`).
    List,
}

/// The lines of a text as the readers see them: no BOM, no `\r`, no-break spaces as spaces.
fn lines(text: &str) -> Vec<String> {
    text.trim_start_matches('\u{feff}')
        .lines()
        .map(|l| l.replace('\u{a0}', " ").trim_end().to_owned())
        .collect()
}

/// Which layout the lines are in: a `名称 | 类型` table header means the table layout; a
/// 请求参数 / 响应参数 section or a `名称 类型` header the list layout.
fn layout(lines: &[String]) -> Option<Layout> {
    let trimmed = || lines.iter().map(|l| l.trim());
    if trimmed().any(|l| l.starts_with("名称 |") && l.contains("类型")) {
        return Some(Layout::Table);
    }
    if trimmed().any(|l| l == "请求参数" || l == "响应参数")
        || trimmed().any(|l| l.starts_with("名称 类型"))
    {
        return Some(Layout::List);
    }
    None
}

/// Whether `text` looks like a vendor page in a known layout (cheap: a parameter table header
/// or a 请求参数 / 响应参数 section), so that an importer can tell a page from other text.
/// JSON is never a page.
pub(crate) fn looks_like_page(text: &str) -> bool {
    let start = text.trim_start_matches('\u{feff}').trim_start();
    !start.starts_with('{') && !start.starts_with('[') && layout(&lines(text)).is_some()
}

/// Reads a page copied as text.
pub(crate) fn read(text: &str) -> Result<Page, PageError> {
    let lines = lines(text);
    let raw = match layout(&lines) {
        Some(Layout::Table) => table::read(&lines)?,
        Some(Layout::List) => list::read(&lines)?,
        None => {
            return Err(PageError::NotAPage {
                line: 1,
                reason:
                    "no parameter table (`名称 | 类型 | …`) and no 请求参数 or 响应参数 section"
                        .into(),
            });
        }
    };
    build::build(raw)
}

/// Reads a `method.name (中文名)` line.
fn method_line(line: &str) -> Option<(String, String)> {
    let line = line.trim();
    let line = line.strip_suffix(')').or_else(|| line.strip_suffix('）'))?;
    let (name, chinese) = line
        .split_once(" (")
        .or_else(|| line.split_once('('))
        .or_else(|| line.split_once('（'))?;
    let name = name.trim();
    let words_ok = name.split('.').all(|w| {
        !w.is_empty()
            && w.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    });
    (name.split('.').count() >= 3 && words_ok).then(|| (name.to_owned(), chinese.trim().to_owned()))
}
