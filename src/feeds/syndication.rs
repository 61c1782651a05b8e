//! RSS (0.90 to 2.0, with a version or without), RDF and Atom (0.3 and
//! 1.0) read from a [`Tree`], as feedparser reads them: by what an element
//! is called, not by which version the feed says it is. An item's title
//! and text come from the first place that has one, in feedparser's order
//! (see [`TITLES`] and [`TEXTS`]); its date from any of the dates feeds
//! give; its enclosures from RSS, Atom and Media RSS.

use std::borrow::Cow;

use base64::Engine;

use super::items::{Enclosure, Item, ParsedFeed, Text};
use super::xml_tree::{Element, Tree};

/// Where an item's title can stand, first found first taken.
const TITLES: [(&str, &str); 3] = [("", "title"), ("dc", "title"), ("media", "title")];

/// Where an item's text can stand: whole content before summaries.
const TEXTS: [(&str, &str); 12] = [
    ("content", "encoded"),
    ("", "content"),
    ("xhtml", "body"),
    ("", "body"),
    ("", "fullitem"),
    ("", "description"),
    ("", "summary"),
    ("", "abstract"),
    ("dc", "description"),
    ("itunes", "summary"),
    ("media", "description"),
    ("itunes", "subtitle"),
];

/// Where an item's date can stand: published before updated.
const DATES: [(&str, &str); 11] = [
    ("", "pubdate"),
    ("", "published"),
    ("", "issued"),
    ("dcterms", "issued"),
    ("", "created"),
    ("dcterms", "created"),
    ("dc", "date"),
    ("", "date"),
    ("", "updated"),
    ("", "modified"),
    ("dcterms", "modified"),
];

/// Where an item's own id can stand.
const IDS: [(&str, &str); 3] = [("", "guid"), ("", "id"), ("dc", "identifier")];

/// The element a feed's document starts at, wherever it stands (an HTML
/// page around it included).
pub fn root(tree: &Tree) -> Option<usize> {
    tree.find(|e| {
        matches!(
            (&*e.name.namespace, &*e.name.local),
            ("", "rss" | "feed" | "channel") | ("rdf", "rdf")
        )
    })
}

/// The feed under `root`: its title and its items, complete ones only
/// (an item the document was cut off inside is dropped).
pub fn read(tree: &Tree, root: usize, base: Option<&url::Url>) -> ParsedFeed {
    let mut items = Vec::new();
    collect_items(tree, root, &mut items);
    // The channel's title, not an item's or an image's.
    let channel = tree
        .child_elements(root)
        .find(|&id| tree.element(id).is("", "channel"))
        .unwrap_or(root);
    let title = [channel, root]
        .iter()
        .find_map(|&id| child(tree, id, &TITLES[..2]))
        .and_then(|id| text_of(tree, id, false).map(Text::into_plain));
    let mut parsed = ParsedFeed {
        title,
        ..ParsedFeed::default()
    };
    let atom = &*tree.element(root).name.local == "feed";
    for id in items {
        if !tree.element(id).closed {
            parsed.skipped += 1;
            continue;
        }
        match crate::contained::contained(|| item(tree, id, atom, base)).flatten() {
            Some(item) => parsed.items.push(item),
            None => parsed.skipped += 1,
        }
    }
    parsed
}

/// Every `item` and `entry` under `id`, not looking inside one (an Atom
/// entry's `source` is its feed's, not more entries).
fn collect_items(tree: &Tree, id: usize, items: &mut Vec<usize>) {
    for child in tree.child_elements(id) {
        let element = tree.element(child);
        match (&*element.name.namespace, &*element.name.local) {
            ("", "item" | "entry") => items.push(child),
            (_, "source" | "image" | "textinput") => {}
            _ => collect_items(tree, child, items),
        }
    }
}

fn item(tree: &Tree, id: usize, atom: bool, base: Option<&url::Url>) -> Option<Item> {
    let title = child(tree, id, &TITLES)
        .or_else(|| nested(tree, id, "media", "title"))
        .and_then(|t| text_of(tree, t, atom));
    let text = TEXTS
        .iter()
        .filter_map(|place| child(tree, id, std::slice::from_ref(place)))
        .chain(nested(tree, id, "media", "description"))
        .find_map(|t| text_of(tree, t, atom).filter(|text| !text.is_empty()));
    let link = link(tree, id).map(|l| absolute(&l, base));
    let id_text = child(tree, id, &IDS)
        .map(|i| tree.text(i).trim().to_owned())
        .filter(|i| !i.is_empty())
        .or_else(|| tree.element(id).attribute("rdf:about").map(str::to_owned));
    let date = DATES
        .iter()
        .filter_map(|place| child(tree, id, std::slice::from_ref(place)))
        .find_map(|d| crate::dates::feed_date(&tree.text(d)));
    let mut enclosures = enclosures(tree, id, base);
    if let (Some(first), Some(duration)) = (enclosures.first_mut(), duration(tree, id)) {
        first.duration = first.duration.or(Some(duration));
    }
    Item::new(id_text, title, text, date, link, enclosures)
}

/// The first direct child of `id` at one of `places`.
fn child(tree: &Tree, id: usize, places: &[(&str, &str)]) -> Option<usize> {
    places.iter().find_map(|(namespace, local)| {
        tree.child_elements(id)
            .find(|&c| tree.element(c).is(namespace, local))
    })
}

/// A child of a `media:group` or `media:content` of `id` (where Media RSS
/// puts titles and descriptions too).
fn nested(tree: &Tree, id: usize, namespace: &str, local: &str) -> Option<usize> {
    tree.child_elements(id)
        .filter(|&c| {
            let e = tree.element(c);
            e.is("media", "group") || e.is("media", "content")
        })
        .find_map(|group| {
            child(tree, group, &[(namespace, local)])
                .or_else(|| nested(tree, group, namespace, local))
        })
}

/// An element's text as its `type` and `mode` say it is: plain, HTML
/// (escaped or written inside), XHTML, or base64 of either.
fn text_of(tree: &Tree, id: usize, atom: bool) -> Option<Text> {
    let element = tree.element(id);
    let kind = element
        .attribute("type")
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let mode = element.attribute("mode").unwrap_or("").to_ascii_lowercase();
    // A media type that is neither text nor XML is base64 (Atom 1.0).
    let is_base64 = mode == "base64"
        || !(!kind.contains('/')
            || kind.starts_with("text/")
            || kind.ends_with("+xml")
            || kind.ends_with("/xml"));
    if is_base64 {
        let encoded: String = tree.text(id).split_whitespace().collect();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(encoded.as_bytes())
            .ok()?;
        let decoded = String::from_utf8_lossy(&bytes).into_owned();
        return Some(guessed(decoded, false));
    }
    let markup = tree.has_child_elements(id);
    let text = match (kind.as_str(), mode.as_str()) {
        ("xhtml" | "application/xhtml+xml", _) | (_, "xml") => Text::Html(tree.inner_markup(id)),
        ("html" | "text/html", _) | (_, "escaped") if markup => Text::Html(tree.inner_markup(id)),
        ("html" | "text/html", _) | (_, "escaped") => Text::Html(tree.text(id).into_owned()),
        _ if markup => Text::Html(tree.inner_markup(id)),
        ("text" | "text/plain", _) => Text::Plain(tree.text(id).into_owned()),
        _ => guessed(tree.text(id).into_owned(), atom),
    };
    Some(text)
}

/// Text with no type: Atom's is plain (the standard's default); elsewhere it is HTML when it looks
/// like HTML (a closing tag or an entity), as feedparser guesses.
fn guessed(text: String, atom: bool) -> Text {
    if !atom && looks_like_html(&text) {
        Text::Html(text)
    } else {
        Text::Plain(text)
    }
}

fn looks_like_html(text: &str) -> bool {
    let closing = text.match_indices("</").any(|(at, _)| {
        let rest = &text[at + 2..];
        let name = rest.len()
            - rest
                .trim_start_matches(|c: char| c.is_ascii_alphanumeric())
                .len();
        name > 0 && rest[name..].starts_with('>')
    });
    let entity = text.match_indices('&').any(|(at, _)| {
        let rest = &text[at + 1..];
        let rest = rest.strip_prefix('#').unwrap_or(rest);
        let name = rest.len()
            - rest
                .trim_start_matches(|c: char| c.is_ascii_alphanumeric())
                .len();
        name > 0 && rest[name..].starts_with(';')
    });
    closing || entity || text.contains("<br") || text.contains("<p>")
}

/// The item's page: an Atom `link` to its alternate (or with no `rel`),
/// else RSS's `link` text, else a `guid` that is a permalink address.
fn link(tree: &Tree, id: usize) -> Option<String> {
    let links: Vec<&Element> = tree
        .child_elements(id)
        .map(|c| tree.element(c))
        .filter(|e| e.is("", "link"))
        .collect();
    let atom = links.iter().find_map(|e| {
        let rel = e.attribute("rel").unwrap_or("alternate");
        (rel == "alternate").then(|| e.attribute("href")).flatten()
    });
    let rss = || {
        tree.child_elements(id)
            .find(|&c| {
                tree.element(c).is("", "link") && tree.element(c).attribute("href").is_none()
            })
            .map(|c| tree.text(c))
    };
    let guid = || {
        child(tree, id, &IDS[..1])
            .filter(|&g| tree.element(g).attribute("ispermalink") != Some("false"))
            .map(|g| tree.text(g))
            .filter(|g| g.trim_start().starts_with("http"))
    };
    atom.map(Cow::Borrowed)
        .or_else(rss)
        .or_else(guid)
        .map(|l| l.trim().to_owned())
        .filter(|l| !l.is_empty())
}

/// `link` made absolute against the feed's address, when it is relative.
fn absolute(link: &str, base: Option<&url::Url>) -> String {
    // An address with a scheme is never relative: no need to parse it.
    let scheme = link.split_once(':').is_some_and(|(scheme, _)| {
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    if scheme {
        return link.to_owned();
    }
    match (url::Url::parse(link), base) {
        (Err(url::ParseError::RelativeUrlWithoutBase), Some(base)) => base
            .join(link)
            .map_or_else(|_| link.to_owned(), |u| u.to_string()),
        _ => link.to_owned(),
    }
}

/// RSS enclosures, Atom `rel="enclosure"` links and Media RSS content
/// (inside `media:group` too), each address once.
fn enclosures(tree: &Tree, id: usize, base: Option<&url::Url>) -> Vec<Enclosure> {
    let mut found: Vec<Enclosure> = Vec::new();
    let mut add = |e: &Element, address: &str, size: &str| {
        let Some(url) = e.attribute(address).map(|u| absolute(u.trim(), base)) else {
            return;
        };
        if url.is_empty() || found.iter().any(|f| f.url == url) {
            return;
        }
        found.push(Enclosure {
            url,
            kind: e.attribute("type").map(|t| t.trim().to_owned()),
            length: e.attribute(size).and_then(|l| l.trim().parse().ok()),
            duration: e.attribute("duration").and_then(seconds),
        });
    };
    let mut groups = vec![id];
    while let Some(parent) = groups.pop() {
        for c in tree.child_elements(parent) {
            let e = tree.element(c);
            match (&*e.name.namespace, &*e.name.local) {
                ("", "enclosure") => add(e, "url", "length"),
                ("", "link") if e.attribute("rel") == Some("enclosure") => add(e, "href", "length"),
                ("media", "content") => add(e, "url", "filesize"),
                ("media", "group") => groups.push(c),
                _ => {}
            }
        }
    }
    found
}

/// `itunes:duration` in seconds.
fn duration(tree: &Tree, id: usize) -> Option<u64> {
    child(tree, id, &[("itunes", "duration")]).and_then(|d| seconds(&tree.text(d)))
}

/// "45:10", "1:02:03" or "2710" as seconds.
fn seconds(text: &str) -> Option<u64> {
    let text = text.trim();
    let whole = text.split('.').next().unwrap_or(text);
    whole
        .split(':')
        .try_fold(0u64, |total, part| {
            Some(total.checked_mul(60)? + part.trim().parse::<u64>().ok()?)
        })
        .filter(|_| !whole.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed(xml: &str) -> ParsedFeed {
        let tree = crate::feeds::xml_tree::read(xml);
        read(&tree, root(&tree).unwrap(), None)
    }

    fn titles_and_texts(parsed: &ParsedFeed) -> Vec<(String, String)> {
        parsed
            .items
            .iter()
            .map(|i| (i.title.clone().unwrap_or_default(), i.paragraphs.join("|")))
            .collect()
    }

    #[test]
    fn titles_and_texts_come_from_every_place_feeds_put_them() {
        let parsed = feed(
            "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#' xmlns='http://purl.org/rss/1.0/'
              xmlns:dc='http://purl.org/dc/elements/1.1/' xmlns:content='http://purl.org/rss/1.0/modules/content/'
              xmlns:itunes='http://www.itunes.com/dtds/podcast-1.0.dtd' xmlns:media='http://search.yahoo.com/mrss/'>
             <channel><title>Chan</title></channel>
             <item rdf:about='urn:1'><dc:title>Dublin</dc:title><dc:description>Core text</dc:description></item>
             <item rdf:about='urn:2'><title>Encoded</title><description>short</description>
               <content:encoded><![CDATA[<p>Long <b>text</b></p>]]></content:encoded></item>
             <item rdf:about='urn:3'><itunes:summary>Episode notes</itunes:summary></item>
             <item rdf:about='urn:4'><media:group><media:title>Clip</media:title>
               <media:description>Seen</media:description></media:group></item>
             </rdf:RDF>",
        );
        assert_eq!(parsed.title.as_deref(), Some("Chan"));
        assert_eq!(
            titles_and_texts(&parsed),
            [
                ("Dublin".into(), "Core text".into()),
                ("Encoded".into(), "Long text".into()),
                ("".into(), "Episode notes".into()),
                ("Clip".into(), "Seen".into()),
            ]
        );
        assert_eq!(parsed.items[0].key, "urn:1");
    }

    #[test]
    fn atom_text_constructs_are_read_by_type_and_mode() {
        let parsed = feed(
            "<feed version='0.3' xmlns='http://purl.org/atom/ns#'><title>Old Atom</title>
             <entry><title type='text/html' mode='escaped'>A &lt;b&gt;bold&lt;/b&gt; one</title>
               <content type='application/xhtml+xml' mode='xml'><div xmlns='http://www.w3.org/1999/xhtml'><p>X<i>H</i></p></div></content></entry>
             <entry><title type='text'>AT&amp;T &lt;3</title>
               <content type='text/html' mode='base64'>PHA+QmFzZSBzaXh0eS1mb3VyPC9wPg==</content></entry>
             <entry><title>Octets</title><content type='application/octet-stream'>SGVsbG8=</content></entry>
             </feed>",
        );
        assert_eq!(parsed.title.as_deref(), Some("Old Atom"));
        assert_eq!(
            titles_and_texts(&parsed),
            [
                ("A bold one".into(), "XH".into()),
                ("AT&T <3".into(), "Base sixty-four".into()),
                ("Octets".into(), "Hello".into()),
            ]
        );
    }

    #[test]
    fn enclosures_dates_and_links_are_kept() {
        let parsed = feed(
            "<rss xmlns:itunes='http://www.itunes.com/dtds/podcast-1.0.dtd' xmlns:media='http://search.yahoo.com/mrss/'><channel>
             <item><title>Episode 1</title><link>/ep/1</link><pubDate>Sat, 07 Sep 2002 00:00:01 EST</pubDate>
               <enclosure url='http://cdn.example/1.mp3' type='audio/mpeg' length='4500000'/>
               <media:content url='http://cdn.example/1.mp3' type='audio/mpeg'/>
               <media:group><media:content url='http://cdn.example/1.ogg' type='audio/ogg' fileSize='300' duration='60'/></media:group>
               <itunes:duration>45:10</itunes:duration></item>
             </channel></rss>",
        );
        let item = &parsed.items[0];
        assert_eq!(item.date, Some(1_031_374_801));
        let enclosure = |url: &str, kind: &str, length, duration| Enclosure {
            url: url.into(),
            kind: Some(kind.into()),
            length: Some(length),
            duration: Some(duration),
        };
        assert_eq!(
            item.enclosures,
            [
                enclosure("http://cdn.example/1.mp3", "audio/mpeg", 4_500_000, 2710),
                enclosure("http://cdn.example/1.ogg", "audio/ogg", 300, 60),
            ]
        );
        let base = url::Url::parse("https://site.example/feed.xml").unwrap();
        assert_eq!(absolute("/ep/1", Some(&base)), "https://site.example/ep/1");
        assert_eq!(seconds("1:02:03"), Some(3723));
        assert_eq!(seconds("soon"), None);
    }
}
