//! The plain story format (README, "Plain"), after the seed article: paragraphs
//! one per line, then two or more blank lines, then a block of headlines.

use std::borrow::Cow;

use super::Format;
use crate::load::Diagnostic;
use crate::load::article::{Article, Parsed};
use crate::text::sanitize;

/// Lines of a related block may be at most this many characters; a longer
/// line means the block is story text.
const MAX_HEADLINE_CHARS: usize = 300;

pub struct Plain;

impl Format for Plain {
    fn extensions(&self) -> &'static [&'static str] {
        &["txt"]
    }

    fn parse(&self, text: &str, path: &str) -> Parsed {
        let mut parsed = Parsed::default();
        if text.trim().is_empty() {
            let what = if text.is_empty() {
                "empty file"
            } else {
                "blank file"
            };
            parsed
                .diagnostics
                .push(Diagnostic::warning(path, format!("{what}: no story in it")));
            return parsed;
        }
        let lines: Vec<Cow<str>> = lines(text).map(clean_line).collect();
        let (body, related) = split_related_block(&lines);
        let owned = |lines: &[Cow<str>]| -> Vec<String> {
            lines
                .iter()
                .filter(|l| !l.is_empty())
                .map(|l| l.to_string())
                .collect()
        };
        let paragraphs = owned(body);
        let related: Vec<&str> = related
            .iter()
            .map(|l| l.as_ref())
            .filter(|l| !l.is_empty())
            .collect();

        if paragraphs.is_empty() {
            let message = if related.is_empty() {
                "nothing left once control characters were removed: no story in it".to_owned()
            } else {
                format!(
                    "headlines only, no story text: {} headline{} added, no story made",
                    related.len(),
                    if related.len() == 1 { "" } else { "s" }
                )
            };
            parsed.diagnostics.push(Diagnostic::warning(path, message));
            parsed.loose_headlines = related.iter().map(|l| l.to_string()).collect();
            return parsed;
        }
        parsed.articles.push(Article {
            path: path.to_owned(),
            paragraphs,
            related: related.into_iter().collect(),
            ..Article::default()
        });
        parsed
    }
}

/// Sanitized and trimmed, copied only when sanitizing changed something.
fn clean_line(line: &str) -> Cow<'_, str> {
    match sanitize(line) {
        Cow::Borrowed(line) => Cow::Borrowed(line.trim()),
        Cow::Owned(line) => Cow::Owned(line.trim().to_owned()),
    }
}

/// Lines ended by LF, CRLF or a lone CR.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        match memchr::memchr2(b'\n', b'\r', rest.as_bytes()) {
            Some(end) => {
                let line = &rest[..end];
                let skip = if rest[end..].starts_with("\r\n") {
                    2
                } else {
                    1
                };
                rest = &rest[end + skip..];
                Some(line)
            }
            None => Some(std::mem::take(&mut rest)),
        }
    })
}

/// Splits trimmed lines into the body and the related block. The related
/// block is the last block of non-blank lines when at least two blank lines
/// precede it (the start of the file counts as body, so a file that opens
/// with two blank lines and a block holds headlines only) and none of its
/// lines is longer than [`MAX_HEADLINE_CHARS`].
fn split_related_block<'a, 'b>(
    lines: &'a [Cow<'b, str>],
) -> (&'a [Cow<'b, str>], &'a [Cow<'b, str>]) {
    let Some(last) = lines.iter().rposition(|l| !l.is_empty()) else {
        return (&[], &[]);
    };
    let start = lines[..last]
        .iter()
        .rposition(|l| l.is_empty())
        .map_or(0, |i| i + 1);
    let blank_before = lines[..start]
        .iter()
        .rev()
        .take_while(|l| l.is_empty())
        .count();
    let block = &lines[start..=last];
    let is_related = blank_before >= 2
        && block
            .iter()
            .all(|l| l.chars().count() <= MAX_HEADLINE_CHARS);
    if is_related {
        (&lines[..start - blank_before], block)
    } else {
        (&lines[..=last], &[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Parsed {
        Plain.parse(text, "t.txt")
    }

    fn article(text: &str) -> Article {
        let mut parsed = parse(text);
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        assert_eq!(parsed.articles.len(), 1);
        parsed.articles.remove(0)
    }

    #[test]
    fn body_then_two_blank_lines_then_headlines() {
        let a = article("First para.\nSecond para.\n\n\nHeadline One\nHeadline Two\n");
        assert_eq!(a.paragraphs, ["First para.", "Second para."]);
        assert_eq!(a.related, ["Headline One", "Headline Two"]);
        assert_eq!(a.title, None);
    }

    #[test]
    fn crlf_and_lone_cr_are_line_ends_and_lines_are_trimmed() {
        let a = article("  One. \r\nTwo.\rThree.\r\n\r\n\r\n  H1  \rH2");
        assert_eq!(a.paragraphs, ["One.", "Two.", "Three."]);
        assert_eq!(a.related, ["H1", "H2"]);
    }

    #[test]
    fn single_blank_line_does_not_end_the_body() {
        let a = article("One.\n\nTwo.\n\n\nH1\n");
        assert_eq!(a.paragraphs, ["One.", "Two."]);
        assert_eq!(a.related, ["H1"]);
    }

    #[test]
    fn one_blank_line_before_the_last_block_makes_it_body() {
        let a = article("One.\n\nShort line\nAnother\n");
        assert_eq!(a.paragraphs, ["One.", "Short line", "Another"]);
        assert!(a.related.iter().next().is_none());
    }

    #[test]
    fn a_long_line_in_the_last_block_makes_it_body() {
        let long = "word ".repeat(61);
        let a = article(&format!("One.\n\n\nHeadline\n{long}\n"));
        assert_eq!(a.paragraphs.len(), 3);
        assert!(a.related.iter().next().is_none());
        let exactly = "x".repeat(300);
        let a = article(&format!("One.\n\n\n{exactly}\n"));
        assert_eq!(a.related, [exactly.as_str()]);
    }

    #[test]
    fn three_hundred_characters_not_bytes() {
        let line = "é".repeat(300);
        let a = article(&format!("One.\n\n\n{line}\n"));
        assert_eq!(a.related.iter().count(), 1);
    }

    #[test]
    fn only_the_last_block_is_related() {
        let a = article("One.\n\n\nMiddle block\n\n\nH1\n\n\n\n");
        assert_eq!(a.paragraphs, ["One.", "Middle block"]);
        assert_eq!(a.related, ["H1"]);
    }

    #[test]
    fn a_file_of_one_block_is_all_body() {
        let a = article("Just one line");
        assert_eq!(a.paragraphs, ["Just one line"]);
        assert!(a.related.iter().next().is_none());
    }

    #[test]
    fn headlines_only_file_adds_headlines_and_warns() {
        let parsed = parse("\n\nH1\nH2\n");
        assert!(parsed.articles.is_empty());
        assert_eq!(parsed.loose_headlines, ["H1", "H2"]);
        assert_eq!(parsed.diagnostics.len(), 1);
        assert_eq!(
            parsed.diagnostics[0].to_string(),
            "t.txt: warning: headlines only, no story text: 2 headlines added, no story made"
        );
    }

    #[test]
    fn empty_and_blank_files_warn() {
        assert_eq!(
            parse("").diagnostics[0].to_string(),
            "t.txt: warning: empty file: no story in it"
        );
        assert_eq!(
            parse(" \n\t\r\n").diagnostics[0].to_string(),
            "t.txt: warning: blank file: no story in it"
        );
    }

    #[test]
    fn control_sequences_are_gone_before_structure_is_read() {
        let a = article("Hello \u{1b}]0;title\u{7}world\n\n\n\u{1b}[31mHeadline\n");
        assert_eq!(a.paragraphs, ["Hello world"]);
        assert_eq!(a.related, ["Headline"]);
    }
}
