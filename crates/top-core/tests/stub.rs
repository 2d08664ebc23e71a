//! `StubTransport` end to end through the real client: typed and JSON rules, sequences,
//! records, the loud answer of an unstubbed API, the mapping of every error, the three
//! answer formats, and retries seen once per attempt.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::json;
use top_core::testing::StubTransport;
use top_core::{
    ApiError, BusinessError, Error, Format, Mobile, TopClient, TopRequest, TopResponse,
    TransportError, TransportErrorKind,
};

/// A retry-safe call with every parameter shape: an object, a top-level list of scalars,
/// numbers, a boolean, an optional string.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct SyncBatch {
    batch: Batch,
    tags: Vec<String>,
    count: u32,
    dry_run: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Batch {
    request_id: String,
    request_time: i64,
    entries: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Entry {
    mobile: Mobile,
    reason: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Synced {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    outcome: Option<Outcome>,
    #[serde(
        default,
        deserialize_with = "top_core::de::list",
        skip_serializing_if = "Option::is_none"
    )]
    infos: Option<Vec<Info>>,
    #[serde(
        default,
        deserialize_with = "top_core::de::list",
        skip_serializing_if = "Option::is_none"
    )]
    codes: Option<Vec<String>>,
    #[serde(
        default,
        deserialize_with = "top_core::de::lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    request_id: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Outcome {
    #[serde(
        default,
        deserialize_with = "top_core::de::lenient_bool",
        skip_serializing_if = "Option::is_none"
    )]
    success: Option<bool>,
    #[serde(
        default,
        deserialize_with = "top_core::de::lenient_i64",
        skip_serializing_if = "Option::is_none"
    )]
    applied: Option<i64>,
    #[serde(
        default,
        deserialize_with = "top_core::de::lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    message: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Info {
    #[serde(
        default,
        deserialize_with = "top_core::de::lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    code: Option<String>,
}

impl TopResponse for Synced {
    fn business_error(&self) -> Option<BusinessError> {
        let outcome = self.outcome.as_ref()?;
        (outcome.success == Some(false))
            .then(|| BusinessError::new(Some("FAILED".into()), outcome.message.clone()))
    }
}

impl TopRequest for SyncBatch {
    const METHOD: &'static str = "taobao.demo.batch.sync";
    type Response = Synced;

    fn retry_safe(&self) -> bool {
        true
    }
}

/// A call that is not retry-safe.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct TagUser {
    open_id: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Tagged {
    #[serde(
        default,
        deserialize_with = "top_core::de::lenient_bool",
        skip_serializing_if = "Option::is_none"
    )]
    result: Option<bool>,
    #[serde(
        default,
        deserialize_with = "top_core::de::lenient_string",
        skip_serializing_if = "Option::is_none"
    )]
    request_id: Option<String>,
}

impl TopResponse for Tagged {}

impl TopRequest for TagUser {
    const METHOD: &'static str = "alibaba.demo.user.tag";
    type Response = Tagged;
}

fn batch() -> SyncBatch {
    SyncBatch {
        batch: Batch {
            request_id: "b-1".into(),
            request_time: 1_656_674_541_001,
            entries: vec![
                Entry {
                    mobile: Mobile::new("13111111111"),
                    reason: "1,2".into(),
                },
                Entry {
                    mobile: Mobile::new("13222222222"),
                    reason: "a&b=c+d 中".into(),
                },
            ],
        },
        tags: vec!["vip".into(), "新".into()],
        count: 0,
        dry_run: false,
        note: Some("{}".into()),
    }
}

fn synced() -> Synced {
    Synced {
        outcome: Some(Outcome {
            success: Some(true),
            applied: Some(9_007_199_254_740_993),
            message: Some("<ok> & 成功".into()),
        }),
        infos: Some(vec![
            Info {
                code: Some("A".into()),
            },
            Info {
                code: Some("B".into()),
            },
        ]),
        codes: Some(vec!["only".into()]),
        request_id: Some("rid-1".into()),
    }
}

fn client(stub: &StubTransport, format: Format) -> TopClient {
    TopClient::builder()
        .app_key("12345678")
        .app_secret("helloworld")
        .format(format)
        .transport(stub.clone())
        .build()
        .unwrap()
}

fn api_error(code: i64, request_id: Option<&str>) -> ApiError {
    let error = ApiError::new(code, "Remote service error")
        .with_sub_code("isv.invalid-parameter")
        .with_sub_msg("非法参数 <&>");
    match request_id {
        Some(id) => error.with_request_id(id),
        None => error,
    }
}

fn formats() -> Vec<Format> {
    let mut formats = vec![Format::Json, Format::JsonEnveloped];
    if cfg!(feature = "xml") {
        formats.push(Format::Xml);
    }
    formats
}

#[tokio::test]
async fn a_typed_rule_sees_the_typed_request_and_answers_typed() {
    let stub = StubTransport::new();
    stub.on::<SyncBatch>(|request| {
        assert_eq!(request, &batch(), "the handler gets the request as sent");
        Ok(synced())
    });
    let answer = client(&stub, Format::Json).execute(&batch()).await.unwrap();
    assert_eq!(answer, synced());
    assert_eq!(stub.calls::<SyncBatch>(), [batch()]);
    assert_eq!(stub.call_count::<SyncBatch>(), 1);
    assert!(stub.calls::<TagUser>().is_empty());
    assert_eq!(stub.call_count::<TagUser>(), 0);
}

#[tokio::test]
async fn every_format_round_trips_answers_and_errors() {
    for format in formats() {
        let stub = StubTransport::new();
        stub.on::<SyncBatch>(|_| Ok(synced()));
        stub.on::<TagUser>(|_| Err(Error::Api(api_error(50, Some("rid-e")))));
        let client = client(&stub, format);
        assert_eq!(
            client.execute(&batch()).await.unwrap(),
            synced(),
            "{format}"
        );
        match client
            .execute(&TagUser {
                open_id: "o".into(),
            })
            .await
        {
            Err(Error::Api(api)) => assert_eq!(api, api_error(50, Some("rid-e")), "{format}"),
            other => panic!("{format}: {other:?}"),
        }
        assert_eq!(stub.calls::<SyncBatch>(), [batch()], "{format}");
    }
}

#[tokio::test]
async fn a_response_without_request_id_gets_the_stubs() {
    for format in formats() {
        let stub = StubTransport::new();
        stub.on::<TagUser>(|_| {
            Ok(Tagged {
                result: Some(true),
                request_id: None,
            })
        });
        let answer = client(&stub, format)
            .execute(&TagUser {
                open_id: "o".into(),
            })
            .await
            .unwrap();
        assert_eq!(
            answer.request_id.as_deref(),
            Some(StubTransport::REQUEST_ID)
        );
    }
}

#[tokio::test]
async fn canned_json_answers_in_every_format() {
    for format in formats() {
        let stub = StubTransport::new();
        stub.on_json::<SyncBatch>(json!({
            "outcome": {"success": "true", "applied": "3"},
            "infos": [{"code": "A"}],
            "codes": ["x", "y"],
        }));
        let answer = client(&stub, format).execute(&batch()).await.unwrap();
        assert_eq!(
            answer,
            Synced {
                outcome: Some(Outcome {
                    success: Some(true),
                    applied: Some(3),
                    message: None,
                }),
                infos: Some(vec![Info {
                    code: Some("A".into())
                }]),
                codes: Some(vec!["x".into(), "y".into()]),
                request_id: Some(StubTransport::REQUEST_ID.into()),
            },
            "{format}"
        );
        stub.on_json::<SyncBatch>(json!({"error_response": {
            "code": 15, "msg": "Remote service error", "sub_code": "isv.x", "sub_msg": "sm", "request_id": "r9"
        }}));
        match client(&stub, format).execute(&batch()).await {
            Err(Error::Api(api)) => assert_eq!(
                api,
                ApiError::new(15, "Remote service error")
                    .with_sub_code("isv.x")
                    .with_sub_msg("sm")
                    .with_request_id("r9"),
                "{format}"
            ),
            other => panic!("{format}: {other:?}"),
        }
    }
}

#[tokio::test]
async fn answers_of_one_api_come_in_order_and_the_last_repeats() {
    let stub = StubTransport::new();
    let tagged = |result| Tagged {
        result: Some(result),
        request_id: Some("r".into()),
    };
    stub.on_json::<TagUser>(json!({"result": false, "request_id": "r"}))
        .on::<TagUser>(move |_| Ok(tagged(true)));
    let client = client(&stub, Format::Json);
    let mut results = Vec::new();
    for n in 0..3 {
        let request = TagUser {
            open_id: format!("o{n}"),
        };
        results.push(client.execute(&request).await.unwrap().result);
    }
    assert_eq!(results, [Some(false), Some(true), Some(true)]);
    assert_eq!(stub.call_count::<TagUser>(), 3);
    let sent: Vec<String> = stub
        .calls::<TagUser>()
        .into_iter()
        .map(|r| r.open_id)
        .collect();
    assert_eq!(sent, ["o0", "o1", "o2"]);
}

#[tokio::test]
async fn an_api_without_a_rule_fails_loudly() {
    let stub = StubTransport::new();
    let error = client(&stub, Format::Json)
        .execute(&TagUser {
            open_id: "o".into(),
        })
        .await
        .unwrap_err();
    let Error::Api(api) = error else {
        panic!("{error:?}")
    };
    assert_eq!(api.code, 22);
    assert!(api.msg.contains("`alibaba.demo.user.tag`"), "{}", api.msg);
    assert!(api.msg.ends_with("stubbed: none"), "{}", api.msg);

    stub.on::<TagUser>(|_| Ok(Tagged::default()));
    for format in formats() {
        // Retry-safe, yet sent once: code 22 is never retried.
        let error = client(&stub, format).execute(&batch()).await.unwrap_err();
        let Error::Api(api) = error else {
            panic!("{error:?}")
        };
        assert_eq!(api.code, 22, "{format}");
        assert_eq!(
            api.request_id.as_deref(),
            Some(StubTransport::REQUEST_ID),
            "{format}"
        );
        assert!(
            api.msg.contains("no rule for `taobao.demo.batch.sync`")
                && api.msg.contains("stubbed: `alibaba.demo.user.tag`"),
            "{}",
            api.msg
        );
    }
    assert_eq!(stub.call_count::<SyncBatch>(), formats().len());
    assert_eq!(stub.calls::<SyncBatch>().len(), formats().len());
}

/// The error the client returns when the handler of [`TagUser`] returns `error()`.
async fn outcome_of(error: fn() -> Error) -> Error {
    let stub = StubTransport::new();
    stub.on::<TagUser>(move |_| Err(error()));
    client(&stub, Format::Json)
        .execute(&TagUser {
            open_id: "o".into(),
        })
        .await
        .unwrap_err()
}

#[tokio::test]
async fn every_error_a_handler_returns_reaches_the_client() {
    // An error_response without request_id gets the stub's; every other field is kept.
    match outcome_of(|| Error::Api(api_error(50, None))).await {
        Error::Api(api) => assert_eq!(api, api_error(50, Some(StubTransport::REQUEST_ID))),
        other => panic!("{other:?}"),
    }

    match outcome_of(|| Error::RateLimited {
        retry_after: Duration::from_secs(3600),
        error: Box::new(
            ApiError::new(7, "App Call Limited")
                .with_sub_code("accesscontrol.limited-by-api-access-count")
                .with_request_id("r7"),
        ),
    })
    .await
    {
        Error::RateLimited { retry_after, error } => {
            assert_eq!(retry_after, Duration::from_secs(3600));
            assert_eq!(
                error.sub_msg.as_deref(),
                Some("This ban will last for 3600 more seconds")
            );
            assert_eq!(error.request_id.as_deref(), Some("r7"));
        }
        other => panic!("{other:?}"),
    }

    match outcome_of(|| TransportError::from_kind(TransportErrorKind::Timeout).into()).await {
        Error::Transport(e) => assert!(e.is_timeout()),
        other => panic!("{other:?}"),
    }

    match outcome_of(|| Error::Http {
        status: 404,
        body_snippet: "not here".into(),
    })
    .await
    {
        Error::Http {
            status,
            body_snippet,
        } => assert_eq!((status, body_snippet.as_str()), (404, "not here")),
        other => panic!("{other:?}"),
    }

    match outcome_of(|| top_core::DecodeError::new("result", "bad").into()).await {
        Error::Decode(e) => assert_eq!(e.path, "$"),
        other => panic!("{other:?}"),
    }

    match outcome_of(|| top_core::ValidationError::new("open_id", "server says no").into()).await {
        Error::Api(api) => {
            assert_eq!(api.code, 15);
            assert!(
                api.msg.contains("`alibaba.demo.user.tag`") && api.msg.contains("no gateway sends"),
                "{}",
                api.msg
            );
        }
        other => panic!("{other:?}"),
    }

    match outcome_of(|| {
        BusinessError::new(Some("C".into()), None)
            .with_response(Synced::default())
            .into()
    })
    .await
    {
        Error::Api(api) => assert!(api.msg.contains("Business"), "{}", api.msg),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_business_error_answers_its_typed_response() {
    let failed = Synced {
        outcome: Some(Outcome {
            success: Some(false),
            applied: None,
            message: Some("nope".into()),
        }),
        request_id: Some("rb".into()),
        ..Synced::default()
    };
    let stub = StubTransport::new();
    let answer = failed.clone();
    stub.on::<SyncBatch>(move |_| {
        Err(BusinessError::new(None, None)
            .with_response(answer.clone())
            .into())
    });
    match client(&stub, Format::Json).execute(&batch()).await {
        Err(Error::Business(e)) => {
            assert_eq!(e.message.as_deref(), Some("nope"));
            assert_eq!(e.response::<Synced>(), Some(&failed));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test(start_paused = true)]
async fn a_retried_call_is_recorded_once_per_attempt() {
    let transient = || {
        Error::Api(
            ApiError::new(15, "Remote service error")
                .with_sub_code("isp.top-remote-connection-timeout"),
        )
    };
    let bad_gateway = || Error::Http {
        status: 502,
        body_snippet: "<html>502</html>".into(),
    };
    for first in [transient, bad_gateway] {
        let stub = StubTransport::new();
        stub.on::<SyncBatch>(move |_| Err(first()))
            .on::<SyncBatch>(|_| Ok(synced()));
        let client = client(&stub, Format::Json);
        assert_eq!(client.execute(&batch()).await.unwrap(), synced());
        assert_eq!(stub.calls::<SyncBatch>(), [batch(), batch()]);
        assert_eq!(client.attempts(), 2);
    }

    // Not retry-safe: the same failure is returned after one attempt.
    let stub = StubTransport::new();
    stub.on::<TagUser>(move |_| Err(bad_gateway()))
        .on::<TagUser>(|_| Ok(Tagged::default()));
    let error = client(&stub, Format::Json)
        .execute(&TagUser {
            open_id: "o".into(),
        })
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Http { status: 502, .. }),
        "{error:?}"
    );
    assert_eq!(stub.call_count::<TagUser>(), 1);
}

#[tokio::test]
async fn clones_share_rules_and_records_and_handlers_may_use_the_stub() {
    let stub = StubTransport::new();
    let client = client(&stub, Format::Json);
    let inside = stub.clone();
    // Rules added after the client was built still apply; the handler reads the records.
    stub.clone().on::<TagUser>(move |_| {
        Ok(Tagged {
            result: Some(inside.call_count::<TagUser>() == 1),
            request_id: None,
        })
    });
    let answer = client
        .execute(&TagUser {
            open_id: "o".into(),
        })
        .await
        .unwrap();
    assert_eq!(answer.result, Some(true));
    assert_eq!(stub.clone().call_count::<TagUser>(), 1);
    let debug = format!("{stub:?}");
    assert_eq!(
        debug,
        r#"StubTransport { stubbed: ["alibaba.demo.user.tag"], received: 1 }"#
    );
}

/// Same method as [`TagUser`], but a member of another type.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct TagByNumber {
    open_id: u64,
}

impl TopRequest for TagByNumber {
    const METHOD: &'static str = "alibaba.demo.user.tag";
    type Response = Tagged;
}

#[tokio::test]
async fn a_request_the_rule_cannot_read_fails_loudly() {
    let stub = StubTransport::new();
    stub.on::<TagByNumber>(|_| Ok(Tagged::default()));
    let error = client(&stub, Format::Json)
        .execute(&TagUser {
            open_id: "oid-secret".into(),
        })
        .await
        .unwrap_err();
    let Error::Api(api) = error else {
        panic!("{error:?}")
    };
    assert_eq!(api.code, 41);
    assert!(
        api.msg.contains("TagByNumber") && api.msg.contains("`open_id`"),
        "{}",
        api.msg
    );
    assert!(!api.msg.contains("oid-secret"), "never the value");
    assert_eq!(stub.call_count::<TagByNumber>(), 1);
    assert!(stub.calls::<TagByNumber>().is_empty());
    assert_eq!(stub.calls::<TagUser>().len(), 1);
}
