//! Signatures of candidate strings, computed by top-core's signer (never a copy of its
//! digests), and compared without leaking where they differ.

use top_core::Signer;
use top_core::params::is_blank;

/// The signature `signer` gives the exact string `text` (`None` for a string of at most one
/// visible character, which no request produces).
///
/// top-core signs name-value pairs by concatenating them; passed as one pair split after its
/// first visible character, `text` is digested byte for byte as it is.
pub(crate) fn of_text(signer: &Signer, text: &str) -> Option<String> {
    let (start, first) = text.char_indices().find(|(_, c)| !blank_char(*c))?;
    let (name, value) = text.split_at(start + first.len_utf8());
    if is_blank(value) {
        return None;
    }
    Some(signer.sign_sorted([(name, value)]))
}

/// Whether a received `sign` equals an expected signature: top-core's comparison (hex case
/// and spaces ignored, constant time).
pub(crate) fn same(expected: &str, provided: &str) -> bool {
    top_core::same_signature(expected, provided)
}

fn blank_char(c: char) -> bool {
    let mut buf = [0u8; 4];
    is_blank(c.encode_utf8(&mut buf))
}

#[cfg(test)]
mod tests {
    use super::*;
    use top_core::{Params, SignMethod};

    #[test]
    fn a_text_signs_as_its_pairs() {
        let params: Params = [
            ("bar", "2"),
            ("foo", "1"),
            ("foo_bar", "3"),
            ("foobar", "4"),
        ]
        .into_iter()
        .collect();
        for method in [SignMethod::Md5, SignMethod::Hmac, SignMethod::HmacSha256] {
            let signer = Signer::new("helloworld", method);
            let text = top_core::sign::canonical_string(&params);
            assert_eq!(of_text(&signer, &text), Some(signer.sign(&params)));
            assert_eq!(
                of_text(&signer, &format!("  {text}")).map(|s| s.len()),
                Some(signer.sign(&params).len())
            );
        }
        let signer = Signer::new("helloworld", SignMethod::Md5);
        assert_eq!(
            of_text(&signer, "bar2foo1foo_bar3foobar4").as_deref(),
            Some("5AAF1C690262A24768F5478B084C2C8A"),
            "the vector of docs/protocol.md §3.3"
        );
        assert_eq!(of_text(&signer, " a "), None);
        assert_eq!(of_text(&signer, ""), None);
    }

    #[test]
    fn comparison() {
        assert!(same("ABC0", "abc0"));
        assert!(same("ABC0", " ABC0 "));
        assert!(!same("ABC0", "ABC1"));
        assert!(!same("ABC0", "ABC"));
    }
}
