//! The changes made here that the server has not had yet, in the order
//! they were made: a TOML file beside the state file, replaced whole
//! (atomically) at each change, so a crash or a server that cannot be
//! reached loses none of them.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::Fault;
use super::{MarkKind, Remote};

#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Journal {
    #[serde(default, rename = "change")]
    pub changes: Vec<Change>,
}

/// One mark to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// The story's id here, and the article's on the server.
    pub story: String,
    pub article: i64,
    /// `read` or `starred`.
    pub mark: String,
    pub on: bool,
    /// When it was made (milliseconds since the epoch).
    pub at: i64,
    /// The server's value when last synced: if the server's is not that
    /// any more, it changed there too.
    #[serde(default)]
    pub was: bool,
}

impl Change {
    pub fn read(story: &str, article: i64, read: bool, at: i64) -> Change {
        Change {
            story: story.to_owned(),
            article,
            mark: "read".into(),
            on: read,
            at,
            // A change is noted when the mark left the server's value.
            was: !read,
        }
    }

    pub fn starred(story: &str, article: i64, starred: bool, at: i64) -> Change {
        Change {
            mark: "starred".into(),
            ..Change::read(story, article, starred, at)
        }
    }
}

impl Journal {
    /// The journal at `path`; none there is an empty one. One that cannot
    /// be read stops the sync rather than be overwritten.
    pub fn load(path: &Path) -> Result<Journal, String> {
        match std::fs::read_to_string(path) {
            Ok(text) => toml::from_str(&text).map_err(|e| {
                format!(
                    "sync: {}: unreadable ({}); move it aside to sync again",
                    crate::text::sanitize(&path.to_string_lossy()),
                    e.message().trim()
                )
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Journal::default()),
            Err(e) => Err(format!("sync: {}", crate::io_error::in_words(&e))),
        }
    }

    pub fn save(&self, path: &Path) -> Result<(), String> {
        let write = || -> std::io::Result<()> {
            if self.changes.is_empty() {
                return match std::fs::remove_file(path) {
                    Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
                    _ => Ok(()),
                };
            }
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            let text = toml::to_string(self).map_err(std::io::Error::other)?;
            crate::atomic_file::write(path, text.as_bytes())
        };
        write().map_err(|e| {
            format!(
                "sync: cannot save the journal: {}",
                crate::io_error::in_words(&e)
            )
        })
    }

    /// Adds a change; an earlier one to the same mark of the same story
    /// is replaced by it (keeping what the server had).
    pub fn note(&mut self, mut change: Change) {
        if let Some(earlier) = self
            .changes
            .iter()
            .position(|c| c.story == change.story && c.mark == change.mark)
        {
            change.was = self.changes.remove(earlier).was;
        }
        self.changes.push(change);
    }

    /// Sends every change, in order, runs of the same kind in one call;
    /// those sent leave the journal. Gives how many were sent.
    pub fn send(&mut self, server: &dyn Remote) -> Result<usize, Fault> {
        let mut sent = 0;
        while let Some(first) = self.changes.first() {
            let (mark, on) = (first.mark.clone(), first.on);
            let run = self
                .changes
                .iter()
                .take_while(|c| c.mark == mark && c.on == on)
                .count()
                .min(1000);
            let ids: Vec<i64> = self.changes[..run].iter().map(|c| c.article).collect();
            let kind = match mark.as_str() {
                "starred" => MarkKind::Starred,
                _ => MarkKind::Read,
            };
            server.mark(&ids, kind, on)?;
            self.changes.drain(..run);
            sent += run;
        }
        Ok(sent)
    }
}
