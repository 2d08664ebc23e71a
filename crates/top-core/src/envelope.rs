//! Reading the gateway's answer: `error_response` first, then the `<method>_response`
//! envelope or the simplified root, from JSON or XML, into the caller's type.

use std::time::Duration;

use std::borrow::Cow;
use std::collections::HashMap;

use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_json::value::RawValue;

use crate::code::ErrorCode;
use crate::error::{ApiError, DecodeError, Error};

/// Ban assumed when a code-7 answer does not say how long it lasts.
const DEFAULT_BAN: Duration = Duration::from_secs(1);

/// The envelope member of a method's answer: drop a leading `taobao.`, dots to `_`,
/// append `_response`.
///
/// ```
/// use top_core::envelope::response_key;
/// assert_eq!(response_key("taobao.retail.user.tag.mobile.add"), "retail_user_tag_mobile_add_response");
/// assert_eq!(response_key("alibaba.alsc.crm.customer.create"), "alibaba_alsc_crm_customer_create_response");
/// ```
pub fn response_key(method: &str) -> String {
    let name = method.strip_prefix("taobao.").unwrap_or(method);
    let mut key = String::with_capacity(name.len() + 9);
    key.extend(name.chars().map(|c| if c == '.' { '_' } else { c }));
    key.push_str("_response");
    key
}

/// The response content of a successful answer (the envelope's inside or the simplified
/// root), or the `error_response` as [`Error::Api`] / [`Error::RateLimited`].
///
/// JSON and XML are told apart by the first byte, whatever was asked for.
pub fn decode_content(method: &str, body: &[u8]) -> Result<Value, Error> {
    match body.iter().find(|b| !b.is_ascii_whitespace()) {
        None => Err(DecodeError::new("$", "the body is empty").into()),
        Some(b'{') => json_content(method, body),
        Some(b'<') => xml_content(method, body),
        Some(_) => Err(DecodeError::new("$", "the body is neither JSON nor XML").into()),
    }
}

/// Decodes an answer into `T`, returning it with the platform `request_id`.
///
/// JSON is read without building a tree: the envelope's members are borrowed as raw text and
/// `T` is deserialized straight from the member that holds it.
pub fn decode<T: DeserializeOwned>(
    method: &str,
    body: &[u8],
) -> Result<(T, Option<String>), Error> {
    if body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        let content = decode_content(method, body)?;
        let request_id = content.get("request_id").and_then(scalar_text);
        return Ok((typed(content)?, request_id));
    }
    let root: HashMap<Cow<'_, str>, &RawValue> = serde_json::from_slice(body)
        .map_err(|e| DecodeError::new("$", format!("invalid JSON: {e}")).with_source(e))?;
    if let Some(error) = root.get("error_response") {
        let error: Value = serde_json::from_str(error.get())
            .map_err(|e| DecodeError::new("error_response", e.to_string()).with_source(e))?;
        return Err(api_error(error)?);
    }
    let key = response_key(method);
    let (content, members) = match root.get(key.as_str()) {
        Some(inner) if inner.get().starts_with('{') => {
            let members: HashMap<Cow<'_, str>, &RawValue> = serde_json::from_str(inner.get())
                .map_err(|e| DecodeError::new(key.clone(), e.to_string()).with_source(e))?;
            (inner.get(), members)
        }
        Some(_) => return Err(DecodeError::new(key, "expected an object").into()),
        // Simplified: the fields are at the root (already known to be valid UTF-8 JSON).
        None => (
            std::str::from_utf8(body)
                .map_err(|e| DecodeError::new("$", e.to_string()).with_source(e))?,
            root,
        ),
    };
    let request_id = members
        .get("request_id")
        .and_then(|raw| serde_json::from_str::<Value>(raw.get()).ok())
        .and_then(|v| scalar_text(&v));
    let mut deserializer = serde_json::Deserializer::from_str(content);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(path_error)?;
    Ok((value, request_id))
}

fn typed<T: DeserializeOwned>(content: Value) -> Result<T, Error> {
    serde_path_to_error::deserialize(content).map_err(|e| path_error(e).into())
}

fn path_error<E: serde::de::Error + Send + Sync + 'static>(
    e: serde_path_to_error::Error<E>,
) -> DecodeError {
    let path = match e.path().to_string() {
        p if p == "." => "$".to_owned(),
        p => p,
    };
    let message = e.inner().to_string();
    DecodeError::new(path, message).with_source(e.into_inner())
}

fn json_content(method: &str, body: &[u8]) -> Result<Value, Error> {
    let root: Value = serde_json::from_slice(body)
        .map_err(|e| DecodeError::new("$", format!("invalid JSON: {e}")).with_source(e))?;
    let Value::Object(mut members) = root else {
        return Err(DecodeError::new("$", "expected a JSON object").into());
    };
    if let Some(error) = members.remove("error_response") {
        return Err(api_error(error)?);
    }
    let key = response_key(method);
    match members.remove(&key) {
        Some(inner @ Value::Object(_)) => Ok(inner),
        Some(other) => {
            Err(DecodeError::new(key, format!("expected an object, found {}", kind(&other))).into())
        }
        None => Ok(Value::Object(members)),
    }
}

#[cfg(feature = "xml")]
fn xml_content(method: &str, body: &[u8]) -> Result<Value, Error> {
    let text = std::str::from_utf8(body)
        .map_err(|e| DecodeError::new("$", "the XML body is not UTF-8").with_source(e))?;
    let (root, value) = crate::xml::to_value(text)?;
    if root == "error_response" {
        return Err(api_error(value)?);
    }
    if root != response_key(method) {
        return Err(DecodeError::new("$", format!("unexpected XML root element `{root}`")).into());
    }
    Ok(match value {
        Value::Null => Value::Object(serde_json::Map::new()),
        other => other,
    })
}

#[cfg(not(feature = "xml"))]
fn xml_content(_method: &str, _body: &[u8]) -> Result<Value, Error> {
    Err(DecodeError::new("$", "an XML answer needs the `xml` feature of top-core").into())
}

/// Builds the typed error from an `error_response` object: code 7 becomes
/// [`Error::RateLimited`] with its ban.
fn api_error(value: Value) -> Result<Error, Error> {
    let Value::Object(members) = value else {
        return Err(DecodeError::new("error_response", "expected an object").into());
    };
    let text = |name: &str| members.get(name).and_then(scalar_text);
    // Whatever form the code takes, the other members are kept (the Java SDK reads it as text).
    let code = text("code")
        .map(|c| ErrorCode::parse(&c))
        .unwrap_or_default();
    let error = ApiError {
        code,
        msg: text("msg").unwrap_or_default(),
        sub_code: text("sub_code"),
        sub_msg: text("sub_msg"),
        request_id: text("request_id"),
    };
    Ok(if error.code == 7 {
        Error::RateLimited {
            retry_after: error.ban_duration().unwrap_or(DEFAULT_BAN),
            error: Box::new(error),
        }
    } else {
        Error::Api(error)
    })
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    const METHOD: &str = "alibaba.alsc.crm.customer.create";

    #[derive(Debug, Deserialize)]
    struct Out {
        result: Inner,
        request_id: Option<String>,
    }

    #[derive(Debug, Deserialize)]
    struct Inner {
        #[serde(default, deserialize_with = "crate::de::lenient_bool")]
        biz_success: Option<bool>,
        #[serde(default, deserialize_with = "crate::de::lenient_i64")]
        result_code: Option<i64>,
    }

    #[test]
    fn response_keys_of_the_four_apis() {
        assert_eq!(
            response_key("taobao.logistics.express.user.blacklist.tms.sync"),
            "logistics_express_user_blacklist_tms_sync_response"
        );
        assert_eq!(
            response_key("alibaba.damai.maizuo.openapi.user.register.byauthcode"),
            "alibaba_damai_maizuo_openapi_user_register_byauthcode_response"
        );
    }

    #[test]
    fn simplified_and_enveloped_json() {
        let simple = br#"{"result":{"biz_success":true,"result_code":"0"},"request_id":"r1"}"#;
        let (out, rid) = decode::<Out>(METHOD, simple).unwrap();
        assert_eq!(
            (
                out.result.biz_success,
                out.result.result_code,
                rid.as_deref()
            ),
            (Some(true), Some(0), Some("r1"))
        );
        assert_eq!(out.request_id.as_deref(), Some("r1"));
        let env = br#"{"alibaba_alsc_crm_customer_create_response":{"result":{"biz_success":"false"},"request_id":"r2"}}"#;
        let (out, rid) = decode::<Out>(METHOD, env).unwrap();
        assert_eq!(
            (out.result.biz_success, rid.as_deref()),
            (Some(false), Some("r2"))
        );
    }

    #[test]
    fn error_response_keeps_everything() {
        let body = r#"{"error_response":{"code":50,"msg":"Remote service error","sub_code":"isv.invalid-parameter","sub_msg":"非法参数","request_id":"abc"}}"#;
        let err = decode::<Out>(METHOD, body.as_bytes()).unwrap_err();
        let Error::Api(api) = err else {
            panic!("{err:?}")
        };
        assert_eq!(
            api,
            ApiError::new(50, "Remote service error")
                .with_sub_code("isv.invalid-parameter")
                .with_sub_msg("非法参数")
                .with_request_id("abc")
        );
    }

    #[test]
    fn every_form_of_code_keeps_every_field() {
        let cases = [
            (r#""code":50"#, ErrorCode::Number(50)),
            (r#""code":"50""#, ErrorCode::Number(50)),
            (r#""code":" 50 ""#, ErrorCode::Number(50)),
            (r#""code":"isp.xxx""#, ErrorCode::Text("isp.xxx".into())),
            (r#""code":"50a""#, ErrorCode::Text("50a".into())),
            (r#""code":50.5"#, ErrorCode::Text("50.5".into())),
            (r#""code":true"#, ErrorCode::Text("true".into())),
            (r#""code":null"#, ErrorCode::default()),
            (r#""code":"""#, ErrorCode::default()),
            (r#""nocode":1"#, ErrorCode::default()),
        ];
        for (code, expected) in cases {
            let body = format!(
                r#"{{"error_response":{{{code},"msg":"m","sub_code":"isv.s","sub_msg":"sm","request_id":"rid"}}}}"#
            );
            let err = decode::<Out>(METHOD, body.as_bytes()).unwrap_err();
            let Error::Api(api) = err else {
                panic!("{code}: {err:?}")
            };
            assert_eq!(api.code, expected, "{code}");
            assert_eq!(api.msg, "m", "{code}");
            assert_eq!(api.sub_code.as_deref(), Some("isv.s"), "{code}");
            assert_eq!(api.sub_msg.as_deref(), Some("sm"), "{code}");
            assert_eq!(api.request_id.as_deref(), Some("rid"), "{code}");
        }
    }

    #[cfg(feature = "xml")]
    #[test]
    fn a_text_code_in_xml_keeps_every_field() {
        let body = "<?xml version=\"1.0\" encoding=\"utf-8\"?><error_response><code>isp.xxx</code><msg>m</msg><sub_code>isp.unknown-error</sub_code><request_id>rid</request_id></error_response>";
        let Error::Api(api) = decode::<Out>(METHOD, body.as_bytes()).unwrap_err() else {
            panic!("not an API error")
        };
        assert_eq!(api.code.as_text(), "isp.xxx");
        assert_eq!(api.request_id.as_deref(), Some("rid"));
        assert!(api.is_transient(&[]));
    }

    #[test]
    fn code_7_is_rate_limited_with_its_ban() {
        let body = br#"{"error_response":{"code":"7","msg":"App Call Limited","sub_code":"accesscontrol.limited-by-app-access-count","sub_msg":"This ban will last for 12 more seconds"}}"#;
        match decode::<Out>(METHOD, body).unwrap_err() {
            Error::RateLimited { retry_after, error } => {
                assert_eq!(retry_after, Duration::from_secs(12));
                assert_eq!(error.code, 7);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn decode_errors_name_the_path() {
        let body = br#"{"result":{"biz_success":"perhaps"}}"#;
        match decode::<Out>(METHOD, body).unwrap_err() {
            Error::Decode(e) => assert_eq!(e.path, "result.biz_success"),
            other => panic!("{other:?}"),
        }
        match decode::<Out>(METHOD, br#"{"request_id":"x"}"#).unwrap_err() {
            Error::Decode(e) => assert!(e.message.contains("result"), "{e}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn garbage_is_a_decode_error() {
        for body in [
            &b""[..],
            b"   ",
            b"nonsense",
            b"{\"result\":",
            b"[1,2]",
            b"\xff\xfe",
            b"<html><body>502 Bad Gateway</body></html>",
        ] {
            let err = decode::<Out>(METHOD, body).unwrap_err();
            assert!(matches!(err, Error::Decode(_)), "{body:?} gave {err:?}");
        }
    }

    #[cfg(feature = "xml")]
    #[test]
    fn xml_answers_use_the_same_types() {
        let body = "<alibaba_alsc_crm_customer_create_response><result><result>20193846534522344567</result><result_code>0</result_code><biz_success>true</biz_success></result><request_id>x1</request_id></alibaba_alsc_crm_customer_create_response>";
        let (out, rid) = decode::<Out>(METHOD, body.as_bytes()).unwrap();
        assert_eq!(
            (out.result.biz_success, rid.as_deref()),
            (Some(true), Some("x1"))
        );
        let err = "<error_response><code>50</code><msg>Remote service error</msg><sub_code>isv.invalid-parameter</sub_code><sub_msg>非法参数</sub_msg></error_response>";
        let Error::Api(api) = decode::<Out>(METHOD, err.as_bytes()).unwrap_err() else {
            panic!()
        };
        assert_eq!(
            (api.code, api.sub_msg.as_deref()),
            (50.into(), Some("非法参数"))
        );
    }
}
