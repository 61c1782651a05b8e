//! Read state: which stories are read and starred, and where reading
//! stopped; and the source the reader last showed. Keyed by story id, so
//! marks follow a story when its file moves. Kept in a TOML
//! file (`file`), written atomically and merged between processes
//! (`store`), saved in the background soon after each change (`saver`).

mod file;
mod saver;
mod state_error;
mod state_store;

use compact_str::CompactString;
use rustc_hash::FxHashMap;

pub use file::{FORMAT_VERSION, parse, serialize};
pub use saver::{SaveStatus, Saver};
pub use state_error::{ReadError, SaveError};
pub use state_store::{LoadedState, Store};

use crate::model::Anchor;

/// One story's state. The read mark, the star and the reading position
/// change separately and carry their own times, so two processes that
/// changed different things about one story both keep their change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Mark {
    pub read: bool,
    /// Milliseconds since the Unix epoch when `read` last changed; 0 never.
    pub marked: i64,
    pub position: Anchor,
    pub moved: i64,
    pub starred: bool,
    /// When `starred` last changed; 0 never.
    pub starred_at: i64,
}

impl Mark {
    /// Combines two views of one story: for each part, the newer change
    /// wins; on a tie, `self` (the caller's own) wins.
    pub fn merge(self, other: Mark) -> Mark {
        fn newer<T>(ours: (T, i64), theirs: (T, i64)) -> (T, i64) {
            if theirs.1 > ours.1 { theirs } else { ours }
        }
        let (read, marked) = newer((self.read, self.marked), (other.read, other.marked));
        let (position, moved) = newer((self.position, self.moved), (other.position, other.moved));
        let (starred, starred_at) = newer(
            (self.starred, self.starred_at),
            (other.starred, other.starred_at),
        );
        Mark {
            read,
            marked,
            position,
            moved,
            starred,
            starred_at,
        }
    }
}

/// What lists and filters need of a story's marks: read, starred.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Flags {
    pub read: bool,
    pub starred: bool,
}

impl Mark {
    pub fn flags(&self) -> Flags {
        Flags {
            read: self.read,
            starred: self.starred,
        }
    }
}

/// The source the reader showed last (`"tag:world"`, see
/// [`crate::sources`]), and when it was chosen, so that of two readers
/// the later choice is kept.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Chosen {
    pub key: String,
    pub at: i64,
    /// The index shows every story its own row, not one per event.
    pub unfolded: bool,
}

/// Marks by story id. Ids are short (sixteen hex digits unless a file
/// names its own), so they are kept inline rather than each in an
/// allocation of its own: saving walks a hundred thousand of them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReadState {
    pub marks: FxHashMap<CompactString, Mark>,
    pub source: Option<Chosen>,
}

impl ReadState {
    pub fn is_read(&self, id: &str) -> bool {
        self.marks.get(id).is_some_and(|m| m.read)
    }

    pub fn is_starred(&self, id: &str) -> bool {
        self.marks.get(id).is_some_and(|m| m.starred)
    }

    /// A story's read mark and star.
    pub fn flags(&self, id: &str) -> Flags {
        self.marks.get(id).map(Mark::flags).unwrap_or_default()
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

    /// Stars or unstars; returns the changed mark, if it changed.
    pub fn set_starred(&mut self, id: &str, starred: bool, now: i64) -> Option<Mark> {
        let mark = self.marks.entry(id.into()).or_default();
        (mark.starred != starred).then(|| {
            mark.starred = starred;
            mark.starred_at = now;
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

    /// Takes in another state, mark by mark, newer changes winning (and
    /// the later choice of source); gives the marks that changed.
    pub fn merge(&mut self, other: ReadState) -> Vec<(CompactString, Mark)> {
        if let Some(theirs) = other.source
            && self.source.as_ref().is_none_or(|ours| theirs.at > ours.at)
        {
            self.source = Some(theirs);
        }
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
            ..Mark::default()
        }
    }

    #[test]
    fn a_star_merges_by_its_own_time() {
        let mut ours = mark(true, 50, 0, 0);
        ours.starred = true;
        ours.starred_at = 10;
        let mut theirs = mark(false, 10, 0, 0);
        theirs.starred_at = 20; // unstarred later, elsewhere
        let merged = ours.merge(theirs);
        assert!(merged.read && !merged.starred, "{merged:?}");
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
