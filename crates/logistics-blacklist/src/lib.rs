#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod request;
mod response;

pub use request::{
    AbilityType, Blacklist, BlacklistReason, LogisticsExpressUserBlacklistTmsSyncRequest,
    MAX_BLACKLIST_ENTRIES, MAX_ID_CHARS, OperateType, ServiceType, UserBlacklistRequest,
};
pub use response::{LogisticsExpressUserBlacklistTmsSyncResponse, UserBlacklistResponse};

/// The protocol core this crate describes calls for: [`top_core::TopClient`] performs them.
pub use top_core;
