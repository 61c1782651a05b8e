//! A Bloom filter of each story's tokens, so a full-text query reads only
//! the stories that may hold its words instead of the whole corpus. Built
//! once, in the background; until it is ready, searches read everything.
//!
//! Tokens go in as the search cuts and folds them ([`crate::text::tokens`]).
//! A filter never says no to a story that holds a word; it says yes to some
//! that do not (see [`BITS`]), and those are then read and dropped.

use rayon::prelude::*;
use xxhash_rust::xxh3::xxh3_64;

use super::terms::Term;
use crate::model::Library;
use crate::text::fold::fold_into;
use crate::text::tokens;

const WORDS: usize = 16;
/// Bits per story: 1024, two per word. With a few hundred words a story,
/// one lookup in five says yes wrongly; the story is then read and dropped.
/// Twice the bits would halve that, at 12 MB more for 100,000 stories.
const BITS: u64 = (WORDS * 64) as u64;

pub struct StoryFilters {
    filters: Vec<[u64; WORDS]>,
}

/// A query word as the filters see it: the hashes of its whole tokens (a
/// prefix token cannot be looked up, so it is left out).
#[derive(Clone)]
pub struct Probe(Vec<u64>);

impl Probe {
    pub fn new(term: &Term) -> Probe {
        Probe(
            term.tokens()
                .iter()
                .filter(|t| !t.prefix)
                .map(|t| xxh3_64(t.text.as_bytes()))
                .collect(),
        )
    }
}

impl StoryFilters {
    pub fn new(library: &Library) -> StoryFilters {
        StoryFilters {
            filters: (0..library.stories.len())
                .into_par_iter()
                .map_init(String::new, |buf, story| filter_of(buf, library, story))
                .collect(),
        }
    }

    /// Whether `story` may hold the probed word.
    pub fn may_hold(&self, story: usize, probe: &Probe) -> bool {
        let Some(filter) = self.filters.get(story) else {
            return true;
        };
        probe.0.iter().all(|&hash| {
            bit_positions(hash)
                .iter()
                .all(|&bit| filter[bit / 64] & (1 << (bit % 64)) != 0)
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

fn filter_of(buf: &mut String, library: &Library, story: usize) -> [u64; WORDS] {
    let mut filter = [0u64; WORDS];
    let (title, paragraphs) = library.searchable(story);
    for text in title
        .into_iter()
        .chain(paragraphs.iter().map(String::as_str))
    {
        buf.clear();
        fold_into(text, buf);
        for range in tokens::ranges(buf) {
            for bit in bit_positions(xxh3_64(&buf.as_bytes()[range])) {
                filter[bit / 64] |= 1 << (bit % 64);
            }
        }
    }
    filter
}
