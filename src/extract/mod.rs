//! Full text for stories whose feed sends only a summary: the story's web
//! page fetched ([`crate::web::page`]), its article found by Mozilla
//! Readability's algorithm and made plain text ([`readability`]), and kept in the story's own
//! file as `full_text` ([`kept`]), so it is there offline, counts for its
//! length and is found by search. The index is only a cache of it.

pub mod kept;
pub mod readability;

use crate::config::FeedSettings;

/// Fetches the page at `url` and returns its article's paragraphs, or one
/// line saying why there are none ("HTTP 404", "no article on the page").
/// `title` is the story's, not repeated at the top of the text.
pub fn fetch(
    agent: &ureq::Agent,
    url: &str,
    title: Option<&str>,
    settings: &FeedSettings,
) -> Result<Vec<String>, String> {
    let page = crate::web::page::fetch(agent, url, settings.max_bytes, settings.timeout)?;
    readability::article(&page.html, &page.url, title)
}
