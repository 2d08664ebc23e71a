//! The served methods: one per API description (built in, or loaded with `--apis`), each with
//! its hand-written slice when it has one. The description gives the parameter checks (40 for
//! a missing member, 50 for a broken rule, with the field path and the rule's message), the
//! idempotency key, and the answer of an API without a slice (its response sample where it
//! has one).

use std::collections::HashMap;

use serde_json::Value;
use top_core::{Params, ValidationError};
use top_model::{Catalog, Description, TypeRef, VendorParam};

use crate::apis::{ApiSlice, Applied, Business, Settings, SliceCall, slice_of};
use crate::codes::TopError;
use crate::idempotency::{IdemRequest, Outcome, PayloadHash, payload_hash};
use crate::reply::{Fields, Node};
use crate::state::{Counter, Tx};

/// Every served method, by name.
#[derive(Debug, Default)]
pub(crate) struct Endpoints(HashMap<String, Endpoint>);

impl Endpoints {
    /// The methods of a catalogue.
    pub(crate) fn new(catalog: &Catalog) -> Self {
        Endpoints(
            catalog
                .iter()
                .map(|description| {
                    let endpoint = Endpoint::new(description.clone());
                    (endpoint.method().to_owned(), endpoint)
                })
                .collect(),
        )
    }

    /// The method `name`, if served.
    pub(crate) fn get(&self, name: &str) -> Option<&Endpoint> {
        self.0.get(name)
    }

    /// The served method names, in no particular order.
    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }
}

/// One served method.
#[derive(Debug)]
pub(crate) struct Endpoint {
    description: Description,
    slice: Option<&'static dyn ApiSlice>,
    /// `<method>_response`.
    response_key: String,
    /// The success answer of an API without a slice: its response sample read through the
    /// description when it has one that reads, else the answer the description shapes.
    described: Fields,
}

/// A call that passed the description's checks, read (no lock held).
#[derive(Debug)]
pub(crate) struct Checked {
    business: Business,
    idempotent: Option<Idempotent>,
}

/// The idempotency key's value and the payload it must keep.
#[derive(Debug)]
struct Idempotent {
    request_id: String,
    payload: PayloadHash,
}

/// Who calls, with which settings.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Caller<'a> {
    /// The calling app.
    pub(crate) app_key: &'a str,
    /// The sandbox's settings.
    pub(crate) settings: &'a Settings,
}

impl Endpoint {
    fn new(description: Description) -> Self {
        let method = description.method().to_owned();
        let slice = slice_of(&method);
        let mut described = described_answer(&description);
        // A slice answers from its state; the page's sample answers for the others.
        if slice.is_none()
            && let Some(xml) = description.response_sample.as_deref()
        {
            match crate::sample::answer(&described, xml) {
                Ok(answer) => described = answer,
                // Built once per method, so this warns once per method.
                Err(reason) => tracing::warn!(
                    method = %method,
                    %reason,
                    "the response sample cannot be read; answering as the description shapes it"
                ),
            }
        }
        Endpoint {
            slice,
            response_key: top_core::envelope::response_key(&method),
            described,
            description,
        }
    }

    /// The method name.
    pub(crate) fn method(&self) -> &str {
        self.description.method()
    }

    /// The envelope name of its answers.
    pub(crate) fn response_key(&self) -> &str {
        &self.response_key
    }

    /// The description.
    pub(crate) fn description(&self) -> &Description {
        &self.description
    }

    /// Checks the business parameters against the description, then reads them and the
    /// idempotency key. Needs no state, so it runs before the lock is taken.
    pub(crate) fn check(&self, params: &Params) -> Result<Checked, TopError> {
        self.description
            .check_params(params.iter())
            .map_err(|error| refusal(&self.description, error))?;
        let business = self.business(params)?;
        let idempotent = self.idempotent(&business);
        Ok(Checked {
            business,
            idempotent,
        })
    }

    /// Answers a checked call: replays a remembered one, else applies it with the slice (or
    /// answers as the description shapes it) and remembers the answer under its key.
    pub(crate) fn serve(
        &self,
        checked: &Checked,
        params: &Params,
        caller: Caller<'_>,
        tx: &mut Tx<'_>,
    ) -> Result<Fields, TopError> {
        let method = self.method();
        let idempotent = checked.idempotent.as_ref().map(|i| {
            let request = IdemRequest {
                app_key: caller.app_key,
                method,
                request_id: &i.request_id,
            };
            (request, i.payload)
        });
        if let Some((request, payload)) = &idempotent
            && let Some(outcome) = tx.replay(request, payload)?
        {
            tx.count(Counter::Replays, method);
            tracing::debug!(request_id = %request.request_id, method, "replayed");
            return Ok(self.replayed(outcome));
        }
        let applied = match self.slice {
            Some(slice) => {
                let call = SliceCall {
                    business: &checked.business,
                    params,
                    settings: caller.settings,
                };
                slice.apply(&call, tx)?
            }
            None => {
                tx.count(Counter::Applied, method);
                Applied::remembered(self.described.clone(), Outcome::Same)
            }
        };
        if let (Some((request, payload)), Some(outcome)) = (&idempotent, applied.remember) {
            tx.remember(request, *payload, outcome);
        }
        Ok(applied.answer)
    }

    fn replayed(&self, outcome: Outcome) -> Fields {
        self.slice
            .and_then(|slice| slice.replayed(outcome))
            .unwrap_or_else(|| self.described.clone())
    }

    /// The declared parameters: object parameters parsed, the others as their text.
    fn business(&self, params: &Params) -> Result<Business, TopError> {
        let mut business = Business::new();
        for param in &self.description.vendor.request_params {
            let Some(text) = params
                .get(&param.name)
                .filter(|v| !top_core::params::is_blank(v))
            else {
                continue;
            };
            let is_object = param.type_ref().is_ok_and(|t| t.object_name().is_some());
            let value = if is_object {
                // The checks parsed it already; a failure here would be a bug, answered as
                // the checks would have.
                serde_json::from_str(text).map_err(|_| {
                    TopError::invalid_parameter(&param.name, Some("must be valid JSON text"))
                })?
            } else {
                Value::String(text.to_owned())
            };
            business.insert(param.name.clone(), value);
        }
        Ok(business)
    }

    /// The value of the description's idempotency key and the payload it identifies: the
    /// object holding the key (less the slice's ignored members), or every declared
    /// parameter for a top-level key. `None` when the API has no key or the call does not
    /// carry it (the call is then not retry-safe, and applied each time).
    fn idempotent(&self, business: &Business) -> Option<Idempotent> {
        let key = self.description.overlay.idempotency_key.as_deref()?;
        let segments: Vec<&str> = key.split('.').collect();
        // A key inside a list would make one call many requests: not a TOP idempotency key.
        if segments.iter().any(|s| s.ends_with("[]")) {
            return None;
        }
        let (first, rest) = segments.split_first()?;
        let mut node = business.get(*first)?;
        for segment in rest {
            node = node.get(*segment)?;
        }
        let request_id = match node {
            Value::String(s) if !top_core::params::is_blank(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => return None,
        };
        let ignores = self.slice.map_or(&[][..], |slice| slice.payload_ignores());
        let payload = match business.get(*first) {
            Some(Value::Object(holder)) if !rest.is_empty() => payload_hash(holder, ignores),
            _ => payload_hash(business, ignores),
        };
        Some(Idempotent {
            request_id,
            payload,
        })
    }
}

/// A broken rule as the gateway answers it: 40 for a missing member (or none of several),
/// 50 with the field path and the rule otherwise.
fn refusal(description: &Description, error: ValidationError) -> TopError {
    let missing = description.is_missing(&error);
    let hint = crate::explain::arguments(description, &error, missing);
    let refused = if error.is_required() {
        TopError::missing_argument(&error.field)
    } else if missing {
        TopError::missing_argument_because(&error.field, &error.rule)
    } else {
        TopError::invalid_parameter(&error.field, Some(&error.rule))
    };
    refused.with_hint(hint)
}

/// The success answer of a description: every response member with a value of its declared
/// type (texts empty, numbers 0, the business-failure flags true and other booleans false,
/// lists of one element, objects filled member by member). `request_id` is added by the
/// renderer, as to every answer. A response sample is read through it (see
/// [`crate::sample`]).
pub(crate) fn described_answer(description: &Description) -> Fields {
    let flags: Vec<&str> = description
        .overlay
        .business_failure
        .iter()
        .flat_map(|failure| std::iter::once(&failure.flag).chain(&failure.also))
        .map(String::as_str)
        .collect();
    description
        .vendor
        .response_params
        .iter()
        .filter(|param| param.name != "request_id")
        .map(|param| (param.name.clone(), shaped(param, &param.name, &flags)))
        .collect()
}

/// A member's value; `path` is its response path with `[]` for lists (as the overlay's
/// business-failure paths are written).
fn shaped(param: &VendorParam, path: &str, flags: &[&str]) -> Node {
    match param.type_ref() {
        Ok(TypeRef::List(inner)) => {
            let path = format!("{path}[]");
            let element = match inner.as_ref() {
                TypeRef::Object(_) => members(param, &path, flags),
                scalar => scalar_value(scalar, &path, flags),
            };
            Node::List {
                item: list_item_name(&inner),
                items: vec![element],
            }
        }
        Ok(TypeRef::Object(_)) => members(param, path, flags),
        Ok(scalar) => scalar_value(&scalar, path, flags),
        // Unreachable for a loaded description (every type is read when it is loaded).
        Err(_) => Node::str(""),
    }
}

fn members(param: &VendorParam, path: &str, flags: &[&str]) -> Node {
    Node::Obj(
        param
            .sub_params
            .iter()
            .map(|member| {
                let member_path = format!("{path}.{}", member.name);
                (member.name.clone(), shaped(member, &member_path, flags))
            })
            .collect(),
    )
}

fn scalar_value(type_ref: &TypeRef, path: &str, flags: &[&str]) -> Node {
    match type_ref {
        TypeRef::Number => Node::Int(0),
        TypeRef::Boolean => Node::Bool(flags.contains(&path)),
        TypeRef::Price => Node::str("0"),
        // The epoch, in the router's GMT+8 text: a value a Date reader accepts.
        TypeRef::Date => Node::str("1970-01-01 08:00:00"),
        TypeRef::Json => Node::str("{}"),
        _ => Node::str(""),
    }
}

/// The element name TOP wraps a list's items in: the object type in snake case
/// (`ErrorInfo[]` → `error_info`), or the scalar type (`String[]` → `string`).
fn list_item_name(inner: &TypeRef) -> String {
    match inner {
        TypeRef::Object(name) => snake_case(name),
        TypeRef::Number => "number".to_owned(),
        TypeRef::Boolean => "boolean".to_owned(),
        TypeRef::Date => "date".to_owned(),
        TypeRef::Price => "price".to_owned(),
        TypeRef::Json => "json".to_owned(),
        _ => "string".to_owned(),
    }
}

/// `CardOpenInfo` → `card_open_info`, `UserTagInfoResponseDTO` → `user_tag_info_response_dto`.
fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            let previous = chars[i - 1];
            let next_is_lower = chars.get(i + 1).is_some_and(char::is_ascii_lowercase);
            if previous.is_ascii_lowercase()
                || previous.is_ascii_digit()
                || (previous.is_ascii_uppercase() && next_is_lower)
            {
                out.push('_');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reply::fields;
    use crate::state::{Data, State};
    use serde_json::json;

    fn endpoints() -> Endpoints {
        Endpoints::new(&Catalog::builtin().unwrap())
    }

    fn settings() -> Settings {
        Settings {
            max_blacklist_entries: 2,
            ptnr_token: "p".into(),
            tenant_token: "t".into(),
            channel_token: "c".into(),
        }
    }

    #[test]
    fn names() {
        assert_eq!(snake_case("CardOpenInfo"), "card_open_info");
        assert_eq!(
            snake_case("UserTagInfoResponseDTO"),
            "user_tag_info_response_dto"
        );
        assert_eq!(snake_case("Blacklist"), "blacklist");
        assert_eq!(snake_case("A1B"), "a1_b");
        assert_eq!(list_item_name(&TypeRef::String), "string");
    }

    #[test]
    fn refusals_name_the_field_and_the_rule() {
        let endpoints = endpoints();
        let tag = endpoints.get("taobao.retail.user.tag.mobile.add").unwrap();
        let params: Params = [("biz_code", "b")].into_iter().collect();
        let e = tag.check(&params).unwrap_err();
        assert_eq!(e.code, 40);
        assert_eq!(
            e.sub_msg.as_deref(),
            Some(
                "Missing required arguments: isv_user_id|open_id|alipay_user_id (at least one of isv_user_id, open_id, alipay_user_id is required)"
            )
        );
        let params: Params = [("open_id", "o"), ("ext_param", "{")].into_iter().collect();
        let e = tag.check(&params).unwrap_err();
        assert_eq!(
            (e.code, e.sub_msg.as_deref()),
            (50, Some("非法参数: ext_param (must be a JSON text)"))
        );
    }

    #[test]
    fn the_described_answer_has_the_declared_types() {
        let endpoints = endpoints();
        let update = endpoints.get("alibaba.alsc.crm.customer.update").unwrap();
        let Node::Obj(result) = &update.described[0].1 else {
            panic!("{:?}", update.described)
        };
        assert_eq!(
            result
                .iter()
                .find(|(k, _)| k == "biz_success")
                .map(|(_, v)| v),
            Some(&Node::Bool(true))
        );
        let tag = endpoints.get("taobao.retail.user.tag.mobile.add").unwrap();
        let expected = fields([
            (
                "error_infos",
                Node::List {
                    item: "error_info".into(),
                    items: vec![Node::Obj(fields([
                        ("outer_error_code", Node::str("")),
                        ("error_message", Node::str("")),
                        ("error_code", Node::str("")),
                        ("sub_error_code", Node::str("")),
                    ]))],
                },
            ),
            (
                "module",
                Node::Obj(fields([
                    ("tag_success", Node::Bool(true)),
                    ("social_nick", Node::str("")),
                    ("use_type", Node::str("")),
                ])),
            ),
            ("result", Node::Bool(true)),
        ]);
        assert_eq!(tag.described, expected);
    }

    /// Text written by `tracing` while building endpoints, for the warnings.
    #[derive(Clone, Default)]
    struct Log(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

    impl std::io::Write for Log {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn demo(sample: &str) -> Description {
        let vendor = top_model::VendorApi::from_json(
            r#"{"name": "taobao.demo.sample.get", "responseParams": [
                {"name": "total", "type": "Number"}, {"name": "ok", "type": "Boolean"}]}"#,
        )
        .unwrap();
        let overlay = top_model::Overlay::from_toml("crate = \"demo\"\nsummary = \"s\"\n").unwrap();
        Description::new(vendor, overlay)
            .unwrap()
            .with_response_sample(sample)
    }

    #[test]
    fn a_sample_answers_and_a_bad_one_warns_once() {
        let log = Log::default();
        let writer = log.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        let (good, bad) = tracing::subscriber::with_default(subscriber, || {
            let good = Endpoint::new(demo("<r><total>3</total><ok>true</ok><x/></r>"));
            let bad = Endpoint::new(demo("not xml"));
            (good, bad)
        });
        assert_eq!(
            good.described,
            fields([("total", Node::Int(3)), ("ok", Node::Bool(true))])
        );
        assert_eq!(bad.described, described_answer(&bad.description));
        let log = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
        assert_eq!(log.matches("WARN").count(), 1, "{log}");
        assert!(log.contains("taobao.demo.sample.get"), "{log}");
        // A slice answers from its state, whatever the sample says.
        let catalog = Catalog::builtin().unwrap();
        let tag = catalog
            .get("taobao.retail.user.tag.mobile.add")
            .unwrap()
            .clone();
        let with_sample = Endpoint::new(
            tag.clone()
                .with_response_sample("<r><result>false</result></r>"),
        );
        assert_eq!(with_sample.described, described_answer(&tag));
    }

    #[test]
    fn idempotency_keys_and_payloads() {
        let endpoints = endpoints();
        let sync = endpoints
            .get("taobao.logistics.express.user.blacklist.tms.sync")
            .unwrap();
        let call = |time: i64, mobile: &str| {
            let request = json!({"request_id": "r1", "request_time": time, "supplier_id": "s",
                "service_type": "1", "ability_type": "1", "operate_type": 1,
                "blacklist": [{"mobile": mobile}]});
            let params: Params = [("user_blacklist_request", request.to_string())]
                .into_iter()
                .collect();
            sync.check(&params).unwrap().idempotent.unwrap()
        };
        let first = call(1, "13111111111");
        assert_eq!(first.request_id, "r1");
        assert_eq!(
            first.payload,
            call(2, "13111111111").payload,
            "send time ignored"
        );
        assert_ne!(first.payload, call(1, "13122222222").payload);
        // The Damai API has no key.
        let damai = endpoints
            .get("alibaba.damai.maizuo.openapi.user.register.byauthcode")
            .unwrap();
        let checked = Checked {
            business: Business::new(),
            idempotent: None,
        };
        assert!(damai.idempotent(&checked.business).is_none());
    }

    proptest::proptest! {
        /// Whatever the business parameters hold, every API answers, or refuses with 40 or
        /// 50; nothing panics.
        #[test]
        fn calls_never_panic(text in ".{0,80}", json_like in r#"\{("[a-z_]{1,12}":("[0-9a-z, ]{0,12}"|-?[0-9]{1,20}|\[\{"mobile":"[0-9]{0,12}","reason":"[0-9,]{0,5}"\}\]|null|true),?){0,8}\}"#) {
            static ENDPOINTS: std::sync::LazyLock<Endpoints> = std::sync::LazyLock::new(endpoints);
            let endpoints = &*ENDPOINTS;
            let settings = settings();
            let mut state = State::new(Data::default(), None, 1);
            for value in [&text, &json_like] {
                let params: Params = [
                    ("user_blacklist_request", value.as_str()),
                    ("param0", value.as_str()),
                    ("param_customer_create_open_req", value.as_str()),
                    ("param_customer_update_open_req", value.as_str()),
                    ("isv_user_id", value.as_str()),
                    ("ext_param", value.as_str()),
                ]
                .into_iter()
                .collect();
                for endpoint in endpoints.0.values() {
                    let answered = endpoint.check(&params).and_then(|checked| {
                        let caller = Caller { app_key: "k", settings: &settings };
                        state.transact(chrono::Utc::now(), |tx| endpoint.serve(&checked, &params, caller, tx))
                    });
                    if let Err(e) = answered {
                        proptest::prop_assert!(matches!(e.code, 40 | 50), "{e}");
                    }
                }
            }
        }
    }
}
