//! Read state: which stories are read, and where reading stopped. Keyed by
//! story id, so marks follow a story when its file moves.

use std::collections::HashMap;

use crate::app::story_view::Anchor;

/// One story's state. `changed` orders changes between processes: for the
/// same story, the newer change wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Mark {
    pub read: bool,
    pub position: Anchor,
    /// Milliseconds since the Unix epoch of the last change.
    pub changed: i64,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReadState {
    pub marks: HashMap<String, Mark>,
}

impl ReadState {
    pub fn is_read(&self, id: &str) -> bool {
        self.marks.get(id).is_some_and(|m| m.read)
    }

    pub fn position(&self, id: &str) -> Anchor {
        self.marks.get(id).map_or(Anchor::default(), |m| m.position)
    }

    pub fn set_read(&mut self, id: &str, read: bool, now: i64) {
        let mark = self.marks.entry(id.to_owned()).or_default();
        if mark.read != read {
            mark.read = read;
            mark.changed = now;
        }
    }

    pub fn set_position(&mut self, id: &str, position: Anchor, now: i64) {
        let mark = self.marks.entry(id.to_owned()).or_default();
        if mark.position != position {
            mark.position = position;
            mark.changed = now;
        }
    }
}

/// Milliseconds since the Unix epoch.
pub fn now_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}
