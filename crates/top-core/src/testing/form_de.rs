//! Reading the business parameters of a sent form back into the request they were flattened
//! from: the inverse of [`crate::to_params`] for the shapes it writes (docs/protocol.md §4).
//!
//! Every form value is text, so each is read by what the target member asks for: text for
//! strings, the number or boolean it spells, the JSON it holds for objects and lists of
//! objects, and for other lists either a JSON array or the comma-joined items of a
//! top-level list of scalars.

use serde::de::value::{MapDeserializer, SeqDeserializer};
use serde::de::{self, DeserializeOwned, IntoDeserializer, Unexpected, Visitor};
use serde::forward_to_deserialize_any;
use serde_json::Value;

/// Why a form could not be read as the request type.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub(crate) struct FormError(String);

impl de::Error for FormError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        FormError(msg.to_string())
    }
}

/// Reads `params` (business parameters by name, in any order) as `R`. The error names the
/// member that failed (`param0.code_type: ...`).
pub(crate) fn from_form<R: DeserializeOwned>(params: &[(String, String)]) -> Result<R, FormError> {
    serde_path_to_error::deserialize(Form(params)).map_err(|e| {
        let path = e.path().to_string();
        FormError(format!("`{path}`: {}", e.inner()))
    })
}

/// The whole form: a map from parameter names to [`FormValue`]s.
struct Form<'a>(&'a [(String, String)]);

impl<'de> de::Deserializer<'de> for Form<'_> {
    type Error = FormError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FormError> {
        let entries = self
            .0
            .iter()
            .map(|(name, value)| (name.clone(), FormValue(value.clone())));
        let mut map = MapDeserializer::new(entries);
        let value = visitor.visit_map(&mut map)?;
        map.end()?;
        Ok(value)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, FormError> {
        visitor.visit_newtype_struct(self)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

/// One form value: text that the target member decides how to read.
struct FormValue(String);

impl<'de> IntoDeserializer<'de, FormError> for FormValue {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

impl FormValue {
    /// The JSON object or array this text holds, if it holds one.
    fn compound(&self) -> Option<Value> {
        let text = self.0.trim_start();
        if !(text.starts_with('{') || text.starts_with('[')) {
            return None;
        }
        serde_json::from_str(text).ok()
    }

    /// Errors describe the text, never quote it: it may be a secret.
    fn unexpected(&self) -> Unexpected<'static> {
        Unexpected::Other("the sent text")
    }
}

fn json<T>(result: Result<T, serde_json::Error>) -> Result<T, FormError> {
    result.map_err(de::Error::custom)
}

/// Numbers are read from the text they are written as.
macro_rules! numbers {
    ($($method:ident => $visit:ident),* $(,)?) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FormError> {
            let n = self.0.trim().parse().map_err(|_| {
                <FormError as de::Error>::invalid_value(self.unexpected(), &visitor)
            })?;
            visitor.$visit(n)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for FormValue {
    type Error = FormError;

    /// Self-describing targets (`serde_json::Value`, untagged enums) see an object or array
    /// where the text holds one, and the text otherwise.
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FormError> {
        match self.compound() {
            Some(value) => json(de::Deserializer::deserialize_any(value, visitor)),
            None => visitor.visit_string(self.0),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FormError> {
        match self.0.trim() {
            "true" => visitor.visit_bool(true),
            "false" => visitor.visit_bool(false),
            _ => Err(de::Error::invalid_value(self.unexpected(), &visitor)),
        }
    }

    numbers! {
        deserialize_i8 => visit_i8, deserialize_i16 => visit_i16, deserialize_i32 => visit_i32,
        deserialize_i64 => visit_i64, deserialize_i128 => visit_i128,
        deserialize_u8 => visit_u8, deserialize_u16 => visit_u16, deserialize_u32 => visit_u32,
        deserialize_u64 => visit_u64, deserialize_u128 => visit_u128,
        deserialize_f32 => visit_f32, deserialize_f64 => visit_f64,
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FormError> {
        let mut chars = self.0.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => visitor.visit_char(c),
            _ => Err(de::Error::invalid_value(self.unexpected(), &visitor)),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FormError> {
        visitor.visit_string(self.0)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FormError> {
        visitor.visit_string(self.0)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FormError> {
        visitor.visit_string(self.0)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FormError> {
        visitor.visit_byte_buf(self.0.into_bytes())
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FormError> {
        visitor.visit_byte_buf(self.0.into_bytes())
    }

    /// A parameter that was sent is `Some`: `None` is never sent.
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FormError> {
        visitor.visit_some(self)
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FormError> {
        visitor.visit_unit()
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, FormError> {
        visitor.visit_unit()
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value, FormError> {
        visitor.visit_newtype_struct(self)
    }

    /// A JSON array (a list holding objects), else the comma-joined items of a top-level
    /// list of scalars.
    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FormError> {
        if let Some(value @ Value::Array(_)) = self.compound() {
            return json(de::Deserializer::deserialize_seq(value, visitor));
        }
        let items: Vec<FormValue> = self
            .0
            .split(',')
            .map(|item| FormValue(item.to_owned()))
            .collect();
        let mut seq = SeqDeserializer::new(items.into_iter());
        let value = visitor.visit_seq(&mut seq)?;
        seq.end()?;
        Ok(value)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _: usize,
        visitor: V,
    ) -> Result<V::Value, FormError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        visitor: V,
    ) -> Result<V::Value, FormError> {
        self.deserialize_seq(visitor)
    }

    /// Objects are sent as JSON text.
    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FormError> {
        match self.compound() {
            Some(value @ Value::Object(_)) => {
                json(de::Deserializer::deserialize_map(value, visitor))
            }
            _ => Err(de::Error::invalid_type(self.unexpected(), &visitor)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, FormError> {
        match self.compound() {
            Some(value @ Value::Object(_)) => json(de::Deserializer::deserialize_struct(
                value, name, fields, visitor,
            )),
            _ => Err(de::Error::invalid_type(self.unexpected(), &visitor)),
        }
    }

    /// A unit variant is sent as its name; other variants as JSON.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, FormError> {
        match self.compound() {
            Some(value @ Value::Object(_)) => json(de::Deserializer::deserialize_enum(
                value, name, variants, visitor,
            )),
            _ => visitor.visit_enum(self.0.into_deserializer()),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, FormError> {
        visitor.visit_unit()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::{Deserialize, Serialize};
    use std::collections::BTreeMap;

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Plain,
        Fancy,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Inner {
        id: i64,
        tags: Vec<String>,
        note: Option<String>,
    }

    #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
    struct Every {
        text: String,
        json_text: String,
        number: i64,
        small: u8,
        ratio: f64,
        flag: bool,
        letter: char,
        kind: Kind,
        tags: Vec<String>,
        codes: Vec<u32>,
        object: Inner,
        objects: Vec<Inner>,
        map: BTreeMap<String, i32>,
        loose: Value,
        #[serde(default)]
        absent: Option<String>,
        present: Option<i64>,
        pair: (u8, String),
    }

    fn every() -> Every {
        let inner = |id| Inner {
            id,
            tags: vec!["a,b".into(), "中".into()],
            note: None,
        };
        Every {
            text: "a b&c=d+e 中".into(),
            json_text: "{}".into(),
            number: -9_007_199_254_740_993,
            small: 7,
            ratio: 0.5,
            flag: false,
            letter: '中',
            kind: Kind::Fancy,
            tags: vec!["x".into(), "y".into()],
            codes: vec![1, 20],
            object: inner(1),
            objects: vec![inner(2), inner(3)],
            map: [("k".to_owned(), 1)].into_iter().collect(),
            loose: serde_json::json!({"any": [1, "two"]}),
            absent: None,
            present: Some(0),
            pair: (1, "z".into()),
        }
    }

    fn form_of<T: Serialize>(value: &T) -> Vec<(String, String)> {
        crate::to_params(value)
            .unwrap()
            .iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect()
    }

    #[test]
    fn reads_back_what_the_flattener_wrote() {
        let value = every();
        assert_eq!(from_form::<Every>(&form_of(&value)).unwrap(), value);
    }

    #[test]
    fn scalars_from_text() {
        let form = |pairs: &[(&str, &str)]| -> Vec<(String, String)> {
            pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect()
        };
        #[derive(Debug, PartialEq, Deserialize)]
        struct Loose {
            n: u64,
            b: bool,
            v: Value,
            list: Option<Vec<i64>>,
        }
        let read: Loose = from_form(&form(&[
            ("n", " 42 "),
            ("b", "true"),
            ("v", "12"),
            ("list", "[1,2]"),
        ]))
        .unwrap();
        assert_eq!(
            read,
            Loose {
                n: 42,
                b: true,
                v: Value::String("12".into()),
                list: Some(vec![1, 2]),
            }
        );
        let read: Loose = from_form(&form(&[
            ("n", "1"),
            ("b", "false"),
            ("v", "x"),
            ("list", "3,4"),
        ]))
        .unwrap();
        assert_eq!(read.list, Some(vec![3, 4]));
    }

    #[test]
    fn errors_name_the_member() {
        let bad = |name: &str, text: &str| {
            let mut form = form_of(&every());
            for (k, v) in &mut form {
                if k == name {
                    *v = text.to_owned();
                }
            }
            from_form::<Every>(&form).unwrap_err().to_string()
        };
        assert!(
            bad("number", "12x").starts_with("`number`:"),
            "{}",
            bad("number", "12x")
        );
        assert!(bad("flag", "yes").starts_with("`flag`:"));
        assert!(bad("object", "nope").starts_with("`object`:"));
        assert!(bad("object", r#"{"id":"x","tags":[]}"#).starts_with("`object.id`:"));
        assert!(bad("kind", "other").starts_with("`kind`:"));
        assert!(bad("letter", "ab").starts_with("`letter`:"));
        let missing = from_form::<Every>(&[]).unwrap_err().to_string();
        assert!(missing.contains("missing field"), "{missing}");
    }
}
