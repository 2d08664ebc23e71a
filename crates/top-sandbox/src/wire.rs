//! The parameters as they arrived: in their order, blank ones included, each value also as
//! its raw (still encoded) text. Kept only to explain a refused signature, so the request's
//! bytes are held as they are and read again only then.

use axum::body::Bytes;

use crate::input::split_urlencoded;

/// What a request carried, before [`crate::input`] dropped blanks and sorted.
#[derive(Debug, Clone, Default)]
pub(crate) struct Wire {
    query: Option<String>,
    /// A form body (read again on demand).
    form: Option<Bytes>,
    /// The text parts of a multipart body, in order (they carry no encoding).
    parts: Vec<(String, String)>,
}

/// One parameter as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WirePair {
    /// The decoded name.
    pub(crate) name: String,
    /// The decoded value (possibly blank).
    pub(crate) value: String,
    /// The value's text as it was on the wire (percent-encoded in a query or form body).
    pub(crate) raw: String,
}

impl Wire {
    /// A request's query string.
    pub(crate) fn with_query(query: Option<&str>) -> Self {
        Wire {
            query: query.map(str::to_owned),
            ..Wire::default()
        }
    }

    /// Keeps a form body.
    pub(crate) fn set_form(&mut self, body: Bytes) {
        self.form = Some(body);
    }

    /// Adds a multipart text part.
    pub(crate) fn push_part(&mut self, name: &str, value: &str) {
        self.parts.push((name.to_owned(), value.to_owned()));
    }

    /// Every parameter in arrival order: the query's, then the body's. Pairs that do not
    /// decode are left out (a request holding one was refused before any signature check).
    pub(crate) fn pairs(&self) -> Vec<WirePair> {
        let mut out = Vec::new();
        for source in [
            self.query.as_deref().map(str::as_bytes),
            self.form.as_deref(),
        ]
        .into_iter()
        .flatten()
        {
            out.extend(split_urlencoded(source).filter_map(|(name, raw)| {
                let decoded_name = crate::input::decode(name).ok()?;
                let value = crate::input::decode(raw).ok()?;
                Some(WirePair {
                    name: decoded_name,
                    value,
                    raw: String::from_utf8_lossy(raw).into_owned(),
                })
            }));
        }
        out.extend(self.parts.iter().map(|(name, value)| WirePair {
            name: name.clone(),
            value: value.clone(),
            raw: value.clone(),
        }));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_keep_order_blanks_and_raw_text() {
        let mut wire = Wire::with_query(Some("b=1&a=%20"));
        wire.set_form(Bytes::from_static(b"c=x+y%2B&bad=%zz&d="));
        wire.push_part("e", "中");
        let pairs = wire.pairs();
        let seen: Vec<(&str, &str, &str)> = pairs
            .iter()
            .map(|p| (p.name.as_str(), p.value.as_str(), p.raw.as_str()))
            .collect();
        assert_eq!(
            seen,
            vec![
                ("b", "1", "1"),
                ("a", " ", "%20"),
                ("c", "x y+", "x+y%2B"),
                ("d", "", ""),
                ("e", "中", "中"),
            ]
        );
    }
}
