//! Normalising mobiles never makes up a number: whatever the text, a result is a mainland
//! mobile whose digits are the text's own digits (less a `86`/`0086` country code), and any
//! text that is not one stays invalid.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use proptest::prelude::*;
use top_core::is_mainland_mobile;
use top_sync::normalize_mobile;

/// The digits the writer meant: every digit of `text`, full-width ones as ASCII.
fn digits_of(text: &str) -> String {
    text.chars()
        .filter_map(|c| match c {
            '0'..='9' => Some(c),
            '０'..='９' => char::from_digit(u32::from(c) - u32::from('０'), 10),
            _ => None,
        })
        .collect()
}

/// Texts that look like mobiles: digit runs near 11 long, with or without a country code,
/// broken up by separators, sometimes full-width, sometimes with junk.
fn written() -> impl Strategy<Value = String> {
    let digits = prop_oneof![
        3 => "1[3-9][0-9]{9}",
        2 => "[0-9]{8,16}",
        1 => "(86|0086|\\+86|\\+1|00)1[0-9]{10}",
    ];
    let piece = prop_oneof![
        6 => Just(None),
        1 => Just(Some(" ")),
        1 => Just(Some("-")),
        1 => Just(Some(".")),
        1 => Just(Some("\u{3000}")),
        1 => Just(Some("(")),
        1 => Just(Some("x")),
        1 => Just(Some("+")),
    ];
    (
        prop_oneof![4 => Just(""), 1 => Just("+86 "), 1 => Just("0086-"), 1 => Just("86"), 1 => Just("＋")],
        digits,
        prop::collection::vec(piece, 0..20),
        any::<bool>(),
    )
        .prop_map(|(prefix, digits, pieces, wide)| {
            let mut out = String::from(prefix);
            for (i, c) in digits.chars().enumerate() {
                let c = if wide && c.is_ascii_digit() {
                    char::from_u32(u32::from(c) - u32::from('0') + u32::from('０')).unwrap()
                } else {
                    c
                };
                out.push(c);
                if let Some(Some(sep)) = pieces.get(i) {
                    out.push_str(sep);
                }
            }
            out
        })
}

/// The property: a result is valid, made of the text's digits (less a country code only),
/// and only from text of digits, separators and one leading plus.
fn check(text: &str) -> Result<(), TestCaseError> {
    let Some(result) = normalize_mobile(text) else {
        return Ok(());
    };
    prop_assert!(is_mainland_mobile(&result), "{text:?} -> {result:?}");
    let digits = digits_of(text);
    prop_assert!(
        digits == result || digits == format!("86{result}") || digits == format!("0086{result}"),
        "{text:?} -> {result:?}: the digits written were {digits:?}"
    );
    prop_assert!(
        text.chars().all(|c| c.is_ascii_digit()
            || ('０'..='９').contains(&c)
            || matches!(
                c,
                '+' | '＋'
                    | ' '
                    | '-'
                    | '.'
                    | '\u{3000}'
                    | '\u{a0}'
                    | '\t'
                    | '‐'
                    | '‑'
                    | '‒'
                    | '–'
                    | '—'
                    | '－'
                    | '．'
                    | '·'
            )),
        "{text:?} holds something else"
    );
    let again = normalize_mobile(&result);
    prop_assert_eq!(again.as_deref(), Some(result.as_str()), "idempotent");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2048))]

    #[test]
    fn normalising_never_invents_a_number(text in written()) {
        check(&text)?;
    }

    #[test]
    fn normalising_any_text_never_invents_a_number(text in any::<String>()) {
        check(&text)?;
    }

    #[test]
    fn a_valid_mobile_is_kept_and_an_invalid_digit_run_stays_invalid(digits in "[0-9]{1,16}") {
        match normalize_mobile(&digits) {
            Some(result) if is_mainland_mobile(&digits) => prop_assert_eq!(result, digits),
            Some(result) => {
                // Only a country code was dropped.
                let dropped = digits == format!("86{result}") || digits == format!("0086{result}");
                prop_assert!(dropped, "{} -> {}", digits, result);
            }
            None => prop_assert!(!is_mainland_mobile(&digits)),
        }
    }
}
