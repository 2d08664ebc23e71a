//! Reading the input: the formats, the streaming CSV and JSON Lines readers, the header
//! check, the records they yield, and how each record becomes a journal row.

mod csv;
mod format;
mod header;
mod ingest;
mod jsonl;
mod reader;
mod record;
mod rows;

pub use format::{InputFormat, UnknownInputFormat};
pub use ingest::{CHUNK_ROWS, DryRunReport};
pub(crate) use ingest::{dry_run, ingest};
pub use reader::RecordReader;
pub use record::{InvalidRow, Record};
pub(crate) use rows::invalid_failure;
