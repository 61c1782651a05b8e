//! OPML, the subscription lists other readers import and export
//! (`newsboat -e`). Reading is lenient about what real exports get wrong:
//! a missing version, `url` instead of `xmlUrl`, outlines nested any deep
//! (the folders they sit in become tags).

use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};

use super::Subscription;

/// The feeds an OPML document lists, in document order; an error says
/// where the XML broke (a byte offset).
pub fn read(xml: &[u8]) -> Result<Vec<Subscription>, String> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    reader.config_mut().check_end_names = false;
    let mut buf = Vec::new();
    let mut folders: Vec<Option<String>> = Vec::new();
    let mut feeds = Vec::new();
    loop {
        let event = reader.read_event_into(&mut buf).map_err(|e| {
            format!(
                "not readable as OPML (at byte {}): {e}",
                reader.error_position()
            )
        })?;
        match event {
            Event::Start(outline) if is_outline(&outline) => {
                let (feed, folder) = outline_feed(&outline, &folders);
                feeds.extend(feed);
                folders.push(folder);
            }
            Event::Empty(outline) if is_outline(&outline) => {
                feeds.extend(outline_feed(&outline, &folders).0);
            }
            Event::End(end) if end.local_name().as_ref().eq_ignore_ascii_case("outline") => {
                folders.pop();
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    Ok(feeds)
}

fn is_outline(element: &BytesStart) -> bool {
    element
        .local_name()
        .as_ref()
        .eq_ignore_ascii_case("outline")
}

/// The feed an outline names, if any, and the folder it is otherwise (its
/// title, a tag for the feeds inside it).
fn outline_feed(
    outline: &BytesStart,
    folders: &[Option<String>],
) -> (Option<Subscription>, Option<String>) {
    let mut attributes = std::collections::HashMap::new();
    for attribute in outline.attributes().with_checks(false).flatten() {
        let key = attribute.key.local_name().as_ref().to_ascii_lowercase();
        if let Ok(value) = attribute.normalized_value(XmlVersion::Implicit1_0) {
            attributes.insert(key, value.trim().to_owned());
        }
    }
    let text = |key: &str| attributes.get(key).filter(|v| !v.is_empty()).cloned();
    let name = text("title").or_else(|| text("text"));
    let Some(url) = text("xmlurl").or_else(|| text("url")) else {
        return (None, name);
    };
    // A name that only repeats the address is no name.
    let name = name.filter(|name| *name != url);
    let mut tags: Vec<String> = folders.iter().flatten().cloned().collect();
    // OPML 2.0 categories: "/news/world,/local" -> news, world, local.
    for category in text("category").iter().flat_map(|c| c.split(',')) {
        tags.extend(
            category
                .split('/')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_owned),
        );
    }
    tags.dedup();
    let feed = Subscription {
        title: name,
        tags,
        ..Subscription::new(&url)
    };
    (Some(feed), None)
}

/// An OPML 2.0 document listing `feeds`, tags as categories.
pub fn write(feeds: &[Subscription]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n  <head>\n    <title>tidings subscriptions</title>\n  </head>\n  <body>\n",
    );
    for feed in feeds {
        // `text` is required; a feed without a title shows its address.
        let text = escape(feed.title.as_deref().unwrap_or(&feed.url));
        out.push_str(&format!("    <outline type=\"rss\" text=\"{text}\""));
        if let Some(title) = &feed.title {
            out.push_str(&format!(" title=\"{}\"", escape(title)));
        }
        out.push_str(&format!(" xmlUrl=\"{}\"", escape(&feed.url)));
        if !feed.tags.is_empty() {
            let categories: Vec<String> = feed.tags.iter().map(|t| format!("/{t}")).collect();
            out.push_str(&format!(" category=\"{}\"", escape(&categories.join(","))));
        }
        out.push_str("/>\n");
    }
    out.push_str("  </body>\n</opml>\n");
    out
}

fn escape(text: &str) -> String {
    quick_xml::escape::escape(text).into_owned()
}
