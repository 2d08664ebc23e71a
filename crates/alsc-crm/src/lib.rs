#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

// The APIs generated from their descriptions in `apis/` (`top-codegen generate`), one module
// each, with their types re-exported here.
mod generated;
pub use generated::*;

// The one hand-written extension point: conveniences a description cannot say.
mod convenience;

/// The protocol core this crate describes calls for: [`top_core::TopClient`] performs them.
pub use top_core;
