//! The router's protocol over real HTTP: every layout real SDKs send, every rejection code,
//! the three answer forms, gzip and the request limits.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::Read;

use common::*;
use serde_json::{Value, json};
use top_core::time::format_gmt8;
use top_core::{Params, SignMethod};
use top_sandbox::{DEMO_APP_KEY, DEMO_APP_SECRET, Sandbox};

fn tag() -> Call {
    Call::new(TAG)
        .param("biz_code", "TEST_BIZ")
        .param("alipay_user_id", "2088000000000001")
}

#[tokio::test]
async fn all_three_sign_methods_are_verified() {
    let sandbox = start().await;
    for method in [SignMethod::Md5, SignMethod::Hmac, SignMethod::HmacSha256] {
        let content = tag().sign_method(method).ok(&sandbox).await;
        assert_eq!(content["result"], json!(true), "{method}");
        assert_eq!(content["module"]["use_type"], json!("alipayId"));
        assert_eq!(content["module"]["social_nick"], json!("t*********1"));
        assert_eq!(content["request_id"].as_str().map(str::len), Some(13));
    }
    // sign_method absent: md5, as the Python/Node/PHP SDKs assume.
    let mut call = tag().sign_method(SignMethod::Md5);
    call.params.remove("sign_method");
    assert_eq!(call.ok(&sandbox).await["result"], json!(true));
    // Lower-case hex is accepted too.
    let mut p = tag().signed();
    let lower = p.get("sign").unwrap().to_lowercase();
    p.insert("sign", lower);
    let (_, body) = post_form(&sandbox.url(), p.to_form()).await;
    assert!(body.contains("\"result\":true"), "{body}");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn get_with_everything_in_the_query() {
    let sandbox = start().await;
    let query = tag().signed().to_form();
    let response = client()
        .get(format!("{}?{query}", sandbox.url()))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body = response.text().await.unwrap();
    let content = top_core::envelope::decode_content(TAG, body.as_bytes()).unwrap();
    assert_eq!(content["result"], json!(true));
    sandbox.shutdown().await;
}

/// The official Java SDK: system parameters and `sign` in the URL query, business
/// parameters in the form body, md5 here, `format=json` without `simplify`.
#[tokio::test]
async fn official_java_layout_query_and_body_split() {
    let sandbox = start().await;
    let supplier = "10000000001";
    let business = [(
        "user_blacklist_request",
        blacklist_request(
            "java-1",
            supplier,
            1,
            &[("13111111111", Some("1,2")), ("13122222222", None)],
        ),
    )];
    let system = [
        ("method", BLACKLIST.to_owned()),
        ("v", "2.0".to_owned()),
        ("app_key", DEMO_APP_KEY.to_owned()),
        ("timestamp", format_gmt8(chrono::Utc::now())),
        ("format", "json".to_owned()),
        ("sign_method", "md5".to_owned()),
        ("partner_id", "top-sdk-java-20231010".to_owned()),
    ];
    let text = post_split(
        &sandbox,
        &system,
        &business,
        &[
            ("User-Agent", "top-sdk-java"),
            ("Accept", "text/xml,text/javascript"),
        ],
    )
    .await;
    assert!(
        text.starts_with("{\"logistics_express_user_blacklist_tms_sync_response\":"),
        "{text}"
    );
    let content = top_core::envelope::decode_content(BLACKLIST, text.as_bytes()).unwrap();
    assert_eq!(
        content["user_blacklist_response"],
        json!({"success": true, "code": "200", "message": "SUCCESS", "is_retry": false})
    );
    let state = sandbox.state().await;
    assert_eq!(state.blacklist_of(supplier).len(), 2);
    sandbox.shutdown().await;
}

/// The official-derived Python SDK: epoch-millisecond timestamp, md5, system parameters in
/// the query, business parameters url-encoded in the body.
#[tokio::test]
async fn python_sdk_layout_with_epoch_ms_timestamp() {
    let sandbox = start().await;
    let now_ms = chrono::Utc::now().timestamp_millis().to_string();
    let system = [
        ("format", "json".to_owned()),
        ("app_key", DEMO_APP_KEY.to_owned()),
        ("sign_method", "md5".to_owned()),
        ("v", "2.0".to_owned()),
        ("timestamp", now_ms),
        ("partner_id", "tbk-sdk-python-20220112".to_owned()),
        ("method", CRM.to_owned()),
    ];
    let business = [(
        "param_customer_create_open_req",
        crm_param("py-1", "13411111111"),
    )];
    let text = post_split(
        &sandbox,
        &system,
        &business,
        &[("Cache-Control", "no-cache")],
    )
    .await;
    let content = top_core::envelope::decode_content(CRM, text.as_bytes()).unwrap();
    assert_eq!(content["result"]["biz_success"], json!(true), "{text}");
    assert_eq!(content["result"]["result_code"], json!("0"));
    sandbox.shutdown().await;
}

/// Multipart as the Java SDK writes it (no space after the header colons, a leading CRLF,
/// a file part that is never signed), system parameters in the query.
#[tokio::test]
async fn multipart_text_parts_and_unsigned_file_part() {
    let sandbox = start().await;
    let call = tag().param("ext_param", "{\"k\":\"中文\"}");
    let signed = call.signed();
    let boundary = "1716272838123456";
    let mut query = Params::new();
    let mut body = Vec::new();
    for (k, v) in signed.iter() {
        if matches!(k, "biz_code" | "alipay_user_id" | "ext_param") {
            body.extend_from_slice(
                format!(
                    "\r\n--{boundary}\r\nContent-Disposition:form-data;name=\"{k}\"\r\nContent-Type:text/plain;charset=UTF-8\r\n\r\n{v}"
                )
                .as_bytes(),
            );
        } else {
            query.insert(k, v);
        }
    }
    body.extend_from_slice(
        format!("\r\n--{boundary}\r\nContent-Disposition:form-data;name=\"image\";filename=\"a.bin\"\r\nContent-Type:application/octet-stream\r\n\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(&[0xff, 0x00, 0xfe]);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let response = client()
        .post(format!("{}?{}", sandbox.url(), query.to_form()))
        .header(
            "Content-Type",
            format!("multipart/form-data;charset=UTF-8;boundary={boundary}"),
        )
        .body(body)
        .send()
        .await
        .unwrap();
    let text = response.text().await.unwrap();
    let content = top_core::envelope::decode_content(TAG, text.as_bytes()).unwrap();
    assert_eq!(content["result"], json!(true), "{text}");
    let state = sandbox.state().await;
    assert_eq!(state.tags[0].ext_param.as_deref(), Some("{\"k\":\"中文\"}"));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn every_system_rejection_code() {
    let sandbox = start().await;
    let cases: Vec<(Call, i64, &str)> = vec![
        (tag().without("method"), 21, "no method"),
        (
            tag().param("method", "taobao.nothing.here"),
            22,
            "unknown method",
        ),
        (tag().param("format", "yaml"), 23, "bad format"),
        (tag().without("app_key"), 28, "no app_key"),
        (tag().param("app_key", "99999999"), 29, "unknown app_key"),
        (tag().without("timestamp"), 30, "no timestamp"),
        (
            tag().param("timestamp", "yesterday"),
            31,
            "garbage timestamp",
        ),
        (
            tag().param(
                "timestamp",
                format_gmt8(chrono::Utc::now() - chrono::TimeDelta::minutes(11)),
            ),
            31,
            "stale timestamp",
        ),
        (
            tag().param(
                "timestamp",
                format_gmt8(chrono::Utc::now() + chrono::TimeDelta::minutes(11)),
            ),
            31,
            "future timestamp",
        ),
        (
            tag().param(
                "timestamp",
                (chrono::Utc::now() - chrono::TimeDelta::minutes(30))
                    .timestamp_millis()
                    .to_string(),
            ),
            31,
            "stale epoch ms",
        ),
        (tag().without("v"), 32, "no version"),
        (tag().param("v", "1.0"), 33, "bad version"),
        (tag().secret("wrong-secret"), 25, "wrong secret"),
        (
            tag().param("sign_method", "sha1"),
            25,
            "unknown sign_method",
        ),
    ];
    for (call, code, what) in cases {
        let error = call.err(&sandbox).await;
        assert_eq!(error.code, code, "{what}: {error:?}");
        assert!(error.request_id.is_some(), "{what}");
    }
    // 24: no sign at all.
    let mut p = tag().signed();
    p.remove("sign");
    let (_, body) = post_form(&sandbox.url(), p.to_form()).await;
    assert_eq!(api_error(&body).code, 24);
    // 25: a parameter changed after signing.
    let mut p = tag().signed();
    p.insert("alipay_user_id", "2088000000000002");
    let (_, body) = post_form(&sandbox.url(), p.to_form()).await;
    assert_eq!(api_error(&body).code, 25);
    // 25: a parameter added after signing.
    let mut p = tag().signed();
    p.insert("open_id", "extra");
    let (_, body) = post_form(&sandbox.url(), p.to_form()).await;
    assert_eq!(api_error(&body).code, 25);
    // Invalid format answers in XML, the router's default.
    let (_, body) = tag().param("format", "yaml").send(&sandbox).await;
    assert!(body.starts_with("<?xml"), "{body}");
    // An HTTP method other than GET/POST: code 9.
    let response = client().put(sandbox.url()).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(api_error(&response.text().await.unwrap()).code, 9);
    // Nothing was counted: every one failed before the business step.
    assert!(sandbox.state().await.calls.is_empty());
    sandbox.shutdown().await;
}

#[tokio::test]
async fn business_rejections_40_and_50() {
    let sandbox = start().await;
    let missing = Call::new(BLACKLIST).err(&sandbox).await;
    assert_eq!(missing.code, 40);
    assert_eq!(missing.sub_code.as_deref(), Some("isv.missing-parameter"));
    assert!(missing.sub_msg.unwrap().contains("user_blacklist_request"));

    let no_id = Call::new(BLACKLIST)
        .param(
            "user_blacklist_request",
            json!({"request_time": 1, "supplier_id": "s", "service_type": "1", "ability_type": "1", "blacklist": [{"mobile": "13111111111"}], "operate_type": 1}).to_string(),
        )
        .err(&sandbox)
        .await;
    assert_eq!(no_id.code, 40);
    assert_eq!(
        no_id.sub_msg.as_deref(),
        Some("Missing required arguments: user_blacklist_request.request_id")
    );

    let bad_mobile = blacklist_call(
        "r1",
        "s",
        1,
        &[("13111111111", Some("1")), ("12345", Some("2"))],
    )
    .err(&sandbox)
    .await;
    assert_eq!(bad_mobile.code, 50);
    assert_eq!(bad_mobile.msg, "Remote service error");
    assert_eq!(
        bad_mobile.sub_code.as_deref(),
        Some("isv.invalid-parameter")
    );
    let sub = bad_mobile.sub_msg.unwrap();
    assert!(
        sub.starts_with("非法参数: user_blacklist_request.blacklist[1].mobile"),
        "{sub}"
    );

    let not_json = Call::new(BLACKLIST)
        .param("user_blacklist_request", "{not json")
        .err(&sandbox)
        .await;
    assert_eq!(not_json.code, 50);

    let no_id_at_all = Call::new(TAG).param("biz_code", "x").err(&sandbox).await;
    assert_eq!(no_id_at_all.code, 40);
    // Rejected business calls are counted as calls, never as applied.
    let state = sandbox.state().await;
    assert_eq!(state.calls_to(BLACKLIST), 4);
    assert_eq!(state.applied_to(BLACKLIST), 0);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn json_enveloped_and_xml_answers_parse_alike() {
    let sandbox = start().await;
    let unknown = || Call::new(TAG).param("isv_user_id", "nobody");
    let simple = unknown().ok(&sandbox).await;
    let (_, enveloped_text) = unknown().enveloped().send(&sandbox).await;
    let (_, xml_text) = unknown().xml().send(&sandbox).await;
    assert!(
        enveloped_text.starts_with(
            "{\"retail_user_tag_mobile_add_response\":{\"error_infos\":{\"error_info\":[{"
        ),
        "{enveloped_text}"
    );
    assert!(xml_text.contains("<retail_user_tag_mobile_add_response><error_infos><error_info><outer_error_code>SERVICE_ERROR:NOT_FIND_TAOBAO_ACCOUNT:NOT_FIND_TAOBAO_ACCOUNT</outer_error_code>"), "{xml_text}");
    let enveloped = top_core::envelope::decode_content(TAG, enveloped_text.as_bytes()).unwrap();
    let xml = top_core::envelope::decode_content(TAG, xml_text.as_bytes()).unwrap();
    assert!(simple["error_infos"].is_array());
    let first = &simple["error_infos"][0];
    assert_eq!(first, &enveloped["error_infos"]["error_info"][0]);
    assert_eq!(first, &xml["error_infos"]["error_info"]);
    assert_eq!(first["sub_error_code"], json!("NOT_FIND_TAOBAO_ACCOUNT"));
    assert_eq!(simple["result"], json!(false));
    assert_eq!(enveloped["result"], json!(false));
    assert_eq!(xml["result"], json!("false"));
    // format absent means XML.
    let (_, body) = unknown()
        .without("format")
        .without("simplify")
        .send(&sandbox)
        .await;
    assert!(body.starts_with("<?xml"), "{body}");
    // Errors stay wrapped in every form.
    let (_, body) = Call::new(BLACKLIST).send(&sandbox).await;
    assert!(
        body.starts_with("{\"error_response\":{\"code\":40"),
        "{body}"
    );
    let (_, body) = Call::new(BLACKLIST).xml().send(&sandbox).await;
    assert!(body.contains("<error_response><code>40</code>"), "{body}");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn sdk_client_reads_every_form() {
    let sandbox = start().await;
    for format in [
        top_core::Format::Json,
        top_core::Format::JsonEnveloped,
        top_core::Format::Xml,
    ] {
        let client = top_core::TopClient::builder()
            .app_key(DEMO_APP_KEY)
            .app_secret(DEMO_APP_SECRET)
            .endpoint(top_core::Endpoint::Custom(sandbox.url()))
            .format(format)
            .build()
            .unwrap();
        let params: Params = [("alipay_user_id", "2088123412341234")]
            .into_iter()
            .collect();
        let answer = client
            .call_raw(TAG, params, top_core::CallOptions::default())
            .await
            .unwrap();
        assert!(
            answer["result"] == json!(true) || answer["result"] == json!("true"),
            "{format}: {answer}"
        );
        let error = client
            .call_raw(BLACKLIST, Params::new(), top_core::CallOptions::default())
            .await
            .unwrap_err();
        assert_eq!(
            error.api_error().and_then(|e| e.code.as_i64()),
            Some(40),
            "{format}"
        );
    }
    sandbox.shutdown().await;
}

#[tokio::test]
async fn gzip_only_when_asked() {
    let sandbox = start().await;
    let body = tag().signed().to_form();
    let response = client()
        .post(sandbox.url())
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept-encoding", "gzip")
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(
        response
            .headers()
            .get("content-encoding")
            .map(|v| v.to_str().unwrap()),
        Some("gzip")
    );
    let compressed = response.bytes().await.unwrap();
    let mut text = String::new();
    flate2::read::GzDecoder::new(&compressed[..])
        .read_to_string(&mut text)
        .unwrap();
    let content: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(content["result"], json!(true));

    let plain = client()
        .post(sandbox.url())
        .header("content-type", "application/x-www-form-urlencoded")
        .body(tag().signed().to_form())
        .send()
        .await
        .unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    sandbox.shutdown().await;
}

#[tokio::test]
async fn malformed_requests_get_an_error_response() {
    let sandbox = Sandbox::builder()
        .max_body_bytes(64 * 1024)
        .start()
        .await
        .unwrap();
    let url = sandbox.url();
    let form = tag().signed().to_form();

    // Oversized body.
    let big = format!("{form}&pad={}", "a".repeat(100 * 1024));
    let (status, body) = post_form(&url, big).await;
    assert_eq!(status, 200);
    let e = api_error(&body);
    assert_eq!(e.code, 41);
    assert!(e.sub_msg.unwrap().contains("exceeds 65536 bytes"));

    // A bad percent escape.
    let (_, body) = post_form(&url, format!("{form}&x=%zz")).await;
    let e = api_error(&body);
    assert_eq!(e.code, 41);
    assert!(e.sub_msg.unwrap().contains("malformed"));
    // It is answered in the asked format (JSON here): the parameters before it were read.
    assert!(body.starts_with("{\"error_response\""), "{body}");

    // Invalid UTF-8, percent-encoded and raw.
    let (_, body) = post_form(&url, format!("{form}&x=%FF%FE")).await;
    assert!(api_error(&body).sub_msg.unwrap().contains("UTF-8"));
    let mut raw = form.clone().into_bytes();
    raw.extend_from_slice(b"&x=\xff");
    let response = client()
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(raw)
        .send()
        .await
        .unwrap();
    assert_eq!(api_error(&response.text().await.unwrap()).code, 41);

    // Malformed multipart.
    let response = client()
        .post(&url)
        .header("content-type", "multipart/form-data; boundary=xyz")
        .body("garbage without boundaries")
        .send()
        .await
        .unwrap();
    assert_eq!(api_error(&response.text().await.unwrap()).code, 41);

    // A content type the router does not read.
    let response = client()
        .post(&url)
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(api_error(&response.text().await.unwrap()).code, 41);

    // The same name in query and body with different values.
    let response = client()
        .post(format!("{url}?alipay_user_id=2088000000000009"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form.clone())
        .send()
        .await
        .unwrap();
    let e = api_error(&response.text().await.unwrap());
    assert_eq!(e.code, 41);
    assert!(e.sub_msg.unwrap().contains("alipay_user_id"));

    // The same name and value in both places is fine.
    let response = client()
        .post(format!("{url}?alipay_user_id=2088000000000001"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form.clone())
        .send()
        .await
        .unwrap();
    assert!(response.text().await.unwrap().contains("\"result\":true"));

    // Garbage of every kind never breaks the server.
    for junk in [
        &b""[..],
        b"&&&===",
        b"%",
        b"method",
        b"\x00\x01\x02",
        b"sign=&method=&app_key=",
    ] {
        let response = client()
            .post(&url)
            .header(
                "content-type",
                "application/x-www-form-urlencoded; charset=GBK",
            )
            .body(junk.to_vec())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let text = response.text().await.unwrap();
        assert!(text.contains("error_response"), "{text}");
    }
    // Still serving.
    let (_, body) = post_form(&url, tag().signed().to_form()).await;
    assert!(body.contains("\"result\":true"), "{body}");
    sandbox.shutdown().await;
}

#[tokio::test]
async fn extra_apps_and_no_demo_app() {
    let sandbox = Sandbox::builder()
        .no_demo_app()
        .app("20000002", "second-secret")
        .start()
        .await
        .unwrap();
    assert_eq!(tag().err(&sandbox).await.code, 29);
    let content = tag()
        .param("app_key", "20000002")
        .secret("second-secret")
        .ok(&sandbox)
        .await;
    assert_eq!(content["result"], json!(true));
    sandbox.shutdown().await;
    assert!(Sandbox::builder().no_demo_app().start().await.is_err());
    assert!(Sandbox::builder().fault_rate(1.5).start().await.is_err());
}
