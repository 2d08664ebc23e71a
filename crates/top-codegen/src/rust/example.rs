//! A request written as Rust from a sample of its business parameters (typed JSON, as
//! `top_model::Description::sample_request` makes it): the constructor with the required
//! members, then a setter per optional one. The generated sample tests and a new crate's
//! README use it, so both build requests the way a user would.

use std::collections::BTreeSet;

use serde_json::{Map, Value};
use top_model::overlay::Wire;

use super::api::{Api, Field, Scalar};
use super::emit::setter_name;
use super::names::lit;

/// Where the names of the types a request needs come from.
pub(crate) trait TypePaths {
    /// The path of a struct or enum of `api`'s module (`Thing`, `demo::thing_add::Thing`).
    fn path(&self, name: &str) -> String;
}

/// A request expression and the type names it uses.
#[derive(Debug)]
pub(crate) struct Example {
    pub(crate) code: String,
    pub(crate) types: BTreeSet<String>,
}

/// `Request::new(...)` and setters for `sample`, or why it cannot be written. The code may
/// use `?` (a `Date` is read from its text), so it belongs in a function that returns a
/// `Result` with a boxed error.
pub(crate) fn request(
    api: &Api<'_>,
    sample: &Map<String, Value>,
    paths: &dyn TypePaths,
) -> Result<Example, String> {
    let mut writer = Writer {
        api,
        paths,
        types: BTreeSet::new(),
    };
    let request = paths.path(&api.request);
    writer.types.insert(api.request.clone());
    let code = writer.build(&request, &api.params, sample, &[], "", 0)?;
    Ok(Example {
        code,
        types: writer.types,
    })
}

struct Writer<'w, 'a> {
    api: &'w Api<'a>,
    paths: &'w dyn TypePaths,
    types: BTreeSet<String>,
}

impl Writer<'_, '_> {
    /// `Type::new(required...)` then `.setter(optional)` for each member `sample` holds.
    fn build(
        &mut self,
        type_path: &str,
        fields: &[Field<'_>],
        sample: &Map<String, Value>,
        order: &[String],
        at: &str,
        depth: usize,
    ) -> Result<String, String> {
        let mut required: Vec<&Field<'_>> = fields
            .iter()
            .filter(|f| f.required && f.default.is_none())
            .collect();
        required.sort_by_key(|f| order.iter().position(|name| *name == f.param.name));
        let mut args = Vec::new();
        for field in &required {
            let value = sample.get(&field.param.name).ok_or_else(|| {
                format!(
                    "{at}{}: the sample lacks a required member",
                    field.param.name
                )
            })?;
            args.push(self.value(field, value, at, depth)?);
        }
        // Positional arguments say which member each is, as a reader of the vendor's page
        // would look for it.
        let mut code = if args.len() > 1 && args.iter().all(|a| !a.contains('\n')) {
            let indent = "    ".repeat(depth + 1);
            let mut code = format!("{type_path}::new(\n");
            for (arg, field) in args.iter().zip(&required) {
                code.push_str(&format!("{indent}{arg}, // {}\n", field.param.name));
            }
            code.push_str(&format!("{})", "    ".repeat(depth)));
            code
        } else {
            format!("{type_path}::new({})", args.join(", "))
        };
        let request = depth == 0;
        for field in fields.iter().filter(|f| !f.required || f.default.is_some()) {
            let Some(value) = sample.get(&field.param.name) else {
                continue;
            };
            if value.is_null() {
                continue;
            }
            let value = self.value(field, value, at, depth)?;
            let indent = "    ".repeat(depth + 1);
            code.push_str(&format!(
                "\n{indent}.{}({value})",
                setter_name(field, request)
            ));
        }
        Ok(code)
    }

    fn value(
        &mut self,
        field: &Field<'_>,
        value: &Value,
        at: &str,
        depth: usize,
    ) -> Result<String, String> {
        let here = format!("{at}{}", field.param.name);
        if field.shape.list {
            let items = match value {
                Value::Array(items) => items.clone(),
                Value::String(text) if !matches!(field.shape.scalar, Scalar::Object(_)) => text
                    .split(',')
                    .map(|s| Value::String(s.trim().to_owned()))
                    .collect(),
                _ => return Err(format!("{here}: the sample is not a list")),
            };
            let items = items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    self.scalar(&field.shape.scalar, item, &format!("{here}[{i}]"), depth)
                })
                .collect::<Result<Vec<_>, _>>()?;
            return Ok(format!("[{}]", items.join(", ")));
        }
        if let Scalar::Codes(name) = &field.shape.scalar {
            let codes: Vec<Value> = match value {
                Value::Array(items) => items.clone(),
                Value::String(text) => text
                    .split(',')
                    .map(|s| Value::String(s.trim().to_owned()))
                    .collect(),
                other => vec![other.clone()],
            };
            let variants = codes
                .iter()
                .map(|code| self.variant(name, code, &here))
                .collect::<Result<Vec<_>, _>>()?;
            return Ok(format!("[{}]", variants.join(", ")));
        }
        self.scalar(&field.shape.scalar, value, &here, depth)
    }

    fn scalar(
        &mut self,
        scalar: &Scalar,
        value: &Value,
        here: &str,
        depth: usize,
    ) -> Result<String, String> {
        let text = || match value {
            Value::String(text) => Some(text.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        };
        match scalar {
            Scalar::Text(..) => text()
                .map(|t| lit(&t))
                .ok_or_else(|| format!("{here}: the sample is not a text")),
            Scalar::Int => text()
                .and_then(|t| t.trim().parse::<i64>().ok())
                .map(|n| n.to_string())
                .ok_or_else(|| format!("{here}: the sample is not a whole number")),
            Scalar::Bool => match value {
                Value::Bool(b) => Ok(b.to_string()),
                Value::String(t) if t == "true" || t == "false" => Ok(t.clone()),
                _ => Err(format!("{here}: the sample is not true or false")),
            },
            Scalar::Date => {
                let text = text().ok_or_else(|| format!("{here}: the sample is not a date"))?;
                Ok(format!(
                    "top_core::time::parse_gmt8({}).ok_or(\"a GMT+8 time\")?",
                    lit(&text)
                ))
            }
            Scalar::Enum(name) => self.variant(name, value, here),
            Scalar::Codes(name) => Ok(format!("[{}]", self.variant(name, value, here)?)),
            Scalar::Object(name) => {
                let Value::Object(members) = value else {
                    return Err(format!("{here}: the sample is not an object"));
                };
                let object = self
                    .api
                    .objects
                    .iter()
                    .find(|o| o.name == *name)
                    .ok_or_else(|| format!("{here}: no type `{name}`"))?;
                let order = self
                    .api
                    .d
                    .overlay
                    .types
                    .get(&object.vendor_name)
                    .map(|t| t.new.clone())
                    .unwrap_or_default();
                self.types.insert(name.clone());
                let path = self.paths.path(name);
                let fields = object.fields.clone();
                self.build(
                    &path,
                    &fields,
                    members,
                    &order,
                    &format!("{here}."),
                    depth + 1,
                )
            }
        }
    }

    /// `Enum::Variant` for a code of the overlay's enum `name`.
    fn variant(&mut self, name: &str, code: &Value, here: &str) -> Result<String, String> {
        let def = self
            .api
            .d
            .overlay
            .enums
            .get(name)
            .ok_or_else(|| format!("{here}: no enum `{name}`"))?;
        let code = match code {
            Value::String(text) => text.trim().to_owned(),
            Value::Number(n) => n.to_string(),
            _ => return Err(format!("{here}: the sample is not a code of {name}")),
        };
        let same = |declared: &str| match def.wire {
            Wire::Number => declared.trim().parse::<i64>().ok() == code.parse::<i64>().ok(),
            _ => declared == code,
        };
        let value = def
            .values
            .iter()
            .find(|v| same(&v.code))
            .ok_or_else(|| format!("{here}: `{code}` is not a code of {name}"))?;
        self.types.insert(name.to_owned());
        Ok(format!("{}::{}", self.paths.path(name), value.name))
    }
}
