//! Input file formats: CSV with a header row, or JSON Lines.

use std::fmt;
use std::path::Path;
use std::str::FromStr;

/// How an input file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// CSV with a header row naming the vendor fields (`mobile,reason`).
    Csv,
    /// One JSON object per line, with the vendor field names as keys.
    Jsonl,
}

impl InputFormat {
    /// The format by file extension: `.jsonl`, `.ndjson` and `.json` are JSON Lines,
    /// anything else is CSV.
    pub fn from_path(path: &Path) -> Self {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("jsonl" | "ndjson" | "json") => InputFormat::Jsonl,
            _ => InputFormat::Csv,
        }
    }

    /// The name used on the command line and in the journal (`csv`, `jsonl`).
    pub fn as_str(self) -> &'static str {
        match self {
            InputFormat::Csv => "csv",
            InputFormat::Jsonl => "jsonl",
        }
    }
}

impl fmt::Display for InputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An input format name that is neither `csv` nor `jsonl`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown input format `{0}`: expected csv or jsonl")]
pub struct UnknownInputFormat(pub String);

impl FromStr for InputFormat {
    type Err = UnknownInputFormat;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "csv" => Ok(InputFormat::Csv),
            "jsonl" | "ndjson" | "json" => Ok(InputFormat::Jsonl),
            _ => Err(UnknownInputFormat(s.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn by_extension_and_name() {
        assert_eq!(InputFormat::from_path(Path::new("a.CSV")), InputFormat::Csv);
        assert_eq!(
            InputFormat::from_path(Path::new("a.jsonl")),
            InputFormat::Jsonl
        );
        assert_eq!(InputFormat::from_path(Path::new("noext")), InputFormat::Csv);
        assert_eq!("JSONL".parse::<InputFormat>(), Ok(InputFormat::Jsonl));
        assert!("xml".parse::<InputFormat>().is_err());
    }
}
