//! Checking a call's business parameters against its description, as the gateway would see
//! them: each a text, object parameters as JSON texts. The sandbox, `top call` and bulk sync
//! use this; the generated `validate()` of the domain crates applies the same
//! `top_core::rules` to typed values, so both sides give the same field and message.

use std::borrow::Cow;

use serde_json::Value;
use top_core::ValidationError;
use top_core::params::is_blank;

use crate::description::{Description, Side, format_rule};
use crate::overlay::CrossRule;
use crate::type_ref::TypeRef;
use crate::vendor::VendorParam;

impl Description {
    /// Checks business parameters (wire name → text, as sent in the form): required members
    /// present, values of their declared type, every rule of the description, and the rules
    /// across members. Blank values count as absent, as the client never sends them.
    ///
    /// ```
    /// # use top_model::{Description, Overlay, VendorApi};
    /// let vendor = VendorApi::from_json(r#"{"name":"taobao.demo.add","requestParams":[
    ///   {"name":"user","type":"DemoUser","required":true,"subParams":[
    ///     {"name":"mobile","type":"String","required":true}]}]}"#)?;
    /// let overlay = Overlay::from_toml(r#"
    /// crate = "demo"
    /// summary = "Adds a user."
    /// [members."user.mobile"]
    /// format = "mainland_mobile"
    /// "#).unwrap();
    /// let api = Description::new(vendor, overlay)?;
    /// let err = api.check_params([("user", r#"{"mobile":"12"}"#)]).unwrap_err();
    /// assert_eq!((err.field.as_ref(), err.rule.as_ref()), ("user.mobile",
    ///     "must be an 11-digit mainland China mobile number (1[3-9] followed by 9 digits)"));
    /// assert!(api.check_params([("user", r#"{"mobile":"13800000001"}"#)]).is_ok());
    /// # Ok::<(), top_model::ModelError>(())
    /// ```
    ///
    /// # Errors
    /// The first broken rule, naming the field path (`user.tags[2]`) and the rule, never the
    /// value.
    pub fn check_params<'a>(
        &self,
        params: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<(), ValidationError> {
        let given: Vec<(&str, &str)> = params.into_iter().filter(|(_, v)| !is_blank(v)).collect();
        let mut root = serde_json::Map::new();
        for param in &self.vendor.request_params {
            let value = given
                .iter()
                .find(|(name, _)| *name == param.name)
                .map(|(_, v)| *v);
            let Some(text) = value else {
                if self.is_required(&param.name) {
                    return Err(ValidationError::required(param.name.clone()));
                }
                continue;
            };
            let type_ref = type_of(param)?;
            let value = top_level_value(&param.name, &type_ref, text)?;
            self.check_value(param, &type_ref, &value, &param.name, &param.name)?;
            root.insert(param.name.clone(), value);
        }
        self.check_cross_rules(&Value::Object(root))
    }

    /// Checks a value already read (a row of a bulk file, a `-p` JSON value): the same
    /// checks as [`check_params`](Self::check_params) on `{name: value}` of the top-level
    /// parameters.
    ///
    /// # Errors
    /// The first broken rule, as [`check_params`](Self::check_params).
    pub fn check_json(
        &self,
        params: &serde_json::Map<String, Value>,
    ) -> Result<(), ValidationError> {
        for param in &self.vendor.request_params {
            match params.get(&param.name).filter(|v| !blank_value(v)) {
                None if self.is_required(&param.name) => {
                    return Err(ValidationError::required(param.name.clone()));
                }
                None => {}
                Some(value) => {
                    let type_ref = type_of(param)?;
                    self.check_value(param, &type_ref, value, &param.name, &param.name)?;
                }
            }
        }
        self.check_cross_rules(&Value::Object(params.clone()))
    }

    /// `field` is the path with indices (`a.list[2].m`), `rule_path` with `[]` (`a.list[].m`).
    fn check_value(
        &self,
        param: &VendorParam,
        type_ref: &TypeRef,
        value: &Value,
        field: &str,
        rule_path: &str,
    ) -> Result<(), ValidationError> {
        let rules = self.rules_of(rule_path);
        let owned = || Cow::Owned(field.to_owned());
        match type_ref {
            TypeRef::List(inner) => {
                let Value::Array(items) = value else {
                    return Err(ValidationError::new(owned(), "must be a list"));
                };
                for rule in &rules {
                    rule.check_items(owned(), items.len())?;
                }
                // Members declared unique within the list, with the values seen so far.
                let unique: Vec<&str> = match inner.as_ref() {
                    TypeRef::Object(_) => param
                        .sub_params
                        .iter()
                        .map(|m| m.name.as_str())
                        .filter(|name| {
                            self.overlay
                                .members
                                .get(&format!("{rule_path}[].{name}"))
                                .is_some_and(|m| m.unique)
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                let mut seen: Vec<std::collections::HashMap<String, usize>> =
                    vec![std::collections::HashMap::new(); unique.len()];
                for (i, item) in items.iter().enumerate() {
                    let item_field = format!("{field}[{i}]");
                    match inner.as_ref() {
                        TypeRef::Object(_) => {
                            self.check_object(param, item, &item_field, &format!("{rule_path}[]"))?;
                            for (name, seen) in unique.iter().zip(seen.iter_mut()) {
                                let Some(value) = item.get(*name).filter(|v| !blank_value(v))
                                else {
                                    continue;
                                };
                                let key = match value {
                                    Value::String(text) => text.clone(),
                                    other => other.to_string(),
                                };
                                if let Some(first) = seen.insert(key, i) {
                                    return Err(top_core::rules::repeated(
                                        format!("{item_field}.{name}"),
                                        first,
                                    ));
                                }
                            }
                        }
                        scalar => {
                            let text = scalar_text(scalar, item, &item_field)?;
                            if is_blank(&text) {
                                return Err(ValidationError::required(item_field));
                            }
                            for rule in rules.iter().filter(|r| !is_list_rule(r)) {
                                rule.check_text(item_field.clone(), &text)?;
                            }
                        }
                    }
                }
                Ok(())
            }
            TypeRef::Object(_) => self.check_object(param, value, field, rule_path),
            TypeRef::Bytes => Err(ValidationError::new(
                owned(),
                "is a file upload, which is not supported yet",
            )),
            scalar => {
                let text = scalar_text(scalar, value, field)?;
                for rule in &rules {
                    rule.check_text(owned(), &text)?;
                }
                Ok(())
            }
        }
    }

    fn check_object(
        &self,
        param: &VendorParam,
        value: &Value,
        field: &str,
        rule_path: &str,
    ) -> Result<(), ValidationError> {
        let Value::Object(members) = value else {
            return Err(ValidationError::new(
                field.to_owned(),
                "must be a JSON object",
            ));
        };
        for member in &param.sub_params {
            let member_field = format!("{field}.{}", member.name);
            let member_rule_path = format!("{rule_path}.{}", member.name);
            match members.get(&member.name).filter(|v| !blank_value(v)) {
                None if self.is_required(&member_rule_path) => {
                    return Err(ValidationError::required(member_field));
                }
                None => {}
                Some(v) => {
                    let type_ref = type_of(member)?;
                    self.check_value(member, &type_ref, v, &member_field, &member_rule_path)?;
                }
            }
        }
        Ok(())
    }

    fn check_cross_rules(&self, root: &Value) -> Result<(), ValidationError> {
        for rule in &self.overlay.rules {
            match rule {
                CrossRule::AtLeastOneOf { at_least_one_of } => {
                    if !at_least_one_of.iter().any(|p| lookup(root, p).is_some()) {
                        return Err(ValidationError::new(rule.field(), rule.message()));
                    }
                }
                CrossRule::When { when, then } => {
                    let triggered = lookup(root, &when.member)
                        .is_some_and(|v| v.trim().eq_ignore_ascii_case(when.equals.trim()));
                    if !triggered {
                        continue;
                    }
                    let value = lookup(root, &then.member).unwrap_or_default();
                    format_rule(then.format)
                        .check_text(then.member.clone(), &value)
                        .map_err(|_| ValidationError::new(rule.field(), rule.message()))?;
                }
            }
        }
        Ok(())
    }

    /// Whether a broken rule this description reported means something is missing: a
    /// required member, or none of several (`at_least_one_of`). A gateway answers those
    /// with code 40 and other broken rules as invalid.
    pub fn is_missing(&self, error: &ValidationError) -> bool {
        error.is_required()
            || self
                .overlay
                .rules
                .iter()
                .any(|rule| rule.is_missing() && rule.field() == error.field)
    }

    /// The member at a request path exists in the description (for `-p a.b=v`).
    pub fn has_request_member(&self, path: &str) -> bool {
        self.member(Side::Request, path).is_some()
    }
}

fn type_of(param: &VendorParam) -> Result<TypeRef, ValidationError> {
    param
        .type_ref()
        .map_err(|e| ValidationError::new(param.name.clone(), e.to_string()))
}

fn is_list_rule(rule: &top_core::rules::Rule) -> bool {
    matches!(
        rule,
        top_core::rules::Rule::MaxItems(_) | top_core::rules::Rule::MinItems(_)
    )
}

/// A top-level form value read as its declared type: objects and object lists as JSON texts,
/// scalar lists comma-joined, scalars as they are.
fn top_level_value(name: &str, type_ref: &TypeRef, text: &str) -> Result<Value, ValidationError> {
    match type_ref {
        TypeRef::Object(_) | TypeRef::List(_) if text.trim_start().starts_with(['{', '[']) => {
            serde_json::from_str(text)
                .map_err(|_| ValidationError::new(name.to_owned(), "must be valid JSON text"))
        }
        TypeRef::Object(_) => Err(ValidationError::new(
            name.to_owned(),
            "must be a JSON object",
        )),
        TypeRef::List(inner) if inner.object_name().is_some() => Err(ValidationError::new(
            name.to_owned(),
            "must be a JSON array",
        )),
        TypeRef::List(_) => Ok(Value::Array(
            text.split(',')
                .map(|s| Value::String(s.trim().to_owned()))
                .collect(),
        )),
        _ => Ok(Value::String(text.to_owned())),
    }
}

/// A scalar's text, checked against its declared type.
fn scalar_text(type_ref: &TypeRef, value: &Value, field: &str) -> Result<String, ValidationError> {
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ if *type_ref == TypeRef::Json => value.to_string(),
        _ => {
            return Err(ValidationError::new(
                field.to_owned(),
                "must be a single value",
            ));
        }
    };
    let ok = match type_ref {
        TypeRef::Number => text.trim().parse::<i64>().is_ok(),
        TypeRef::Boolean => matches!(text.trim(), "true" | "false"),
        TypeRef::Price => text.trim().parse::<f64>().is_ok_and(f64::is_finite),
        TypeRef::Date => top_core::time::parse_gmt8(text.trim()).is_some(),
        _ => true,
    };
    if ok {
        Ok(text)
    } else {
        let rule = match type_ref {
            TypeRef::Number => "must be a whole number",
            TypeRef::Boolean => "must be true or false",
            TypeRef::Price => "must be a decimal amount",
            _ => "must be `yyyy-MM-dd HH:mm:ss` (GMT+8)",
        };
        Err(ValidationError::new(field.to_owned(), rule))
    }
}

fn blank_value(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => is_blank(s),
        _ => false,
    }
}

/// The scalar text at a `[]`-free path of `root`, when set and not blank.
fn lookup(root: &Value, path: &str) -> Option<String> {
    match crate::value::at_path(root, path)? {
        Value::String(s) if !is_blank(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}
