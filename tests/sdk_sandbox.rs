//! The SDK against the sandbox over real HTTP: the four APIs in every response format and with
//! every sign method, idempotent replay, and injected faults seen as the right error kinds.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use taobao_top::alsc_crm::{
    AlibabaAlscCrmCustomerCreateRequest, CustomerCreateOpenReq, CustomerType,
};
use taobao_top::core::{Error, Format, Mobile, RetryConfig, SignMethod, TopClient};
use taobao_top::damai_member::{
    AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeRequest, CodeType, UserRegisterByAuthCodeParam,
};
use taobao_top::logistics_blacklist::{
    Blacklist, BlacklistReason, LogisticsExpressUserBlacklistTmsSyncRequest, OperateType,
    UserBlacklistRequest,
};
use taobao_top::retail_tag::RetailUserTagMobileAddRequest;
use top_sandbox::{
    DEMO_APP_KEY, DEMO_APP_SECRET, DEMO_CHANNEL_TOKEN, DEMO_PTNR_TOKEN, DEMO_TENANT_TOKEN, Sandbox,
    SandboxHandle,
};

const BLACKLIST: &str = "taobao.logistics.express.user.blacklist.tms.sync";
const CRM: &str = "alibaba.alsc.crm.customer.create";

/// The demo app's client for `sandbox`, with short backoffs.
fn client(sandbox: &SandboxHandle, format: Format, sign_method: SignMethod) -> TopClient {
    client_with(
        sandbox,
        format,
        sign_method,
        RetryConfig::default().base_delay(Duration::from_millis(5)),
    )
}

/// The demo app's client for `sandbox` with a retry policy of its own.
fn client_with(
    sandbox: &SandboxHandle,
    format: Format,
    sign_method: SignMethod,
    retry: RetryConfig,
) -> TopClient {
    TopClient::builder()
        .app_key(DEMO_APP_KEY)
        .app_secret(DEMO_APP_SECRET)
        .endpoint(sandbox.url().as_str())
        .format(format)
        .sign_method(sign_method)
        .retry(retry)
        .build()
        .unwrap()
}

fn blacklist(
    request_id: &str,
    mobiles: &[&str],
    operate: OperateType,
) -> LogisticsExpressUserBlacklistTmsSyncRequest {
    let entries: Vec<Blacklist> = mobiles
        .iter()
        .map(|m| {
            Blacklist::new(Mobile::new(*m))
                .reason([BlacklistReason::MaliciousOrder, BlacklistReason::Other])
        })
        .collect();
    LogisticsExpressUserBlacklistTmsSyncRequest::new(UserBlacklistRequest::new(
        request_id,
        1656674541001,
        "10000000001",
        operate,
        entries,
    ))
}

fn customer(request_id: &str, outer_id: &str) -> AlibabaAlscCrmCustomerCreateRequest {
    AlibabaAlscCrmCustomerCreateRequest::new(
        CustomerCreateOpenReq::new(request_id, "mobile", outer_id, "2", CustomerType::Customer)
            .name("王小二"),
    )
}

fn register(
    phone: &str,
    code: String,
    code_type: CodeType,
) -> AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeRequest {
    AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeRequest::new(UserRegisterByAuthCodeParam::new(
        Mobile::new(phone),
        code,
        "QWA1q2w3e4r",
        code_type,
        DEMO_PTNR_TOKEN,
        DEMO_TENANT_TOKEN,
        DEMO_CHANNEL_TOKEN,
    ))
}

#[tokio::test]
async fn four_apis_in_every_format_and_sign_method() {
    let sandbox = Sandbox::builder().start().await.unwrap();
    let mut n = 0;
    for format in [Format::Json, Format::JsonEnveloped, Format::Xml] {
        for sign_method in [SignMethod::Md5, SignMethod::Hmac, SignMethod::HmacSha256] {
            n += 1;
            let client = client(&sandbox, format, sign_method);
            let what = format!("{format} {sign_method}");

            let tag = RetailUserTagMobileAddRequest::new()
                .biz_code("TEST_BIZ")
                .alipay_user_id("2088000000000001");
            let tagged = client
                .execute(&tag)
                .await
                .unwrap_or_else(|e| panic!("{what}: {e}"));
            assert_eq!(tagged.result, Some(true), "{what}");
            assert_eq!(tagged.module.unwrap().tag_success, Some(true), "{what}");
            assert!(tagged.request_id.is_some(), "{what}");

            let mobile = format!("131000000{n:02}");
            let synced = client
                .execute(&blacklist(
                    &format!("bl-{n}"),
                    &[&mobile],
                    OperateType::AddOrUpdate,
                ))
                .await
                .unwrap_or_else(|e| panic!("{what}: {e}"));
            let outcome = synced.user_blacklist_response.unwrap();
            assert_eq!(
                (outcome.success, outcome.code.as_deref()),
                (Some(true), Some("200")),
                "{what}"
            );

            let phone = format!("139000000{n:02}");
            let code = sandbox
                .issue_auth_code(&Mobile::new(phone.as_str()), 1)
                .await
                .unwrap();
            let registered = client
                .execute(&register(&phone, code, CodeType::Register))
                .await
                .unwrap_or_else(|e| panic!("{what}: {e}"));
            let result = registered.result.unwrap();
            assert_eq!(result.success, Some(true), "{what}");
            assert!(result.data.unwrap().user_id.is_some(), "{what}");

            let created = client
                .execute(&customer(&format!("crm-{n}"), &format!("134000000{n:02}")))
                .await
                .unwrap_or_else(|e| panic!("{what}: {e}"));
            let result = created.result.unwrap();
            assert_eq!(result.biz_success, Some(true), "{what}");
            assert!(
                result.result.is_some_and(|id| !id.is_empty()),
                "{what}: a customer id"
            );
        }
    }
    let state = sandbox.state().await;
    assert_eq!(state.blacklist["10000000001"].len(), 9);
    assert_eq!(state.crm_customers.len(), 9);
    assert_eq!(state.damai_members.len(), 9);
    assert_eq!(state.tags.len(), 9);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn business_failures_come_back_typed() {
    let sandbox = Sandbox::builder().start().await.unwrap();
    let client = client(&sandbox, Format::Json, SignMethod::HmacSha256);

    let unknown = RetailUserTagMobileAddRequest::new().isv_user_id("nobody-registered-this");
    match client.execute(&unknown).await.unwrap_err() {
        Error::Business(b) => {
            assert_eq!(b.code.as_deref(), Some("NOT_FIND_TAOBAO_ACCOUNT"));
            let response = b
                .response::<taobao_top::retail_tag::RetailUserTagMobileAddResponse>()
                .unwrap();
            assert_eq!(response.result, Some(false));
        }
        other => panic!("{other:?}"),
    }

    client
        .execute(&customer("c-1", "13411111111"))
        .await
        .unwrap();
    let duplicate = client
        .execute(&customer("c-2", "13411111111"))
        .await
        .unwrap_err();
    assert!(matches!(duplicate, Error::Business(_)), "{duplicate:?}");

    let code = sandbox
        .issue_auth_code(&Mobile::new("13900000001"), 1)
        .await
        .unwrap();
    client
        .execute(&register("13900000001", code.clone(), CodeType::Register))
        .await
        .unwrap();
    let reused = client
        .execute(&register("13900000001", code, CodeType::Register))
        .await
        .unwrap_err();
    assert!(
        matches!(reused, Error::Business(_)),
        "a used SMS code: {reused:?}"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn idempotent_replay_applies_once() {
    let sandbox = Sandbox::builder().start().await.unwrap();
    let client = client(&sandbox, Format::Json, SignMethod::HmacSha256);
    let request = blacklist(
        "same-id",
        &["13111111111", "13122222222"],
        OperateType::AddOrUpdate,
    );
    for _ in 0..3 {
        client.execute(&request).await.unwrap();
    }
    client
        .execute(&customer("crm-same", "13411111111"))
        .await
        .unwrap();
    let again = client
        .execute(&customer("crm-same", "13411111111"))
        .await
        .unwrap();
    assert_eq!(
        again.result.unwrap().biz_success,
        Some(true),
        "replayed, not a duplicate"
    );

    let conflict = client
        .execute(&blacklist(
            "same-id",
            &["13133333333"],
            OperateType::AddOrUpdate,
        ))
        .await
        .unwrap_err();
    assert_eq!(
        conflict.api_error().and_then(|e| e.code.as_i64()),
        Some(50),
        "{conflict:?}"
    );

    let state = sandbox.state().await;
    assert_eq!(state.applied[BLACKLIST], 1);
    assert_eq!(state.replays[BLACKLIST], 2);
    assert_eq!(state.applied[CRM], 1);
    assert_eq!(state.replays[CRM], 1);
    assert_eq!(state.blacklist["10000000001"].len(), 2);

    client
        .execute(&blacklist(
            "delete-1",
            &["13111111111"],
            OperateType::Delete,
        ))
        .await
        .unwrap();
    let state = sandbox.state().await;
    let left: Vec<&str> = state.blacklist["10000000001"]
        .iter()
        .map(|e| e.mobile.as_str())
        .collect();
    assert_eq!(left, ["13122222222"]);
    sandbox.shutdown().await;
}

#[tokio::test]
async fn faults_are_seen_as_the_right_error_kinds_and_applied_once() {
    let sandbox = Sandbox::builder()
        .fault_rate(1.0)
        .seed(11)
        .start()
        .await
        .unwrap();
    let raw = client_with(
        &sandbox,
        Format::Json,
        SignMethod::HmacSha256,
        RetryConfig::disabled(),
    );
    let (mut isp, mut http, mut unknown) = (0, 0, 0);
    for i in 0..40 {
        let err = raw
            .execute(&customer(&format!("f-{i}"), &format!("134{i:08}")))
            .await
            .unwrap_err();
        match &err {
            Error::Api(api)
                if api.sub_code.as_deref() == Some("isp.top-remote-connection-timeout") =>
            {
                isp += 1
            }
            Error::Http { status: 502, .. } => http += 1,
            Error::Transport(t) if t.is_io() => unknown += 1,
            other => panic!("unexpected fault: {other:?}"),
        }
        assert!(err.is_retryable());
    }
    assert!(
        isp > 0 && http > 0 && unknown > 0,
        "every fault kind seen: {isp} {http} {unknown}"
    );
    let state = sandbox.state().await;
    assert_eq!(
        state.crm_customers.len(),
        unknown,
        "only dropped-after-commit calls applied"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn retries_through_faults_apply_each_idempotent_call_exactly_once() {
    let sandbox = Sandbox::builder()
        .fault_rate(0.3)
        .seed(5)
        .start()
        .await
        .unwrap();
    let client = client_with(
        &sandbox,
        Format::Json,
        SignMethod::HmacSha256,
        RetryConfig::default()
            .max_attempts(8)
            .base_delay(Duration::from_millis(2)),
    );
    for i in 0..60 {
        client
            .execute(&customer(&format!("ok-{i}"), &format!("135{i:08}")))
            .await
            .unwrap();
    }
    let state = sandbox.state().await;
    assert_eq!(state.crm_customers.len(), 60);
    assert_eq!(state.applied[CRM], 60, "never applied twice");
    assert!(
        state.replays.get(CRM).copied().unwrap_or(0) > 0,
        "some resends were replays"
    );
    sandbox.shutdown().await;
}

#[tokio::test]
async fn rate_limits_become_waits_or_typed_errors() {
    let sandbox = Sandbox::builder().qps_limit(2).start().await.unwrap();
    let raw = client_with(
        &sandbox,
        Format::Json,
        SignMethod::HmacSha256,
        RetryConfig::disabled(),
    );
    let mut limited = None;
    for i in 0..10 {
        if let Err(e) = raw
            .execute(&customer(&format!("q-{i}"), &format!("136{i:08}")))
            .await
        {
            limited = Some(e);
            break;
        }
    }
    match limited.expect("the QPS limit was hit") {
        Error::RateLimited { retry_after, error } => {
            assert_eq!(error.code, 7);
            assert!(retry_after >= Duration::from_secs(1));
        }
        other => panic!("{other:?}"),
    }
    // With retries on, a short ban is waited out.
    let patient = client(&sandbox, Format::Json, SignMethod::HmacSha256);
    for i in 0..5 {
        patient
            .execute(&customer(&format!("p-{i}"), &format!("137{i:08}")))
            .await
            .unwrap();
    }
    sandbox.shutdown().await;
}
