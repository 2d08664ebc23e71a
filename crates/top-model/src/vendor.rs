//! The vendor's description of one API, in the shape of the vendor's documentation data:
//! `name`, `apiChineseName`, `description`, `requestParams`, `responseParams`, each parameter
//! with `name`, `type`, `required`, `description`, `subParams` and optional limits. Members the
//! vendor adds are kept as they came, so a description round-trips.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::error::ModelError;
use crate::type_ref::TypeRef;

/// One API as the vendor describes it. Never edited by hand: re-imported from the vendor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct VendorApi {
    /// The method name (`taobao.logistics.express.user.blacklist.tms.sync`).
    pub name: String,
    /// The vendor's Chinese name (`上门取退用户黑名单同步`).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub api_chinese_name: String,
    /// The vendor's description.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// The vendor's API id (`apiId` of its pages).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<u64>,
    /// The business parameters.
    #[serde(default)]
    pub request_params: Vec<VendorParam>,
    /// The members of the answer.
    #[serde(default)]
    pub response_params: Vec<VendorParam>,
    /// Whatever else the vendor sent, kept as it came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One parameter or response member as the vendor describes it. Written in the vendor's
/// order of keys; an object type without members keeps its `"subParams": []`, which tells it
/// from a type used but never described.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct VendorParam {
    /// The wire name (`user_blacklist_request`).
    pub name: String,
    /// The vendor's type name (`String`, `Number`, `Blacklist[]`...); see [`TypeRef`].
    #[serde(rename = "type")]
    pub type_name: String,
    /// Whether the vendor marks it required.
    #[serde(default)]
    pub required: bool,
    /// The vendor's description (usually Chinese).
    #[serde(default)]
    pub description: String,
    /// The vendor's example value.
    #[serde(default)]
    pub example: Option<String>,
    /// Longest text, in characters.
    #[serde(default)]
    pub max_length: Option<u64>,
    /// Most list entries.
    #[serde(default)]
    pub max_list_size: Option<u64>,
    /// Largest number.
    #[serde(default)]
    pub max_value: Option<i64>,
    /// Smallest number.
    #[serde(default)]
    pub min_value: Option<i64>,
    /// The members of an object type.
    #[serde(default)]
    pub sub_params: Vec<VendorParam>,
    /// Whatever else the vendor sent, kept as it came.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Serialize for VendorParam {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        let object = self.type_ref().is_ok_and(|t| t.object_name().is_some());
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("name", &self.name)?;
        map.serialize_entry("type", &self.type_name)?;
        if self.required {
            map.serialize_entry("required", &true)?;
        }
        if !self.description.is_empty() {
            map.serialize_entry("description", &self.description)?;
        }
        if let Some(example) = &self.example {
            map.serialize_entry("example", example)?;
        }
        for (key, limit) in [
            ("maxLength", self.max_length.map(i128::from)),
            ("maxListSize", self.max_list_size.map(i128::from)),
            ("maxValue", self.max_value.map(i128::from)),
            ("minValue", self.min_value.map(i128::from)),
        ] {
            if let Some(limit) = limit {
                map.serialize_entry(key, &limit)?;
            }
        }
        if object || !self.sub_params.is_empty() {
            map.serialize_entry("subParams", &self.sub_params)?;
        }
        for (key, value) in &self.extra {
            map.serialize_entry(key, value)?;
        }
        map.end()
    }
}

impl VendorParam {
    /// The declared type, read.
    pub fn type_ref(&self) -> Result<TypeRef, ModelError> {
        TypeRef::parse(&self.type_name).map_err(|reason| ModelError::member(&self.name, reason))
    }
}

impl VendorApi {
    /// Reads a vendor description from JSON text, with or without the vendor's
    /// `{"success":..,"data":{..}}` wrapper, and checks every member (a name, a known type).
    pub fn from_json(text: &str) -> Result<Self, ModelError> {
        let not = |reason: String, source| ModelError::NotADescription {
            file: None,
            reason,
            source,
        };
        let value: Value =
            serde_json::from_str(text).map_err(|e| not(format!("not JSON: {e}"), Some(e)))?;
        let value = match value {
            Value::Object(mut map) if map.contains_key("data") && !map.contains_key("name") => {
                if map.get("success") == Some(&Value::Bool(false)) {
                    return Err(not("the vendor answered success=false".into(), None));
                }
                map.remove("data").unwrap_or(Value::Null)
            }
            other => other,
        };
        let Value::Object(map) = &value else {
            return Err(not("expected a JSON object".into(), None));
        };
        if !map.contains_key("name")
            || !map.contains_key("requestParams") && !map.contains_key("responseParams")
        {
            return Err(not(
                "expected `name` and `requestParams` or `responseParams`".into(),
                None,
            ));
        }
        let api: VendorApi =
            read_checked(value).map_err(|(path, e)| ModelError::member(path, e))?;
        api.check()?;
        Ok(api)
    }

    /// Checks that every member has a name and a known type, that names are unique among
    /// siblings, and that object types have members only where the vendor describes them.
    pub fn check(&self) -> Result<(), ModelError> {
        if !is_method_name(&self.name) {
            return Err(ModelError::member(
                "name",
                format!(
                    "`{}` is not a TOP method name (dotted lower-case words)",
                    self.name
                ),
            ));
        }
        check_params(&self.request_params, "request")?;
        check_params(&self.response_params, "response")
    }
}

/// Reads the typed value, naming the member path of the first problem.
fn read_checked(value: Value) -> Result<VendorApi, (String, String)> {
    // Members are checked one by one first so that an error names its path; serde's own
    // message for the whole value would not.
    fn walk(params: Option<&Value>, path: &str) -> Result<(), (String, String)> {
        let Some(params) = params else { return Ok(()) };
        let Value::Array(params) = params else {
            return Err((path.to_owned(), "expected a list of parameters".into()));
        };
        for (i, p) in params.iter().enumerate() {
            let Value::Object(p) = p else {
                return Err((format!("{path}[{i}]"), "expected an object".into()));
            };
            let name = match p.get("name") {
                Some(Value::String(n)) if !n.trim().is_empty() => n.trim().to_owned(),
                _ => return Err((format!("{path}[{i}]"), "a member without a name".into())),
            };
            let here = format!("{path}.{name}");
            match p.get("type") {
                Some(Value::String(t)) if !t.trim().is_empty() => {}
                _ => return Err((here, "a member without a type".into())),
            }
            walk(p.get("subParams"), &here)?;
        }
        Ok(())
    }
    if let Value::Object(map) = &value {
        walk(map.get("requestParams"), "request")?;
        walk(map.get("responseParams"), "response")?;
    }
    serde_json::from_value(value).map_err(|e| ("$".to_owned(), e.to_string()))
}

fn check_params(params: &[VendorParam], path: &str) -> Result<(), ModelError> {
    let mut seen = std::collections::BTreeSet::new();
    for p in params {
        let here = format!("{path}.{}", p.name);
        if !is_wire_name(&p.name) {
            return Err(ModelError::member(
                here,
                "a wire name is letters, digits and `_`",
            ));
        }
        if !seen.insert(p.name.as_str()) {
            return Err(ModelError::member(here, "the name appears twice"));
        }
        let type_ref = TypeRef::parse(&p.type_name).map_err(|r| ModelError::member(&here, r))?;
        match (&type_ref, p.sub_params.is_empty()) {
            (t, false) if t.object_name().is_none() => {
                return Err(ModelError::member(
                    here,
                    format!("a `{t}` member cannot have members"),
                ));
            }
            _ => {}
        }
        let inner = if type_ref.is_list() {
            format!("{here}[]")
        } else {
            here
        };
        check_params(&p.sub_params, &inner)?;
    }
    Ok(())
}

fn is_method_name(name: &str) -> bool {
    name.split('.').count() >= 3
        && name.split('.').all(|w| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        })
}

fn is_wire_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}
