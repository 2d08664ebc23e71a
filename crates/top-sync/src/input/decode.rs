//! A text input decoded to UTF-8 as it is read, so the readers (and their line counting) see
//! UTF-8 whatever the file's encoding. A sequence that does not decode becomes U+FFFD,
//! which the readers report as a bad cell on its line. Memory: two fixed buffers.

use std::io::Read;

use encoding_rs::{CoderResult, Decoder};

use crate::input::encoding::TextEncoding;

/// Raw bytes read at a time.
const RAW: usize = 32 * 1024;

/// `inner` decoded from `encoding` to UTF-8 (a byte order mark of that encoding dropped).
pub(crate) struct Decoded<R> {
    inner: R,
    decoder: Decoder,
    raw: Vec<u8>,
    raw_start: usize,
    raw_end: usize,
    eof: bool,
    out: Vec<u8>,
    out_start: usize,
    out_end: usize,
    finished: bool,
}

impl<R: Read> Decoded<R> {
    pub(crate) fn new(inner: R, encoding: TextEncoding) -> Self {
        let decoder = encoding.encoding().new_decoder_with_bom_removal();
        let out_len = decoder
            .max_utf8_buffer_length(RAW)
            .unwrap_or(RAW * 3)
            .max(16);
        Decoded {
            inner,
            decoder,
            raw: vec![0; RAW],
            raw_start: 0,
            raw_end: 0,
            eof: false,
            out: vec![0; out_len],
            out_start: 0,
            out_end: 0,
            finished: false,
        }
    }

    /// Decodes more into `out` (which is empty); `false` at the end.
    fn refill(&mut self) -> std::io::Result<bool> {
        loop {
            if self.finished {
                return Ok(false);
            }
            if self.raw_start == self.raw_end && !self.eof {
                let n = loop {
                    match self.inner.read(&mut self.raw) {
                        Ok(n) => break n,
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                        Err(e) => return Err(e),
                    }
                };
                self.raw_start = 0;
                self.raw_end = n;
                self.eof = n == 0;
            }
            let last = self.eof;
            let (result, read, written, _) = self.decoder.decode_to_utf8(
                &self.raw[self.raw_start..self.raw_end],
                &mut self.out,
                last,
            );
            self.raw_start += read;
            self.out_start = 0;
            self.out_end = written;
            if last && result == CoderResult::InputEmpty {
                self.finished = true;
            }
            if written > 0 {
                return Ok(true);
            }
        }
    }
}

impl<R: Read> Read for Decoded<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        if self.out_start == self.out_end && !self.refill()? {
            return Ok(0);
        }
        let n = buf.len().min(self.out_end - self.out_start);
        buf[..n].copy_from_slice(&self.out[self.out_start..self.out_start + n]);
        self.out_start += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn decode(bytes: &[u8], encoding: TextEncoding, step: usize) -> String {
        let mut reader = Decoded::new(bytes, encoding);
        let mut out = Vec::new();
        let mut buf = vec![0; step];
        loop {
            let n = reader.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            out.extend_from_slice(&buf[..n]);
        }
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn decodes_in_any_read_size() {
        let text = "手机,备注\r\n13800000001,恶意\n".repeat(5000);
        let gbk = encoding_rs::GBK.encode(&text).0.into_owned();
        let mut utf16 = vec![0xff, 0xfe];
        for unit in text.encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        for step in [1, 7, 4096, 100_000] {
            assert_eq!(decode(&gbk, TextEncoding::Gb18030, step), text);
            assert_eq!(decode(&utf16, TextEncoding::Utf16Le, step), text);
        }
        assert_eq!(decode(b"a\x81\n", TextEncoding::Gb18030, 3), "a\u{fffd}\n");
    }
}
