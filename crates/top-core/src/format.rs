//! The response format asked of the gateway.

use std::fmt;
use std::str::FromStr;

/// Response format. All are decoded into the same response types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Format {
    /// `format=json&simplify=true`: fields at the root, plain arrays (the default).
    #[default]
    Json,
    /// `format=json` without `simplify`: the `<method>_response` envelope and list wrappers.
    JsonEnveloped,
    /// `format=xml` (needs the `xml` feature to decode).
    Xml,
}

impl Format {
    /// The `format` parameter value.
    pub fn wire_name(self) -> &'static str {
        match self {
            Format::Json | Format::JsonEnveloped => "json",
            Format::Xml => "xml",
        }
    }

    /// Whether `simplify=true` is sent.
    pub fn simplify(self) -> bool {
        self == Format::Json
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Json => "json",
            Format::JsonEnveloped => "json-enveloped",
            Format::Xml => "xml",
        })
    }
}

/// An unknown format name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown format `{0}` (expected json, json-enveloped or xml)")]
pub struct UnknownFormat(pub String);

impl FromStr for Format {
    type Err = UnknownFormat;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "json" => Ok(Format::Json),
            "json-enveloped" => Ok(Format::JsonEnveloped),
            "xml" => Ok(Format::Xml),
            _ => Err(UnknownFormat(s.to_owned())),
        }
    }
}
