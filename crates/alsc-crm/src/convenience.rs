//! Hand-written conveniences over the generated types, the crate's one extension point: what
//! a description cannot say (a calendar day as a birthday, the new customer's id).

use top_core::chrono::{NaiveDate, NaiveTime, TimeDelta};

use crate::{AlibabaAlscCrmCustomerCreateResponse, CustomerCreateOpenReq};

impl CustomerCreateOpenReq {
    /// Sets `birthday` to 00:00:00 GMT+8 of `date` (sent as `yyyy-MM-dd 00:00:00`).
    ///
    /// ```
    /// use alsc_crm::{CustomerCreateOpenReq, CustomerType};
    /// use top_core::chrono::NaiveDate;
    /// let req = CustomerCreateOpenReq::new("r1", "mobile", "13411111111", "2", CustomerType::Member)
    ///     .birthday_date(NaiveDate::from_ymd_opt(2010, 1, 1).unwrap());
    /// assert_eq!(serde_json::to_value(&req).unwrap()["birthday"], "2010-01-01 00:00:00");
    /// ```
    pub fn birthday_date(mut self, date: NaiveDate) -> Self {
        self.birthday = date
            .and_time(NaiveTime::MIN)
            .checked_sub_signed(TimeDelta::hours(8))
            .map(|utc| utc.and_utc());
        self
    }
}

impl AlibabaAlscCrmCustomerCreateResponse {
    /// The new customer's id, `result.result`.
    pub fn customer_id(&self) -> Option<&str> {
        self.result.as_ref()?.result.as_deref()
    }
}
