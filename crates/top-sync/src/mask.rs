//! Masking for reports: mobile numbers never reach a log line, a progress message, the
//! journal's reporting columns or a masked failures file.

use top_core::mask_mobile;
pub use top_core::scrub_mobiles;

/// The reporting label of a value: masked when it is (or contains) a mobile number.
pub(crate) fn label(value: &str, always_mobile: bool) -> String {
    if always_mobile {
        mask_mobile(value)
    } else {
        scrub_mobiles(value)
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
    }
}
