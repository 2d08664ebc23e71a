//! `taobao.logistics.express.user.blacklist.tms.sync`: put users on a door-to-door pickup and
//! return blacklist, with the vendor doc's example values (`request_id` and `request_time`
//! `1656674541001`, supplier `10000000001`, mobile `13111111111` with reason `1`), then
//! resend the same batch (same `request_id`: idempotent) and remove one user again.
//!
//! ```sh
//! cargo run --example blacklist_sync           # against an in-process sandbox
//! ```

#[path = "support/mod.rs"]
mod support;

use taobao_top::logistics_blacklist::{
    Blacklist, BlacklistReason, LogisticsExpressUserBlacklistTmsSyncRequest, OperateType,
    UserBlacklistRequest,
};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let gateway = support::Gateway::connect().await?;
    let supplier_id = support::env_or("BLACKLIST_SUPPLIER_ID", "10000000001");

    let add = LogisticsExpressUserBlacklistTmsSyncRequest::new(UserBlacklistRequest::new(
        "1656674541001",
        1_656_674_541_001,
        supplier_id.clone(),
        OperateType::AddOrUpdate,
        vec![
            Blacklist::new("13111111111").reason([BlacklistReason::MaliciousOrder]),
            Blacklist::new("13122222222").reason([
                BlacklistReason::MaliciousComplaint,
                BlacklistReason::PersonalAttack,
            ]),
        ],
    ));
    println!("request: {add:?}"); // mobiles are printed masked
    let call = "taobao.logistics.express.user.blacklist.tms.sync";
    support::report(call, &gateway.client.execute(&add).await);
    // The same request_id again: the service applies it once.
    support::report(
        &format!("{call} (same request_id again)"),
        &gateway.client.execute(&add).await,
    );

    let remove = LogisticsExpressUserBlacklistTmsSyncRequest::new(UserBlacklistRequest::new(
        "1656674541002",
        1_656_674_541_002,
        supplier_id,
        OperateType::Delete,
        vec![Blacklist::new("13122222222")],
    ));
    support::report(
        &format!("{call} (delete)"),
        &gateway.client.execute(&remove).await,
    );

    gateway.shutdown().await;
    Ok(())
}
