//! The vendor's type names (`String`, `Number`, `Date`, `Blacklist []`, `Field List`...) read
//! into one closed set.

use std::fmt;

/// A member's declared type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TypeRef {
    /// `String`: text.
    String,
    /// `Number`: an integer on the wire (the vendor's SDKs use `Long`).
    Number,
    /// `Boolean`.
    Boolean,
    /// `Date`: GMT+8 `yyyy-MM-dd HH:mm:ss`.
    Date,
    /// `Price`: a decimal amount sent as text (`12.50`).
    Price,
    /// `Json`: a JSON text the vendor does not describe further.
    Json,
    /// `Field List`: comma-separated field names.
    FieldList,
    /// `byte[]`: a file upload (not supported by the client yet).
    Bytes,
    /// A list of the inner type (`String[]`, `Blacklist[]`).
    List(Box<TypeRef>),
    /// An object type named by the vendor (`UserBlacklistRequest`).
    Object(String),
}

impl TypeRef {
    /// Reads a vendor type name. Spaces before `[]` and around the name are tolerated, as
    /// the vendor's pages print `Blacklist []`; names are otherwise kept exactly.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        // `byte[]` is the vendor's spelling of a file, not a list.
        if matches!(text, "byte[]" | "Byte[]") {
            return Ok(TypeRef::Bytes);
        }
        if let Some(inner) = text.strip_suffix("[]") {
            let inner = inner.trim_end();
            return match TypeRef::parse(inner)? {
                TypeRef::List(_) => Err(format!("`{text}`: lists of lists are not a TOP type")),
                TypeRef::Bytes => Err(format!("`{text}`: lists of files are not a TOP type")),
                inner => Ok(TypeRef::List(Box::new(inner))),
            };
        }
        Ok(match text {
            "String" => TypeRef::String,
            "Number" | "Long" | "Integer" | "int" | "long" => TypeRef::Number,
            "Boolean" | "boolean" => TypeRef::Boolean,
            "Date" => TypeRef::Date,
            "Price" => TypeRef::Price,
            "Json" | "JSON" => TypeRef::Json,
            "Field List" | "FieldList" => TypeRef::FieldList,
            "byte" | "Byte" | "FileItem" => TypeRef::Bytes,
            "" => return Err("the type is empty".into()),
            name if is_type_name(name) => TypeRef::Object(name.to_owned()),
            other => return Err(format!("`{other}` is not a known TOP type or a type name")),
        })
    }

    /// The object type this member is or holds (`Blacklist` for `Blacklist[]`).
    pub fn object_name(&self) -> Option<&str> {
        match self {
            TypeRef::Object(name) => Some(name),
            TypeRef::List(inner) => inner.object_name(),
            _ => None,
        }
    }

    /// Whether this is a list.
    pub fn is_list(&self) -> bool {
        matches!(self, TypeRef::List(_))
    }
}

/// A Java-like class name: a letter, then letters, digits or `_`.
fn is_type_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl fmt::Display for TypeRef {
    /// The vendor's spelling.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TypeRef::String => f.write_str("String"),
            TypeRef::Number => f.write_str("Number"),
            TypeRef::Boolean => f.write_str("Boolean"),
            TypeRef::Date => f.write_str("Date"),
            TypeRef::Price => f.write_str("Price"),
            TypeRef::Json => f.write_str("Json"),
            TypeRef::FieldList => f.write_str("Field List"),
            TypeRef::Bytes => f.write_str("byte[]"),
            TypeRef::List(inner) => write!(f, "{inner}[]"),
            TypeRef::Object(name) => f.write_str(name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vendor_spellings() {
        let ok = |t: &str| TypeRef::parse(t).unwrap();
        assert_eq!(ok("String"), TypeRef::String);
        assert_eq!(ok(" Number "), TypeRef::Number);
        assert_eq!(ok("Field List"), TypeRef::FieldList);
        assert_eq!(
            ok("Blacklist []"),
            TypeRef::List(Box::new(TypeRef::Object("Blacklist".into())))
        );
        assert_eq!(ok("String[]"), TypeRef::List(Box::new(TypeRef::String)));
        assert_eq!(ok("byte[]"), TypeRef::Bytes);
        assert_eq!(ok("CardOpenInfo[]").object_name(), Some("CardOpenInfo"));
        assert_eq!(ok("Blacklist []").to_string(), "Blacklist[]");
        for bad in ["", "String[][]", "a b", "名称", "[]", "byte[][]"] {
            assert!(TypeRef::parse(bad).is_err(), "{bad:?}");
        }
    }
}
