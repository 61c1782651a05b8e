//! What sources and filters know of each story beside its marks: its
//! feed, tags and folder, looked up once per library.

use std::path::Path;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::model::{Library, Story, StoryIndex};
use crate::prefetch::prefetch;

/// No feed, folder or date.
pub(super) const NONE: u32 = u32::MAX;

/// A feed followed, as the sources name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedName {
    pub url: String,
    /// The subscription's title, else the feed's own (its stories'
    /// source), else the address.
    pub title: String,
}

/// A folder of stories the user opened: where its stories' paths start,
/// and its name in the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Root {
    pub prefix: String,
    pub name: String,
}

impl Root {
    /// A PATH as opened, named by its last part.
    pub fn of(path: &Path) -> Root {
        let prefix = crate::text::sanitize(&path.to_string_lossy()).into_owned();
        let name = path
            .file_name()
            .map(|n| crate::text::sanitize(&n.to_string_lossy()).into_owned())
            .unwrap_or_else(|| prefix.clone());
        Root { prefix, name }
    }

    /// The bundled stories.
    pub fn bundled() -> Root {
        Root {
            prefix: "bundled:".into(),
            name: "bundled stories".into(),
        }
    }

    pub(super) fn holds(&self, path: &str) -> bool {
        match path.strip_prefix(self.prefix.trim_end_matches('/')) {
            Some(rest) => rest.is_empty() || rest.starts_with('/') || self.prefix.ends_with(':'),
            None => false,
        }
    }
}

/// One run of stories' feeds, folders and tags, as one thread read them;
/// tags numbered by their spellings in the run.
struct ChunkFacts<'a> {
    feeds: Vec<u32>,
    folders: Vec<u32>,
    /// Where each story's tags start in `tag_ids` (none at the end).
    tag_starts: Vec<u32>,
    tag_ids: Vec<u32>,
    spellings: Vec<&'a str>,
}

impl<'a> ChunkFacts<'a> {
    fn of(stories: &'a [Story], by_folder: &FxHashMap<String, u32>, roots: &[Root]) -> Self {
        let mut facts = ChunkFacts {
            feeds: Vec::with_capacity(stories.len()),
            folders: Vec::with_capacity(stories.len()),
            tag_starts: Vec::with_capacity(stories.len() + 1),
            tag_ids: Vec::new(),
            spellings: Vec::new(),
        };
        let mut spelt: FxHashMap<&str, u32> = FxHashMap::default();
        for (at, story) in stories.iter().enumerate() {
            fetch_ahead(stories, at);
            let path = story.path.as_str();
            let folder = path
                .rsplit_once('/')
                .and_then(|(dir, _)| dir.rsplit('/').next());
            let feed = folder.and_then(|f| by_folder.get(f)).copied();
            facts.feeds.push(feed.unwrap_or(NONE));
            let root = roots.iter().position(|r| r.holds(path));
            facts.folders.push(root.map_or(NONE, |r| r as u32));
            facts.tag_starts.push(facts.tag_ids.len() as u32);
            for tag in &story.meta().tags {
                let id = *spelt.entry(tag.as_str()).or_insert_with(|| {
                    facts.spellings.push(tag.as_str());
                    (facts.spellings.len() - 1) as u32
                });
                facts.tag_ids.push(id);
            }
        }
        facts.tag_starts.push(facts.tag_ids.len() as u32);
        facts
    }
}

/// Asks for the memory of stories a few places ahead: their metadata
/// first, then the tag lists in it, then the tags' text, each once the
/// step before has arrived. Reading 100,000 stories scattered over the
/// heap takes half the time with it.
fn fetch_ahead(stories: &[Story], at: usize) {
    if let Some(far) = stories.get(at + 16) {
        prefetch(far.path.as_ptr());
        if let Some(meta) = &far.meta {
            prefetch(&**meta);
        }
    }
    if let Some(meta) = stories.get(at + 8).and_then(|s| s.meta.as_deref()) {
        prefetch(meta.tags.as_ptr());
    }
    if let Some(meta) = stories.get(at + 4).and_then(|s| s.meta.as_deref()) {
        for tag in &meta.tags {
            prefetch(tag.as_ptr());
        }
    }
}

/// What sources and filters know of each story beside its marks: its
/// feed, tags, folder and date; built once per library.
#[derive(Debug, Default)]
pub struct Catalog {
    pub feeds: Vec<FeedName>,
    /// Distinct tags, in the spelling first met, sorted.
    pub tags: Vec<String>,
    pub folders: Vec<Root>,
    pub(super) story_feed: Vec<u32>,
    pub(super) story_folder: Vec<u32>,
    /// Each story's tags: `tag_ids[tag_starts[s]..tag_starts[s + 1]]`.
    tag_starts: Vec<u32>,
    tag_ids: Vec<u32>,
}

impl Catalog {
    /// Looks up each story's feed (by the folder its file is in, see
    /// [`crate::feeds::folder_name`]), tags, folder and date.
    pub fn new(library: &Library, feeds: &[(String, Option<String>)], roots: &[Root]) -> Catalog {
        let by_folder: FxHashMap<String, u32> = feeds
            .iter()
            .enumerate()
            .map(|(i, (url, _))| (crate::feeds::folder_name(url), i as u32))
            .collect();
        let mut catalog = Catalog {
            feeds: feeds
                .iter()
                .map(|(url, title)| FeedName {
                    url: url.clone(),
                    title: title.clone().unwrap_or_default(),
                })
                .collect(),
            folders: roots.to_vec(),
            ..Catalog::default()
        };
        // Each story's feed, folder and tags, read in parallel: the
        // stories' paths and tags lie all over the heap, and the time goes
        // in waiting for memory, which two cores wait for at once.
        let chunks: Vec<ChunkFacts> = library
            .stories
            .par_chunks(4096)
            .map(|stories| ChunkFacts::of(stories, &by_folder, roots))
            .collect();
        let mut tag_of: FxHashMap<String, u32> = FxHashMap::default();
        let mut tags: Vec<String> = Vec::new();
        for chunk in chunks {
            // The chunk's own tag numbers become the library's.
            let global: Vec<u32> = chunk
                .spellings
                .iter()
                .map(|&tag| {
                    *tag_of.entry(tag.to_lowercase()).or_insert_with(|| {
                        tags.push(tag.to_owned());
                        (tags.len() - 1) as u32
                    })
                })
                .collect();
            for window in chunk.tag_starts.windows(2) {
                let first = catalog.tag_ids.len();
                catalog.tag_starts.push(first as u32);
                for &local in &chunk.tag_ids[window[0] as usize..window[1] as usize] {
                    let id = global[local as usize];
                    if !catalog.tag_ids[first..].contains(&id) {
                        catalog.tag_ids.push(id);
                    }
                }
            }
            catalog.story_feed.extend(chunk.feeds);
            catalog.story_folder.extend(chunk.folders);
        }
        catalog.tag_starts.push(catalog.tag_ids.len() as u32);
        for (feed, name) in catalog.feeds.iter_mut().enumerate() {
            if name.title.is_empty() {
                // The feed's own title, as its stories carry it.
                let story = catalog.story_feed.iter().position(|&f| f == feed as u32);
                name.title = story
                    .and_then(|s| library.stories[s].meta().source.clone())
                    .unwrap_or_else(|| name.url.clone());
            }
        }
        // Sorted by name; the ids stories hold are renumbered to match.
        let mut order: Vec<u32> = (0..tags.len() as u32).collect();
        order.sort_by_cached_key(|&t| tags[t as usize].to_lowercase());
        let mut new_id = vec![0u32; tags.len()];
        for (new, &old) in order.iter().enumerate() {
            new_id[old as usize] = new as u32;
        }
        for id in &mut catalog.tag_ids {
            *id = new_id[*id as usize];
        }
        catalog.tags = order.iter().map(|&t| tags[t as usize].clone()).collect();
        catalog
    }

    /// The feed a story came from, if any.
    pub fn feed_of(&self, story: StoryIndex) -> Option<&FeedName> {
        let feed = *self.story_feed.get(story)?;
        self.feeds.get(feed as usize)
    }

    pub(super) fn tags_of(&self, story: StoryIndex) -> &[u32] {
        match (self.tag_starts.get(story), self.tag_starts.get(story + 1)) {
            (Some(&from), Some(&to)) => &self.tag_ids[from as usize..to as usize],
            _ => &[],
        }
    }
}
