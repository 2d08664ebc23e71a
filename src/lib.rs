//! Typed, signed calls of the Taobao Open Platform (TOP) in Rust.
//!
//! This is the facade of the [taobao-top](https://github.com/taobao-top/taobao-top)
//! workspace. It re-exports the protocol core as [`core`] and each API crate behind a
//! feature of the same name (the four first ones, `retail-tag`, `logistics-blacklist`,
//! `damai-member` and `alsc-crm`, on by default; the table is generated from `apis/`):
//!
#![doc = include_str!("domains.md")]
//!
//! Other features: `rustls` (default) or `native-tls` for the HTTP transport, `xml` to read
//! `format=xml` answers, `test-util` for `core::testing::StubTransport` (typed stubs), `mock` for
//! `core::MockTransport` and the wiremock helpers.
//!
//! The API crates only *describe* calls (request and response types, validation, which
//! calls are safe to resend); [`core::TopClient`] *performs* them: it validates (nothing is
//! sent on error), signs exactly what it sends, posts everything in the form body with a
//! GMT+8 timestamp, decodes JSON or XML answers, and retries what is safe. Depend on this
//! crate, or on `top-core` plus the one API crate you need.
//!
//! ```no_run
//! # #[cfg(all(feature = "retail-tag", feature = "alsc-crm"))]
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use taobao_top::alsc_crm::{AlibabaAlscCrmCustomerCreateRequest, CustomerCreateOpenReq, CustomerType};
//! use taobao_top::core::{Error, TopClient};
//! use taobao_top::retail_tag::RetailUserTagMobileAddRequest;
//!
//! // TOP_APP_KEY, TOP_APP_SECRET, TOP_ENDPOINT (a URL, `production`, `sandbox`, `overseas`)...
//! let client = TopClient::from_env()?;
//!
//! let tagged = client
//!     .execute(&RetailUserTagMobileAddRequest::new().alipay_user_id("2088000000000001"))
//!     .await?;
//! println!("tagged: {:?}", tagged.module.and_then(|m| m.tag_success));
//!
//! let customer = CustomerCreateOpenReq::new("234334534543234234", "mobile", "13411111111", "2", CustomerType::Member)
//!     .name("王小二");
//! match client.execute(&AlibabaAlscCrmCustomerCreateRequest::new(customer)).await {
//!     Ok(created) => println!("customer id: {:?}", created.customer_id()),
//!     // A failure reported inside a success envelope: the typed answer is still there.
//!     Err(Error::Business(failure)) => println!("refused: {failure}"),
//!     Err(other) => return Err(other.into()),
//! }
//! # Ok(()) }
//! ```
#![cfg_attr(docsrs, feature(doc_cfg))]

/// The protocol core (`top-core`): client, signing, envelopes, errors, retry, redaction.
pub use top_core as core;

pub use top_core::{Endpoint, Error, Format, Mobile, Sensitive, TopClient};

// The domain crates, each behind the feature of its name: generated from `apis/` by
// `top-codegen generate`.
include!("domains.rs");
