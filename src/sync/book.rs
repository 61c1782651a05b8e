//! Where sync keeps its things, and what the last sync saw
//! (`.sync.toml`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Where sync keeps its things.
pub struct Places {
    /// The synced stories, a folder per feed, and `.sync.toml`.
    pub stories: PathBuf,
    /// The changes not yet sent, beside the state file.
    pub journal: PathBuf,
    pub state: PathBuf,
}

impl Places {
    pub fn new(data: &Path, state: &Path) -> Places {
        Places {
            stories: data.join("sync"),
            journal: state.with_file_name("sync-journal.toml"),
            state: state.to_owned(),
        }
    }
}

/// What the last sync saw, kept in `.sync.toml` in the synced stories'
/// folder: each article's story id, server id and marks as the server
/// had them.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Book {
    /// Milliseconds since the epoch.
    pub last_sync: Option<i64>,
    /// The newest article id seen: later syncs ask only for newer ones.
    #[serde(default)]
    pub max_id: i64,
    #[serde(default)]
    pub articles: BTreeMap<String, Seen>,
    /// The feeds synced, by the address their stories are named after
    /// (`URL#ID`), with their titles: sources in the reader, like the
    /// feeds of feeds.toml.
    #[serde(default)]
    pub feeds: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seen {
    pub id: i64,
    /// The feed it is in, on the server.
    #[serde(default)]
    pub feed: i64,
    pub read: bool,
    pub starred: bool,
}

const BOOK: &str = ".sync.toml";

impl Book {
    pub fn load(folder: &Path) -> Book {
        std::fs::read_to_string(folder.join(BOOK))
            .ok()
            .and_then(|text| toml::from_str(&text).ok())
            .unwrap_or_default()
    }

    pub(super) fn save(&self, folder: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(folder)?;
        let text = toml::to_string(self).map_err(std::io::Error::other)?;
        crate::atomic_file::write(&folder.join(BOOK), text.as_bytes())
    }
}
