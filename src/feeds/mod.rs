//! Subscriptions: the web feeds tidings follows, listed in `feeds.toml`
//! beside the configuration, one `[[feed]]` table each:
//!
//! ```toml
//! [[feed]]
//! url = "https://example.org/feed.xml"   # required, http or https
//! title = "Example News"                 # optional
//! tags = ["world", "daily"]              # optional
//! max_items = 500                        # optional: stories kept
//! full_text = true                       # optional: fetch each new story's page
//! ```
//!
//! Mistakes are reported as the configuration's are (file:line:column and
//! a did-you-mean). Adding and removing edit the file in place (toml_edit),
//! so the user's comments and order stay.

pub mod charset;
mod codepages;
pub mod discover;
pub mod fetch;
pub mod folder;
pub mod items;
pub mod json_feed;
pub mod opml;
pub mod parse;
pub mod syndication;
pub mod update;
pub mod xml_tree;

use std::path::Path;

use toml::de::DeTable;
use toml_edit::{Array, ArrayOfTables, DocumentMut, Item, Table, value};

use crate::config::{ConfigError, did_you_mean, value_in_words};
use crate::text::sanitize;

/// One feed followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub url: String,
    pub title: Option<String>,
    pub tags: Vec<String>,
    pub max_items: Option<usize>,
    /// Each new story's web page is fetched and its article kept as the
    /// story's text (for feeds that send only a summary).
    pub full_text: bool,
}

impl Subscription {
    pub fn new(url: &str) -> Subscription {
        Subscription {
            url: url.to_owned(),
            title: None,
            tags: Vec::new(),
            max_items: None,
            full_text: false,
        }
    }
}

/// The folder, under the feeds' data folder, that holds one feed's
/// stories: its host and path made safe for a file name, and a hash of the
/// whole address, so that two feeds never share one.
pub fn folder_name(url: &str) -> String {
    let readable: String = url
        .split_once("://")
        .map_or(url, |(_, rest)| rest)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .take(60)
        .collect();
    let hash = xxhash_rust::xxh3::xxh3_64(url.as_bytes());
    format!("{}-{:08x}", readable.trim_matches('-'), hash as u32)
}

/// The keys of a `[[feed]]` table.
const KEYS: [&str; 5] = ["url", "title", "tags", "max_items", "full_text"];

/// The subscriptions in the file at `path`; none when it is missing.
pub fn read(path: &Path) -> Result<Vec<Subscription>, ConfigError> {
    let shown = sanitize(&path.to_string_lossy()).into_owned();
    match std::fs::read(path) {
        Ok(bytes) => {
            let text = String::from_utf8(bytes).map_err(|e| {
                let message = format!("not UTF-8 text (byte {})", e.utf8_error().valid_up_to());
                whole_file(&shown, message)
            })?;
            parse(&text, &shown)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(whole_file(&shown, crate::io_error::in_words(&e))),
    }
}

fn whole_file(path: &str, message: String) -> ConfigError {
    ConfigError {
        path: path.to_owned(),
        line: 0,
        column: 0,
        message,
    }
}

/// Reads `text`, a subscriptions file shown as `path`.
pub fn parse(text: &str, path: &str) -> Result<Vec<Subscription>, ConfigError> {
    let at = |offset: usize, message: String| ConfigError::at(path, text, offset, &message);
    let document = DeTable::parse(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        at(offset, e.message().trim().to_owned())
    })?;
    let mut feeds: Vec<Subscription> = Vec::new();
    for (key, item) in document.get_ref() {
        if key.get_ref() != "feed" {
            let hint = did_you_mean(key.get_ref(), ["feed"]);
            let message = format!(
                "unknown key \"{}\"{hint}; feeds are [[feed]] tables",
                key.get_ref()
            );
            return Err(at(key.span().start, message));
        }
        let Some(tables) = item.get_ref().as_array() else {
            return Err(at(item.span().start, "feed must be [[feed]] tables".into()));
        };
        for table in tables.iter() {
            let Some(fields) = table.get_ref().as_table() else {
                return Err(at(
                    table.span().start,
                    "feed must be [[feed]] tables".into(),
                ));
            };
            let feed =
                subscription(fields, table.span().start).map_err(|(offset, m)| at(offset, m))?;
            if feeds.iter().any(|f| f.url == feed.url) {
                let message = format!("{} is listed twice", feed.url);
                return Err(at(table.span().start, message));
            }
            feeds.push(feed);
        }
    }
    Ok(feeds)
}

/// One `[[feed]]` table, or where and what is wrong with it.
fn subscription(fields: &DeTable, start: usize) -> Result<Subscription, (usize, String)> {
    let mut feed = Subscription::new("");
    for (key, item) in fields {
        let (name, found) = (key.get_ref().as_ref(), item.get_ref());
        let wrong = |expected: &str| {
            (
                item.span().start,
                format!("{name} must be {expected}, not {}", value_in_words(found)),
            )
        };
        match name {
            "url" => {
                let url = found
                    .as_str()
                    .ok_or_else(|| wrong("a web address (a string)"))?;
                feed.url = crate::web::checked_url(url).map_err(|m| (item.span().start, m))?;
            }
            "title" => {
                feed.title = Some(found.as_str().ok_or_else(|| wrong("a string"))?.to_owned())
            }
            "tags" => {
                let tags = found.as_array().ok_or_else(|| wrong("a list of strings"))?;
                for tag in tags.iter() {
                    let tag = tag
                        .get_ref()
                        .as_str()
                        .ok_or_else(|| wrong("a list of strings"))?;
                    feed.tags.push(tag.to_owned());
                }
            }
            "max_items" => {
                let n = found
                    .as_integer()
                    .and_then(|i| i64::from_str_radix(i.as_str(), i.radix()).ok())
                    .filter(|n| (1..=100_000).contains(n))
                    .ok_or_else(|| wrong("a number from 1 to 100000"))?;
                feed.max_items = Some(n as usize);
            }
            "full_text" => {
                feed.full_text = found.as_bool().ok_or_else(|| wrong("true or false"))?;
            }
            other => {
                let hint = did_you_mean(other, KEYS);
                return Err((
                    key.span().start,
                    format!("unknown key \"{other}\" in [[feed]]{hint}"),
                ));
            }
        }
    }
    if feed.url.is_empty() {
        return Err((start, "a [[feed]] without a url".into()));
    }
    Ok(feed)
}

/// What changing the subscriptions file can go wrong with.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    #[error(transparent)]
    Invalid(#[from] ConfigError),
    #[error("{path}: {message}")]
    Write { path: String, message: String },
}

/// Adds the feeds not subscribed yet to the file at `path` (made, with its
/// folder, if missing), keeping the rest of the file as it is. Gives the
/// ones added.
pub fn add(path: &Path, feeds: &[Subscription]) -> Result<Vec<Subscription>, EditError> {
    let existing = read(path)?;
    let mut document = document_at(path)?;
    let mut added: Vec<Subscription> = Vec::new();
    for feed in feeds {
        if existing.iter().chain(&added).any(|f| f.url == feed.url) {
            continue;
        }
        let tables = document
            .entry("feed")
            .or_insert(Item::ArrayOfTables(ArrayOfTables::new()));
        if let Some(tables) = tables.as_array_of_tables_mut() {
            tables.push(feed_table(feed));
            added.push(feed.clone());
        }
    }
    if !added.is_empty() {
        write_document(path, &document)?;
    }
    Ok(added)
}

/// Removes the feed with this address; false if it was not subscribed.
pub fn remove(path: &Path, url: &str) -> Result<bool, EditError> {
    let existing = read(path)?;
    if !existing.iter().any(|f| f.url == url.trim()) {
        return Ok(false);
    }
    let mut document = document_at(path)?;
    if let Some(tables) = document
        .get_mut("feed")
        .and_then(Item::as_array_of_tables_mut)
    {
        let is_it = |table: &Table| {
            table.get("url").and_then(Item::as_str).map(str::trim) == Some(url.trim())
        };
        // Comments above the first table are the file's own: they stay.
        if tables.get(0).is_some_and(is_it) && tables.len() > 1 {
            let heading = tables
                .get(0)
                .and_then(|t| t.decor().prefix())
                .and_then(|p| p.as_str())
                .unwrap_or("")
                .to_owned();
            if let Some(next) = tables.get_mut(1) {
                let own = next
                    .decor()
                    .prefix()
                    .and_then(|p| p.as_str())
                    .unwrap_or("")
                    .to_owned();
                next.decor_mut()
                    .set_prefix(format!("{heading}{}", own.trim_start_matches('\n')));
            }
        }
        tables.retain(|table| !is_it(table));
    }
    write_document(path, &document)?;
    Ok(true)
}

fn feed_table(feed: &Subscription) -> Table {
    let mut table = Table::new();
    table.insert("url", value(feed.url.as_str()));
    if let Some(title) = &feed.title {
        table.insert("title", value(title.as_str()));
    }
    if !feed.tags.is_empty() {
        let tags: Array = feed.tags.iter().map(String::as_str).collect();
        table.insert("tags", value(tags));
    }
    if let Some(max_items) = feed.max_items {
        table.insert("max_items", value(max_items as i64));
    }
    if feed.full_text {
        table.insert("full_text", value(true));
    }
    table
}

fn document_at(path: &Path) -> Result<DocumentMut, EditError> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(write_error(path, &e)),
    };
    // `read` has checked the file already, so this only fails on a race.
    text.parse()
        .map_err(|e: toml_edit::TomlError| EditError::Write {
            path: sanitize(&path.to_string_lossy()).into_owned(),
            message: e.message().to_owned(),
        })
}

fn write_document(path: &Path, document: &DocumentMut) -> Result<(), EditError> {
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder).map_err(|e| write_error(path, &e))?;
    }
    // A first table removed leaves the blank line that came before it.
    let text = document.to_string();
    crate::atomic_file::write(path, text.trim_start_matches('\n').as_bytes())
        .map_err(|e| write_error(path, &e))
}

fn write_error(path: &Path, e: &std::io::Error) -> EditError {
    EditError::Write {
        path: sanitize(&path.to_string_lossy()).into_owned(),
        message: crate::io_error::in_words(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mistake(text: &str) -> String {
        parse(text, "feeds.toml").unwrap_err().to_string()
    }

    #[test]
    fn reads_every_key_of_a_feed() {
        let feeds = parse(
            "[[feed]]\nurl = \"https://a.example/rss\"\ntitle = \"A\"\ntags = [\"x\", \"y\"]\nmax_items = 20\n\n[[feed]]\nurl = \"http://b.example/atom\"\n",
            "feeds.toml",
        )
        .unwrap();
        assert_eq!(
            feeds,
            [
                Subscription {
                    url: "https://a.example/rss".into(),
                    title: Some("A".into()),
                    tags: vec!["x".into(), "y".into()],
                    max_items: Some(20),
                    full_text: false,
                },
                Subscription::new("http://b.example/atom"),
            ]
        );
    }

    #[test]
    fn mistakes_name_the_place_and_a_likely_key() {
        assert_eq!(
            mistake("[[feed]]\nurl = \"https://a.example/\"\ntitel = \"A\"\n"),
            "feeds.toml:3:1: unknown key \"titel\" in [[feed]]; did you mean \"title\"?"
        );
        assert_eq!(
            mistake("[[feeds]]\nurl = \"https://a.example/\"\n"),
            "feeds.toml:1:3: unknown key \"feeds\"; did you mean \"feed\"?; feeds are [[feed]] tables"
        );
        assert_eq!(
            mistake("[[feed]]\ntitle = \"A\"\n"),
            "feeds.toml:1:1: a [[feed]] without a url"
        );
        assert_eq!(
            mistake("[[feed]]\nurl = \"ftp://a.example/\"\n"),
            "feeds.toml:2:7: url must be an http or https address, not \"ftp://a.example/\""
        );
        assert_eq!(
            mistake("[[feed]]\nurl = \"https://a.example/\"\nmax_items = 0\n"),
            "feeds.toml:3:13: max_items must be a number from 1 to 100000, not 0"
        );
    }

    #[test]
    fn folder_names_are_safe_and_distinct() {
        let a = folder_name("https://example.org/news/feed.xml?x=1");
        assert!(a.starts_with("example.org-news-feed.xml-x-1-"), "{a}");
        assert!(
            a.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        );
        assert_ne!(a, folder_name("https://example.org/news/feed.xml?x=2"));
    }
}
