//! A user's crate, outside this workspace, that depends on `taobao-top` with
//! `features = ["test-util"]` and unit-tests its own code with typed stubs.
//! `tests/outside_crate.rs` copies this file into a fresh crate and runs `cargo test` there.

use serde_json::json;
use taobao_top::alsc_crm::AlibabaAlscCrmCustomerCreateRequest;
use taobao_top::core::testing::StubTransport;
use taobao_top::core::{Error, TopClient};

type Create = AlibabaAlscCrmCustomerCreateRequest;

/// The user's code under test: creates the customer, returns the id the CRM gave it.
async fn create_customer(client: &TopClient, request: &Create) -> Result<Option<String>, Error> {
    let created = client.execute(request).await?;
    Ok(created.customer_id().map(str::to_owned))
}

fn client(stub: &StubTransport) -> TopClient {
    TopClient::builder()
        .app_key("12345678")
        .app_secret("helloworld")
        .transport(stub.clone())
        .build()
        .unwrap()
}

/// A request from its wire JSON, as the vendor's page documents it.
fn request(request_id: &str) -> Create {
    request_with(request_id, "13411111111")
}

fn request_with(request_id: &str, mobile: &str) -> Create {
    serde_json::from_value(json!({
        "param_customer_create_open_req": {
            "outer_id": "13411111111",
            "outer_type": "mobile",
            "mobile": mobile,
            "channel": "2",
            "customer_type": 1,
            "name": "王小二",
            "request_id": request_id
        }
    }))
    .unwrap()
}

#[tokio::test]
async fn canned_answers_and_typed_records() {
    let stub = StubTransport::new();
    stub.on_json::<AlibabaAlscCrmCustomerCreateRequest>(json!({
        "result": {
            "result": "20193846534522344567",
            "result_code": "0",
            "result_desc": "处理成功",
            "biz_success": true
        }
    }))
    .on_json::<AlibabaAlscCrmCustomerCreateRequest>(json!({
        "error_response": {"code": 11, "msg": "Insufficient isv permissions"}
    }));
    let client = client(&stub);

    let first = request("signup-1");
    let id = create_customer(&client, &first).await.unwrap();
    assert_eq!(id.as_deref(), Some("20193846534522344567"));

    let second = request("signup-2");
    let refused = create_customer(&client, &second).await.unwrap_err();
    match refused {
        Error::Api(api) => assert_eq!(api.code, 11),
        other => panic!("expected the stubbed error_response, got {other:?}"),
    }

    assert_eq!(stub.calls::<Create>(), [first, second]);
    assert_eq!(stub.call_count::<Create>(), 2);
}

#[tokio::test]
async fn bad_input_never_reaches_the_stub() {
    let stub = StubTransport::new();
    stub.on_json::<Create>(json!({"result": {"biz_success": true}}));
    let bad = request_with("signup-3", "12345");
    let error = create_customer(&client(&stub), &bad).await.unwrap_err();
    assert!(matches!(error, Error::Validation(_)), "{error:?}");
    assert!(stub.calls::<Create>().is_empty());
}
