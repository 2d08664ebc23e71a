//! What stops `top-codegen`: always the file and, for a description, the member path.

use std::path::PathBuf;

/// A failure of an import, a generation or a check; nothing was written.
#[derive(Debug, thiserror::Error)]
pub(crate) enum CodegenError {
    /// A description is wrong.
    #[error(transparent)]
    Model(#[from] top_model::ModelError),
    /// A file could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The command cannot work as asked.
    #[error("{0}")]
    Usage(String),
}

impl CodegenError {
    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.into();
        move |source| CodegenError::Io { path, source }
    }
}
