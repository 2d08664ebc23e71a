//! `request_id` idempotency, for every API whose description names an idempotency key: keyed
//! by (app_key, method, the key's value); the same payload replays the first answer, a
//! different one is refused.
//!
//! Records live in a bounded window, as on real gateways: a record is forgotten once it is
//! older than the configured age, or once the configured count is exceeded, oldest first. A
//! resend after that is a fresh request. A record is small and of fixed size (96 bytes, about
//! 200 with the map's and the queue's slack), whatever the length of the ids: the key and the
//! payload are kept as digests and the answer as what varies in it, because an import of a
//! million rows makes a million records.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, VecDeque};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::codes::TopError;

/// SHA-256 of a request's canonical object parameter.
pub(crate) type PayloadHash = [u8; 32];

/// The window's bounds (validated by the builder: both at least 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct WindowConfig {
    /// A record this old (milliseconds of the sandbox clock) is forgotten.
    pub(crate) max_age_ms: i64,
    /// Most records kept at once, over all apps and methods.
    pub(crate) max_entries: usize,
}

impl Default for WindowConfig {
    fn default() -> Self {
        WindowConfig::new(
            crate::builder::DEFAULT_IDEMPOTENCY_WINDOW,
            crate::builder::DEFAULT_IDEMPOTENCY_MAX_ENTRIES,
        )
    }
}

impl WindowConfig {
    /// The bounds in the window's units (an age past `i64::MAX` ms is no age limit).
    pub(crate) fn new(max_age: std::time::Duration, max_entries: usize) -> Self {
        WindowConfig {
            max_age_ms: i64::try_from(max_age.as_millis()).unwrap_or(i64::MAX),
            max_entries,
        }
    }

    /// Whether a record made at `at_ms` is too old at `now_ms`.
    pub(crate) fn expired(&self, at_ms: i64, now_ms: i64) -> bool {
        now_ms.saturating_sub(at_ms) >= self.max_age_ms
    }
}

/// Who asked under which id: (app_key, method, request_id).
#[derive(Debug, Clone, Copy)]
pub(crate) struct IdemRequest<'a> {
    pub(crate) app_key: &'a str,
    pub(crate) method: &'a str,
    pub(crate) request_id: &'a str,
}

impl IdemRequest<'_> {
    /// The key the window files it under.
    pub(crate) fn key(&self) -> IdemKey {
        IdemKey::new(self.app_key, self.method, self.request_id)
    }
}

/// The first 16 bytes of the SHA-256 of (app_key, method, request_id): fixed-size and
/// heap-free whatever the id's length, so the map and the queue can both hold it cheaply.
/// Two distinct requests would share a key with odds of about 2^-90 in a full window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct IdemKey([u8; 16]);

impl IdemKey {
    /// The key of a request.
    pub(crate) fn new(app_key: &str, method: &str, request_id: &str) -> Self {
        let mut hasher = Sha256::new();
        // Lengths first, so that no two different triples hash the same bytes.
        for part in [app_key, method, request_id] {
            hasher.update((part.len() as u64).to_le_bytes());
            hasher.update(part.as_bytes());
        }
        let digest = hasher.finalize();
        let mut key = [0; 16];
        key.copy_from_slice(&digest[..16]);
        IdemKey(key)
    }
}

/// What a remembered request answered, reduced to what varies: the answer is rendered again
/// from it on a replay, by the method's slice or from its description. The names of the
/// first layout of the state file (one per API) are still read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Outcome {
    /// The answer does not vary (a blacklist sync, a customer update, a described answer).
    #[serde(alias = "blacklist_synced")]
    Same,
    /// The answer names the entity the call made by its number (a customer's id).
    #[serde(alias = "customer_created")]
    Numbered(u64),
}

/// The first answer and the payload it answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Record {
    payload: PayloadHash,
    outcome: Outcome,
}

/// A record's place in the window: insertion number (also its key in the state file) and
/// time.
#[derive(Debug, Clone, Copy)]
struct Slot {
    key: IdemKey,
    seq: u64,
    at_ms: i64,
}

/// A record as the state file keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StoredRecord {
    pub(crate) seq: u64,
    pub(crate) app_key: String,
    pub(crate) method: String,
    pub(crate) request_id: String,
    pub(crate) payload: PayloadHash,
    pub(crate) outcome: Outcome,
    pub(crate) at_ms: i64,
}

/// Where [`Window::remember`] put a record, and what it forgot to make room.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Remembered {
    /// The record's insertion number.
    pub(crate) seq: u64,
    /// Its insertion time (ms; never before the previous record's).
    pub(crate) at_ms: i64,
    /// The `seq` of the last record forgotten, if any (all before it went too).
    pub(crate) forgotten_through: Option<u64>,
}

/// What to do with a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lookup {
    /// Never seen, or forgotten: apply it.
    Fresh,
    /// Seen with the same payload: answer this again, apply nothing.
    Replay(Outcome),
}

/// The remembered requests: a map for lookups and a queue of keys in insertion order for
/// eviction. Insertion times never decrease along the queue (a clock going back is clamped),
/// so the expired records are always at its front.
#[derive(Debug, Default)]
pub(crate) struct Window {
    config: WindowConfig,
    records: HashMap<IdemKey, Record>,
    order: VecDeque<Slot>,
    next_seq: u64,
}

impl Window {
    /// An empty window with these bounds.
    pub(crate) fn new(config: WindowConfig) -> Self {
        Window {
            config,
            ..Window::default()
        }
    }

    /// The bounds.
    pub(crate) fn config(&self) -> WindowConfig {
        self.config
    }

    /// Records still inside the window at `now_ms` (the expired ones are at the queue's
    /// front until the next lookup forgets them).
    pub(crate) fn live(&self, now_ms: i64) -> usize {
        let expired = self
            .order
            .partition_point(|slot| self.config.expired(slot.at_ms, now_ms));
        self.records.len().saturating_sub(expired)
    }

    /// Forgets the records too old at `now_ms`; returns the `seq` of the last one forgotten.
    pub(crate) fn expire(&mut self, now_ms: i64) -> Option<u64> {
        let mut through = None;
        while let Some(front) = self.order.front()
            && self.config.expired(front.at_ms, now_ms)
        {
            through = self.pop_oldest();
        }
        through
    }

    /// Looks a request up; a remembered id with another payload is an error. Call
    /// [`Window::expire`] first.
    pub(crate) fn lookup(&self, key: &IdemKey, payload: &PayloadHash) -> Result<Lookup, TopError> {
        match self.records.get(key) {
            None => Ok(Lookup::Fresh),
            Some(record) if record.payload == *payload => Ok(Lookup::Replay(record.outcome)),
            Some(_) => Err(TopError::invalid_parameter(
                "request_id",
                Some("request_id reused with a different payload"),
            )),
        }
    }

    /// Remembers a first answer at `now_ms`, then forgets the oldest records past the count.
    /// `None` when the key is already remembered (the first answer stays).
    pub(crate) fn remember(
        &mut self,
        key: IdemKey,
        payload: PayloadHash,
        outcome: Outcome,
        now_ms: i64,
    ) -> Option<Remembered> {
        let at_ms = self
            .order
            .back()
            .map_or(now_ms, |last| last.at_ms.max(now_ms));
        let seq = self.next_seq;
        self.insert(key, Record { payload, outcome }, seq, at_ms)?;
        let mut forgotten_through = None;
        while self.records.len() > self.config.max_entries {
            forgotten_through = self.pop_oldest();
        }
        Some(Remembered {
            seq,
            at_ms,
            forgotten_through,
        })
    }

    /// Puts back a record read from the state file (in `seq` order; the store applies the
    /// bounds when it selects them).
    pub(crate) fn restore(&mut self, stored: &StoredRecord) {
        let key = IdemKey::new(&stored.app_key, &stored.method, &stored.request_id);
        let at_ms = self
            .order
            .back()
            .map_or(stored.at_ms, |last| last.at_ms.max(stored.at_ms));
        let record = Record {
            payload: stored.payload,
            outcome: stored.outcome,
        };
        let _ = self.insert(key, record, stored.seq, at_ms);
    }

    fn insert(&mut self, key: IdemKey, record: Record, seq: u64, at_ms: i64) -> Option<()> {
        match self.records.entry(key) {
            Entry::Occupied(_) => None,
            Entry::Vacant(vacant) => {
                vacant.insert(record);
                self.order.push_back(Slot { key, seq, at_ms });
                self.next_seq = self.next_seq.max(seq.saturating_add(1));
                Some(())
            }
        }
    }

    fn pop_oldest(&mut self) -> Option<u64> {
        let slot = self.order.pop_front()?;
        self.records.remove(&slot.key);
        Some(slot.seq)
    }
}

/// SHA-256 of the canonical JSON of an object parameter (keys sorted at every level),
/// leaving out the members in `ignore` (such as a send time).
pub(crate) fn payload_hash(object: &Map<String, Value>, ignore: &[&str]) -> PayloadHash {
    let mut text = String::with_capacity(256);
    let mut keys: Vec<&String> = object
        .keys()
        .filter(|k| !ignore.contains(&k.as_str()))
        .collect();
    keys.sort();
    text.push('{');
    for (i, k) in keys.into_iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        canonical(&Value::String(k.clone()), &mut text);
        text.push(':');
        if let Some(v) = object.get(k) {
            canonical(v, &mut text);
        }
    }
    text.push('}');
    Sha256::digest(text.as_bytes()).into()
}

fn canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical(&Value::String(k.clone()), out);
                out.push(':');
                if let Some(v) = map.get(k) {
                    canonical(v, out);
                }
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                canonical(v, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        match v {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    #[test]
    fn order_does_not_matter_content_does() {
        let a = obj(json!({"a":1,"b":{"y":[1,{"q":1,"p":2}],"x":"中"},"t":5}));
        let b = obj(json!({"b":{"x":"中","y":[1,{"p":2,"q":1}]},"a":1,"t":6}));
        assert_eq!(payload_hash(&a, &["t"]), payload_hash(&b, &["t"]));
        assert_ne!(payload_hash(&a, &[]), payload_hash(&b, &[]));
        let c = obj(json!({"a":"1","b":{"x":"中","y":[1,{"p":2,"q":1}]}}));
        assert_ne!(payload_hash(&a, &["t"]), payload_hash(&c, &["t"]));
    }

    #[test]
    fn keys_tell_apps_methods_and_ids_apart() {
        let key = |app, method, id| IdemKey::new(app, method, id);
        let base = key("a", "x.y.sync", "1");
        assert_eq!(base, key("a", "x.y.sync", "1"));
        assert_ne!(base, key("b", "x.y.sync", "1"));
        assert_ne!(base, key("a", "x.y.create", "1"));
        assert_ne!(base, key("a", "x.y.sync", "2"));
        // Part boundaries count: ("ab", "c") is not ("a", "bc").
        assert_ne!(key("ab", "m", "c"), key("a", "m", "bc"));
        assert_ne!(key("a", "mc", ""), key("a", "m", "c"));
    }

    fn key(id: &str) -> IdemKey {
        IdemKey::new("app", "x.y.sync", id)
    }

    fn hash(n: u8) -> PayloadHash {
        [n; 32]
    }

    /// The lookup of `id` with payload `n`: `Ok(None)` fresh, `Ok(Some)` replay, `Err(code)`.
    fn seen(w: &Window, id: &str, n: u8) -> Result<Option<Outcome>, u32> {
        match w.lookup(&key(id), &hash(n)) {
            Ok(Lookup::Fresh) => Ok(None),
            Ok(Lookup::Replay(outcome)) => Ok(Some(outcome)),
            Err(e) => Err(e.code),
        }
    }

    #[test]
    fn count_and_age_bound_the_window_oldest_first() {
        let mut w = Window::new(WindowConfig {
            max_age_ms: 1_000,
            max_entries: 2,
        });
        for (i, id) in ["a", "b", "c"].into_iter().enumerate() {
            let done = w.remember(key(id), hash(1), Outcome::Same, 0).unwrap();
            assert_eq!(done.seq, i as u64);
            assert_eq!(done.forgotten_through, (i == 2).then_some(0));
        }
        assert_eq!(seen(&w, "a", 1), Ok(None));
        assert_eq!(seen(&w, "b", 1), Ok(Some(Outcome::Same)));
        assert_eq!(seen(&w, "b", 2), Err(50));
        // The first answer stays.
        assert_eq!(w.remember(key("b"), hash(2), Outcome::Same, 0), None);
        // Later records keep a later time even if the clock went back.
        let done = w.remember(key("d"), hash(1), Outcome::Same, 500).unwrap();
        assert_eq!((done.at_ms, done.forgotten_through), (500, Some(1)));
        let done = w.remember(key("e"), hash(1), Outcome::Same, 100).unwrap();
        assert_eq!(done.at_ms, 500);
        assert_eq!(w.live(999), 2);
        assert_eq!(w.expire(999), None);
        assert_eq!(w.live(1_500), 0);
        assert_eq!(w.expire(1_500), Some(4));
        assert_eq!(seen(&w, "e", 1), Ok(None));
        assert!(w.records.is_empty() && w.order.is_empty());
    }

    #[test]
    fn no_age_limit_past_i64() {
        let config = WindowConfig::new(std::time::Duration::MAX, 1);
        assert!(!config.expired(0, 4_000_000_000_000));
        assert!(WindowConfig::new(std::time::Duration::from_secs(1), 1).expired(0, 1_000));
    }

    #[test]
    fn outcomes_read_both_layouts() {
        for (text, outcome) in [
            (r#""same""#, Outcome::Same),
            (r#""blacklist_synced""#, Outcome::Same),
            (r#"{"numbered":7}"#, Outcome::Numbered(7)),
            (r#"{"customer_created":7}"#, Outcome::Numbered(7)),
        ] {
            assert_eq!(
                serde_json::from_str::<Outcome>(text).unwrap(),
                outcome,
                "{text}"
            );
        }
        assert_eq!(
            serde_json::to_string(&Outcome::Numbered(7)).unwrap(),
            r#"{"numbered":7}"#
        );
    }

    #[test]
    fn a_record_is_small() {
        // What the map and the queue hold per record (before the map's slack).
        assert_eq!(size_of::<(IdemKey, Record)>(), 64);
        assert_eq!(size_of::<Slot>(), 32);
    }
}
