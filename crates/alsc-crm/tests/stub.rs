//! `alibaba.alsc.crm.customer.create` through `top_core::testing::StubTransport`: a request
//! built from its wire JSON is received exactly as built, and typed answers and business
//! failures reach the caller in every format. No envelope text, no server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use alsc_crm::{AlibabaAlscCrmCustomerCreateRequest, AlibabaAlscCrmCustomerCreateResponse};
use serde_json::json;
use top_core::testing::StubTransport;
use top_core::{Error, Format, TopClient};

type Create = AlibabaAlscCrmCustomerCreateRequest;

fn client(stub: &StubTransport, format: Format) -> TopClient {
    TopClient::builder()
        .app_key("12345678")
        .app_secret("helloworld")
        .format(format)
        .transport(stub.clone())
        .build()
        .unwrap()
}

/// Response types are `#[non_exhaustive]`: built from their JSON, as the client reads them.
fn answer(biz_success: bool) -> AlibabaAlscCrmCustomerCreateResponse {
    serde_json::from_value(json!({
        "result": {
            "result": biz_success.then_some("20193846534522344567"),
            "result_code": if biz_success { "0" } else { "CUSTOMER_EXIST" },
            "result_desc": if biz_success { "处理成功" } else { "顾客已存在" },
            "biz_success": biz_success,
        },
        "request_id": "yb3mvd2k8h4n",
    }))
    .unwrap()
}

/// Done when: a request made from the vendor's wire names, sent through the real client,
/// is what the stub records.
#[tokio::test]
async fn a_request_built_from_its_wire_json_is_received_as_built() {
    let request: Create = serde_json::from_value(json!({
        "param_customer_create_open_req": {
            "address": "浙江省杭州市",
            "birthday": "2010-01-01 00:00:00",
            "brand_id": "201903898665",
            "channel": "2",
            "customer_type": 1,
            "email": "xxx@gmail.com",
            "gender": "1",
            "invoice": "口碑(杭州)电子商务有限公司",
            "level_id": "1",
            "mobile": "13411111111",
            "name": "王小二",
            "operator_id": "2019865534",
            "outer_id": "13411111111",
            "outer_type": "mobile",
            "phone": "0571-87658765",
            "remark": "老板的朋友",
            "request_id": "234334534543234234",
            "shop_id": "2019093647836487563",
            "tag_id_list": ["爱吃辣", "a,b"],
            "out_brand_id": "123",
            "out_shop_id": "132"
        }
    }))
    .unwrap();

    let stub = StubTransport::new();
    stub.on::<Create>(|_| Ok(answer(true)));
    let client = TopClient::builder()
        .app_key("12345678")
        .app_secret("helloworld")
        .transport(stub.clone())
        .build()
        .unwrap();

    let created = client.execute(&request).await.unwrap();
    assert_eq!(created.customer_id(), Some("20193846534522344567"));
    assert_eq!(stub.calls::<Create>(), [request]);
}

#[tokio::test]
async fn answers_and_business_failures_in_every_format() {
    let request: Create = serde_json::from_value(json!({
        "param_customer_create_open_req": {
            "channel": "2", "customer_type": 0, "outer_id": "C-1", "outer_type": "card", "request_id": "r1"
        }
    }))
    .unwrap();
    for format in [Format::Json, Format::JsonEnveloped, Format::Xml] {
        let stub = StubTransport::new();
        stub.on::<Create>(|_| Ok(answer(true)))
            .on::<Create>(|_| Ok(answer(false)));
        let client = client(&stub, format);

        assert_eq!(
            client.execute(&request).await.unwrap(),
            answer(true),
            "{format}"
        );
        let err = client.execute(&request).await.unwrap_err();
        let Error::Business(failure) = &err else {
            panic!("{format}: {err:?}")
        };
        assert_eq!(failure.code.as_deref(), Some("CUSTOMER_EXIST"));
        assert_eq!(failure.message.as_deref(), Some("顾客已存在"));
        assert_eq!(failure.request_id.as_deref(), Some("yb3mvd2k8h4n"));
        assert_eq!(
            failure.response::<AlibabaAlscCrmCustomerCreateResponse>(),
            Some(&answer(false))
        );
        assert_eq!(stub.calls::<Create>(), [request.clone(), request.clone()]);
    }
}
