//! The list layout: the method line, a description, then sections.
//!
//! ```text
//! taobao.logistics.express.user.blacklist.tms.sync (上门取退用户黑名单同步)
//! 上门取退用户黑名单同步
//! 请求参数
//! 名称 类型 是否必须 示例值 更多限制 描述
//! user_blacklist_request UserBlacklistRequest 必须 上门取退用户黑名单
//!   • └ request_id
//!   • String
//!   • 必须
//!   • 1656674541001
//!   • 业务请求ID,用于做幂等
//! ```
//!
//! A top-level member is one line, its columns joined by spaces. A sub-member is a group of
//! bullets: its name (`└ name`, or a bare name for an object member), its type, 必须/可选 on
//! the request side, then whichever of example, limits and description the page has. The
//! number of bullets varies, so a group ends where the next member's name bullet starts.

use super::fields::{self, Level, RawMember, Rest};
use super::samples;
use super::{Heading, PageError, RawPage, method_line};

/// The section headings, as whole lines.
const SECTIONS: [&str; 7] = [
    "公共参数",
    "请求参数",
    "响应参数",
    "请求示例",
    "响应示例",
    "异常示例",
    "错误码解释",
];

/// The lines after the last section that are page furniture.
const FOOTER: [&str; 5] = ["API工具", "如何获得此API", "FAQ", "返回", "顶部"];

/// Reads a page in the list layout.
pub(super) fn read(lines: &[String]) -> Result<RawPage, PageError> {
    let starts: Vec<(usize, &str)> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            let l = l.trim();
            SECTIONS.iter().find(|s| **s == l).map(|s| (i, *s))
        })
        .collect();
    // The lines of a section: after its heading, up to the next heading.
    let section = |name: &str| -> Option<(usize, &[String])> {
        let at = starts.iter().position(|(_, s)| *s == name)?;
        let (start, _) = starts.get(at)?;
        let end = starts.get(at + 1).map_or(lines.len(), |(i, _)| *i);
        Some((start + 1, lines.get(start + 1..end).unwrap_or_default()))
    };
    let last = lines.len().max(1);
    let Some((request_at, request_lines)) = section("请求参数") else {
        return Err(PageError::MissingSection {
            line: section("响应参数").map_or(last, |(at, _)| at),
            section: "请求参数",
        });
    };
    let Some((response_at, response_lines)) = section("响应参数") else {
        return Err(PageError::MissingSection {
            line: section("请求示例").map_or(last, |(at, _)| at),
            section: "响应参数",
        });
    };
    let first_section = starts.first().map_or(0, |(i, _)| *i);
    let heading = heading(lines.get(..first_section).unwrap_or_default(), request_at)?;
    let request = members(request_at, request_lines, true)?;
    let response = members(response_at, response_lines, false)?;
    let code = |name: &str| section(name).and_then(|(_, l)| code_block(l));
    let request_sample = code("请求示例").map(|c| {
        // A copy that kept the table layout's numbered single line: one statement per line.
        match samples::strip_line_numbers(&c) {
            Some(one_line) => samples::statements(one_line),
            None => c,
        }
    });
    let markup = |c: String| {
        samples::strip_line_numbers(&c)
            .map(str::to_owned)
            .unwrap_or(c)
    };
    Ok(RawPage {
        heading,
        params_line: request_at,
        request,
        response,
        request_sample,
        response_sample: code("响应示例").map(markup),
        error_sample: code("异常示例").map(markup),
    })
}

/// The method line and the description lines under it.
fn heading(lines: &[String], request_at: usize) -> Result<Heading, PageError> {
    let Some((at, (name, chinese))) = lines
        .iter()
        .enumerate()
        .find_map(|(i, l)| method_line(l).map(|m| (i, m)))
    else {
        return Err(PageError::NoMethod { line: request_at });
    };
    let description: Vec<&str> = lines
        .get(at + 1..)
        .unwrap_or_default()
        .iter()
        .map(|l| l.trim())
        .filter(|l| !l.is_empty())
        .collect();
    Ok(Heading::Method {
        line: at + 1,
        name,
        chinese,
        description: description.join("\n"),
    })
}

/// A sample's lines: the language or format tabs (bullets) and the page furniture dropped.
fn code_block(lines: &[String]) -> Option<String> {
    let code: Vec<&str> = lines
        .iter()
        .map(String::as_str)
        .filter(|l| !l.trim_start().starts_with('•'))
        .filter(|l| !FOOTER.contains(&l.trim()))
        .collect();
    let text = code.join("\n");
    let text = text.trim_matches('\n');
    (!text.trim().is_empty()).then(|| text.to_owned())
}

/// One line of a member section.
#[derive(Debug, Clone, Copy)]
enum Item<'a> {
    /// `  • text`
    Bullet(usize, &'a str),
    /// Any other non-empty line.
    Line(usize, &'a str),
}

/// The members of a section. `first` is the 1-based line of its first line.
fn members(first: usize, lines: &[String], request: bool) -> Result<Vec<RawMember>, PageError> {
    let items: Vec<Item<'_>> = lines
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            let line = first + i + 1;
            let t = l.trim();
            if t.is_empty() || t.starts_with("名称") {
                None
            } else if let Some(bullet) = t.strip_prefix('•') {
                Some(Item::Bullet(line, bullet.trim()))
            } else {
                Some(Item::Line(line, t))
            }
        })
        .collect();
    let mut out: Vec<RawMember> = Vec::new();
    let mut i = 0;
    while let Some(item) = items.get(i) {
        match *item {
            Item::Line(line, text) => {
                match top_line(line, text, request)? {
                    Some(member) => out.push(member),
                    None => continue_last(&mut out, line, text)?,
                }
                i += 1;
            }
            Item::Bullet(line, text) => {
                if !starts_member(&items, i, request) {
                    return Err(PageError::Malformed {
                        line,
                        reason: format!("`{text}` is not a member name, and no member is open"),
                    });
                }
                let mut end = i + 1;
                while matches!(items.get(end), Some(Item::Bullet(..)))
                    && !starts_member(&items, end, request)
                {
                    end += 1;
                }
                out.push(group(items.get(i..end).unwrap_or_default(), request)?);
                i = end;
            }
        }
    }
    Ok(out)
}

/// Item `i` when it is a bullet: its line and text.
fn bullet<'a>(items: &[Item<'a>], i: usize) -> Option<(usize, &'a str)> {
    match items.get(i) {
        Some(Item::Bullet(line, text)) => Some((*line, text)),
        _ => None,
    }
}

/// Whether bullet `i` starts a member: `└ name`, or a bare wire name followed by a type (and
/// 必须/可选 on the request side) — an object member's name has no `└` on the seed pages.
fn starts_member(items: &[Item<'_>], i: usize, request: bool) -> bool {
    let Some((_, text)) = bullet(items, i) else {
        return false;
    };
    if text.starts_with('└') {
        return true;
    }
    fields::is_wire_name(text)
        && bullet(items, i + 1).is_some_and(|(_, t)| fields::looks_like_type(t))
        && (!request
            || bullet(items, i + 2).is_some_and(|(_, t)| fields::requiredness(t).is_some()))
}

/// A bullet group: name, type, 必须/可选 (request), then the rest.
fn group(items: &[Item<'_>], request: bool) -> Result<RawMember, PageError> {
    let texts: Vec<(usize, &str)> = (0..items.len()).filter_map(|i| bullet(items, i)).collect();
    let Some(&(line, _)) = texts.first() else {
        return Err(PageError::Malformed {
            line: 1,
            reason: "an empty bullet group".into(),
        });
    };
    fields::member(line, &texts, Level::Sub, request)
}

/// Splits a line into words with their byte offsets.
fn words(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                out.push((s, &text[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, &text[s..]));
    }
    out
}

/// A top-level member line `name Type 必须 example limits description`; `None` when the line
/// is no member line (it continues the member before it).
fn top_line(line: usize, text: &str, request: bool) -> Result<Option<RawMember>, PageError> {
    let words = words(text);
    let word = |i: usize| words.get(i).map(|(_, w)| *w);
    let Some(name) = word(0).filter(|w| fields::is_wire_name(w)) else {
        return Ok(None);
    };
    let second = word(1).unwrap_or_default();
    // A type of two words: `Blacklist []`, `Field List`.
    let two = match (word(1), word(2)) {
        (Some(a), Some("[]")) => Some(format!("{a} []")),
        (Some("Field"), Some("List")) => Some("Field List".to_owned()),
        _ => None,
    };
    let is_member = fields::requiredness(second).is_some()
        || fields::looks_like_type(second)
        || two.is_some()
        || (request && (2..=3).any(|i| word(i).and_then(fields::requiredness).is_some()));
    if !is_member {
        return Ok(None);
    }
    if second.is_empty() || fields::requiredness(second).is_some() {
        return Err(PageError::NoType {
            line,
            member: name.to_owned(),
        });
    }
    let (type_text, mut next) = match &two {
        Some(t) => (t.as_str(), 3),
        None => (second, 2),
    };
    let (type_name, type_ref) =
        fields::read_type(type_text).map_err(|reason| PageError::BadType {
            line,
            member: name.to_owned(),
            text: type_text.to_owned(),
            reason,
        })?;
    let required = if request {
        let Some(required) = word(next).and_then(fields::requiredness) else {
            return Err(PageError::Malformed {
                line,
                reason: format!("member `{name}`: no 必须 or 可选 after its type"),
            });
        };
        next += 1;
        Some(required)
    } else {
        None
    };
    let rest = words
        .get(next)
        .map_or("", |(at, _)| text.get(*at..).unwrap_or_default())
        .trim();
    Ok(Some(RawMember {
        line,
        name: name.to_owned(),
        level: Level::Top,
        type_name,
        type_ref,
        required,
        rest: Rest::Text(rest.to_owned()),
    }))
}

/// A line that is no member: the rest of the last member's last text (a description that
/// the copy broke over lines).
fn continue_last(out: &mut [RawMember], line: usize, text: &str) -> Result<(), PageError> {
    let Some(last) = out.last_mut() else {
        return Err(PageError::Malformed {
            line,
            reason: format!("`{text}` is not a member line (`name Type …`)"),
        });
    };
    match &mut last.rest {
        Rest::Cells(cells) => match cells.last_mut() {
            Some(cell) => {
                cell.push('\n');
                cell.push_str(text);
            }
            None => cells.push(text.to_owned()),
        },
        Rest::Text(rest) => {
            rest.push('\n');
            rest.push_str(text);
        }
    }
    Ok(())
}
