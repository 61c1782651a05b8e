//! Dates as feeds write them, read as feedparser reads them: RFC 822 with
//! any zone (names, military letters, `GMT+2`, none), two-digit years and
//! missing seconds; W3C-DTF and ISO 8601 (`2003-12-31T10:14:55Z`,
//! `20031231T101455-0500`, a date alone, a month alone); asctime; and
//! slashed dates (`2006/09/15 08:19:53 EDT`). A date with no zone is UTC.

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::Offset;

/// Seconds since the epoch for a date written any way a feed writes one;
/// None for what is no date.
pub fn feed_date(text: &str) -> Option<i64> {
    let text = text.trim();
    if text.len() > 100 {
        return None;
    }
    let parts = if text.as_bytes().first().is_some_and(u8::is_ascii_digit)
        && text.as_bytes().get(..4)?.iter().all(u8::is_ascii_digit)
    {
        iso(text).or_else(|| words(text))
    } else {
        words(text)
    }?;
    parts.seconds()
}

#[derive(Default)]
struct Parts {
    year: Option<i32>,
    month: Option<i32>,
    day: Option<i32>,
    hour: i32,
    minute: i32,
    second: i32,
    /// Seconds east of UTC.
    offset: i32,
}

impl Parts {
    fn seconds(&self) -> Option<i64> {
        let year = match self.year? {
            y @ 0..=49 => y + 2000,
            y @ 50..=99 => y + 1900,
            y => y,
        };
        let date = Date::new(
            i16::try_from(year).ok()?,
            i8::try_from(self.month.unwrap_or(1)).ok()?,
            i8::try_from(self.day.unwrap_or(1)).ok()?,
        )
        .ok()?;
        let hour = i8::try_from(self.hour).ok()?;
        // 24:00 is the next midnight, as ISO 8601 allows.
        let (hour, extra) = if hour == 24 { (0, 86_400) } else { (hour, 0) };
        let time = Time::new(
            hour,
            i8::try_from(self.minute).ok()?,
            i8::try_from(self.second.min(59)).ok()?,
            0,
        )
        .ok()?;
        let offset = Offset::from_seconds(self.offset).ok()?;
        let at = offset.to_timestamp(DateTime::from_parts(date, time)).ok()?;
        Some(at.as_second() + extra)
    }
}

/// `2003-12-31T10:14:55.123-05:00`, `20031231T101455Z`, `2003-12`,
/// `2003-12-31 10:14`.
fn iso(text: &str) -> Option<Parts> {
    let mut parts = Parts::default();
    let bytes = text.as_bytes();
    let mut at = 0;
    let number = |at: &mut usize, width: usize| -> Option<i32> {
        let digits = bytes.get(*at..*at + width)?;
        if !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        *at += width;
        std::str::from_utf8(digits).ok()?.parse().ok()
    };
    parts.year = Some(number(&mut at, 4)?);
    let dashed = bytes.get(at) == Some(&b'-');
    at += usize::from(dashed);
    if let Some(month) = number(&mut at, 2) {
        parts.month = Some(month);
        at += usize::from(dashed && bytes.get(at) == Some(&b'-'));
        parts.day = number(&mut at, 2);
    }
    if matches!(bytes.get(at), Some(b'T' | b't' | b' ')) {
        at += 1;
        parts.hour = number(&mut at, 2)?;
        at += usize::from(bytes.get(at) == Some(&b':'));
        parts.minute = number(&mut at, 2)?;
        at += usize::from(bytes.get(at) == Some(&b':'));
        if let Some(second) = number(&mut at, 2) {
            parts.second = second;
            if matches!(bytes.get(at), Some(b'.' | b',')) {
                at += 1;
                while bytes.get(at).is_some_and(u8::is_ascii_digit) {
                    at += 1;
                }
            }
        }
    }
    let zone = text[at..].trim();
    if !zone.is_empty() {
        parts.offset = offset(zone)?;
    }
    Some(parts)
}

/// RFC 822, asctime and the rest: the fields told apart by their form.
fn words(text: &str) -> Option<Parts> {
    let mut parts = Parts::default();
    let mut pm = None;
    let tokens = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty());
    for token in tokens {
        let lower = token.to_ascii_lowercase();
        let first = token.chars().next()?;
        if first.is_ascii_digit() && token.contains(':') {
            let mut fields = token
                .split(':')
                .map(|f| f.trim_end_matches('.').parse::<i32>());
            parts.hour = fields.next()?.ok()?;
            parts.minute = fields.next()?.ok()?;
            parts.second = fields.next().and_then(Result::ok).unwrap_or(0);
        } else if first.is_ascii_digit() && token.contains(['/', '-']) {
            // 2006/09/15 or 15-Sep-2006 or 09/15/2006
            let fields: Vec<&str> = token.split(['/', '-']).collect();
            let [a, b, c] = fields[..] else { return None };
            let month = b.parse().ok().or_else(|| month(&b.to_ascii_lowercase()));
            if a.len() == 4 {
                (parts.year, parts.month, parts.day) = (a.parse().ok(), month, c.parse().ok());
            } else {
                (parts.day, parts.month, parts.year) = (a.parse().ok(), month, c.parse().ok());
            }
        } else if first.is_ascii_digit() {
            let n: i32 = token.trim_end_matches('.').parse().ok()?;
            if token.len() >= 3 || parts.day.is_some() {
                parts.year = Some(n);
            } else {
                parts.day = Some(n);
            }
        } else if let Some(m) = month(&lower) {
            parts.month = Some(m);
        } else if lower == "am" || lower == "pm" {
            pm = Some(lower == "pm");
        } else if let Some(seconds) = offset(token) {
            parts.offset = seconds;
        } else if !is_day_name(&lower) {
            return None;
        }
    }
    match pm {
        Some(true) if parts.hour < 12 => parts.hour += 12,
        Some(false) if parts.hour == 12 => parts.hour = 0,
        _ => {}
    }
    parts.day?;
    parts.month?;
    Some(parts)
}

fn month(word: &str) -> Option<i32> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let prefix = word.get(..3)?;
    MONTHS
        .iter()
        .position(|m| *m == prefix)
        .map(|i| i as i32 + 1)
}

fn is_day_name(word: &str) -> bool {
    const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    word.get(..3).is_some_and(|prefix| DAYS.contains(&prefix))
}

/// A zone as seconds east of UTC: `Z`, `+0200`, `-05:00`, `+2`, `GMT+2`,
/// `EST`, a military letter.
fn offset(zone: &str) -> Option<i32> {
    let upper = zone.trim().to_ascii_uppercase();
    let upper = upper.trim_matches(|c| c == '(' || c == ')');
    let numeric = upper
        .strip_prefix("GMT")
        .or_else(|| upper.strip_prefix("UTC"))
        .filter(|rest| !rest.is_empty())
        .unwrap_or(upper);
    if let Some(sign) = numeric.chars().next().filter(|c| *c == '+' || *c == '-') {
        let digits: String = numeric[1..].chars().filter(char::is_ascii_digit).collect();
        let (hours, minutes) = match digits.len() {
            1 | 2 => (digits.parse::<i32>().ok()?, 0),
            3 | 4 => (
                digits[..digits.len() - 2].parse().ok()?,
                digits[digits.len() - 2..].parse::<i32>().ok()?,
            ),
            _ => return None,
        };
        let seconds = hours * 3600 + minutes * 60;
        return Some(if sign == '-' { -seconds } else { seconds });
    }
    let hours = match upper {
        "Z" | "UT" | "UTC" | "GMT" | "WET" => 0,
        "EST" => -5,
        "EDT" => -4,
        "CST" => -6,
        "CDT" => -5,
        "MST" => -7,
        "MDT" => -6,
        "PST" => -8,
        "PDT" => -7,
        "AST" => -4,
        "ADT" => -3,
        "BST" | "CET" | "MET" | "WEST" => 1,
        "CEST" | "EET" | "MEST" => 2,
        "EEST" | "MSK" => 3,
        "IST" => return Some(5 * 3600 + 1800),
        "JST" | "KST" => 9,
        "HST" => -10,
        "AKST" => -9,
        "AKDT" => -8,
        "NZST" => 12,
        "NZDT" => 13,
        "AEST" => 10,
        "AEDT" => 11,
        // Military letters: A-I and K-M east, N-Y west.
        letter if letter.len() == 1 => {
            let c = letter.as_bytes()[0];
            match c {
                b'A'..=b'I' => i32::from(c - b'A' + 1),
                b'K'..=b'M' => i32::from(c - b'K' + 10),
                b'N'..=b'Y' => -i32::from(c - b'N' + 1),
                _ => return None,
            }
        }
        _ => return None,
    };
    Some(hours * 3600)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2004-01-01T19:48:21Z.
    const AT: i64 = 1_072_986_501;

    #[test]
    fn every_form_feeds_write_reads_to_the_same_instant() {
        for written in [
            "Thu, 01 Jan 2004 19:48:21 GMT",
            "Thu, 01 Jan 2004 19:48:21 +0000",
            "Thu, 1 Jan 04 19:48:21 GMT",
            "thu, 01 jan 2004 14:48:21 EST",
            "Thu, 01 Jan 2004 21:48:21 GMT+2",
            "Thu, 01 Jan 2004 14:48:21 R",
            "Thursday, 01 January 2004 19:48:21",
            "Thu Jan  1 11:48:21 PST 2004",
            "2004-01-01T19:48:21Z",
            "2004-01-01T19:48:21.125+00:00",
            "2004-01-01T14:48:21-05:00",
            "20040101T194821Z",
            "2004-01-01 19:48:21",
            "2004/01/01 14:48:21 EST",
            "Thu, 01 Jan 2004 07:48:21 PM GMT",
        ] {
            assert_eq!(feed_date(written), Some(AT), "{written}");
        }
    }

    #[test]
    fn partial_dates_count_from_their_start_and_nonsense_is_none() {
        assert_eq!(feed_date("2004-01-01"), Some(1_072_915_200));
        assert_eq!(feed_date("2004-01"), Some(1_072_915_200));
        assert_eq!(feed_date("Thu, 01 Jan 2004"), Some(1_072_915_200));
        assert_eq!(feed_date("2004-01-01T24:00:00Z"), Some(1_073_001_600));
        for nonsense in ["", "soon", "2004-13-01", "Feb 30 2004", "yesterday at noon"] {
            assert_eq!(feed_date(nonsense), None, "{nonsense}");
        }
    }
}
