//! What bringing the index up to date has to do: what the library is
//! opened for, which files to read again, which rows are gone.

use std::path::PathBuf;

use rustc_hash::FxHashSet;

use super::rows::IndexRows;
use super::walked::{Walk, absolute};
use crate::load::FileStat;

/// What a library is opened for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// For `check` and `list`: the index is brought up to date first, all
    /// but the stories' full text, which they never read.
    Now,
    /// For `search`: the same, and every story's full text.
    Search,
    /// For the reader: when most files are to be read (a first run), the
    /// stories are read into memory and shown, and the index is brought up
    /// to date in the background ([`Pending`]), full text too.
    Soon,
}

/// A file modified this recently may change again within the same tick of
/// its file system's clock (two seconds on FAT), keeping its size and
/// times: it is read again next time. (Its status-change time is compared
/// too, but is not waited for: it moves whenever a file is touched, and
/// cannot be set back.)
const SETTLE_NANOS: i64 = 2_000_000_000;

/// What bringing the index up to date has to do.
pub(super) struct Plan {
    /// Absolute path of each walked file (empty for problems).
    pub paths: Vec<Vec<u8>>,
    /// Walk positions of files to read.
    pub changed: Vec<usize>,
    /// Files in the index under the walked roots that the walk no longer
    /// finds.
    pub vanished: Vec<i64>,
}

impl Plan {
    pub fn new(roots: &[PathBuf], walk: &Walk, rows: &IndexRows) -> Plan {
        let now = now_nanos();
        let paths = walk.absolute_paths();
        let known = |i: usize| rows.files.get(&paths[i]);
        let compare = (0..walk.entries().len()).any(|i| known(i).is_some());
        let stats = if compare { walk.stats() } else { &[] };
        let changed = (0..walk.entries().len())
            .filter(|&i| {
                walk.entries()[i].is_ok()
                    && known(i).is_none_or(|row| {
                        !row.settled
                            || stats.get(i) != Some(&Some(row.stat))
                            || !settled(row.stat, now)
                    })
            })
            .collect();
        let walked: FxHashSet<&[u8]> = paths.iter().map(Vec::as_slice).collect();
        let roots: Vec<Vec<u8>> = roots.iter().map(|r| absolute(r)).collect();
        let under_a_root = |path: &[u8]| {
            roots.iter().any(|root| {
                path == root.as_slice()
                    || (path.starts_with(root)
                        && (root.ends_with(b"/") || path.get(root.len()) == Some(&b'/')))
            })
        };
        let vanished = rows
            .files
            .iter()
            .filter(|(path, _)| !walked.contains(path.as_slice()) && under_a_root(path))
            .map(|(_, row)| row.id)
            .collect();
        Plan {
            paths,
            changed,
            vanished,
        }
    }
}

/// What an update is for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Want {
    /// Building the library: every file's pieces are wanted, and the full
    /// text of changed files if `text`.
    Library { text: bool },
    /// Growing a library: only the changed files' pieces are wanted.
    Added { text: bool },
    /// Only the index, full text included (in the background): nothing is
    /// kept.
    Index,
}

/// Old enough to trust its stat: see [`SETTLE_NANOS`].
pub(super) fn settled(stat: FileStat, now: i64) -> bool {
    now - stat.modified >= SETTLE_NANOS
}

pub(super) fn now_nanos() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}
