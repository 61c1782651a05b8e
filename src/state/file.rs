//! The state file's format: TOML a person can read, one line per story.
//!
//! ```toml
//! version = 1
//! source = { key = "tag:world", chosen = 2026-11-26T12:00:00.000Z, unfolded = true }
//!
//! [stories]
//! 3149e7a50b4ab16e = { read = true, marked = 2026-11-26T12:00:00.123Z }
//! 0946f6ce0c4e662b = { read = false, marked = 2026-11-26T12:01:00.000Z, at = [2, 140], moved = 2026-11-26T12:01:30.000Z, star = true, starred = 2026-11-26T12:02:00.000Z }
//! ```
//!
//! `at` is where reading stopped (paragraph, byte offset); `source` the
//! source the reader showed last (and whether its index was unfolded:
//! every story its own row, not one per event). Written by hand
//! rather than through serde: a hundred thousand marks must be saved in a
//! few milliseconds.

use std::collections::HashMap;
use std::fmt::Write as _;

use compact_str::CompactString;
use serde::Deserialize;
use toml::value::Datetime;

use crate::dates;

use super::{Chosen, Mark, ReadError, ReadState};
use crate::model::Anchor;

pub const FORMAT_VERSION: u32 = 1;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct StateFile {
    version: u32,
    source: Option<SourceEntry>,
    #[serde(default)]
    stories: HashMap<String, Entry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SourceEntry {
    key: String,
    chosen: Option<Datetime>,
    #[serde(default)]
    unfolded: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    #[serde(default)]
    read: bool,
    marked: Option<Datetime>,
    at: Option<(u32, u32)>,
    moved: Option<Datetime>,
    #[serde(default)]
    star: bool,
    starred: Option<Datetime>,
}

/// Reads a state file's text; the error says what is wrong and where.
/// A file in exactly the shape [`serialize`] writes takes a quick path;
/// anything else (a hand edit, another layout) goes through the TOML
/// parser, which also explains mistakes.
pub fn parse(text: &str) -> Result<ReadState, ReadError> {
    match parse_own_layout(text) {
        Some(state) => Ok(state),
        None => parse_toml(text),
    }
}

fn parse_toml(text: &str) -> Result<ReadState, ReadError> {
    let file: StateFile = toml::from_str(text).map_err(|e| {
        let at = e.span().map_or(0, |s| s.start).min(text.len());
        ReadError::Syntax {
            line: text[..at].matches('\n').count() + 1,
            message: e.message().trim().to_owned(),
        }
    })?;
    if file.version != FORMAT_VERSION {
        return Err(ReadError::Version(file.version));
    }
    let marks =
        file.stories
            .into_iter()
            .map(|(id, entry)| {
                let mark =
                    Mark {
                        read: entry.read,
                        marked: entry.marked.as_ref().and_then(dates::millis).unwrap_or(0),
                        position: entry.at.map_or(Anchor::default(), |(paragraph, offset)| {
                            Anchor { paragraph, offset }
                        }),
                        moved: entry.moved.as_ref().and_then(dates::millis).unwrap_or(0),
                        starred: entry.star,
                        starred_at: entry.starred.as_ref().and_then(dates::millis).unwrap_or(0),
                    };
                (id.into(), mark)
            })
            .collect();
    let source = file.source.map(|s| Chosen {
        key: s.key,
        at: s.chosen.as_ref().and_then(dates::millis).unwrap_or(0),
        unfolded: s.unfolded,
    });
    Ok(ReadState { marks, source })
}

/// Writes the state as the file's text, stories sorted by id so that the
/// file reads (and diffs) well.
pub fn serialize(state: &ReadState) -> String {
    // Copied out of the table in its own order and sorted by value: one
    // pass through memory, rather than a cache miss per id.
    let mut entries: Vec<(CompactString, Mark)> =
        state.marks.iter().map(|(id, m)| (id.clone(), *m)).collect();
    entries.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let mut out = String::with_capacity(128 + state.marks.len() * 80);
    out.push_str("# tidings read state: which stories are read and where reading stopped.\n");
    out.push_str("# Written by tidings; edit it only while tidings is not running.\n");
    let _ = writeln!(out, "version = {FORMAT_VERSION}");
    if let Some(source) = &state.source {
        out.push_str("source = { key = ");
        write_string(&mut out, &source.key);
        out.push_str(", chosen = ");
        dates::write_millis(&mut out, source.at);
        if source.unfolded {
            out.push_str(", unfolded = true");
        }
        out.push_str(" }\n");
    }
    out.push_str("\n[stories]\n");
    let mut number = itoa::Buffer::new();
    for (id, mark) in &entries {
        write_key(&mut out, id);
        out.push_str(if mark.read {
            " = { read = true"
        } else {
            " = { read = false"
        });
        if mark.marked > 0 {
            out.push_str(", marked = ");
            dates::write_millis(&mut out, mark.marked);
        }
        if mark.position != Anchor::default() {
            out.push_str(", at = [");
            out.push_str(number.format(mark.position.paragraph));
            out.push_str(", ");
            out.push_str(number.format(mark.position.offset));
            out.push(']');
        }
        if mark.moved > 0 {
            out.push_str(", moved = ");
            dates::write_millis(&mut out, mark.moved);
        }
        if mark.starred_at > 0 {
            out.push_str(if mark.starred {
                ", star = true, starred = "
            } else {
                ", star = false, starred = "
            });
            dates::write_millis(&mut out, mark.starred_at);
        }
        out.push_str(" }\n");
    }
    out
}

/// A TOML key: bare when it can be, else a quoted string.
fn write_key(out: &mut String, key: &str) {
    if is_bare_key(key) {
        out.push_str(key);
    } else {
        write_string(out, key);
    }
}

/// A TOML basic string.
fn write_string(out: &mut String, key: &str) {
    out.push('"');
    for c in key.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn is_bare_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The quick path: the exact lines [`serialize`] writes, nothing else.
/// None sends the text to the TOML parser.
fn parse_own_layout(text: &str) -> Option<ReadState> {
    let mut lines = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'));
    if lines.next()? != format!("version = {FORMAT_VERSION}") {
        return None;
    }
    let mut source = None;
    let mut line = lines.next()?;
    if line.starts_with("source = ") {
        // One line, rarely there: the TOML parser reads it.
        source = parse_toml(&format!("version = {FORMAT_VERSION}\n{line}"))
            .ok()?
            .source;
        line = lines.next()?;
    }
    if line != "[stories]" {
        return None;
    }
    let mut marks = rustc_hash::FxHashMap::default();
    for line in lines {
        let (key, rest) = line.split_once(" = { ")?;
        let fields = rest.strip_suffix(" }")?;
        if !is_bare_key(key) {
            return None;
        }
        let (read, mut rest) = fields.split_once(", ").unwrap_or((fields, ""));
        let mut mark = Mark {
            read: read.strip_prefix("read = ")?.parse().ok()?,
            ..Mark::default()
        };
        if let Some(more) = rest.strip_prefix("marked = ") {
            mark.marked = dates::parse_millis(more.get(..24)?)?;
            rest = more
                .get(24..)?
                .strip_prefix(", ")
                .unwrap_or(more.get(24..)?);
        }
        if let Some(more) = rest.strip_prefix("at = [") {
            let (inside, after) = more.split_once(']')?;
            let (paragraph, offset) = inside.split_once(", ")?;
            mark.position = Anchor {
                paragraph: paragraph.parse().ok()?,
                offset: offset.parse().ok()?,
            };
            rest = after.strip_prefix(", ").unwrap_or(after);
        }
        if let Some(more) = rest.strip_prefix("moved = ") {
            mark.moved = dates::parse_millis(more.get(..24)?)?;
            rest = more
                .get(24..)?
                .strip_prefix(", ")
                .unwrap_or(more.get(24..)?);
        }
        if let Some(more) = rest.strip_prefix("star = ") {
            let (star, after) = more.split_once(", starred = ")?;
            mark.starred = star.parse().ok()?;
            mark.starred_at = dates::parse_millis(after.get(..24)?)?;
            rest = after.get(24..)?;
        }
        if !rest.is_empty() || marks.insert(key.into(), mark).is_some() {
            return None;
        }
    }
    Some(ReadState { marks, source })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> ReadState {
        let mut state = ReadState::default();
        state.set_read("3149e7a50b4ab16e", true, 1_764_158_400_123);
        state.set_read("my story \"one\"", true, 86_400_000);
        state.set_position(
            "0946f6ce0c4e662b",
            Anchor {
                paragraph: 2,
                offset: 140,
            },
            1_764_158_430_000,
        );
        state.set_starred("0946f6ce0c4e662b", true, 1_764_158_460_000);
        state.set_starred("unstarred", true, 1_764_158_470_000);
        state.set_starred("unstarred", false, 1_764_158_480_000);
        state
    }

    #[test]
    fn stars_and_the_chosen_source_round_trip_on_the_quick_path() {
        let mut state = state();
        state.marks.retain(|id, _| is_bare_key(id));
        state.source = Some(Chosen {
            key: "feed:https://example.org/\"x\"".into(),
            at: 1_764_158_400_000,
            unfolded: true,
        });
        let text = serialize(&state);
        assert!(
            text.contains("star = true, starred = 2025-11-26T12:01:00.000Z }"),
            "{text}"
        );
        let quick = parse_own_layout(&text).expect("its own layout");
        assert_eq!(quick, state);
        assert_eq!(parse_toml(&text).unwrap(), state);
    }

    #[test]
    fn round_trips() {
        let state = state();
        assert_eq!(parse(&serialize(&state)).unwrap(), state);
    }

    #[test]
    fn reads_like_the_documented_format() {
        let text = serialize(&state());
        assert!(text.contains("version = 1\n\n[stories]\n"), "{text}");
        assert!(
            text.contains(
                "3149e7a50b4ab16e = { read = true, marked = 2025-11-26T12:00:00.123Z }\n"
            ),
            "{text}"
        );
        assert!(
            text.contains(
                "\"my story \\\"one\\\"\" = { read = true, marked = 1970-01-02T00:00:00.000Z }"
            ),
            "{text}"
        );
        assert!(text.contains("0946f6ce0c4e662b = { read = false, at = [2, 140], moved = 2025-11-26T12:00:30.000Z, star = true, starred = 2025-11-26T12:01:00.000Z }"), "{text}");
    }

    #[test]
    fn the_quick_path_and_the_toml_parser_agree() {
        let mut plain = state();
        plain.marks.retain(|id, _| is_bare_key(id));
        let text = serialize(&plain);
        let quick = parse_own_layout(&text).expect("serialize's own layout takes the quick path");
        assert_eq!(quick, parse_toml(&text).unwrap());
        // A quoted id takes the long way.
        let text = serialize(&state());
        assert!(parse_own_layout(&text).is_none());
        assert_eq!(parse(&text).unwrap(), state());
        // Anything unusual goes the long way, and still parses.
        let odd = text
            .replace("read = true, marked", "marked")
            .replace("[stories]", "[stories] # all of them");
        assert!(parse_own_layout(&odd).is_none());
        assert_eq!(parse(&odd).unwrap().marks.len(), 4);
    }

    #[test]
    fn hand_edits_parse_and_mistakes_say_where() {
        let edited = "version = 1\n[stories]\nabc = { read = true }\n";
        assert!(parse(edited).unwrap().is_read("abc"));
        assert_eq!(
            parse("version = 1\n[stories]\nabc = { red = true }\n")
                .unwrap_err()
                .to_string()
                .split(':')
                .next(),
            Some("line 3")
        );
        assert!(
            parse("version = 9\n")
                .unwrap_err()
                .to_string()
                .contains("format version 9")
        );
        assert!(parse("garbage = [").is_err());
    }
}
