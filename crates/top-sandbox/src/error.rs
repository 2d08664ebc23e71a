//! The one error type of the sandbox's own API (starting, control calls).

use std::net::SocketAddr;
use std::path::PathBuf;

/// Why the sandbox could not start or a control call failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SandboxError {
    /// The configuration is not usable (a bad `TOP_SANDBOX_APPS`, a fault rate out of 0..=1...).
    #[error("invalid sandbox configuration: {0}")]
    Config(String),
    /// An API description (built in, or of the `--apis` directory) cannot be used. The
    /// message names the file and the member path at fault.
    #[error("invalid API description: {0}")]
    Description(top_model::ModelError),
    /// The listening socket could not be bound.
    #[error("cannot listen on {addr}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// The SQLite state file could not be opened, read or written.
    #[error("sandbox state file {path}")]
    Store {
        /// The state file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: rusqlite::Error,
    },
    /// A control request was refused (for example an auth code for a non-mainland number).
    #[error("invalid request: {0}")]
    InvalidRequest(String),
    /// An I/O failure while serving (printing the address, waiting for a signal).
    #[error("sandbox I/O error")]
    Io(#[from] std::io::Error),
}
