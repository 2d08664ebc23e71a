//! `taobao.retail.user.tag.mobile.add` through `top_core::testing::StubTransport`: the
//! request is received exactly as built, and `error_infos` lists of one or more entries reach
//! the caller in every format. No envelope text, no server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use retail_tag::{RetailUserTagMobileAddRequest, RetailUserTagMobileAddResponse};
use serde_json::json;
use top_core::testing::StubTransport;
use top_core::{Error, Format, TopClient};

type Tag = RetailUserTagMobileAddRequest;

fn info(code: &str) -> serde_json::Value {
    json!({
        "outer_error_code": format!("SERVICE_ERROR:{code}"),
        "error_message": "未查询到淘宝账号:_*****_*****",
        "error_code": "isv.invalid-parameter:",
        "sub_error_code": code,
    })
}

/// Response types are `#[non_exhaustive]`: built from their JSON, as the client reads them.
fn answer(result: bool, infos: usize) -> RetailUserTagMobileAddResponse {
    let infos: Vec<_> = (0..infos).map(|i| info(&format!("E{i}"))).collect();
    serde_json::from_value(json!({
        "error_infos": infos,
        "module": {"tag_success": result, "social_nick": "t*********3", "use_type": "tbId"},
        "result": result,
        "request_id": "rid",
    }))
    .unwrap()
}

#[tokio::test]
async fn answers_and_failures_in_every_format() {
    let request = Tag::new()
        .biz_code("TEST_BIZ")
        .isv_user_id("u123")
        .open_id("oid-9")
        .alipay_user_id("2088000000000001")
        .ext_param(r#"{"k":"a&b=c+d 中"}"#);
    for format in [Format::Json, Format::JsonEnveloped, Format::Xml] {
        let stub = StubTransport::new();
        stub.on::<Tag>(|_| Ok(answer(true, 2)))
            .on::<Tag>(|_| Ok(answer(false, 1)));
        let client = TopClient::builder()
            .app_key("12345678")
            .app_secret("helloworld")
            .format(format)
            .transport(stub.clone())
            .build()
            .unwrap();

        assert_eq!(
            client.execute(&request).await.unwrap(),
            answer(true, 2),
            "{format}"
        );
        let err = client.execute(&request).await.unwrap_err();
        let Error::Business(failure) = &err else {
            panic!("{format}: {err:?}")
        };
        assert_eq!(failure.code.as_deref(), Some("E0"), "{format}");
        assert_eq!(
            failure.response::<RetailUserTagMobileAddResponse>(),
            Some(&answer(false, 1)),
            "{format}"
        );
        assert_eq!(stub.calls::<Tag>(), [request.clone(), request.clone()]);
    }
}
