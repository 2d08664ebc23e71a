//! `alibaba.alsc.crm.customer.update`, whose code is generated from
//! `apis/alibaba.alsc.crm.customer.update/`: the exact object sent, validation that names the
//! same fields with the same messages as the description's own checks, retry-safety by the
//! idempotency key, and answers and business failures through the real client.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use alsc_crm::customer_update::{CommonResult, Gender};
use alsc_crm::{
    AlibabaAlscCrmCustomerUpdateRequest, AlibabaAlscCrmCustomerUpdateResponse, CustomerType,
    CustomerUpdateOpenReq, UpdateCustomer,
};
use serde_json::json;
use top_core::testing::{StubTransport, client_builder, parse_form};
use top_core::{Error, Format, HttpResponse, MockTransport, TopClient, TopRequest};
use top_model::Catalog;

const METHOD: &str = "alibaba.alsc.crm.customer.update";
const P: &str = "param_customer_update_open_req";

/// Every member set (`customer_type` 0 too), plus a blank `email`, which is not sent.
fn full() -> UpdateCustomer {
    UpdateCustomer::new(
        CustomerUpdateOpenReq::new("20193846534522344567")
            .address("浙江省杭州市")
            .birthday("1990-05-17")
            .brand_id("201903898665")
            .email(" ")
            .ext_info(r#"{"vip":"gold"}"#)
            .gender(Gender::Male)
            .invoice("口碑(杭州)电子商务有限公司")
            .level_id("2")
            .mobile("13411111111")
            .name("王小二")
            .operator_id("2019865534")
            .operator_name("店长")
            .phone("0571-87658765")
            .remark("老板的朋友")
            .request_id("upd-0001")
            .tag_ids(["爱吃辣", "a,b"])
            .out_brand_id("123")
            .customer_type(CustomerType::Customer),
    )
}

/// The object with its members in the vendor SDK's (alphabetical) order; numbers for
/// `gender` and `customer_type` (this API declares them `Number`).
const FULL_OBJECT: &str = concat!(
    r#"{"address":"浙江省杭州市","birthday":"1990-05-17","brand_id":"201903898665","#,
    r#""customer_id":"20193846534522344567","customer_type":0,"ext_info":"{\"vip\":\"gold\"}","#,
    r#""gender":1,"invoice":"口碑(杭州)电子商务有限公司","level_id":"2","mobile":"13411111111","#,
    r#""name":"王小二","operator_id":"2019865534","operator_name":"店长","out_brand_id":"123","#,
    r#""phone":"0571-87658765","remark":"老板的朋友","request_id":"upd-0001","#,
    r#""tag_ids":["爱吃辣","a,b"]}"#
);

fn answer(biz_success: bool) -> AlibabaAlscCrmCustomerUpdateResponse {
    serde_json::from_value(json!({
        "result": {
            "biz_success": biz_success,
            "result": biz_success.to_string(),
            "result_code": if biz_success { "0" } else { "CUSTOMER_NOT_EXIST" },
            "result_desc": if biz_success { "处理成功" } else { "顾客不存在" },
        },
        "request_id": "yb3mvd2k8h4n"
    }))
    .unwrap()
}

fn stub_client(stub: &StubTransport, format: Format) -> TopClient {
    client_builder()
        .format(format)
        .transport(stub.clone())
        .build()
        .unwrap()
}

#[tokio::test]
async fn the_object_goes_out_exactly() {
    assert_eq!(full().params().unwrap().get(P), Some(FULL_OBJECT));
    let mut mock = MockTransport::new();
    mock.expect_send().times(1).returning(|request| {
        let form = parse_form(&request.body);
        assert_eq!(form.get("method").map(String::as_str), Some(METHOD));
        assert_eq!(form.get(P).map(String::as_str), Some(FULL_OBJECT));
        Ok(HttpResponse::new(
            200,
            json!({"result": {"biz_success": true, "result": "true"}}).to_string(),
        ))
    });
    let client = client_builder().transport(mock).build().unwrap();
    let answer = client.execute(&full()).await.unwrap();
    assert_eq!(answer.result.unwrap().result.as_deref(), Some("true"));

    // Only the required member: nothing else is sent.
    let minimal = AlibabaAlscCrmCustomerUpdateRequest::from(CustomerUpdateOpenReq::new("c-1"));
    assert_eq!(
        minimal.params().unwrap().get(P),
        Some(r#"{"customer_id":"c-1"}"#)
    );
}

/// Each row breaks one rule; `validate()` must name the field `top_model`'s checks name, with
/// the same message, and the client must send nothing.
#[tokio::test]
async fn validation_agrees_with_the_description() {
    let catalog = Catalog::builtin().unwrap();
    let description = catalog.get(METHOD).unwrap();
    type Change = fn(&mut CustomerUpdateOpenReq);
    let rows: [(Option<&str>, Change); 16] = [
        (None, |_| {}),
        (Some("customer_id"), |r| r.customer_id = " ".into()),
        (Some("address"), |r| r.address = Some("址".repeat(257))),
        (Some("brand_id"), |r| r.brand_id = Some("1".repeat(129))),
        (Some("email"), |r| r.email = Some("xxx@gmail".into())),
        (Some("email"), |r| {
            r.email = Some(format!("{}@gmail.com", "x".repeat(120)));
        }),
        (Some("invoice"), |r| r.invoice = Some("票".repeat(257))),
        (Some("level_id"), |r| r.level_id = Some("1".repeat(129))),
        (Some("mobile"), |r| r.mobile = Some("134xxxx1111".into())),
        (Some("name"), |r| r.name = Some("名".repeat(65))),
        (Some("operator_id"), |r| {
            r.operator_id = Some("1".repeat(129))
        }),
        (Some("phone"), |r| r.phone = Some("0".repeat(33).into())),
        (Some("remark"), |r| r.remark = Some("注".repeat(513))),
        (Some("request_id"), |r| r.request_id = Some("9".repeat(65))),
        (Some("tag_ids[1]"), |r| {
            r.tag_ids = Some(vec!["爱吃辣".into(), "\u{3000}".into()]);
        }),
        (Some("out_brand_id"), |r| {
            r.out_brand_id = Some("1".repeat(129))
        }),
    ];
    let stub = StubTransport::new();
    stub.on::<UpdateCustomer>(|_| Ok(answer(true)));
    let client = stub_client(&stub, Format::Json);
    for (field, change) in rows {
        let mut request = full();
        change(&mut request.param_customer_update_open_req);
        let json = serde_json::to_value(&request).unwrap();
        let ours = request.validate();
        assert_eq!(
            ours,
            description.check_json(json.as_object().unwrap()),
            "{field:?}"
        );
        match field {
            None => assert!(ours.is_ok()),
            Some(field) => {
                let err = client.execute(&request).await.unwrap_err();
                let Error::Validation(v) = &err else {
                    panic!("{field}: {err:?}")
                };
                assert_eq!(v.field, format!("{P}.{field}"));
                assert!(!err.to_string().contains("1341111"), "{err}");
            }
        }
    }
    assert_eq!(stub.call_count::<UpdateCustomer>(), 0, "nothing was sent");

    // Blank optional members are unset: not checked, not sent.
    let mut blank = full();
    blank.param_customer_update_open_req.mobile = Some(" ".into());
    blank.param_customer_update_open_req.name = Some(String::new());
    assert!(blank.validate().is_ok());
    let object = blank.params().unwrap().get(P).unwrap().to_owned();
    assert!(
        !object.contains("\"mobile\"") && !object.contains("\"name\""),
        "{object}"
    );
}

#[test]
fn retry_safe_only_with_a_request_id() {
    assert!(full().retry_safe());
    let mut without = full();
    without.param_customer_update_open_req.request_id = None;
    assert!(!without.retry_safe());
    without.param_customer_update_open_req.request_id = Some(" ".into());
    assert!(!without.retry_safe());
}

#[test]
fn debug_masks_the_phone_numbers() {
    let text = format!("{:?} {:#?}", full(), full());
    assert!(!text.contains("13411111111"), "{text}");
    assert!(!text.contains("87658765"), "{text}");
    assert!(text.contains("134****1111"), "{text}");
}

#[test]
fn gender_is_a_number_here_and_a_string_on_create() {
    assert_eq!(serde_json::to_value(Gender::Female).unwrap(), json!(0));
    assert_eq!(
        serde_json::to_value(alsc_crm::Gender::Female).unwrap(),
        json!("0")
    );
    assert_eq!(Gender::Male.code(), 1);
    assert_eq!(
        serde_json::from_value::<Gender>(json!("1")).unwrap(),
        Gender::Male
    );
    assert!(serde_json::from_value::<Gender>(json!(2)).is_err());
}

#[tokio::test]
async fn answers_and_business_failures_in_every_format() {
    // The blank `email` of `full()` is not sent, so it cannot be read back.
    let mut request = full();
    request.param_customer_update_open_req.email = None;
    for format in [Format::Json, Format::JsonEnveloped, Format::Xml] {
        let stub = StubTransport::new();
        stub.on::<UpdateCustomer>(|_| Ok(answer(true)))
            .on::<UpdateCustomer>(|_| Ok(answer(false)));
        let client = stub_client(&stub, format);

        let updated = client.execute(&request).await.unwrap();
        assert_eq!(updated, answer(true), "{format}");
        let result: &CommonResult = updated.result.as_ref().unwrap();
        assert_eq!(result.biz_success, Some(true));

        let err = client.execute(&request).await.unwrap_err();
        let Error::Business(failure) = &err else {
            panic!("{format}: {err:?}")
        };
        assert_eq!(failure.code.as_deref(), Some("CUSTOMER_NOT_EXIST"));
        assert_eq!(failure.message.as_deref(), Some("顾客不存在"));
        assert_eq!(failure.request_id.as_deref(), Some("yb3mvd2k8h4n"));
        assert!(!failure.retryable);
        assert_eq!(
            failure.response::<AlibabaAlscCrmCustomerUpdateResponse>(),
            Some(&answer(false))
        );
        // The stub read the signed form back into the request: what was sent is what was built.
        assert_eq!(
            stub.calls::<UpdateCustomer>(),
            [request.clone(), request.clone()]
        );
    }
}
