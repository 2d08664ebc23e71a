#![doc = include_str!("../README.md")]

mod api;
mod error;
mod input;
mod job;
mod journal;
mod report;
mod run;
mod spec;

pub use api::requests;
pub use api::{
    BlacklistTarget, BulkKind, BulkPlan, FlagMember, JobKind, Operate, UnknownBulkKind,
    UnknownJobKind, UnknownOperate, importable,
};
pub use error::SyncError;
pub use input::{
    CHUNK_ROWS, DryRunReport, InputFormat, InputSettings, InvalidPreview, InvalidRow, PreviewRow,
    ReadOptions, Record, RecordReader, TextEncoding, UnknownEncoding, UnknownInputFormat,
    normalize_mobile,
};
pub use job::{SyncJob, validate_input};
pub use journal::{
    BatchCounts, ErrorGroup, Failure, JobMeta, Journal, ProblemRow, RowState, sha256_file,
};
pub use report::{FailuresWriter, RunReport, StopReason, Summary, scrub_identifier, scrub_mobiles};
pub use run::{Progress, ProgressSnapshot, RunOptions, StopSignal};
pub use spec::{JobSpec, default_journal};
