//! Reading the input: the formats and encodings, the streaming CSV, JSON Lines and
//! workbook readers, the header check, mobile normalisation, the records they yield, and
//! how each record becomes a journal row.

mod cell;
mod csv;
mod decode;
mod detect;
mod encoding;
mod format;
mod header;
mod ingest;
mod jsonl;
mod mobile;
mod options;
mod preview;
mod reader;
mod record;
mod rows;
mod sheet;

pub use encoding::{TextEncoding, UnknownEncoding};
pub use format::{InputFormat, UnknownInputFormat};
pub use ingest::{CHUNK_ROWS, DryRunReport};
pub(crate) use ingest::{dry_run, ingest};
pub use mobile::normalize_mobile;
pub use options::{InputSettings, ReadOptions};
pub use preview::{InvalidPreview, PreviewRow};
pub use reader::RecordReader;
pub use record::{InvalidRow, Record};
pub(crate) use rows::invalid_failure;
