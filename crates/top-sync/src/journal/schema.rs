//! The journal's SQLite schema.
//!
//! * `job`: one row: the job id (from which request ids derive), the kind, the input file
//!   and its SHA-256, the format, the options (supplier, operation) and whether the input
//!   was read to the end.
//! * `rows`: one per input record: line number, payload (the record's fields as JSON, full
//!   values as sent: needed to resend), `label` (the identifying value as the file had it,
//!   masked), state, attempts, stable `request_id`, batch id, last `code`/`sub_code`/`message`
//!   (mobiles masked), and `source` (the values the file had for the columns normalising
//!   changed, JSON; added to older journals when they are opened).
//! * `batches`: one per blacklist call: its `request_id` and `request_time_ms` (fixed before
//!   the first send, so a resend is byte-identical and the gateway replays it), state,
//!   attempts, row count and last error.

/// Bumped when the schema changes; a journal of another version is refused.
pub(crate) const SCHEMA_VERSION: i64 = 1;

/// The tables and indexes.
pub(crate) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS job (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    schema_version  INTEGER NOT NULL,
    job_id          TEXT NOT NULL,
    kind            TEXT NOT NULL,
    input_path      TEXT NOT NULL,
    input_sha256    TEXT NOT NULL,
    input_format    TEXT NOT NULL,
    options         TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    ingest_complete INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS batches (
    id              INTEGER PRIMARY KEY,
    request_id      TEXT NOT NULL UNIQUE,
    request_time_ms INTEGER NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('in_flight', 'done', 'failed', 'superseded')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    size            INTEGER NOT NULL,
    code            TEXT,
    sub_code        TEXT,
    message         TEXT,
    updated_at      TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS rows (
    id          INTEGER PRIMARY KEY,
    line        INTEGER NOT NULL UNIQUE,
    payload     TEXT NOT NULL,
    label       TEXT,
    state       TEXT NOT NULL
                CHECK (state IN ('pending', 'in_flight', 'done', 'failed', 'invalid', 'unknown')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    request_id  TEXT,
    batch_id    INTEGER REFERENCES batches (id),
    code        TEXT,
    sub_code    TEXT,
    message     TEXT,
    updated_at  TEXT,
    source      TEXT
);
CREATE INDEX IF NOT EXISTS rows_by_state ON rows (state, id);
CREATE INDEX IF NOT EXISTS rows_by_batch ON rows (batch_id);
";

/// Brings a journal written before the `source` column existed up to date (the column is
/// added, empty: such a journal normalised nothing).
pub(crate) fn migrate(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    let has_source: bool = conn.query_row(
        "SELECT COUNT(*) > 0 FROM pragma_table_info('rows') WHERE name = 'source'",
        [],
        |r| r.get(0),
    )?;
    if !has_source {
        conn.execute_batch("ALTER TABLE rows ADD COLUMN source TEXT")?;
    }
    Ok(())
}
