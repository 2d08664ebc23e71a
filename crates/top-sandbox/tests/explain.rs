//! The sandbox explains refused calls (`sandbox_hint`). Every request here is built by a
//! client written in this file from the protocol (docs/protocol.md §3): the string to sign is
//! assembled by hand, HMAC-SHA256 is computed from its definition (RFC 2104) over SHA-256, and
//! the form body is encoded pair by pair, so each usual mistake can be made on purpose. The
//! answers are read as JSON text; the secrets must appear in none of them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;

use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use top_core::FixedClock;
use top_sandbox::{DEMO_APP_KEY, DEMO_APP_SECRET, Sandbox, SandboxHandle};

const NOW: &str = "2024-01-01 12:00:00";
const OTHER_KEY: &str = "20000002";
const OTHER_SECRET: &str = "other-app-secret-77";
const SESSION: &str = "session-value-must-not-show";
const TAG: &str = common::TAG;

async fn sandbox() -> SandboxHandle {
    let now = top_core::time::parse_gmt8(NOW).unwrap();
    Sandbox::builder()
        .app(OTHER_KEY, OTHER_SECRET)
        .clock(Arc::new(FixedClock(now)))
        .start()
        .await
        .unwrap()
}

/// HMAC-SHA256 (RFC 2104) in upper-case hex.
fn hmac_sha256(key: &str, message: &[u8]) -> String {
    let mut block = [0u8; 64];
    if key.len() > 64 {
        block[..32].copy_from_slice(&Sha256::digest(key.as_bytes()));
    } else {
        block[..key.len()].copy_from_slice(key.as_bytes());
    }
    let pad = |byte: u8| block.iter().map(|b| b ^ byte).collect::<Vec<u8>>();
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(message)
        .finalize();
    hex::encode_upper(
        Sha256::new()
            .chain_update(pad(0x5c))
            .chain_update(inner)
            .finalize(),
    )
}

/// A request as a list of pairs in the order they are sent.
#[derive(Clone, Debug)]
struct Raw {
    pairs: Vec<(String, String)>,
}

impl Raw {
    /// The retail tag call of the demo app, hmac-sha256, JSON simplified, at the sandbox's
    /// time.
    fn tag() -> Self {
        Raw {
            pairs: [
                ("method", TAG),
                ("app_key", DEMO_APP_KEY),
                ("timestamp", NOW),
                ("v", "2.0"),
                ("format", "json"),
                ("simplify", "true"),
                ("sign_method", "hmac-sha256"),
                ("alipay_user_id", "2088000000000001"),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect(),
        }
    }

    fn set(mut self, name: &str, value: &str) -> Self {
        match self.pairs.iter_mut().find(|(k, _)| k == name) {
            Some(pair) => pair.1 = value.to_owned(),
            None => self.pairs.push((name.to_owned(), value.to_owned())),
        }
        self
    }

    fn without(mut self, name: &str) -> Self {
        self.pairs.retain(|(k, _)| k != name);
        self
    }

    /// The pairs sorted by name (byte order), blank values left out: the protocol's string.
    fn canonical(&self) -> String {
        let mut pairs: Vec<&(String, String)> = self
            .pairs
            .iter()
            .filter(|(_, v)| !v.trim().is_empty())
            .collect();
        pairs.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
        pairs.iter().map(|(k, v)| format!("{k}{v}")).collect()
    }

    /// The form body: the pairs in order, then `sign`.
    fn body(&self, sign: &str) -> String {
        let mut form = form_urlencoded::Serializer::new(String::new());
        for (k, v) in &self.pairs {
            form.append_pair(k, v);
        }
        form.append_pair("sign", sign);
        form.finish()
    }

    async fn send_signed(&self, sandbox: &SandboxHandle, sign: &str) -> String {
        let (status, body) = common::post_form(&sandbox.url(), self.body(sign)).await;
        assert_eq!(status, 200, "{body}");
        for secret in [DEMO_APP_SECRET, OTHER_SECRET, SESSION] {
            assert!(!body.contains(secret), "a secret in the answer: {body}");
        }
        body
    }

    /// Sends with the signature of `text` under `secret`; returns the `error_response`.
    async fn refused(&self, sandbox: &SandboxHandle, secret: &str, text: &str) -> Value {
        let body = self
            .send_signed(sandbox, &hmac_sha256(secret, text.as_bytes()))
            .await;
        let answer: Value = serde_json::from_str(&body).unwrap();
        answer
            .get("error_response")
            .cloned()
            .unwrap_or_else(|| panic!("expected an error_response: {body}"))
    }
}

fn hint(error: &Value) -> &str {
    error["sandbox_hint"].as_str().unwrap_or_default()
}

/// The router's own members are those TOP sends, whatever the explanation.
fn assert_invalid_signature(error: &Value) {
    assert_eq!(error["code"], 25, "{error}");
    assert_eq!(error["msg"], "Invalid Signature");
    assert_eq!(
        error["sub_msg"],
        "the signature does not match the parameters"
    );
    assert!(error.get("sub_code").is_none());
    let shown = hint(error);
    assert!(
        shown.contains(
            "HMAC-SHA256(key <secret>, S) for sign_method=hmac-sha256, with S = \
             alipay_user_id2088000000000001app_key10000001"
        ),
        "the hint shows the string the sandbox signed: {shown}"
    );
}

#[test]
fn the_test_client_signs_the_protocols_vector() {
    let text = "alipay_user_id2088000000000001app_key12345678biz_codeTEST_BIZext_param{}formatjsonisv_user_idu123methodtaobao.retail.user.tag.mobile.addopen_idoid-9sign_methodhmac-sha256timestamp2024-01-01 12:00:00v2.0";
    assert_eq!(
        hmac_sha256("helloworld", text.as_bytes()),
        "38FC6200CE6AF457F4F5B4BD1C0E9C98C5D54BB83C75EE272D5E27269BCC0D94"
    );
}

#[tokio::test]
async fn a_correct_call_passes_and_carries_no_hint() {
    let sandbox = sandbox().await;
    let call = Raw::tag();
    let body = call
        .send_signed(
            &sandbox,
            &hmac_sha256(DEMO_APP_SECRET, call.canonical().as_bytes()),
        )
        .await;
    assert!(body.contains(r#""result":true"#), "{body}");
    assert!(!body.contains("sandbox_hint"), "{body}");
}

#[tokio::test]
async fn an_empty_value_signed_is_named() {
    let sandbox = sandbox().await;
    let call = Raw::tag().set("biz_code", "");
    // The mistake: the empty value's name is in the signed string.
    let mut pairs = call.pairs.clone();
    pairs.sort();
    let signed: String = pairs.iter().map(|(k, v)| format!("{k}{v}")).collect();
    assert!(signed.contains("biz_codeformat"));
    let error = call.refused(&sandbox, DEMO_APP_SECRET, &signed).await;
    assert_invalid_signature(&error);
    assert!(
        hint(&error).starts_with("Found it: the signature includes the empty value of `biz_code`"),
        "{error}"
    );
}

#[tokio::test]
async fn url_encoded_values_signed_are_named() {
    let sandbox = sandbox().await;
    let call = Raw::tag();
    for encode in [
        |v: &str| form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>(),
        |v: &str| {
            form_urlencoded::byte_serialize(v.as_bytes())
                .collect::<String>()
                .replace('+', "%20")
        },
    ] {
        let mut pairs = call.pairs.clone();
        pairs.sort();
        let signed: String = pairs
            .iter()
            .map(|(k, v)| format!("{k}{}", encode(v)))
            .collect();
        let error = call.refused(&sandbox, DEMO_APP_SECRET, &signed).await;
        assert_invalid_signature(&error);
        assert!(
            hint(&error).starts_with("Found it: the signature was computed over URL-encoded values (`timestamp` was signed as `2024-01-01"),
            "{error}"
        );
    }
}

#[tokio::test]
async fn values_encoded_twice_are_named() {
    let sandbox = sandbox().await;
    // The client encodes 中文 itself, then the form encoder encodes it again; it signed the
    // raw text.
    let call = Raw::tag().set("biz_code", "%E4%B8%AD%E6%96%87");
    let signed = Raw::tag().set("biz_code", "中文").canonical();
    let error = call.refused(&sandbox, DEMO_APP_SECRET, &signed).await;
    assert_invalid_signature(&error);
    assert!(
        hint(&error).starts_with("Found it: `biz_code` arrived still percent-encoded"),
        "{error}"
    );
}

#[tokio::test]
async fn another_sign_method_is_named() {
    let sandbox = sandbox().await;
    // Declares hmac (HMAC-MD5) but computes HMAC-SHA256 over the right string.
    let call = Raw::tag().set("sign_method", "hmac");
    let error = call
        .refused(&sandbox, DEMO_APP_SECRET, &call.canonical())
        .await;
    assert_eq!(error["code"], 25);
    assert!(
        hint(&error).starts_with(
            "Found it: the signature is hmac-sha256 over the right string, but the request \
             declares sign_method=hmac"
        ),
        "{error}"
    );
    assert!(
        hint(&error).contains("HMAC-MD5(key <secret>, S)"),
        "{error}"
    );

    // Signs sign_method=hmac-sha256 but does not send it: the gateway assumes md5.
    let signed = Raw::tag().canonical();
    let call = Raw::tag().without("sign_method");
    let error = call.refused(&sandbox, DEMO_APP_SECRET, &signed).await;
    assert!(
        hint(&error).starts_with(
            "Found it: the signature is hmac-sha256 over the parameters with \
             sign_method=hmac-sha256, but the request sends no sign_method (md5 is then assumed)"
        ),
        "{error}"
    );
}

#[tokio::test]
async fn unsorted_names_are_named() {
    let sandbox = sandbox().await;
    let call = Raw::tag();
    let as_sent: String = call.pairs.iter().map(|(k, v)| format!("{k}{v}")).collect();
    let error = call.refused(&sandbox, DEMO_APP_SECRET, &as_sent).await;
    assert_invalid_signature(&error);
    assert!(
        hint(&error).starts_with(
            "Found it: the signature covers the parameters in the order they were sent \
             (`method`, `app_key`, `timestamp`"
        ),
        "{error}"
    );

    // A locale-aware sort puts `ab` before `a_c`; byte order puts `_` (0x5F) before `b`.
    let call = Raw::tag().set("ab", "1").set("a_c", "2");
    let canonical = call.canonical();
    assert!(canonical.starts_with("a_c2ab1"), "{canonical}");
    let collated = canonical.replacen("a_c2ab1", "ab1a_c2", 1);
    let sorted_as_sent = Raw {
        pairs: {
            let mut p = call.pairs.clone();
            p.sort();
            p
        },
    };
    let error = sorted_as_sent
        .refused(&sandbox, DEMO_APP_SECRET, &collated)
        .await;
    assert!(
        hint(&error).starts_with(
            "Found it: the signature covers the names sorted alphabetically ignoring `_` or case"
        ),
        "{error}"
    );
}

#[tokio::test]
async fn a_parameter_added_after_signing_is_named() {
    let sandbox = sandbox().await;
    let signed = Raw::tag().canonical();
    let call = Raw::tag().set("session", SESSION);
    let error = call.refused(&sandbox, DEMO_APP_SECRET, &signed).await;
    assert_invalid_signature(&error);
    assert!(
        hint(&error).starts_with(
            "Found it: the signature matches the parameters without `session`: it was computed \
             before `session` was added"
        ),
        "{error}"
    );
    assert!(
        hint(&error).contains("session***"),
        "the session is hidden: {error}"
    );
}

#[tokio::test]
async fn a_query_string_signed_is_named() {
    let sandbox = sandbox().await;
    let call = Raw::tag();
    let mut pairs = call.pairs.clone();
    pairs.sort();
    let query = pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let error = call.refused(&sandbox, DEMO_APP_SECRET, &query).await;
    assert!(
        hint(&error).starts_with("Found it: the signature is over `name=value&name=value...`"),
        "{error}"
    );
}

#[tokio::test]
async fn another_apps_secret_is_named() {
    let sandbox = sandbox().await;
    let call = Raw::tag();
    let error = call
        .refused(&sandbox, OTHER_SECRET, &call.canonical())
        .await;
    assert!(
        hint(&error).starts_with(
            "Found it: the signature was made with the secret of app_key 20000002, but the \
             request says app_key 10000001"
        ),
        "{error}"
    );
}

#[tokio::test]
async fn a_wrong_secret_is_what_remains() {
    let sandbox = sandbox().await;
    let call = Raw::tag();
    let error = call
        .refused(&sandbox, "not-the-secret", &call.canonical())
        .await;
    assert_invalid_signature(&error);
    assert!(
        hint(&error).starts_with(
            "No usual mistake matches (another sign_method, empty values signed, URL-encoded \
             values, unsorted names, a parameter left out"
        ),
        "{error}"
    );
    assert!(
        hint(&error).contains("the secret used is most likely not the secret of app_key 10000001"),
        "{error}"
    );
}

#[tokio::test]
async fn non_ascii_values_hashed_in_another_encoding_are_pointed_at() {
    let sandbox = sandbox().await;
    let call = Raw::tag().set("biz_code", "王小二");
    // The mistake: one byte per character (a Latin-1 or truncating encoder), not UTF-8.
    let bytes: Vec<u8> = call.canonical().chars().map(|c| c as u32 as u8).collect();
    let sign = hmac_sha256(DEMO_APP_SECRET, &bytes);
    let body = call.send_signed(&sandbox, &sign).await;
    let error: Value = serde_json::from_str::<Value>(&body).unwrap()["error_response"].clone();
    assert_eq!(error["code"], 25);
    assert!(
        hint(&error).contains(
            "`biz_code` holds non-ASCII characters: sign the UTF-8 bytes of the string, not GBK \
             or the platform's default encoding"
        ),
        "{error}"
    );
}

#[tokio::test]
async fn a_sign_that_is_not_hex_is_named() {
    let sandbox = sandbox().await;
    let body = Raw::tag()
        .send_signed(&sandbox, "OPxiAM5q9FT09LS9HA6cmMXVS7g8de4nXS4nJpvMDZQ=")
        .await;
    let error: Value = serde_json::from_str::<Value>(&body).unwrap()["error_response"].clone();
    assert_eq!(error["code"], 25);
    assert!(
        hint(&error).starts_with("The sign is not hexadecimal (44 characters)"),
        "{error}"
    );
}

#[tokio::test]
async fn an_unknown_sign_method_is_named() {
    let sandbox = sandbox().await;
    let call = Raw::tag().set("sign_method", "sha256");
    let error = call
        .refused(&sandbox, DEMO_APP_SECRET, &call.canonical())
        .await;
    assert_eq!(error["code"], 25);
    assert!(
        hint(&error).starts_with("sign_method `sha256` is not one TOP knows"),
        "{error}"
    );
}

async fn timestamp_hint(sandbox: &SandboxHandle, timestamp: &str) -> String {
    let call = Raw::tag().set("timestamp", timestamp);
    let error = call
        .refused(sandbox, DEMO_APP_SECRET, &call.canonical())
        .await;
    assert_eq!(error["code"], 31, "{error}");
    assert_eq!(error["msg"], "Invalid Timestamp");
    hint(&error).to_owned()
}

#[tokio::test]
async fn timestamps_in_utc_or_the_hosts_zone_are_named() {
    let sandbox = sandbox().await;
    let utc = timestamp_hint(&sandbox, "2024-01-01 04:00:00").await;
    assert!(
        utc.starts_with(
            "The timestamp `2024-01-01 04:00:00` is 8 hours behind the gateway's time: this is \
             UTC, not GMT+8."
        ),
        "{utc}"
    );
    assert!(
        utc.ends_with("(the gateway's time now: 2024-01-01 12:00:00)."),
        "{utc}"
    );
    let tokyo = timestamp_hint(&sandbox, "2024-01-01 13:00:05").await;
    assert!(
        tokyo.contains(
            "is 1 hour 0 min ahead of the gateway's time: this looks like the time in UTC+09:00"
        ),
        "{tokyo}"
    );
    let stale = timestamp_hint(&sandbox, "2024-01-01 11:40:00").await;
    assert!(
        stale.contains(
            "is 20 min 0 s behind the gateway's time; the gateway accepts at most 10 minutes"
        ),
        "{stale}"
    );
}

#[tokio::test]
async fn epoch_mistakes_are_named() {
    let sandbox = sandbox().await;
    let now_ms: i64 = 1_704_081_600_000; // 2024-01-01 12:00:00 GMT+8
    let seconds = timestamp_hint(&sandbox, &(now_ms / 1000).to_string()).await;
    assert!(
        seconds.starts_with(
            "The timestamp `1704081600` looks like epoch seconds (2024-01-01 12:00:00 GMT+8)"
        ),
        "{seconds}"
    );
    let shifted = timestamp_hint(&sandbox, &(now_ms + 8 * 3_600_000).to_string()).await;
    assert!(
        shifted
            .contains("epoch milliseconds carry no time zone, so do not add or subtract 8 hours"),
        "{shifted}"
    );
    let iso = timestamp_hint(&sandbox, "2024-01-01T12:00:00+08:00").await;
    assert!(iso.contains("is ISO 8601 (RFC 3339)"), "{iso}");
}

#[tokio::test]
async fn missing_and_invalid_arguments_name_the_field_and_the_rule() {
    let sandbox = sandbox().await;
    let call = Raw {
        pairs: Raw::tag()
            .without("alipay_user_id")
            .pairs
            .into_iter()
            .map(|(k, v)| {
                if k == "method" {
                    (k, common::BLACKLIST.to_owned())
                } else {
                    (k, v)
                }
            })
            .collect(),
    };
    let error = call
        .refused(&sandbox, DEMO_APP_SECRET, &call.canonical())
        .await;
    assert_eq!(error["code"], 40);
    assert_eq!(error["sub_code"], "isv.missing-parameter");
    assert_eq!(
        error["sub_msg"],
        "Missing required arguments: user_blacklist_request"
    );
    assert!(
        hint(&error).starts_with("`user_blacklist_request` (UserBlacklistRequest"),
        "{error}"
    );
    assert!(
        hint(&error).contains("is required (the description of"),
        "{error}"
    );

    let request = json!({"ability_type":"1","blacklist":[{"mobile":"13111111111"},{"mobile":"1311111111"}],
        "operate_type":1,"request_id":"r-1","request_time":1656674541001_i64,"service_type":"1","supplier_id":"S"});
    let call = call.set("user_blacklist_request", &request.to_string());
    let error = call
        .refused(&sandbox, DEMO_APP_SECRET, &call.canonical())
        .await;
    assert_eq!(error["code"], 50);
    assert!(
        hint(&error).starts_with(
            "`user_blacklist_request.blacklist[1].mobile` (String: The mobile number to \
             blacklist"
        ) || hint(&error).starts_with("`user_blacklist_request.blacklist[1].mobile` (String"),
        "{error}"
    );
    assert!(
        hint(&error).contains(
            "inside the JSON text of the parameter `user_blacklist_request`) must be an \
             11-digit mainland China mobile number"
        ),
        "{error}"
    );
    assert!(
        !hint(&error).contains("1311111111\""),
        "the value is not quoted: {error}"
    );
}

#[tokio::test]
async fn unreadable_bytes_are_explained() {
    let sandbox = sandbox().await;
    // GBK bytes for 中 (D6 D0), percent-encoded: not UTF-8.
    let body = format!("{}&biz_code=%D6%D0", Raw::tag().body("00"));
    let (_, answer) = common::post_form(&sandbox.url(), body).await;
    let error: Value = serde_json::from_str::<Value>(&answer).unwrap()["error_response"].clone();
    assert_eq!(error["code"], 41);
    assert!(
        hint(&error).contains("encode every value as UTF-8 before percent-encoding it"),
        "{error}"
    );
}

#[tokio::test]
async fn xml_answers_carry_the_hint_too_and_decoders_still_read_them() {
    let sandbox = sandbox().await;
    let call = Raw::tag().set("format", "xml").without("simplify");
    let body = call
        .send_signed(&sandbox, &hmac_sha256("wrong", call.canonical().as_bytes()))
        .await;
    assert!(
        body.contains("<code>25</code><msg>Invalid Signature</msg>"),
        "{body}"
    );
    assert!(
        body.contains("<sandbox_hint>No usual mistake matches"),
        "{body}"
    );
    let error = common::api_error(&body);
    assert_eq!(error.code, top_core::ErrorCode::Number(25));
    assert_eq!(
        error.sub_msg.as_deref(),
        Some("the signature does not match the parameters")
    );
}

#[tokio::test]
async fn an_unknown_method_suggests_the_near_one() {
    let sandbox = sandbox().await;
    let call = Raw::tag().set("method", "taobao.retail.user.tag.mobil.add");
    let error = call
        .refused(&sandbox, DEMO_APP_SECRET, &call.canonical())
        .await;
    assert_eq!(error["code"], 22);
    assert!(
        hint(&error).contains("did you mean `taobao.retail.user.tag.mobile.add`?"),
        "{error}"
    );
}
