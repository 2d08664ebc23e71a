//! A unit of work: one row (tag, CRM) or one batch of rows (blacklist), and how it is sent.

use top_core::{Error, TopClient, ValidationError};

use crate::journal::{JobMeta, StoredBatch, StoredRow, Target};
use crate::kind::JobKind;
use crate::record::Record;
use crate::{blacklist, crm, tag};

/// What one call sends.
#[derive(Debug, Clone)]
pub(crate) enum Unit {
    /// One row.
    Row(StoredRow),
    /// A blacklist batch with a fixed request id and request time.
    Batch(StoredBatch),
}

impl Unit {
    /// What journal updates apply to.
    pub(crate) fn target(&self) -> Target {
        match self {
            Unit::Row(r) => Target::Row(r.id),
            Unit::Batch(b) => Target::Batch(b.id),
        }
    }

    /// Rows the unit carries.
    pub(crate) fn rows(&self) -> u64 {
        match self {
            Unit::Row(_) => 1,
            Unit::Batch(b) => b.rows.len() as u64,
        }
    }

    /// Sends the unit once (top-core retries what is safe inside the call).
    pub(crate) async fn send(&self, meta: &JobMeta, client: &TopClient) -> Result<(), Error> {
        match (meta.kind, self) {
            (JobKind::Blacklist, Unit::Batch(batch)) => {
                let target = meta
                    .target
                    .as_ref()
                    .ok_or_else(|| ValidationError::required("supplier_id"))?;
                let records: Vec<Record> = batch
                    .rows
                    .iter()
                    .map(|r| Record::from_json(r.line, &r.payload))
                    .collect();
                let request = blacklist::request(
                    target,
                    batch.request_id.clone(),
                    batch.request_time_ms,
                    &records,
                )
                .map_err(|e| ValidationError::new(e.field, e.rule))?;
                client.execute(&request).await.map(drop)
            }
            (JobKind::Tag, Unit::Row(row)) => {
                let record = Record::from_json(row.line, &row.payload);
                client.execute(&tag::request(&record)).await.map(drop)
            }
            (JobKind::Crm, Unit::Row(row)) => {
                let record = Record::from_json(row.line, &row.payload);
                let id = row
                    .request_id
                    .clone()
                    .unwrap_or_else(|| crm::request_id(&record, &meta.job_id));
                let request = crm::request(&record, &id)
                    .map_err(|e| ValidationError::new(e.field, e.rule))?;
                client.execute(&request).await.map(drop)
            }
            (kind, _) => Err(ValidationError::new(
                "unit",
                format!("a {kind} job cannot send this unit"),
            )
            .into()),
        }
    }
}
