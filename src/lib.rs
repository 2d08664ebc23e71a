//! Typed, signed calls of the Taobao Open Platform (TOP) in Rust.
//!
//! This is the facade of the [taobao-top](https://github.com/taobao-top/taobao-top)
//! workspace. It re-exports the protocol core as [`core`] and each API crate behind a
//! feature of the same name (all on by default):
//!
//! | feature | module | API |
//! |---|---|---|
//! | `retail-tag` | [`retail_tag`] | `taobao.retail.user.tag.mobile.add` (根据手机号或者支付宝id进行用户打标) |
//! | `logistics-blacklist` | [`logistics_blacklist`] | `taobao.logistics.express.user.blacklist.tms.sync` (上门取退用户黑名单同步) |
//! | `damai-member` | [`damai_member`] | `alibaba.damai.maizuo.openapi.user.register.byauthcode` (用户注册-验证码方式) |
//! | `alsc-crm` | [`alsc_crm`] | `alibaba.alsc.crm.customer.create` (创建顾客), `.update` (更新顾客信息), `.get` (查询顾客详情) |
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

/// `taobao.retail.user.tag.mobile.add`: tag a user by external id, open id or Alipay id.
#[cfg(feature = "retail-tag")]
#[cfg_attr(docsrs, doc(cfg(feature = "retail-tag")))]
pub use retail_tag;

/// `taobao.logistics.express.user.blacklist.tms.sync`: the door-to-door pickup and return
/// user blacklist.
#[cfg(feature = "logistics-blacklist")]
#[cfg_attr(docsrs, doc(cfg(feature = "logistics-blacklist")))]
pub use logistics_blacklist;

/// `alibaba.damai.maizuo.openapi.user.register.byauthcode`: register a Damai member with
/// an SMS code.
#[cfg(feature = "damai-member")]
#[cfg_attr(docsrs, doc(cfg(feature = "damai-member")))]
pub use damai_member;

/// `alibaba.alsc.crm.customer.create`: create a local-services CRM customer.
#[cfg(feature = "alsc-crm")]
#[cfg_attr(docsrs, doc(cfg(feature = "alsc-crm")))]
pub use alsc_crm;
