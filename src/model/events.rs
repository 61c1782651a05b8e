//! A library's events: which stories [`super::clusters`] put together,
//! kept in each story ([`Story::cluster`]) and counted here, and how a
//! build or a growing library places its stories into them.
//!
//! A cluster is named outside the program (`list --json`, `tidings
//! clusters`, `mark --cluster`) by the id of its earliest story, so the
//! name stays while its members do, whether the library was grown or
//! built again.

use std::sync::{Mutex, PoisonError};

use rustc_hash::{FxHashMap, FxHashSet};

use super::clusters::{self, ALONE, ClusterId, Clusterer, Features, Tuning};
use super::{Library, Story, StoryIndex};

/// The clusters of stories of more than one source: how many each has
/// and its earliest story (whose id names it).
#[derive(Debug, Default)]
pub struct Events {
    shared: FxHashMap<ClusterId, Event>,
    /// Each cluster's headline, found when first asked for (for the rows
    /// on screen: finding every cluster's would delay the first frame).
    headlines: Mutex<FxHashMap<ClusterId, u32>>,
}

#[derive(Debug, Clone, Copy)]
struct Event {
    size: u32,
    earliest: u32,
    /// Told by more than one source (the earliest's, and another).
    sources: bool,
}

impl Events {
    pub(super) fn of(stories: &[Story]) -> Events {
        let mut all: FxHashMap<ClusterId, Event> = FxHashMap::default();
        let dated = stories
            .iter()
            .enumerate()
            .filter(|(_, s)| s.cluster != ALONE);
        for (index, story) in dated {
            let event = all.entry(story.cluster).or_insert(Event {
                size: 0,
                earliest: index as u32,
                sources: false,
            });
            event.size += 1;
            let earliest = &stories[event.earliest as usize];
            event.sources |= earliest.source_name() != story.source_name();
            if age(story) < age(earliest) {
                event.earliest = index as u32;
            }
        }
        // A cluster of one source's stories is not an event many told:
        // its stories stand alone.
        all.retain(|_, event| event.sources);
        Events {
            shared: all,
            headlines: Mutex::default(),
        }
    }
}

impl Story {
    /// Who told it: its feed's name, else the folder its file is in.
    pub fn source_name(&self) -> &str {
        match &self.meta().source {
            Some(source) => source,
            None => self.path.rsplit_once('/').map_or("", |(folder, _)| folder),
        }
    }
}

impl Library {
    /// How many events (clusters of more than one source) there are, and
    /// how many stories they hold.
    pub fn clustered(&self) -> (usize, usize) {
        let shared = &self.events.shared;
        (shared.len(), shared.values().map(|e| e.size as usize).sum())
    }

    /// How many sources told the event of these stories.
    pub fn sources_of(&self, stories: &[StoryIndex]) -> usize {
        let names: FxHashSet<&str> = stories
            .iter()
            .map(|&s| self.stories[s].source_name())
            .collect();
        names.len()
    }

    /// The cluster of a story's event, if other sources tell it too.
    pub fn cluster(&self, story: StoryIndex) -> Option<ClusterId> {
        let id = self.stories.get(story)?.cluster;
        self.events.shared.contains_key(&id).then_some(id)
    }

    /// How many stories tell the event of cluster `id`.
    pub fn cluster_size(&self, id: ClusterId) -> usize {
        self.events.shared.get(&id).map_or(1, |e| e.size as usize)
    }

    /// The id a cluster is named by: its earliest story's.
    pub fn cluster_name(&self, id: ClusterId) -> Option<&str> {
        let event = self.events.shared.get(&id)?;
        Some(&self.stories[event.earliest as usize].id)
    }

    /// The story whose headline best names the event of cluster `id`:
    /// the one sharing most words with the others' (the newest of
    /// equals), found when first asked and kept.
    pub fn cluster_headline(&self, id: ClusterId) -> Option<StoryIndex> {
        let mut headlines = self
            .events
            .headlines
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(&story) = headlines.get(&id) {
            return Some(story as StoryIndex);
        }
        let members = self.cluster_stories(id);
        if members.is_empty() {
            return None;
        }
        let story = central(&self.stories, &members);
        headlines.insert(id, story as u32);
        Some(story)
    }

    /// The cluster named `name` (see [`Library::cluster_name`]).
    pub fn cluster_named(&self, name: &str) -> Option<ClusterId> {
        self.events
            .shared
            .iter()
            .find(|(_, e)| *self.stories[e.earliest as usize].id == *name)
            .map(|(id, _)| *id)
    }

    /// The stories of every cluster, each in index order.
    pub fn cluster_members(&self) -> FxHashMap<ClusterId, Vec<StoryIndex>> {
        let mut members: FxHashMap<ClusterId, Vec<StoryIndex>> = FxHashMap::default();
        for (index, story) in self.stories.iter().enumerate() {
            if self.events.shared.contains_key(&story.cluster) {
                members.entry(story.cluster).or_default().push(index);
            }
        }
        members
    }

    /// The stories of cluster `id`, in index order.
    pub fn cluster_stories(&self, id: ClusterId) -> Vec<StoryIndex> {
        if !self.events.shared.contains_key(&id) {
            return Vec::new();
        }
        (0..self.stories.len())
            .filter(|&s| self.stories[s].cluster == id)
            .collect()
    }

    /// Every cluster of more than one story, largest first (then newest).
    pub fn clusters(&self) -> Vec<ClusterId> {
        let mut ids: Vec<(usize, ClusterId)> = self
            .events
            .shared
            .iter()
            .map(|(id, e)| (e.size as usize, *id))
            .collect();
        let first: FxHashMap<ClusterId, usize> = {
            let mut first = FxHashMap::default();
            for (index, story) in self.stories.iter().enumerate().rev() {
                first.insert(story.cluster, index);
            }
            first
        };
        ids.sort_by_key(|&(size, id)| (std::cmp::Reverse(size), first[&id]));
        ids.into_iter().map(|(_, id)| id).collect()
    }
}

/// Of `members`, the story whose title's words are most like the
/// others' (summed cosines of word sets; the first of equals, the
/// newest). Large clusters are weighed against their first 64.
fn central(stories: &[Story], members: &[StoryIndex]) -> StoryIndex {
    let words: Vec<FxHashSet<String>> = members
        .iter()
        .map(|&s| {
            crate::text::tokens::of(&stories[s].title)
                .into_iter()
                .collect()
        })
        .collect();
    let score = |i: usize| -> f32 {
        let others = words.iter().enumerate().take(64).filter(|(j, _)| *j != i);
        others
            .map(|(_, other)| {
                let shared = words[i].intersection(other).count() as f32;
                shared / ((words[i].len() * other.len()) as f32).sqrt().max(1.0)
            })
            .sum()
    };
    let best = (0..members.len())
        .map(|i| (i, score(i)))
        .fold(
            (0, f32::MIN),
            |best, (i, s)| if s > best.1 { (i, s) } else { best },
        );
    members[best.0]
}

/// What orders a cluster's stories from its earliest: dated before
/// undated, then by date, then by id.
fn age(story: &Story) -> (bool, Option<i64>, &str) {
    let date = date_of(story);
    (date.is_none(), date, &story.id)
}

fn date_of(story: &Story) -> Option<i64> {
    story.meta().date.as_ref().and_then(crate::dates::timestamp)
}

/// A story as clustering sees it: its title, its text's opening, its
/// source (the feed's name, or the folder its file is in) and date.
fn features(story: &Story, opening: &[u32]) -> Features {
    let source = xxhash_rust::xxh3::xxh3_64(story.source_name().as_bytes());
    Features::of(&story.title, opening, source, date_of(story))
}

/// Places every story of a library being built (`openings` beside them)
/// into clusters; gives the clusterer that places later ones.
pub(super) fn cluster_all(stories: &mut [Story], openings: &[Box<[u32]>]) -> Clusterer {
    let features: Vec<Features> = stories
        .iter()
        .zip(openings)
        .map(|(story, opening)| features(story, opening))
        .collect();
    let (clusterer, ids) = clusters::build(&features, Tuning::default());
    for (story, id) in stories.iter_mut().zip(ids) {
        story.cluster = id;
    }
    clusterer
}

/// Places stories added to a library (in date order, as they arrived),
/// and moves the old stories whose clusters merged meanwhile.
pub(super) fn cluster_added(
    clusterer: &mut Clusterer,
    old: &mut [&mut Story],
    added: &mut [(&mut Story, &[u32])],
) {
    added.sort_by_key(|(story, _)| {
        let date = date_of(story);
        (date.is_none(), date)
    });
    for (story, opening) in added.iter_mut() {
        story.cluster = clusterer.add(&features(story, opening), false);
    }
    for story in old.iter_mut() {
        story.cluster = clusterer.current(story.cluster);
    }
    for (story, _) in added.iter_mut() {
        story.cluster = clusterer.current(story.cluster);
    }
}
