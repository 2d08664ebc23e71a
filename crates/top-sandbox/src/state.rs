//! The sandbox state in memory, and the one way to change it: a [`Tx`] that records each
//! change so the SQLite store (when configured) mirrors it in the same step.
//!
//! What is kept for every method (call counts, idempotency records) is keyed by the method's
//! name, so any described API is counted and replayed; what is kept per API lives in the
//! state types of the hand-written slices (`crate::apis`).

use std::collections::BTreeMap;
use std::fmt;

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

use crate::apis::{SLICES, blacklist, crm, damai, retail_tag};
use crate::codes::TopError;
use crate::idempotency::{
    IdemRequest, Lookup, Outcome, PayloadHash, StoredRecord, Window, WindowConfig,
};
use crate::snapshot::StateSnapshot;
use crate::store::Store;

/// Which count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub(crate) enum Counter {
    /// Business calls received.
    Calls,
    /// State changes applied.
    Applied,
    /// Idempotent replays.
    Replays,
}

impl Counter {
    pub(crate) const ALL: [Counter; 3] = [Counter::Calls, Counter::Applied, Counter::Replays];

    /// The stored name.
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Counter::Calls => "calls",
            Counter::Applied => "applied",
            Counter::Replays => "replays",
        }
    }
}

/// The counts of one method, by [`Counter`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Counts([u64; 3]);

impl Counts {
    /// One count.
    pub(crate) fn get(&self, counter: Counter) -> u64 {
        self.0[counter as usize]
    }

    /// Sets one count (loading).
    pub(crate) fn set(&mut self, counter: Counter, n: u64) {
        self.0[counter as usize] = n;
    }

    fn bump(&mut self, counter: Counter) {
        let n = &mut self.0[counter as usize];
        *n = n.saturating_add(1);
    }
}

/// Everything the sandbox knows.
#[derive(Debug, Default)]
pub(crate) struct Data {
    /// The blacklists (blacklist sync).
    pub(crate) blacklist: blacklist::Lists,
    /// Taggings and known accounts (retail tag).
    pub(crate) retail: retail_tag::Retail,
    /// Members and SMS codes (Damai).
    pub(crate) damai: damai::Members,
    /// Customers (customer.create and customer.update).
    pub(crate) crm: crm::Customers,
    /// Counts per method name.
    pub(crate) counters: BTreeMap<String, Counts>,
    /// Remembered `request_id`s, bounded by age and count.
    pub(crate) idempotency: Window,
}

impl Data {
    /// Empty data whose idempotency window has these bounds.
    pub(crate) fn with_window(config: WindowConfig) -> Self {
        Data {
            idempotency: Window::new(config),
            ..Data::default()
        }
    }

    /// The public view at `now` (which idempotency records are still inside the window).
    pub(crate) fn snapshot(&self, now: DateTime<Utc>) -> StateSnapshot {
        let count = |counter: Counter| -> BTreeMap<String, u64> {
            self.counters
                .iter()
                .filter_map(|(method, counts)| {
                    let n = counts.get(counter);
                    (n > 0).then(|| (method.clone(), n))
                })
                .collect()
        };
        let mut snapshot = StateSnapshot {
            calls: count(Counter::Calls),
            applied: count(Counter::Applied),
            replays: count(Counter::Replays),
            idempotency_records: u64::try_from(self.idempotency.live(now.timestamp_millis()))
                .unwrap_or(u64::MAX),
            ..StateSnapshot::default()
        };
        for slice in SLICES {
            slice.snapshot(self, &mut snapshot);
        }
        snapshot
    }
}

/// A change of a slice's state, written to the state file by the slice's own code.
pub(crate) trait SliceChange: fmt::Debug + Send {
    /// Writes the change (inside the store's transaction).
    fn persist(&self, conn: &Connection) -> rusqlite::Result<()>;
}

/// A change, as the store writes it.
#[derive(Debug)]
pub(crate) enum Change {
    /// A change of a slice's state.
    Slice(Box<dyn SliceChange>),
    /// One more of a count of a method.
    Count(Counter, String),
    /// A first answer remembered (boxed: far larger than the other changes).
    IdempotencyPut(Box<StoredRecord>),
    /// Records forgotten: every one up to this `seq`.
    IdempotencyForget(u64),
    /// Everything forgotten.
    Reset,
}

/// The state behind the sandbox's one lock: data, the optional store, and the generator of
/// ids and codes (seeded, so a seeded run is reproducible).
#[derive(Debug)]
pub(crate) struct State {
    pub(crate) data: Data,
    store: Option<Store>,
    rng: fastrand::Rng,
}

impl State {
    /// A state over loaded data.
    pub(crate) fn new(data: Data, store: Option<Store>, seed: u64) -> Self {
        State {
            data,
            store,
            rng: fastrand::Rng::with_seed(seed),
        }
    }

    /// Runs `f` over a transaction, then persists what it changed.
    pub(crate) fn transact<R>(
        &mut self,
        now: DateTime<Utc>,
        f: impl FnOnce(&mut Tx<'_>) -> R,
    ) -> R {
        let record = self.store.is_some();
        let mut tx = Tx {
            data: &mut self.data,
            rng: &mut self.rng,
            now,
            changes: Vec::new(),
            record,
        };
        let out = f(&mut tx);
        let changes = tx.changes;
        if let Some(store) = &mut self.store
            && !changes.is_empty()
            && let Err(error) = store.persist(&changes)
        {
            tracing::error!(%error, "sandbox state file could not be written; memory and file now differ");
        }
        out
    }
}

/// A set of changes under the lock.
pub(crate) struct Tx<'a> {
    pub(crate) data: &'a mut Data,
    pub(crate) rng: &'a mut fastrand::Rng,
    pub(crate) now: DateTime<Utc>,
    changes: Vec<Change>,
    record: bool,
}

impl Tx<'_> {
    fn push(&mut self, change: impl FnOnce() -> Change) {
        if self.record {
            self.changes.push(change());
        }
    }

    /// Records a slice's change for the state file (built only when there is one).
    pub(crate) fn record<C: SliceChange + 'static>(&mut self, change: impl FnOnce() -> C) {
        self.push(|| Change::Slice(Box::new(change())));
    }

    /// Counts one event for a method.
    pub(crate) fn count(&mut self, counter: Counter, method: &str) {
        match self.data.counters.get_mut(method) {
            Some(counts) => counts.bump(counter),
            None => {
                let mut counts = Counts::default();
                counts.bump(counter);
                self.data.counters.insert(method.to_owned(), counts);
            }
        }
        self.push(|| Change::Count(counter, method.to_owned()));
    }

    /// The outcome to replay when `request` is remembered with this payload (forgetting the
    /// records that aged out first); `None` for a fresh request; an error when the id was
    /// used with another payload.
    pub(crate) fn replay(
        &mut self,
        request: &IdemRequest<'_>,
        payload: &PayloadHash,
    ) -> Result<Option<Outcome>, TopError> {
        let now_ms = self.now.timestamp_millis();
        if let Some(through) = self.data.idempotency.expire(now_ms) {
            self.push(|| Change::IdempotencyForget(through));
        }
        Ok(
            match self.data.idempotency.lookup(&request.key(), payload)? {
                Lookup::Replay(outcome) => Some(outcome),
                Lookup::Fresh => None,
            },
        )
    }

    /// Remembers the first answer of an idempotent request (forgetting the oldest records
    /// past the window's count).
    pub(crate) fn remember(
        &mut self,
        request: &IdemRequest<'_>,
        payload: PayloadHash,
        outcome: Outcome,
    ) {
        let now_ms = self.now.timestamp_millis();
        let Some(done) = self
            .data
            .idempotency
            .remember(request.key(), payload, outcome, now_ms)
        else {
            return;
        };
        self.push(|| {
            Change::IdempotencyPut(Box::new(StoredRecord {
                seq: done.seq,
                app_key: request.app_key.to_owned(),
                method: request.method.to_owned(),
                request_id: request.request_id.to_owned(),
                payload,
                outcome,
                at_ms: done.at_ms,
            }))
        });
        if let Some(through) = done.forgotten_through {
            self.push(|| Change::IdempotencyForget(through));
        }
    }

    /// Forgets everything (configuration stays).
    pub(crate) fn reset(&mut self) {
        *self.data = Data::with_window(self.data.idempotency.config());
        self.changes.clear();
        self.push(|| Change::Reset);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tx_changes_and_snapshot() {
        let mut state = State::new(Data::default(), None, 1);
        let now = Utc::now();
        state.transact(now, |tx| {
            tx.count(Counter::Calls, blacklist::METHOD);
            tx.count(Counter::Calls, "taobao.any.described.api");
            blacklist::put(tx, "s", "13122222222", vec![2]);
            blacklist::put(tx, "s", "13111111111", vec![1, 2]);
            blacklist::delete(tx, "s", "13122222222");
            blacklist::delete(tx, "none", "13122222222");
        });
        let snap = state.data.snapshot(now);
        assert_eq!(snap.blacklist_of("s").len(), 1);
        assert_eq!(snap.calls_to(blacklist::METHOD), 1);
        assert_eq!(snap.calls_to("taobao.any.described.api"), 1);
        assert!(snap.applied.is_empty());
        state.transact(now, |tx| {
            blacklist::delete(tx, "s", "13111111111");
        });
        assert!(state.data.snapshot(now).blacklist.is_empty());
        state.transact(now, |tx| tx.reset());
        assert_eq!(state.data.snapshot(now), StateSnapshot::default());
    }
}
