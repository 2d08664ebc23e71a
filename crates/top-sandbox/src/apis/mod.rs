//! The four APIs the sandbox serves: each parses its business parameters itself (an
//! independent reading of the vendor pages, so it cross-checks the SDK) and applies them to
//! the state.

pub(crate) mod blacklist;
pub(crate) mod crm;
pub(crate) mod damai;
pub(crate) mod retail_tag;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use top_core::Params;

use crate::codes::TopError;
use crate::reply::Fields;
use crate::state::Tx;

/// A served method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub(crate) enum Api {
    /// `taobao.retail.user.tag.mobile.add`
    RetailTag,
    /// `taobao.logistics.express.user.blacklist.tms.sync`
    Blacklist,
    /// `alibaba.damai.maizuo.openapi.user.register.byauthcode`
    Damai,
    /// `alibaba.alsc.crm.customer.create`
    Crm,
}

impl Api {
    /// Every served method, in index order.
    pub(crate) const ALL: [Api; 4] = [Api::RetailTag, Api::Blacklist, Api::Damai, Api::Crm];

    /// The TOP method name.
    pub(crate) fn method(self) -> &'static str {
        match self {
            Api::RetailTag => "taobao.retail.user.tag.mobile.add",
            Api::Blacklist => "taobao.logistics.express.user.blacklist.tms.sync",
            Api::Damai => "alibaba.damai.maizuo.openapi.user.register.byauthcode",
            Api::Crm => "alibaba.alsc.crm.customer.create",
        }
    }

    /// The method of a name.
    pub(crate) fn from_method(name: &str) -> Option<Api> {
        Api::ALL.into_iter().find(|api| api.method() == name)
    }

    /// Position in [`Api::ALL`].
    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

/// Business settings the APIs check against.
#[derive(Debug, Clone)]
pub(crate) struct Rules {
    pub(crate) max_blacklist_entries: usize,
    pub(crate) ptnr_token: String,
    pub(crate) tenant_token: String,
    pub(crate) channel_token: String,
}

/// A request whose business parameters passed validation.
#[derive(Debug)]
pub(crate) enum Parsed {
    RetailTag(retail_tag::TagRequest),
    Blacklist(blacklist::SyncRequest),
    Damai(damai::RegisterRequest),
    Crm(Box<crm::CreateRequest>),
}

/// Validates the business parameters of `api` (no state needed, no lock held).
pub(crate) fn parse(api: Api, params: &Params, rules: &Rules) -> Result<Parsed, TopError> {
    Ok(match api {
        Api::RetailTag => Parsed::RetailTag(retail_tag::parse(params)?),
        Api::Blacklist => Parsed::Blacklist(blacklist::parse(params, rules)?),
        Api::Damai => Parsed::Damai(damai::parse(params)?),
        Api::Crm => Parsed::Crm(Box::new(crm::parse(params)?)),
    })
}

/// Applies a validated request; the answer is the envelope's members.
pub(crate) fn apply(
    parsed: Parsed,
    app_key: &str,
    rules: &Rules,
    tx: &mut Tx<'_>,
) -> Result<Fields, TopError> {
    match parsed {
        Parsed::RetailTag(req) => Ok(retail_tag::apply(req, tx)),
        Parsed::Blacklist(req) => blacklist::apply(req, app_key, tx),
        Parsed::Damai(req) => Ok(damai::apply(req, rules, tx)),
        Parsed::Crm(req) => crm::apply(*req, app_key, tx),
    }
}

/// A JSON object parameter (`user_blacklist_request`, `param0`...): 40 when absent, 50 when
/// it is not a JSON object.
pub(crate) fn object_param(params: &Params, name: &str) -> Result<Map<String, Value>, TopError> {
    let text = params
        .get(name)
        .ok_or_else(|| TopError::missing_argument(name))?;
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(TopError::invalid_parameter(
            name,
            Some("must be a JSON object"),
        )),
        Err(_) => Err(TopError::invalid_parameter(
            name,
            Some("must be valid JSON text"),
        )),
    }
}

/// Typed reads of an object's members, naming the full path in errors.
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

    /// A string member; numbers are read as their text (as the platform's JSON reader does).
    pub(crate) fn opt_str(&self, key: &str) -> Result<Option<String>, TopError> {
        match self.present(key) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(Value::Number(n)) => Ok(Some(n.to_string())),
            Some(_) => Err(TopError::invalid_parameter(
                &self.path_of(key),
                Some("must be a string"),
            )),
        }
    }

    /// A required string member.
    pub(crate) fn req_str(&self, key: &str) -> Result<String, TopError> {
        self.opt_str(key)?
            .ok_or_else(|| TopError::missing_argument(&self.path_of(key)))
    }

    /// An integer member; numeric strings are accepted.
    pub(crate) fn opt_int(&self, key: &str) -> Result<Option<i64>, TopError> {
        let invalid =
            || TopError::invalid_parameter(&self.path_of(key), Some("must be an integer"));
        match self.present(key) {
            None => Ok(None),
            Some(Value::Number(n)) => n.as_i64().map(Some).ok_or_else(invalid),
            Some(Value::String(s)) => s.trim().parse::<i64>().map(Some).map_err(|_| invalid()),
            Some(_) => Err(invalid()),
        }
    }

    /// A required integer member.
    pub(crate) fn req_int(&self, key: &str) -> Result<i64, TopError> {
        self.opt_int(key)?
            .ok_or_else(|| TopError::missing_argument(&self.path_of(key)))
    }

    /// A required array member.
    pub(crate) fn req_array(&self, key: &str) -> Result<&'a Vec<Value>, TopError> {
        match self.present(key) {
            None => Err(TopError::missing_argument(&self.path_of(key))),
            Some(Value::Array(items)) => Ok(items),
            Some(_) => Err(TopError::invalid_parameter(
                &self.path_of(key),
                Some("must be a JSON array"),
            )),
        }
    }

    /// An optional list of strings: a JSON array of strings, or one comma-separated string.
    pub(crate) fn opt_str_list(&self, key: &str) -> Result<Option<Vec<String>>, TopError> {
        let invalid =
            || TopError::invalid_parameter(&self.path_of(key), Some("must be a list of strings"));
        match self.present(key) {
            None => Ok(None),
            Some(Value::Array(items)) => items
                .iter()
                .map(|v| match v {
                    Value::String(s) => Ok(s.clone()),
                    Value::Number(n) => Ok(n.to_string()),
                    _ => Err(invalid()),
                })
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn method_names() {
        for api in Api::ALL {
            assert_eq!(Api::from_method(api.method()), Some(api));
            assert_eq!(Api::ALL[api.index()], api);
        }
        assert_eq!(Api::from_method("taobao.user.get"), None);
    }

    #[test]
    fn member_reads() {
        let v = json!({"s":"x","n":12,"ns":"34","b":true,"blank":"  ","arr":[1],"list":"a, b"});
        let Value::Object(map) = v else { panic!() };
        let m = Members::new("p", &map);
        assert_eq!(m.req_str("s").unwrap(), "x");
        assert_eq!(m.req_str("n").unwrap(), "12");
        assert_eq!(m.req_int("ns").unwrap(), 34);
        assert_eq!(m.req_str("blank").unwrap_err().code, 40);
        assert_eq!(
            m.req_str("b").unwrap_err().sub_msg.as_deref(),
            Some("非法参数: p.b (must be a string)")
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
    }

    proptest::proptest! {
        /// Whatever the business parameters hold, parsing answers Ok or a 40/50, never panics.
        #[test]
        fn parsing_never_panics(text in ".{0,80}", json_like in r#"\{("[a-z_]{1,12}":("[0-9a-z, ]{0,12}"|-?[0-9]{1,20}|\[\{"mobile":"[0-9]{0,12}","reason":"[0-9,]{0,5}"\}\]|null|true),?){0,8}\}"#) {
            let rules = Rules {
                max_blacklist_entries: 2,
                ptnr_token: "p".into(),
                tenant_token: "t".into(),
                channel_token: "c".into(),
            };
            for value in [&text, &json_like] {
                let params: Params = [
                    ("user_blacklist_request", value.as_str()),
                    ("param0", value.as_str()),
                    ("param_customer_create_open_req", value.as_str()),
                    ("isv_user_id", value.as_str()),
                    ("ext_param", value.as_str()),
                ]
                .into_iter()
                .collect();
                for api in Api::ALL {
                    if let Err(e) = parse(api, &params, &rules) {
                        proptest::prop_assert!(matches!(e.code, 40 | 50), "{e}");
                    }
                }
            }
        }
    }
}
