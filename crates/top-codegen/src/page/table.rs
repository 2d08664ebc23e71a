//! The table layout: a title line, then markdown-like rows.
//!
//! ```text
//! 名称 | 类型 | 是否必须 | 示例值 | 更多限制 | 描述 |
//! ---|---|---|---|---|---|
//! biz_code | String | 可选 | ** | 业务来源方 | |
//! 名称 | 类型 | 示例值 | 描述 | ||||
//! error_infos | ErrorInfo [] | {…} | 错误 | ||||
//! 1 2 3 … 9 | TaobaoClient client = …; req.setBizCode( "**" ); … |
//! ```
//!
//! Copying drops empty cells, so a row's columns shift (`biz_code`'s description sits under
//! 更多限制); after name, type and requiredness the cells are told apart by content
//! (`fields::resolve`). Rows of only `|` are spacing. Sub-members are rows too, marked `└` or
//! not marked at all.

use super::fields::{self, Level, RawMember};
use super::samples::{self, Kind};
use super::{Heading, PageError, RawPage, method_line};

/// Which table a row belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Table {
    /// Before the first table: the title.
    Title,
    /// 名称 | 类型 | 是否必须 | …: the request parameters.
    Request,
    /// 名称 | 类型 | 示例值 | 描述: the members of the answer.
    Response,
    /// 错误码 | 错误描述 | 解决方案: not part of the description.
    ErrorCodes,
}

/// Reads a page in the table layout.
pub(super) fn read(lines: &[String]) -> Result<RawPage, PageError> {
    let mut table = Table::Title;
    let mut title: Vec<(usize, String)> = Vec::new();
    let mut request = Vec::new();
    let mut response = Vec::new();
    let mut request_line = None;
    let mut response_line = None;
    let (mut request_sample, mut response_sample, mut error_sample) = (None, None, None);
    for (i, text) in lines.iter().enumerate() {
        let line = i + 1;
        let trimmed = text.trim();
        if trimmed.is_empty() || is_spacing(trimmed) {
            continue;
        }
        if let Some(code) = samples::strip_line_numbers(trimmed) {
            let slot = match samples::kind(code) {
                Kind::Request => &mut request_sample,
                Kind::Response => &mut response_sample,
                Kind::Error => &mut error_sample,
            };
            if slot.is_none() {
                *slot = Some(match samples::kind(code) {
                    Kind::Request => samples::statements(code),
                    _ => code.to_owned(),
                });
            }
            continue;
        }
        if trimmed.starts_with("名称 |") || trimmed.starts_with("名称|") {
            if trimmed.contains("是否必须") {
                table = Table::Request;
                request_line.get_or_insert(line);
            } else {
                table = Table::Response;
                response_line.get_or_insert(line);
            }
            continue;
        }
        if trimmed.starts_with("错误码") && trimmed.contains('|') {
            table = Table::ErrorCodes;
            continue;
        }
        match table {
            Table::Title => title.push((line, trimmed.to_owned())),
            Table::Request => request.push(row(line, trimmed, true)?),
            Table::Response => response.push(row(line, trimmed, false)?),
            Table::ErrorCodes => {}
        }
    }
    let last = lines.len().max(1);
    let Some(params_line) = request_line else {
        return Err(PageError::MissingSection {
            line: response_line.unwrap_or(last),
            section: "请求参数 (名称 | 类型 | 是否必须 | …)",
        });
    };
    if response_line.is_none() {
        return Err(PageError::MissingSection {
            line: last,
            section: "响应参数 (名称 | 类型 | 示例值 | 描述)",
        });
    }
    Ok(RawPage {
        heading: heading(&title, params_line),
        params_line,
        request,
        response,
        request_sample,
        response_sample,
        error_sample,
    })
}

/// The title: a method line if the copy has one, else the title text.
fn heading(title: &[(usize, String)], params_line: usize) -> Heading {
    let title: Vec<&(usize, String)> = title
        .iter()
        .filter(|(_, text)| !text.contains(" > "))
        .collect();
    if let Some(at) = title.iter().position(|(_, t)| method_line(t).is_some())
        && let Some((line, text)) = title.get(at)
        && let Some((name, chinese)) = method_line(text)
    {
        let description: Vec<&str> = title[at + 1..].iter().map(|(_, t)| t.as_str()).collect();
        return Heading::Method {
            line: *line,
            name,
            chinese,
            description: description.join("\n"),
        };
    }
    Heading::Title {
        line: title.first().map_or(params_line, |(line, _)| *line),
        lines: title.iter().map(|(_, t)| t.clone()).collect(),
    }
}

/// Rows of only `|`, `-`, `:` and spaces: separators and the copy's padding.
fn is_spacing(text: &str) -> bool {
    text.chars()
        .all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
}

/// The non-empty cells of a row. A `|` between two non-space characters (`true|false` in a
/// description) is text, not a separator, when the row's separators are spaced as the copy
/// writes them.
fn cells(text: &str) -> Vec<String> {
    let spaced = text.contains(" |") || text.contains("| ");
    let chars: Vec<char> = text.chars().collect();
    let mut cells = Vec::new();
    let mut current = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c != '|' {
            current.push(c);
            continue;
        }
        let solid = |other: Option<&char>| other.is_some_and(|o| !o.is_whitespace() && *o != '|');
        let inside =
            spaced && solid(i.checked_sub(1).and_then(|j| chars.get(j))) && solid(chars.get(i + 1));
        if inside {
            current.push(c);
        } else {
            cells.push(std::mem::take(&mut current));
        }
    }
    cells.push(current);
    cells
        .into_iter()
        .map(|c| c.trim().to_owned())
        .filter(|c| !c.is_empty())
        .collect()
}

/// One member row.
fn row(line: usize, text: &str, request: bool) -> Result<RawMember, PageError> {
    let cells = cells(text);
    let level = if cells.first().is_some_and(|c| c.starts_with('└')) {
        Level::Sub
    } else {
        Level::Unmarked
    };
    let texts: Vec<(usize, &str)> = cells.iter().map(|c| (line, c.as_str())).collect();
    fields::member(line, &texts, level, request)
}
