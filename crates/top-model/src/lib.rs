#![doc = include_str!("../README.md")]

mod error;
mod type_ref;
mod vendor;

pub use error::ModelError;
pub use type_ref::TypeRef;
pub use vendor::{VendorApi, VendorParam};
