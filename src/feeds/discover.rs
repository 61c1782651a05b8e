//! What to subscribe to when given an address: the feed itself, or the
//! feeds a web page links (`<link rel="alternate">` with an RSS, Atom or
//! JSON Feed type), else the feed at one of the paths sites usually put it
//! (`/feed`, `/rss.xml`, ...), as NetNewsWire and Miniflux find them.

use super::fetch::Fetched;
use super::folder::Bookkeeping;

/// A feed found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub url: String,
    /// Its title: the link's, else the feed's own.
    pub title: Option<String>,
}

/// The media types of feeds that pages link.
const FEED_TYPES: [&str; 7] = [
    "application/rss+xml",
    "application/atom+xml",
    "application/feed+json",
    "application/json",
    "application/rdf+xml",
    "application/x.atom+xml",
    "application/x-rss+xml",
];

/// Where sites usually put their feed, tried in turn when a page links
/// none: beside the page (a blog in a folder), then at the site's root.
const USUAL_PATHS: [&str; 8] = [
    "feed",
    "feed/",
    "rss.xml",
    "atom.xml",
    "index.xml",
    "feed.xml",
    "rss",
    "feed.json",
];

/// The feeds at or behind `url`: the address itself when it is a feed,
/// else those its page links (in page order), else one at a usual path.
/// The error says why there is none.
pub fn discover(
    agent: &ureq::Agent,
    url: &str,
    max_bytes: u64,
    timeout: u64,
) -> Result<Vec<Found>, String> {
    let (bytes, content_type, page) = fetch(agent, url, max_bytes, timeout)?;
    let why = match super::parse::parse(&bytes, content_type.as_deref(), &page) {
        Ok(feed) => {
            return Ok(vec![Found {
                url: url.to_owned(),
                title: feed.title,
            }]);
        }
        Err(why) => why,
    };
    let text = super::charset::decode(&bytes, content_type.as_deref()).text;
    let tree = super::xml_tree::read(&text);
    let is_page = tree
        .find(|e| matches!(&*e.name.local, "html" | "head" | "body"))
        .is_some();
    if !is_page {
        return Err(why);
    }
    let linked = linked_feeds(&tree, &page);
    if !linked.is_empty() {
        return Ok(linked);
    }
    let base = url::Url::parse(&page).map_err(|e| e.to_string())?;
    let beside = USUAL_PATHS.iter().map(|p| (*p).to_owned());
    let at_root = USUAL_PATHS.iter().map(|p| format!("/{p}"));
    let mut tried_already = std::collections::HashSet::new();
    for path in beside.chain(at_root) {
        let Ok(candidate) = base.join(&path) else {
            continue;
        };
        if !tried_already.insert(candidate.clone()) {
            continue;
        }
        let Ok((bytes, content_type, at)) = fetch(agent, candidate.as_str(), max_bytes, timeout)
        else {
            continue;
        };
        if let Ok(feed) = super::parse::parse(&bytes, content_type.as_deref(), &at) {
            return Ok(vec![Found {
                url: candidate.to_string(),
                title: feed.title,
            }]);
        }
    }
    Err(why)
}

/// `feeds` with each address that is a web page replaced by the first
/// feed it links (an OPML import's outlines); one that cannot be fetched
/// now stays as it is, for the update to say why.
pub fn feeds_of_pages(
    feeds: Vec<super::Subscription>,
    settings: &crate::config::FeedSettings,
) -> Vec<super::Subscription> {
    let agent = crate::web::agent(settings.timeout);
    let addresses: Vec<&str> = feeds.iter().map(|f| f.url.as_str()).collect();
    let found = super::update::in_parallel(
        &addresses,
        settings.jobs,
        |i| discover(&agent, addresses[i], settings.max_bytes, settings.timeout),
        || Err(String::new()),
    );
    feeds
        .iter()
        .zip(found)
        .map(
            |(feed, found)| match found.ok().and_then(|f| f.into_iter().next()) {
                Some(first) => super::Subscription {
                    url: first.url,
                    ..feed.clone()
                },
                None => feed.clone(),
            },
        )
        .collect()
}

/// The feeds a page's `<link rel="alternate">` elements name, each once,
/// made absolute against the page (or its `<base href>`).
fn linked_feeds(tree: &super::xml_tree::Tree, page: &str) -> Vec<Found> {
    let page = url::Url::parse(page).ok();
    let base = tree
        .elements
        .iter()
        .find(|e| &*e.name.local == "base")
        .and_then(|e| e.attribute("href"))
        .and_then(|href| match &page {
            Some(page) => page.join(href).ok(),
            None => url::Url::parse(href).ok(),
        })
        .or(page);
    let mut found: Vec<Found> = Vec::new();
    for element in tree.elements.iter().filter(|e| &*e.name.local == "link") {
        let rel = element.attribute("rel").unwrap_or("").to_ascii_lowercase();
        let kind = element
            .attribute("type")
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        let kind = kind.split(';').next().unwrap_or("").trim();
        if !rel.split_whitespace().any(|r| r == "alternate") || !FEED_TYPES.contains(&kind) {
            continue;
        }
        let Some(href) = element
            .attribute("href")
            .map(str::trim)
            .filter(|h| !h.is_empty())
        else {
            continue;
        };
        let absolute = match &base {
            Some(base) => base.join(href).map(|u| u.to_string()),
            None => url::Url::parse(href).map(|u| u.to_string()),
        };
        let Ok(url) = absolute else { continue };
        if crate::web::checked_url(&url).is_ok() && !found.iter().any(|f| f.url == url) {
            let title = element
                .attribute("title")
                .map(crate::text::sanitize::clean_line)
                .filter(|t| !t.is_empty());
            found.push(Found { url, title });
        }
    }
    found
}

/// The body at `url`, what the server said it is, and where it ended up.
fn fetch(
    agent: &ureq::Agent,
    url: &str,
    max_bytes: u64,
    timeout: u64,
) -> Result<(Vec<u8>, Option<String>, String), String> {
    let asked = Bookkeeping::default();
    match super::fetch::fetch(agent, url, &asked, max_bytes, timeout)? {
        Fetched::Body {
            bytes,
            content_type,
            url,
            ..
        } => Ok((bytes, content_type, url)),
        // Nothing was asked conditionally, so no server should say this.
        Fetched::NotModified => Err("HTTP 304 to a request that asked for the whole feed".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pages_feed_links_are_found_absolute_and_once() {
        let page = "<!DOCTYPE html><html><head><title>Site</title>
            <link rel=stylesheet href=/s.css>
            <link rel=\"alternate\" type=\"application/rss+xml\" title=\"News &amp; more\" href=\"/rss.xml\">
            <link rel='alternate home' type='application/atom+xml' href='https://other.example/atom'>
            <link rel=alternate type=application/rss+xml href=/rss.xml>
            <link rel=alternate type=text/html href=/fr/>
            </head><body><p>Hello<br></body></html>";
        let tree = crate::feeds::xml_tree::read(page);
        assert_eq!(
            linked_feeds(&tree, "https://site.example/blog/"),
            [
                Found {
                    url: "https://site.example/rss.xml".into(),
                    title: Some("News & more".into())
                },
                Found {
                    url: "https://other.example/atom".into(),
                    title: None
                },
            ]
        );
    }
}
