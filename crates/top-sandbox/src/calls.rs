//! The call log: the last gateway calls (a bounded ring, newest first), each with its
//! outcome, latency, parameters (secrets hidden, mobiles masked) and the sandbox's
//! explanation. Served at `GET /sandbox/calls` and on the page; `POST /sandbox/reset` clears
//! it.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use top_core::Params;
use top_core::time::in_gmt8;
use top_model::Description;

use crate::codes::TopError;
use crate::redact;

/// Default number of calls the log keeps (see [`crate::SandboxBuilder::call_log_capacity`]).
pub const DEFAULT_CALL_LOG_CAPACITY: usize = 500;

/// Longest parameter value kept in the log, in characters (a blacklist of 500 entries is cut).
const MAX_LOGGED_VALUE: usize = 4096;

/// Longest method name or app key kept (they come from callers).
const MAX_LOGGED_NAME: usize = 128;

/// How a call ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CallOutcome {
    /// A success envelope.
    Success,
    /// A success envelope reporting a failure by the description's business-failure rule
    /// (`biz_success=false`, `result.success=false`...).
    BusinessFailure,
    /// An `error_response`.
    Error,
    /// An injected fault without an `error_response` (HTTP 502, or a connection dropped
    /// after the change was committed).
    Fault,
}

/// One gateway call, as `GET /sandbox/calls` lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CallRecord {
    /// Position since the sandbox started (1 for the first call); never reused, not even
    /// after a reset.
    pub seq: u64,
    /// When the call arrived, on the sandbox clock: RFC 3339 in GMT+8, with milliseconds.
    pub time: String,
    /// The `method` sent, when there was one.
    pub method: Option<String>,
    /// The `app_key` sent, when there was one.
    pub app_key: Option<String>,
    /// How it ended.
    pub outcome: CallOutcome,
    /// The HTTP status answered (200, or 502 for an injected fault).
    pub http_status: u16,
    /// The `error_response` code.
    pub code: Option<u32>,
    /// The `error_response` message.
    pub msg: Option<String>,
    /// The `error_response` sub_code.
    pub sub_code: Option<String>,
    /// The `error_response` sub_msg.
    pub sub_msg: Option<String>,
    /// The business failure's code, by the description's rule.
    pub business_code: Option<String>,
    /// The business failure's message, by the description's rule (mobiles masked).
    pub business_message: Option<String>,
    /// The injected fault, if any.
    pub fault: Option<String>,
    /// Time from arrival to the answer, in milliseconds (including `--latency-ms`).
    pub latency_ms: f64,
    /// The `request_id` answered.
    pub request_id: String,
    /// The parameters received: `sign`, sessions, passwords, auth codes and tokens as `***`,
    /// mobile numbers masked, long values cut.
    pub params: BTreeMap<String, String>,
    /// The sandbox's explanation, as in the `error_response`.
    pub sandbox_hint: Option<String>,
}

/// What the gateway learns of a call while serving it.
#[derive(Debug, Default)]
pub(crate) struct Note {
    enabled: bool,
    method: Option<String>,
    app_key: Option<String>,
    params: BTreeMap<String, String>,
    error: Option<TopError>,
    business: Option<(Option<String>, Option<String>)>,
    fault: Option<&'static str>,
    http_status: Option<u16>,
}

impl Note {
    /// Whether the log keeps anything (no work is done for it otherwise).
    pub(crate) fn enabled(&self) -> bool {
        self.enabled
    }

    /// The parameters, hidden and masked as the description says.
    pub(crate) fn params(&mut self, params: &Params, description: Option<&Description>) {
        if !self.enabled {
            return;
        }
        let name = |v: &str| redact::printable(v, MAX_LOGGED_NAME);
        self.method = params.get("method").map(name);
        self.app_key = params.get("app_key").map(name);
        self.params = params
            .iter()
            .map(|(k, v)| {
                let shown = redact::param_value(k, v, description);
                (name(k), redact::shorten(&shown, MAX_LOGGED_VALUE))
            })
            .collect();
    }

    /// The `error_response` answered.
    pub(crate) fn error(&mut self, error: &TopError) {
        if self.enabled {
            self.error = Some(error.clone());
        }
    }

    /// A business failure inside a success envelope.
    pub(crate) fn business_failure(&mut self, code: Option<String>, message: Option<String>) {
        self.business = Some((code, message.map(|m| top_core::scrub_mobiles(&m))));
    }

    /// An injected fault (and the HTTP status it answers with, when not 200).
    pub(crate) fn fault(&mut self, fault: &'static str, http_status: Option<u16>) {
        self.fault = Some(fault);
        self.http_status = http_status;
    }
}

/// The log.
#[derive(Debug)]
pub(crate) struct CallLog {
    capacity: usize,
    ring: Mutex<Ring>,
}

#[derive(Debug, Default)]
struct Ring {
    last_seq: u64,
    records: VecDeque<CallRecord>,
}

impl CallLog {
    /// A log of at most `capacity` calls (0 keeps none).
    pub(crate) fn new(capacity: usize) -> Self {
        CallLog {
            capacity,
            ring: Mutex::new(Ring::default()),
        }
    }

    /// The most calls kept.
    pub(crate) fn capacity(&self) -> usize {
        self.capacity
    }

    /// A note for a new call.
    pub(crate) fn note(&self) -> Note {
        Note {
            enabled: self.capacity > 0,
            ..Note::default()
        }
    }

    /// Keeps a finished call, dropping the oldest past the capacity.
    pub(crate) fn record(
        &self,
        note: Note,
        request_id: &str,
        arrived: DateTime<Utc>,
        latency: Duration,
    ) {
        if !note.enabled {
            return;
        }
        let error = note.error.as_ref();
        let outcome = match (error, note.fault, &note.business) {
            (Some(_), _, _) => CallOutcome::Error,
            (None, Some(_), _) => CallOutcome::Fault,
            (None, None, Some(_)) => CallOutcome::BusinessFailure,
            (None, None, None) => CallOutcome::Success,
        };
        let (business_code, business_message) = note.business.unwrap_or_default();
        let record = CallRecord {
            seq: 0,
            time: gmt8(arrived),
            method: note.method,
            app_key: note.app_key,
            outcome,
            http_status: note.http_status.unwrap_or(200),
            code: error.map(|e| e.code),
            msg: error.map(|e| e.msg.to_owned()),
            sub_code: error.and_then(|e| e.sub_code.map(str::to_owned)),
            sub_msg: error.and_then(|e| e.sub_msg.as_deref().map(top_core::scrub_mobiles)),
            business_code,
            business_message,
            fault: note.fault.map(str::to_owned),
            latency_ms: (latency.as_secs_f64() * 1_000_000.0).round() / 1_000.0,
            request_id: request_id.to_owned(),
            params: note.params,
            sandbox_hint: error.and_then(|e| e.hint.clone()),
        };
        let mut ring = self.ring.lock().unwrap_or_else(PoisonError::into_inner);
        ring.last_seq += 1;
        let seq = ring.last_seq;
        ring.records.push_front(CallRecord { seq, ..record });
        ring.records.truncate(self.capacity);
    }

    /// The newest `limit` calls, newest first, of `method` only when given.
    pub(crate) fn list(&self, method: Option<&str>, limit: usize) -> Vec<CallRecord> {
        let ring = self.ring.lock().unwrap_or_else(PoisonError::into_inner);
        ring.records
            .iter()
            .filter(|r| method.is_none_or(|m| r.method.as_deref() == Some(m)))
            .take(limit)
            .cloned()
            .collect()
    }

    /// The number of calls logged since the start (the last `seq`).
    pub(crate) fn recorded(&self) -> u64 {
        self.ring
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .last_seq
    }

    /// Forgets every call (sequence numbers go on).
    pub(crate) fn clear(&self) {
        self.ring
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .records
            .clear();
    }
}

/// RFC 3339 in GMT+8 with milliseconds, the zone every TOP time is in.
fn gmt8(at: DateTime<Utc>) -> String {
    in_gmt8(at).to_rfc3339_opts(SecondsFormat::Millis, false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(method: &str) -> Params {
        [
            ("method", method),
            ("app_key", "1"),
            ("session", "s-secret"),
            ("sign", "ABC"),
        ]
        .into_iter()
        .collect()
    }

    #[test]
    fn ring_keeps_the_newest() {
        let log = CallLog::new(2);
        let at = top_core::time::parse_gmt8("2024-01-01 12:00:00").unwrap();
        for (i, method) in ["a", "b", "a"].into_iter().enumerate() {
            let mut note = log.note();
            note.params(&params(method), None);
            if i == 1 {
                note.error(&TopError::missing_method());
            }
            log.record(note, &format!("r{i}"), at, Duration::from_micros(1500));
        }
        let all = log.list(None, 10);
        assert_eq!(all.len(), 2);
        assert_eq!((all[0].seq, all[1].seq), (3, 2));
        assert_eq!(all[0].time, "2024-01-01T12:00:00.000+08:00");
        assert_eq!(all[0].latency_ms, 1.5);
        assert_eq!(all[1].outcome, CallOutcome::Error);
        assert_eq!(all[1].code, Some(21));
        assert!(all[1].sandbox_hint.is_some());
        assert_eq!(
            all[0].params.get("session").map(String::as_str),
            Some("***")
        );
        assert_eq!(all[0].params.get("sign").map(String::as_str), Some("***"));
        assert_eq!(log.list(Some("a"), 10).len(), 1);
        assert_eq!(log.list(None, 1).len(), 1);
        log.clear();
        assert!(log.list(None, 10).is_empty());
        assert_eq!(log.recorded(), 3);
        let off = CallLog::new(0);
        let mut note = off.note();
        note.params(&params("a"), None);
        off.record(note, "r", at, Duration::ZERO);
        assert!(off.list(None, 10).is_empty());
    }
}
