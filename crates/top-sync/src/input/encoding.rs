//! The text encodings a CSV or JSON Lines input may be in: UTF-8 (with or without a BOM),
//! UTF-16 (little or big endian) and GB18030, which also reads GBK and GB2312 files (it is
//! their superset, byte for byte).

use std::fmt;
use std::str::FromStr;

/// The encoding of a text input.
///
/// ```
/// use top_sync::TextEncoding;
/// assert_eq!("GBK".parse::<TextEncoding>(), Ok(TextEncoding::Gb18030));
/// assert_eq!("utf8".parse::<TextEncoding>(), Ok(TextEncoding::Utf8));
/// assert_eq!(TextEncoding::Utf16Le.as_str(), "utf-16le");
/// assert!("latin1".parse::<TextEncoding>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TextEncoding {
    /// UTF-8, with or without a byte order mark.
    Utf8,
    /// UTF-16, little endian (what Windows calls "Unicode").
    Utf16Le,
    /// UTF-16, big endian.
    Utf16Be,
    /// GB18030, and so GBK and GB2312 (what Excel writes on Chinese Windows).
    Gb18030,
}

impl TextEncoding {
    /// Every encoding, in the order detection tries them.
    pub const ALL: [TextEncoding; 4] = [
        TextEncoding::Utf8,
        TextEncoding::Utf16Le,
        TextEncoding::Utf16Be,
        TextEncoding::Gb18030,
    ];

    /// The name used on the command line, in the journal and in summaries.
    pub fn as_str(self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "utf-8",
            TextEncoding::Utf16Le => "utf-16le",
            TextEncoding::Utf16Be => "utf-16be",
            TextEncoding::Gb18030 => "gb18030",
        }
    }

    /// The decoder's encoding.
    pub(crate) fn encoding(self) -> &'static encoding_rs::Encoding {
        match self {
            TextEncoding::Utf8 => encoding_rs::UTF_8,
            TextEncoding::Utf16Le => encoding_rs::UTF_16LE,
            TextEncoding::Utf16Be => encoding_rs::UTF_16BE,
            TextEncoding::Gb18030 => encoding_rs::GB18030,
        }
    }

    /// The encoding a byte order mark at the start of `bytes` names, and its length.
    pub(crate) fn from_bom(bytes: &[u8]) -> Option<(TextEncoding, usize)> {
        match bytes {
            [0xef, 0xbb, 0xbf, ..] => Some((TextEncoding::Utf8, 3)),
            [0xff, 0xfe, ..] => Some((TextEncoding::Utf16Le, 2)),
            [0xfe, 0xff, ..] => Some((TextEncoding::Utf16Be, 2)),
            _ => None,
        }
    }
}

impl fmt::Display for TextEncoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An encoding name that is not one of the supported encodings.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown encoding `{0}`: expected auto, utf-8, utf-16le, utf-16be, gb18030 or gbk (read as gb18030)"
)]
pub struct UnknownEncoding(pub String);

impl FromStr for TextEncoding {
    type Err = UnknownEncoding;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let name: String = s
            .trim()
            .to_ascii_lowercase()
            .chars()
            .filter(|c| !matches!(c, '-' | '_'))
            .collect();
        match name.as_str() {
            "utf8" => Ok(TextEncoding::Utf8),
            "utf16" | "utf16le" | "unicode" => Ok(TextEncoding::Utf16Le),
            "utf16be" => Ok(TextEncoding::Utf16Be),
            "gb18030" | "gbk" | "gb2312" | "cp936" | "windows936" => Ok(TextEncoding::Gb18030),
            _ => Err(UnknownEncoding(s.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for encoding in TextEncoding::ALL {
            assert_eq!(encoding.as_str().parse::<TextEncoding>(), Ok(encoding));
        }
        assert_eq!("UTF_16".parse(), Ok(TextEncoding::Utf16Le));
        assert_eq!("cp936".parse(), Ok(TextEncoding::Gb18030));
        assert!("auto".parse::<TextEncoding>().is_err());
        assert_eq!(
            TextEncoding::from_bom(b"\xff\xfea\x00"),
            Some((TextEncoding::Utf16Le, 2))
        );
        assert_eq!(TextEncoding::from_bom(b"ab"), None);
    }
}
