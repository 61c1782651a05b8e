//! Read state: which stories are read, and where reading stopped. Keyed by
//! story id, so marks follow a story when its file moves. Kept in a TOML
//! file (`file`), written atomically and merged between processes
//! (`store`), saved in the background soon after each change (`saver`).

mod error;
mod file;
mod saver;
mod store;

use compact_str::CompactString;
use rustc_hash::FxHashMap;

pub use error::{ReadError, SaveError};
pub use file::{FORMAT_VERSION, parse, serialize};
pub use saver::{SaveStatus, Saver};
pub use store::{Loaded, Store, default_path};

use crate::model::Anchor;

/// One story's state. The read mark and the reading position change
/// separately and carry their own times, so two processes that changed
/// different things about one story both keep their change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Mark {
    pub read: bool,
    /// Milliseconds since the Unix epoch when `read` last changed; 0 never.
    pub marked: i64,
    pub position: Anchor,
    pub moved: i64,
}

impl Mark {
    /// Combines two views of one story: for each part, the newer change
    /// wins; on a tie, `self` (the caller's own) wins.
    pub fn merge(self, other: Mark) -> Mark {
        let (read, marked) = if other.marked > self.marked {
            (other.read, other.marked)
        } else {
            (self.read, self.marked)
        };
        let (position, moved) = if other.moved > self.moved {
            (other.position, other.moved)
        } else {
            (self.position, self.moved)
        };
        Mark {
            read,
            marked,
            position,
            moved,
        }
    }
}

/// Marks by story id. Ids are short (sixteen hex digits unless a file
/// names its own), so they are kept inline rather than each in an
/// allocation of its own: saving walks a hundred thousand of them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReadState {
    pub marks: FxHashMap<CompactString, Mark>,
}

impl ReadState {
    pub fn is_read(&self, id: &str) -> bool {
        self.marks.get(id).is_some_and(|m| m.read)
    }

    pub fn position(&self, id: &str) -> Anchor {
        self.marks.get(id).map_or(Anchor::default(), |m| m.position)
    }

    /// Sets the read mark; returns the changed mark, if it changed.
    pub fn set_read(&mut self, id: &str, read: bool, now: i64) -> Option<Mark> {
        let mark = self.marks.entry(id.into()).or_default();
        (mark.read != read).then(|| {
            mark.read = read;
            mark.marked = now;
            *mark
        })
    }

    /// Sets the reading position; returns the changed mark, if it changed.
    pub fn set_position(&mut self, id: &str, position: Anchor, now: i64) -> Option<Mark> {
        let mark = self.marks.entry(id.into()).or_default();
        (mark.position != position).then(|| {
            mark.position = position;
            mark.moved = now;
            *mark
        })
    }

    /// Takes in another state, mark by mark, newer changes winning; gives
    /// the marks that changed.
    pub fn merge(&mut self, other: ReadState) -> Vec<(CompactString, Mark)> {
        let mut changed = Vec::new();
        for (id, theirs) in other.marks {
            let ours = self.marks.get(&id).copied().unwrap_or_default();
            let merged = ours.merge(theirs);
            if merged != ours {
                self.marks.insert(id.clone(), merged);
                changed.push((id, merged));
            }
        }
        changed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(read: bool, marked: i64, paragraph: u32, moved: i64) -> Mark {
        Mark {
            read,
            marked,
            position: Anchor {
                paragraph,
                offset: 0,
            },
            moved,
        }
    }

    #[test]
    fn newer_change_wins_part_by_part() {
        let ours = mark(true, 20, 1, 5);
        let theirs = mark(false, 10, 7, 30);
        let merged = ours.merge(theirs);
        assert!(merged.read, "our later read mark stays");
        assert_eq!(
            merged.position.paragraph, 7,
            "their later position is taken"
        );
        assert_eq!((merged.marked, merged.moved), (20, 30));
    }

    #[test]
    fn on_a_tie_our_change_stays() {
        assert!(mark(true, 10, 0, 0).merge(mark(false, 10, 0, 0)).read);
    }

    #[test]
    fn merging_states_keeps_everyones_marks() {
        let mut a = ReadState::default();
        a.set_read("one", true, 100);
        let mut b = ReadState::default();
        b.set_read("two", true, 200);
        b.set_read("one", false, 50);
        let changed = a.merge(b);
        assert!(a.is_read("one") && a.is_read("two"));
        assert_eq!(
            changed
                .iter()
                .map(|(id, _)| id.as_str())
                .collect::<Vec<_>>(),
            ["two"],
            "only what the merge changed is reported"
        );
    }

    #[test]
    fn setting_reports_only_real_changes() {
        let mut state = ReadState::default();
        assert!(state.set_read("x", true, 1).is_some());
        assert!(state.set_read("x", true, 2).is_none());
        assert_eq!(state.marks["x"].marked, 1);
    }
}
