//! A query: words for the search engine, and filters beside them
//! (`feed:NAME`, `tag:NAME`, `is:unread`, `is:read`, `is:starred`,
//! `since:WHEN`, `before:WHEN`, each negated by a `-` in front). The same
//! syntax for `/`, `tidings search`, `tidings mark --query` and saved
//! searches.

use jiff::{Timestamp, tz::TimeZone};

/// A query taken apart: the words, as the search engine reads them, and
/// the filters.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    pub words: String,
    pub filters: Vec<Clause>,
}

/// One filter, maybe negated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    pub negated: bool,
    pub filter: Filter,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    /// Part of a feed's title or address.
    Feed(String),
    /// A tag, whole, in any case.
    Tag(String),
    Unread,
    Read,
    Starred,
    /// Dated at or after this second.
    Since(i64),
    /// Dated before this second.
    Before(i64),
}

/// The filters there are, as the error for an unknown one names them.
pub const KNOWN: &str = "feed:NAME, tag:NAME, is:unread, is:read, is:starred, since:WHEN, before:WHEN (- in front negates)";

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("unknown filter “{0}:”; the filters are {KNOWN}")]
    Unknown(String),
    #[error("unknown filter “is:{0}”; is: takes unread, read or starred")]
    UnknownIs(String),
    #[error("{0}: wants a time ago (30m, 12h, 7d, 2w) or a date (2026-11-01), not “{1}”")]
    When(&'static str, String),
    #[error("{0}: needs a name after it")]
    Empty(&'static str),
}

impl Query {
    /// Takes a query apart; `now` (seconds) is what `since:7d` counts back
    /// from.
    pub fn parse(text: &str, now: i64) -> Result<Query, QueryError> {
        let mut query = Query::default();
        let mut rest = text.trim_start();
        while !rest.is_empty() {
            let (token, after) = next_token(rest);
            match filter_of(token, now)? {
                Some(term) => query.filters.push(term),
                None => {
                    if !query.words.is_empty() {
                        query.words.push(' ');
                    }
                    query.words.push_str(token);
                }
            }
            rest = after.trim_start();
        }
        Ok(query)
    }

    /// Filters and no words: a list of stories, not a search.
    pub fn is_filters_only(&self) -> bool {
        self.words.trim().is_empty() && !self.filters.is_empty()
    }
}

/// The first token of `text` (which starts with no space) and what
/// follows: up to a space outside double quotes, so `"harbor strike"`
/// and `feed:"Harbor Gazette"` are one token each.
fn next_token(text: &str) -> (&str, &str) {
    let mut quoted = false;
    for (at, c) in text.char_indices() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => return (&text[..at], &text[at..]),
            _ => {}
        }
    }
    (text, "")
}

/// The filter a token states, if it is one: `-`, then a name of ASCII
/// letters, a colon and a value. Anything else is words.
fn filter_of(token: &str, now: i64) -> Result<Option<Clause>, QueryError> {
    let (negated, bare) = match token.strip_prefix('-') {
        Some(bare) => (true, bare),
        None => (false, token),
    };
    let Some((name, value)) = bare.split_once(':') else {
        return Ok(None);
    };
    if name.len() < 2 || !name.bytes().all(|b| b.is_ascii_alphabetic()) || value.is_empty() {
        return Ok(None);
    }
    let value = value
        .strip_prefix('"')
        .map_or(value, |v| v.strip_suffix('"').unwrap_or(v));
    let named = |kind: &'static str| {
        let value = value.trim();
        if value.is_empty() {
            Err(QueryError::Empty(kind))
        } else {
            Ok(value.to_owned())
        }
    };
    let filter = match name.to_ascii_lowercase().as_str() {
        "feed" => Filter::Feed(named("feed")?),
        "tag" => Filter::Tag(named("tag")?),
        "is" => match value.to_lowercase().as_str() {
            "unread" => Filter::Unread,
            "read" => Filter::Read,
            "starred" => Filter::Starred,
            other => return Err(QueryError::UnknownIs(other.to_owned())),
        },
        "since" => Filter::Since(
            when(value, now).ok_or_else(|| QueryError::When("since", value.to_owned()))?,
        ),
        "before" => Filter::Before(
            when(value, now).ok_or_else(|| QueryError::When("before", value.to_owned()))?,
        ),
        other => return Err(QueryError::Unknown(other.to_owned())),
    };
    Ok(Some(Clause { negated, filter }))
}

/// A time as seconds: `30m`, `12h`, `7d`, `2w` ago from `now`, or a date
/// (`2026-11-01`, its start in the local time zone).
pub fn when(value: &str, now: i64) -> Option<i64> {
    if let Some(seconds) = duration(value) {
        return now.checked_sub(seconds);
    }
    let date: jiff::civil::Date = value.parse().ok()?;
    let start = TimeZone::system()
        .to_timestamp(date.to_datetime(jiff::civil::Time::midnight()))
        .ok()?;
    Some(start.as_second())
}

/// `30m`, `12h`, `7d`, `2w` in seconds; `0` is zero.
pub fn duration(value: &str) -> Option<i64> {
    if value == "0" {
        return Some(0);
    }
    let unit = value.chars().last()?;
    let number: i64 = value[..value.len() - unit.len_utf8()].parse().ok()?;
    let seconds = match unit {
        's' => 1,
        'm' => 60,
        'h' => 3_600,
        'd' => 86_400,
        'w' => 7 * 86_400,
        _ => return None,
    };
    (number >= 0).then(|| number.checked_mul(seconds)).flatten()
}

/// Now, in seconds.
pub fn now() -> i64 {
    Timestamp::now().as_second()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;

    #[test]
    fn filters_stand_beside_words() {
        let query = Query::parse("harbor -is:read tag:world strike", NOW).unwrap();
        assert_eq!(query.words, "harbor strike");
        assert_eq!(
            query.filters,
            [
                Clause {
                    negated: true,
                    filter: Filter::Read
                },
                Clause {
                    negated: false,
                    filter: Filter::Tag("world".into())
                },
            ]
        );
        assert!(!query.is_filters_only());
        assert!(Query::parse("is:starred", NOW).unwrap().is_filters_only());
    }

    #[test]
    fn quotes_keep_phrases_and_names_whole() {
        let query = Query::parse("\"port: closed\" feed:\"Harbor Gazette\"", NOW).unwrap();
        assert_eq!(query.words, "\"port: closed\"");
        assert_eq!(
            query.filters[0].filter,
            Filter::Feed("Harbor Gazette".into())
        );
        // A time of day or a lone letter is not a filter.
        assert_eq!(Query::parse("10:30 a:b", NOW).unwrap().filters, []);
    }

    #[test]
    fn times_ago_and_dates() {
        let since =
            |v: &str| match Query::parse(&format!("since:{v}"), NOW).unwrap().filters[0].filter {
                Filter::Since(s) => s,
                ref other => panic!("{other:?}"),
            };
        assert_eq!(since("7d"), NOW - 7 * 86_400);
        assert_eq!(since("12h"), NOW - 12 * 3_600);
        assert_eq!(since("30m"), NOW - 1_800);
        assert_eq!(since("2w"), NOW - 14 * 86_400);
        let date = since("2026-11-01");
        assert!((date - 1_793_491_200).abs() <= 14 * 3_600, "{date}");
    }

    #[test]
    fn mistakes_say_what_is_expected() {
        let error = |q: &str| Query::parse(q, NOW).unwrap_err().to_string();
        assert!(
            error("colour:red").contains("unknown filter “colour:”; the filters are feed:NAME")
        );
        assert!(error("is:new").contains("is: takes unread, read or starred"));
        assert!(error("since:yesterday").contains(
            "since: wants a time ago (30m, 12h, 7d, 2w) or a date (2026-11-01), not “yesterday”"
        ));
        assert!(error("before:7x").contains("before:"));
    }
}
