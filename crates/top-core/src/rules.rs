//! One implementation of each value rule an API description can declare, used by the
//! generated `validate()` of the domain crates and by the description-driven checks of the
//! sandbox, `top call` and bulk sync, so the SDK and the gateway can never disagree on a rule
//! or on its message.
//!
//! A rule checks a value it is given and names the field in its error, never the value
//! (which may be a secret or a mobile number).
//!
//! ```
//! use top_core::rules::Rule;
//! assert!(Rule::MainlandMobile.check_text("user.mobile", "13800000001").is_ok());
//! let err = Rule::Digits { min: 4, max: 8 }.check_text("param0.auth_code", "12a4").unwrap_err();
//! assert_eq!(err.field, "param0.auth_code");
//! assert_eq!(err.rule, "must be 4 to 8 ASCII digits");
//! ```

use std::borrow::Cow;
use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};

use crate::error::ValidationError;
use crate::redact::is_mainland_mobile;
use crate::time::parse_gmt8;

/// A rule of a member's value. Text rules count characters (`char`s), not bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rule {
    /// At most this many characters.
    MaxChars(usize),
    /// At least this many characters.
    MinChars(usize),
    /// An 11-digit mainland China mobile number: `1[3-9]` and 9 more digits.
    MainlandMobile,
    /// A plausible e-mail address: one `@`, a non-empty local part, a dotted domain, no
    /// white space.
    Email,
    /// Only ASCII digits, between `min` and `max` of them.
    Digits {
        /// Fewest digits.
        min: usize,
        /// Most digits.
        max: usize,
    },
    /// A JSON text.
    JsonText,
    /// No white space anywhere.
    NoWhitespace,
    /// One of the listed codes (an enum on the wire).
    OneOf(Vec<EnumCode>),
    /// A comma-separated list of codes, each one of the listed ones, none repeated.
    CommaCodes(Vec<EnumCode>),
    /// At most this many list entries.
    MaxItems(usize),
    /// At least this many list entries.
    MinItems(usize),
    /// A date (an instant, or GMT+8 `yyyy-MM-dd HH:mm:ss` text) not before 00:00:00 GMT+8
    /// of this day.
    NotBefore {
        /// The year.
        year: i32,
        /// The month, 1 to 12.
        month: u32,
        /// The day of the month.
        day: u32,
    },
    /// A date not after the moment of the check.
    NotFuture,
    /// A number in `min..=max`.
    Range {
        /// Smallest allowed, if any.
        min: Option<i64>,
        /// Largest allowed, if any.
        max: Option<i64>,
    },
}

/// One wire code of an enum, with its meaning for messages (`1` "register").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumCode {
    /// The code as sent (`"1"`, `"mobile"`).
    pub code: Cow<'static, str>,
    /// What it means, briefly (`register`); may be empty.
    pub meaning: Cow<'static, str>,
}

impl EnumCode {
    /// A code and its meaning.
    pub fn new(code: impl Into<Cow<'static, str>>, meaning: impl Into<Cow<'static, str>>) -> Self {
        EnumCode {
            code: code.into(),
            meaning: meaning.into(),
        }
    }
}

impl Rule {
    /// Checks a text value.
    ///
    /// # Errors
    /// A [`ValidationError`] naming `field` and this rule's [message](Rule::message) when
    /// the text breaks it; list and number rules also apply to text that reads as one.
    pub fn check_text(
        &self,
        field: impl Into<Cow<'static, str>>,
        value: &str,
    ) -> Result<(), ValidationError> {
        let ok = match self {
            Rule::MaxChars(max) => value.chars().count() <= *max,
            Rule::MinChars(min) => value.chars().count() >= *min,
            Rule::MainlandMobile => is_mainland_mobile(value),
            Rule::Email => plausible_email(value),
            Rule::Digits { min, max } => {
                (*min..=*max).contains(&value.len()) && value.bytes().all(|b| b.is_ascii_digit())
            }
            Rule::JsonText => serde_json::from_str::<serde::de::IgnoredAny>(value).is_ok(),
            Rule::NoWhitespace => !value.chars().any(char::is_whitespace),
            Rule::OneOf(codes) => codes.iter().any(|c| c.code == value),
            Rule::CommaCodes(codes) => comma_codes_ok(value, codes),
            Rule::MaxItems(_) | Rule::MinItems(_) => true,
            Rule::NotBefore { .. } | Rule::NotFuture => {
                return match parse_gmt8(value) {
                    Some(instant) => self.check_date(field, instant),
                    None => Err(ValidationError::new(
                        field,
                        "must be a GMT+8 date and time, yyyy-MM-dd HH:mm:ss",
                    )),
                };
            }
            Rule::Range { .. } => match value.trim().parse::<i64>() {
                Ok(n) => self.number_ok(n),
                Err(_) => false,
            },
        };
        self.verdict(field, ok)
    }

    /// Checks a number.
    ///
    /// # Errors
    /// A [`ValidationError`] naming `field` when the number breaks the rule; text rules
    /// check the number's decimal text.
    pub fn check_number(
        &self,
        field: impl Into<Cow<'static, str>>,
        value: i64,
    ) -> Result<(), ValidationError> {
        match self {
            Rule::Range { .. } => self.verdict(field, self.number_ok(value)),
            Rule::MaxItems(_) | Rule::MinItems(_) => Ok(()),
            _ => self.check_text(field, &value.to_string()),
        }
    }

    /// [`Rule::check_text`] for a field whose name is built only when the rule is broken
    /// (`|| format!("list[{i}].mobile")`): a list's entries are checked without an allocation
    /// each.
    ///
    /// # Errors
    /// As [`Rule::check_text`], naming `field()`.
    pub fn check_text_at(
        &self,
        field: impl FnOnce() -> String,
        value: &str,
    ) -> Result<(), ValidationError> {
        self.check_text("", value)
            .map_err(|e| ValidationError::new(field(), e.rule))
    }

    /// [`Rule::check_number`] for a field whose name is built only when the rule is broken.
    ///
    /// # Errors
    /// As [`Rule::check_number`], naming `field()`.
    pub fn check_number_at(
        &self,
        field: impl FnOnce() -> String,
        value: i64,
    ) -> Result<(), ValidationError> {
        self.check_number("", value)
            .map_err(|e| ValidationError::new(field(), e.rule))
    }

    /// [`Rule::check_items`] for a field whose name is built only when the rule is broken.
    ///
    /// # Errors
    /// As [`Rule::check_items`], naming `field()`.
    pub fn check_items_at(
        &self,
        field: impl FnOnce() -> String,
        count: usize,
    ) -> Result<(), ValidationError> {
        self.check_items("", count)
            .map_err(|e| ValidationError::new(field(), e.rule))
    }

    /// Checks a date; rules other than the date rules pass (they apply to its text).
    ///
    /// # Errors
    /// A [`ValidationError`] naming `field` when a date rule is broken.
    pub fn check_date(
        &self,
        field: impl Into<Cow<'static, str>>,
        value: DateTime<Utc>,
    ) -> Result<(), ValidationError> {
        let ok = match self {
            Rule::NotBefore { year, month, day } => {
                // An impossible day refuses every date rather than none.
                NaiveDate::from_ymd_opt(*year, *month, *day)
                    .and_then(|d| parse_gmt8(&format!("{d} 00:00:00")))
                    .is_some_and(|earliest| value >= earliest)
            }
            Rule::NotFuture => value <= Utc::now(),
            _ => true,
        };
        self.verdict(field, ok)
    }

    /// Checks the number of entries of a list.
    ///
    /// # Errors
    /// A [`ValidationError`] naming `field` when a list rule is broken; other rules pass
    /// (they apply to the entries).
    pub fn check_items(
        &self,
        field: impl Into<Cow<'static, str>>,
        count: usize,
    ) -> Result<(), ValidationError> {
        let ok = match self {
            Rule::MaxItems(max) => count <= *max,
            Rule::MinItems(min) => count >= *min,
            _ => true,
        };
        self.verdict(field, ok)
    }

    /// What the rule requires, as error messages say it (`must be at most 64 characters`).
    pub fn message(&self) -> Cow<'static, str> {
        match self {
            Rule::MaxChars(max) => format!("must be at most {max} characters").into(),
            Rule::MinChars(min) => format!("must be at least {min} characters").into(),
            Rule::MainlandMobile => {
                "must be an 11-digit mainland China mobile number (1[3-9] followed by 9 digits)"
                    .into()
            }
            Rule::Email => "must be an e-mail address (one @, a dotted domain, no spaces)".into(),
            Rule::Digits { min, max } if min == max => format!("must be {min} ASCII digits").into(),
            Rule::Digits { min, max } => format!("must be {min} to {max} ASCII digits").into(),
            Rule::JsonText => "must be a JSON text".into(),
            Rule::NoWhitespace => "must not contain white space".into(),
            Rule::OneOf(codes) => format!("must be {}", alternatives(codes)).into(),
            Rule::CommaCodes(codes) => format!(
                "must list codes {} separated by commas, none twice",
                alternatives(codes)
            )
            .into(),
            Rule::NotBefore { year, month, day } => {
                format!("must not be before {year:04}-{month:02}-{day:02}").into()
            }
            Rule::NotFuture => "must not be in the future".into(),
            Rule::MaxItems(1) => "must hold at most one entry".into(),
            Rule::MaxItems(max) => format!("must hold at most {max} entries").into(),
            Rule::MinItems(1) => "must hold at least one entry".into(),
            Rule::MinItems(min) => format!("must hold at least {min} entries").into(),
            Rule::Range { min, max } => match (min, max) {
                (Some(min), Some(max)) => format!("must be between {min} and {max}").into(),
                (Some(min), None) => format!("must be at least {min}").into(),
                (None, Some(max)) => format!("must be at most {max}").into(),
                (None, None) => "must be a whole number".into(),
            },
        }
    }

    fn number_ok(&self, n: i64) -> bool {
        match self {
            Rule::Range { min, max } => min.is_none_or(|m| n >= m) && max.is_none_or(|m| n <= m),
            _ => true,
        }
    }

    fn verdict(
        &self,
        field: impl Into<Cow<'static, str>>,
        ok: bool,
    ) -> Result<(), ValidationError> {
        if ok {
            Ok(())
        } else {
            Err(ValidationError::new(field, self.message()))
        }
    }
}

/// The error of a list entry's member whose value an earlier entry already has, when the
/// description declares the member unique within its list (`blacklist[3].mobile` repeating
/// `blacklist[0].mobile`).
pub fn repeated(field: impl Into<Cow<'static, str>>, earlier: usize) -> ValidationError {
    ValidationError::new(
        field,
        format!("repeats the value of entry [{earlier}]; each value may appear once per list"),
    )
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

/// `1 (register) or 2 (change password)`.
fn alternatives(codes: &[EnumCode]) -> String {
    let one = |c: &EnumCode| {
        if c.meaning.is_empty() {
            c.code.to_string()
        } else {
            format!("{} ({})", c.code, c.meaning)
        }
    };
    match codes {
        [] => "one of no codes".to_owned(),
        [only] => one(only),
        [init @ .., last] => {
            let head: Vec<String> = init.iter().map(one).collect();
            format!("{} or {}", head.join(", "), one(last))
        }
    }
}

fn comma_codes_ok(value: &str, codes: &[EnumCode]) -> bool {
    let mut seen: Vec<&str> = Vec::new();
    for part in value.split(',') {
        let part = part.trim();
        if !codes.iter().any(|c| c.code == part) || seen.contains(&part) {
            return false;
        }
        seen.push(part);
    }
    true
}

/// One `@`, a non-empty local part, a domain with an inner dot, no white space.
fn plausible_email(email: &str) -> bool {
    if email.chars().any(char::is_whitespace) {
        return false;
    }
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes() -> Vec<EnumCode> {
        vec![
            EnumCode::new("1", "register"),
            EnumCode::new("2", "change password"),
        ]
    }

    #[test]
    fn each_rule_and_its_message() {
        let field = "f";
        let bad = |rule: Rule, value: &str| rule.check_text(field, value).unwrap_err().rule;
        assert!(Rule::MaxChars(2).check_text(field, "兔兔").is_ok());
        assert_eq!(
            bad(Rule::MaxChars(2), "abc"),
            "must be at most 2 characters"
        );
        assert_eq!(
            bad(Rule::MinChars(6), "abc"),
            "must be at least 6 characters"
        );
        assert!(
            Rule::MainlandMobile
                .check_text(field, "19912345678")
                .is_ok()
        );
        for mobile in [
            "12345678901",
            "1381234567",
            "138123456789",
            "1381234567a",
            "",
        ] {
            assert!(
                Rule::MainlandMobile.check_text(field, mobile).is_err(),
                "{mobile}"
            );
        }
        assert!(Rule::Email.check_text(field, "a@b.cn").is_ok());
        for email in [
            "a@b", "@b.cn", "a b@c.cn", "a@@b.cn", "a@.b.cn", "a@b.cn.", "a@b..cn",
        ] {
            assert!(Rule::Email.check_text(field, email).is_err(), "{email}");
        }
        let digits = Rule::Digits { min: 4, max: 8 };
        assert!(digits.check_text(field, "1234").is_ok());
        assert_eq!(bad(digits.clone(), "123"), "must be 4 to 8 ASCII digits");
        assert!(
            digits.check_text(field, "１２３４").is_err(),
            "full-width digits"
        );
        assert_eq!(
            bad(Rule::Digits { min: 6, max: 6 }, "1"),
            "must be 6 ASCII digits"
        );
        assert!(Rule::JsonText.check_text(field, r#"{"a":[1]}"#).is_ok());
        assert_eq!(bad(Rule::JsonText, "{a"), "must be a JSON text");
        assert_eq!(
            bad(Rule::NoWhitespace, "a b"),
            "must not contain white space"
        );
        assert_eq!(
            bad(Rule::OneOf(codes()), "3"),
            "must be 1 (register) or 2 (change password)"
        );
        let reasons: Vec<EnumCode> = (1..=5).map(|c| EnumCode::new(c.to_string(), "")).collect();
        assert!(
            Rule::CommaCodes(reasons.clone())
                .check_text(field, "1,2, 5")
                .is_ok()
        );
        assert!(
            Rule::CommaCodes(reasons.clone())
                .check_text(field, "1,1")
                .is_err()
        );
        assert_eq!(
            bad(Rule::CommaCodes(reasons), "6"),
            "must list codes 1, 2, 3, 4 or 5 separated by commas, none twice"
        );
        let range = Rule::Range {
            min: Some(1),
            max: Some(2),
        };
        assert!(range.check_number(field, 2).is_ok());
        assert_eq!(
            range.check_number(field, 3).unwrap_err().rule,
            "must be between 1 and 2"
        );
        assert!(range.check_text(field, "x").is_err());
        assert!(Rule::MaxItems(2).check_items(field, 2).is_ok());
        assert_eq!(
            Rule::MaxItems(2).check_items(field, 3).unwrap_err().rule,
            "must hold at most 2 entries"
        );
        assert!(Rule::MaxChars(1).check_items(field, 9).is_ok());
    }

    #[test]
    fn date_rules() {
        let field = "p.birthday";
        let earliest = Rule::NotBefore {
            year: 1900,
            month: 1,
            day: 1,
        };
        assert!(earliest.check_text(field, "1900-01-01 00:00:00").is_ok());
        assert_eq!(
            earliest
                .check_text(field, "1899-12-31 23:59:59")
                .unwrap_err()
                .rule,
            "must not be before 1900-01-01"
        );
        assert!(
            earliest.check_text(field, "1900-01-01").is_err(),
            "not a date and time"
        );
        let tomorrow = Utc::now() + chrono::TimeDelta::days(1);
        assert_eq!(
            Rule::NotFuture
                .check_date(field, tomorrow)
                .unwrap_err()
                .rule,
            "must not be in the future"
        );
        assert!(Rule::NotFuture.check_date(field, Utc::now()).is_ok());
        assert!(Rule::MaxChars(1).check_date(field, tomorrow).is_ok());
    }

    #[test]
    fn lazy_fields_are_named_only_on_failure() {
        let named = std::cell::Cell::new(0);
        let field = || {
            named.set(named.get() + 1);
            "list[3].mobile".to_owned()
        };
        assert!(
            Rule::MainlandMobile
                .check_text_at(field, "13800000001")
                .is_ok()
        );
        assert_eq!(named.get(), 0);
        let err = Rule::MainlandMobile
            .check_text_at(field, "1380000000")
            .unwrap_err();
        assert_eq!((named.get(), &*err.field), (1, "list[3].mobile"));
        assert_eq!(err.rule, Rule::MainlandMobile.message());
        let err = Rule::Range {
            min: Some(1),
            max: None,
        }
        .check_number_at(|| "n".into(), 0)
        .unwrap_err();
        assert_eq!(&*err.field, "n");
        let err = Rule::MaxItems(1)
            .check_items_at(|| "l".into(), 2)
            .unwrap_err();
        assert_eq!(
            (&*err.field, &*err.rule),
            ("l", "must hold at most one entry")
        );
    }

    #[test]
    fn errors_never_carry_the_value() {
        let err = Rule::MainlandMobile
            .check_text("user.mobile", "13812345678x")
            .unwrap_err();
        assert!(!err.to_string().contains("13812345678"), "{err}");
    }
}
