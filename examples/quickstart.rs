//! The main job in one run: start a local TOP gateway (the sandbox) in this process and call the
//! four APIs through the SDK over real HTTP: signed, sent, decoded, with typed results.
//!
//! ```sh
//! cargo run --example quickstart
//! ```

use taobao_top::alsc_crm::{
    AlibabaAlscCrmCustomerCreateRequest, CustomerCreateOpenReq, CustomerType, Gender,
};
use taobao_top::core::{Error, Mobile, TopClient, mask_mobile};
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
};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sandbox = Sandbox::builder().start().await?;
    println!("sandbox gateway: {}", sandbox.url());

    let client = TopClient::builder()
        .app_key(DEMO_APP_KEY)
        .app_secret(DEMO_APP_SECRET)
        .endpoint(sandbox.url().as_str())
        .build()?;
    println!("client: {client:?}\n");

    // 1. Tag a Taobao user by Alipay id; an unknown account is a typed business failure.
    let tag = RetailUserTagMobileAddRequest::new()
        .biz_code("TEST_BIZ")
        .alipay_user_id("2088000000000001")
        .ext_param("{}");
    report(
        "taobao.retail.user.tag.mobile.add",
        client.execute(&tag).await,
    );
    let unknown = RetailUserTagMobileAddRequest::new()
        .biz_code("TEST_BIZ")
        .isv_user_id("no-such-user");
    report("  an unknown account", client.execute(&unknown).await);

    // 2. Put two users on the pickup-and-return blacklist, idempotently.
    let blacklist = LogisticsExpressUserBlacklistTmsSyncRequest::new(UserBlacklistRequest::new(
        "1656674541001",
        1656674541001,
        "10000000001",
        OperateType::AddOrUpdate,
        vec![
            Blacklist::new(Mobile::new("13111111111")).reason([
                BlacklistReason::MaliciousOrder,
                BlacklistReason::MaliciousComplaint,
            ]),
            Blacklist::new(Mobile::new("13122222222")),
        ],
    ));
    report(
        "taobao.logistics.express.user.blacklist.tms.sync",
        client.execute(&blacklist).await,
    );
    report(
        "  the same request_id again (replayed, not applied twice)",
        client.execute(&blacklist).await,
    );

    // 3. Register a Damai member with the SMS code the sandbox "sends".
    let phone = Mobile::new("13900004567");
    let auth_code = sandbox.issue_auth_code(&phone, 1).await?;
    let register = AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeRequest::new(
        UserRegisterByAuthCodeParam::new(
            phone,
            auth_code,
            "QWA1q2w3e4r",
            CodeType::Register,
            DEMO_PTNR_TOKEN,
            DEMO_TENANT_TOKEN,
            DEMO_CHANNEL_TOKEN,
        ),
    );
    report(
        "alibaba.damai.maizuo.openapi.user.register.byauthcode",
        client.execute(&register).await,
    );
    report("  the same phone again", client.execute(&register).await);

    // 4. Create a local-services CRM customer.
    let customer = AlibabaAlscCrmCustomerCreateRequest::new(
        CustomerCreateOpenReq::new(
            "234334534543234234",
            "mobile",
            "13411111111",
            "2",
            CustomerType::Member,
        )
        .name("王小二")
        .mobile("13411111111")
        .gender(Gender::Male)
        .email("xxx@gmail.com")
        .tag_id_list(vec!["爱吃辣".to_owned()]),
    );
    report(
        "alibaba.alsc.crm.customer.create",
        client.execute(&customer).await,
    );

    // 5. Bad input never leaves the process.
    let bad = LogisticsExpressUserBlacklistTmsSyncRequest::new(UserBlacklistRequest::new(
        "1656674541002",
        1656674541002,
        "10000000001",
        OperateType::AddOrUpdate,
        vec![Blacklist::new(Mobile::new("1311111"))],
    ));
    report(
        "an invalid mobile (validated locally, nothing sent)",
        client.execute(&bad).await,
    );

    // What the gateway now holds (mobiles masked, as everywhere in our output).
    let state = sandbox.state().await;
    println!("\nsandbox state after the run:");
    for (supplier, entries) in &state.blacklist {
        let listed: Vec<String> = entries
            .iter()
            .map(|e| format!("{} {:?}", mask_mobile(&e.mobile), e.reasons))
            .collect();
        println!("  blacklist of supplier {supplier}: {}", listed.join(", "));
    }
    println!(
        "  tagged users: {}, Damai members: {}, CRM customers: {}",
        state.tags.len(),
        state.damai_members.len(),
        state.crm_customers.len()
    );
    for (method, calls) in &state.calls {
        let applied = state.applied.get(method).copied().unwrap_or(0);
        let replays = state.replays.get(method).copied().unwrap_or(0);
        println!("  {method}: {calls} calls, {applied} applied, {replays} replayed");
    }
    sandbox.shutdown().await;
    Ok(())
}

fn report<T: std::fmt::Debug>(call: &str, result: Result<T, Error>) {
    match result {
        Ok(response) => println!("ok   {call}\n     {response:?}"),
        Err(error) => println!("err  {call}\n     {error}"),
    }
}
