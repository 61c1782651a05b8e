//! Dates and times, all through `jiff`: stories' TOML dates as instants to
//! order by, and the marks' UTC times (milliseconds since the epoch, written
//! `2026-11-26T12:00:00.123Z`).

mod feed_date;

pub use feed_date::feed_date;

use jiff::Timestamp;
use jiff::civil::{Date, DateTime, Time};
use jiff::tz::Offset;
use toml::value::{Datetime, Offset as TomlOffset};

/// Seconds since the Unix epoch, for ordering. A date alone counts as its
/// midnight, a local date-time as if it were UTC; None for what is no real
/// instant.
pub fn timestamp(datetime: &Datetime) -> Option<i64> {
    instant(datetime).map(Timestamp::as_second)
}

/// Milliseconds since the Unix epoch, as [`timestamp`] reads the date.
pub fn millis(datetime: &Datetime) -> Option<i64> {
    instant(datetime).map(Timestamp::as_millisecond)
}

fn instant(datetime: &Datetime) -> Option<Timestamp> {
    let date = datetime.date?;
    let date = Date::new(
        i16::try_from(date.year).ok()?,
        i8::try_from(date.month).ok()?,
        i8::try_from(date.day).ok()?,
    )
    .ok()?;
    let time = match datetime.time {
        None => Time::midnight(),
        Some(t) => Time::new(
            i8::try_from(t.hour).ok()?,
            i8::try_from(t.minute).ok()?,
            // TOML allows a leap second; an instant has none.
            i8::try_from(t.second.unwrap_or(0).min(59)).ok()?,
            i32::try_from(t.nanosecond.unwrap_or(0)).ok()?,
        )
        .ok()?,
    };
    let offset = match datetime.offset {
        Some(TomlOffset::Custom { minutes }) => {
            Offset::from_seconds(i32::from(minutes) * 60).ok()?
        }
        Some(TomlOffset::Z) | None => Offset::UTC,
    };
    offset.to_timestamp(DateTime::from_parts(date, time)).ok()
}

/// A story's date as a reader wants it: a date alone as written
/// (`2026-11-20`), a date-time to the minute in this machine's time zone
/// (`2026-11-27 09:00`), a local date-time (no offset) to the minute as
/// written. As TOML writes it, if it is no real date.
pub fn shown(datetime: &Datetime) -> String {
    shown_in(datetime, &jiff::tz::TimeZone::system())
}

fn shown_in(datetime: &Datetime, zone: &jiff::tz::TimeZone) -> String {
    match (datetime.time, instant(datetime)) {
        (Some(_), Some(at)) => {
            // A local date-time was read as UTC: shown back as written.
            let zone = match datetime.offset {
                Some(_) => zone.clone(),
                None => jiff::tz::TimeZone::UTC,
            };
            at.to_zoned_datetime(zone)
                .strftime("%Y-%m-%d %H:%M")
                .to_string()
        }
        _ => datetime.to_string(),
    }
}

/// The time of day now, to the minute, in this machine's time zone
/// (`09:42`): when something last happened, for the status line.
pub fn clock_now() -> String {
    Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::system())
        .strftime("%H:%M")
        .to_string()
}

/// `seconds` since the epoch as a TOML date-time in UTC
/// (`2026-11-27T10:00:00Z`); None outside the years jiff can write.
pub fn toml_datetime(seconds: i64) -> Option<Datetime> {
    Timestamp::from_second(seconds)
        .ok()?
        .to_string()
        .parse()
        .ok()
}

/// Now, in milliseconds since the epoch.
pub fn now_millis() -> i64 {
    Timestamp::now().as_millisecond()
}

/// `millis` as an RFC 3339 UTC date-time with milliseconds,
/// `2026-11-26T12:00:00.123Z`; an instant before the year 0000 or after
/// 9999-12-30T22:00 is written as the nearest of those.
pub fn write_millis(out: &mut String, millis: i64) {
    // 0000-01-01T00:00:00.000Z; past the other end, jiff's last instant.
    const FIRST: i64 = -62_167_219_200_000;
    let at = Timestamp::from_millisecond(millis.max(FIRST)).unwrap_or(Timestamp::MAX);
    let t = Offset::UTC.to_datetime(at);
    // By hand rather than strftime, which takes half again as long on a
    // state file of 100,000 marks.
    let mut text = *b"0000-00-00T00:00:00.000Z";
    let fields = [
        (0, 4, i32::from(t.year())),
        (5, 2, i32::from(t.month())),
        (8, 2, i32::from(t.day())),
        (11, 2, i32::from(t.hour())),
        (14, 2, i32::from(t.minute())),
        (17, 2, i32::from(t.second())),
        (20, 3, t.subsec_nanosecond() / 1_000_000),
    ];
    for (start, width, mut n) in fields {
        for slot in text[start..start + width].iter_mut().rev() {
            *slot = b'0' + (n % 10) as u8;
            n /= 10;
        }
    }
    out.push_str(std::str::from_utf8(&text).unwrap_or_default());
}

/// The inverse of [`write_millis`]: exactly that layout, a real date and
/// time, or None.
pub fn parse_millis(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    let layout = b.len() == 24
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && b[19] == b'.'
        && b[23] == b'Z';
    if !layout {
        return None;
    }
    // The fields by hand and jiff for the checks: jiff's own parser takes
    // an eighth longer on a state file of 100,000 marks.
    let number = |at: usize, width: usize| -> Option<i16> {
        b[at..at + width].iter().try_fold(0i16, |n, &digit| {
            digit
                .is_ascii_digit()
                .then(|| n * 10 + i16::from(digit - b'0'))
        })
    };
    let small = |at| number(at, 2).and_then(|n| i8::try_from(n).ok());
    let date = Date::new(number(0, 4)?, small(5)?, small(8)?).ok()?;
    let millis = i32::from(number(20, 3)?);
    let time = Time::new(small(11)?, small(14)?, small(17)?, millis * 1_000_000).ok()?;
    Offset::UTC
        .to_timestamp(DateTime::from_parts(date, time))
        .ok()
        .map(Timestamp::as_millisecond)
}

/// A compact UTC time for file names: `20261126T120000`.
pub fn file_stamp() -> String {
    Timestamp::now().strftime("%Y%m%dT%H%M%S").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toml_date(text: &str) -> Datetime {
        text.parse().unwrap()
    }

    #[test]
    fn dates_are_shown_to_the_minute_in_the_readers_zone() {
        let plus_one = jiff::tz::TimeZone::fixed(Offset::from_hours(1).unwrap());
        let shown = |text: &str| shown_in(&toml_date(text), &plus_one);
        assert_eq!(shown("2026-11-20"), "2026-11-20");
        assert_eq!(shown("2026-11-27T08:00:00Z"), "2026-11-27 09:00");
        assert_eq!(shown("2026-07-01T23:30:00-04:00"), "2026-07-02 04:30");
        assert_eq!(shown("2026-11-27T08:05:59"), "2026-11-27 08:05");
        assert_eq!(shown("12:30:00"), "12:30:00");
    }

    #[test]
    fn timestamps_order_dates_and_offsets() {
        let ts = |s: &str| timestamp(&toml_date(s)).unwrap();
        assert_eq!(ts("1970-01-01"), 0);
        assert_eq!(ts("1970-01-02T00:00:00Z"), 86_400);
        assert_eq!(ts("2026-11-26T12:00:00+01:00"), ts("2026-11-26T11:00:00Z"));
        assert!(ts("2024-02-29") < ts("2024-03-01"));
        assert_eq!(ts("2026-11-26T12:00:00"), ts("2026-11-26T12:00:00Z"));
        assert_eq!(ts("1600-03-01"), -11_670_912_000);
    }

    #[test]
    fn a_leap_second_counts_as_the_second_before() {
        let ts = |s: &str| timestamp(&toml_date(s)).unwrap();
        assert_eq!(ts("2016-12-31T23:59:60Z"), ts("2016-12-31T23:59:59Z"));
    }

    #[test]
    fn marks_times_round_trip() {
        for millis in [0, 86_400_000, 1_764_158_400_123, -1, -62_167_219_200_000] {
            let mut text = String::new();
            write_millis(&mut text, millis);
            assert_eq!(parse_millis(&text), Some(millis), "{text}");
        }
        let mut text = String::new();
        write_millis(&mut text, 1_764_158_400_123);
        assert_eq!(text, "2025-11-26T12:00:00.123Z");
    }

    #[test]
    fn times_past_the_four_digit_years_are_written_as_the_nearest() {
        let mut text = String::new();
        write_millis(&mut text, i64::MAX);
        assert_eq!(text, "9999-12-30T22:00:00.999Z");
        text.clear();
        write_millis(&mut text, i64::MIN);
        assert_eq!(text, "0000-01-01T00:00:00.000Z");
    }

    #[test]
    fn parsing_checks_the_layout_and_the_ranges() {
        assert_eq!(
            parse_millis("2026-11-26T12:00:00.123Z"),
            Some(1_795_694_400_123)
        );
        for bad in [
            "2026-13-26T12:00:00.123Z",
            "2026-02-30T12:00:00.123Z",
            "2026-11-26T25:00:00.123Z",
            "2026-11-26T12:61:00.123Z",
            "2026-11-26 12:00:00.123Z",
            "2026-11-26T12:00:00Z",
            "2026-11-26T12:00:00.123+01:00",
            "",
        ] {
            assert_eq!(parse_millis(bad), None, "{bad}");
        }
    }
}
