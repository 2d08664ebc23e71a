//! `alibaba.damai.maizuo.openapi.user.register.byauthcode`: register a Damai member with an
//! SMS code, with the vendor doc's example values (password `QWA1q2w3e4r`, the provider
//! tokens; the doc's masked `139xxxx4567` becomes `13900004567`).
//!
//! Against the in-process sandbox the SMS code comes from the sandbox, as if received by
//! text message. Against a real gateway, set `DAMAI_AUTH_CODE`, `DAMAI_USER_PHONE`,
//! `DAMAI_PASSWORD` and the `DAMAI_PTNR_TOKEN`, `DAMAI_TENANT_TOKEN`, `DAMAI_CHANNEL_TOKEN`
//! your provider issued (secrets come from the environment, never from arguments).
//!
//! ```sh
//! cargo run --example register_member          # against an in-process sandbox
//! ```

#[path = "support/mod.rs"]
mod support;

use taobao_top::core::{Mobile, Sensitive};
use taobao_top::damai_member::{
    AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeRequest, CodeType, UserRegisterByAuthCodeParam,
};
use top_sandbox::{DEMO_CHANNEL_TOKEN, DEMO_PTNR_TOKEN, DEMO_TENANT_TOKEN};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let gateway = support::Gateway::connect().await?;
    let phone = Mobile::new(support::env_or("DAMAI_USER_PHONE", "13900004567"));

    let auth_code = match gateway.sandbox() {
        // The sandbox "sends" the SMS code; read it as the member would.
        Some(sandbox) => {
            // `CodeType::code` is the description's wire number (an i64); the sandbox takes a u8.
            let code_type = u8::try_from(CodeType::Register.code())?;
            sandbox.issue_auth_code(&phone, code_type).await?
        }
        None => support::env_or("DAMAI_AUTH_CODE", "726311"),
    };
    let request = AlibabaDamaiMaizuoOpenapiUserRegisterByauthcodeRequest::new(
        UserRegisterByAuthCodeParam::new(
            phone,
            Sensitive::new(auth_code),
            Sensitive::new(support::env_or("DAMAI_PASSWORD", "QWA1q2w3e4r")),
            CodeType::Register,
            Sensitive::new(support::env_or("DAMAI_PTNR_TOKEN", DEMO_PTNR_TOKEN)),
            Sensitive::new(support::env_or("DAMAI_TENANT_TOKEN", DEMO_TENANT_TOKEN)),
            Sensitive::new(support::env_or("DAMAI_CHANNEL_TOKEN", DEMO_CHANNEL_TOKEN)),
        ),
    );
    println!("request: {request:?}"); // secrets print as ***, the phone masked

    let call = "alibaba.damai.maizuo.openapi.user.register.byauthcode";
    let result = gateway.client.execute(&request).await;
    support::report(call, &result);
    if let Ok(answer) = &result {
        // user_token prints as ***, user_phone masked.
        let member = answer.result.as_ref().and_then(|r| r.data.as_ref());
        println!("member: {member:?}");
    }
    // Not idempotent: the same request again is refused (the SMS code is single-use and
    // the member exists), which is why the SDK never resends this call on its own after
    // an unknown outcome.
    support::report(
        &format!("{call} (the same request again)"),
        &gateway.client.execute(&request).await,
    );

    gateway.shutdown().await;
    Ok(())
}
