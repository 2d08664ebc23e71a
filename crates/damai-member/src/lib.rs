#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

// The API generated from its description in `apis/` (`top-codegen generate`).
mod generated;
pub use generated::*;

/// The protocol core this crate describes calls for: [`top_core::TopClient`] performs them.
pub use top_core;
