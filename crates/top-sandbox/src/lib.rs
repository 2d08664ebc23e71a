#![doc = include_str!("../README.md")]

mod apis;
mod apps;
mod builder;
mod calls;
pub mod cli;
mod codes;
mod control;
mod endpoint;
mod error;
mod explain;
mod faults;
mod gateway;
mod handle;
mod idempotency;
mod input;
mod limiter;
mod page;
mod protocol;
mod redact;
mod reply;
mod sample;
mod server;
mod snapshot;
mod state;
mod store;
#[cfg(feature = "testing")]
pub mod testing;
mod wire;

pub use builder::{
    DEFAULT_IDEMPOTENCY_MAX_ENTRIES, DEFAULT_IDEMPOTENCY_WINDOW, DEFAULT_MAX_BLACKLIST_ENTRIES,
    DEFAULT_MAX_BODY_BYTES, Sandbox, SandboxBuilder,
};
pub use calls::{CallOutcome, CallRecord, DEFAULT_CALL_LOG_CAPACITY};
pub use error::SandboxError;
pub use handle::{Account, SandboxHandle};
pub use snapshot::{BlacklistEntry, CustomerRecord, MemberRecord, StateSnapshot, TagRecord};

/// The demo app's key, always present unless [`SandboxBuilder::no_demo_app`] is called.
pub const DEMO_APP_KEY: &str = "10000001";
/// The demo app's secret.
pub const DEMO_APP_SECRET: &str = "sandbox-secret";
/// The Damai partner token the sandbox expects by default (the vendor page's example value).
pub const DEMO_PTNR_TOKEN: &str = "St5dnxCv1KtwpNaDzuE459yus3m6F7FEG+2";
/// The Damai tenant token the sandbox expects by default (the vendor page's example value).
pub const DEMO_TENANT_TOKEN: &str = "A9UJj/8SWB5xLq54Tn623qFzG+2u39r5xP5icq";
/// The Damai channel token the sandbox expects by default (the vendor page's example value).
pub const DEMO_CHANNEL_TOKEN: &str = "XYJ72Idfk1231+mCzqSXZLWtCnikX/Vn";

/// The gateway path, as on the real router.
pub const ROUTER_PATH: &str = "/router/rest";

/// The path of the sandbox's page: the live call log and the state tables.
pub const PAGE_PATH: &str = "/sandbox/";
