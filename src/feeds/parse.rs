//! A feed's bytes read as a feed: decoded by [`super::charset`], then
//! read as JSON Feed ([`super::json_feed`]) or as XML by the recovering
//! [`super::xml_tree`] and [`super::syndication`]. Whatever is wrong is
//! said in one line.

use super::items::ParsedFeed;
use super::xml_tree::Tree;
use crate::contained::contained;

/// Reads a feed document fetched from `url`, whose server said it is
/// `content_type`. The error says in one line why it is not a feed.
pub fn parse(bytes: &[u8], content_type: Option<&str>, url: &str) -> Result<ParsedFeed, String> {
    contained(|| read(bytes, content_type, url))
        .unwrap_or_else(|| Err("the feed could not be read: the reader failed on it".into()))
}

fn read(bytes: &[u8], content_type: Option<&str>, url: &str) -> Result<ParsedFeed, String> {
    let decoded = super::charset::decode(bytes, content_type);
    let text = decoded
        .text
        .trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if text.is_empty() {
        return Err("not a feed: the server sent nothing".into());
    }
    if text.starts_with(['{', '[']) {
        let mut parsed = super::json_feed::read(text)?;
        parsed.repaired |= decoded.repaired;
        return Ok(parsed);
    }
    let tree = super::xml_tree::read(text);
    let base = url::Url::parse(url).ok();
    let Some(root) = super::syndication::root(&tree) else {
        return Err(not_a_feed(&tree, text, content_type));
    };
    let mut parsed = super::syndication::read(&tree, root, base.as_ref());
    if let (Some(at), true) = (tree.cut_off_at, parsed.items.is_empty()) {
        return Err(format!(
            "not XML: unexpected end at byte {}",
            crate::text::grouped(at)
        ));
    }
    // A feed inside another document (an HTML page) is no feed document.
    let wrapped = !tree.child_elements(Tree::ROOT).any(|top| top == root);
    parsed.repaired = decoded.repaired || wrapped || tree.repairs > 0 || tree.cut_off_at.is_some();
    Ok(parsed)
}

/// Why a document with no feed in it is not one, in words.
fn not_a_feed(tree: &Tree, text: &str, content_type: Option<&str>) -> String {
    let media = content_type
        .and_then(|t| t.split(';').next())
        .map(|t| crate::text::sanitize(t.trim()).into_owned())
        .filter(|t| !t.is_empty());
    let said = media.map(|m| format!(" ({m})")).unwrap_or_default();
    if tree
        .find(|e| &*e.name.local == "html" || &*e.name.local == "body")
        .is_some()
    {
        return format!(
            "not a feed: the server sent an HTML page{said} with no feed linked from it"
        );
    }
    match tree.elements.get(1) {
        Some(first) => format!(
            "not a feed: an XML document whose root is <{}>, not <rss>, <feed> or <rdf:RDF>",
            crate::text::sanitize(&first.name.local)
        ),
        None if text
            .chars()
            .take(512)
            .any(|c| c.is_control() && !c.is_whitespace()) =>
        {
            format!("not a feed: the server sent binary data{said}")
        }
        None => format!(
            "not XML: no element in the {} bytes the server sent{said}",
            crate::text::grouped(text.len())
        ),
    }
}
