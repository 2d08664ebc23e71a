//! Printing results and errors, as text for people or JSON for programs (`--output json`).
//! Mobile numbers in printed answers are masked.

use std::io::Write;

use serde::Serialize;
use serde_json::{Value, json};

use crate::error::CliError;

/// `--output`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub(crate) enum OutputMode {
    /// For people.
    #[default]
    Text,
    /// One JSON document on stdout.
    Json,
}

/// Where results go.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Output {
    pub mode: OutputMode,
}

impl Output {
    /// Whether JSON was asked for.
    pub(crate) fn json(&self) -> bool {
        self.mode == OutputMode::Json
    }

    /// Prints a JSON value: compact with `--output json`, pretty otherwise.
    pub(crate) fn value(&self, value: &Value) {
        let text = if self.json() {
            value.to_string()
        } else {
            serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
        };
        println_stdout(&text);
    }

    /// Prints an answer with mobile numbers masked and secrets (tokens, passwords,
    /// sessions) as `***`.
    pub(crate) fn answer<T: Serialize>(&self, answer: &T) {
        let value = serde_json::to_value(answer).unwrap_or(Value::Null);
        self.value(&top_core::redact_json(value));
    }

    /// Prints text lines (text mode) or a JSON value (JSON mode).
    pub(crate) fn either(&self, text: &str, value: &Value) {
        if self.json() {
            self.value(value);
        } else {
            println_stdout(text);
        }
    }

    /// Reports an error: JSON on stdout with `--output json`, text on stderr otherwise.
    pub(crate) fn error(&self, error: &CliError) {
        if self.json() {
            self.value(&json!({ "error": error_json(error) }));
        } else {
            eprintln!("error: {}", describe(error));
        }
    }
}

fn println_stdout(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}");
    let _ = out.flush();
}

/// The error with its causes, then the TOP fields one per line.
fn describe(error: &CliError) -> String {
    let mut text = chain(error);
    if let Some(fields) = call_fields(error) {
        for (name, value) in fields {
            if let Some(value) = value {
                text.push_str(&format!("\n  {name}: {}", top_sync::scrub_mobiles(&value)));
            }
        }
    }
    text
}

fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    top_sync::scrub_mobiles(&text)
}

type Fields = Vec<(&'static str, Option<String>)>;

/// code, sub_code, message and request_id of a failed call.
fn call_fields(error: &CliError) -> Option<Fields> {
    let CliError::Call(error) = error else {
        return None;
    };
    if let Some(e) = error.api_error() {
        return Some(vec![
            ("code", Some(e.code.to_string())),
            ("sub_code", e.sub_code.clone()),
            (
                "message",
                Some(e.sub_msg.clone().unwrap_or_else(|| e.msg.clone())),
            ),
            ("request_id", e.request_id.clone()),
        ]);
    }
    Some(match error {
        top_core::Error::Business(e) => vec![
            ("code", e.code.clone()),
            ("message", e.message.clone()),
            ("request_id", e.request_id.clone()),
        ],
        top_core::Error::Validation(e) => vec![
            ("field", Some(e.field.to_string())),
            ("rule", Some(e.rule.to_string())),
        ],
        top_core::Error::Http { status, .. } => vec![("status", Some(status.to_string()))],
        _ => return None,
    })
}

fn error_json(error: &CliError) -> Value {
    let mut value = json!({
        "kind": error.kind(),
        "message": chain(error),
    });
    if let (Some(fields), Some(map)) = (call_fields(error), value.as_object_mut()) {
        for (name, v) in fields {
            if let Some(v) = v {
                map.insert(name.to_owned(), Value::String(top_sync::scrub_mobiles(&v)));
            }
        }
    }
    value
}
