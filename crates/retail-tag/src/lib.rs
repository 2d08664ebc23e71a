#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod request;
mod response;

pub use request::{MAX_EXT_PARAM_CHARS, MAX_ID_CHARS, RetailUserTagMobileAddRequest};
pub use response::{ErrorInfo, RetailUserTagMobileAddResponse, UserTagInfoResponseDto};

/// The protocol core this crate describes calls for: [`top_core::TopClient`] performs them.
pub use top_core;
