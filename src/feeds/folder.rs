//! A feed's folder: one TOML story per item (read by the loader like any
//! story file), and `.feed.toml`, the fetch's own bookkeeping, hidden from
//! the loader by its dot.

use std::collections::BTreeMap;
use std::io;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::items::{Enclosure, Item};
use crate::model::first_sentence_title;

/// The bookkeeping file's name in a feed's folder.
pub const BOOKKEEPING: &str = ".feed.toml";

/// What one fetch tells the next.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bookkeeping {
    /// For conditional requests: If-None-Match and If-Modified-Since.
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// When the feed was last fetched, and why that failed, if it did.
    pub last_update: Option<toml::value::Datetime>,
    pub last_error: Option<String>,
    /// The feed's own title, as it last said it.
    pub title: Option<String>,
    /// The last document read was ill-formed, read only by mending it
    /// (`feeds list` says "read with repairs").
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub repaired: bool,
    /// Every story id ever stored, with its date (seconds, 0 for none):
    /// a story kept is a file of that name; one without a file was deleted
    /// by the user or dropped past `max_items`, and never comes back.
    #[serde(default)]
    pub stories: BTreeMap<String, i64>,
}

impl Bookkeeping {
    /// The folder's bookkeeping; empty when missing or unreadable (the
    /// next fetch then asks for everything again, and stored stories are
    /// matched by their files).
    pub fn load(folder: &Path) -> Bookkeeping {
        std::fs::read_to_string(folder.join(BOOKKEEPING))
            .ok()
            .and_then(|text| toml::from_str(&text).ok())
            .unwrap_or_default()
    }

    /// Saves it, replacing the old one whole; the update syncs the disk
    /// once when every feed is saved (see [`store`]).
    pub fn save(&self, folder: &Path) -> io::Result<()> {
        let text = toml::to_string(self).map_err(io::Error::other)?;
        crate::atomic_file::write_unsynced(&folder.join(BOOKKEEPING), text.as_bytes())
    }
}

/// A stored story, as the loader reads it (README, "Structured").
#[derive(Serialize)]
struct StoryFile<'a> {
    title: &'a str,
    body: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<toml::value::Datetime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    tags: &'a [String],
    id: &'a str,
    /// Last: TOML writes tables after plain keys.
    #[serde(rename = "enclosure", skip_serializing_if = "<[Enclosure]>::is_empty")]
    enclosures: &'a [Enclosure],
}

/// Where a feed is stored, and what its stories carry.
pub struct Feed<'a> {
    pub url: &'a str,
    /// The name in lists: the subscription's title, else the feed's own.
    pub source: Option<&'a str>,
    pub tags: &'a [String],
    pub max_items: usize,
    /// Never dropped past `max_items`.
    pub starred: &'a Starred,
}

/// The ids of starred stories (from the state file).
pub type Starred = rustc_hash::FxHashSet<String>;

/// What storing a fetch changed.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct FolderChanges {
    pub new: usize,
    pub updated: usize,
    /// The new stories that have a web address: their files and pages,
    /// for a feed that fetches full text.
    pub pages: Vec<NewPage>,
}

/// A new story's file, web address and title.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPage {
    pub file: std::path::PathBuf,
    pub url: String,
    pub title: String,
}

/// A story's id: the feed's address and the item's key, hashed.
pub fn story_id(feed_url: &str, key: &str) -> String {
    let hash = xxhash_rust::xxh3::xxh3_64(format!("{feed_url}\n{key}").as_bytes());
    format!("{hash:016x}")
}

/// Writes the items of one fetch into `folder`: new ones as new files,
/// changed ones in place, none that was stored before and is gone; then
/// drops the oldest past `max_items`.
///
/// Each file is replaced whole (a killed update leaves no half file), but
/// not synced to the disk one by one: the update syncs once at its end.
/// Feed stories can be fetched again, and a sync per file made updating
/// a hundred feeds take seconds on this machine's disk.
pub fn store(
    folder: &Path,
    feed: &Feed,
    items: &[Item],
    book: &mut Bookkeeping,
) -> io::Result<FolderChanges> {
    std::fs::create_dir_all(folder)?;
    let mut stored = FolderChanges::default();
    for item in items {
        let id = story_id(feed.url, &item.key);
        let path = folder.join(format!("{id}.toml"));
        let known = book.stories.contains_key(&id);
        if known && !path.exists() {
            continue; // deleted, or dropped: stays away
        }
        let (mut text, title) = story_text(feed, item, &id);
        match std::fs::read_to_string(&path) {
            Ok(old) => {
                // The page's text fetched before stays with the story.
                if let Some(kept) = crate::extract::kept::carried(&old) {
                    text.push_str(&kept);
                }
                if old == text {
                    continue;
                }
                stored.updated += 1;
            }
            Err(_) => {
                stored.new += 1;
                if let Some(url) = &item.url {
                    stored.pages.push(NewPage {
                        file: path.clone(),
                        url: url.clone(),
                        title,
                    });
                }
            }
        }
        crate::atomic_file::write_unsynced(&path, text.as_bytes())?;
        book.stories.insert(id, item.date.unwrap_or(0));
    }
    drop_oldest(folder, feed, book)?;
    Ok(stored)
}

/// The story file's text, and the story's title.
fn story_text(feed: &Feed, item: &Item, id: &str) -> (String, String) {
    let body = if item.paragraphs.is_empty() {
        match &item.url {
            Some(_) => {
                "The feed gave no text for this story; o opens it in the browser.".to_owned()
            }
            None => "The feed gave no text for this story.".to_owned(),
        }
    } else {
        item.paragraphs.join("\n\n")
    };
    let title = match &item.title {
        Some(title) => title.clone(),
        None => first_sentence_title(&body),
    };
    let story = StoryFile {
        title: &title,
        body: &body,
        date: item.date.and_then(crate::dates::toml_datetime),
        source: feed.source,
        url: item.url.as_deref(),
        tags: feed.tags,
        id,
        enclosures: &item.enclosures,
    };
    (toml::to_string(&story).unwrap_or_default(), title)
}

/// Deletes the oldest stories beyond `max_items` (by date, undated first);
/// starred stories are kept aside, neither dropped nor counted. The ids
/// stay in the bookkeeping, so the stories dropped never come back.
fn drop_oldest(folder: &Path, feed: &Feed, book: &Bookkeeping) -> io::Result<()> {
    let mut kept: Vec<(i64, &String)> = book
        .stories
        .iter()
        .filter(|(id, _)| !feed.starred.contains(*id))
        .filter(|(id, _)| folder.join(format!("{id}.toml")).exists())
        .map(|(id, date)| (*date, id))
        .collect();
    if kept.len() <= feed.max_items {
        return Ok(());
    }
    kept.sort();
    for (_, id) in &kept[..kept.len() - feed.max_items] {
        std::fs::remove_file(folder.join(format!("{id}.toml")))?;
    }
    Ok(())
}
