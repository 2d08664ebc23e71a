//! The page's code samples: the request example (Java, usually), the response sample and the
//! error sample. The table layout copies each as one line behind its line numbers
//! (`1 2 3 | TaobaoClient client = ...; req.setX(..); |`); the list layout as lines. Both are
//! given back readable: code one statement per line, XML re-indented as real XML.

use super::xml::{self, Element};

/// What a code row of the table layout holds, by its first characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// Program code: the request example.
    Request,
    /// An answer.
    Response,
    /// An `error_response`.
    Error,
}

/// Splits a copied code row `1 2 3 … N | code |` into its code; `None` when the line does
/// not start with the numbers 1, 2, 3… and a `|`.
pub(super) fn strip_line_numbers(line: &str) -> Option<&str> {
    let line = line.trim();
    let bar = line.find('|')?;
    let numbers = line[..bar].split_whitespace();
    let mut count = 0usize;
    for (i, number) in numbers.enumerate() {
        if number.parse::<usize>().ok() != Some(i + 1) {
            return None;
        }
        count = i + 1;
    }
    if count == 0 {
        return None;
    }
    let code = line[bar + 1..].trim();
    Some(code.strip_suffix('|').unwrap_or(code).trim_end())
}

/// What a sample is, by its text.
pub(super) fn kind(code: &str) -> Kind {
    let code = code.trim_start();
    let markup = code.starts_with('<') || code.starts_with('{');
    if markup && code.contains("error_response") {
        Kind::Error
    } else if markup {
        Kind::Response
    } else {
        Kind::Request
    }
}

/// Code copied onto one line, back to one statement per line.
pub(super) fn statements(code: &str) -> String {
    split_statements(code).join("\n")
}

/// The statements of code: split after each `;` outside string and character literals.
pub(super) fn split_statements(code: &str) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in code.chars() {
        current.push(c);
        match quote {
            Some(_) if escaped => escaped = false,
            Some(_) if c == '\\' => escaped = true,
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == ';' => {
                lines.push(current.trim().to_owned());
                current.clear();
            }
            None => {}
        }
    }
    if !current.trim().is_empty() {
        lines.push(current.trim().to_owned());
    }
    lines
}

/// A response or error sample, read.
#[derive(Debug, Clone)]
pub(super) struct Markup {
    /// The text to show: real XML, indented; or the JSON as copied.
    pub(super) text: String,
    /// Its tree, when it could be read.
    pub(super) tree: Option<Element>,
    /// Why it could not be read, when it could not.
    pub(super) problem: Option<String>,
    /// Whether it is JSON (else XML).
    pub(super) json: bool,
}

/// Reads an XML or JSON sample.
pub(super) fn markup(text: &str) -> Markup {
    let text = text.trim();
    if text.starts_with('{') {
        return match serde_json::from_str::<serde_json::Value>(text) {
            Ok(value) => {
                let tree = xml::from_json(&value);
                Markup {
                    text: text.to_owned(),
                    problem: tree
                        .is_none()
                        .then(|| "its JSON is not one `{\"key\": {...}}` answer".to_owned()),
                    tree,
                    json: true,
                }
            }
            Err(e) => Markup {
                text: text.to_owned(),
                tree: None,
                problem: Some(format!("it is not JSON: {e}")),
                json: true,
            },
        };
    }
    match xml::parse(text) {
        Ok(tree) => Markup {
            text: xml::render(&tree).trim_end().to_owned(),
            tree: Some(tree),
            problem: None,
            json: false,
        },
        Err(problem) => Markup {
            text: text.to_owned(),
            tree: None,
            problem: Some(format!("it is not well-formed XML: {problem}")),
            json: false,
        },
    }
}
