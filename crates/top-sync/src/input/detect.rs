//! Which encoding a text input is in, when none is named: a byte order mark decides; else
//! the whole file is read once, and it is UTF-8 when every byte decodes as UTF-8, or
//! GB18030 when every byte decodes as GB18030 — unless chardetng (Firefox's detector)
//! finds, in enough text to judge, that it reads as Big5, Shift_JIS, EUC-JP or EUC-KR
//! instead (such files also decode as GB18030 byte for byte, into nonsense). Anything else
//! is refused, naming what was tried and the first line that none of them decodes.

use std::fs::File;
use std::io::Read;
use std::path::Path;

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Decoder, DecoderResult};

use crate::error::SyncError;
use crate::input::encoding::TextEncoding;

/// Bytes read at a time.
const CHUNK: usize = 64 * 1024;

/// Bytes the statistical detector sees at most (enough for any real file; bounded time).
const DETECTOR_BYTES: usize = 1 << 20;

/// Non-ASCII bytes the detector needs before its guess of another East Asian encoding
/// refuses a file (with less, a few GBK names can read like anything).
const ENOUGH_TO_JUDGE: usize = 32;

/// The encoding of the text file at `path`.
///
/// # Errors
/// [`SyncError::InputEncoding`] naming what was tried, and [`SyncError::Input`] when the file
/// cannot be read.
pub(crate) fn detect(path: &Path) -> Result<TextEncoding, SyncError> {
    let input_error = |source| SyncError::Input {
        path: path.to_owned(),
        source,
    };
    let refuse = |reason: String| SyncError::InputEncoding {
        path: path.to_owned(),
        reason,
    };
    let mut file = File::open(path).map_err(input_error)?;
    let mut chunk = vec![0_u8; CHUNK];
    let first = read_full(&mut file, &mut chunk).map_err(input_error)?;
    let head = &chunk[..first];
    if let Some((encoding, _)) = TextEncoding::from_bom(head) {
        return Ok(encoding);
    }
    if let Some(what) = binary_kind(head) {
        return Err(refuse(what));
    }
    let mut utf8 = Scan::new(TextEncoding::Utf8);
    let mut gb = Scan::new(TextEncoding::Gb18030);
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    let mut fed = 0;
    let mut non_ascii = 0;
    let mut lines = LineCounter::default();
    let mut n = first;
    loop {
        let last = n == 0;
        let bytes = &chunk[..n];
        utf8.feed(bytes, last, &lines);
        gb.feed(bytes, last, &lines);
        if fed < DETECTOR_BYTES {
            let take = bytes.len().min(DETECTOR_BYTES - fed);
            detector.feed(&bytes[..take], last || fed + take == DETECTOR_BYTES);
            non_ascii += bytes[..take].iter().filter(|b| !b.is_ascii()).count();
            fed += take;
        }
        lines.count(bytes);
        if last || (utf8.bad_line.is_some() && gb.bad_line.is_some()) {
            break;
        }
        n = read_full(&mut file, &mut chunk).map_err(input_error)?;
    }
    if utf8.bad_line.is_none() {
        return Ok(TextEncoding::Utf8);
    }
    let guess = detector.guess(None, Utf8Detection::Deny);
    let elsewhere = [
        encoding_rs::BIG5,
        encoding_rs::SHIFT_JIS,
        encoding_rs::EUC_JP,
        encoding_rs::EUC_KR,
    ];
    let reads_chinese = !(elsewhere.contains(&guess) && non_ascii >= ENOUGH_TO_JUDGE);
    match gb.bad_line {
        None if reads_chinese => Ok(TextEncoding::Gb18030),
        None => Err(refuse(format!(
            "tried UTF-8 (line {} is not UTF-8), UTF-16 (there is no byte order mark) and \
             GB18030/GBK (the bytes decode, but read like {}, not Chinese); save it as UTF-8, \
             or name its encoding with --encoding",
            utf8.bad_line.unwrap_or(0),
            guess.name()
        ))),
        Some(gb_line) => Err(refuse(format!(
            "tried UTF-8 (line {} is not UTF-8), UTF-16 (there is no byte order mark) and \
             GB18030/GBK (line {gb_line} is not GB18030){}; save it as UTF-8, or name its \
             encoding with --encoding (a row that does not decode is then reported invalid \
             with its line)",
            utf8.bad_line.unwrap_or(0),
            if reads_chinese {
                String::new()
            } else {
                format!("; it reads like {}", guess.name())
            }
        ))),
    }
}

/// Fills `buf` as far as the file allows; returns how many bytes were read (0 at the end).
fn read_full(file: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Why the start of a file says it is no text at all: a workbook, or text with NUL bytes
/// (UTF-16 without a byte order mark).
fn binary_kind(head: &[u8]) -> Option<String> {
    let tried = "tried UTF-8, UTF-16 (by its byte order mark) and GB18030/GBK";
    if head.starts_with(b"PK\x03\x04") {
        return Some(format!(
            "{tried}; it is a zip archive, as an .xlsx or .ods workbook is: name it .xlsx \
             (or .ods), or pass --format xlsx"
        ));
    }
    if head.starts_with(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1") {
        return Some(format!(
            "{tried}; it is an Excel 97-2003 workbook: name it .xls, or pass --format xls"
        ));
    }
    let nul_at = |parity: usize| {
        head.iter()
            .enumerate()
            .filter(|(i, b)| **b == 0 && i % 2 == parity)
            .count()
    };
    let (even, odd) = (nul_at(0), nul_at(1));
    if even + odd == 0 {
        return None;
    }
    let hint = if odd > even * 4 {
        "; it looks like UTF-16 little endian without a byte order mark: pass --encoding utf-16le"
    } else if even > odd * 4 {
        "; it looks like UTF-16 big endian without a byte order mark: pass --encoding utf-16be"
    } else {
        "; it holds NUL bytes, which no text file does"
    };
    Some(format!("{tried}{hint}"))
}

/// One encoding tried over the whole file: the first line it cannot decode.
struct Scan {
    decoder: Decoder,
    out: Vec<u8>,
    bad_line: Option<u64>,
}

impl Scan {
    fn new(encoding: TextEncoding) -> Self {
        Scan {
            decoder: encoding.encoding().new_decoder_without_bom_handling(),
            out: vec![0_u8; CHUNK * 3 + 16],
            bad_line: None,
        }
    }

    /// Decodes `bytes` (the chunk after the lines `before` counted); notes the first line
    /// that does not decode.
    fn feed(&mut self, bytes: &[u8], last: bool, before: &LineCounter) {
        if self.bad_line.is_some() {
            return;
        }
        let mut at = 0;
        loop {
            let (result, read, _) =
                self.decoder
                    .decode_to_utf8_without_replacement(&bytes[at..], &mut self.out, last);
            at += read;
            match result {
                DecoderResult::InputEmpty => return,
                DecoderResult::OutputFull => {}
                DecoderResult::Malformed(bad, extra) => {
                    // Both encodings keep ASCII as is: the bad sequence is on the line of
                    // its first byte.
                    let start = at.saturating_sub(usize::from(bad) + usize::from(extra));
                    let mut lines = before.clone();
                    lines.count(&bytes[..start]);
                    self.bad_line = Some(lines.line());
                    return;
                }
            }
        }
    }
}

/// Line breaks counted as the CSV reader counts them: `\n`, `\r\n` and a lone `\r` are one.
#[derive(Debug, Clone, Default)]
struct LineCounter {
    breaks: u64,
    after_cr: bool,
}

impl LineCounter {
    fn count(&mut self, bytes: &[u8]) {
        for &b in bytes {
            match b {
                b'\n' if self.after_cr => self.after_cr = false,
                b'\n' => self.breaks += 1,
                b'\r' => {
                    self.breaks += 1;
                    self.after_cr = true;
                }
                _ => self.after_cr = false,
            }
        }
    }

    /// The line (1-based) the next byte is on.
    fn line(&self) -> u64 {
        self.breaks + 1
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::io::Write;

    fn detect_bytes(bytes: &[u8]) -> Result<TextEncoding, SyncError> {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(bytes).unwrap();
        detect(file.path())
    }

    fn gbk(text: &str) -> Vec<u8> {
        encoding_rs::GBK.encode(text).0.into_owned()
    }

    #[test]
    fn encodings_by_bom_and_by_content() {
        assert_eq!(
            detect_bytes(b"mobile\n13800000001\n").unwrap(),
            TextEncoding::Utf8
        );
        assert_eq!(
            detect_bytes("手机,备注\n13800000001,张三\n".as_bytes()).unwrap(),
            TextEncoding::Utf8
        );
        assert_eq!(
            detect_bytes(b"\xef\xbb\xbfmobile\n").unwrap(),
            TextEncoding::Utf8
        );
        assert_eq!(
            detect_bytes(b"\xff\xfem\x00").unwrap(),
            TextEncoding::Utf16Le
        );
        assert_eq!(
            detect_bytes(b"\xfe\xff\x00m").unwrap(),
            TextEncoding::Utf16Be
        );
        for text in [
            "mobile,reason,备注\n13800000001,1,\n",
            "mobile,reason,备注\n13800000001,1,恶意下单\n13800000002,2,投诉\n",
            "手机号码,姓名\n13800000001,王小二\n",
            "mobile,name\n13800000001,张\n",
            "mobile,name\n13800000001,李娜\n",
        ] {
            assert_eq!(
                detect_bytes(&gbk(text)).unwrap(),
                TextEncoding::Gb18030,
                "{text}"
            );
        }
    }

    #[test]
    fn what_is_none_of_them_is_refused_naming_what_was_tried() {
        let mut bytes = b"mobile,reason\n13800000001,1\r\n".to_vec();
        bytes.extend_from_slice(b"13800000002,\xff\xfe\n");
        let err = detect_bytes(&bytes).unwrap_err().to_string();
        assert!(err.contains("tried UTF-8 (line 3 is not UTF-8)"), "{err}");
        assert!(err.contains("GB18030/GBK (line 3 is not GB18030)"), "{err}");
        let err = detect_bytes(b"PK\x03\x04rest").unwrap_err().to_string();
        assert!(err.contains("--format xlsx"), "{err}");
        let err = detect_bytes(b"m\x00o\x00b\x00").unwrap_err().to_string();
        assert!(err.contains("--encoding utf-16le"), "{err}");
        // Shift_JIS and Big5 decode as GB18030 byte for byte, but do not read as Chinese.
        let names = [
            "山田太郎",
            "鈴木花子",
            "佐藤健",
            "田中一郎",
            "高橋誠",
            "伊藤美咲",
        ];
        let rows: String = names
            .iter()
            .enumerate()
            .map(|(i, n)| format!("1380000{i:04},{n},悪質な注文\n"))
            .collect();
        let sjis = encoding_rs::SHIFT_JIS
            .encode(&format!("mobile,名前,備考\n{rows}"))
            .0
            .into_owned();
        let err = detect_bytes(&sjis).unwrap_err().to_string();
        assert!(err.contains("read like Shift_JIS"), "{err}");
        let big5 = encoding_rs::BIG5
            .encode(&"13800000001,陳大文,惡意下單,備註\n".repeat(4))
            .0
            .into_owned();
        let err = detect_bytes(&big5).unwrap_err().to_string();
        assert!(err.contains("read like Big5"), "{err}");
    }
}
