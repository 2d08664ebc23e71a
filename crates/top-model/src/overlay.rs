//! What the project knows of an API beyond the vendor's page (`apis/<method>/overlay.toml`),
//! written by hand and never touched by an import: the crate it joins, English summaries,
//! value rules, enums, redaction markers, cross-field rules, the idempotency key, the
//! business-failure rule and the bulk settings. Members are named by their wire path
//! (`user_blacklist_request.blacklist[].mobile`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The overlay of one API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Overlay {
    /// The domain crate the API belongs to (`alsc-crm`).
    #[serde(rename = "crate")]
    pub crate_name: String,
    /// One English sentence: what the call does.
    pub summary: String,
    /// A short Rust alias of the request type (`CreateCustomer`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    /// The request member that makes resending harmless (the vendor's idempotency key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency_key: Option<String>,
    /// How the answer reports a failure inside a success envelope.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub business_failure: Option<BusinessFailure>,
    /// Per vendor object type: an English summary.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub types: BTreeMap<String, TypeOverlay>,
    /// Per member (wire path): rules and markers.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub members: BTreeMap<String, MemberOverlay>,
    /// Response members by path (`module.tag_success`, `error_infos[].error_code`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub answers: BTreeMap<String, AnswerOverlay>,
    /// Closed value sets, by Rust name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub enums: BTreeMap<String, EnumDef>,
    /// Rules across members.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<CrossRule>,
    /// How rows of a file become calls, for `top import`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bulk: Option<Bulk>,
    /// The API's code is still written by hand in its crate; `top-codegen generate` skips it
    /// until it is converted (then the hand-written request and response types give way to
    /// generated ones of the same names).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hand_written: bool,
}

/// An English summary of a vendor object type.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct TypeOverlay {
    /// One English sentence.
    pub summary: String,
    /// The order of the required members as arguments of the generated `new` (wire names),
    /// when the vendor's order reads badly; every required member, once.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub new: Vec<String>,
}

/// What the project knows of one member.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct MemberOverlay {
    /// One English sentence (the vendor's Chinese stays beside it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Overrides the vendor's `required` (the vendor's pages are sometimes wrong).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required: Option<bool>,
    /// Most characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_chars: Option<usize>,
    /// Fewest characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_chars: Option<usize>,
    /// A value format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<Format>,
    /// Only ASCII digits, `[min, max]` of them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digits: Option<[usize; 2]>,
    /// Smallest number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<i64>,
    /// Largest number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<i64>,
    /// Most list entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_items: Option<usize>,
    /// Fewest list entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_items: Option<usize>,
    /// The value is one code of this enum (a name in `[enums]`).
    #[serde(default, rename = "enum", skip_serializing_if = "Option::is_none")]
    pub enum_name: Option<String>,
    /// The value is a comma-separated list of codes of this enum, none twice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codes: Option<String>,
    /// How the value is hidden in `Debug`, logs and reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redact: Option<Redact>,
    /// Sent even when it is the type's zero (`customer_type = 0`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub always_send: bool,
    /// The value sent when the caller gives none (a wire text: `"1"`); the member is then
    /// optional to callers, and the generated constructor fills it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// A `Date` member not before this day (`1900-01-01`), 00:00:00 GMT+8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_before: Option<String>,
    /// A `Date` member not after the moment it is checked.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub not_future: bool,
    /// In a list of objects: no two entries have the same value of this member.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unique: bool,
}

/// What the project says of a response member.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct AnswerOverlay {
    /// One English sentence (the vendor's Chinese stays beside it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// How the value is hidden in `Debug`, logs and reports (a text member).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub redact: Option<Redact>,
}

/// Value formats a member can declare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Format {
    /// An 11-digit mainland China mobile number.
    MainlandMobile,
    /// An e-mail address.
    Email,
    /// A JSON text.
    JsonText,
    /// No white space.
    NoWhitespace,
    /// A positive epoch time in milliseconds.
    EpochMillis,
}

/// How a member's value is hidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Redact {
    /// A mobile number: `138****1234`.
    Mobile,
    /// A secret (password, auth code, token): `***`, never logged.
    Secret,
}

/// A closed set of wire codes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct EnumDef {
    /// How the codes go on the wire.
    pub wire: Wire,
    /// One English sentence.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub summary: String,
    /// The codes, in the vendor's order.
    pub values: Vec<EnumValue>,
}

/// The wire form of an enum's codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Wire {
    /// JSON numbers (`1`).
    Number,
    /// JSON strings (`"1"`).
    String,
}

/// One code of an enum.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct EnumValue {
    /// The code as sent.
    pub code: String,
    /// The Rust variant name (`AddOrUpdate`).
    pub name: String,
    /// What it means, briefly, in English (used in messages: `1 (add or update)`).
    pub meaning: String,
    /// The vendor's words, when the page gives them.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub vendor: String,
}

/// A rule across members.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, untagged)]
#[non_exhaustive]
pub enum CrossRule {
    /// At least one of the members is set (not blank).
    AtLeastOneOf {
        /// The member paths.
        at_least_one_of: Vec<String>,
    },
    /// When a member has a value, another member follows a rule.
    When {
        /// The condition.
        when: Condition,
        /// The member and the rule it must then follow.
        then: Then,
    },
}

impl CrossRule {
    /// The members the rule speaks of (for `When`, the one that must follow the rule first).
    pub fn members(&self) -> Vec<&str> {
        match self {
            CrossRule::AtLeastOneOf { at_least_one_of } => {
                at_least_one_of.iter().map(String::as_str).collect()
            }
            CrossRule::When { when, then } => vec![then.member.as_str(), when.member.as_str()],
        }
    }

    /// The field a broken rule names: the member that must follow it, or, for
    /// `AtLeastOneOf`, the members joined by `|` (no single one is at fault).
    pub fn field(&self) -> String {
        match self {
            CrossRule::AtLeastOneOf { at_least_one_of } => at_least_one_of.join("|"),
            CrossRule::When { then, .. } => then.member.clone(),
        }
    }

    /// Whether breaking the rule means something is missing (rather than invalid).
    pub fn is_missing(&self) -> bool {
        matches!(self, CrossRule::AtLeastOneOf { .. })
    }

    /// What the rule requires, as a broken rule's message says it (the same text for the
    /// gateway's checks and for `top describe`).
    pub fn message(&self) -> String {
        match self {
            CrossRule::AtLeastOneOf { at_least_one_of } => {
                format!("at least one of {} is required", at_least_one_of.join(", "))
            }
            CrossRule::When { when, then } => format!(
                "{} when {} is {}",
                crate::description::format_rule(then.format).message(),
                when.member,
                when.equals
            ),
        }
    }
}

/// `member == equals` (compared without surrounding space, ASCII case ignored).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Condition {
    /// The member path.
    pub member: String,
    /// The value that triggers the rule.
    pub equals: String,
}

/// What must hold when a [`Condition`] does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Then {
    /// The member path.
    pub member: String,
    /// The format it must have.
    pub format: Format,
}

/// How the answer reports a failure inside a success envelope: the call failed when the
/// member at `flag` is `false` (missing counts as success unless `flag_required`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct BusinessFailure {
    /// The response path of the success flag (`result.biz_success`).
    pub flag: String,
    /// Also a failure when the flag is missing.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub flag_required: bool,
    /// Further flags that must not be `false` (`tag_success`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub also: Vec<String>,
    /// The response path of the failure code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Where the code is read when `code` is missing or blank, in order (the retail API's
    /// `sub_error_code` is often empty; its `error_code` then says what went wrong).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub code_fallbacks: Vec<String>,
    /// The response path of the failure message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Where the message is read when `message` is missing or blank, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub message_fallbacks: Vec<String>,
    /// The response path of the "may be retried" flag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retryable: Option<String>,
}

/// How `top import` turns rows into calls.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Bulk {
    /// One call per row: the columns are this object parameter's members. With neither
    /// `object` nor `list`, the columns are the API's top-level parameters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    /// Batches: each row is an entry of this list member, many per call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list: Option<String>,
    /// Most rows per call (with `list`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_batch: Option<usize>,
    /// Members set once for the whole job from a command-line flag (path → flag name).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub flags: BTreeMap<String, String>,
    /// Members the engine fills per call (path → what: `request_id`, `now_ms`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub generated: BTreeMap<String, Generated>,
}

/// A member the bulk engine fills itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Generated {
    /// A stable id per call, journaled before the first send (the idempotency key).
    RequestId,
    /// The send time in epoch milliseconds, fixed per call.
    NowMs,
}

impl Overlay {
    /// Reads an overlay from TOML text.
    ///
    /// # Errors
    /// The TOML parser's message, which names the line and the key (unknown keys are
    /// refused, so a misspelt rule is not silently ignored).
    pub fn from_toml(text: &str) -> Result<Self, String> {
        toml::from_str(text).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hand_written_is_false_unless_said() {
        let base = "crate = \"demo\"\nsummary = \"Does a thing.\"\n";
        let overlay = Overlay::from_toml(base).unwrap();
        assert!(!overlay.hand_written);
        let text = toml::to_string(&overlay).unwrap();
        assert!(!text.contains("hand_written"), "{text}");

        let overlay = Overlay::from_toml(&format!("{base}hand_written = true\n")).unwrap();
        assert!(overlay.hand_written);
        let text = toml::to_string(&overlay).unwrap();
        assert_eq!(Overlay::from_toml(&text).unwrap(), overlay);

        let err = Overlay::from_toml(&format!("{base}hand_written = \"yes\"\n")).unwrap_err();
        assert!(err.contains("hand_written"), "{err}");
    }
}
