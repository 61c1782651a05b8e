//! A fetched feed's items as stories: RSS 0.9x, 1.0 and 2.0, Atom and
//! JSON Feed read by feed-rs from the raw bytes (so a declared encoding
//! such as Latin-1 is honoured), HTML made plain text by [`super::html`].

use feed_rs::model::{Entry, Text};

use crate::contained::contained;
use crate::model::truncate_at_word;
use crate::text::sanitize::clean_line;

/// One item, ready to be stored as a story.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// The feed's id for it (id or guid), else its link, else its title.
    pub key: String,
    pub title: Option<String>,
    pub paragraphs: Vec<String>,
    /// Seconds since the epoch: published, else updated.
    pub date: Option<i64>,
    pub url: Option<String>,
}

/// A parsed feed: its title and items, and how many items had neither
/// title nor text (skipped).
#[derive(Debug, Default)]
pub struct ParsedFeed {
    pub title: Option<String>,
    pub items: Vec<Item>,
    pub skipped: usize,
}

/// Reads a feed document. The error says why it is not a feed.
pub fn parse(bytes: &[u8]) -> Result<ParsedFeed, String> {
    let parser = feed_rs::parser::Builder::new()
        .id_generator(|links, title, _| {
            links
                .first()
                .map(|l| l.href.clone())
                .or_else(|| title.as_ref().map(|t| t.content.clone()))
                .unwrap_or_default()
        })
        .build();
    let feed = contained(|| parser.parse(bytes))
        .ok_or("not a feed: the parser failed on it")?
        .map_err(|e| format!("not a feed: {e}"))?;
    let mut parsed = ParsedFeed {
        title: feed
            .title
            .and_then(|t| contained(|| clean_line(&plain(&t)))),
        ..ParsedFeed::default()
    };
    // A converter that fails on one item costs that item only.
    for entry in feed.entries {
        match contained(|| item(entry)).flatten() {
            Some(item) => parsed.items.push(item),
            None => parsed.skipped += 1,
        }
    }
    Ok(parsed)
}

/// A title longer than this is cut at a word, with an ellipsis: no real
/// headline is, and the plain format's related lines stop at 300 too.
const MAX_TITLE_CHARS: usize = 300;

fn item(entry: Entry) -> Option<Item> {
    let title = entry
        .title
        .as_ref()
        .map(|t| truncate_at_word(&clean_line(&plain(t)), MAX_TITLE_CHARS))
        .filter(|t| !t.is_empty());
    let paragraphs = match (&entry.content, &entry.summary) {
        (Some(content), _) if content.body.is_some() => {
            let body = content.body.as_deref().unwrap_or_default();
            if content.content_type.to_string().starts_with("text/plain") {
                plain_paragraphs(body)
            } else {
                html_paragraphs(body)
            }
        }
        (_, Some(summary)) => paragraphs_of(summary),
        _ => Vec::new(),
    };
    if title.is_none() && paragraphs.is_empty() {
        return None;
    }
    let url = entry
        .links
        .iter()
        .find(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
        .map(|l| clean_line(&l.href));
    Some(Item {
        key: entry.id,
        title,
        paragraphs,
        date: entry.published.or(entry.updated).map(|d| d.timestamp()),
        url,
    })
}

/// A feed-rs text as plain text: HTML converted, plain text as it is.
fn plain(text: &Text) -> String {
    if is_html(text) {
        html_to_text(&text.content)
    } else {
        text.content.clone()
    }
}

fn is_html(text: &Text) -> bool {
    text.content_type.to_string().contains("html")
}

fn paragraphs_of(text: &Text) -> Vec<String> {
    if is_html(text) {
        html_paragraphs(&text.content)
    } else {
        plain_paragraphs(&text.content)
    }
}

/// Plain text: paragraphs are separated by blank lines, lines within one
/// are joined.
fn plain_paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(clean_line)
        .filter(|p| !p.is_empty())
        .collect()
}

/// Converted HTML: a line is a paragraph or a list item (not wrapped:
/// the reader wraps).
fn html_paragraphs(html: &str) -> Vec<String> {
    crate::text::html::paragraphs(html)
        .iter()
        .map(|line| clean_line(line))
        .filter(|p| !p.is_empty())
        .collect()
}

/// An item from its parts as a feed server gives them (the title and
/// content as HTML), cleaned as a feed's items are; None when it has
/// neither title nor text.
pub fn item_of(
    key: String,
    title: &str,
    content: &str,
    date: Option<i64>,
    url: Option<&str>,
) -> Option<Item> {
    let title = Some(truncate_at_word(
        &clean_line(&html_to_text(title)),
        MAX_TITLE_CHARS,
    ))
    .filter(|t| !t.is_empty());
    let paragraphs = html_paragraphs(content);
    if title.is_none() && paragraphs.is_empty() {
        return None;
    }
    Some(Item {
        key,
        title,
        paragraphs,
        date,
        url: url.map(clean_line).filter(|u| !u.is_empty()),
    })
}

/// HTML as plain text, one line per paragraph (see [`super::html`]).
pub fn html_to_text(html: &str) -> String {
    crate::text::html::paragraphs(html).join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_plain_paragraphs_with_links_at_the_end() {
        let paragraphs = html_paragraphs(
            "<p>Fares rise &amp; <a href=\"https://harbor.example/fares\">the table</a> changes.</p>\
             <style>p { color: red }</style><ul><li>Adults</li><li>Children</li></ul>\
             <script>alert(1)</script>",
        );
        assert_eq!(
            paragraphs,
            [
                "Fares rise & [the table][1] changes.",
                "* Adults",
                "* Children",
                "[1]: https://harbor.example/fares",
            ]
        );
    }

    #[test]
    fn bidi_controls_and_escapes_are_removed_from_lines() {
        assert_eq!(clean_line("\u{202e}Evil\u{1b}[2J Title "), "Evil Title");
        assert_eq!(
            clean_line("Rejected \u{1b}]0;pwned\u{7} by \u{1b}[2J"),
            "Rejected by"
        );
    }
}
