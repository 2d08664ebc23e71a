//! Mobiles as people write them: `+86 138 0000 0001`, `138-0000-0001`, `8613800000001`,
//! `0086 138.0000.0001`, full-width `１３８０００００００１`. Each becomes the 11 digits
//! of a mainland mobile when that is unambiguous; anything else is left as written (and the
//! mainland-mobile rule then reports it).

use top_core::is_mainland_mobile;

/// The 11 digits of the mainland mobile `text` is written as, or `None` when it is not
/// unambiguously one (it is then left as it is, and checked as it is).
///
/// Accepted: the 11 digits, optionally after a `+86`, `86` or `0086` country code; ASCII or
/// full-width digits and plus sign; spaces (also no-break and ideographic), dashes and dots
/// anywhere between them. Nothing else: a letter, a parenthesis, another country code, a
/// digit too many or too few leaves the value as written.
///
/// ```
/// use top_sync::normalize_mobile;
/// assert_eq!(normalize_mobile("+86 138-0000-0001").as_deref(), Some("13800000001"));
/// assert_eq!(normalize_mobile("0086.138.0000.0001").as_deref(), Some("13800000001"));
/// assert_eq!(normalize_mobile("１３８０００００００１").as_deref(), Some("13800000001"));
/// assert_eq!(normalize_mobile("+1 138 0000 0001"), None);
/// assert_eq!(normalize_mobile("138 0000 000"), None);
/// ```
pub fn normalize_mobile(text: &str) -> Option<String> {
    let mut digits = String::with_capacity(16);
    let mut plus = false;
    for c in text.trim().chars() {
        match c {
            '0'..='9' => digits.push(c),
            '０'..='９' => {
                let value = u32::from(c) - u32::from('０');
                digits.push(char::from_digit(value, 10)?);
            }
            '+' | '＋' if digits.is_empty() && !plus => plus = true,
            ' ' | '\u{a0}' | '\u{3000}' | '\t' | '-' | '‐' | '‑' | '‒' | '–' | '—' | '－' | '.'
            | '．' | '·' => {}
            _ => return None,
        }
    }
    let national = match digits.len() {
        11 if !plus => digits.as_str(),
        13 => digits.strip_prefix("86")?,
        15 if !plus => digits.strip_prefix("0086")?,
        _ => return None,
    };
    is_mainland_mobile(national).then(|| national.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_forms_people_write() {
        for written in [
            "13800000001",
            " 13800000001 ",
            "+86 138 0000 0001",
            "+8613800000001",
            "86 13800000001",
            "8613800000001",
            "0086 138 0000 0001",
            "138-0000-0001",
            "138.0000.0001",
            "138 0000 0001",
            "１３８０００００００１",
            "＋８６ １３８－００００－０００１",
            "138\u{3000}0000\u{a0}0001",
        ] {
            assert_eq!(
                normalize_mobile(written).as_deref(),
                Some("13800000001"),
                "{written:?}"
            );
        }
        for not_one in [
            "",
            "1380000000",
            "138000000012",
            "+1 138 0000 0001",
            "+0086 13800000001",
            "++8613800000001",
            "86+13800000001",
            "(138) 0000 0001",
            "12800000001",
            "8612800000001",
            "138O0000001",
            "0013800000001",
            "13800000001x",
            "tel:13800000001",
        ] {
            assert_eq!(normalize_mobile(not_one), None, "{not_one:?}");
        }
    }
}
