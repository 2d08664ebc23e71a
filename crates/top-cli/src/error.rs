//! The CLI's error and exit codes: 0 all done, 1 some rows (or the call) failed,
//! 2 usage or configuration error, 3 stopped early and resumable.

use std::process::ExitCode;

use top_sync::SyncError;

/// Every row done (or the call succeeded).
pub(crate) const EXIT_OK: u8 = 0;
/// Some rows failed or were invalid, or the call failed.
pub(crate) const EXIT_FAILED: u8 = 1;
/// Usage or configuration error; nothing was sent.
pub(crate) const EXIT_USAGE: u8 = 2;
/// Stopped early (interrupt, long ban); run the same command again to resume.
pub(crate) const EXIT_STOPPED: u8 = 3;

/// What a command can fail with.
#[derive(Debug, thiserror::Error)]
pub(crate) enum CliError {
    /// A flag or argument is wrong.
    #[error("{0}")]
    Usage(String),
    /// The configuration (file, environment, profile) is wrong or incomplete.
    #[error("configuration: {0}")]
    Config(String),
    /// A TOP call failed (or was refused before sending).
    #[error(transparent)]
    Call(#[from] top_core::Error),
    /// A sync job cannot start or go on.
    #[error(transparent)]
    Sync(#[from] SyncError),
    /// Reading a secret or writing output failed.
    #[error("{context}")]
    Io {
        context: String,
        #[source]
        source: std::io::Error,
    },
    /// The sandbox failed.
    #[error("sandbox: {0}")]
    Sandbox(#[source] top_sandbox::SandboxError),
    /// A built-in API description cannot be read: a bug of the build, which
    /// `top-codegen check` is there to prevent.
    #[error("the built-in API descriptions are broken")]
    Model(#[source] top_model::ModelError),
}

impl CliError {
    /// The process exit code for this error.
    pub(crate) fn exit_code(&self) -> ExitCode {
        ExitCode::from(match self {
            CliError::Usage(_) | CliError::Config(_) => EXIT_USAGE,
            CliError::Call(top_core::Error::Validation(_) | top_core::Error::Build(_)) => {
                EXIT_USAGE
            }
            CliError::Call(_) => EXIT_FAILED,
            CliError::Sync(e) => match e {
                SyncError::Input { .. }
                | SyncError::InputShape { .. }
                | SyncError::InputEncoding { .. }
                | SyncError::InputChanged { .. }
                | SyncError::JobMismatch { .. }
                | SyncError::NotAJournal { .. }
                | SyncError::JournalFile { .. }
                | SyncError::Options { .. }
                | SyncError::Flag { .. }
                | SyncError::Description { .. } => EXIT_USAGE,
                // Another run holds the journal: nothing was done, try again after it.
                SyncError::JournalBusy { .. } => EXIT_STOPPED,
                _ => EXIT_FAILED,
            },
            CliError::Io { .. } => EXIT_USAGE,
            CliError::Sandbox(_) | CliError::Model(_) => EXIT_FAILED,
        })
    }

    /// The error's kind, for JSON output.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            CliError::Usage(_) => "usage",
            CliError::Config(_) => "config",
            CliError::Call(top_core::Error::Validation(_)) => "invalid",
            CliError::Call(top_core::Error::Build(_)) => "config",
            CliError::Call(top_core::Error::Api(_)) => "api",
            CliError::Call(top_core::Error::RateLimited { .. }) => "rate_limited",
            CliError::Call(top_core::Error::Business(_)) => "business",
            CliError::Call(top_core::Error::Http { .. }) => "http",
            CliError::Call(top_core::Error::Transport(_)) => "transport",
            CliError::Call(top_core::Error::Decode(_)) => "decode",
            CliError::Call(_) => "call",
            CliError::Sync(_) => "sync",
            CliError::Io { .. } => "io",
            CliError::Sandbox(_) => "sandbox",
            CliError::Model(_) => "model",
        }
    }
}

impl From<top_core::BuildError> for CliError {
    fn from(e: top_core::BuildError) -> Self {
        CliError::Config(e.to_string())
    }
}

impl From<top_core::ValidationError> for CliError {
    fn from(e: top_core::ValidationError) -> Self {
        CliError::Call(e.into())
    }
}

impl From<top_sync::InvalidRow> for CliError {
    fn from(e: top_sync::InvalidRow) -> Self {
        CliError::Call(top_core::ValidationError::new(e.field, e.rule).into())
    }
}
