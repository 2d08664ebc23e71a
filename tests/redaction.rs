//! Workspace-wide: `{:?}` of every request, every response fixture of the four API crates, the
//! client and the errors never shows a secret or a full mobile number.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use taobao_top::alsc_crm::{
    AlibabaAlscCrmCustomerCreateRequest, AlibabaAlscCrmCustomerCreateResponse,
    CustomerCreateOpenReq, CustomerType,
};
use taobao_top::core::{TopClient, TopRequest, envelope};
use taobao_top::damai_member::{
    AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeRequest,
    AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeResponse, CodeType, UserRegisterByAuthCodeParam,
};
use taobao_top::logistics_blacklist::{
    Blacklist, LogisticsExpressUserBlacklistTmsSyncRequest,
    LogisticsExpressUserBlacklistTmsSyncResponse, OperateType, UserBlacklistRequest,
};
use taobao_top::retail_tag::{RetailUserTagMobileAddRequest, RetailUserTagMobileAddResponse};

const SECRETS: &[&str] = &[
    "app-secret-e0a1",
    "session-77ab",
    "Pass-9f8e7d6c",
    "726311",
    "ptnr-tok+en/1",
    "tenant-tok+en/2",
    "channel-tok+en/3",
];

fn assert_clean(what: &str, text: &str) {
    for secret in SECRETS {
        assert!(
            !text.contains(secret),
            "{what}: `{secret}` leaked in {text}"
        );
    }
    // Every standalone 11-digit mainland mobile would be changed by masking; none may be.
    assert_eq!(
        taobao_top::core::scrub_mobiles(text),
        text,
        "{what}: a full mobile number in {text}"
    );
}

fn requests() -> Vec<(String, String, Option<String>)> {
    let tag = RetailUserTagMobileAddRequest::new().isv_user_id("u1");
    let blacklist = LogisticsExpressUserBlacklistTmsSyncRequest::new(UserBlacklistRequest::new(
        "r",
        1,
        "s",
        OperateType::AddOrUpdate,
        vec![Blacklist::new("13111111111"), Blacklist::new("1312222222")],
    ));
    let register = AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeRequest::new(
        UserRegisterByAuthCodeParam::new(
            "13900004567",
            SECRETS[3],
            SECRETS[2],
            CodeType::Register,
            SECRETS[4],
            SECRETS[5],
            SECRETS[6],
        ),
    );
    let bad_register = AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeRequest::new(
        UserRegisterByAuthCodeParam::new(
            "13900004567",
            "12",
            SECRETS[2],
            CodeType::Register,
            SECRETS[4],
            SECRETS[5],
            SECRETS[6],
        ),
    );
    let customer = AlibabaAlscCrmCustomerCreateRequest::new(
        CustomerCreateOpenReq::new("r", "mobile", "13411111111", "2", CustomerType::Member)
            .mobile("13411111112")
            .phone("13411111113"),
    );
    fn row<R: TopRequest>(r: &R) -> (String, String, Option<String>) {
        (
            R::METHOD.to_owned(),
            format!("{r:?}"),
            r.validate().err().map(|e| format!("{e:?} {e}")),
        )
    }
    vec![
        row(&tag),
        row(&blacklist),
        row(&register),
        row(&bad_register),
        row(&customer),
    ]
}

#[test]
fn requests_and_their_errors_print_no_secret() {
    for (method, debug, error) in requests() {
        assert_clean(&method, &debug);
        if let Some(error) = error {
            assert_clean(&method, &error);
        }
    }
}

#[test]
fn the_client_prints_no_secret() {
    let client = TopClient::builder()
        .app_key("12345678")
        .app_secret(SECRETS[0])
        .session(SECRETS[1])
        .build()
        .unwrap();
    assert_clean("client", &format!("{client:?}"));
}

/// Every fixture of the four crates, decoded into its typed response and printed.
#[test]
fn response_fixtures_print_no_full_mobile() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("crates");
    let mut decoded = 0;
    for (krate, method) in [
        ("retail-tag", "taobao.retail.user.tag.mobile.add"),
        (
            "logistics-blacklist",
            "taobao.logistics.express.user.blacklist.tms.sync",
        ),
        (
            "damai-member",
            "alibaba.damai.maizuo.openapi.user.register.byauthcode",
        ),
        ("alsc-crm", "alibaba.alsc.crm.customer.create"),
    ] {
        for entry in std::fs::read_dir(crates.join(krate).join("tests/fixtures")).unwrap() {
            let path = entry.unwrap().path();
            let body = std::fs::read(&path).unwrap();
            let text = match krate {
                "retail-tag" => envelope::decode::<RetailUserTagMobileAddResponse>(method, &body)
                    .map(|r| format!("{r:?}")),
                "logistics-blacklist" => {
                    envelope::decode::<LogisticsExpressUserBlacklistTmsSyncResponse>(method, &body)
                        .map(|r| format!("{r:?}"))
                }
                "damai-member" => envelope::decode::<
                    AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeResponse,
                >(method, &body)
                .map(|r| format!("{r:?}")),
                _ => envelope::decode::<AlibabaAlscCrmCustomerCreateResponse>(method, &body)
                    .map(|r| format!("{r:?}")),
            };
            let text = text.unwrap_or_else(|e| format!("{e:?}"));
            assert_clean(&path.display().to_string(), &text);
            decoded += 1;
        }
    }
    assert!(decoded >= 20, "the fixtures were read ({decoded})");
}
