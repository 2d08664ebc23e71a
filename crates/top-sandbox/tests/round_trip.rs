//! `testing::round_trip`, the check behind every generated `tests/samples.rs`: it passes a
//! request that survives the whole trip, and says how far a broken one got.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde::{Deserialize, Serialize};
use top_core::{TopRequest, TopResponse, ValidationError};
use top_sandbox::testing::{RoundTripError, round_trip};

const TAG: &str = "taobao.retail.user.tag.mobile.add";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Tagged {
    #[serde(default, deserialize_with = "top_core::de::lenient_bool")]
    result: Option<bool>,
}

impl TopResponse for Tagged {}

/// A tag call; `note` is sent but never read back, as a type whose serde halves disagree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct TagUser {
    biz_code: String,
    alipay_user_id: String,
    #[serde(default, skip_deserializing, skip_serializing_if = "Option::is_none")]
    ext_param: Option<String>,
}

impl TopRequest for TagUser {
    const METHOD: &'static str = TAG;
    type Response = Tagged;

    fn validate(&self) -> Result<(), ValidationError> {
        if self.biz_code.is_empty() {
            return Err(ValidationError::required("biz_code"));
        }
        Ok(())
    }
}

fn tag(biz_code: &str) -> TagUser {
    TagUser {
        biz_code: biz_code.into(),
        alipay_user_id: "2088000000000001".into(),
        ext_param: None,
    }
}

/// The same parameters under a method the sandbox does not serve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Undescribed(TagUser);

impl TopRequest for Undescribed {
    const METHOD: &'static str = "taobao.nothing.here";
    type Response = Tagged;
}

#[tokio::test]
async fn a_sound_request_makes_the_whole_trip() {
    round_trip(&tag("SPRING")).await.unwrap();
}

#[tokio::test]
async fn a_request_breaking_its_rules_is_refused_before_anything_starts() {
    let error = round_trip(&tag("")).await.unwrap_err();
    assert!(
        matches!(&error, RoundTripError::Invalid { method: TAG, source } if source.to_string().contains("biz_code")),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_method_the_sandbox_refuses_names_the_format() {
    let error = round_trip(&Undescribed(tag("SPRING"))).await.unwrap_err();
    match &error {
        RoundTripError::Sandboxed { method, format, .. } => {
            assert_eq!(*method, "taobao.nothing.here");
            assert_eq!(format.to_string(), "json");
        }
        other => panic!("expected the sandbox's refusal, got {other:?}"),
    }
    assert!(error.to_string().contains("through the sandbox"), "{error}");
}

#[tokio::test]
async fn a_request_that_does_not_read_back_as_sent_is_caught() {
    let mut request = tag("SPRING");
    request.ext_param = Some("{}".into());
    let error = round_trip(&request).await.unwrap_err();
    match &error {
        RoundTripError::Received {
            method,
            sent,
            received,
        } => {
            assert_eq!(*method, TAG);
            assert!(sent.contains("Some(\"{}\")"), "{sent}");
            assert!(received.contains("ext_param: None"), "{received}");
        }
        other => panic!("expected the stub's disagreement, got {other:?}"),
    }
}
