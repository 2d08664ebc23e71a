//! How an input is read: what a job asks for ([`ReadOptions`]: an encoding, a sheet,
//! mobile normalisation, strict columns) and what was used ([`InputSettings`]: the encoding
//! detected, the sheet read, the columns ignored), which the journal keeps so a resumed run
//! reads the file exactly as the first one did.

use crate::input::encoding::TextEncoding;

/// What a job asks of its input's reading. The default detects the encoding, reads the
/// first visible sheet, normalises mobiles and ignores unknown columns (with a warning).
///
/// ```
/// use top_sync::{ReadOptions, TextEncoding};
/// let options = ReadOptions::default().encoding(TextEncoding::Gb18030).strict(true);
/// assert!(options.normalize && options.strict);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReadOptions {
    /// The text encoding; `None` detects it (CSV) or takes UTF-8 (JSON Lines), a byte
    /// order mark deciding in both.
    pub encoding: Option<TextEncoding>,
    /// The workbook sheet; `None` reads the first visible worksheet.
    pub sheet: Option<String>,
    /// Whether mobiles written with a country code, separators or full-width digits are
    /// sent as their 11 digits (members the description marks as mainland mobiles only).
    pub normalize: bool,
    /// Whether any column that is not a member refuses the file (else it is ignored, with
    /// a warning, unless it looks like a misspelt member).
    pub strict: bool,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            encoding: None,
            sheet: None,
            normalize: true,
            strict: false,
        }
    }
}

impl ReadOptions {
    /// Reads text in `encoding` instead of detecting it.
    pub fn encoding(mut self, encoding: TextEncoding) -> Self {
        self.encoding = Some(encoding);
        self
    }

    /// Reads the workbook sheet `name`.
    pub fn sheet(mut self, name: impl Into<String>) -> Self {
        self.sheet = Some(name.into());
        self
    }

    /// Normalises mobiles (`true`, the default) or sends them as written.
    pub fn normalize(mut self, normalize: bool) -> Self {
        self.normalize = normalize;
        self
    }

    /// Refuses any unknown column (`true`) or ignores it with a warning.
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }
}

/// How an input was read, as the journal keeps it: a resumed run reads the rest of the file
/// the same way.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct InputSettings {
    /// The text encoding used (CSV and JSON Lines).
    pub encoding: Option<TextEncoding>,
    /// Whether the encoding was detected rather than named.
    pub detected: bool,
    /// The sheet read (workbooks).
    pub sheet: Option<String>,
    /// Whether mobiles were normalised.
    pub normalize: bool,
    /// Whether unknown columns refuse the file.
    pub strict: bool,
    /// The header's columns that are read but not sent (unknown ones), in header order.
    pub ignored: Vec<String>,
}

impl InputSettings {
    /// How a journal written before these settings existed read its file: bytes taken as
    /// UTF-8, mobiles as written.
    pub fn legacy() -> Self {
        InputSettings {
            encoding: Some(TextEncoding::Utf8),
            ..InputSettings::default()
        }
    }

    /// The options that read the file this way again.
    pub fn options(&self) -> ReadOptions {
        ReadOptions {
            encoding: self.encoding,
            sheet: self.sheet.clone(),
            normalize: self.normalize,
            strict: self.strict,
        }
    }

    /// A short text for summaries: `gb18030 (detected)`, `sheet 名单`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(encoding) = self.encoding {
            parts.push(if self.detected {
                format!("{encoding} (detected)")
            } else {
                encoding.to_string()
            });
        }
        if let Some(sheet) = &self.sheet {
            parts.push(format!("sheet {sheet}"));
        }
        if !self.normalize {
            parts.push("mobiles as written".into());
        }
        if self.strict {
            parts.push("strict columns".into());
        }
        parts.join(", ")
    }

    /// Where a row is, as messages and reports say it: `line 7`, or `sheet 名单 row 7`.
    pub fn place(&self, line: u64) -> String {
        match &self.sheet {
            Some(sheet) => format!("sheet {sheet} row {line}"),
            None => format!("line {line}"),
        }
    }

    /// The journal's text of these settings (a JSON object).
    pub(crate) fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "encoding": self.encoding.map(TextEncoding::as_str),
            "detected": self.detected,
            "sheet": self.sheet,
            "normalize": self.normalize,
            "strict": self.strict,
            "ignored": self.ignored,
        })
    }

    /// Reads them back.
    pub(crate) fn from_json(value: &serde_json::Value) -> Result<Self, String> {
        let encoding = match value.get("encoding").and_then(|v| v.as_str()) {
            Some(name) => Some(name.parse().map_err(|e| format!("{e}"))?),
            None => None,
        };
        let flag = |name: &str| value.get(name).and_then(|v| v.as_bool()).unwrap_or(false);
        Ok(InputSettings {
            encoding,
            detected: flag("detected"),
            sheet: value
                .get("sheet")
                .and_then(|v| v.as_str())
                .map(str::to_owned),
            normalize: flag("normalize"),
            strict: flag("strict"),
            ignored: value
                .get("ignored")
                .and_then(|v| v.as_array())
                .map(|items| {
                    items
                        .iter()
                        .filter_map(|i| i.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default(),
        })
    }

    /// Why `options` would read the file differently from these settings (a resume must
    /// not change how the rest of the file is read), naming the option.
    pub(crate) fn conflict(&self, options: &ReadOptions) -> Option<String> {
        if let Some(asked) = options.encoding
            && self.encoding.is_some_and(|used| used != asked)
        {
            return Some(format!(
                "it reads the input as {}, not {asked} (--encoding)",
                self.encoding.map_or("", TextEncoding::as_str)
            ));
        }
        if let Some(asked) = &options.sheet
            && self.sheet.as_ref().is_some_and(|used| used != asked)
        {
            return Some(format!(
                "it reads sheet {}, not {asked} (--sheet)",
                self.sheet.as_deref().unwrap_or("")
            ));
        }
        if options.normalize != self.normalize {
            return Some(if self.normalize {
                "it normalises mobiles; run it without --no-normalize".into()
            } else {
                "it sends mobiles as written; run it with --no-normalize".into()
            });
        }
        if options.strict != self.strict {
            return Some(if self.strict {
                "it refuses unknown columns; run it with --strict".into()
            } else {
                "it ignores unknown columns; run it without --strict".into()
            });
        }
        None
    }
}

impl serde::Serialize for InputSettings {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_json().serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn settings_round_trip_and_conflicts() {
        let settings = InputSettings {
            encoding: Some(TextEncoding::Gb18030),
            detected: true,
            sheet: None,
            normalize: true,
            strict: false,
            ignored: vec!["备注".into()],
        };
        assert_eq!(
            InputSettings::from_json(&settings.to_json()).unwrap(),
            settings
        );
        assert_eq!(settings.describe(), "gb18030 (detected)");
        assert_eq!(settings.conflict(&ReadOptions::default()), None);
        assert!(
            settings
                .conflict(&ReadOptions::default().encoding(TextEncoding::Utf8))
                .unwrap()
                .contains("--encoding")
        );
        assert!(
            settings
                .conflict(&ReadOptions::default().normalize(false))
                .unwrap()
                .contains("--no-normalize")
        );
        assert!(
            settings
                .conflict(&ReadOptions::default().strict(true))
                .unwrap()
                .contains("--strict")
        );
    }
}
