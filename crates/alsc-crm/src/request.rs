//! The request of `alibaba.alsc.crm.customer.create` (docs/protocol.md §7.4).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use top_core::chrono::{DateTime, NaiveDate, NaiveTime, TimeDelta, Utc};
use top_core::de::CodeText;
use top_core::params::is_blank;
use top_core::rules::Rule;
use top_core::{Mobile, TopRequest, ValidationError, is_mainland_mobile, mask_mobile};

use crate::response::AlibabaAlscCrmCustomerCreateResponse;

/// Longest accepted `request_id`, in characters.
pub const MAX_REQUEST_ID_CHARS: usize = 64;
/// Longest accepted id-like member (`outer_id`, `outer_type`, `channel`, `brand_id`,
/// `shop_id`, `level_id`, `operator_id`, `out_brand_id`, `out_shop_id`, each tag), in
/// characters.
pub const MAX_ID_CHARS: usize = 128;
/// Longest accepted `name`, in characters.
pub const MAX_NAME_CHARS: usize = 64;
/// Longest accepted `address` and `invoice`, in characters.
pub const MAX_ADDRESS_CHARS: usize = 256;
/// Longest accepted `remark`, in characters.
pub const MAX_REMARK_CHARS: usize = 512;
/// Longest accepted `email`, in characters.
pub const MAX_EMAIL_CHARS: usize = 128;
/// Longest accepted `phone` (landline), in characters.
const MAX_PHONE_CHARS: usize = 32;
/// Most entries of `tag_id_list`.
pub const MAX_TAGS: usize = 50;

const P: &str = "param_customer_create_open_req";

/// `alibaba.alsc.crm.customer.create` (创建顾客): creates a customer (or member) in the
/// Alibaba local-services (本地生活) CRM.
///
/// One business parameter, `param_customer_create_open_req`, sent as a JSON text.
/// `request_id` is the vendor's idempotency key, so the call is
/// [retry-safe](TopRequest::retry_safe).
///
/// ```
/// use alsc_crm::{AlibabaAlscCrmCustomerCreateRequest, CustomerCreateOpenReq, CustomerType, Gender};
/// use top_core::TopRequest;
///
/// let request = AlibabaAlscCrmCustomerCreateRequest::new(
///     CustomerCreateOpenReq::new("234334534543234234", "mobile", "13411111111", "2", CustomerType::Customer)
///         .mobile("13411111111")
///         .name("王小二")
///         .gender(Gender::Male)
///         .tag_id_list(["爱吃辣"]),
/// );
/// assert!(request.validate().is_ok());
/// let object = request.params().unwrap().get("param_customer_create_open_req").unwrap().to_owned();
/// assert_eq!(
///     object,
///     r#"{"channel":"2","customer_type":0,"gender":"1","mobile":"13411111111","name":"王小二","outer_id":"13411111111","outer_type":"mobile","request_id":"234334534543234234","tag_id_list":["爱吃辣"]}"#
/// );
/// assert!(!format!("{request:?}").contains("13411111111"));
/// ```
#[doc(alias = "alibaba.alsc.crm.customer.create")]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlibabaAlscCrmCustomerCreateRequest {
    /// `param_customer_create_open_req` (`CustomerCreateOpenReq`, required).
    pub param_customer_create_open_req: CustomerCreateOpenReq,
}

impl AlibabaAlscCrmCustomerCreateRequest {
    /// The call.
    pub fn new(param_customer_create_open_req: CustomerCreateOpenReq) -> Self {
        AlibabaAlscCrmCustomerCreateRequest {
            param_customer_create_open_req,
        }
    }
}

impl TopRequest for AlibabaAlscCrmCustomerCreateRequest {
    const METHOD: &'static str = "alibaba.alsc.crm.customer.create";
    type Response = AlibabaAlscCrmCustomerCreateResponse;

    /// See [`CustomerCreateOpenReq::validate`].
    fn validate(&self) -> Result<(), ValidationError> {
        self.param_customer_create_open_req.validate()
    }

    /// `request_id` is the documented idempotency key: resending the same customer is
    /// harmless.
    fn retry_safe(&self) -> bool {
        true
    }
}

/// `CustomerCreateOpenReq` (创建顾客参数): the customer, 21 members.
///
/// Unset (`None`) and blank optional members are omitted from the JSON text; `customer_type`
/// is always sent, `0` included. `birthday` is sent as GMT+8 `yyyy-MM-dd HH:mm:ss`.
/// Members are declared in the official SDK's JSON order (alphabetical).
///
/// `Debug` masks `mobile`, `phone`, and `outer_id` when it is a mobile number.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerCreateOpenReq {
    /// `address`: the member's address (会员地址).
    #[serde(default, skip_serializing_if = "absent")]
    pub address: Option<String>,
    /// `birthday` (生日), sent as GMT+8 `yyyy-MM-dd HH:mm:ss`.
    #[serde(
        default,
        with = "top_core::time::gmt8::option",
        skip_serializing_if = "Option::is_none"
    )]
    pub birthday: Option<DateTime<Utc>>,
    /// `brand_id`: brand id (品牌ID).
    #[serde(default, skip_serializing_if = "absent")]
    pub brand_id: Option<String>,
    /// `channel`: the channel (渠道), e.g. `2` for POS. Required.
    pub channel: String,
    /// `customer_type`: `1` member, `0` customer. Required.
    pub customer_type: CustomerType,
    /// `email` (邮箱).
    #[serde(default, skip_serializing_if = "absent")]
    pub email: Option<String>,
    /// `gender` (性别): the string `"0"` female, `"1"` male.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<Gender>,
    /// `invoice`: the invoice title (发票).
    #[serde(default, skip_serializing_if = "absent")]
    pub invoice: Option<String>,
    /// `level_id`: level id (等级ID).
    #[serde(default, skip_serializing_if = "absent")]
    pub level_id: Option<String>,
    /// `mobile`: the customer's mobile number (手机号).
    #[serde(default, skip_serializing_if = "absent_mobile")]
    pub mobile: Option<Mobile>,
    /// `name` (姓名).
    #[serde(default, skip_serializing_if = "absent")]
    pub name: Option<String>,
    /// `operator_id`: the operator's id (操作人ID).
    #[serde(default, skip_serializing_if = "absent")]
    pub operator_id: Option<String>,
    /// `out_brand_id`: external brand id (外部品牌id).
    #[serde(default, skip_serializing_if = "absent")]
    pub out_brand_id: Option<String>,
    /// `out_shop_id`: external shop id (外部门店id).
    #[serde(default, skip_serializing_if = "absent")]
    pub out_shop_id: Option<String>,
    /// `outer_id`: the external id (外部ID), e.g. a mobile number. Required.
    pub outer_id: String,
    /// `outer_type`: the kind of external id (外部ID类型), e.g. `mobile`. Required.
    pub outer_type: String,
    /// `phone`: landline (固定电话), e.g. `0571-87658765`.
    #[serde(default, skip_serializing_if = "absent")]
    pub phone: Option<String>,
    /// `remark` (备注).
    #[serde(default, skip_serializing_if = "absent")]
    pub remark: Option<String>,
    /// `request_id`: the idempotency key (请求ID). Required; keep it stable across resends.
    pub request_id: String,
    /// `shop_id`: shop id (店铺ID).
    #[serde(default, skip_serializing_if = "absent")]
    pub shop_id: Option<String>,
    /// `tag_id_list`: tags (标签列表), a JSON array inside the object.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag_id_list: Option<Vec<String>>,
}

/// `None` or blank: not sent.
fn absent(value: &Option<String>) -> bool {
    value.as_deref().is_none_or(is_blank)
}

fn absent_mobile(value: &Option<Mobile>) -> bool {
    value.as_ref().is_none_or(|m| is_blank(m.expose()))
}

fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !is_blank(v))
}

macro_rules! setters {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        pub fn $name(mut self, $name: impl Into<String>) -> Self {
            self.$name = Some($name.into());
            self
        }
    )*};
}

impl CustomerCreateOpenReq {
    /// A customer with the required members; add optional ones with the setters.
    pub fn new(
        request_id: impl Into<String>,
        outer_type: impl Into<String>,
        outer_id: impl Into<String>,
        channel: impl Into<String>,
        customer_type: CustomerType,
    ) -> Self {
        CustomerCreateOpenReq {
            address: None,
            birthday: None,
            brand_id: None,
            channel: channel.into(),
            customer_type,
            email: None,
            gender: None,
            invoice: None,
            level_id: None,
            mobile: None,
            name: None,
            operator_id: None,
            out_brand_id: None,
            out_shop_id: None,
            outer_id: outer_id.into(),
            outer_type: outer_type.into(),
            phone: None,
            remark: None,
            request_id: request_id.into(),
            shop_id: None,
            tag_id_list: None,
        }
    }

    setters! {
        /// Sets `address`.
        address;
        /// Sets `brand_id`.
        brand_id;
        /// Sets `email`.
        email;
        /// Sets `invoice`.
        invoice;
        /// Sets `level_id`.
        level_id;
        /// Sets `name`.
        name;
        /// Sets `operator_id`.
        operator_id;
        /// Sets `phone` (landline).
        phone;
        /// Sets `remark`.
        remark;
        /// Sets `shop_id`.
        shop_id;
        /// Sets `out_brand_id`.
        out_brand_id;
        /// Sets `out_shop_id`.
        out_shop_id;
    }

    /// Sets `birthday` (an instant; sent as its GMT+8 date and time).
    pub fn birthday(mut self, birthday: DateTime<Utc>) -> Self {
        self.birthday = Some(birthday);
        self
    }

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

    /// Sets `gender`.
    pub fn gender(mut self, gender: Gender) -> Self {
        self.gender = Some(gender);
        self
    }

    /// Sets `mobile`.
    pub fn mobile(mut self, mobile: impl Into<Mobile>) -> Self {
        self.mobile = Some(mobile.into());
        self
    }

    /// Sets `tag_id_list`.
    pub fn tag_id_list(mut self, tags: impl IntoIterator<Item = impl Into<String>>) -> Self {
        self.tag_id_list = Some(tags.into_iter().map(Into::into).collect());
        self
    }

    /// Checks the members; errors name the wire path
    /// (`param_customer_create_open_req.email`) and never the value:
    ///
    /// - `request_id` (at most [`MAX_REQUEST_ID_CHARS`]), `outer_type`, `outer_id` and
    ///   `channel` not blank; id-like members at most [`MAX_ID_CHARS`] characters;
    /// - `mobile`, when set, an 11-digit mainland China mobile number; so is `outer_id`
    ///   when `outer_type` is `mobile`;
    /// - `email`, when set, plausible: one `@`, a non-empty local part, a dotted domain, no
    ///   whitespace, at most [`MAX_EMAIL_CHARS`] characters;
    /// - `birthday` not in the future and not before 1900-01-01 (GMT+8);
    /// - `name` at most [`MAX_NAME_CHARS`], `address` and `invoice` at most
    ///   [`MAX_ADDRESS_CHARS`], `remark` at most [`MAX_REMARK_CHARS`], `phone` at most 32
    ///   characters;
    /// - `tag_id_list` at most [`MAX_TAGS`] entries, each not blank.
    ///
    /// Blank optional members count as unset (they are not sent).
    pub fn validate(&self) -> Result<(), ValidationError> {
        required(&self.request_id, "request_id", MAX_REQUEST_ID_CHARS)?;
        required(&self.outer_type, "outer_type", MAX_ID_CHARS)?;
        required(&self.outer_id, "outer_id", MAX_ID_CHARS)?;
        required(&self.channel, "channel", MAX_ID_CHARS)?;
        if self.outer_type.trim().eq_ignore_ascii_case("mobile")
            && !is_mainland_mobile(&self.outer_id)
        {
            return Err(ValidationError::new(
                format!("{P}.outer_id"),
                "must be an 11-digit mainland China mobile number when outer_type is mobile",
            ));
        }
        if let Some(mobile) = self.mobile.as_ref().filter(|m| !is_blank(m.expose())) {
            mobile.validate(format!("{P}.mobile"))?;
        }
        if let Some(email) = present(&self.email) {
            // The description's rules for `email`, in its order (the sandbox and `top call`
            // apply the same ones).
            let field = format!("{P}.email");
            Rule::MaxChars(MAX_EMAIL_CHARS).check_text(field.clone(), email)?;
            Rule::Email.check_text(field, email)?;
        }
        if let Some(birthday) = self.birthday {
            if birthday > Utc::now() {
                return Err(ValidationError::new(
                    format!("{P}.birthday"),
                    "must not be in the future",
                ));
            }
            if birthday < earliest_birthday() {
                return Err(ValidationError::new(
                    format!("{P}.birthday"),
                    "must not be before 1900-01-01",
                ));
            }
        }
        optional(&self.name, "name", MAX_NAME_CHARS)?;
        optional(&self.address, "address", MAX_ADDRESS_CHARS)?;
        optional(&self.invoice, "invoice", MAX_ADDRESS_CHARS)?;
        optional(&self.remark, "remark", MAX_REMARK_CHARS)?;
        optional(&self.phone, "phone", MAX_PHONE_CHARS)?;
        for (value, field) in [
            (&self.brand_id, "brand_id"),
            (&self.level_id, "level_id"),
            (&self.operator_id, "operator_id"),
            (&self.shop_id, "shop_id"),
            (&self.out_brand_id, "out_brand_id"),
            (&self.out_shop_id, "out_shop_id"),
        ] {
            optional(value, field, MAX_ID_CHARS)?;
        }
        if let Some(tags) = &self.tag_id_list {
            if tags.len() > MAX_TAGS {
                return Err(ValidationError::new(
                    format!("{P}.tag_id_list"),
                    format!("must hold at most {MAX_TAGS} tags"),
                ));
            }
            for (i, tag) in tags.iter().enumerate() {
                ValidationError::check_required_max(
                    format!("{P}.tag_id_list[{i}]"),
                    tag,
                    MAX_ID_CHARS,
                )?;
            }
        }
        Ok(())
    }
}

/// 1900-01-01 00:00:00 GMT+8.
fn earliest_birthday() -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(1900, 1, 1)
        .map(|d| d.and_time(NaiveTime::MIN).and_utc() - TimeDelta::hours(8))
        .unwrap_or(DateTime::<Utc>::MIN_UTC)
}

fn required(value: &str, name: &str, max: usize) -> Result<(), ValidationError> {
    ValidationError::check_required_max(format!("{P}.{name}"), value, max)
}

/// Unset and blank values (never sent) pass.
fn optional(value: &Option<String>, name: &str, max: usize) -> Result<(), ValidationError> {
    present(value).map_or(Ok(()), |v| {
        ValidationError::check_max_chars(format!("{P}.{name}"), v, max)
    })
}

/// Masks `mobile`, `phone`, and `outer_id` when it is a mobile number.
impl fmt::Debug for CustomerCreateOpenReq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let outer_id = if self.outer_type.trim().eq_ignore_ascii_case("mobile")
            || is_mainland_mobile(self.outer_id.trim())
        {
            mask_mobile(&self.outer_id)
        } else {
            self.outer_id.clone()
        };
        f.debug_struct("CustomerCreateOpenReq")
            .field("request_id", &self.request_id)
            .field("outer_type", &self.outer_type)
            .field("outer_id", &outer_id)
            .field("channel", &self.channel)
            .field("customer_type", &self.customer_type)
            .field("address", &self.address)
            .field("birthday", &self.birthday)
            .field("brand_id", &self.brand_id)
            .field("email", &self.email)
            .field("gender", &self.gender)
            .field("invoice", &self.invoice)
            .field("level_id", &self.level_id)
            .field("mobile", &self.mobile)
            .field("name", &self.name)
            .field("operator_id", &self.operator_id)
            .field("phone", &self.phone.as_deref().map(mask_mobile))
            .field("remark", &self.remark)
            .field("shop_id", &self.shop_id)
            .field("tag_id_list", &self.tag_id_list)
            .field("out_brand_id", &self.out_brand_id)
            .field("out_shop_id", &self.out_shop_id)
            .finish()
    }
}

/// `customer_type` (顾客类型).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[repr(u8)]
pub enum CustomerType {
    /// `0`: a customer (顾客).
    Customer = 0,
    /// `1`: a member (会员).
    Member = 1,
}

impl CustomerType {
    /// The wire code.
    pub fn code(self) -> u8 {
        self as u8
    }
}

/// The JSON number `0` or `1`.
impl Serialize for CustomerType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u8(self.code())
    }
}

/// `0`/`1` or `"0"`/`"1"`.
impl<'de> Deserialize<'de> for CustomerType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match CodeText::deserialize(d)?.0.as_str() {
            "0" => Ok(CustomerType::Customer),
            "1" => Ok(CustomerType::Member),
            _ => Err(serde::de::Error::custom(
                "expected customer_type 0 (customer) or 1 (member)",
            )),
        }
    }
}

/// `gender` (性别). On this API the wire value is a **string** (`"0"`, `"1"`), unlike the
/// sibling `customer.save` API's number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Gender {
    /// `"0"`: female (女).
    Female,
    /// `"1"`: male (男).
    Male,
}

impl Gender {
    /// The wire code.
    pub fn code(self) -> &'static str {
        match self {
            Gender::Female => "0",
            Gender::Male => "1",
        }
    }
}

/// The JSON string `"0"` or `"1"`.
impl Serialize for Gender {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

/// `"0"`/`"1"` or `0`/`1`.
impl<'de> Deserialize<'de> for Gender {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match CodeText::deserialize(d)?.0.as_str() {
            "0" => Ok(Gender::Female),
            "1" => Ok(Gender::Male),
            _ => Err(serde::de::Error::custom(
                "expected gender \"0\" (female) or \"1\" (male)",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_on_the_wire() {
        assert_eq!(serde_json::to_string(&CustomerType::Customer).unwrap(), "0");
        assert_eq!(serde_json::to_string(&CustomerType::Member).unwrap(), "1");
        assert_eq!(serde_json::to_string(&Gender::Female).unwrap(), "\"0\"");
        assert_eq!(serde_json::to_string(&Gender::Male).unwrap(), "\"1\"");
        assert_eq!(
            serde_json::from_str::<CustomerType>("\"1\"").unwrap(),
            CustomerType::Member
        );
        assert_eq!(serde_json::from_str::<Gender>("0").unwrap(), Gender::Female);
        assert!(serde_json::from_str::<CustomerType>("2").is_err());
        assert!(serde_json::from_str::<Gender>("\"m\"").is_err());
    }

    #[test]
    fn emails() {
        let with_email = |email: &str| {
            let mut req =
                CustomerCreateOpenReq::new("r", "mobile", "13411111111", "2", CustomerType::Member);
            req.email = Some(email.to_owned());
            req.validate()
        };
        for ok in ["xxx@gmail.com", "a.b+c@mail.example.cn", "王@例子.中国"] {
            assert!(with_email(ok).is_ok(), "{ok}");
        }
        for bad in [
            "x",
            "@gmail.com",
            "x@gmail",
            "x@@gmail.com",
            "x@g@mail.com",
            "x @gmail.com",
            "x@.com",
            "x@gmail.",
            "x@gmail..com",
        ] {
            let err = with_email(bad).unwrap_err();
            assert_eq!(
                (err.field.as_ref(), err.rule.as_ref()),
                (
                    "param_customer_create_open_req.email",
                    Rule::Email.message().as_ref()
                ),
                "{bad}"
            );
        }
        let long = format!("{}@gmail.com", "x".repeat(120));
        assert_eq!(
            with_email(&long).unwrap_err().rule,
            "must be at most 128 characters"
        );
    }

    #[test]
    fn blank_optionals_are_not_sent_and_zero_is() {
        let mut req =
            CustomerCreateOpenReq::new("r1", "mobile", "13411111111", "2", CustomerType::Customer)
                .email(" ")
                .name("");
        req.mobile = Some(Mobile::new(""));
        assert!(req.validate().is_ok());
        assert_eq!(
            serde_json::to_string(&req).unwrap(),
            r#"{"channel":"2","customer_type":0,"outer_id":"13411111111","outer_type":"mobile","request_id":"r1"}"#
        );
    }

    #[test]
    fn round_trips() {
        let req = CustomerCreateOpenReq::new("r1", "card", "C-1", "2", CustomerType::Member)
            .birthday_date(NaiveDate::from_ymd_opt(1990, 5, 17).unwrap())
            .gender(Gender::Female)
            .mobile("13411111111")
            .tag_id_list(["a", "b"]);
        let text = serde_json::to_string(&req).unwrap();
        assert!(
            text.contains(r#""birthday":"1990-05-17 00:00:00""#),
            "{text}"
        );
        assert_eq!(
            serde_json::from_str::<CustomerCreateOpenReq>(&text).unwrap(),
            req
        );
    }

    #[test]
    fn birthday_bounds_are_inclusive() {
        let earliest = CustomerCreateOpenReq::new("r1", "card", "C-1", "2", CustomerType::Member)
            .birthday_date(NaiveDate::from_ymd_opt(1900, 1, 1).unwrap());
        assert!(earliest.validate().is_ok());
        let now = CustomerCreateOpenReq::new("r1", "card", "C-1", "2", CustomerType::Member)
            .birthday(Utc::now() - TimeDelta::seconds(1));
        assert!(now.validate().is_ok());
    }
}
