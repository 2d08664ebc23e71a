#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod request;
mod response;

// The APIs generated from their descriptions in `apis/` (`top-codegen generate`), one module
// each, with their types re-exported here.
mod generated;
pub use generated::*;

pub use request::{
    AlibabaAlscCrmCustomerCreateRequest, CustomerCreateOpenReq, CustomerType, Gender,
    MAX_ADDRESS_CHARS, MAX_EMAIL_CHARS, MAX_ID_CHARS, MAX_NAME_CHARS, MAX_REMARK_CHARS,
    MAX_REQUEST_ID_CHARS, MAX_TAGS,
};
pub use response::{AlibabaAlscCrmCustomerCreateResponse, CommonResult};

/// The protocol core this crate describes calls for: [`top_core::TopClient`] performs them.
pub use top_core;
