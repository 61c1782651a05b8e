//! A Bloom filter of each story's words, so a full-text query reads only
//! the stories that may hold every word instead of the whole corpus. Built
//! once, in the background; until it is ready, searches read everything.
//!
//! Words go in folded as the search folds them, whole, and also split at
//! inner apostrophes and dots, since the search finds "kremlin" inside
//! "kremlin's". A filter never says no to a story that holds a word; it
//! says yes to some that do not (see [`BITS`]), and those are then read
//! and dropped.

use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_64;

use crate::model::{Library, Story};
use crate::text::fold::{fold_into, is_word_joiner};

const WORDS: usize = 16;
/// Bits per story: 1024, two per word. With a few hundred words a story,
/// one lookup in five says yes wrongly; the story is then read and dropped.
/// Twice the bits would halve that, at 12 MB more for 100,000 stories.
const BITS: u64 = (WORDS * 64) as u64;

pub struct StoryFilters {
    filters: Vec<[u64; WORDS]>,
}

/// A query word as the filters see it; None for a word the filters cannot
/// answer for (scripts written without spaces, where a word is any run).
#[derive(Clone, Copy)]
pub struct Probe(Option<u64>);

impl Probe {
    pub fn new(folded_word: &str) -> Probe {
        let unspaced = folded_word.chars().any(super::terms::is_unspaced_script);
        Probe((!unspaced).then(|| xxh3_64(folded_word.as_bytes())))
    }
}

impl StoryFilters {
    pub fn new(library: &Library) -> StoryFilters {
        StoryFilters {
            filters: library
                .stories
                .par_iter()
                .map_init(String::new, filter_of)
                .collect(),
        }
    }

    /// Whether `story` may hold every probed word.
    pub fn may_hold(&self, story: usize, probes: &[Probe]) -> bool {
        let Some(filter) = self.filters.get(story) else {
            return true;
        };
        probes.iter().all(|probe| match probe.0 {
            Some(hash) => bit_positions(hash)
                .iter()
                .all(|&bit| filter[bit / 64] & (1 << (bit % 64)) != 0),
            None => true,
        })
    }
}

fn bit_positions(hash: u64) -> [usize; 3] {
    [
        (hash % BITS) as usize,
        ((hash >> 21) % BITS) as usize,
        ((hash >> 42) % BITS) as usize,
    ]
}

fn filter_of(buf: &mut String, story: &Story) -> [u64; WORDS] {
    let mut filter = [0u64; WORDS];
    let mut insert = |word: &str| {
        for bit in bit_positions(xxh3_64(word.as_bytes())) {
            filter[bit / 64] |= 1 << (bit % 64);
        }
    };
    for paragraph in &story.paragraphs {
        buf.clear();
        fold_into(paragraph, buf);
        for word in buf.split(|c: char| !(c.is_alphanumeric() || is_word_joiner(c))) {
            let word = word.trim_matches(is_word_joiner);
            if word.is_empty() {
                continue;
            }
            insert(word);
            if word.contains(is_word_joiner) {
                word.split(is_word_joiner)
                    .filter(|part| !part.is_empty())
                    .for_each(&mut insert);
            }
        }
    }
    filter
}
