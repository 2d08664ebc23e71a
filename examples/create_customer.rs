//! `alibaba.alsc.crm.customer.create`: create a local-services CRM customer with the vendor
//! doc's example values (all 21 members; `channel` `2` = POS, birthday 2010-01-01).
//!
//! ```sh
//! cargo run --example create_customer          # against an in-process sandbox
//! ```

#[path = "support/mod.rs"]
mod support;

use taobao_top::alsc_crm::{
    AlibabaAlscCrmCustomerCreateRequest, CustomerCreateOpenReq, CustomerType, Gender,
};
use taobao_top::core::chrono::NaiveDate;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let gateway = support::Gateway::connect().await?;

    let birthday = NaiveDate::from_ymd_opt(2010, 1, 1).ok_or("invalid date")?;
    let request = AlibabaAlscCrmCustomerCreateRequest::new(
        CustomerCreateOpenReq::new(
            support::env_or("CRM_REQUEST_ID", "234334534543234234"),
            "mobile",
            "13411111111",
            "2",
            CustomerType::Member,
        )
        .address("浙江省杭州市")
        .birthday_date(birthday)
        .brand_id("201903898665")
        .email("xxx@gmail.com")
        .gender(Gender::Male)
        .invoice("口碑(杭州)电子商务有限公司")
        .level_id("1")
        .mobile("13411111111")
        .name("王小二")
        .operator_id("2019865534")
        .phone("0571-87658765")
        .remark("老板的朋友")
        .shop_id("2019093647836487563")
        .tag_id_list(["爱吃辣"])
        .out_brand_id("123")
        .out_shop_id("132"),
    );
    println!("request: {request:?}"); // mobile numbers are printed masked

    let result = gateway.client.execute(&request).await;
    support::report("alibaba.alsc.crm.customer.create", &result);
    if let Ok(answer) = &result {
        println!("customer id: {:?}", answer.customer_id());
    }

    gateway.shutdown().await;
    Ok(())
}
