//! `taobao.logistics.express.user.blacklist.tms.sync` through
//! `top_core::testing::StubTransport`: the batch is received exactly as built (reasons,
//! defaults, operate type), and `is_retry=true` is resent with the same batch, in every
//! format. No envelope text, no server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use logistics_blacklist::{
    Blacklist, BlacklistReason, LogisticsExpressUserBlacklistTmsSyncRequest,
    LogisticsExpressUserBlacklistTmsSyncResponse, OperateType, UserBlacklistRequest,
};
use std::time::Duration;
use top_core::testing::StubTransport;

use top_core::{Format, RetryConfig, TopClient};

type Sync = LogisticsExpressUserBlacklistTmsSyncRequest;

fn batch() -> Sync {
    Sync::new(UserBlacklistRequest::new(
        "1656674541001".to_owned(),
        1_656_674_541_001,
        "10000000001".to_owned(),
        OperateType::Delete,
        vec![
            Blacklist::new("13111111111").reason([
                BlacklistReason::MaliciousOrder,
                BlacklistReason::MaliciousComplaint,
            ]),
            Blacklist::new("13122222222"),
        ],
    ))
}

/// Response types are `#[non_exhaustive]`: built from their JSON, as the client reads them.
fn answer(success: bool) -> LogisticsExpressUserBlacklistTmsSyncResponse {
    serde_json::from_value(serde_json::json!({
        "user_blacklist_response": {
            "success": success,
            "code": if success { "200" } else { "500" },
            "message": if success { "SUCCESS" } else { "busy" },
            "is_retry": !success,
        },
        "request_id": "rid",
    }))
    .unwrap()
}

#[tokio::test]
async fn a_retryable_failure_is_resent_with_the_same_batch() {
    for format in [Format::Json, Format::JsonEnveloped, Format::Xml] {
        let stub = StubTransport::new();
        stub.on::<Sync>(|_| Ok(answer(false)))
            .on::<Sync>(|_| Ok(answer(true)));
        let client = TopClient::builder()
            .app_key("12345678")
            .app_secret("helloworld")
            .format(format)
            // The backoff before the resend is not what this test is about.
            .retry(RetryConfig::default().base_delay(Duration::from_millis(1)))
            .transport(stub.clone())
            .build()
            .unwrap();

        assert_eq!(
            client.execute(&batch()).await.unwrap(),
            answer(true),
            "{format}"
        );
        assert_eq!(stub.calls::<Sync>(), [batch(), batch()], "{format}");
    }
}
