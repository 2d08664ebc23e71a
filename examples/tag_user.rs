//! `taobao.retail.user.tag.mobile.add`: tag a user by Alipay id, with the vendor doc's
//! example values (`biz_code`, `ext_param` `{}`; the doc's masked `*1234**5678*` Alipay id
//! becomes a real-shaped `2088000000000001`).
//!
//! ```sh
//! cargo run --example tag_user                 # against an in-process sandbox
//! TOP_ENDPOINT=sandbox TOP_APP_KEY=... TOP_APP_SECRET=... cargo run --example tag_user
//! ```

#[path = "support/mod.rs"]
mod support;

use taobao_top::retail_tag::RetailUserTagMobileAddRequest;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let gateway = support::Gateway::connect().await?;

    let request = RetailUserTagMobileAddRequest::new()
        .biz_code(support::env_or("TAG_BIZ_CODE", "TEST_BIZ"))
        .alipay_user_id(support::env_or("TAG_ALIPAY_USER_ID", "2088000000000001"))
        .ext_param("{}");
    println!("request: {request:?}");

    let result = gateway.client.execute(&request).await;
    support::report("taobao.retail.user.tag.mobile.add", &result);
    if let Ok(answer) = &result {
        let module = answer.module.clone().unwrap_or_default();
        println!(
            "tagged: {:?}, by {:?}, nick {:?}",
            module.tag_success, module.use_type, module.social_nick
        );
        // With result=true, error_infos are diagnostics, not a failure.
        for info in answer.error_infos.iter().flatten() {
            println!(
                "diagnostic: {:?}: {:?}",
                info.sub_error_code, info.error_message
            );
        }
    }

    gateway.shutdown().await;
    Ok(())
}
