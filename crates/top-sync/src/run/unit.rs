//! A unit of work: one row, or one batch of rows (jobs whose API takes a list), and how it
//! is sent: its rows read back from the journal, built into the call by the job's plan with
//! the request id and send time fixed for it, checked, then sent.

use std::collections::BTreeMap;

use top_core::{Error, TopClient};

use crate::api::{BulkPlan, CallContext, build, entry_of, send};
use crate::input::Record;
use crate::journal::{StoredBatch, StoredRow, Target};

/// What every unit of a job is built with.
#[derive(Debug, Clone)]
pub(crate) struct UnitContext {
    /// The job's plan.
    pub plan: &'static BulkPlan,
    /// The kind's name, for messages.
    pub kind: String,
    /// The job's flags, checked.
    pub flags: BTreeMap<String, String>,
    /// Columns read but not sent.
    pub ignored: &'static [&'static str],
}

/// What one call sends.
#[derive(Debug, Clone)]
pub(crate) enum Unit {
    /// One row.
    Row(StoredRow),
    /// A batch with a fixed request id and request time.
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

    /// Sends the unit once (top-core retries what is safe inside the call). A call that
    /// cannot be built or breaks a rule of the description fails with a validation error:
    /// nothing is sent.
    pub(crate) async fn send(
        &self,
        context: &UnitContext,
        client: &TopClient,
    ) -> Result<(), Error> {
        let (rows, request_id, now): (&[StoredRow], Option<&str>, i64) = match self {
            Unit::Row(row) => (
                std::slice::from_ref(row),
                row.request_id.as_deref(),
                now_ms(),
            ),
            Unit::Batch(batch) => (
                &batch.rows,
                Some(batch.request_id.as_str()),
                batch.request_time_ms,
            ),
        };
        let mut entries = Vec::with_capacity(rows.len());
        for row in rows {
            let record = Record::from_json(row.line, &row.payload);
            let entry = entry_of(context.plan, &context.kind, &record, context.ignored)
                .map_err(|e| top_core::ValidationError::new(e.field, e.rule))?;
            entries.push(entry);
        }
        let call = build(
            context.plan,
            CallContext {
                flags: &context.flags,
                request_id,
                now_ms: now,
            },
            entries,
        )?;
        send(client, context.plan, call).await
    }
}

/// Milliseconds since the epoch, for a call's send time.
pub(crate) fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}
