//! GMT+8 timestamps (`yyyy-MM-dd HH:mm:ss`) from an injectable clock, whatever the host zone.

use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDateTime, TimeDelta, Timelike, Utc};

/// The TOP zone offset: the gateway reads every timestamp as UTC+08:00.
const GMT8: TimeDelta = TimeDelta::hours(8);
const FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// A source of the current time; swap it in tests.
pub trait Clock: Send + Sync + fmt::Debug {
    /// The current instant.
    fn now(&self) -> DateTime<Utc>;
}

/// The system clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock stopped at one instant.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

impl<C: Clock + ?Sized> Clock for Arc<C> {
    fn now(&self) -> DateTime<Utc> {
        (**self).now()
    }
}

/// Formats an instant as TOP's GMT+8 `yyyy-MM-dd HH:mm:ss`.
///
/// ```
/// use top_core::time::format_gmt8;
/// let t = chrono::DateTime::from_timestamp(1_704_081_600, 0).unwrap(); // 2024-01-01 04:00 UTC
/// assert_eq!(format_gmt8(t), "2024-01-01 12:00:00");
/// ```
pub fn format_gmt8(instant: DateTime<Utc>) -> String {
    let t = (instant + GMT8).naive_utc();
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// An instant in TOP's zone (UTC+08:00), for texts other than TOP's own format (the
/// sandbox's call log writes RFC 3339 with it).
///
/// ```
/// use chrono::SecondsFormat;
/// use top_core::time::in_gmt8;
/// let t = chrono::DateTime::from_timestamp(1_704_081_600, 0).unwrap(); // 2024-01-01 04:00 UTC
/// assert_eq!(in_gmt8(t).to_rfc3339_opts(SecondsFormat::Secs, false), "2024-01-01T12:00:00+08:00");
/// ```
pub fn in_gmt8(instant: DateTime<Utc>) -> DateTime<FixedOffset> {
    match i32::try_from(GMT8.num_seconds())
        .ok()
        .and_then(FixedOffset::east_opt)
    {
        Some(zone) => instant.with_timezone(&zone),
        // Eight hours is a valid offset; this arm only keeps the function total.
        None => instant.fixed_offset(),
    }
}

/// Parses a GMT+8 `yyyy-MM-dd HH:mm:ss` string.
pub fn parse_gmt8(text: &str) -> Option<DateTime<Utc>> {
    let naive = NaiveDateTime::parse_from_str(text.trim(), FORMAT).ok()?;
    Some((naive - GMT8).and_utc())
}

/// Parses a `timestamp` as the gateway accepts it: GMT+8 `yyyy-MM-dd HH:mm:ss`, or epoch
/// milliseconds (as the official-derived Python SDK sends).
pub fn parse_timestamp(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return DateTime::from_timestamp_millis(text.parse().ok()?);
    }
    parse_gmt8(text)
}

/// Serde for `DateTime<Utc>` fields sent as GMT+8 `yyyy-MM-dd HH:mm:ss`
/// (`#[serde(with = "top_core::time::gmt8")]`). Reads epoch milliseconds too.
pub mod gmt8 {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serializer, de::Error as _};

    /// Writes the GMT+8 string.
    pub fn serialize<S: Serializer>(value: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::format_gmt8(*value))
    }

    /// Reads a GMT+8 string or epoch milliseconds.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        let text = match &v {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Number(n) => n.to_string(),
            _ => return Err(D::Error::custom("expected a date `yyyy-MM-dd HH:mm:ss`")),
        };
        super::parse_timestamp(&text)
            .ok_or_else(|| D::Error::custom("expected a date `yyyy-MM-dd HH:mm:ss` (GMT+8)"))
    }

    /// The same for `Option<DateTime<Utc>>` (`#[serde(default, with = "top_core::time::gmt8::option")]`).
    pub mod option {
        use chrono::{DateTime, Utc};
        use serde::{Deserialize, Deserializer, Serializer};

        /// Writes the GMT+8 string, or nothing.
        pub fn serialize<S: Serializer>(
            value: &Option<DateTime<Utc>>,
            s: S,
        ) -> Result<S::Ok, S::Error> {
            match value {
                Some(v) => super::serialize(v, s),
                None => s.serialize_none(),
            }
        }

        /// Reads a GMT+8 string, epoch milliseconds or null.
        pub fn deserialize<'de, D: Deserializer<'de>>(
            d: D,
        ) -> Result<Option<DateTime<Utc>>, D::Error> {
            #[derive(Deserialize)]
            struct Wrap(#[serde(with = "super")] DateTime<Utc>);
            Ok(Option::<Wrap>::deserialize(d)?.map(|w| w.0))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn crosses_the_day_boundary() {
        assert_eq!(
            format_gmt8(utc("2023-12-31T16:00:00Z")),
            "2024-01-01 00:00:00"
        );
        assert_eq!(
            format_gmt8(utc("2023-12-31T15:59:59Z")),
            "2023-12-31 23:59:59"
        );
        assert_eq!(
            format_gmt8(utc("2024-02-28T20:30:05Z")),
            "2024-02-29 04:30:05"
        );
        assert_eq!(
            FixedClock(utc("2024-01-01T04:00:00Z")).now(),
            utc("2024-01-01T04:00:00Z")
        );
    }

    #[test]
    fn parses_both_timestamp_forms() {
        let t = utc("2024-01-01T04:00:00Z");
        assert_eq!(parse_gmt8("2024-01-01 12:00:00"), Some(t));
        assert_eq!(parse_timestamp("2024-01-01 12:00:00"), Some(t));
        assert_eq!(parse_timestamp("1704081600000"), Some(t));
        assert_eq!(parse_timestamp("2024-13-01 12:00:00"), None);
        assert_eq!(parse_timestamp(""), None);
        assert_eq!(parse_timestamp("99999999999999999999999"), None);
    }

    #[test]
    fn serde_helper_writes_gmt8() {
        #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
        struct S {
            #[serde(with = "gmt8")]
            at: DateTime<Utc>,
            #[serde(
                default,
                with = "gmt8::option",
                skip_serializing_if = "Option::is_none"
            )]
            maybe: Option<DateTime<Utc>>,
        }
        let s = S {
            at: utc("2009-12-31T16:00:00Z"),
            maybe: None,
        };
        let text = serde_json::to_string(&s).unwrap();
        assert_eq!(text, r#"{"at":"2010-01-01 00:00:00"}"#);
        assert_eq!(serde_json::from_str::<S>(&text).unwrap(), s);
        let with: S =
            serde_json::from_str(r#"{"at":1262275200000,"maybe":"2010-01-01 00:00:00"}"#).unwrap();
        assert_eq!(with.maybe, Some(s.at));
    }

    /// Runs the formatter in a child process under other host time zones: the host zone must
    /// never leak into a TOP timestamp.
    #[test]
    fn host_time_zone_is_ignored() {
        if let Ok(zone) = std::env::var("TOP_CORE_TZ_CHILD") {
            let t = utc("2024-01-01T04:00:00Z");
            assert_eq!(format_gmt8(t), "2024-01-01 12:00:00", "under TZ={zone}");
            assert_eq!(format_gmt8(SystemClock.now()).len(), 19);
            return;
        }
        let exe = std::env::current_exe().unwrap();
        for zone in ["UTC", "America/New_York", "Asia/Kolkata"] {
            let out = std::process::Command::new(&exe)
                .args([
                    "--exact",
                    "time::tests::host_time_zone_is_ignored",
                    "--nocapture",
                ])
                .env("TZ", zone)
                .env("TOP_CORE_TZ_CHILD", zone)
                .output()
                .unwrap();
            let stdout = String::from_utf8_lossy(&out.stdout);
            assert!(out.status.success(), "TZ={zone}: {stdout}");
            assert!(
                stdout.contains("1 passed"),
                "TZ={zone}: child ran no test: {stdout}"
            );
        }
    }
}
