//! The files a library is made of, as one walk of its paths finds them.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::load::{self, Diagnostic, FileStat, FileToLoad};

/// The files and problems a walk of some paths finds, walked the first
/// time they are wanted (the reader's background check of a library shown
/// as stored compares without holding them:
/// [`super::snapshot::walk_unchanged`]); each file's stat is taken the
/// first time one is wanted (a first run, with nothing to compare, takes
/// none).
pub struct Walk {
    paths: Vec<PathBuf>,
    entries: std::sync::OnceLock<Vec<Result<FileToLoad, Diagnostic>>>,
    stats: std::sync::OnceLock<Vec<Option<FileStat>>>,
}

impl Walk {
    pub fn new(paths: &[PathBuf]) -> Walk {
        Walk {
            paths: paths.to_vec(),
            entries: std::sync::OnceLock::new(),
            stats: std::sync::OnceLock::new(),
        }
    }

    /// The paths walked.
    pub fn paths(&self) -> &[PathBuf] {
        &self.paths
    }

    /// The files and problems found, in walk order.
    pub fn entries(&self) -> &[Result<FileToLoad, Diagnostic>] {
        self.entries.get_or_init(|| load::walk(&self.paths))
    }

    pub fn into_entries(self) -> Vec<Result<FileToLoad, Diagnostic>> {
        self.entries
            .into_inner()
            .unwrap_or_else(|| load::walk(&self.paths))
    }

    /// Every file's stat now (None for problems and vanished files), taken
    /// on both cores.
    pub fn stats(&self) -> &[Option<FileStat>] {
        self.stats.get_or_init(|| {
            self.entries()
                .par_iter()
                .with_min_len(256)
                .map(|entry| load::stat(&entry.as_ref().ok()?.path).ok())
                .collect()
        })
    }

    /// Each walked file's absolute path (empty for problems): files are
    /// keyed by it, so one file opened from two folders is one row.
    pub fn absolute_paths(&self) -> Vec<Vec<u8>> {
        self.entries()
            .par_iter()
            .map(|entry| {
                entry
                    .as_ref()
                    .map_or_else(|_| Vec::new(), |f| absolute(&f.path))
            })
            .collect()
    }
}

/// Files are keyed by their absolute path, as bytes.
pub fn absolute(path: &Path) -> Vec<u8> {
    std::path::absolute(path)
        .unwrap_or_else(|_| path.to_owned())
        .into_os_string()
        .into_encoded_bytes()
}
