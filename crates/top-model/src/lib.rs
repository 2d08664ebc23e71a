#![doc = include_str!("../README.md")]

mod builtin;
mod catalog;
mod check;
mod description;
mod error;
mod failure;
pub mod overlay;
mod sample;
mod suggest;
mod type_ref;
pub mod value;
mod vendor;

pub use catalog::Catalog;
pub use description::{Description, OVERLAY_FILE, Side, VENDOR_FILE, format_rule};
pub use error::ModelError;
pub use overlay::Overlay;
pub use sample::SampleError;
pub use suggest::did_you_mean;
pub use type_ref::TypeRef;
pub use vendor::{VendorApi, VendorParam};
