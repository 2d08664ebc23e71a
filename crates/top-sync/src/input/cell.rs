//! A workbook cell as the text a CSV cell would hold: a whole number as its digits (a mobile
//! typed as a number reads `13800000001`, never `1.38e10`), other numbers in plain decimal
//! notation, a date or time as its GMT+8 wall-clock text (`yyyy-MM-dd HH:mm:ss`: workbooks
//! keep no time zone, and TOP reads times as GMT+8), booleans as `true`/`false`.

use calamine::{Data, DataRef, ExcelDateTime};

/// The largest whole number an `f64` holds exactly (2^53).
const EXACT: f64 = 9_007_199_254_740_992.0;

/// A cell's text, or the spreadsheet error it holds (`#N/A`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CellText {
    /// Nothing in it.
    Empty,
    /// Its text.
    Text(String),
    /// A formula error.
    Error(String),
}

/// The text of a streamed cell.
pub(crate) fn cell_ref_text(cell: DataRef<'_>) -> CellText {
    match cell {
        DataRef::Empty => CellText::Empty,
        DataRef::String(s) => CellText::Text(s),
        DataRef::SharedString(s) => CellText::Text(s.to_owned()),
        DataRef::Int(i) => CellText::Text(i.to_string()),
        DataRef::Float(f) => CellText::Text(number_text(f)),
        DataRef::Bool(b) => CellText::Text(b.to_string()),
        DataRef::DateTime(dt) => CellText::Text(datetime_text(&dt)),
        DataRef::DateTimeIso(s) => CellText::Text(s.replacen('T', " ", 1)),
        DataRef::DurationIso(s) => CellText::Text(s),
        DataRef::Error(e) => CellText::Error(e.to_string()),
    }
}

/// The text of a cell of a sheet read whole (`.xls`, `.ods`).
pub(crate) fn cell_text(cell: &Data) -> CellText {
    match cell {
        Data::Empty => CellText::Empty,
        Data::String(s) => CellText::Text(s.clone()),
        Data::Int(i) => CellText::Text(i.to_string()),
        Data::Float(f) => CellText::Text(number_text(*f)),
        Data::Bool(b) => CellText::Text(b.to_string()),
        Data::DateTime(dt) => CellText::Text(datetime_text(dt)),
        Data::DateTimeIso(s) => CellText::Text(s.replacen('T', " ", 1)),
        Data::DurationIso(s) => CellText::Text(s.clone()),
        Data::Error(e) => CellText::Error(e.to_string()),
    }
}

/// A number in plain notation: whole numbers (exact up to 2^53) without `.0`, others as
/// the shortest decimal that reads back the same, never with an exponent.
pub(crate) fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() <= EXACT {
        // Exact: |f| <= 2^53 fits an i64 and is a whole number.
        format!("{}", f as i64)
    } else {
        // Rust prints f64 in plain decimal notation (no exponent) and shortest round-trip.
        format!("{f}")
    }
}

/// A date, time or datetime as `yyyy-MM-dd HH:mm:ss` (a duration as `HH:mm:ss`, hours
/// counting on past 24).
fn datetime_text(dt: &ExcelDateTime) -> String {
    if dt.is_duration() {
        let total = (dt.as_f64() * 86_400.0).round();
        let total = if total.is_finite() { total as i64 } else { 0 };
        let (sign, total) = if total < 0 {
            ("-", -total)
        } else {
            ("", total)
        };
        return format!(
            "{sign}{:02}:{:02}:{:02}",
            total / 3600,
            total / 60 % 60,
            total % 60
        );
    }
    let (year, month, day, hour, minute, second, milli) = dt.to_ymd_hms_milli();
    // Excel keeps milliseconds; a value typed to the second may read 999 ms short.
    let (hour, minute, second) = if milli >= 500 {
        carry_second(hour, minute, second)
    } else {
        (hour, minute, second)
    };
    format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}")
}

/// One second later, within the day (23:59:59.5 stays 23:59:59: the date is not moved).
fn carry_second(hour: u8, minute: u8, second: u8) -> (u8, u8, u8) {
    match (hour, minute, second) {
        (23, 59, 59) => (23, 59, 59),
        (h, 59, 59) => (h + 1, 0, 0),
        (h, m, 59) => (h, m + 1, 0),
        (h, m, s) => (h, m, s + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::ExcelDateTimeType;

    #[test]
    fn numbers_and_dates_as_text() {
        assert_eq!(number_text(13_800_000_001.0), "13800000001");
        assert_eq!(number_text(-3.0), "-3");
        assert_eq!(number_text(0.5), "0.5");
        assert_eq!(number_text(1e20), "100000000000000000000");
        assert_eq!(number_text(1.5e-7), "0.00000015");
        let dt = ExcelDateTime::new(45943.5, ExcelDateTimeType::DateTime, false);
        assert_eq!(datetime_text(&dt), "2025-10-13 12:00:00");
        let date = ExcelDateTime::new(45943.0, ExcelDateTimeType::DateTime, false);
        assert_eq!(datetime_text(&date), "2025-10-13 00:00:00");
        let duration = ExcelDateTime::new(1.5, ExcelDateTimeType::TimeDelta, false);
        assert_eq!(datetime_text(&duration), "36:00:00");
        assert_eq!(
            cell_ref_text(DataRef::Int(13_800_000_001)),
            CellText::Text("13800000001".into())
        );
        assert_eq!(
            cell_text(&Data::DateTimeIso("2024-01-02T03:04:05".into())),
            CellText::Text("2024-01-02 03:04:05".into())
        );
    }
}
