//! What can be wrong with a description: always the file (when known), the member path and
//! the problem.

use std::path::PathBuf;

/// A description that cannot be used, with where and why.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    /// The text is not JSON, or not a vendor description.
    #[error("{}not a vendor API description: {reason}", at(file))]
    NotADescription {
        /// The file, when the text came from one.
        file: Option<PathBuf>,
        /// Why it is not one.
        reason: String,
        /// The JSON parser's error, when it is one.
        #[source]
        source: Option<serde_json::Error>,
    },
    /// A member breaks a rule of the description format.
    #[error("{}{path}: {reason}", at(file))]
    Member {
        /// The file, when the text came from one.
        file: Option<PathBuf>,
        /// The member's path (`request.user_blacklist_request.blacklist[].mobile`).
        path: String,
        /// What is wrong.
        reason: String,
    },
}

impl ModelError {
    /// A member error without a file yet (the loader adds it).
    pub fn member(path: impl Into<String>, reason: impl Into<String>) -> Self {
        ModelError::Member {
            file: None,
            path: path.into(),
            reason: reason.into(),
        }
    }

    /// The file it names, if any.
    pub fn file(&self) -> Option<&std::path::Path> {
        match self {
            ModelError::NotADescription { file, .. } | ModelError::Member { file, .. } => {
                file.as_deref()
            }
        }
    }

    /// The same error, naming `file`.
    pub fn in_file(mut self, path: impl Into<PathBuf>) -> Self {
        match &mut self {
            ModelError::NotADescription { file, .. } | ModelError::Member { file, .. } => {
                *file = Some(path.into());
            }
        }
        self
    }
}

fn at(file: &Option<PathBuf>) -> String {
    file.as_ref()
        .map(|f| format!("{}: ", f.display()))
        .unwrap_or_default()
}
