//! The index folded by event: the stories of one cluster (one event told
//! by several feeds) share one row, named by the headline that best names
//! the event, unread while any of them is. `c` unfolds and folds again.
//! Folding works on the chosen source's stories, so a narrowed source
//! folds its own.

use rustc_hash::FxHashMap;

use super::{App, ListState, Pane};
use crate::model::clusters::ClusterId;
use crate::model::{HeadlineIndex, Library, StoryIndex};
use crate::sources::Flags;

/// Whether the index is folded, and the chosen source's events.
#[derive(Debug, Default)]
pub struct Fold {
    pub on: bool,
    /// The source's stories of each cluster of more than one, in index
    /// order.
    events: FxHashMap<ClusterId, Vec<StoryIndex>>,
    /// The library's unread stories by cluster (of more than one story),
    /// for the counts of events.
    unread_in: FxHashMap<ClusterId, u32>,
    /// By story: shown on its event's row, not its own (the event's
    /// stories but the first), so that filling the index looks nothing up.
    folded_under: Vec<bool>,
}

impl Fold {
    pub(super) fn new(on: bool) -> Fold {
        Fold {
            on,
            events: FxHashMap::default(),
            unread_in: FxHashMap::default(),
            folded_under: Vec::new(),
        }
    }

    /// Counts the unread stories of every cluster.
    pub(super) fn count(&mut self, library: &Library, flags: &[Flags]) {
        self.unread_in.clear();
        for (story, flags) in flags.iter().enumerate() {
            if let Some(cluster) = library.cluster(story).filter(|_| !flags.read) {
                *self.unread_in.entry(cluster).or_default() += 1;
            }
        }
    }

    /// A story's read mark changed.
    pub(super) fn changed(&mut self, library: &Library, story: StoryIndex, read: bool) {
        if let Some(cluster) = library.cluster(story) {
            let unread = self.unread_in.entry(cluster).or_default();
            *unread = if read {
                unread.saturating_sub(1)
            } else {
                *unread + 1
            };
        }
    }
}

impl App {
    /// Whether the index shows events: folded, with a cluster to fold.
    pub fn shows_events(&self) -> bool {
        self.fold.on && self.library.clustered().0 > 0
    }

    /// The library's events (a cluster, or a story alone) and how many
    /// are unread, as the status line counts them when folded.
    pub fn event_counts(&self) -> (usize, usize) {
        let library = &self.library;
        let (clusters, clustered) = library.clustered();
        let unread_clustered: u32 = self.fold.unread_in.values().sum();
        let unread_clusters = self.fold.unread_in.values().filter(|&&n| n > 0).count();
        let unread = self.unread_count() - unread_clustered as usize + unread_clusters;
        (unread, library.stories.len() - clustered + clusters)
    }

    /// The chosen source's stories grouped into events: again whenever
    /// they change.
    pub(super) fn group_events(&mut self) {
        let mut events: FxHashMap<ClusterId, Vec<StoryIndex>> = FxHashMap::default();
        for &story in &self.sources.stories {
            if let Some(cluster) = self.library.cluster(story) {
                events.entry(cluster).or_default().push(story);
            }
        }
        events.retain(|_, stories| stories.len() > 1);
        let mut folded_under = vec![false; self.library.stories.len()];
        for stories in events.values() {
            stories.iter().skip(1).for_each(|&s| folded_under[s] = true);
        }
        self.fold.events = events;
        self.fold.folded_under = folded_under;
    }

    /// The event a story is part of in the chosen source, when the index
    /// is folded: its stories there, in index order.
    pub fn event_of(&self, story: StoryIndex) -> Option<&[StoryIndex]> {
        if !self.fold.on {
            return None;
        }
        let cluster = self.library.cluster(story)?;
        self.fold.events.get(&cluster).map(Vec::as_slice)
    }

    /// Whether a row of the index is unread: its story, or any story of
    /// its event when folded.
    pub fn row_unread(&self, story: StoryIndex) -> bool {
        match self.event_of(story) {
            Some(stories) => stories.iter().any(|&s| !self.is_read(s)),
            None => !self.is_read(story),
        }
    }

    /// What a row opens: the first unread story of its event, else its
    /// own.
    pub(super) fn row_opens(&self, story: StoryIndex) -> StoryIndex {
        self.event_of(story)
            .and_then(|stories| stories.iter().copied().find(|&s| !self.is_read(s)))
            .unwrap_or(story)
    }

    /// Whether `story` is the row its event is shown on: the first of
    /// the event's stories in the source.
    pub(super) fn shows_row(&self, story: StoryIndex) -> bool {
        !self.fold.on || !self.fold.folded_under.get(story).copied().unwrap_or(false)
    }

    /// The story whose row shows `story`: its event's first when folded.
    pub(super) fn row_of(&self, story: StoryIndex) -> StoryIndex {
        self.event_of(story)
            .and_then(|stories| stories.first().copied())
            .unwrap_or(story)
    }

    /// The headlines of the other stories of `story`'s event, when its
    /// related headlines were found rather than given: those come first.
    pub(super) fn event_headlines(&self, story: StoryIndex) -> Vec<HeadlineIndex> {
        let library = &self.library;
        let cluster = library.cluster(story);
        match cluster.filter(|_| library.stories[story].related_found) {
            Some(cluster) => library
                .cluster_stories(cluster)
                .into_iter()
                .filter(|&s| s != story)
                .filter_map(|s| library.stories[s].headline())
                .collect(),
            None => Vec::new(),
        }
    }

    /// Reading one story of an event reads it all (`read_whole_event`):
    /// every story of its cluster, in every source.
    pub(super) fn read_event_of(&mut self, story: StoryIndex) {
        if let Some(cluster) = self.library.cluster(story) {
            for other in self.library.cluster_stories(cluster) {
                self.set_read(other, true);
            }
        }
    }

    /// c: every story its own row, or one row per event again; kept with
    /// the chosen source for the next start.
    pub(super) fn toggle_fold(&mut self) {
        let selected = self.index.rows.get(self.index.list.selected).copied();
        self.fold.on = !self.fold.on;
        self.refill_index();
        let row = selected
            .map(|s| {
                self.event_of(s)
                    .and_then(|e| e.first().copied())
                    .unwrap_or(s)
            })
            .and_then(|s| self.index.rows.iter().position(|&r| r == s));
        self.index.list = ListState {
            selected: row.unwrap_or(0),
            offset: self.index.list.offset,
        };
        self.keep_visible(Pane::Index);
        let key = self.sources.sources.list[self.sources.chosen].key.clone();
        self.keep_view(key);
        self.message = Some(
            match (self.fold.on, self.library.clustered().0) {
                (true, 0) => "one row per event (no event here is told by more than one source)",
                (true, _) => "one row per event",
                (false, _) => "every story its own row",
            }
            .into(),
        );
    }
}
