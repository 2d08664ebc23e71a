//! TOP request signatures: `md5`, `hmac` (HMAC-MD5) and `hmac-sha256`, upper-case hex.
//!
//! The signature covers every sent parameter except `sign`, sorted by name, as
//! `name1value1name2value2...` in UTF-8 (docs/protocol.md §3). The sandbox verifies with the
//! same code, so signer and verifier cannot drift apart.

use std::fmt;
use std::str::FromStr;

use hmac::{Hmac, Mac};
use md5::{Digest, Md5};
use sha2::Sha256;
use subtle::ConstantTimeEq;

use crate::params::{Params, is_blank};
use crate::redact::Sensitive;

/// A TOP `sign_method`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SignMethod {
    /// `md5`: MD5(secret + canonical + secret).
    Md5,
    /// `hmac`: HMAC-MD5 keyed by the secret.
    Hmac,
    /// `hmac-sha256`: HMAC-SHA256 keyed by the secret (the default, as in the current Java SDK).
    #[default]
    HmacSha256,
}

impl SignMethod {
    /// The wire name: `md5`, `hmac` or `hmac-sha256`.
    pub fn as_str(self) -> &'static str {
        match self {
            SignMethod::Md5 => "md5",
            SignMethod::Hmac => "hmac",
            SignMethod::HmacSha256 => "hmac-sha256",
        }
    }
}

impl fmt::Display for SignMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An unknown `sign_method` name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown sign method `{0}` (expected md5, hmac or hmac-sha256)")]
pub struct UnknownSignMethod(pub String);

impl FromStr for SignMethod {
    type Err = UnknownSignMethod;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "md5" => Ok(SignMethod::Md5),
            "hmac" | "hmac-md5" => Ok(SignMethod::Hmac),
            "hmac-sha256" | "hmac_sha256" => Ok(SignMethod::HmacSha256),
            _ => Err(UnknownSignMethod(s.to_owned())),
        }
    }
}

/// A signer bound to one secret and method; HMAC keys are prepared once and cloned per call.
#[derive(Clone)]
pub struct Signer {
    method: SignMethod,
    state: SignerState,
}

#[derive(Clone)]
enum SignerState {
    Md5(Sensitive<Vec<u8>>),
    HmacMd5(Hmac<Md5>),
    HmacSha256(Hmac<Sha256>),
}

impl Signer {
    /// A signer for `secret` with `method`.
    pub fn new(secret: &str, method: SignMethod) -> Self {
        let key = secret.as_bytes();
        let state = match method {
            SignMethod::Md5 => SignerState::Md5(Sensitive::new(key.to_vec())),
            // HMAC accepts keys of any length (long keys are hashed), so this cannot fail.
            SignMethod::Hmac => SignerState::HmacMd5(
                <Hmac<Md5> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!()),
            ),
            SignMethod::HmacSha256 => SignerState::HmacSha256(
                <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!()),
            ),
        };
        Signer { method, state }
    }

    /// The method this signer uses.
    pub fn method(&self) -> SignMethod {
        self.method
    }

    /// Signs parameters already in ASCII order, skipping `sign` and blank values.
    pub fn sign_sorted<'a>(&self, params: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
        let params = params
            .into_iter()
            .filter(|(k, v)| *k != "sign" && !is_blank(k) && !is_blank(v));
        let digest = match &self.state {
            SignerState::Md5(secret) => {
                let mut h = Md5::new();
                h.update(secret.expose());
                for (k, v) in params {
                    h.update(k.as_bytes());
                    h.update(v.as_bytes());
                }
                h.update(secret.expose());
                h.finalize().to_vec()
            }
            SignerState::HmacMd5(mac) => mac_over(mac.clone(), params),
            SignerState::HmacSha256(mac) => mac_over(mac.clone(), params),
        };
        hex::encode_upper(digest)
    }

    /// Signs a parameter map (everything but `sign`).
    pub fn sign(&self, params: &Params) -> String {
        self.sign_sorted(params.iter())
    }

    /// Checks a received signature in constant time. Hex case is ignored.
    pub fn verify(&self, params: &Params, provided: &str) -> bool {
        same_signature(&self.sign(params), provided)
    }
}

/// Whether a received `sign` equals an expected upper-case hex signature, as the gateway
/// compares them: surrounding spaces and hex case ignored, in time that depends on the lengths
/// only.
pub fn same_signature(expected: &str, provided: &str) -> bool {
    let provided = provided.trim().to_ascii_uppercase();
    expected.len() == provided.len() && bool::from(expected.as_bytes().ct_eq(provided.as_bytes()))
}

fn mac_over<'a, M: Mac>(mut mac: M, params: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<u8> {
    for (k, v) in params {
        mac.update(k.as_bytes());
        mac.update(v.as_bytes());
    }
    mac.finalize().into_bytes().to_vec()
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signer")
            .field("method", &self.method)
            .field("secret", &"***")
            .finish()
    }
}

/// Signs `params` with `secret`: the upper-case hex `sign` value.
///
/// ```
/// use top_core::{Params, SignMethod, sign};
/// let params: Params = [("bar", "2"), ("foo", "1"), ("foo_bar", "3"), ("foobar", "4")]
///     .into_iter()
///     .collect();
/// assert_eq!(sign(&params, "helloworld", SignMethod::Md5), "5AAF1C690262A24768F5478B084C2C8A");
/// ```
pub fn sign(params: &Params, secret: &str, method: SignMethod) -> String {
    Signer::new(secret, method).sign(params)
}

/// Verifies a received `sign` in constant time.
pub fn verify(params: &Params, secret: &str, method: SignMethod, provided: &str) -> bool {
    Signer::new(secret, method).verify(params, provided)
}

/// The string that is digested: `name1value1name2value2...` without `sign`. For diagnosis.
pub fn canonical_string(params: &Params) -> String {
    params
        .iter()
        .filter(|(k, _)| *k != "sign")
        .fold(String::new(), |mut s, (k, v)| {
            s.push_str(k);
            s.push_str(v);
            s
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_names_round_trip() {
        for m in [SignMethod::Md5, SignMethod::Hmac, SignMethod::HmacSha256] {
            assert_eq!(m.as_str().parse::<SignMethod>(), Ok(m));
        }
        assert_eq!(
            "HMAC-SHA256".parse::<SignMethod>(),
            Ok(SignMethod::HmacSha256)
        );
        assert!("sha1".parse::<SignMethod>().is_err());
        assert_eq!(SignMethod::default(), SignMethod::HmacSha256);
    }

    #[test]
    fn verify_is_case_insensitive_and_rejects_tampering() {
        let mut p: Params = [("a", "1"), ("b", "2")].into_iter().collect();
        let s = sign(&p, "k", SignMethod::HmacSha256);
        assert_eq!(s.len(), 64);
        assert!(verify(&p, "k", SignMethod::HmacSha256, &s.to_lowercase()));
        assert!(!verify(&p, "other", SignMethod::HmacSha256, &s));
        p.insert("b", "3");
        assert!(!verify(&p, "k", SignMethod::HmacSha256, &s));
        assert!(!verify(&p, "k", SignMethod::HmacSha256, ""));
    }

    #[test]
    fn sign_param_is_never_signed() {
        let p: Params = [("a", "1")].into_iter().collect();
        let mut with_sign = p.clone();
        with_sign.insert("sign", "XYZ");
        assert_eq!(
            sign(&p, "k", SignMethod::Md5),
            sign(&with_sign, "k", SignMethod::Md5)
        );
        assert_eq!(canonical_string(&with_sign), "a1");
        assert!(!format!("{:?}", Signer::new("k-secret", SignMethod::Md5)).contains("k-secret"));
    }
}
