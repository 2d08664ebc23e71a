//! `ReqwestTransport` end to end against local servers: wiremock for HTTP behaviour, raw TCP
//! for broken connections.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use top_core::{Error, Params, RetryConfig, Timeouts, TopClient, TopRequest, TopResponse};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Debug, Serialize)]
struct Create {
    param_customer_create_open_req: serde_json::Value,
}

#[derive(Debug, Deserialize)]
struct Created {
    result: Option<serde_json::Value>,
}
impl TopResponse for Created {}

impl TopRequest for Create {
    const METHOD: &'static str = "alibaba.alsc.crm.customer.create";
    type Response = Created;
    fn retry_safe(&self) -> bool {
        true
    }
}

fn create() -> Create {
    Create {
        param_customer_create_open_req: serde_json::json!({"request_id":"r1","outer_type":"mobile","outer_id":"13411111111","channel":"2","customer_type":0}),
    }
}

const CREATED: &str = r#"{"result":{"result":"20193846534522344567","result_code":"0","biz_success":true},"request_id":"w1"}"#;

fn client(url: &str) -> TopClient {
    TopClient::builder()
        .app_key("12345678")
        .app_secret("helloworld")
        .endpoint(url)
        .retry(RetryConfig::default().base_delay(Duration::from_millis(5)))
        .build()
        .unwrap()
}

fn gateway(server: &MockServer) -> String {
    format!("{}/router/rest", server.uri())
}

#[tokio::test]
async fn posts_a_form_and_reads_gzip() {
    let server = MockServer::start().await;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(CREATED.as_bytes()).unwrap();
    Mock::given(method("POST"))
        .and(path("/router/rest"))
        .and(header(
            "content-type",
            "application/x-www-form-urlencoded;charset=utf-8",
        ))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-encoding", "gzip")
                .insert_header("content-type", "application/json;charset=UTF-8")
                .set_body_bytes(gz.finish().unwrap()),
        )
        .expect(1)
        .mount(&server)
        .await;
    let created = client(&gateway(&server)).execute(&create()).await.unwrap();
    assert_eq!(created.result.unwrap()["result"], "20193846534522344567");
    let received = &server.received_requests().await.unwrap()[0];
    assert_eq!(received.url.query(), None, "nothing in the URL");
    assert!(
        received
            .headers
            .get("accept-encoding")
            .unwrap()
            .to_str()
            .unwrap()
            .contains("gzip")
    );
    let form: Params = form_urlencoded::parse(&received.body)
        .into_owned()
        .collect();
    assert!(
        form.contains("sign")
            && form.contains("timestamp")
            && form.contains("param_customer_create_open_req")
    );
}

#[tokio::test]
async fn server_errors_are_retried_then_reported() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).set_body_string("Service Unavailable"))
        .expect(3)
        .mount(&server)
        .await;
    let err = client(&gateway(&server))
        .execute(&create())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Http { status: 503, .. }), "{err:?}");
}

#[tokio::test]
async fn slow_answers_time_out() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string(CREATED)
                .set_delay(Duration::from_secs(5)),
        )
        .mount(&server)
        .await;
    let client = TopClient::builder()
        .app_key("k")
        .app_secret("s")
        .endpoint(gateway(&server).as_str())
        .timeouts(
            Timeouts::default()
                .connect(Duration::from_secs(1))
                .attempt(Duration::from_millis(200)),
        )
        .retry(RetryConfig::disabled())
        .build()
        .unwrap();
    let err = client.execute(&create()).await.unwrap_err();
    assert!(
        matches!(&err, Error::Transport(t) if t.is_timeout()),
        "{err:?}"
    );
    assert!(err.outcome_unknown());
}

#[tokio::test]
async fn oversized_and_garbage_bodies_are_decode_errors() {
    let server = MockServer::start().await;
    let huge = format!("{{\"result\":\"{}\"}}", "x".repeat(11 * 1024 * 1024));
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string(huge))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html><body>oops</body></html>"))
        .mount(&server)
        .await;
    let client = client(&gateway(&server));
    let err = client.execute(&create()).await.unwrap_err();
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
    let err = client.execute(&create()).await.unwrap_err();
    assert!(
        matches!(err, Error::Decode(ref d) if d.message.contains("html")),
        "{err:?}"
    );
}

#[tokio::test]
async fn refused_connections_are_connect_errors() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/router/rest", listener.local_addr().unwrap());
    drop(listener);
    let err = client(&url).execute(&create()).await.unwrap_err();
    assert!(
        matches!(&err, Error::Transport(t) if t.is_connect()),
        "{err:?}"
    );
    assert!(!err.outcome_unknown(), "nothing was sent");
}

/// A server that reads the request, then answers with `reply` and closes.
async fn raw_server(reply: &'static [u8]) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let mut buf = vec![0u8; 64 * 1024];
            let _ = socket.read(&mut buf).await;
            let _ = socket.write_all(reply).await;
            let _ = socket.shutdown().await;
        }
    });
    format!("http://{addr}/router/rest")
}

#[tokio::test]
async fn broken_connections_after_sending_have_an_unknown_outcome() {
    let truncated = raw_server(b"HTTP/1.1 200 OK\r\nContent-Length: 500\r\nContent-Type: application/json\r\n\r\n{\"result\":{").await;
    let closed = raw_server(b"").await;
    for url in [truncated, closed] {
        let err = client(&url).execute(&create()).await.unwrap_err();
        assert!(
            matches!(&err, Error::Transport(t) if t.is_io()),
            "{url}: {err:?}"
        );
        assert!(err.outcome_unknown());
    }
}
