//! The fault matrix over real HTTP: for each fault, the error kind the caller sees and how many
//! attempts the SDK made, for a retry-safe call (CRM create, idempotent by `request_id`) and a
//! call that is not (retail tag). A scripted TCP server plays the gateway and counts requests.
//! Exactly-once application through faults is proven against the sandbox in `sdk_sandbox.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use taobao_top::alsc_crm::{
    AlibabaAlscCrmCustomerCreateRequest, CustomerCreateOpenReq, CustomerType,
};
use taobao_top::core::{Error, RetryConfig, Timeouts, TopClient, TopRequest};
use taobao_top::logistics_blacklist::{
    Blacklist, LogisticsExpressUserBlacklistTmsSyncRequest, OperateType, UserBlacklistRequest,
};
use taobao_top::retail_tag::RetailUserTagMobileAddRequest;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// What the scripted gateway does with a request.
#[derive(Clone, Debug)]
enum Act {
    /// Answer with this status and body.
    Reply(u16, String),
    /// Close the connection without answering (reset after the request arrived).
    Close,
    /// Send the headers and part of the body, then close.
    Truncate,
    /// Answer with the call's success after this long.
    Slow(Duration),
    /// Answer with the call's success.
    Ok,
}

/// A gateway that plays `script` in order (the last act repeats) and counts requests.
async fn gateway(script: Vec<Act>, ok: &'static str) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/router/rest", listener.local_addr().unwrap());
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let (seen, script) = (seen.clone(), script.clone());
            tokio::spawn(async move {
                let mut socket = BufReader::new(socket);
                loop {
                    let mut length = 0;
                    let mut line = String::new();
                    loop {
                        line.clear();
                        if socket.read_line(&mut line).await.unwrap_or(0) == 0 {
                            return;
                        }
                        if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                            length = v.trim().parse().unwrap_or(0);
                        }
                        if line == "\r\n" {
                            break;
                        }
                    }
                    let mut body = vec![0; length];
                    if socket.read_exact(&mut body).await.is_err() {
                        return;
                    }
                    let n = seen.fetch_add(1, Ordering::SeqCst);
                    let act = script[n.min(script.len() - 1)].clone();
                    let reply = |status: u16, body: &str| {
                        format!(
                            "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                            body.len()
                        )
                    };
                    let out = match act {
                        Act::Reply(status, body) => reply(status, &body),
                        Act::Slow(d) => {
                            tokio::time::sleep(d).await;
                            reply(200, ok)
                        }
                        Act::Ok => reply(200, ok),
                        Act::Close => return,
                        Act::Truncate => {
                            let _ = socket.get_mut().write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 400\r\n\r\n{\"result\":{\"res").await;
                            return;
                        }
                    };
                    if socket.get_mut().write_all(out.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (url, count)
}

const CREATED: &str = r#"{"result":{"result":"20190000000000000001","result_code":"0","biz_success":true},"request_id":"ok"}"#;
const TAGGED: &str = r#"{"result":true,"module":{"tag_success":true},"request_id":"ok"}"#;
const ISP: &str = r#"{"error_response":{"code":15,"msg":"Remote service error","sub_code":"isp.top-remote-connection-timeout","request_id":"isp"}}"#;
const INVALID: &str = r#"{"error_response":{"code":50,"msg":"Remote service error","sub_code":"isv.invalid-parameter","sub_msg":"非法参数"}}"#;
const BAN_SHORT: &str = r#"{"error_response":{"code":7,"msg":"App Call Limited","sub_code":"accesscontrol.limited-by-app-access-count","sub_msg":"This ban will last for 1 more seconds"}}"#;
const BAN_LONG: &str = r#"{"error_response":{"code":7,"msg":"App Call Limited","sub_code":"accesscontrol.limited-by-app-access-count","sub_msg":"This ban will last for 3600 more seconds"}}"#;
const IS_RETRY: &str = r#"{"user_blacklist_response":{"success":false,"code":"500","message":"busy","is_retry":true}}"#;
const SIGNATURE: &str = r#"{"error_response":{"code":25,"msg":"Invalid signature"}}"#;

fn client(url: &str) -> TopClient {
    TopClient::builder()
        .app_key("12345678")
        .app_secret("helloworld")
        .endpoint(url)
        .timeouts(
            Timeouts::default()
                .connect(Duration::from_secs(2))
                .attempt(Duration::from_millis(300)),
        )
        .retry(
            RetryConfig::default()
                .base_delay(Duration::from_millis(2))
                .max_delay(Duration::from_millis(20)),
        )
        .build()
        .unwrap()
}

fn crm() -> AlibabaAlscCrmCustomerCreateRequest {
    AlibabaAlscCrmCustomerCreateRequest::new(CustomerCreateOpenReq::new(
        "fm-1",
        "mobile",
        "13411111111",
        "2",
        CustomerType::Member,
    ))
}

fn tag() -> RetailUserTagMobileAddRequest {
    RetailUserTagMobileAddRequest::new().alipay_user_id("2088000000000001")
}

/// The error kind, in the words of the matrix.
fn kind(result: &Result<(), Error>) -> &'static str {
    match result {
        Ok(()) => "ok",
        Err(Error::Transport(t)) if t.is_connect() => "transport/connect",
        Err(Error::Transport(t)) if t.is_timeout() => "transport/timeout",
        Err(Error::Transport(_)) => "transport/io",
        Err(Error::Http { .. }) => "http",
        Err(Error::Api(_)) => "api",
        Err(Error::RateLimited { .. }) => "rate-limited",
        Err(Error::Business(_)) => "business",
        Err(Error::Decode(_)) => "decode",
        Err(_) => "other",
    }
}

async fn run<R: TopRequest>(url: &str, request: &R) -> Result<(), Error> {
    client(url).execute(request).await.map(|_| ())
}

struct Row {
    fault: &'static str,
    script: Vec<Act>,
    /// Error kind and attempts for the retry-safe call.
    safe: (&'static str, usize),
    /// Error kind and attempts for the call that is not retry-safe.
    unsafe_: (&'static str, usize),
}

#[tokio::test(flavor = "multi_thread")]
async fn every_fault_is_reported_as_its_kind_with_the_right_retries() {
    let reply = |status: u16, body: &str| Act::Reply(status, body.to_owned());
    let rows = vec![
        Row {
            fault: "HTTP 500",
            script: vec![reply(500, "oops")],
            safe: ("http", 3),
            unsafe_: ("http", 1),
        },
        Row {
            fault: "HTTP 502",
            script: vec![reply(502, "<html>Bad Gateway</html>")],
            safe: ("http", 3),
            unsafe_: ("http", 1),
        },
        Row {
            fault: "HTTP 503",
            script: vec![reply(503, "")],
            safe: ("http", 3),
            unsafe_: ("http", 1),
        },
        Row {
            fault: "503 then success",
            script: vec![reply(503, ""), Act::Ok],
            safe: ("ok", 2),
            unsafe_: ("http", 1),
        },
        Row {
            fault: "connection reset after the request",
            script: vec![Act::Close],
            safe: ("transport/io", 3),
            unsafe_: ("transport/io", 1),
        },
        Row {
            fault: "truncated body",
            script: vec![Act::Truncate],
            safe: ("transport/io", 3),
            unsafe_: ("transport/io", 1),
        },
        Row {
            fault: "slower than the attempt timeout",
            script: vec![Act::Slow(Duration::from_secs(2))],
            safe: ("transport/timeout", 3),
            unsafe_: ("transport/timeout", 1),
        },
        Row {
            fault: "invalid JSON",
            script: vec![reply(200, "{\"result\":")],
            safe: ("decode", 1),
            unsafe_: ("decode", 1),
        },
        Row {
            fault: "invalid XML",
            script: vec![reply(
                200,
                "<alibaba_alsc_crm_customer_create_response><result>",
            )],
            safe: ("decode", 1),
            unsafe_: ("decode", 1),
        },
        Row {
            fault: "empty body",
            script: vec![reply(200, "")],
            safe: ("decode", 1),
            unsafe_: ("decode", 1),
        },
        Row {
            fault: "HTML error page with 200",
            script: vec![reply(200, "<html><body>maintenance</body></html>")],
            safe: ("decode", 1),
            unsafe_: ("decode", 1),
        },
        Row {
            fault: "huge body (11 MiB)",
            script: vec![reply(
                200,
                &format!("{{\"result\":\"{}\"}}", "x".repeat(11 << 20)),
            )],
            safe: ("decode", 1),
            unsafe_: ("decode", 1),
        },
        Row {
            fault: "isp.* transient error",
            script: vec![reply(200, ISP)],
            safe: ("api", 3),
            unsafe_: ("api", 1),
        },
        Row {
            fault: "isp.* then success",
            script: vec![reply(200, ISP), Act::Ok],
            safe: ("ok", 2),
            unsafe_: ("api", 1),
        },
        Row {
            fault: "isv.invalid-parameter",
            script: vec![reply(200, INVALID)],
            safe: ("api", 1),
            unsafe_: ("api", 1),
        },
        Row {
            fault: "code 25 invalid signature",
            script: vec![reply(200, SIGNATURE)],
            safe: ("api", 1),
            unsafe_: ("api", 1),
        },
        Row {
            fault: "code 7, ban 1 s, then success",
            script: vec![reply(200, BAN_SHORT), Act::Ok],
            safe: ("ok", 2),
            unsafe_: ("ok", 2),
        },
        Row {
            fault: "code 7, ban 3600 s",
            script: vec![reply(200, BAN_LONG)],
            safe: ("rate-limited", 1),
            unsafe_: ("rate-limited", 1),
        },
    ];
    let mut table = String::from("| fault | retry-safe call | other call |\n|---|---|---|\n");
    for row in &rows {
        let (url, count) = gateway(row.script.clone(), CREATED).await;
        let safe = run(&url, &crm()).await;
        let safe_attempts = count.swap(0, Ordering::SeqCst);
        let (url, count) = gateway(row.script.clone(), TAGGED).await;
        let other = run(&url, &tag()).await;
        let other_attempts = count.load(Ordering::SeqCst);
        table.push_str(&format!(
            "| {} | {} after {} attempt(s) | {} after {} attempt(s) |\n",
            row.fault,
            kind(&safe),
            safe_attempts,
            kind(&other),
            other_attempts
        ));
        assert_eq!(
            (kind(&safe), safe_attempts),
            row.safe,
            "{}: retry-safe call: {safe:?}",
            row.fault
        );
        assert_eq!(
            (kind(&other), other_attempts),
            row.unsafe_,
            "{}: other call: {other:?}",
            row.fault
        );
        if let Err(e) = &safe {
            let unknown = matches!(kind(&safe), "transport/io" | "transport/timeout" | "http");
            assert_eq!(e.outcome_unknown(), unknown, "{}", row.fault);
        }
    }
    println!("{table}");
}

#[tokio::test(flavor = "multi_thread")]
async fn refused_connections_are_retried_and_known_unsent() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/router/rest", listener.local_addr().unwrap());
    drop(listener);
    for result in [run(&url, &crm()).await, run(&url, &tag()).await] {
        let err = result.unwrap_err();
        assert!(
            matches!(&err, Error::Transport(t) if t.is_connect()),
            "{err:?}"
        );
        assert!(err.is_retryable() && !err.outcome_unknown());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn is_retry_business_failures_are_retried_only_when_safe() {
    let blacklist = LogisticsExpressUserBlacklistTmsSyncRequest::new(UserBlacklistRequest::new(
        "fm-b",
        1,
        "s",
        OperateType::AddOrUpdate,
        vec![Blacklist::new("13111111111")],
    ));
    let (url, count) = gateway(vec![Act::Reply(200, IS_RETRY.to_owned())], CREATED).await;
    let err = run(&url, &blacklist).await.unwrap_err();
    assert!(matches!(&err, Error::Business(b) if b.retryable), "{err:?}");
    assert_eq!(
        count.load(Ordering::SeqCst),
        3,
        "retry-safe: three attempts"
    );
}
