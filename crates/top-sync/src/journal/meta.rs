//! The job row of a journal: what the job sends (its kind: `blacklist`, `tag`, `crm`, or a
//! described API's method name), the input and its hash, and the options fixed for the whole
//! job (the blacklist supplier and operation, the flags of a described job).
//!
//! The options are a JSON object: `supplier_id` and `operate` as the first blacklist jobs
//! wrote them, `flags` (flag name → value) for a described job, and `read` (how the input
//! is read: encoding, sheet, normalisation, strict columns, the columns ignored). A journal
//! written before described jobs or `read` existed reads as before.

use std::collections::BTreeMap;
use std::path::PathBuf;

use rusqlite::OptionalExtension;

use super::Journal;
use super::schema::SCHEMA_VERSION;
use crate::api::{BlacklistTarget, BulkKind, Operate};
use crate::error::SyncError;
use crate::input::{InputFormat, InputSettings};

/// What the journal knows about its job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobMeta {
    /// A random id; request ids derive from it.
    pub job_id: String,
    /// What the job sends.
    pub kind: BulkKind,
    /// The input file, as given when the job was created.
    pub input: PathBuf,
    /// SHA-256 of the input file, hex.
    pub input_sha256: String,
    /// How the input is read.
    pub format: InputFormat,
    /// Supplier and operation (blacklist jobs).
    pub target: Option<BlacklistTarget>,
    /// The flags of a described job (flag name → value, as given).
    pub flags: BTreeMap<String, String>,
    /// When the job was created (RFC 3339).
    pub created_at: String,
    /// Whether the whole input has been read into the journal.
    pub ingest_complete: bool,
    /// How the input is read (`None` in a journal written before this was recorded: bytes
    /// as UTF-8, mobiles as written).
    pub read: Option<InputSettings>,
}

impl JobMeta {
    /// The options column: the blacklist target as it was always written, and the flags.
    pub(crate) fn options_text(&self) -> String {
        let mut options = serde_json::json!({
            "supplier_id": self.target.as_ref().map(|t| t.supplier_id.clone()),
            "operate": self.target.as_ref().map(|t| t.operate.as_str()),
        });
        if let serde_json::Value::Object(map) = &mut options {
            if !self.flags.is_empty() {
                map.insert("flags".into(), serde_json::json!(self.flags));
            }
            if let Some(read) = &self.read {
                map.insert("read".into(), read.to_json());
            }
        }
        options.to_string()
    }

    /// How the input is read: the recorded settings, or those of a journal written before
    /// they were recorded.
    pub fn settings(&self) -> InputSettings {
        self.read.clone().unwrap_or_else(InputSettings::legacy)
    }

    /// The flags the job's calls are made with: a described job's own, or the blacklist
    /// target's (`supplier-id`, `operate`).
    pub fn effective_flags(&self) -> BTreeMap<String, String> {
        match &self.target {
            Some(target) if self.flags.is_empty() => target.flags(),
            _ => self.flags.clone(),
        }
    }
}

impl Journal {
    /// The job the journal belongs to.
    pub fn meta(&self) -> Result<JobMeta, SyncError> {
        let not_journal = |reason: String| SyncError::NotAJournal {
            path: self.path.clone(),
            reason,
        };
        let conn = self.conn();
        let row = conn
            .query_row(
                "SELECT schema_version, job_id, kind, input_path, input_sha256, input_format,
                        options, created_at, ingest_complete FROM job WHERE id = 1",
                [],
                |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, String>(6)?,
                        r.get::<_, String>(7)?,
                        r.get::<_, bool>(8)?,
                    ))
                },
            )
            .optional()
            .map_err(|e| not_journal(format!("it has no job table ({e})")))?
            .ok_or_else(|| not_journal("it holds no job".into()))?;
        let (version, job_id, kind, input, sha, format, options, created_at, complete) = row;
        if version != SCHEMA_VERSION {
            return Err(not_journal(format!(
                "schema version {version}, this build reads {SCHEMA_VERSION}"
            )));
        }
        let kind: BulkKind = kind.parse().map_err(|e| not_journal(format!("{e}")))?;
        let format: InputFormat = format.parse().map_err(|e| not_journal(format!("{e}")))?;
        let options: serde_json::Value = serde_json::from_str(&options)
            .map_err(|e| not_journal(format!("bad options ({e})")))?;
        let target = match (
            options.get("supplier_id").and_then(|v| v.as_str()),
            options.get("operate").and_then(|v| v.as_str()),
        ) {
            (Some(supplier), Some(operate)) => Some(BlacklistTarget::new(
                supplier,
                operate
                    .parse::<Operate>()
                    .map_err(|e| not_journal(format!("{e}")))?,
            )),
            _ => None,
        };
        let flags = match options.get("flags") {
            None | Some(serde_json::Value::Null) => BTreeMap::new(),
            Some(flags) => serde_json::from_value(flags.clone())
                .map_err(|e| not_journal(format!("bad flags ({e})")))?,
        };
        let read = match options.get("read") {
            None | Some(serde_json::Value::Null) => None,
            Some(read) => Some(
                InputSettings::from_json(read)
                    .map_err(|e| not_journal(format!("bad read settings ({e})")))?,
            ),
        };
        Ok(JobMeta {
            read,
            job_id,
            kind,
            input: PathBuf::from(input),
            input_sha256: sha,
            format,
            target,
            flags,
            created_at,
            ingest_complete: complete,
        })
    }

    /// Records that the whole input has been read.
    pub(crate) fn set_ingest_complete(&self) -> Result<(), SyncError> {
        self.conn()
            .execute("UPDATE job SET ingest_complete = 1 WHERE id = 1", [])?;
        Ok(())
    }
}
