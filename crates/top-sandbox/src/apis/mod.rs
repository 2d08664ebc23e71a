//! The hand-written part of the APIs the sandbox serves with state, one module per API behind
//! one trait, [`ApiSlice`]. Everything an API's description says (required members, types,
//! lengths, formats, enums, cross-member rules, the idempotency key) is checked before a slice
//! sees the call (see [`crate::endpoint`]), so a slice holds only what no description can say:
//! "the SMS code was issued for this phone", "the customer exists", and how the state changes.
//!
//! A slice also owns its state: how it is kept in the state file, loaded back and shown in
//! `/sandbox/state`. Two slices may share a state (customer.update changes the customers of
//! customer.create); then the one that owns it shows, saves and loads it.

pub(crate) mod blacklist;
pub(crate) mod crm;
pub(crate) mod crm_get;
pub(crate) mod crm_update;
pub(crate) mod damai;
pub(crate) mod retail_tag;

use std::fmt;

use rusqlite::Connection;
use serde_json::{Map, Value};
use top_core::Params;
use top_model::value::text_of;

use crate::codes::TopError;
use crate::idempotency::Outcome;
use crate::reply::Fields;
use crate::snapshot::StateSnapshot;
use crate::state::{Data, Tx};

/// Every API with hand-written state. An API not listed here is served from its description
/// alone (see [`crate::endpoint`]).
pub(crate) const SLICES: &[&dyn ApiSlice] = &[
    &retail_tag::RetailTag,
    &blacklist::Blacklist,
    &damai::Damai,
    &crm::CreateCustomer,
    &crm_update::UpdateCustomer,
    &crm_get::GetCustomer,
];

/// The slice of `method`, if it has one.
pub(crate) fn slice_of(method: &str) -> Option<&'static dyn ApiSlice> {
    SLICES
        .iter()
        .copied()
        .find(|slice| slice.method() == method)
}

/// The business parameters of a call that passed its description's checks, as the
/// description declares them: object parameters parsed, every other one as its text.
pub(crate) type Business = Map<String, Value>;

/// What a slice is given.
#[derive(Debug)]
pub(crate) struct SliceCall<'a> {
    /// The declared business parameters, read.
    pub(crate) business: &'a Business,
    /// Every parameter as sent (the texts of plain top-level parameters).
    pub(crate) params: &'a Params,
    /// The sandbox's settings.
    pub(crate) settings: &'a Settings,
}

/// What a slice answered, and what to remember of it for idempotent replays.
#[derive(Debug)]
pub(crate) struct Applied {
    /// The envelope's members.
    pub(crate) answer: Fields,
    /// Remembered under the call's idempotency key, when the API has one: only answers
    /// that applied a change are, so that a business failure can be retried.
    pub(crate) remember: Option<Outcome>,
}

impl Applied {
    /// An answer not to remember (a business failure, or an API without idempotency key).
    pub(crate) fn once(answer: Fields) -> Self {
        Applied {
            answer,
            remember: None,
        }
    }

    /// An answer to replay to a resend of the same request.
    pub(crate) fn remembered(answer: Fields, outcome: Outcome) -> Self {
        Applied {
            answer,
            remember: Some(outcome),
        }
    }
}

/// One API served with hand-written state.
pub(crate) trait ApiSlice: Send + Sync + fmt::Debug {
    /// The TOP method.
    fn method(&self) -> &'static str;

    /// Applies a call whose parameters passed the description's checks (under the state's
    /// lock, after the idempotency lookup). Business failures are answers, not errors.
    fn apply(&self, call: &SliceCall<'_>, tx: &mut Tx<'_>) -> Result<Applied, TopError>;

    /// The answer of a remembered call, rendered again from what varies in it; `None` for
    /// the answer shaped by the description.
    fn replayed(&self, _outcome: Outcome) -> Option<Fields> {
        None
    }

    /// Members of the object holding the idempotency key left out of the payload compared
    /// on a resend (a send time may change between two sends of the same request).
    fn payload_ignores(&self) -> &'static [&'static str] {
        &[]
    }

    /// The tables of this slice's state in the state file (`CREATE TABLE IF NOT EXISTS`).
    fn schema(&self) -> &'static str {
        ""
    }

    /// The tables emptied by a reset.
    fn tables(&self) -> &'static [&'static str] {
        &[]
    }

    /// Reads this slice's state back from the state file.
    fn load(&self, _conn: &Connection, _data: &mut Data) -> rusqlite::Result<()> {
        Ok(())
    }

    /// Adds this slice's state to the public view.
    fn snapshot(&self, _data: &Data, _into: &mut StateSnapshot) {}
}

/// Settings the slices apply beyond the descriptions.
#[derive(Debug, Clone)]
pub(crate) struct Settings {
    /// Most blacklist entries per sync: a knob of this gateway (to test clients against a
    /// smaller gateway), not a rule of the API.
    pub(crate) max_blacklist_entries: usize,
    /// The Damai tokens calls must carry.
    pub(crate) ptnr_token: String,
    /// The Damai tenant token.
    pub(crate) tenant_token: String,
    /// The Damai channel token.
    pub(crate) channel_token: String,
}

/// The object parameter `name`. The description's checks make it present and an object;
/// a replacing description (`--apis`) may not, hence 40 / 50 rather than a panic.
pub(crate) fn object<'a>(business: &'a Business, name: &str) -> Result<Members<'a>, TopError> {
    match business.get(name) {
        Some(Value::Object(map)) => Ok(Members::new(name, map)),
        Some(_) => Err(TopError::invalid_parameter(
            name,
            Some("must be a JSON object"),
        )),
        None => Err(TopError::missing_argument(name)),
    }
}

/// Reads of an object's members, naming the full path in errors. Values are read as the
/// description's checks read them (numbers and booleans as their text for a string member,
/// numeric text for a number); the checks already ran, so the errors here only guard
/// against a replacing description that lets through what a slice cannot use.
pub(crate) struct Members<'a> {
    path: String,
    map: &'a Map<String, Value>,
}

impl<'a> Members<'a> {
    /// Reads `map`, whose path is `path` (`user_blacklist_request`, `…blacklist[3]`).
    pub(crate) fn new(path: impl Into<String>, map: &'a Map<String, Value>) -> Self {
        Members {
            path: path.into(),
            map,
        }
    }

    /// The path of a member.
    pub(crate) fn path_of(&self, key: &str) -> String {
        format!("{}.{key}", self.path)
    }

    fn present(&self, key: &str) -> Option<&'a Value> {
        match self.map.get(key) {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) if top_core::params::is_blank(s) => None,
            Some(v) => Some(v),
        }
    }

    /// A member's text, if present.
    pub(crate) fn opt_str(&self, key: &str) -> Result<Option<String>, TopError> {
        match self.present(key) {
            None => Ok(None),
            Some(value) => text_of(value).map(Some).ok_or_else(|| {
                TopError::invalid_parameter(&self.path_of(key), Some("must be a single value"))
            }),
        }
    }

    /// A member's text.
    pub(crate) fn req_str(&self, key: &str) -> Result<String, TopError> {
        self.opt_str(key)?
            .ok_or_else(|| TopError::missing_argument(&self.path_of(key)))
    }

    /// An integer member, if present (numeric text accepted).
    pub(crate) fn opt_int(&self, key: &str) -> Result<Option<i64>, TopError> {
        let invalid =
            || TopError::invalid_parameter(&self.path_of(key), Some("must be a whole number"));
        match self.present(key) {
            None => Ok(None),
            Some(Value::Number(n)) => n.as_i64().map(Some).ok_or_else(invalid),
            Some(Value::String(s)) => s.trim().parse::<i64>().map(Some).map_err(|_| invalid()),
            Some(_) => Err(invalid()),
        }
    }

    /// An integer member.
    pub(crate) fn req_int(&self, key: &str) -> Result<i64, TopError> {
        self.opt_int(key)?
            .ok_or_else(|| TopError::missing_argument(&self.path_of(key)))
    }

    /// An array member.
    pub(crate) fn req_array(&self, key: &str) -> Result<&'a Vec<Value>, TopError> {
        match self.present(key) {
            None => Err(TopError::missing_argument(&self.path_of(key))),
            Some(Value::Array(items)) => Ok(items),
            Some(_) => Err(TopError::invalid_parameter(
                &self.path_of(key),
                Some("must be a list"),
            )),
        }
    }

    /// A list of texts, if present: a JSON array, or one comma-separated text.
    pub(crate) fn opt_str_list(&self, key: &str) -> Result<Option<Vec<String>>, TopError> {
        let invalid = || TopError::invalid_parameter(&self.path_of(key), Some("must be a list"));
        match self.present(key) {
            None => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| text_of(v).ok_or_else(invalid))
                .collect::<Result<Vec<_>, _>>()
                .map(Some),
            Some(Value::String(s)) => Ok(Some(
                s.split(',')
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(str::to_owned)
                    .collect(),
            )),
            Some(_) => Err(invalid()),
        }
    }
}

/// A caller-supplied value quoted in an answer: at most 64 characters, no control
/// characters.
pub(crate) fn shown(value: &str) -> String {
    let mut out: String = value.chars().filter(|c| !c.is_control()).take(64).collect();
    if value.chars().count() > 64 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn slices_are_described_once_each() {
        let catalog = top_model::Catalog::builtin().unwrap();
        for (i, slice) in SLICES.iter().enumerate() {
            assert!(
                catalog.get(slice.method()).is_some(),
                "{} has no description",
                slice.method()
            );
            assert!(
                SLICES[..i].iter().all(|s| s.method() != slice.method()),
                "{} twice",
                slice.method()
            );
            assert_eq!(
                slice_of(slice.method()).map(|s| s.method()),
                Some(slice.method())
            );
        }
        assert!(slice_of("taobao.user.get").is_none());
    }

    #[test]
    fn member_reads() {
        let v =
            json!({"s":"x","n":12,"ns":"34","b":true,"blank":"  ","arr":[1],"list":"a, b","o":{}});
        let Value::Object(map) = v else { panic!() };
        let m = Members::new("p", &map);
        assert_eq!(m.req_str("s").unwrap(), "x");
        assert_eq!(m.req_str("n").unwrap(), "12");
        assert_eq!(m.req_str("b").unwrap(), "true");
        assert_eq!(m.req_int("ns").unwrap(), 34);
        assert_eq!(m.req_str("blank").unwrap_err().code, 40);
        assert_eq!(
            m.req_str("o").unwrap_err().sub_msg.as_deref(),
            Some("非法参数: p.o (must be a single value)")
        );
        assert_eq!(m.req_int("s").unwrap_err().code, 50);
        assert_eq!(m.req_array("arr").unwrap().len(), 1);
        assert_eq!(m.req_array("s").unwrap_err().code, 50);
        assert_eq!(
            m.req_array("none").unwrap_err().sub_msg.as_deref(),
            Some("Missing required arguments: p.none")
        );
        assert_eq!(
            m.opt_str_list("list").unwrap(),
            Some(vec!["a".into(), "b".into()])
        );
        assert_eq!(m.opt_str_list("arr").unwrap(), Some(vec!["1".into()]));
        assert_eq!(shown(&"中".repeat(70)).chars().count(), 65);
        assert_eq!(shown("a\u{0}b"), "ab");
    }
}
