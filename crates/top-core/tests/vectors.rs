//! Every signing vector of `tests/data/vectors.json` (reproduced by the official Java SDK)
//! through this crate's signer. `TOP_VECTORS` may point at another copy.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use serde::Deserialize;
use top_core::{Params, SignMethod, Signer, sign};

#[derive(Deserialize)]
struct Vector {
    name: String,
    sign_method: String,
    secret: String,
    params: serde_json::Map<String, serde_json::Value>,
    canonical_string: String,
    expected_sign: String,
    expected_sign_if_empty_included: Option<String>,
}

fn vectors() -> Vec<Vector> {
    let path = std::env::var_os("TOP_VECTORS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/vectors.json")
        });
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read the signing vectors at {} ({e}); set TOP_VECTORS",
            path.display()
        )
    });
    let vectors: Vec<Vector> = serde_json::from_str(&text).unwrap();
    assert!(
        vectors.len() >= 17,
        "expected the 17 shared vectors, found {}",
        vectors.len()
    );
    vectors
}

fn params_of(v: &Vector) -> Params {
    v.params
        .iter()
        .map(|(k, val)| {
            (
                k.clone(),
                val.as_str().expect("vector params are strings").to_owned(),
            )
        })
        .collect()
}

#[test]
fn every_vector_signs_as_the_official_sdk() {
    for v in vectors() {
        let method: SignMethod = v.sign_method.parse().unwrap();
        let params = params_of(&v);
        assert_eq!(
            top_core::sign::canonical_string(&params),
            v.canonical_string,
            "canonical string of {}",
            v.name
        );
        assert_eq!(
            sign(&params, &v.secret, method),
            v.expected_sign,
            "signature of {}",
            v.name
        );
        let signer = Signer::new(&v.secret, method);
        assert!(
            signer.verify(&params, &v.expected_sign),
            "verify {}",
            v.name
        );
        assert!(
            signer.verify(&params, &v.expected_sign.to_lowercase()),
            "verify lower-case {}",
            v.name
        );
    }
}

/// Empty and whitespace-only values are dropped (the official Java rule): the project's
/// signature is `expected_sign`, never the `_if_empty_included` one that Python/Node produce.
#[test]
fn empty_and_blank_values_are_dropped_before_signing() {
    let with_empties: Vec<Vector> = vectors()
        .into_iter()
        .filter(|v| v.expected_sign_if_empty_included.is_some())
        .collect();
    assert!(
        with_empties.len() >= 3,
        "the shared file has empty_value and whitespace vectors"
    );
    for v in with_empties {
        let method: SignMethod = v.sign_method.parse().unwrap();
        let params = params_of(&v);
        assert!(
            params.len() < v.params.len(),
            "{}: the blank value was kept",
            v.name
        );
        let signed = sign(&params, &v.secret, method);
        assert_eq!(signed, v.expected_sign, "{}", v.name);
        assert_ne!(
            Some(signed),
            v.expected_sign_if_empty_included,
            "{}",
            v.name
        );
    }
}

/// The sign of the vector with `sign` present among the parameters is unchanged: `sign` never
/// signs itself.
#[test]
fn sign_parameter_is_excluded() {
    for v in vectors() {
        let method: SignMethod = v.sign_method.parse().unwrap();
        let mut params = params_of(&v);
        params.insert("sign", "0000");
        assert_eq!(
            sign(&params, &v.secret, method),
            v.expected_sign,
            "{}",
            v.name
        );
    }
}
