#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod builder;
mod client;
mod code;
pub mod codes;
pub mod de;
mod endpoint;
pub mod envelope;
mod error;
mod flatten;
mod format;
mod options;
pub mod params;
mod redact;
mod request;
#[cfg(any(feature = "rustls", feature = "native-tls"))]
mod reqwest_transport;
mod retry;
pub mod rules;
pub mod sign;
#[cfg(any(feature = "test-util", feature = "mock"))]
pub mod testing;
pub mod time;
mod transport;
mod validate;
#[cfg(feature = "xml")]
mod xml;

pub use builder::TopClientBuilder;
pub use client::{MAX_RESPONSE_BYTES, SYSTEM_PARAMS, TopClient};
pub use code::ErrorCode;
pub use endpoint::Endpoint;
pub use error::{
    ApiError, BuildError, BusinessError, DecodeError, Error, TRANSIENT_SUB_CODES, ValidationError,
};
pub use format::{Format, UnknownFormat};
pub use options::{CallOptions, Timeouts};
pub use params::{Params, to_params};
pub use redact::{
    Mobile, Sensitive, is_mainland_mobile, is_secret_name, mask_mobile, redact_json,
    scrub_identifier, scrub_mobiles,
};
pub use request::{TopRequest, TopResponse};
pub use retry::RetryConfig;
pub use sign::{SignMethod, Signer, same_signature, sign, verify};
pub use time::{Clock, FixedClock, SystemClock};
#[cfg(any(test, feature = "mock"))]
pub use transport::MockTransport;
pub use transport::{HttpRequest, HttpResponse, Transport, TransportError, TransportErrorKind};

#[cfg(any(feature = "rustls", feature = "native-tls"))]
pub use reqwest_transport::{DEFAULT_MAX_BODY, ReqwestTransport};

/// The reqwest version the default transport uses, to configure it (certificates, proxies).
#[cfg(any(feature = "rustls", feature = "native-tls"))]
pub use reqwest;

/// The chrono version used for dates and the clock.
pub use chrono;
