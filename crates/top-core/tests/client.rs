//! The client over `MockTransport` and small fakes: what goes out, what is retried, what the
//! caller sees. Time is paused, so backoffs and bans cost nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use chrono::{DateTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use top_core::{
    BusinessError, CallOptions, Clock, Error, FixedClock, Format, HttpRequest, HttpResponse,
    Mobile, MockTransport, Params, RetryConfig, SignMethod, TopClient, TopRequest, TopResponse,
    Transport, TransportError, TransportErrorKind, ValidationError,
};

const METHOD: &str = "taobao.logistics.express.user.blacklist.tms.sync";
const OK_BODY: &str = r#"{"user_blacklist_response":{"success":true,"code":"200","message":"SUCCESS","is_retry":false},"request_id":"r-ok"}"#;

#[derive(Debug, Serialize)]
struct Entry {
    mobile: Mobile,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<String>,
}

#[derive(Debug, Serialize)]
struct Inner {
    request_id: String,
    request_time: i64,
    supplier_id: String,
    blacklist: Vec<Entry>,
    operate_type: i64,
}

#[derive(Debug, Serialize)]
struct Sync {
    user_blacklist_request: Inner,
    #[serde(skip)]
    idempotent: bool,
}

#[derive(Debug, Deserialize)]
struct SyncResponse {
    user_blacklist_response: Option<Outcome>,
    request_id: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Outcome {
    #[serde(default, deserialize_with = "top_core::de::lenient_bool")]
    success: Option<bool>,
    #[serde(default, deserialize_with = "top_core::de::lenient_string")]
    code: Option<String>,
    #[serde(default, deserialize_with = "top_core::de::lenient_bool")]
    is_retry: Option<bool>,
}

impl TopResponse for SyncResponse {
    fn business_error(&self) -> Option<BusinessError> {
        let o = self.user_blacklist_response.as_ref()?;
        (o.success == Some(false)).then(|| {
            BusinessError::new(o.code.clone(), None).with_retryable(o.is_retry == Some(true))
        })
    }
}

impl TopRequest for Sync {
    const METHOD: &'static str = METHOD;
    type Response = SyncResponse;
    fn validate(&self) -> Result<(), ValidationError> {
        for (i, e) in self.user_blacklist_request.blacklist.iter().enumerate() {
            e.mobile
                .validate(format!("user_blacklist_request.blacklist[{i}].mobile"))?;
        }
        Ok(())
    }
    fn retry_safe(&self) -> bool {
        self.idempotent
    }
}

fn request(idempotent: bool) -> Sync {
    Sync {
        user_blacklist_request: Inner {
            request_id: "1656674541001".into(),
            request_time: 1656674541001,
            supplier_id: "10000000001".into(),
            blacklist: vec![
                Entry {
                    mobile: "13111111111".into(),
                    reason: Some("1,2".into()),
                },
                Entry {
                    mobile: "13122222222".into(),
                    reason: None,
                },
            ],
            operate_type: 1,
        },
        idempotent,
    }
}

fn noon() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 1, 1, 4, 0, 0).unwrap()
}

/// A clock that moves one second each time it is read, so each attempt has its own timestamp.
#[derive(Debug)]
struct Ticking(AtomicI64);

impl Clock for Ticking {
    fn now(&self) -> DateTime<Utc> {
        noon() + chrono::TimeDelta::seconds(self.0.fetch_add(1, Ordering::SeqCst))
    }
}

fn client(transport: impl Transport + 'static) -> TopClient {
    TopClient::builder()
        .app_key("12345678")
        .app_secret("helloworld")
        .endpoint("https://gw.example.com/router/rest")
        .clock(FixedClock(noon()))
        .transport(transport)
        .build()
        .unwrap()
}

fn form(req: &HttpRequest) -> Params {
    form_urlencoded::parse(&req.body).into_owned().collect()
}

fn ok() -> Result<HttpResponse, TransportError> {
    Ok(HttpResponse::new(200, OK_BODY))
}

fn failure(kind: TransportErrorKind) -> Result<HttpResponse, TransportError> {
    Err(TransportError::from_kind(kind))
}

#[tokio::test]
async fn sends_exactly_the_signed_form_and_nothing_in_the_url() {
    let mut mock = MockTransport::new();
    mock.expect_send().times(1).returning(|req| {
        assert_eq!(req.url, "https://gw.example.com/router/rest");
        assert_eq!(
            req.headers.get("content-type").unwrap(),
            "application/x-www-form-urlencoded;charset=utf-8"
        );
        let p = form(&req);
        let names: Vec<&str> = p.names().collect();
        assert_eq!(
            names,
            ["app_key", "format", "method", "sign", "sign_method", "simplify", "timestamp", "user_blacklist_request", "v"]
        );
        assert_eq!(p.get("method"), Some(METHOD));
        assert_eq!(p.get("app_key"), Some("12345678"));
        assert_eq!(p.get("sign_method"), Some("hmac-sha256"));
        assert_eq!(p.get("v"), Some("2.0"));
        assert_eq!(p.get("format"), Some("json"));
        assert_eq!(p.get("simplify"), Some("true"));
        assert_eq!(p.get("timestamp"), Some("2024-01-01 12:00:00"));
        let object: serde_json::Value = serde_json::from_str(p.get("user_blacklist_request").unwrap()).unwrap();
        assert_eq!(
            object,
            serde_json::json!({"request_id":"1656674541001","request_time":1656674541001_i64,"supplier_id":"10000000001",
                "blacklist":[{"mobile":"13111111111","reason":"1,2"},{"mobile":"13122222222"}],"operate_type":1})
        );
        // What is signed is what is sent.
        assert!(top_core::verify(&p, "helloworld", SignMethod::HmacSha256, p.get("sign").unwrap()));
        ok()
    });
    let response = client(mock).execute(&request(true)).await.unwrap();
    assert_eq!(response.request_id.as_deref(), Some("r-ok"));
    assert_eq!(
        response.user_blacklist_response.unwrap().code.as_deref(),
        Some("200")
    );
}

#[tokio::test]
async fn session_and_format_options_go_in_the_body() {
    let mut mock = MockTransport::new();
    mock.expect_send().times(1).returning(|req| {
        let p = form(&req);
        assert_eq!(p.get("session"), Some("per-call-session"));
        assert_eq!(p.get("sign_method"), Some("md5"));
        assert_eq!(p.get("format"), Some("xml"));
        assert!(!p.contains("simplify"));
        assert!(top_core::verify(&p, "helloworld", SignMethod::Md5, p.get("sign").unwrap()));
        Ok(HttpResponse::new(
            200,
            "<logistics_express_user_blacklist_tms_sync_response><user_blacklist_response><success>true</success></user_blacklist_response><request_id>x</request_id></logistics_express_user_blacklist_tms_sync_response>",
        ))
    });
    let client = TopClient::builder()
        .app_key("12345678")
        .app_secret("helloworld")
        .session("client-session")
        .sign_method(SignMethod::Md5)
        .format(Format::Xml)
        .transport(mock)
        .build()
        .unwrap();
    let options = CallOptions::new().session("per-call-session");
    let response = client.execute_with(&request(false), options).await.unwrap();
    assert_eq!(
        response.user_blacklist_response.unwrap().success,
        Some(true)
    );
}

#[tokio::test]
async fn validation_errors_send_nothing() {
    let mut mock = MockTransport::new();
    mock.expect_send().never();
    let mut bad = request(true);
    bad.user_blacklist_request.blacklist[1].mobile = Mobile::new("12345");
    match client(mock).execute(&bad).await.unwrap_err() {
        Error::Validation(v) => assert_eq!(v.field, "user_blacklist_request.blacklist[1].mobile"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn system_parameter_names_are_refused_in_business_params() {
    let mut mock = MockTransport::new();
    mock.expect_send().never();
    let params: Params = [("session", "smuggled")].into_iter().collect();
    let err = client(mock)
        .call_raw(METHOD, params, CallOptions::default())
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Validation(ref v) if v.field == "session"),
        "{err:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn connect_errors_are_always_retried_with_a_fresh_signature() {
    let signs = Arc::new(std::sync::Mutex::new(Vec::new()));
    let seen = signs.clone();
    let mut mock = MockTransport::new();
    let calls = AtomicUsize::new(0);
    mock.expect_send().times(3).returning(move |req| {
        let p = form(&req);
        seen.lock().unwrap().push((
            p.get("timestamp").unwrap().to_owned(),
            p.get("sign").unwrap().to_owned(),
        ));
        if calls.fetch_add(1, Ordering::SeqCst) < 2 {
            failure(TransportErrorKind::Connect)
        } else {
            ok()
        }
    });
    let client = TopClient::builder()
        .app_key("12345678")
        .app_secret("helloworld")
        .clock(Ticking(AtomicI64::new(0)))
        .transport(mock)
        .build()
        .unwrap();
    client.execute(&request(false)).await.unwrap();
    let signs = signs.lock().unwrap();
    assert_eq!(signs.len(), 3);
    assert_ne!(signs[0], signs[1]);
    assert_ne!(signs[1].1, signs[2].1, "each attempt is signed anew");
    assert_eq!(client.retry_budget_remaining(), 500 - 10 + 1);
}

#[tokio::test(start_paused = true)]
async fn unknown_outcomes_are_not_retried_unless_retry_safe() {
    for kind in [TransportErrorKind::Timeout, TransportErrorKind::Io] {
        let mut mock = MockTransport::new();
        mock.expect_send()
            .times(1)
            .returning(move |_| failure(kind));
        let err = client(mock).execute(&request(false)).await.unwrap_err();
        assert!(err.outcome_unknown(), "{err:?}");

        let mut mock = MockTransport::new();
        let calls = AtomicUsize::new(0);
        mock.expect_send().times(2).returning(move |_| {
            if calls.fetch_add(1, Ordering::SeqCst) == 0 {
                failure(kind)
            } else {
                ok()
            }
        });
        client(mock).execute(&request(true)).await.unwrap();
    }
}

#[tokio::test(start_paused = true)]
async fn transient_isp_errors_5xx_and_is_retry_follow_retry_safe() {
    let transient = r#"{"error_response":{"code":15,"msg":"Remote service error","sub_code":"isp.top-remote-connection-timeout","request_id":"t1"}}"#;
    let retry_me = r#"{"user_blacklist_response":{"success":false,"code":"500","message":"busy","is_retry":true}}"#;
    for (status, body) in [
        (200, transient),
        (502, "<html>Bad Gateway</html>"),
        (200, retry_me),
    ] {
        let mut mock = MockTransport::new();
        mock.expect_send()
            .times(1)
            .returning(move |_| Ok(HttpResponse::new(status, body)));
        assert!(client(mock).execute(&request(false)).await.is_err());

        let mut mock = MockTransport::new();
        mock.expect_send()
            .times(3)
            .returning(move |_| Ok(HttpResponse::new(status, body)));
        let err = client(mock).execute(&request(true)).await.unwrap_err();
        assert!(err.is_retryable(), "{err:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn permanent_errors_are_never_retried() {
    for body in [
        r#"{"error_response":{"code":25,"msg":"Invalid signature"}}"#,
        r#"{"error_response":{"code":50,"msg":"Remote service error","sub_code":"isv.invalid-parameter","sub_msg":"非法参数"}}"#,
        r#"{"error_response":{"code":15,"msg":"Remote service error","sub_code":"isp.runtime-max-limit"}}"#,
        r#"{"user_blacklist_response":{"success":false,"code":"400","message":"bad","is_retry":false}}"#,
        "not json at all",
    ] {
        let mut mock = MockTransport::new();
        mock.expect_send()
            .times(1)
            .returning(move |_| Ok(HttpResponse::new(200, body)));
        let err = client(mock).execute(&request(true)).await.unwrap_err();
        assert!(!err.is_retryable(), "{body}: {err:?}");
    }
}

#[tokio::test(start_paused = true)]
async fn short_bans_are_waited_out_and_long_ones_surface() {
    let short = r#"{"error_response":{"code":7,"msg":"App Call Limited","sub_code":"accesscontrol.limited-by-app-access-count","sub_msg":"This ban will last for 2 more seconds"}}"#;
    let mut mock = MockTransport::new();
    let calls = AtomicUsize::new(0);
    mock.expect_send().times(2).returning(move |_| {
        let body = if calls.fetch_add(1, Ordering::SeqCst) == 0 {
            short
        } else {
            OK_BODY
        };
        Ok(HttpResponse::new(200, body))
    });
    let started = tokio::time::Instant::now();
    client(mock).execute(&request(false)).await.unwrap();
    assert_eq!(
        started.elapsed(),
        Duration::from_secs(2),
        "waited exactly the ban"
    );

    let long = r#"{"error_response":{"code":7,"msg":"App Call Limited","sub_msg":"This ban will last for 31062 more seconds","request_id":"ban"}}"#;
    let mut mock = MockTransport::new();
    mock.expect_send()
        .times(1)
        .returning(move |_| Ok(HttpResponse::new(200, long)));
    match client(mock).execute(&request(true)).await.unwrap_err() {
        err @ Error::RateLimited { .. } => {
            let Error::RateLimited { retry_after, .. } = &err else {
                unreachable!()
            };
            assert_eq!(*retry_after, Duration::from_secs(31062));
            assert_eq!(err.request_id(), Some("ban"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn business_failures_keep_the_typed_response() {
    let mut mock = MockTransport::new();
    mock.expect_send().times(1).returning(|_| {
        Ok(HttpResponse::new(200, r#"{"user_blacklist_response":{"success":"false","code":"400","message":"bad"},"request_id":"b1"}"#))
    });
    match client(mock).execute(&request(false)).await.unwrap_err() {
        Error::Business(b) => {
            assert_eq!(
                (b.code.as_deref(), b.request_id.as_deref()),
                (Some("400"), Some("b1"))
            );
            let response = b.response::<SyncResponse>().expect("typed response kept");
            assert_eq!(
                response.user_blacklist_response.as_ref().unwrap().success,
                Some(false)
            );
        }
        other => panic!("{other:?}"),
    }
}

/// A transport that never answers within the attempt timeout.
#[derive(Debug)]
struct Slow(Arc<AtomicUsize>);

#[async_trait]
impl Transport for Slow {
    async fn send(&self, _request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.0.fetch_add(1, Ordering::SeqCst);
        tokio::time::sleep(Duration::from_secs(3600)).await;
        ok()
    }
}

#[tokio::test(start_paused = true)]
async fn attempt_timeouts_are_honoured() {
    let calls = Arc::new(AtomicUsize::new(0));
    let client = client(Slow(calls.clone()));
    let started = tokio::time::Instant::now();
    let options = CallOptions::new().timeout(Duration::from_secs(2));
    let err = client
        .execute_with(&request(false), options)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Transport(t) if t.is_timeout()),
        "{err:?}"
    );
    assert_eq!(started.elapsed(), Duration::from_secs(2));
    assert_eq!(
        calls.load(Ordering::SeqCst),
        1,
        "a timeout of a non-idempotent call is not retried"
    );

    let err = client.execute(&request(true)).await.unwrap_err();
    assert!(matches!(&err, Error::Transport(t) if t.is_timeout()));
    assert_eq!(
        calls.load(Ordering::SeqCst),
        4,
        "idempotent: three attempts of 30 s"
    );
}

#[tokio::test(start_paused = true)]
async fn the_retry_budget_stops_retry_storms() {
    let mut mock = MockTransport::new();
    mock.expect_send()
        .returning(|_| failure(TransportErrorKind::Connect));
    let client = TopClient::builder()
        .app_key("k")
        .app_secret("s")
        .retry(RetryConfig::default().max_attempts(10).budget(12, 5, 10, 1))
        .transport(mock)
        .build()
        .unwrap();
    client.execute(&request(false)).await.unwrap_err();
    assert_eq!(
        client.retry_budget_remaining(),
        2,
        "two retries of 5 tokens, then stop"
    );
    client.execute(&request(false)).await.unwrap_err();
    assert_eq!(
        client.retry_budget_remaining(),
        2,
        "no tokens left for a retry"
    );
}

#[tokio::test(start_paused = true)]
async fn a_deadline_bounds_the_whole_call_across_retries() {
    // Idempotent: three attempts of 30 s would take 90 s and more; the deadline cuts the
    // second attempt short at 40 s and starts no third.
    let calls = Arc::new(AtomicUsize::new(0));
    let client = client(Slow(calls.clone()));
    let started = tokio::time::Instant::now();
    let options = CallOptions::new().deadline(Duration::from_secs(40));
    let err = client
        .execute_with(&request(true), options)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Transport(t) if t.is_timeout()),
        "{err:?}"
    );
    assert!(
        started.elapsed() <= Duration::from_secs(40),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(calls.load(Ordering::SeqCst), 2);

    // Connect failures are retried with backoff, but no retry starts past the deadline.
    let mut mock = MockTransport::new();
    mock.expect_send()
        .returning(|_| failure(TransportErrorKind::Connect));
    let client = TopClient::builder()
        .app_key("k")
        .app_secret("s")
        .retry(
            RetryConfig::default()
                .max_attempts(100)
                .base_delay(Duration::from_secs(1))
                .max_delay(Duration::from_secs(1)),
        )
        .transport(mock)
        .build()
        .unwrap();
    let started = tokio::time::Instant::now();
    let err = client
        .execute_with(
            &request(false),
            CallOptions::new().deadline(Duration::from_secs(5)),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Transport(t) if t.is_connect()),
        "{err:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(client.attempts() >= 5, "{} attempts", client.attempts());
    assert!(client.attempts() < 100);
}

#[tokio::test(start_paused = true)]
async fn with_retry_keeps_the_client_and_changes_only_the_policy() {
    let mut mock = MockTransport::new();
    mock.expect_send()
        .times(5)
        .returning(|_| failure(TransportErrorKind::Connect));
    let base = client(mock);
    let patient = base.with_retry(RetryConfig::default().max_attempts(5));
    assert_eq!(patient.retry_config().max_attempts, 5);
    assert_eq!(base.retry_config().max_attempts, 3);
    assert_eq!(patient.app_key(), base.app_key());
    patient.execute(&request(false)).await.unwrap_err();
    assert_eq!((patient.attempts(), base.attempts()), (5, 0));
}

#[tokio::test]
async fn http_errors_and_400_with_a_top_body() {
    let mut mock = MockTransport::new();
    let calls = AtomicUsize::new(0);
    mock.expect_send().times(2).returning(move |_| {
        Ok(if calls.fetch_add(1, Ordering::SeqCst) == 0 {
            HttpResponse::new(404, "<html>not found</html>")
        } else {
            HttpResponse::new(
                400,
                r#"{"error_response":{"code":27,"msg":"Invalid session"}}"#,
            )
        })
    });
    let client = client(mock);
    let err = client.execute(&request(true)).await.unwrap_err();
    assert!(
        matches!(&err, Error::Http { status: 404, body_snippet } if body_snippet.contains("not found")),
        "{err:?}"
    );
    let err = client.execute(&request(true)).await.unwrap_err();
    assert_eq!(err.api_error().and_then(|e| e.code.as_i64()), Some(27));
}

#[tokio::test]
async fn call_raw_returns_the_content() {
    let mut mock = MockTransport::new();
    mock.expect_send().times(1).returning(|req| {
        assert_eq!(form(&req).get("method"), Some("taobao.time.get"));
        Ok(HttpResponse::new(
            200,
            r#"{"time_get_response":{"time":"2024-01-01 12:00:00","request_id":"z"}}"#,
        ))
    });
    let value = client(mock)
        .call_raw("taobao.time.get", Params::new(), CallOptions::default())
        .await
        .unwrap();
    assert_eq!(value["time"], "2024-01-01 12:00:00");
    let mut mock = MockTransport::new();
    mock.expect_send().never();
    let err = client(mock)
        .call_raw("bad method", Params::new(), CallOptions::default())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Validation(ref v) if v.field == "method"));
}
