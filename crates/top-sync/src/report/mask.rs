//! Masking for reports: mobile numbers never reach a log line, a progress message, the
//! journal's reporting columns or a masked failures file.

use top_core::mask_mobile;
pub use top_core::{scrub_identifier, scrub_mobiles};

/// The reporting label of a value: masked when it is (or contains) a mobile number,
/// including one written with a country code or separators (`+86 138 1234 1234`).
pub(crate) fn label(value: &str, always_mobile: bool) -> String {
    if always_mobile {
        mask_mobile(value.trim())
    } else {
        scrub_identifier(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scrubs_only_mobile_runs() {
        assert_eq!(
            scrub_mobiles("13812341234,13912341234"),
            "138****1234,139****1234"
        );
        assert_eq!(scrub_mobiles("12812341234"), "12812341234");
        assert_eq!(scrub_mobiles("手机13812341234无效"), "手机138****1234无效");
        assert_eq!(scrub_mobiles(""), "");
        assert_eq!(label("13812341234", true), "138****1234");
        assert_eq!(label("abc", true), "****");
        assert_eq!(label("abc", false), "abc");
        assert_eq!(label("+86 138 0000 6666", false), "+86****6666");
        assert_eq!(label(" 0086-138-0000-6666", false), "008****6666");
        assert_eq!(label("8613800006666", false), "861****6666");
        assert_eq!(label("(138) 0000 6666", false), "(13****6666");
        assert_eq!(label("2088000000000011", false), "2088000000000011");
        assert_eq!(label("C-13800006666", false), "C-138****6666");
        assert_eq!(label("12800006666", false), "12800006666");
    }
}
