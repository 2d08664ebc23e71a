//! The request of `taobao.logistics.express.user.blacklist.tms.sync` (docs/protocol.md §7.2).

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use top_core::de::CodeText;
use top_core::params::is_blank;
use top_core::{Mobile, TopRequest, ValidationError};

use crate::response::LogisticsExpressUserBlacklistTmsSyncResponse;

/// Most entries accepted in one call.
pub const MAX_BLACKLIST_ENTRIES: usize = 1000;
/// Longest accepted `request_id` and `supplier_id`, in characters.
pub const MAX_ID_CHARS: usize = 64;

/// `taobao.logistics.express.user.blacklist.tms.sync` (上门取退用户黑名单同步): adds, updates or
/// deletes users of a door-to-door pickup and return provider's blacklist.
///
/// One business parameter, `user_blacklist_request`, sent as a JSON text.
/// `request_id` is the vendor's idempotency key, so the call is
/// [retry-safe](TopRequest::retry_safe): a resend after a timeout carries the same id.
///
/// ```
/// use logistics_blacklist::{
///     Blacklist, BlacklistReason, LogisticsExpressUserBlacklistTmsSyncRequest, OperateType,
///     UserBlacklistRequest,
/// };
/// use top_core::TopRequest;
///
/// let request = LogisticsExpressUserBlacklistTmsSyncRequest::new(UserBlacklistRequest::new(
///     "1656674541001".to_owned(),
///     1_656_674_541_001,
///     "10000000001".to_owned(),
///     OperateType::AddOrUpdate,
///     vec![
///         Blacklist::new("13111111111")
///             .reasons([BlacklistReason::MaliciousOrder, BlacklistReason::MaliciousComplaint]),
///         Blacklist::new("13122222222"),
///     ],
/// ));
/// assert!(request.validate().is_ok());
/// assert_eq!(
///     request.params().unwrap().get("user_blacklist_request"),
///     Some(r#"{"ability_type":"1","blacklist":[{"mobile":"13111111111","reason":"1,2"},{"mobile":"13122222222"}],"operate_type":1,"request_id":"1656674541001","request_time":1656674541001,"service_type":"1","supplier_id":"10000000001"}"#)
/// );
/// // Debug never shows a full mobile number.
/// assert!(!format!("{request:?}").contains("13111111111"));
/// ```
#[doc(alias = "taobao.logistics.express.user.blacklist.tms.sync")]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogisticsExpressUserBlacklistTmsSyncRequest {
    /// `user_blacklist_request` (`UserBlacklistRequest`, required).
    pub user_blacklist_request: UserBlacklistRequest,
}

impl LogisticsExpressUserBlacklistTmsSyncRequest {
    /// The call for one batch.
    pub fn new(user_blacklist_request: UserBlacklistRequest) -> Self {
        LogisticsExpressUserBlacklistTmsSyncRequest {
            user_blacklist_request,
        }
    }
}

impl TopRequest for LogisticsExpressUserBlacklistTmsSyncRequest {
    const METHOD: &'static str = "taobao.logistics.express.user.blacklist.tms.sync";
    type Response = LogisticsExpressUserBlacklistTmsSyncResponse;

    /// See [`UserBlacklistRequest::validate`].
    fn validate(&self) -> Result<(), ValidationError> {
        self.user_blacklist_request.validate()
    }

    /// `request_id` is the documented idempotency key: resending the same batch is harmless.
    fn retry_safe(&self) -> bool {
        true
    }
}

/// `UserBlacklistRequest`: one batch of blacklist changes of one supplier.
///
/// `operate_type` applies to every entry of the batch (it belongs to this object, not to
/// each [`Blacklist`] entry, whatever the vendor page's indentation suggests).
///
/// Members are declared in the official SDK's JSON order (alphabetical), so the JSON text
/// matches the Java SDK's byte for byte.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserBlacklistRequest {
    /// `ability_type`: the ability, `"1"` (door-to-door pickup and return).
    #[serde(default)]
    pub ability_type: AbilityType,
    /// `blacklist`: the users, at most [`MAX_BLACKLIST_ENTRIES`], each mobile once.
    pub blacklist: Vec<Blacklist>,
    /// `operate_type`: `1` add or update, `2` delete.
    pub operate_type: OperateType,
    /// `request_id`: the business request id, the idempotency key (at most 64 characters).
    /// Keep it stable when resending the same batch.
    pub request_id: String,
    /// `request_time`: when the batch was made, epoch milliseconds.
    pub request_time: i64,
    /// `service_type`: the service, `"1"` (door-to-door pickup and return).
    #[serde(default)]
    pub service_type: ServiceType,
    /// `supplier_id`: the service provider's id.
    pub supplier_id: String,
}

impl UserBlacklistRequest {
    /// A batch; `service_type` and `ability_type` default to door-to-door (`"1"`).
    pub fn new(
        request_id: String,
        request_time_ms: i64,
        supplier_id: String,
        operate_type: OperateType,
        blacklist: Vec<Blacklist>,
    ) -> Self {
        UserBlacklistRequest {
            ability_type: AbilityType::default(),
            blacklist,
            operate_type,
            request_id,
            request_time: request_time_ms,
            service_type: ServiceType::default(),
            supplier_id,
        }
    }

    /// Sets `service_type`.
    pub fn service_type(mut self, service_type: ServiceType) -> Self {
        self.service_type = service_type;
        self
    }

    /// Sets `ability_type`.
    pub fn ability_type(mut self, ability_type: AbilityType) -> Self {
        self.ability_type = ability_type;
        self
    }

    /// Checks the batch; errors name the field by its wire path
    /// (`user_blacklist_request.blacklist[2].mobile`):
    ///
    /// - `request_id` not blank, at most [`MAX_ID_CHARS`] characters;
    /// - `request_time` positive (epoch milliseconds);
    /// - `supplier_id` not blank, at most [`MAX_ID_CHARS`] characters;
    /// - `blacklist` not empty, at most [`MAX_BLACKLIST_ENTRIES`] entries;
    /// - each entry valid ([`Blacklist::validate`]) and each mobile once per batch.
    pub fn validate(&self) -> Result<(), ValidationError> {
        const P: &str = "user_blacklist_request";
        ValidationError::check_required_max(
            "user_blacklist_request.request_id",
            &self.request_id,
            MAX_ID_CHARS,
        )?;
        if self.request_time <= 0 {
            return Err(ValidationError::new(
                "user_blacklist_request.request_time",
                "must be a positive epoch time in milliseconds",
            ));
        }
        ValidationError::check_required_max(
            "user_blacklist_request.supplier_id",
            &self.supplier_id,
            MAX_ID_CHARS,
        )?;
        if self.blacklist.is_empty() {
            return Err(ValidationError::new(
                "user_blacklist_request.blacklist",
                "must hold at least one entry",
            ));
        }
        if self.blacklist.len() > MAX_BLACKLIST_ENTRIES {
            return Err(ValidationError::new(
                "user_blacklist_request.blacklist",
                format!("must hold at most {MAX_BLACKLIST_ENTRIES} entries"),
            ));
        }
        let mut seen: HashMap<&str, usize> = HashMap::with_capacity(self.blacklist.len());
        for (i, entry) in self.blacklist.iter().enumerate() {
            entry.validate().map_err(|e| {
                ValidationError::new(format!("{P}.blacklist[{i}].{}", e.field), e.rule)
            })?;
            if let Some(first) = seen.insert(entry.mobile.expose(), i) {
                return Err(ValidationError::new(
                    format!("{P}.blacklist[{i}].mobile"),
                    format!(
                        "repeats the mobile of blacklist[{first}]; each mobile may appear once per call"
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// `Blacklist`: one blacklisted user.
///
/// On the wire `reason` is the comma list `"1,2"`, omitted when there is no reason.
///
/// ```
/// use logistics_blacklist::{Blacklist, BlacklistReason};
///
/// let entry = Blacklist::new("13111111111").reasons([BlacklistReason::Extortion, BlacklistReason::Other]);
/// assert_eq!(serde_json::to_string(&entry).unwrap(), r#"{"mobile":"13111111111","reason":"3,5"}"#);
/// assert_eq!(serde_json::to_string(&Blacklist::new("13122222222")).unwrap(), r#"{"mobile":"13122222222"}"#);
/// let back: Blacklist = serde_json::from_str(r#"{"mobile":"13111111111","reason":"3, 5"}"#).unwrap();
/// assert_eq!(back, entry);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Blacklist {
    /// `mobile`: the user's mobile number (required); printed masked.
    pub mobile: Mobile,
    /// `reason`: why the user is blacklisted (optional, each reason once).
    #[serde(default, skip_serializing_if = "Vec::is_empty", with = "reason_list")]
    pub reason: Vec<BlacklistReason>,
}

impl Blacklist {
    /// An entry with no reason.
    pub fn new(mobile: impl Into<Mobile>) -> Self {
        Blacklist {
            mobile: mobile.into(),
            reason: Vec::new(),
        }
    }

    /// Sets the reasons (replacing any set before).
    pub fn reasons(mut self, reasons: impl IntoIterator<Item = BlacklistReason>) -> Self {
        self.reason = reasons.into_iter().collect();
        self
    }

    /// Checks one entry; the error names `mobile` or `reason` (relative to the entry):
    /// the mobile is an 11-digit mainland number and no reason repeats.
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.mobile.validate("mobile")?;
        for (i, reason) in self.reason.iter().enumerate() {
            if self.reason[..i].contains(reason) {
                return Err(ValidationError::new(
                    "reason",
                    "must not repeat a reason code",
                ));
            }
        }
        Ok(())
    }
}

/// A blacklist reason code (黑名单用户类型).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
#[repr(u8)]
pub enum BlacklistReason {
    /// `1` 恶意下单: malicious orders.
    MaliciousOrder = 1,
    /// `2` 恶意投诉: malicious complaints.
    MaliciousComplaint = 2,
    /// `3` 恶意敲诈: extortion.
    Extortion = 3,
    /// `4` 人身攻击类: personal attack on the courier (insults, assault).
    PersonalAttack = 4,
    /// `5` 其他: other.
    Other = 5,
}

const REASON_RULE: &str = "must list reason codes 1-5 separated by commas";

impl BlacklistReason {
    /// Every reason, in code order.
    pub const ALL: [BlacklistReason; 5] = [
        BlacklistReason::MaliciousOrder,
        BlacklistReason::MaliciousComplaint,
        BlacklistReason::Extortion,
        BlacklistReason::PersonalAttack,
        BlacklistReason::Other,
    ];

    /// The wire code, `1`..=`5`.
    pub fn code(self) -> u8 {
        self as u8
    }

    /// Parses the wire form, a comma-separated list such as `"1,2"` (spaces around codes
    /// are ignored). A blank text is no reason at all; empty items (`"1,,2"`, `"1,"`),
    /// codes outside 1-5 and repeated codes are errors naming the field `reason`.
    ///
    /// ```
    /// use logistics_blacklist::BlacklistReason::{self, *};
    /// assert_eq!(BlacklistReason::parse_list(" 1, 2 ").unwrap(), [MaliciousOrder, MaliciousComplaint]);
    /// assert_eq!(BlacklistReason::parse_list("").unwrap(), []);
    /// for bad in ["0", "6", "1,,2", "1,", "a", "1,1"] {
    ///     assert_eq!(BlacklistReason::parse_list(bad).unwrap_err().field, "reason");
    /// }
    /// ```
    pub fn parse_list(text: &str) -> Result<Vec<BlacklistReason>, ValidationError> {
        if is_blank(text) {
            return Ok(Vec::new());
        }
        let mut reasons = Vec::new();
        for item in text.split(',') {
            let item = item.trim();
            if item.is_empty() {
                return Err(ValidationError::new(
                    "reason",
                    "must not contain an empty item (1-5 separated by commas)",
                ));
            }
            let reason: BlacklistReason = item.parse()?;
            if reasons.contains(&reason) {
                return Err(ValidationError::new(
                    "reason",
                    "must not repeat a reason code",
                ));
            }
            reasons.push(reason);
        }
        Ok(reasons)
    }

    /// The wire form of a list: codes joined by commas (`"1,2"`).
    pub fn join(reasons: &[BlacklistReason]) -> String {
        let codes: Vec<String> = reasons.iter().map(|r| r.code().to_string()).collect();
        codes.join(",")
    }
}

/// The code, `1`..=`5`.
impl fmt::Display for BlacklistReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code())
    }
}

impl TryFrom<u8> for BlacklistReason {
    type Error = ValidationError;

    fn try_from(code: u8) -> Result<Self, Self::Error> {
        BlacklistReason::ALL
            .into_iter()
            .find(|r| r.code() == code)
            .ok_or_else(|| ValidationError::new("reason", REASON_RULE))
    }
}

/// Parses one code, `"1"`..`"5"` (surrounding spaces ignored).
impl FromStr for BlacklistReason {
    type Err = ValidationError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let code: u8 = s
            .trim()
            .parse()
            .map_err(|_| ValidationError::new("reason", REASON_RULE))?;
        BlacklistReason::try_from(code)
    }
}

/// The code as a string, `"1"`, as it appears in the wire list.
impl Serialize for BlacklistReason {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// `"1"` or `1`.
impl<'de> Deserialize<'de> for BlacklistReason {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        CodeText::deserialize(d)?
            .0
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

/// `reason` as the comma list `"1,2"`.
mod reason_list {
    use super::BlacklistReason;
    use serde::{Deserialize, Deserializer, Serializer};
    use top_core::de::CodeText;

    pub(super) fn serialize<S: Serializer>(
        reasons: &[BlacklistReason],
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.serialize_str(&BlacklistReason::join(reasons))
    }

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        One(CodeText),
        Many(Vec<CodeText>),
    }

    /// `"1,2"`, `1`, `["1", 2]` or null.
    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Vec<BlacklistReason>, D::Error> {
        let text = match Option::<Raw>::deserialize(d)? {
            None => return Ok(Vec::new()),
            Some(Raw::One(code)) => code.0,
            Some(Raw::Many(codes)) => {
                let parts: Vec<String> = codes.into_iter().map(|c| c.0).collect();
                parts.join(",")
            }
        };
        BlacklistReason::parse_list(&text).map_err(serde::de::Error::custom)
    }
}

/// `operate_type`: what the batch does to its entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
#[repr(u8)]
pub enum OperateType {
    /// `1`: add (incremental) or update (新增/更新).
    AddOrUpdate = 1,
    /// `2`: delete (删除).
    Delete = 2,
}

impl OperateType {
    /// The wire code.
    pub fn code(self) -> u8 {
        self as u8
    }
}

/// The JSON number `1` or `2`.
impl Serialize for OperateType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u8(self.code())
    }
}

/// `1`/`2` or `"1"`/`"2"`.
impl<'de> Deserialize<'de> for OperateType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match CodeText::deserialize(d)?.0.as_str() {
            "1" => Ok(OperateType::AddOrUpdate),
            "2" => Ok(OperateType::Delete),
            _ => Err(serde::de::Error::custom(
                "expected operate_type 1 (add or update) or 2 (delete)",
            )),
        }
    }
}

/// `service_type`: the service (服务类型). Only door-to-door is documented.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum ServiceType {
    /// `"1"`: door-to-door pickup and return (上门取退).
    #[default]
    DoorToDoor,
}

impl ServiceType {
    /// The wire code.
    pub fn code(self) -> &'static str {
        match self {
            ServiceType::DoorToDoor => "1",
        }
    }
}

/// The JSON string `"1"`.
impl Serialize for ServiceType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

/// `"1"` or `1`.
impl<'de> Deserialize<'de> for ServiceType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match CodeText::deserialize(d)?.0.as_str() {
            "1" => Ok(ServiceType::DoorToDoor),
            _ => Err(serde::de::Error::custom(
                "expected service_type \"1\" (door-to-door)",
            )),
        }
    }
}

/// `ability_type`: the ability (能力). Only door-to-door is documented.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum AbilityType {
    /// `"1"`: door-to-door pickup and return (上门取退).
    #[default]
    DoorToDoor,
}

impl AbilityType {
    /// The wire code.
    pub fn code(self) -> &'static str {
        match self {
            AbilityType::DoorToDoor => "1",
        }
    }
}

/// The JSON string `"1"`.
impl Serialize for AbilityType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.code())
    }
}

/// `"1"` or `1`.
impl<'de> Deserialize<'de> for AbilityType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match CodeText::deserialize(d)?.0.as_str() {
            "1" => Ok(AbilityType::DoorToDoor),
            _ => Err(serde::de::Error::custom(
                "expected ability_type \"1\" (door-to-door)",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reason_codes() {
        for (i, r) in BlacklistReason::ALL.into_iter().enumerate() {
            let code = u8::try_from(i + 1).unwrap();
            assert_eq!(r.code(), code);
            assert_eq!(BlacklistReason::try_from(code).unwrap(), r);
            assert_eq!(r.to_string().parse::<BlacklistReason>().unwrap(), r);
        }
        assert!(BlacklistReason::try_from(0).is_err());
        assert!(BlacklistReason::try_from(6).is_err());
        assert!(" 3 ".parse::<BlacklistReason>().is_ok());
        let err = "x".parse::<BlacklistReason>().unwrap_err();
        assert_eq!(
            (err.field.as_ref(), err.rule.as_ref()),
            ("reason", REASON_RULE)
        );
        assert_eq!(
            BlacklistReason::join(&[BlacklistReason::Other, BlacklistReason::MaliciousOrder]),
            "5,1"
        );
    }

    #[test]
    fn parse_list_rules() {
        use BlacklistReason::*;
        assert_eq!(
            BlacklistReason::parse_list("1,2,3,4,5").unwrap(),
            BlacklistReason::ALL
        );
        assert_eq!(
            BlacklistReason::parse_list(" 4 ").unwrap(),
            [PersonalAttack]
        );
        assert!(BlacklistReason::parse_list("  ").unwrap().is_empty());
        for bad in [
            "0", "6", "1,,2", ",1", "1,", "1;2", "1 2", "1,1", "-1", "256",
        ] {
            let err = BlacklistReason::parse_list(bad).unwrap_err();
            assert_eq!(err.field, "reason", "{bad}");
        }
    }

    #[test]
    fn enums_on_the_wire() {
        assert_eq!(
            serde_json::to_string(&OperateType::AddOrUpdate).unwrap(),
            "1"
        );
        assert_eq!(serde_json::to_string(&OperateType::Delete).unwrap(), "2");
        assert_eq!(
            serde_json::to_string(&ServiceType::DoorToDoor).unwrap(),
            "\"1\""
        );
        assert_eq!(
            serde_json::to_string(&AbilityType::DoorToDoor).unwrap(),
            "\"1\""
        );
        assert_eq!(
            serde_json::to_string(&BlacklistReason::Extortion).unwrap(),
            "\"3\""
        );
        assert_eq!(
            serde_json::from_str::<OperateType>("\"2\"").unwrap(),
            OperateType::Delete
        );
        assert_eq!(
            serde_json::from_str::<ServiceType>("1").unwrap(),
            ServiceType::DoorToDoor
        );
        assert_eq!(
            serde_json::from_str::<AbilityType>("\"1\"").unwrap(),
            AbilityType::DoorToDoor
        );
        assert_eq!(
            serde_json::from_str::<BlacklistReason>("4").unwrap(),
            BlacklistReason::PersonalAttack
        );
        assert!(serde_json::from_str::<OperateType>("3").is_err());
        assert!(serde_json::from_str::<ServiceType>("\"2\"").is_err());
        assert!(serde_json::from_str::<AbilityType>("\"x\"").is_err());
    }

    #[test]
    fn blacklist_reason_forms() {
        use BlacklistReason::*;
        for (json, expected) in [
            (
                r#"{"mobile":"13111111111","reason":"1,2"}"#,
                vec![MaliciousOrder, MaliciousComplaint],
            ),
            (
                r#"{"mobile":"13111111111","reason":2}"#,
                vec![MaliciousComplaint],
            ),
            (
                r#"{"mobile":"13111111111","reason":["5",1]}"#,
                vec![Other, MaliciousOrder],
            ),
            (r#"{"mobile":"13111111111","reason":""}"#, vec![]),
            (r#"{"mobile":"13111111111","reason":null}"#, vec![]),
            (r#"{"mobile":"13111111111"}"#, vec![]),
        ] {
            let entry: Blacklist = serde_json::from_str(json).unwrap();
            assert_eq!(entry.reason, expected, "{json}");
        }
        assert!(
            serde_json::from_str::<Blacklist>(r#"{"mobile":"13111111111","reason":"1,9"}"#)
                .is_err()
        );
    }

    #[test]
    fn the_batch_round_trips() {
        let batch = UserBlacklistRequest::new(
            "r-1".to_owned(),
            1,
            "s-1".to_owned(),
            OperateType::Delete,
            vec![Blacklist::new("13111111111")],
        );
        let text = serde_json::to_string(&batch).unwrap();
        assert_eq!(
            text,
            r#"{"ability_type":"1","blacklist":[{"mobile":"13111111111"}],"operate_type":2,"request_id":"r-1","request_time":1,"service_type":"1","supplier_id":"s-1"}"#
        );
        assert_eq!(
            serde_json::from_str::<UserBlacklistRequest>(&text).unwrap(),
            batch
        );
        let minimal: UserBlacklistRequest = serde_json::from_str(
            r#"{"blacklist":[{"mobile":"13111111111"}],"operate_type":"2","request_id":"r-1","request_time":1,"supplier_id":"s-1"}"#,
        )
        .unwrap();
        assert_eq!(minimal, batch);
    }
}
