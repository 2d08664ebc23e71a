//! One API as the generator sees it: the Rust name and shape of every member, with the
//! description's problems found before any code is written.

use std::collections::BTreeMap;

use top_model::overlay::{MemberOverlay, Redact};
use top_model::{Description, TypeRef, VendorParam};

use super::names::{self, Ident};

/// A description the generator cannot turn into Rust: the file (vendor part or overlay), the
/// member path or overlay key, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fault {
    pub(crate) in_overlay: bool,
    pub(crate) path: String,
    pub(crate) reason: String,
}

impl Fault {
    pub(crate) fn vendor(path: impl Into<String>, reason: impl Into<String>) -> Self {
        Fault {
            in_overlay: false,
            path: path.into(),
            reason: reason.into(),
        }
    }

    pub(crate) fn overlay(path: impl Into<String>, reason: impl Into<String>) -> Self {
        Fault {
            in_overlay: true,
            path: path.into(),
            reason: reason.into(),
        }
    }
}

/// How a text member is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Text {
    /// `String`.
    Plain,
    /// `top_core::Mobile`: `Debug` masks it.
    Mobile,
    /// `top_core::Sensitive<String>`: `Debug` hides it.
    Secret,
}

/// A check of a text member's type that the Rust type cannot make (the gateway's, as
/// `top_model`'s checks make it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TypeCheck {
    /// `Price`: a decimal amount.
    Price,
    /// A `Date` kept as text (in a list, or redacted).
    Date,
}

/// The Rust type of a request member, or of a list's entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Scalar {
    Text(Text, Option<TypeCheck>),
    Int,
    Bool,
    /// `DateTime<Utc>`, sent as GMT+8 text.
    Date,
    /// An enum of the overlay, by name.
    Enum(String),
    /// Codes of an enum of the overlay, sent as one comma-separated text (`"1,2"`).
    Codes(String),
    /// A generated struct, by Rust name.
    Object(String),
}

/// A request member's Rust shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Shape {
    pub(crate) scalar: Scalar,
    pub(crate) list: bool,
}

/// A member of the request or of one of its object types.
#[derive(Debug, Clone)]
pub(crate) struct Field<'a> {
    pub(crate) param: &'a VendorParam,
    pub(crate) ident: Ident,
    /// The overlay's path of the member (`param.list[].mobile`).
    pub(crate) rule_path: String,
    pub(crate) required: bool,
    pub(crate) shape: Shape,
    pub(crate) overlay: Option<&'a MemberOverlay>,
    /// The Rust expression of the overlay's default value: a required member the
    /// constructor fills itself (a setter changes it).
    pub(crate) default: Option<String>,
}

impl Field<'_> {
    /// Sent even when blank (text) or zero (numbers, enums).
    pub(crate) fn always_send(&self) -> bool {
        self.overlay.is_some_and(|o| o.always_send)
    }

    /// The same Rust member: what two positions of one type must agree on.
    fn same_as(&self, other: &Field<'_>) -> bool {
        self.param.name == other.param.name
            && self.ident == other.ident
            && self.required == other.required
            && self.shape == other.shape
            && self.always_send() == other.always_send()
            && self.default == other.default
            && self.overlay.is_some_and(|o| o.unique) == other.overlay.is_some_and(|o| o.unique)
    }
}

/// A vendor object type of the request.
#[derive(Debug, Clone)]
pub(crate) struct Object<'a> {
    pub(crate) name: String,
    pub(crate) vendor_name: String,
    /// The member that first declares it (its description describes the type).
    pub(crate) declared_by: &'a VendorParam,
    pub(crate) fields: Vec<Field<'a>>,
}

/// The Rust type of a response member, or of a list's entries: every scalar is read
/// leniently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Answer {
    Text,
    /// A text the overlay marks secret: `Sensitive<String>`.
    Secret,
    /// A text the overlay marks a mobile number: `Mobile`.
    Mobile,
    Int,
    Bool,
    Object(String),
}

/// A member of the response or of one of its object types.
#[derive(Debug, Clone)]
pub(crate) struct AnswerField<'a> {
    pub(crate) param: &'a VendorParam,
    /// The response path, as the overlay writes it (`error_infos[].error_code`).
    pub(crate) path: String,
    pub(crate) ident: Ident,
    pub(crate) answer: Answer,
    pub(crate) list: bool,
}

/// A vendor object type of the response.
#[derive(Debug, Clone)]
pub(crate) struct AnswerObject<'a> {
    pub(crate) name: String,
    pub(crate) vendor_name: String,
    pub(crate) declared_by: &'a VendorParam,
    pub(crate) fields: Vec<AnswerField<'a>>,
}

/// One API, ready to be written.
#[derive(Debug)]
pub(crate) struct Api<'a> {
    pub(crate) d: &'a Description,
    pub(crate) module: String,
    pub(crate) request: String,
    pub(crate) response: String,
    /// The business parameters.
    pub(crate) params: Vec<Field<'a>>,
    /// The request's object types, outermost first.
    pub(crate) objects: Vec<Object<'a>>,
    /// The response's members (without the platform's `request_id`).
    pub(crate) answers: Vec<AnswerField<'a>>,
    /// The response's object types, outermost first.
    pub(crate) answer_objects: Vec<AnswerObject<'a>>,
    /// The overlay's enums the request uses, in order of first use.
    pub(crate) enums: Vec<String>,
}

impl<'a> Api<'a> {
    /// Reads `d` as Rust, in module `module`.
    pub(crate) fn new(d: &'a Description, module: String) -> Result<Self, Fault> {
        let method = d.method();
        let mut api = Api {
            d,
            request: names::request_type(method),
            response: names::response_type(method),
            module,
            params: Vec::new(),
            objects: Vec::new(),
            answers: Vec::new(),
            answer_objects: Vec::new(),
            enums: Vec::new(),
        };
        api.params = api.request_fields(&d.vendor.request_params, "", "request")?;
        api.answers = api.answer_fields(&d.vendor.response_params, "response")?;
        for object in &api.objects {
            if let Some(other) = api
                .answer_objects
                .iter()
                .find(|o| o.vendor_name == object.vendor_name)
            {
                return Err(Fault::vendor(
                    format!("response.{}", other.declared_by.name),
                    format!(
                        "type `{}` is both a request and a response type; the generator needs distinct names",
                        object.vendor_name
                    ),
                ));
            }
        }
        for object in &api.objects {
            let Some(order) = d
                .overlay
                .types
                .get(&object.vendor_name)
                .map(|t| &t.new)
                .filter(|order| !order.is_empty())
            else {
                continue;
            };
            let mut required: Vec<&str> = object
                .fields
                .iter()
                .filter(|f| f.required && f.default.is_none())
                .map(|f| f.param.name.as_str())
                .collect();
            let mut given: Vec<&str> = order.iter().map(String::as_str).collect();
            required.sort_unstable();
            given.sort_unstable();
            if required != given {
                return Err(Fault::overlay(
                    format!("types.{}.new", object.vendor_name),
                    format!(
                        "must list every required member once: {}",
                        required.join(", ")
                    ),
                ));
            }
        }
        let mut rust_names: BTreeMap<&str, &str> = BTreeMap::new();
        let all = api
            .objects
            .iter()
            .map(|o| (o.name.as_str(), o.vendor_name.as_str()))
            .chain(
                api.answer_objects
                    .iter()
                    .map(|o| (o.name.as_str(), o.vendor_name.as_str())),
            );
        for (name, vendor) in all {
            if let Some(before) = rust_names.insert(name, vendor) {
                return Err(Fault::vendor(
                    "$",
                    format!("types `{before}` and `{vendor}` both become the Rust type `{name}`"),
                ));
            }
        }
        Ok(api)
    }

    /// The overlay's short alias of the request type.
    pub(crate) fn alias(&self) -> Option<&str> {
        self.d.overlay.alias.as_deref()
    }

    /// The request's members of `params`, at overlay path `prefix` (`""`, `a.`, `a.list[].`).
    fn request_fields(
        &mut self,
        params: &'a [VendorParam],
        prefix: &str,
        vendor_path: &str,
    ) -> Result<Vec<Field<'a>>, Fault> {
        let mut fields: Vec<Field<'a>> = Vec::with_capacity(params.len());
        for param in params {
            let rule_path = format!("{prefix}{}", param.name);
            let here = format!("{vendor_path}.{}", param.name);
            let type_ref = param
                .type_ref()
                .map_err(|e| Fault::vendor(&here, e.to_string()))?;
            let overlay = self.d.overlay.members.get(&rule_path);
            let shape = self.shape(&type_ref, overlay, &rule_path, &here)?;
            if let Scalar::Object(name) = &shape.scalar {
                let inner_prefix = if shape.list {
                    format!("{rule_path}[].")
                } else {
                    format!("{rule_path}.")
                };
                let inner_vendor = if shape.list {
                    format!("{here}[]")
                } else {
                    here.clone()
                };
                let vendor_name = type_ref.object_name().unwrap_or_default().to_owned();
                let slot = self
                    .objects
                    .iter()
                    .position(|o| o.vendor_name == vendor_name);
                if slot.is_none() {
                    // Outermost first: the slot is taken before the members are read.
                    self.objects.push(Object {
                        name: name.clone(),
                        vendor_name: vendor_name.clone(),
                        declared_by: param,
                        fields: Vec::new(),
                    });
                }
                let members =
                    self.request_fields(&param.sub_params, &inner_prefix, &inner_vendor)?;
                match slot {
                    None => {
                        if let Some(object) = self
                            .objects
                            .iter_mut()
                            .find(|o| o.vendor_name == vendor_name)
                        {
                            object.fields = members;
                        }
                    }
                    Some(i) => {
                        let same = self.objects[i].fields.len() == members.len()
                            && self.objects[i]
                                .fields
                                .iter()
                                .zip(&members)
                                .all(|(a, b)| a.same_as(b));
                        if !same {
                            return Err(Fault::overlay(
                                format!("members.\"{rule_path}\""),
                                format!(
                                    "type `{vendor_name}` appears twice with different members or rules (also at `{}`); one Rust type needs one shape",
                                    self.objects[i].declared_by.name
                                ),
                            ));
                        }
                    }
                }
            }
            let ident = field_ident(param, fields.iter().map(|f| (&f.ident, f.param)));
            let required = self.d.is_required(&rule_path);
            let default =
                match overlay.and_then(|o| o.default.as_deref()) {
                    None => None,
                    Some(_) if !required => {
                        return Err(Fault::overlay(
                            format!("members.\"{rule_path}\".default"),
                            "only a required member has a default (an optional one is not sent)",
                        ));
                    }
                    Some(value) => Some(self.default_expr(&shape, value).map_err(|r| {
                        Fault::overlay(format!("members.\"{rule_path}\".default"), r)
                    })?),
                };
            fields.push(Field {
                param,
                ident,
                required,
                rule_path,
                shape,
                overlay,
                default,
            });
        }
        Ok(fields)
    }

    /// The Rust expression of a default wire value of a member of `shape`.
    fn default_expr(&self, shape: &Shape, value: &str) -> Result<String, String> {
        match (&shape.scalar, shape.list) {
            (Scalar::Enum(name), false) => self
                .d
                .overlay
                .enums
                .get(name)
                .and_then(|e| e.values.iter().find(|v| v.code == value))
                .map(|v| format!("{name}::{}", v.name))
                .ok_or_else(|| format!("`{value}` is not a code of the enum `{name}`")),
            (Scalar::Text(Text::Plain, None), false) => {
                Ok(format!("{}.to_owned()", names::lit(value)))
            }
            (Scalar::Int, false) => value
                .trim()
                .parse::<i64>()
                .map(|n| n.to_string())
                .map_err(|_| format!("`{value}` is not a whole number")),
            (Scalar::Bool, false) => match value {
                "true" | "false" => Ok(value.to_owned()),
                _ => Err(format!("`{value}` is not true or false")),
            },
            _ => Err("a default applies to a plain text, number, boolean or enum member".into()),
        }
    }

    fn shape(
        &mut self,
        type_ref: &TypeRef,
        overlay: Option<&MemberOverlay>,
        rule_path: &str,
        here: &str,
    ) -> Result<Shape, Fault> {
        let key = || format!("members.\"{rule_path}\"");
        let (inner, list) = match type_ref {
            TypeRef::List(inner) => (inner.as_ref(), true),
            other => (other, false),
        };
        let redact = overlay.and_then(|o| o.redact);
        let text = match redact {
            None => Text::Plain,
            Some(Redact::Mobile) => Text::Mobile,
            Some(Redact::Secret) => Text::Secret,
            Some(_) => {
                return Err(Fault::overlay(
                    key(),
                    "a redaction the generator does not know",
                ));
            }
        };
        if let Some(name) = overlay.and_then(|o| o.enum_name.as_deref()) {
            if !matches!(inner, TypeRef::String | TypeRef::Number) {
                return Err(Fault::overlay(
                    key(),
                    format!("an enum member must be a String or a Number, not `{type_ref}`"),
                ));
            }
            if redact.is_some() {
                return Err(Fault::overlay(key(), "an enum member cannot be redacted"));
            }
            if !self.enums.iter().any(|e| e == name) {
                self.enums.push(name.to_owned());
            }
            return Ok(Shape {
                scalar: Scalar::Enum(name.to_owned()),
                list,
            });
        }
        if let Some(name) = overlay.and_then(|o| o.codes.as_deref()) {
            if list || !matches!(inner, TypeRef::String) {
                return Err(Fault::overlay(
                    key(),
                    format!("a list of codes is sent as one String, not `{type_ref}`"),
                ));
            }
            if redact.is_some() {
                return Err(Fault::overlay(key(), "a list of codes cannot be redacted"));
            }
            if self.d.is_required(rule_path) {
                return Err(Fault::overlay(
                    key(),
                    "the generator keeps a list of codes optional (empty is not sent)",
                ));
            }
            if !self.enums.iter().any(|e| e == name) {
                self.enums.push(name.to_owned());
            }
            return Ok(Shape {
                scalar: Scalar::Codes(name.to_owned()),
                list: false,
            });
        }
        let not_text = |what: &str| {
            Fault::overlay(
                key(),
                format!("`redact` applies to text members; this one is a {what}"),
            )
        };
        let scalar = match inner {
            TypeRef::String | TypeRef::Json | TypeRef::FieldList => Scalar::Text(text, None),
            TypeRef::Price => Scalar::Text(text, Some(TypeCheck::Price)),
            TypeRef::Date if list || redact.is_some() => Scalar::Text(text, Some(TypeCheck::Date)),
            TypeRef::Date => Scalar::Date,
            TypeRef::Number if redact.is_some() => return Err(not_text("Number")),
            TypeRef::Number => Scalar::Int,
            TypeRef::Boolean if redact.is_some() => return Err(not_text("Boolean")),
            TypeRef::Boolean => Scalar::Bool,
            TypeRef::Object(_) if redact.is_some() => return Err(not_text("object")),
            TypeRef::Object(name) => Scalar::Object(names::type_name(name, &self.module)),
            TypeRef::Bytes => {
                return Err(Fault::vendor(
                    here,
                    "a file upload (`byte[]`): the client cannot send files yet",
                ));
            }
            other => {
                return Err(Fault::vendor(
                    here,
                    format!("type `{other}` is not supported by the generator"),
                ));
            }
        };
        Ok(Shape { scalar, list })
    }

    fn answer_fields(
        &mut self,
        params: &'a [VendorParam],
        vendor_path: &str,
    ) -> Result<Vec<AnswerField<'a>>, Fault> {
        let mut fields: Vec<AnswerField<'a>> = Vec::with_capacity(params.len());
        for param in params {
            let here = format!("{vendor_path}.{}", param.name);
            let type_ref = param
                .type_ref()
                .map_err(|e| Fault::vendor(&here, e.to_string()))?;
            let (inner, list) = match &type_ref {
                TypeRef::List(inner) => (inner.as_ref(), true),
                other => (other, false),
            };
            let answer = match inner {
                TypeRef::Number => Answer::Int,
                TypeRef::Boolean => Answer::Bool,
                TypeRef::Object(vendor_name) => {
                    let name = names::type_name(vendor_name, &self.module);
                    let inner_path = if list {
                        format!("{here}[]")
                    } else {
                        here.clone()
                    };
                    let slot = self
                        .answer_objects
                        .iter()
                        .position(|o| &o.vendor_name == vendor_name);
                    if slot.is_none() {
                        self.answer_objects.push(AnswerObject {
                            name: name.clone(),
                            vendor_name: vendor_name.clone(),
                            declared_by: param,
                            fields: Vec::new(),
                        });
                    }
                    let members = self.answer_fields(&param.sub_params, &inner_path)?;
                    match slot {
                        None => {
                            if let Some(object) = self
                                .answer_objects
                                .iter_mut()
                                .find(|o| &o.vendor_name == vendor_name)
                            {
                                object.fields = members;
                            }
                        }
                        Some(i) => {
                            let before = &self.answer_objects[i].fields;
                            let same = before.len() == members.len()
                                && before.iter().zip(&members).all(|(a, b)| {
                                    a.param.name == b.param.name
                                        && a.answer == b.answer
                                        && a.list == b.list
                                });
                            if !same {
                                return Err(Fault::vendor(
                                    &here,
                                    format!(
                                        "type `{vendor_name}` appears twice with different members; one Rust type needs one shape"
                                    ),
                                ));
                            }
                        }
                    }
                    Answer::Object(name)
                }
                _ => Answer::Text,
            };
            let path = here.strip_prefix("response.").unwrap_or(&here).to_owned();
            let answer = match (
                answer,
                self.d.overlay.answers.get(&path).and_then(|a| a.redact),
            ) {
                (answer, None) => answer,
                (Answer::Text, Some(Redact::Secret)) => Answer::Secret,
                (Answer::Text, Some(Redact::Mobile)) => Answer::Mobile,
                (_, Some(_)) => {
                    return Err(Fault::overlay(
                        format!("answers.\"{path}\".redact"),
                        "only a text member can be redacted",
                    ));
                }
            };
            let ident = field_ident(param, fields.iter().map(|f| (&f.ident, f.param)));
            fields.push(AnswerField {
                param,
                path,
                ident,
                answer,
                list,
            });
        }
        Ok(fields)
    }

    /// The request's members of the object type `name`.
    pub(crate) fn object(&self, name: &str) -> Option<&Object<'a>> {
        self.objects.iter().find(|o| o.name == name)
    }

    /// The response's members of the object type `name`.
    pub(crate) fn answer_object(&self, name: &str) -> Option<&AnswerObject<'a>> {
        self.answer_objects.iter().find(|o| o.name == name)
    }

    /// Every type name the module defines or uses, for the crate's name plan: the request,
    /// its alias, the response, the object types.
    pub(crate) fn type_names(&self) -> Vec<&str> {
        let mut names = vec![self.request.as_str(), self.response.as_str()];
        names.extend(self.alias());
        names.extend(self.objects.iter().map(|o| o.name.as_str()));
        names.extend(self.answer_objects.iter().map(|o| o.name.as_str()));
        names
    }
}

/// The Rust field of `param`. Members whose names differ only in case or punctuation
/// (`userId` and `user_id`) would become one field: the first in the vendor's order keeps the
/// name, each later one gets the next free `_2`, `_3`... (`user_id_2`), and its docs say the
/// wire name it is sent as. The vendor's order decides, so the names stay as long as the
/// vendor lists the members in the same order.
fn field_ident<'a>(
    param: &VendorParam,
    siblings: impl Iterator<Item = (&'a Ident, &'a VendorParam)>,
) -> Ident {
    let ident = names::field(&param.name);
    let taken: Vec<&str> = siblings.map(|(taken, _)| taken.plain.as_str()).collect();
    if !taken.contains(&ident.plain.as_str()) {
        return ident;
    }
    (2..)
        .map(|n| names::field(&format!("{}_{n}", ident.plain)))
        .find(|candidate| !taken.contains(&candidate.plain.as_str()))
        .unwrap_or(ident)
}
