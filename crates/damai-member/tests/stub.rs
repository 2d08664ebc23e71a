//! `alibaba.damai.maizuo.openapi.user.register.byauthcode` through
//! `top_core::testing::StubTransport`: the secrets and tokens (`+` and `/` included) are
//! received exactly as built, and the typed answer, secret token included, reaches the caller
//! in every format. No envelope text, no server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use damai_member::{
    AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeRequest,
    AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeResponse, CodeType, ResultData,
    UserRegisterByAuthCodeParam, UserRegisterVo,
};
use top_core::testing::StubTransport;
use top_core::{Format, Sensitive, TopClient};

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

fn answer() -> AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeResponse {
    AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeResponse {
        result: Some(ResultData {
            result_msg: Some("成功".into()),
            result_code: Some(201),
            success: Some(true),
            data: Some(UserRegisterVo {
                user_token: Some(Sensitive::new("t+k/1==".into())),
                user_icon: None,
                user_phone: Some("139****4567".into()),
                user_name: Some("大麦用户".into()),
                user_id: Some("1001".into()),
            }),
        }),
        request_id: Some("rid".into()),
    }
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
