//! The one flattener from a request struct to wire parameters, written as a serde
//! `Serializer` so that nothing is built twice: scalar fields become text directly and object
//! fields are written straight to compact JSON.

use std::fmt;

use serde::Serialize;
use serde::ser::{self, Impossible};
use serde_json::Value;

use crate::error::{Error, ValidationError};
use crate::params::Params;

/// Flattens a request struct into wire parameters.
///
/// Rules (docs/protocol.md §4): strings as they are, numbers and booleans as text,
/// top-level lists of scalars comma-joined, objects and lists of objects as compact JSON with
/// the serde (snake_case) names, `None` omitted, zeros kept, empty and blank values dropped.
/// Dates are written by the field's serde attribute ([`crate::time::gmt8`]). A struct or a
/// map with string keys (such as a `serde_json::Value` object) is accepted.
///
/// ```
/// #[derive(serde::Serialize)]
/// struct Req { biz_code: &'static str, tags: Vec<&'static str>, zero: u8, none: Option<u8>, obj: Obj }
/// #[derive(serde::Serialize)]
/// struct Obj { a: u8, b: Vec<&'static str> }
/// let p = top_core::to_params(&Req { biz_code: "X", tags: vec!["a", "b"], zero: 0, none: None, obj: Obj { a: 1, b: vec!["c"] } }).unwrap();
/// assert_eq!(p.iter().collect::<Vec<_>>(), [("biz_code", "X"), ("obj", r#"{"a":1,"b":["c"]}"#), ("tags", "a,b"), ("zero", "0")]);
/// ```
pub fn to_params<T: Serialize + ?Sized>(request: &T) -> Result<Params, Error> {
    let mut params = Params::new();
    request
        .serialize(TopLevel {
            params: &mut params,
        })
        .map_err(|e| ValidationError::new(e.field.unwrap_or_else(|| "$".into()), e.rule))?;
    Ok(params)
}

/// Why a request cannot be flattened.
#[derive(Debug)]
struct FlattenError {
    field: Option<String>,
    rule: String,
}

impl FlattenError {
    fn not_a_struct() -> Self {
        FlattenError {
            field: None,
            rule: "a request must serialize to a struct of named fields".into(),
        }
    }
}

impl fmt::Display for FlattenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.rule)
    }
}

impl std::error::Error for FlattenError {}

impl ser::Error for FlattenError {
    fn custom<M: fmt::Display>(msg: M) -> Self {
        FlattenError {
            field: None,
            rule: format!("cannot be encoded: {msg}"),
        }
    }
}

/// The request itself: only a struct or a string-keyed map is a request.
struct TopLevel<'a> {
    params: &'a mut Params,
}

/// Every non-struct shape of a request is refused the same way.
macro_rules! refuse {
    ($($name:ident($($arg:ty),*)),* $(,)?) => {
        $(fn $name(self, $(_: $arg),*) -> Result<Self::Ok, Self::Error> {
            Err(FlattenError::not_a_struct())
        })*
    };
}

impl<'a> ser::Serializer for TopLevel<'a> {
    type Ok = ();
    type Error = FlattenError;
    type SerializeSeq = Impossible<(), FlattenError>;
    type SerializeTuple = Impossible<(), FlattenError>;
    type SerializeTupleStruct = Impossible<(), FlattenError>;
    type SerializeTupleVariant = Impossible<(), FlattenError>;
    type SerializeMap = Fields<'a>;
    type SerializeStruct = Fields<'a>;
    type SerializeStructVariant = Impossible<(), FlattenError>;

    refuse!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_f32(f32),
        serialize_f64(f64),
        serialize_char(char),
        serialize_str(&str),
        serialize_bytes(&[u8]),
        serialize_none(),
        serialize_unit(),
        serialize_unit_struct(&'static str),
        serialize_unit_variant(&'static str, u32, &'static str),
    );

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), FlattenError> {
        value.serialize(self)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), FlattenError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), FlattenError> {
        Err(FlattenError::not_a_struct())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, FlattenError> {
        Err(FlattenError::not_a_struct())
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, FlattenError> {
        Err(FlattenError::not_a_struct())
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, FlattenError> {
        Err(FlattenError::not_a_struct())
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, FlattenError> {
        Err(FlattenError::not_a_struct())
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Fields<'a>, FlattenError> {
        Ok(Fields {
            params: self.params,
            key: None,
        })
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Fields<'a>, FlattenError> {
        Ok(Fields {
            params: self.params,
            key: None,
        })
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, FlattenError> {
        Err(FlattenError::not_a_struct())
    }
}

/// The fields of the request, each becoming one parameter.
struct Fields<'a> {
    params: &'a mut Params,
    key: Option<String>,
}

impl Fields<'_> {
    fn add<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) -> Result<(), FlattenError> {
        if let Some(text) = wire_text(name, value)? {
            self.params.insert(name, text);
        }
        Ok(())
    }
}

impl ser::SerializeStruct for Fields<'_> {
    type Ok = ();
    type Error = FlattenError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), FlattenError> {
        self.add(name, value)
    }
    fn end(self) -> Result<(), FlattenError> {
        Ok(())
    }
}

impl ser::SerializeMap for Fields<'_> {
    type Ok = ();
    type Error = FlattenError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), FlattenError> {
        match key.serialize(Scalar) {
            Ok(Some(text)) => {
                self.key = Some(text);
                Ok(())
            }
            _ => Err(FlattenError {
                field: None,
                rule: "parameter names must be strings".into(),
            }),
        }
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), FlattenError> {
        let name = self.key.take().unwrap_or_default();
        self.add(&name, value)
    }
    fn end(self) -> Result<(), FlattenError> {
        Ok(())
    }
}

/// The wire text of one field: `None` when it is absent.
fn wire_text<T: Serialize + ?Sized>(name: &str, value: &T) -> Result<Option<String>, FlattenError> {
    match value.serialize(Scalar) {
        Ok(text) => Ok(text),
        Err(NotScalar) => {
            let json = serde_json::to_string(value).map_err(|e| FlattenError {
                field: Some(name.to_owned()),
                rule: format!("cannot be encoded as JSON: {e}"),
            })?;
            // A top-level list of scalars is comma-joined; anything holding objects stays JSON.
            if json.starts_with('[')
                && let Ok(items) = serde_json::from_str::<Vec<Value>>(&json)
                && items.iter().all(|v| !v.is_array() && !v.is_object())
            {
                let parts: Vec<String> = items.into_iter().filter_map(scalar_text).collect();
                return Ok(Some(parts.join(",")));
            }
            Ok(Some(json))
        }
    }
}

fn scalar_text(v: Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The value is not a scalar: it is written as JSON instead.
#[derive(Debug)]
struct NotScalar;

impl fmt::Display for NotScalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a scalar")
    }
}

impl std::error::Error for NotScalar {}

impl ser::Error for NotScalar {
    fn custom<M: fmt::Display>(_: M) -> Self {
        NotScalar
    }
}

/// Reads a scalar as its wire text (JSON's number and boolean spelling); `Ok(None)` for
/// `None` and unit; [`NotScalar`] for anything compound.
struct Scalar;

macro_rules! scalar_as_json {
    ($($name:ident($ty:ty)),* $(,)?) => {
        $(fn $name(self, v: $ty) -> Result<Option<String>, NotScalar> {
            serde_json::to_string(&v).map(Some).map_err(|_| NotScalar)
        })*
    };
}

macro_rules! compound {
    ($($name:ident($($arg:ty),*) -> $ret:ty),* $(,)?) => {
        $(fn $name(self, $(_: $arg),*) -> Result<$ret, NotScalar> {
            Err(NotScalar)
        })*
    };
}

impl ser::Serializer for Scalar {
    type Ok = Option<String>;
    type Error = NotScalar;
    type SerializeSeq = Impossible<Option<String>, NotScalar>;
    type SerializeTuple = Impossible<Option<String>, NotScalar>;
    type SerializeTupleStruct = Impossible<Option<String>, NotScalar>;
    type SerializeTupleVariant = Impossible<Option<String>, NotScalar>;
    type SerializeMap = Impossible<Option<String>, NotScalar>;
    type SerializeStruct = Impossible<Option<String>, NotScalar>;
    type SerializeStructVariant = Impossible<Option<String>, NotScalar>;

    scalar_as_json!(
        serialize_bool(bool),
        serialize_i8(i8),
        serialize_i16(i16),
        serialize_i32(i32),
        serialize_i64(i64),
        serialize_i128(i128),
        serialize_u8(u8),
        serialize_u16(u16),
        serialize_u32(u32),
        serialize_u64(u64),
        serialize_u128(u128),
        serialize_f32(f32),
        serialize_f64(f64),
    );

    fn serialize_char(self, v: char) -> Result<Option<String>, NotScalar> {
        Ok(Some(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Option<String>, NotScalar> {
        Ok(Some(v.to_owned()))
    }
    fn serialize_none(self) -> Result<Option<String>, NotScalar> {
        Ok(None)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Option<String>, NotScalar> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Option<String>, NotScalar> {
        Ok(None)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Option<String>, NotScalar> {
        Ok(None)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Option<String>, NotScalar> {
        Ok(Some(variant.to_owned()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Option<String>, NotScalar> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Option<String>, NotScalar> {
        Err(NotScalar)
    }

    compound!(
        serialize_bytes(&[u8]) -> Option<String>,
        serialize_seq(Option<usize>) -> Self::SerializeSeq,
        serialize_tuple(usize) -> Self::SerializeTuple,
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct,
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant,
        serialize_map(Option<usize>) -> Self::SerializeMap,
        serialize_struct(&'static str, usize) -> Self::SerializeStruct,
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant,
    );
}
