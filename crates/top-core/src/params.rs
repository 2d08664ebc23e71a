//! The sorted parameter map: exactly what is signed and sent.

use std::collections::BTreeMap;
use std::fmt;

/// Request parameters, sorted by name in ASCII order: exactly what is signed and sent.
///
/// Empty and whitespace-only values are refused on insert (the official Java SDK's rule), so
/// they are never signed and never sent.
///
/// ```
/// use top_core::Params;
/// let mut p = Params::new();
/// assert!(p.insert("foo", "1"));
/// assert!(!p.insert("empty", "  "));
/// assert_eq!(p.iter().collect::<Vec<_>>(), vec![("foo", "1")]);
/// ```
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Params(BTreeMap<String, String>);

impl Params {
    /// An empty map.
    pub fn new() -> Self {
        Params(BTreeMap::new())
    }

    /// Inserts a parameter; returns `false` (and keeps nothing) when the name or value is
    /// empty or whitespace-only. A later insert of the same name replaces the value.
    pub fn insert(&mut self, name: impl Into<String>, value: impl Into<String>) -> bool {
        let (name, value) = (name.into(), value.into());
        if is_blank(&name) || is_blank(&value) {
            return false;
        }
        self.0.insert(name, value);
        true
    }

    /// The value of a parameter.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str)
    }

    /// Whether a parameter is present.
    pub fn contains(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }

    /// Removes a parameter, returning its value.
    pub fn remove(&mut self, name: &str) -> Option<String> {
        self.0.remove(name)
    }

    /// Parameters in ASCII order of their names.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// Parameter names in order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    /// Number of parameters.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no parameters.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `application/x-www-form-urlencoded` encoding of the UTF-8 values (space as `+`).
    pub fn to_form(&self) -> String {
        let mut out = form_urlencoded::Serializer::new(String::with_capacity(self.encoded_hint()));
        for (k, v) in &self.0 {
            out.append_pair(k, v);
        }
        out.finish()
    }

    fn encoded_hint(&self) -> usize {
        self.0
            .iter()
            .map(|(k, v)| k.len() + v.len() * 3 / 2 + 2)
            .sum()
    }
}

/// Names only: values may be secrets (session, password inside an object parameter).
impl fmt::Debug for Params {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Params")
            .field("names", &self.0.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl<K: Into<String>, V: Into<String>> FromIterator<(K, V)> for Params {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut p = Params::new();
        p.extend(iter);
        p
    }
}

impl<K: Into<String>, V: Into<String>> Extend<(K, V)> for Params {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

impl IntoIterator for Params {
    type Item = (String, String);
    type IntoIter = std::collections::btree_map::IntoIter<String, String>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

/// Java's `Character.isWhitespace` for every character: the official SDK's notion of "empty".
///
/// It differs from Rust's `char::is_whitespace`: the no-break spaces (U+00A0, U+2007, U+202F)
/// and U+0085 are not blank, the separators U+001C..=U+001F are.
pub fn is_blank(s: &str) -> bool {
    s.chars().all(|c| {
        matches!(
            c,
            '\t' | '\n' | '\u{0B}' | '\u{0C}' | '\r' | '\u{1C}'..='\u{1F}' | ' ' | '\u{1680}'
                | '\u{2000}'..='\u{2006}' | '\u{2008}'..='\u{200A}' | '\u{2028}' | '\u{2029}'
                | '\u{205F}' | '\u{3000}'
        )
    })
}

pub use crate::flatten::to_params;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use serde::Serialize;
    use serde_json::Value;

    #[derive(Serialize)]
    struct Inner {
        #[serde(skip_serializing_if = "Option::is_none")]
        missing: Option<String>,
        customer_type: i64,
        tag_id_list: Vec<String>,
        flag: bool,
    }

    #[derive(Serialize)]
    struct Req {
        text: String,
        number: i64,
        zero: i64,
        yes: bool,
        none: Option<String>,
        empty: String,
        blank: String,
        tags: Vec<String>,
        object: Inner,
        objects: Vec<Inner>,
    }

    fn inner() -> Inner {
        Inner {
            missing: None,
            customer_type: 0,
            tag_id_list: vec!["爱吃辣".into(), "t2".into()],
            flag: false,
        }
    }

    #[test]
    fn flattens_by_the_rules() {
        let p = to_params(&Req {
            text: "a b/c".into(),
            number: 1656674541001,
            zero: 0,
            yes: true,
            none: None,
            empty: String::new(),
            blank: " \t ".into(),
            tags: vec!["a".into(), "b".into(), "c".into()],
            object: inner(),
            objects: vec![inner()],
        })
        .unwrap();
        assert_eq!(p.get("text"), Some("a b/c"));
        assert_eq!(p.get("number"), Some("1656674541001"));
        assert_eq!(p.get("zero"), Some("0"));
        assert_eq!(p.get("yes"), Some("true"));
        assert!(!p.contains("none") && !p.contains("empty") && !p.contains("blank"));
        assert_eq!(p.get("tags"), Some("a,b,c"));
        let object: Value = serde_json::from_str(p.get("object").unwrap()).unwrap();
        assert_eq!(
            object,
            serde_json::json!({"customer_type":0,"tag_id_list":["爱吃辣","t2"],"flag":false})
        );
        assert!(!p.get("object").unwrap().contains(' '), "compact JSON");
        assert!(p.get("objects").unwrap().starts_with("[{"));
        assert_eq!(p.names().collect::<Vec<_>>().len(), 7);
    }

    #[test]
    fn non_struct_is_a_validation_error() {
        let err = to_params(&42).unwrap_err();
        assert!(
            matches!(err, Error::Validation(ref v) if v.field == "$"),
            "{err}"
        );
    }

    #[test]
    fn blank_follows_java() {
        assert!(is_blank(""));
        assert!(is_blank(" \t\r\n\u{3000}\u{1F}"));
        assert!(!is_blank("\u{A0}"));
        assert!(!is_blank("\u{85}"));
        assert!(!is_blank(" x "));
    }

    #[test]
    fn form_encoding_escapes_reserved_characters() {
        let p: Params = [("k", "a+b/c d&e=f"), ("z", "中")].into_iter().collect();
        assert_eq!(p.to_form(), "k=a%2Bb%2Fc+d%26e%3Df&z=%E4%B8%AD");
        assert_eq!(format!("{p:?}"), r#"Params { names: ["k", "z"] }"#);
    }
}
