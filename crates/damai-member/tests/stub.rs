//! `alibaba.damai.maizuo.openapi.user.register.byauthcode` through
//! `top_core::testing::StubTransport`: the secrets and tokens (`+` and `/` included) are
//! received exactly as built, and the typed answer, secret token included, reaches the caller
//! in every format. No envelope text, no server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use damai_member::{
    AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeRequest,
    AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeResponse, CodeType, UserRegisterByAuthCodeParam,
};
use serde_json::json;
use top_core::testing::StubTransport;
use top_core::{Format, TopClient};

type Register = AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeRequest;

fn request() -> Register {
    Register::new(UserRegisterByAuthCodeParam::new(
        "13900004567",
        "726311",
        "QWA1q2w3e4r",
        CodeType::ChangePassword,
        "St5dnxCv1KtwpNaDzuE459yus3m6F7FEG+2",
        "A9UJj/8SWB5xLq54Tn623qFzG+2u39r5xP5icq",
        "XYJ72Idfk1231+mCzqSXZLWtCnikX/Vn",
    ))
}

/// The response types are `#[non_exhaustive]`: built from JSON, as the client reads them.
fn answer() -> AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeResponse {
    serde_json::from_value(json!({
        "result": {
            "result_msg": "成功",
            "result_code": 201,
            "success": true,
            "data": {
                "user_token": "t+k/1==",
                "user_phone": "139****4567",
                "user_name": "大麦用户",
                "user_id": "1001"
            }
        },
        "request_id": "rid"
    }))
    .expect("a valid response")
}

#[tokio::test]
async fn the_registration_round_trips_in_every_format() {
    for format in [Format::Json, Format::JsonEnveloped, Format::Xml] {
        let stub = StubTransport::new();
        stub.on::<Register>(|_| Ok(answer()));
        let client = TopClient::builder()
            .app_key("12345678")
            .app_secret("helloworld")
            .format(format)
            .transport(stub.clone())
            .build()
            .unwrap();

        assert_eq!(
            client.execute(&request()).await.unwrap(),
            answer(),
            "{format}"
        );
        assert_eq!(stub.calls::<Register>(), [request()], "{format}");
    }
}
