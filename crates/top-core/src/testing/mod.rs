//! Test doubles for code built on top-core, one per feature:
//!
//! * feature `test-util`: `StubTransport`, typed stubs. A test states, per API, the typed
//!   answer to give (or the error to raise) and reads back the typed requests received,
//!   without writing an envelope or starting a server. The whole client pipeline still runs
//!   (validation, flattening, signing, envelope parsing, error mapping, retry).
//! * feature `mock`: byte-level helpers: a [wiremock](https://docs.rs/wiremock) gateway that
//!   answers with a fixture, a client pointed at it, the checks every request it received
//!   must pass (`business_params`, `received_business_params`...), and, outside this module,
//!   `top_core::MockTransport` (mockall).
#![cfg_attr(docsrs, doc(cfg(any(feature = "test-util", feature = "mock"))))]

#[cfg(feature = "test-util")]
mod form_de;
#[cfg(feature = "mock")]
mod gateway;
#[cfg(feature = "test-util")]
mod reply;
#[cfg(feature = "test-util")]
mod stub;

#[cfg(feature = "mock")]
pub use gateway::*;
#[cfg(feature = "test-util")]
pub use stub::StubTransport;
