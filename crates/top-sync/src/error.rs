//! The error of a sync job: what stops a whole job (as opposed to a bad row, which is
//! recorded in the journal and never stops the others).

use std::path::PathBuf;

/// Why a sync job cannot start or go on. Row-level problems are not errors: they end as
/// `invalid`, `failed` or `unknown` rows in the journal.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SyncError {
    /// The input file could not be opened or read.
    #[error("could not read the input file {}", path.display())]
    Input {
        /// The input file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The input file cannot be used at all (bad header, unknown columns...).
    #[error("the input file {} cannot be used: {reason}", path.display())]
    InputShape {
        /// The input file.
        path: PathBuf,
        /// What is wrong, naming the column.
        reason: String,
    },
    /// The input file is text in none of the encodings read (UTF-8, UTF-16 with a byte
    /// order mark, GB18030/GBK), and none was named.
    #[error("the input file {} cannot be read: {reason}", path.display())]
    InputEncoding {
        /// The input file.
        path: PathBuf,
        /// What was tried, and the first line none of them decodes.
        reason: String,
    },
    /// The input file differs from the one the journal was created for.
    #[error(
        "the input file {} changed since the journal {} was created (sha256 {recorded} then, {current} now); \
         restore the original file, or start a new job with another --journal",
        input.display(),
        journal.display()
    )]
    InputChanged {
        /// The input file.
        input: PathBuf,
        /// The journal.
        journal: PathBuf,
        /// The hash recorded when the job was created.
        recorded: String,
        /// The hash of the file now.
        current: String,
    },
    /// The journal exists but was created for another job (kind or target).
    #[error("the journal {} belongs to another job: {reason}", journal.display())]
    JobMismatch {
        /// The journal.
        journal: PathBuf,
        /// What differs.
        reason: String,
    },
    /// The journal file could not be created, opened or protected.
    #[error("could not open the journal {}", path.display())]
    JournalFile {
        /// The journal.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// Another run holds the journal: two runs would send the same rows.
    #[error(
        "another run is using the journal {} (its lock {}.lock is held); wait for it to finish, \
         the lock is released when that run exits",
        journal.display(),
        journal.display()
    )]
    JournalBusy {
        /// The journal.
        journal: PathBuf,
    },
    /// The file is not a top-sync journal (or one with no job in it).
    #[error("{} is not a top-sync journal: {reason}", path.display())]
    NotAJournal {
        /// The file.
        path: PathBuf,
        /// What is missing.
        reason: String,
    },
    /// A journal operation failed.
    #[error("journal database error")]
    Database(#[from] rusqlite::Error),
    /// The API cannot be bulk-imported: not described, or without bulk settings.
    #[error("cannot import {method}: {reason}")]
    Description {
        /// The method.
        method: String,
        /// Why.
        reason: String,
    },
    /// A flag of a described job (a member set once per job) is unknown, missing, or
    /// breaks the member's rules.
    #[error("invalid option `{flag}`: {rule}")]
    Flag {
        /// The flag (`supplier-id`).
        flag: String,
        /// The rule it breaks, naming the member.
        rule: String,
    },
    /// An option has a value that cannot work.
    #[error("invalid option `{option}`: {rule}")]
    Options {
        /// The option.
        option: &'static str,
        /// The rule it breaks.
        rule: String,
    },
    /// A worker task ended abnormally.
    #[error("a sync worker ended abnormally")]
    Worker(#[source] tokio::task::JoinError),
    /// Writing a report (the failures file) failed.
    #[error("could not write {}", path.display())]
    Report {
        /// The report file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}
