#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod request;
mod response;

pub use request::{
    AUTH_CODE_DIGITS, AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeRequest, CodeType,
    MAX_TOKEN_CHARS, PASSWORD_CHARS, UserRegisterByAuthCodeParam,
};
pub use response::{
    AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeResponse, ResultData, UserRegisterVo,
};

/// The protocol core this crate describes calls for: [`top_core::TopClient`] performs them.
pub use top_core;
