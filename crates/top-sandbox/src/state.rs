//! The sandbox state in memory, and the one way to change it: a [`Tx`] that records each
//! change so the SQLite store (when configured) mirrors it in the same step.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::apis::Api;
use crate::codes::TopError;
use crate::idempotency::{
    IdemRequest, Lookup, Outcome, PayloadHash, StoredRecord, Window, WindowConfig,
};
use crate::reply::Fields;
use crate::snapshot::{BlacklistEntry, CustomerRecord, MemberRecord, StateSnapshot, TagRecord};
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

/// A kind of retail account registered through `POST /sandbox/accounts`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub(crate) enum AccountKind {
    IsvUserId,
    OpenId,
}

impl AccountKind {
    /// The stored name (the parameter name).
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            AccountKind::IsvUserId => "isv_user_id",
            AccountKind::OpenId => "open_id",
        }
    }

    /// The kind of a stored name.
    pub(crate) fn parse(name: &str) -> Option<Self> {
        match name {
            "isv_user_id" => Some(AccountKind::IsvUserId),
            "open_id" => Some(AccountKind::OpenId),
            _ => None,
        }
    }
}

/// A Damai member with what is never shown (token, password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Member {
    pub(crate) user_phone: String,
    pub(crate) user_id: String,
    pub(crate) user_name: String,
    pub(crate) user_token: String,
    pub(crate) user_icon: String,
    /// SHA-256 of the password, hex.
    pub(crate) password_sha256: String,
}

/// An issued SMS code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct AuthCode {
    pub(crate) code: String,
    pub(crate) expires_at_ms: i64,
}

/// Everything the sandbox knows.
#[derive(Debug, Default)]
pub(crate) struct Data {
    /// supplier_id → mobile → reasons.
    pub(crate) blacklist: BTreeMap<String, BTreeMap<String, Vec<u8>>>,
    pub(crate) tags: Vec<TagRecord>,
    pub(crate) members: Vec<Member>,
    pub(crate) member_by_phone: HashMap<String, usize>,
    pub(crate) customers: Vec<CustomerRecord>,
    pub(crate) customer_by_outer: HashMap<(String, String), usize>,
    /// `[counter][api]`.
    pub(crate) counters: [[u64; 4]; 3],
    /// Remembered `request_id`s, bounded by age and count.
    pub(crate) idempotency: Window,
    /// (kind, id) → nick.
    pub(crate) accounts: HashMap<(AccountKind, String), String>,
    /// (phone, code_type) → code.
    pub(crate) auth_codes: HashMap<(String, u8), AuthCode>,
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
            Api::ALL
                .into_iter()
                .filter_map(|api| {
                    let n = self.counters[counter as usize][api.index()];
                    (n > 0).then(|| (api.method().to_owned(), n))
                })
                .collect()
        };
        StateSnapshot {
            blacklist: self
                .blacklist
                .iter()
                .filter(|(_, entries)| !entries.is_empty())
                .map(|(supplier, entries)| {
                    let list = entries
                        .iter()
                        .map(|(mobile, reasons)| BlacklistEntry {
                            mobile: mobile.clone(),
                            reasons: reasons.clone(),
                        })
                        .collect();
                    (supplier.clone(), list)
                })
                .collect(),
            tags: self.tags.clone(),
            damai_members: self
                .members
                .iter()
                .map(|m| MemberRecord {
                    user_phone: m.user_phone.clone(),
                    user_id: m.user_id.clone(),
                    user_name: m.user_name.clone(),
                })
                .collect(),
            crm_customers: self.customers.clone(),
            calls: count(Counter::Calls),
            applied: count(Counter::Applied),
            replays: count(Counter::Replays),
            idempotency_records: u64::try_from(self.idempotency.live(now.timestamp_millis()))
                .unwrap_or(u64::MAX),
        }
    }

    /// Adds or replaces a member (by phone).
    pub(crate) fn upsert_member(&mut self, member: Member) {
        match self.member_by_phone.get(&member.user_phone) {
            Some(&at) => {
                if let Some(slot) = self.members.get_mut(at) {
                    *slot = member;
                }
            }
            None => {
                self.member_by_phone
                    .insert(member.user_phone.clone(), self.members.len());
                self.members.push(member);
            }
        }
    }

    /// Adds a customer (the caller checked uniqueness).
    pub(crate) fn push_customer(&mut self, customer: CustomerRecord) {
        self.customer_by_outer.insert(
            (customer.outer_type.clone(), customer.outer_id.clone()),
            self.customers.len(),
        );
        self.customers.push(customer);
    }
}

/// A change, as the store writes it.
#[derive(Debug, Clone)]
pub(crate) enum Change {
    BlacklistPut {
        supplier: String,
        mobile: String,
        reasons: Vec<u8>,
    },
    BlacklistDelete {
        supplier: String,
        mobile: String,
    },
    Tag(TagRecord),
    Member(Member),
    Customer(Box<CustomerRecord>),
    Count(Counter, Api),
    /// A first answer remembered (boxed: far larger than the other changes).
    IdempotencyPut(Box<StoredRecord>),
    /// Records forgotten: every one up to this `seq`.
    IdempotencyForget(u64),
    Account(AccountKind, String, String),
    AuthCodePut(String, u8, AuthCode),
    AuthCodeDelete(String, u8),
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
    fn record(&mut self, change: impl FnOnce() -> Change) {
        if self.record {
            self.changes.push(change());
        }
    }

    /// Counts one event for a method.
    pub(crate) fn count(&mut self, counter: Counter, api: Api) {
        self.data.counters[counter as usize][api.index()] += 1;
        self.record(|| Change::Count(counter, api));
    }

    /// Adds or updates a blacklisted mobile.
    pub(crate) fn blacklist_put(&mut self, supplier: &str, mobile: &str, reasons: Vec<u8>) {
        let entries = self.data.blacklist.entry(supplier.to_owned()).or_default();
        if self.record {
            self.changes.push(Change::BlacklistPut {
                supplier: supplier.to_owned(),
                mobile: mobile.to_owned(),
                reasons: reasons.clone(),
            });
        }
        entries.insert(mobile.to_owned(), reasons);
    }

    /// Removes a blacklisted mobile (nothing when absent).
    pub(crate) fn blacklist_delete(&mut self, supplier: &str, mobile: &str) {
        if let Some(entries) = self.data.blacklist.get_mut(supplier) {
            entries.remove(mobile);
            if entries.is_empty() {
                self.data.blacklist.remove(supplier);
            }
        }
        self.record(|| Change::BlacklistDelete {
            supplier: supplier.to_owned(),
            mobile: mobile.to_owned(),
        });
    }

    /// Appends a tagging.
    pub(crate) fn push_tag(&mut self, tag: TagRecord) {
        if self.record {
            self.changes.push(Change::Tag(tag.clone()));
        }
        self.data.tags.push(tag);
    }

    /// Adds or replaces a member.
    pub(crate) fn upsert_member(&mut self, member: Member) {
        if self.record {
            self.changes.push(Change::Member(member.clone()));
        }
        self.data.upsert_member(member);
    }

    /// Adds a customer.
    pub(crate) fn push_customer(&mut self, customer: CustomerRecord) {
        if self.record {
            self.changes
                .push(Change::Customer(Box::new(customer.clone())));
        }
        self.data.push_customer(customer);
    }

    /// The first answer to replay when `request` is remembered with this payload (forgetting
    /// the records that aged out first); `None` for a fresh request; an error when the id was
    /// used with another payload.
    pub(crate) fn replay(
        &mut self,
        request: &IdemRequest<'_>,
        payload: &PayloadHash,
    ) -> Result<Option<Fields>, TopError> {
        let now_ms = self.now.timestamp_millis();
        if let Some(through) = self.data.idempotency.expire(now_ms) {
            self.record(|| Change::IdempotencyForget(through));
        }
        Ok(
            match self.data.idempotency.lookup(&request.key(), payload)? {
                Lookup::Replay(outcome) => Some(outcome.answer()),
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
        self.record(|| {
            Change::IdempotencyPut(Box::new(StoredRecord {
                seq: done.seq,
                app_key: request.app_key.to_owned(),
                api: request.api,
                request_id: request.request_id.to_owned(),
                payload,
                outcome,
                at_ms: done.at_ms,
            }))
        });
        if let Some(through) = done.forgotten_through {
            self.record(|| Change::IdempotencyForget(through));
        }
    }

    /// Registers a retail account.
    pub(crate) fn add_account(&mut self, kind: AccountKind, id: &str, nick: &str) {
        self.data
            .accounts
            .insert((kind, id.to_owned()), nick.to_owned());
        self.record(|| Change::Account(kind, id.to_owned(), nick.to_owned()));
    }

    /// Stores an issued SMS code (replacing an earlier one for the same phone and type).
    pub(crate) fn put_auth_code(&mut self, phone: &str, code_type: u8, code: AuthCode) {
        if self.record {
            self.changes.push(Change::AuthCodePut(
                phone.to_owned(),
                code_type,
                code.clone(),
            ));
        }
        self.data
            .auth_codes
            .insert((phone.to_owned(), code_type), code);
    }

    /// Forgets an SMS code (used or expired).
    pub(crate) fn remove_auth_code(&mut self, phone: &str, code_type: u8) {
        self.data.auth_codes.remove(&(phone.to_owned(), code_type));
        self.record(|| Change::AuthCodeDelete(phone.to_owned(), code_type));
    }

    /// Forgets everything (configuration stays).
    pub(crate) fn reset(&mut self) {
        *self.data = Data::with_window(self.data.idempotency.config());
        self.changes.clear();
        self.record(|| Change::Reset);
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
            tx.count(Counter::Calls, Api::Blacklist);
            tx.blacklist_put("s", "13122222222", vec![2]);
            tx.blacklist_put("s", "13111111111", vec![1, 2]);
            tx.blacklist_delete("s", "13122222222");
            tx.blacklist_delete("none", "13122222222");
        });
        let snap = state.data.snapshot(now);
        assert_eq!(snap.blacklist_of("s").len(), 1);
        assert_eq!(snap.calls_to(Api::Blacklist.method()), 1);
        assert!(snap.applied.is_empty());
        state.transact(now, |tx| {
            tx.blacklist_delete("s", "13111111111");
        });
        assert!(state.data.snapshot(now).blacklist.is_empty());
        state.transact(now, |tx| tx.reset());
        assert_eq!(state.data.snapshot(now), StateSnapshot::default());
    }
}
