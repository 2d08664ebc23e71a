//! Reading a request's parameters: the query string, an `application/x-www-form-urlencoded`
//! body, `multipart/form-data` text parts, or any mix, into one [`Params`] (the union that
//! is signed). Strict: malformed escapes, invalid UTF-8, a body over the limit or a name
//! sent twice with different values are refused, never guessed at.

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Multipart};
use axum::http::{HeaderMap, Request, header};
use futures::StreamExt;
use top_core::Params;
use top_core::params::is_blank;

use crate::codes::TopError;
use crate::reply::WireFormat;
use crate::wire::Wire;

/// Bodies up to this size past the limit are read and discarded before answering, so the
/// client sees the `error_response` rather than a reset connection; larger ones are cut.
const DRAIN_LIMIT: usize = 16 * 1024 * 1024;

/// Why the parameters could not be read, with the format to answer in (from what was read).
#[derive(Debug)]
pub(crate) struct InputFailure {
    pub(crate) error: TopError,
    pub(crate) format: WireFormat,
}

/// Collects the parameters of a request, and what arrived as it arrived (for explaining a
/// refused signature).
pub(crate) async fn gather(
    query: Option<&str>,
    headers: &HeaderMap,
    body: Body,
    max_body: usize,
) -> Result<(Params, Wire), InputFailure> {
    let mut params = Params::new();
    let mut wire = Wire::with_query(query);
    let fail = |error: TopError, params: &Params| InputFailure {
        error,
        format: format_hint(params),
    };
    if let Some(query) = query {
        for (k, v) in
            parse_urlencoded(query.as_bytes(), "query string").map_err(|e| fail(e, &params))?
        {
            merge(&mut params, k, v).map_err(|e| fail(e, &params))?;
        }
    }
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|len| len > max_body as u64) {
        let error = too_large(max_body);
        // Drain what is reasonable so the answer is read; beyond that the connection closes.
        if declared.is_some_and(|len| len <= DRAIN_LIMIT as u64) {
            let _ = read_body(body, 0).await;
        }
        return Err(fail(error, &params));
    }
    let bytes = read_body(body, max_body)
        .await
        .map_err(|e| fail(e, &params))?;
    if bytes.is_empty() {
        return Ok((params, wire));
    }
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let kind = content_type
        .as_deref()
        .map(|ct| {
            ct.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    match kind.as_str() {
        "" | "application/x-www-form-urlencoded" | "text/plain" => {
            // On failure, answer in the format the body asks for, read leniently.
            let fail_in_body = |error: TopError, params: &Params| {
                let mut hint = params.clone();
                for (k, v) in form_urlencoded::parse(&bytes) {
                    if matches!(k.as_ref(), "format" | "simplify") && !hint.contains(&k) {
                        hint.insert(k, v);
                    }
                }
                fail(error, &hint)
            };
            let pairs =
                parse_urlencoded(&bytes, "form body").map_err(|e| fail_in_body(e, &params))?;
            for (k, v) in pairs {
                merge(&mut params, k, v).map_err(|e| fail_in_body(e, &params))?;
            }
            wire.set_form(bytes);
        }
        "multipart/form-data" => {
            let content_type = content_type.unwrap_or_default();
            multipart(&content_type, bytes, &mut params, &mut wire)
                .await
                .map_err(|e| fail(e, &params))?;
        }
        other => {
            let error = TopError::invalid_arguments(format!(
                "unsupported Content-Type {other}: send application/x-www-form-urlencoded or multipart/form-data"
            ))
            .with_hint(
                "send the parameters as application/x-www-form-urlencoded; charset=UTF-8 (a JSON \
                 body is not read: an object parameter is one form field whose value is JSON text)",
            );
            return Err(fail(error, &params));
        }
    }
    Ok((params, wire))
}

/// The format to answer a failure in: what the parameters read so far ask for.
fn format_hint(params: &Params) -> WireFormat {
    WireFormat::lenient(params.get("format"), params.get("simplify"))
}

fn too_large(max_body: usize) -> TopError {
    TopError::invalid_arguments(format!("the request body exceeds {max_body} bytes")).with_hint(
        format!(
            "the body is larger than this sandbox reads ({max_body} bytes, \
             SandboxBuilder::max_body_bytes): send fewer entries per call"
        ),
    )
}

/// Reads the body up to `limit` bytes; past it, keeps reading (discarding) up to
/// [`DRAIN_LIMIT`] and reports the body as too large.
async fn read_body(body: Body, limit: usize) -> Result<Bytes, TopError> {
    let mut stream = body.into_data_stream();
    let mut first: Option<Bytes> = None;
    let mut rest: Vec<u8> = Vec::new();
    let mut total = 0usize;
    while let Some(chunk) = stream.next().await {
        let chunk =
            chunk.map_err(|_| TopError::invalid_arguments("the request body could not be read"))?;
        total = total.saturating_add(chunk.len());
        if total > limit {
            if total > DRAIN_LIMIT {
                break;
            }
            continue;
        }
        match &first {
            None => first = Some(chunk),
            Some(head) => {
                if rest.is_empty() {
                    rest.extend_from_slice(head);
                }
                rest.extend_from_slice(&chunk);
            }
        }
    }
    if total > limit {
        return Err(too_large(limit));
    }
    Ok(if rest.is_empty() {
        first.unwrap_or_default()
    } else {
        Bytes::from(rest)
    })
}

/// Adds a parameter: blank values are dropped (never signed), and a name already present
/// with a different value is refused.
fn merge(params: &mut Params, name: String, value: String) -> Result<(), TopError> {
    if is_blank(&name) || is_blank(&value) {
        return Ok(());
    }
    match params.get(&name) {
        Some(existing) if existing == value => Ok(()),
        Some(_) => Err(TopError::invalid_arguments(format!(
            "parameter {} is sent more than once with different values",
            quoted_name(&name)
        ))
        .with_hint(format!(
            "send {} once: the query string and the body together form one set of parameters, \
             which is what is signed",
            quoted_name(&name)
        ))),
        None => {
            params.insert(name, value);
            Ok(())
        }
    }
}

fn quoted_name(name: &str) -> String {
    let cut: String = name.chars().filter(|c| !c.is_control()).take(64).collect();
    format!("`{cut}`")
}

/// Strict `application/x-www-form-urlencoded` decoding (also used for the query string).
pub(crate) fn parse_urlencoded(
    input: &[u8],
    what: &str,
) -> Result<Vec<(String, String)>, TopError> {
    let mut out = Vec::with_capacity(16);
    for (name, value) in split_urlencoded(input) {
        let name = decode_component(name, what)?;
        let value = decode_component(value, what)?;
        out.push((name, value));
    }
    Ok(out)
}

/// The `name=value` pairs of a form text, still encoded (empty segments skipped).
pub(crate) fn split_urlencoded(input: &[u8]) -> impl Iterator<Item = (&[u8], &[u8])> {
    input
        .split(|b| *b == b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| match pair.iter().position(|b| *b == b'=') {
            Some(at) => (&pair[..at], &pair[at + 1..]),
            None => (pair, &b""[..]),
        })
}

/// Why a form component does not decode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Undecodable {
    /// A `%` not followed by two hex digits.
    Escape,
    /// The decoded bytes are not UTF-8.
    Utf8,
}

fn decode_component(raw: &[u8], what: &str) -> Result<String, TopError> {
    decode(raw).map_err(|e| match e {
        Undecodable::Utf8 => TopError::invalid_arguments(format!("the {what} is not valid UTF-8"))
            .with_hint(
                "the decoded bytes are not UTF-8: encode every value as UTF-8 before \
                 percent-encoding it (GBK or another local encoding cannot be read, and TOP \
                 signs UTF-8 bytes)",
            ),
        Undecodable::Escape => TopError::invalid_arguments(format!(
            "the {what} is malformed: `%` must be followed by two hex digits"
        ))
        .with_hint(
            "encode the values with a form encoder (a literal `%` is `%25`, `+` is `%2B`); do \
             not insert values into the body as they are",
        ),
    })
}

/// Decodes one form component (`+` is a space, `%XX` a byte) into UTF-8 text.
pub(crate) fn decode(raw: &[u8]) -> Result<String, Undecodable> {
    let utf8 = |bytes: Vec<u8>| String::from_utf8(bytes).map_err(|_| Undecodable::Utf8);
    if !raw.iter().any(|b| *b == b'%' || *b == b'+') {
        return utf8(raw.to_vec());
    }
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' => {
                let hi = raw.get(i + 1).and_then(|b| hex_value(*b));
                let lo = raw.get(i + 2).and_then(|b| hex_value(*b));
                match (hi, lo) {
                    (Some(hi), Some(lo)) => out.push(hi << 4 | lo),
                    _ => return Err(Undecodable::Escape),
                }
                i += 3;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    utf8(out)
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Text parts of a `multipart/form-data` body; file parts are skipped (never signed).
async fn multipart(
    content_type: &str,
    body: Bytes,
    params: &mut Params,
    wire: &mut Wire,
) -> Result<(), TopError> {
    let malformed = || {
        TopError::invalid_arguments("the multipart/form-data body is malformed").with_hint(
            "the parts or the boundary of the Content-Type do not match; send \
             application/x-www-form-urlencoded unless a file is uploaded",
        )
    };
    let request = Request::builder()
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .map_err(|_| malformed())?;
    let mut parts = Multipart::from_request(request, &())
        .await
        .map_err(|_| malformed())?;
    while let Some(field) = parts.next_field().await.map_err(|_| malformed())? {
        let name = field.name().map(str::to_owned);
        let is_file = field.file_name().is_some();
        let data = field.bytes().await.map_err(|_| malformed())?;
        let Some(name) = name else { continue };
        if is_file {
            continue;
        }
        let value = String::from_utf8(data.to_vec()).map_err(|_| {
            TopError::invalid_arguments(format!(
                "multipart part {} is not valid UTF-8",
                quoted_name(&name)
            ))
            .with_hint("send text parts as UTF-8 (TOP signs UTF-8 bytes)")
        })?;
        wire.push_part(&name, &value);
        merge(params, name, value)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_decoding() {
        let pairs = parse_urlencoded(b"a=1&b=x+y%2B%2F&&c&d=%E4%B8%AD", "form body").unwrap();
        assert_eq!(
            pairs,
            vec![
                ("a".into(), "1".into()),
                ("b".into(), "x y+/".into()),
                ("c".into(), String::new()),
                ("d".into(), "中".into()),
            ]
        );
        for bad in [&b"a=%zz"[..], b"a=%4", b"a=%", b"a=%FF", b"a=\xff"] {
            let e = parse_urlencoded(bad, "form body").unwrap_err();
            assert_eq!(e.code, 41, "{bad:?}");
        }
    }

    #[test]
    fn merge_refuses_conflicts() {
        let mut p = Params::new();
        merge(&mut p, "a".into(), "1".into()).unwrap();
        merge(&mut p, "a".into(), "1".into()).unwrap();
        merge(&mut p, "a".into(), " ".into()).unwrap();
        assert_eq!(merge(&mut p, "a".into(), "2".into()).unwrap_err().code, 41);
        assert_eq!(p.get("a"), Some("1"));
    }

    #[tokio::test]
    async fn body_limit() {
        let big = Body::from(vec![b'a'; 100]);
        assert_eq!(read_body(big, 99).await.unwrap_err().code, 41);
        let ok = Body::from(vec![b'a'; 100]);
        assert_eq!(read_body(ok, 100).await.unwrap().len(), 100);
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_decode_or_refuse(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..200)) {
            let _ = parse_urlencoded(&bytes, "form body");
        }

        #[test]
        fn encoded_pairs_round_trip(pairs in proptest::collection::vec((".{0,12}", ".{0,24}"), 0..8)) {
            let mut form = form_urlencoded::Serializer::new(String::new());
            for (k, v) in &pairs {
                form.append_pair(k, v);
            }
            let decoded = parse_urlencoded(form.finish().as_bytes(), "form body").unwrap();
            proptest::prop_assert_eq!(decoded, pairs);
        }
    }
}
