//! Input file formats: CSV with a header row, JSON Lines, or a workbook (`.xlsx`, `.xls`,
//! `.ods`) whose sheet has a header row.

use std::fmt;
use std::path::Path;
use std::str::FromStr;

/// How an input file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum InputFormat {
    /// CSV with a header row naming the vendor fields (`mobile,reason`).
    Csv,
    /// One JSON object per line, with the vendor field names as keys.
    Jsonl,
    /// An Excel workbook (`.xlsx`, `.xlsm`), streamed.
    Xlsx,
    /// An Excel 97-2003 workbook (`.xls`), read whole (at most 65 536 rows a sheet).
    Xls,
    /// An OpenDocument spreadsheet (`.ods`), read whole.
    Ods,
}

impl InputFormat {
    /// The format by file extension: `.jsonl`, `.ndjson` and `.json` are JSON Lines,
    /// `.xlsx` and `.xlsm` Excel workbooks, `.xls` and `.ods` the older and the
    /// OpenDocument workbooks; anything else is CSV.
    pub fn from_path(path: &Path) -> Self {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("jsonl" | "ndjson" | "json") => InputFormat::Jsonl,
            Some("xlsx" | "xlsm") => InputFormat::Xlsx,
            Some("xls") => InputFormat::Xls,
            Some("ods") => InputFormat::Ods,
            _ => InputFormat::Csv,
        }
    }

    /// The name used on the command line and in the journal (`csv`, `jsonl`, `xlsx`,
    /// `xls`, `ods`).
    pub fn as_str(self) -> &'static str {
        match self {
            InputFormat::Csv => "csv",
            InputFormat::Jsonl => "jsonl",
            InputFormat::Xlsx => "xlsx",
            InputFormat::Xls => "xls",
            InputFormat::Ods => "ods",
        }
    }

    /// Whether it is a workbook (read by sheet and row rather than by line; no encoding).
    pub fn is_workbook(self) -> bool {
        matches!(
            self,
            InputFormat::Xlsx | InputFormat::Xls | InputFormat::Ods
        )
    }
}

impl fmt::Display for InputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An input format name that is not one of the formats.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown input format `{0}`: expected csv, jsonl, xlsx, xls or ods")]
pub struct UnknownInputFormat(pub String);

impl FromStr for InputFormat {
    type Err = UnknownInputFormat;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "csv" => Ok(InputFormat::Csv),
            "jsonl" | "ndjson" | "json" => Ok(InputFormat::Jsonl),
            "xlsx" | "xlsm" => Ok(InputFormat::Xlsx),
            "xls" => Ok(InputFormat::Xls),
            "ods" => Ok(InputFormat::Ods),
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
        assert_eq!(
            InputFormat::from_path(Path::new("a.XLSX")),
            InputFormat::Xlsx
        );
        assert_eq!(InputFormat::from_path(Path::new("a.ods")), InputFormat::Ods);
        assert_eq!(InputFormat::from_path(Path::new("noext")), InputFormat::Csv);
        assert_eq!("JSONL".parse::<InputFormat>(), Ok(InputFormat::Jsonl));
        assert_eq!("xlsx".parse::<InputFormat>(), Ok(InputFormat::Xlsx));
        assert!("xml".parse::<InputFormat>().is_err());
    }
}
