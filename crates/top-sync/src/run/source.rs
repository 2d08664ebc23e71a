//! The pending rows of a journal, paged in id (= line) order, so a dispatcher claims work
//! a little at a time whatever the size of the job.

use std::collections::VecDeque;

use crate::error::SyncError;
use crate::journal::{Journal, StoredRow};

/// Pending rows read per page.
const PAGE: usize = 1_000;

/// Pages through pending rows in id order.
#[derive(Debug, Default)]
pub(crate) struct PendingSource {
    after: i64,
    buffer: VecDeque<StoredRow>,
    exhausted: bool,
}

impl PendingSource {
    /// Up to `n` rows (fewer only at the end).
    pub(crate) fn take(
        &mut self,
        journal: &Journal,
        n: usize,
    ) -> Result<Vec<StoredRow>, SyncError> {
        while self.buffer.len() < n && !self.exhausted {
            let page = journal.pending_page(self.after, PAGE.max(n))?;
            if page.len() < PAGE.max(n) {
                self.exhausted = true;
            }
            if let Some(last) = page.last() {
                self.after = last.id;
            }
            self.buffer.extend(page);
        }
        let n = n.min(self.buffer.len());
        Ok(self.buffer.drain(..n).collect())
    }
}
