//! A feed's items as stories are stored: titles and text cleaned of
//! anything that could drive a terminal, HTML made plain text by
//! [`crate::text::html`]. [`super::parse`] makes them from a feed's bytes.

pub use crate::load::Enclosure;

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
    pub enclosures: Vec<Enclosure>,
}

/// A feed's text as it came: plain, or HTML to be made plain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Text {
    Plain(String),
    Html(String),
}

impl Text {
    /// One line of plain text (for titles).
    pub fn into_plain(self) -> String {
        match self {
            Text::Plain(text) => text,
            Text::Html(html) => crate::text::html::line(&html),
        }
    }

    pub fn paragraphs(&self) -> Vec<String> {
        match self {
            Text::Plain(text) => plain_paragraphs(text),
            Text::Html(html) => html_paragraphs(html),
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            Text::Plain(text) | Text::Html(text) => text.trim().is_empty(),
        }
    }
}

/// A parsed feed: its title and items, how many items had neither title
/// nor text (skipped), and whether reading it took mending.
#[derive(Debug, Default)]
pub struct ParsedFeed {
    pub title: Option<String>,
    pub items: Vec<Item>,
    pub skipped: usize,
    /// Ill-formed: read only thanks to the recovering parser, or with a
    /// charset the bytes were not in.
    pub repaired: bool,
}

/// A title longer than this is cut at a word, with an ellipsis: no real
/// headline is, and the plain format's related lines stop at 300 too.
const MAX_TITLE_CHARS: usize = 300;

impl Item {
    /// An item from what a feed gave for it, cleaned; None when it has
    /// neither title nor text. With no id of its own it is known by its
    /// link, else its title.
    pub fn new(
        id: Option<String>,
        title: Option<Text>,
        text: Option<Text>,
        date: Option<i64>,
        url: Option<String>,
        enclosures: Vec<Enclosure>,
    ) -> Option<Item> {
        let title = title
            .map(|t| truncate_at_word(&clean_line(&t.into_plain()), MAX_TITLE_CHARS))
            .filter(|t| !t.is_empty());
        let paragraphs = text.map(|t| t.paragraphs()).unwrap_or_default();
        if title.is_none() && paragraphs.is_empty() {
            return None;
        }
        let url = url.map(|u| clean_line(&u)).filter(|u| !u.is_empty());
        let key = id
            .map(|i| clean_line(&i))
            .filter(|i| !i.is_empty())
            .or_else(|| url.clone())
            .or_else(|| title.clone())
            .unwrap_or_else(|| paragraphs.join(" ").chars().take(200).collect());
        let enclosures = enclosures
            .into_iter()
            .map(|e| Enclosure {
                url: clean_line(&e.url),
                kind: e.kind.map(|k| clean_line(&k)),
                ..e
            })
            .collect();
        Some(Item {
            key,
            title,
            paragraphs,
            date,
            url,
            enclosures,
        })
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
        enclosures: Vec::new(),
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
