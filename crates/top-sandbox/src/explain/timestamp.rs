//! Code 31 explained: how far the timestamp is from the gateway's time, and the usual causes
//! (UTC or the host's zone instead of GMT+8, epoch seconds for milliseconds, a zone added to
//! epoch milliseconds, ISO 8601 and other layouts).

use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use top_core::time::{format_gmt8, parse_gmt8};

use crate::protocol::MAX_SKEW;
use crate::redact;

/// Zones whose offset is not a whole hour, in minutes (India, Nepal, Iran, Afghanistan,
/// Myanmar, central Australia, Newfoundland, the Marquesas, Chatham).
const ZONES_OFF_THE_HOUR: [i32; 11] = [330, 345, 210, 270, 390, 570, 630, 525, -210, -570, 765];

/// How far from a zone's offset a timestamp may be to be read as that zone's time.
const ZONE_TOLERANCE: TimeDelta = TimeDelta::minutes(5);

/// The explanation of a timestamp the gateway refused (unreadable, or too far from `now`).
pub(crate) fn explain(text: &str, now: DateTime<Utc>) -> String {
    let shown = redact::printable(text.trim(), 40);
    let fix = format!(
        "Send the current time in GMT+8 as `yyyy-MM-dd HH:mm:ss` (the gateway's time now: {}).",
        format_gmt8(now)
    );
    let trimmed = text.trim();
    let cause = if !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit()) {
        epoch(trimmed, &shown, now)
    } else if let Some(at) = parse_gmt8(trimmed) {
        skew(&shown, at - now, "")
    } else {
        layout(trimmed, &shown)
    };
    format!("{cause} {fix}")
}

/// A number: epoch milliseconds (accepted when close enough), or another unit.
fn epoch(digits: &str, shown: &str, now: DateTime<Utc>) -> String {
    let value: Option<i64> = digits.parse().ok();
    let unit = match digits.len() {
        9 | 10 => Some(("seconds", 1_000_i64)),
        16 => Some(("microseconds", 1)),
        19 => Some(("nanoseconds", 1)),
        _ => None,
    };
    if let (Some((name, factor)), Some(value)) = (unit, value) {
        let millis = if factor == 1 {
            value
                / if name == "microseconds" {
                    1_000
                } else {
                    1_000_000
                }
        } else {
            value.saturating_mul(factor)
        };
        let when = DateTime::from_timestamp_millis(millis)
            .map(|t| format!(" ({} GMT+8)", format_gmt8(t)))
            .unwrap_or_default();
        return format!(
            "The timestamp `{shown}` looks like epoch {name}{when}: the gateway reads a number \
             as epoch milliseconds (13 digits), which puts it far from now."
        );
    }
    match value.and_then(DateTime::from_timestamp_millis) {
        Some(at) => {
            let off = at - now;
            if near(off, TimeDelta::hours(8)) || near(off, TimeDelta::hours(-8)) {
                format!(
                    "The timestamp `{shown}` (epoch milliseconds) is {} {}: epoch milliseconds \
                     carry no time zone, so do not add or subtract 8 hours.",
                    span(off),
                    direction(off)
                )
            } else {
                skew(shown, off, " (read as epoch milliseconds)")
            }
        }
        None => format!("The timestamp `{shown}` is not a time the gateway reads."),
    }
}

/// A readable GMT+8 text too far from now.
fn skew(shown: &str, off: TimeDelta, read_as: &str) -> String {
    let head = format!(
        "The timestamp `{shown}`{read_as} is {} {}",
        span(off),
        direction(off)
    );
    if near(off, TimeDelta::hours(-8)) {
        return format!(
            "{head}: this is UTC, not GMT+8. Format the time in UTC+08:00 whatever the host's \
             zone."
        );
    }
    // The zone a host would be in to produce this text from the current time: a whole hour
    // or a real zone's half or three-quarter hour, within a few minutes.
    let zone = ZONES_OFF_THE_HOUR
        .iter()
        .map(|minutes| i64::from(*minutes) * 60)
        .chain((-12..=14).map(|hours| hours * 3600))
        .find(|zone| {
            let rounded = zone - 8 * 3600;
            rounded != 0 && (off - TimeDelta::seconds(rounded)).abs() <= ZONE_TOLERANCE
        });
    if let Some(zone) = zone {
        return format!(
            "{head}: this looks like the time in UTC{}, the host's own zone perhaps, not \
             GMT+8. Format the time in UTC+08:00 whatever the host's zone.",
            utc_offset(zone)
        );
    }
    format!(
        "{head}; the gateway accepts at most {} minutes either way: check the host's clock \
         (NTP), and take a fresh timestamp for every call (a resent call is signed again).",
        MAX_SKEW.num_minutes()
    )
}

/// A text in another layout.
fn layout(text: &str, shown: &str) -> String {
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return format!(
            "The timestamp `{shown}` is ISO 8601 (RFC 3339): the gateway reads only \
             `yyyy-MM-dd HH:mm:ss` in GMT+8, no `T` and no zone (this instant is {} there).",
            format_gmt8(at.with_timezone(&Utc))
        );
    }
    let layouts = [
        (
            "%Y-%m-%dT%H:%M:%S",
            "has a `T` between the date and the time",
        ),
        (
            "%Y-%m-%dT%H:%M:%S%.f",
            "has a `T` and fractions of a second",
        ),
        ("%Y-%m-%d %H:%M:%S%.f", "has fractions of a second"),
        ("%Y/%m/%d %H:%M:%S", "has `/` between the date's parts"),
        ("%Y-%m-%d %H:%M", "has no seconds"),
    ];
    let why = layouts
        .iter()
        .find(|(layout, _)| NaiveDateTime::parse_from_str(text, layout).is_ok())
        .map(|(_, why)| *why)
        .unwrap_or("is not a time the gateway reads");
    format!("The timestamp `{shown}` {why}.")
}

/// Whether `off` is within the accepted skew of `target`.
fn near(off: TimeDelta, target: TimeDelta) -> bool {
    (off - target).abs() <= MAX_SKEW
}

fn direction(off: TimeDelta) -> &'static str {
    if off < TimeDelta::zero() {
        "behind the gateway's time"
    } else {
        "ahead of the gateway's time"
    }
}

/// `8 hours`, `8 hours 2 min`, `12 min 5 s`, `3 days 4 hours`.
fn span(off: TimeDelta) -> String {
    let secs = off.num_seconds().unsigned_abs();
    let (days, hours, minutes, seconds) = (
        secs / 86_400,
        secs % 86_400 / 3_600,
        secs % 3_600 / 60,
        secs % 60,
    );
    let plural = |n: u64, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    match (days, hours, minutes) {
        (0, 0, 0) => format!("{seconds} s"),
        (0, 0, m) => format!("{m} min {seconds} s"),
        (0, h, 0) if seconds == 0 => plural(h, "hour"),
        (0, h, m) => format!("{} {m} min", plural(h, "hour")),
        (d, h, _) => format!("{} {}", plural(d, "day"), plural(h, "hour")),
    }
}

/// `+09:00`, `-05:00`, `+05:30`, and nothing for zero.
fn utc_offset(seconds: i64) -> String {
    if seconds == 0 {
        return String::new();
    }
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        parse_gmt8("2024-01-01 12:00:00").unwrap()
    }

    #[test]
    fn causes() {
        let utc = explain("2024-01-01 04:00:03", now());
        assert!(
            utc.contains("8 hours 0 min behind") || utc.contains("behind"),
            "{utc}"
        );
        assert!(utc.contains("this is UTC, not GMT+8"), "{utc}");
        let tokyo = explain("2024-01-01 13:00:00", now());
        assert!(
            tokyo.contains("1 hour ahead") && tokyo.contains("UTC+09:00"),
            "{tokyo}"
        );
        let india = explain("2024-01-01 09:30:00", now());
        assert!(india.contains("UTC+05:30"), "{india}");
        let bangkok = explain("2024-01-01 11:00:00", now());
        assert!(bangkok.contains("UTC+07:00"), "{bangkok}");
        let half = explain("2024-01-01 11:30:00", now());
        assert!(
            half.contains("30 min 0 s behind") && !half.contains("UTC+"),
            "{half}"
        );
        let odd = explain("2024-01-01 11:37:00", now());
        assert!(
            odd.contains("23 min 0 s behind") && odd.contains("NTP"),
            "{odd}"
        );
        let secs = explain("1704081600", now());
        assert!(
            secs.contains("epoch seconds (2024-01-01 12:00:00 GMT+8)"),
            "{secs}"
        );
        let plus8 = explain(&(1_704_081_600_000_i64 + 8 * 3_600_000).to_string(), now());
        assert!(plus8.contains("do not add or subtract 8 hours"), "{plus8}");
        let iso = explain("2024-01-01T12:00:00+08:00", now());
        assert!(
            iso.contains("ISO 8601") && iso.contains("2024-01-01 12:00:00 there"),
            "{iso}"
        );
        assert!(explain("2024/01/01 12:00:00", now()).contains("`/`"));
        assert!(explain("2024-01-01 12:00", now()).contains("no seconds"));
        assert!(explain("soon", now()).contains("not a time"));
        assert!(explain("99999999999999999999999", now()).contains("not a time"));
        assert!(explain("", now()).contains("not a time"));
        assert_eq!(
            span(TimeDelta::days(3) + TimeDelta::hours(4)),
            "3 days 4 hours"
        );
        assert_eq!(span(TimeDelta::seconds(-5)), "5 s");
    }

    proptest::proptest! {
        #[test]
        fn never_panics(text in ".{0,40}", offset in proptest::num::i64::ANY) {
            let _ = explain(&text, now());
            let _ = explain(&offset.to_string(), now());
        }
    }
}
