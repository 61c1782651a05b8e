//! The state file on disk: found, read, set aside when unreadable, and
//! written so that nothing is ever lost:
//!
//! - atomically: a temporary file in the same folder, flushed and synced,
//!   renamed over the old one, then the folder synced, so a crash leaves
//!   the old file or the new one, never a torn one;
//! - under a lock, after reading back what other processes wrote and
//!   merging it in, newer changes winning, so two readers on one file keep
//!   both their marks;
//! - never over an unreadable file, which is renamed aside instead.

use std::fs::{self, File, OpenOptions};
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use compact_str::CompactString;

use super::{Mark, ReadError, ReadState, SaveError, file};
use crate::io_error;
use crate::text::sanitize;

/// What identifies one version of the file: every save replaces the file
/// with a new one (a new inode), so an unchanged stamp means nobody else
/// wrote it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    inode: u64,
    len: u64,
    modified: i64,
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        let meta = fs::metadata(path).ok()?;
        Some(Stamp {
            inode: meta.ino(),
            len: meta.len(),
            modified: meta.mtime_nsec() + meta.mtime() * 1_000_000_000,
        })
    }
}

pub struct Store {
    path: PathBuf,
    /// The version of the file last read or written here.
    seen: Option<Stamp>,
}

/// The state read at start, and anything the user must be told about it.
pub struct LoadedState {
    pub state: ReadState,
    /// The whole story, for stderr once the screen is back.
    pub notice: Option<String>,
}

impl LoadedState {
    /// The same, short enough for the status line.
    pub fn status_note(&self) -> Option<&'static str> {
        self.notice
            .as_ref()
            .map(|_| "state file unreadable: set aside, no marks loaded (details when you quit)")
    }
}

impl Store {
    pub fn new(path: PathBuf) -> Store {
        Store { path, seen: None }
    }

    fn shown(&self) -> String {
        sanitize(&self.path.to_string_lossy()).into_owned()
    }

    /// Reads the file; a missing one is no marks. An unreadable one is
    /// renamed aside, never to be overwritten, and said so.
    pub fn load(&mut self) -> LoadedState {
        match self.read() {
            Ok(state) => LoadedState {
                state: state.unwrap_or_default(),
                notice: None,
            },
            Err(problem) => LoadedState {
                state: ReadState::default(),
                notice: Some(self.set_aside(&problem)),
            },
        }
    }

    /// Reads the file without changing anything on disk, for commands that
    /// only look.
    pub fn peek(path: &Path) -> Result<ReadState, ReadError> {
        Store::new(path.to_owned())
            .read()
            .map(Option::unwrap_or_default)
    }

    /// The file's marks; None when there is no file. Remembers which
    /// version was read.
    fn read(&mut self) -> Result<Option<ReadState>, ReadError> {
        let stamp = Stamp::of(&self.path);
        let text = match fs::read(&self.path) {
            Ok(bytes) => String::from_utf8(bytes).map_err(|_| ReadError::NotUtf8)?,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e.into()),
        };
        let state = file::parse(&text)?;
        self.seen = stamp;
        Ok(Some(state))
    }

    /// Renames an unreadable file out of the way; returns what to tell the
    /// user.
    fn set_aside(&mut self, problem: &ReadError) -> String {
        let stamp = crate::dates::file_stamp();
        let mut aside = self.path.with_extension(format!("toml.unreadable-{stamp}"));
        let mut n = 1;
        while aside.exists() {
            n += 1;
            aside = self
                .path
                .with_extension(format!("toml.unreadable-{stamp}-{n}"));
        }
        match fs::rename(&self.path, &aside) {
            Ok(()) => format!(
                "{}: unreadable ({problem}); kept as {} and started with no marks",
                self.shown(),
                sanitize(&aside.to_string_lossy())
            ),
            Err(e) => format!(
                "{}: unreadable ({problem}) and could not be set aside ({}); marks will not be saved",
                self.shown(),
                io_error::in_words(&e)
            ),
        }
    }

    /// What another process saved since this one last read or wrote the
    /// file, if anything: merged into `state`, and the marks that changed
    /// by it given back. An unreadable file is left for the next save.
    pub fn refresh(&mut self, state: &mut ReadState) -> Vec<(CompactString, Mark)> {
        if Stamp::of(&self.path) == self.seen {
            return Vec::new();
        }
        match self.read() {
            Ok(Some(theirs)) => state.merge(theirs),
            Ok(None) | Err(_) => Vec::new(),
        }
    }

    /// Saves `state`: under the lock, merges in what other processes saved
    /// since this one last looked (so `state` gains their marks), then
    /// writes atomically.
    pub fn save(&mut self, state: &mut ReadState) -> Result<Saved, SaveError> {
        let shown = self.shown();
        let write_error = |source| SaveError::Write {
            path: shown.clone(),
            source,
        };
        let dir = self
            .path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_owned();
        fs::create_dir_all(&dir).map_err(write_error)?;
        let lock = lock_beside(&self.path).map_err(|source| SaveError::Lock {
            path: shown.clone(),
            source,
        })?;
        let mut saved = Saved::default();
        if Stamp::of(&self.path) != self.seen {
            match self.read() {
                Ok(Some(theirs)) => saved.merged = state.merge(theirs),
                Ok(None) => {}
                Err(problem) => saved.notice = Some(self.set_aside(&problem)),
            }
        }
        let text = file::serialize(state);
        crate::atomic_file::write(&self.path, text.as_bytes()).map_err(write_error)?;
        self.seen = Stamp::of(&self.path);
        drop(lock);
        Ok(saved)
    }
}

/// What a save found on the way.
#[derive(Debug, Default)]
pub struct Saved {
    /// Something to tell the user: an unreadable file was set aside.
    pub notice: Option<String>,
    /// Marks another process had saved that changed this one's.
    pub merged: Vec<(CompactString, Mark)>,
}

/// An exclusive lock on `state.toml.lock` beside the file, held until the
/// returned file is dropped. (Not on the state file itself: that is
/// replaced by each save, and a lock on a replaced file guards nothing.)
fn lock_beside(path: &Path) -> io::Result<File> {
    let lock = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path.with_extension("toml.lock"))?;
    lock.lock()?;
    Ok(lock)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saves_merge_what_another_process_saved() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/state.toml");
        let mut mine = Store::new(path.clone());
        let mut theirs = Store::new(path.clone());
        let mut my_state = mine.load().state;
        let mut their_state = theirs.load().state;
        my_state.set_read("mine", true, 10);
        mine.save(&mut my_state).unwrap();
        their_state.set_read("theirs", true, 20);
        theirs.save(&mut their_state).unwrap();
        my_state.set_read("mine-too", true, 30);
        mine.save(&mut my_state).unwrap();
        let on_disk = Store::peek(&path).unwrap();
        for id in ["mine", "theirs", "mine-too"] {
            assert!(on_disk.is_read(id), "{id} lost");
        }
    }

    #[test]
    fn an_unreadable_file_is_set_aside_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.toml");
        fs::write(&path, "this is [not toml").unwrap();
        let mut store = Store::new(path.clone());
        let loaded = store.load();
        assert!(loaded.state.marks.is_empty());
        let notice = loaded.notice.unwrap();
        assert!(
            notice.contains("unreadable") && notice.contains("kept as"),
            "{notice}"
        );
        let aside: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(aside.len(), 1);
        let kept = dir.path().join(&aside[0]);
        assert_eq!(fs::read_to_string(kept).unwrap(), "this is [not toml");
    }
}
