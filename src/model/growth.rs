//! What a library keeps so that it can grow by added files without being
//! built again (see [`super::growing`]): where each headline was first
//! named and spelled, where each story's title stands in its related
//! block, which headlines of its block each untitled story's words cover
//! whole, and how many untitled stories use each word. Assembling a
//! library writes it; growing reads it and writes it anew.

use serde::{Deserialize, Serialize};

use super::HeadlineIndex;
use super::clusters::Clusterer;
use super::prepare::{Body, Place, Prepared};

/// Marks the place of a headline first named by a headlines-only file:
/// those come after every story's in the pool.
pub const LOOSE: Place = 1 << 63;
/// A story whose title is not in its related block.
pub(super) const NOT_IN_BLOCK: u32 = u32::MAX;

/// What a library keeps so that it can grow (see the module's comment).
#[derive(Debug, Serialize, Deserialize)]
pub struct Growth {
    /// By headline: the place it was first named (the pool is in this
    /// order; [`LOOSE`] for a headlines-only file's).
    pub(super) first: Vec<Place>,
    /// By headline: where the spelling shown was seen.
    pub(super) spelled: Vec<Place>,
    /// By story, in index order.
    pub(super) stories: Vec<StoryGrowth>,
    /// Word hash -> how many stories without a stated title use it, by
    /// hash: every word, since a headline added later may use any.
    pub(super) in_untitled: Vec<(u64, u32)>,
    /// What places the stories added later into clusters.
    pub(super) clusterer: Clusterer,
}

#[derive(Debug, Default, Serialize, Deserialize)]
pub(super) struct StoryGrowth {
    /// Where its title (stated or found) stands in its related block.
    pub title_at: u32,
    /// Its block holds nothing but its title: its related headlines are
    /// found ([`similar`]).
    pub seeking: bool,
    /// The headlines of its block its words cover whole.
    pub whole: Vec<u32>,
}

/// What the index keeps of an old story that growing needs again.
pub struct StoredStory {
    /// Its body's distinct words, by number.
    pub words: Vec<u32>,
    pub first_sentence: String,
}

/// Where `title` stands in `block`.
pub(super) fn title_at(block: &[HeadlineIndex], title: Option<HeadlineIndex>) -> u32 {
    block
        .iter()
        .position(|&h| Some(h) == title)
        .map_or(NOT_IN_BLOCK, |at| at as u32)
}

/// Whether a story with this block and title seeks related headlines.
pub(super) fn seeks(block: &[HeadlineIndex], title: Option<HeadlineIndex>) -> bool {
    block.iter().all(|&h| Some(h) == title)
}

/// Which of `headlines` headlines are some story's own.
pub(super) fn titles_of(own: &[Option<HeadlineIndex>], headlines: usize) -> Vec<bool> {
    let mut titles = vec![false; headlines];
    for &h in own.iter().flatten() {
        titles[h] = true;
    }
    titles
}

/// How many articles without a stated title use each word (by hash).
pub(super) fn in_untitled(articles: &[Prepared], dictionary: &[u64]) -> Vec<(u64, u32)> {
    let mut counts = vec![0u32; dictionary.len()];
    for article in articles.iter().filter(|a| a.title.is_none()) {
        if let Body::Stored(stored) = &article.body {
            for &word in &stored.words {
                if let Some(count) = counts.get_mut(word as usize) {
                    *count += 1;
                }
            }
        }
    }
    let mut counted: Vec<(u64, u32)> = counts
        .into_iter()
        .zip(dictionary)
        .filter(|&(count, _)| count > 0)
        .map(|(count, &hash)| (hash, count))
        .collect();
    counted.sort_unstable();
    counted
}
