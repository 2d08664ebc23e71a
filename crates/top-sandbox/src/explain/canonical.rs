//! The string the sandbox signed, as an explanation may show it: every name and value in
//! byte order of the names, `sign` left out, secrets hidden (`***`), mobile numbers masked and
//! long values shortened. The app secret appears only as `<secret>` in the formula.

use top_core::{Params, SignMethod};
use top_model::Description;

use crate::redact;

/// Longest value shown in full.
const MAX_SHOWN: usize = 96;

/// `name1value1name2value2...` as it may be shown.
pub(crate) fn shown(params: &Params, description: Option<&Description>) -> String {
    params.iter().filter(|(name, _)| *name != "sign").fold(
        String::new(),
        |mut out, (name, value)| {
            out.push_str(name);
            let value = redact::param_value(name, value, description);
            out.push_str(&redact::shorten(&value, MAX_SHOWN));
            out
        },
    )
}

/// How a method digests the string `S`, the secret written `<secret>`.
pub(crate) fn formula(method: SignMethod) -> &'static str {
    match method {
        SignMethod::Md5 => "MD5(<secret> + S + <secret>)",
        SignMethod::Hmac => "HMAC-MD5(key <secret>, S)",
        SignMethod::HmacSha256 => "HMAC-SHA256(key <secret>, S)",
        _ => "the digest of S keyed by <secret>",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_hidden_and_long_values_cut() {
        let long = "x".repeat(200);
        let params: Params = [
            ("app_key", "1"),
            ("session", "sess-secret"),
            ("sign", "ABC"),
            ("z", long.as_str()),
            ("mobile", "13812341234"),
        ]
        .into_iter()
        .collect();
        let shown = shown(&params, None);
        assert!(
            shown.starts_with("app_key1mobile138****1234session***z"),
            "{shown}"
        );
        assert!(shown.ends_with("…(+104 chars)"), "{shown}");
        assert!(!shown.contains("sess-secret") && !shown.contains("ABC"));
        assert_eq!(formula(SignMethod::Md5), "MD5(<secret> + S + <secret>)");
    }
}
