//! Title inference: which headline in the pool is a plain story's own.
//!
//! Headlines are the queries and story bodies the documents. A headline
//! matches a story by *coverage*: the share of the headline's word weight
//! found in the body, where a word weighs more the fewer stories and
//! headlines use it (inverse document frequency). Two headlines about the
//! same strike share "rail" and "strike"; what decides is "third day" versus
//! "ends after deal", and those rarer words weigh the most.
//!
//! Scoring every story against every headline would be quadratic. Instead
//! each headline is indexed only under its rarest words, a *prefix* heavy
//! enough that a story holding none of them cannot reach [`MIN_COVERAGE`]
//! (prefix filtering, as in similarity joins). A story looks up its words,
//! sums the prefix weight it holds for each headline found, drops those that
//! cannot reach the threshold even with every other word, and checks the
//! few that remain.

use std::collections::HashMap;

use nohash_hasher::BuildNoHashHasher;
use rayon::prelude::*;

use super::pairing::{Assignment, Candidate, Pairing};
use crate::prefetch::prefetch;
use crate::text::fold::{for_each_word_hash, for_each_word_unit};

/// A headline must have at least this share of its word weight in a
/// story's body to be that story's title.
pub const MIN_COVERAGE: f32 = 0.5;
/// And at least this many of its distinct words, so that one shared name
/// never makes a title (a word is matched when any of its units is: see
/// [`for_each_word_unit`]).
const MIN_MATCHED_WORDS: u32 = 2;
/// How many headlines a story's words may propose, rarest words first.
/// With a small pool every index word proposes; with a large one, common
/// words stop proposing (their headlines are still reached through their
/// rarer words, or from the story's own related block), so the work per
/// story does not grow with the pool.
const PROPOSAL_BUDGET: usize = 256;

pub type WordId = u32;

/// The words of the headline pool. Built first, so that story bodies can be
/// reduced to the words that matter before weights are known.
pub struct Vocabulary {
    ids: HashMap<u64, WordId, BuildNoHashHasher<u64>>,
    /// Per headline: its distinct units, each with the number of the
    /// headline's word it first came from (the 64th and later words share
    /// the last number); empty for unavailable headlines.
    headlines: Vec<Vec<(WordId, u8)>>,
    /// Per word: how many headlines use it.
    headline_frequency: Vec<u32>,
}

/// Calls `found` with each word of `texts` that is in `ids`, once.
fn for_each_story_word<'t>(
    ids: &HashMap<u64, WordId, BuildNoHashHasher<u64>>,
    texts: impl IntoIterator<Item = &'t str>,
    seen: &mut WordSet,
    mut found: impl FnMut(WordId),
) {
    seen.start(ids.len());
    for paragraph in texts {
        for_each_word_hash(paragraph, |hash| {
            if let Some(&id) = ids.get(&hash)
                && seen.insert(id)
            {
                found(id);
            }
        });
    }
}

impl Vocabulary {
    /// Headlines with `available[h] == false` (already some story's stated
    /// title) are never proposed.
    pub fn new(headlines: &[&str], available: &[bool]) -> Self {
        // Finding each headline's units is most of the work, and needs no
        // other headline: on every core. Numbering them is one pass, in
        // order, so a word's id does not depend on the threads.
        let units: Vec<Vec<(u64, u8)>> = headlines
            .par_iter()
            .enumerate()
            .map(|(index, text)| {
                let mut units = Vec::new();
                if available.get(index).copied().unwrap_or(true) {
                    let mut word = 0u32;
                    for_each_word_unit(text, |hash, new_word| {
                        if new_word && !units.is_empty() {
                            word += 1;
                        }
                        units.push((hash, word.min(63) as u8));
                    });
                }
                units
            })
            .collect();
        let mut vocabulary = Vocabulary {
            ids: HashMap::default(),
            headlines: Vec::with_capacity(units.len()),
            headline_frequency: Vec::new(),
        };
        for units in units {
            let mut words: Vec<(WordId, u8)> = units
                .into_iter()
                .map(|(hash, word)| {
                    let next = vocabulary.ids.len() as WordId;
                    let id = *vocabulary.ids.entry(hash).or_insert(next);
                    if id == next {
                        vocabulary.headline_frequency.push(0);
                    }
                    (id, word)
                })
                .collect();
            // A unit counts for the first word it came from.
            words.sort_unstable();
            words.dedup_by_key(|&mut (id, _)| id);
            for &(id, _) in &words {
                vocabulary.headline_frequency[id as usize] += 1;
            }
            vocabulary.headlines.push(words);
        }
        vocabulary
    }

    pub fn len(&self) -> usize {
        self.headline_frequency.len()
    }

    pub fn is_empty(&self) -> bool {
        self.headline_frequency.is_empty()
    }

    /// The words of a story as the index stored it: those of its stated
    /// `title`, then its body's (`stored`, by number; `stored_ids` from
    /// [`Vocabulary::ids_of`]), each once. `seen` as for
    /// [`Vocabulary::story_words`].
    pub fn stored_words(
        &self,
        title: Option<&str>,
        stored: &[u32],
        stored_ids: &[Option<WordId>],
        seen: &mut WordSet,
    ) -> Vec<WordId> {
        // `seen` holds the title's words, and keeps out those the body
        // repeats.
        let mut words = self.story_words(title, seen);
        words.extend(
            stored
                .iter()
                .filter_map(|&word| stored_ids.get(word as usize).copied().flatten())
                .filter(|&id| seen.insert(id)),
        );
        words
    }

    /// For each word hash (by position), its id here, if a headline uses
    /// it: how stored word lists are read.
    pub fn ids_of(&self, hashes: &[u64]) -> Vec<Option<WordId>> {
        hashes.iter().map(|h| self.ids.get(h).copied()).collect()
    }

    /// The words of a story's texts that some headline uses, each once, in
    /// the order first seen. `seen` is per-thread scratch, and holds them
    /// after.
    pub fn story_words<'t>(
        &self,
        texts: impl IntoIterator<Item = &'t str>,
        seen: &mut WordSet,
    ) -> Vec<WordId> {
        let mut words = Vec::new();
        for_each_story_word(&self.ids, texts, seen, |id| words.push(id));
        words
    }

    /// Weighs every word by how rare it is across the stories' words (from
    /// [`Vocabulary::story_words`]) and the headlines, and indexes each
    /// headline under its prefix, for finding those with at least
    /// `min_coverage` of their weight in a story.
    pub fn index(&self, stories: &[Vec<WordId>], min_coverage: f32) -> TitleIndex {
        let mut in_stories = vec![0; self.len()];
        for &word in stories.iter().flatten() {
            in_stories[word as usize] += 1;
        }
        self.index_counted(&in_stories, stories.len(), min_coverage)
    }

    /// How many stories use each word, by id, from `count` of its hash:
    /// for counts kept over every word of the stories, whichever
    /// headlines there are.
    pub fn counted(&self, count: impl Fn(u64) -> u32) -> Vec<u32> {
        let mut counts = vec![0; self.len()];
        for (&hash, &id) in &self.ids {
            counts[id as usize] = count(hash);
        }
        counts
    }

    /// [`Vocabulary::index`] from how many of the `stories` use each word
    /// (`in_stories`, by id) instead of their words.
    pub fn index_counted(
        &self,
        in_stories: &[u32],
        stories: usize,
        min_coverage: f32,
    ) -> TitleIndex {
        let documents = (stories + self.headlines.len()) as f32;
        let weights: Vec<f32> = self
            .headline_frequency
            .iter()
            .zip(in_stories)
            .map(|(&f, &s)| (1.0 + documents / (f + s).max(1) as f32).ln())
            .collect();

        let mut headlines = IndexedHeadlines::default();
        let mut words = Vec::new();
        for units in &self.headlines {
            words.clone_from(units);
            words.sort_by(|(a, _), (b, _)| {
                weights[*b as usize]
                    .total_cmp(&weights[*a as usize])
                    .then(a.cmp(b))
            });
            let total: f32 = words.iter().map(|&(w, _)| weights[w as usize]).sum();
            let distinct_words = words.iter().fold(0u64, |all, &(_, n)| all | 1 << n);
            // A story without any prefix word has at most `total - prefix`,
            // which must fall short of `min_coverage`.
            let (mut prefix, mut prefix_len) = (0.0, 0);
            if distinct_words.count_ones() >= MIN_MATCHED_WORDS {
                for &(word, _) in &words {
                    prefix += weights[word as usize];
                    prefix_len += 1;
                    if prefix > (1.0 - min_coverage) * total {
                        break;
                    }
                }
            }
            headlines.push(&words, &weights, prefix_len, total);
        }
        let prefix_index = PostingLists::new(
            weights.len(),
            (0..headlines.len()).flat_map(|h| {
                let (words, prefix_len, _) = headlines.get(h);
                words[..prefix_len]
                    .iter()
                    .map(move |&(word, _, _)| (word, h as u32))
            }),
        );
        TitleIndex {
            weights,
            headlines,
            prefix_index,
            min_coverage,
        }
    }
}

/// Word -> headlines, as one flat array with offsets: one allocation
/// instead of one per word.
struct PostingLists {
    offsets: Vec<u32>,
    entries: Vec<u32>,
}

impl PostingLists {
    fn new(words: usize, pairs: impl Iterator<Item = (WordId, u32)> + Clone) -> Self {
        let mut offsets = vec![0u32; words + 1];
        for (word, _) in pairs.clone() {
            offsets[word as usize + 1] += 1;
        }
        for i in 1..offsets.len() {
            offsets[i] += offsets[i - 1];
        }
        let mut fill = offsets.clone();
        let mut entries = vec![0; offsets[words] as usize];
        for (word, headline) in pairs {
            entries[fill[word as usize] as usize] = headline;
            fill[word as usize] += 1;
        }
        PostingLists { offsets, entries }
    }

    fn get(&self, word: WordId) -> &[u32] {
        &self.entries
            [self.offsets[word as usize] as usize..self.offsets[word as usize + 1] as usize]
    }
}

/// Each headline's distinct units with their weights and words, heaviest
/// first, one headline after another in one array: checking a headline
/// against a story reads memory front to back.
#[derive(Default)]
struct IndexedHeadlines {
    /// Per headline: where its units start and its total weight, side by
    /// side (one cache line to wait for, not two); then where the last
    /// one's units end.
    places: Vec<(u32, f32)>,
    words: Vec<(WordId, f32, u8)>,
    /// The first `prefix_len` words of a headline are its prefix.
    prefix_len: Vec<u32>,
}

impl IndexedHeadlines {
    fn push(&mut self, words: &[(WordId, u8)], weights: &[f32], prefix_len: usize, total: f32) {
        self.places.pop();
        self.places.push((self.words.len() as u32, total));
        self.words
            .extend(words.iter().map(|&(w, n)| (w, weights[w as usize], n)));
        self.places.push((self.words.len() as u32, 0.0));
        self.prefix_len.push(prefix_len as u32);
    }

    fn len(&self) -> usize {
        self.prefix_len.len()
    }

    /// Asks for where a headline's units are, and its total.
    fn fetch_place(&self, headline: usize) {
        prefetch(&self.places[headline]);
    }

    /// Asks for a headline's first units.
    fn fetch_units(&self, headline: usize) {
        prefetch(
            self.words
                .as_ptr()
                .wrapping_add(self.places[headline].0 as usize),
        );
    }

    /// A headline's weighted units, its prefix length and its total weight.
    fn get(&self, headline: usize) -> (&[(WordId, f32, u8)], usize, f32) {
        let ((start, total), (end, _)) = (self.places[headline], self.places[headline + 1]);
        (
            &self.words[start as usize..end as usize],
            self.prefix_len[headline] as usize,
            total,
        )
    }
}

pub struct TitleIndex {
    weights: Vec<f32>,
    headlines: IndexedHeadlines,
    /// Word -> headlines that have it in their prefix.
    prefix_index: PostingLists,
    min_coverage: f32,
}

impl TitleIndex {
    /// Headlines that could title a story with these words (from
    /// [`Vocabulary::story_words`]), whose own related block is `own_block`.
    pub fn candidates(
        &self,
        words: &[WordId],
        own_block: &[usize],
        tally: &mut Tally,
    ) -> Vec<Candidate> {
        tally.reset(self.headlines.len());
        tally.words.hold(self.weights.len(), words);
        // The story's words that index headlines, those indexing the fewest
        // first: a name proposes its one headline before a common word
        // proposes its many, and the budget keeps the work per story the
        // same however large the pool grows.
        let mut by_rarity = std::mem::take(&mut tally.by_rarity);
        by_rarity.clear();
        by_rarity.extend(
            words
                .iter()
                .map(|&w| (self.prefix_index.get(w).len(), w))
                .filter(|(n, _)| *n > 0),
        );
        by_rarity.sort_unstable();
        let mut budget = PROPOSAL_BUDGET;
        for &(listed, word) in &by_rarity {
            if listed > budget {
                break;
            }
            budget -= listed;
            for &h in self.prefix_index.get(word) {
                tally.proposed_at(h);
            }
        }
        tally.by_rarity = by_rarity;
        own_block.iter().for_each(|&h| tally.proposed_at(h as u32));
        // Checking a headline waits on memory (its units are scattered
        // over megabytes), so those a few places ahead are asked for first:
        // where they start, then the units.
        let touched = &tally.touched;
        let mut candidates = Vec::new();
        for (at, &headline) in touched.iter().enumerate() {
            if let Some(&far) = touched.get(at + 16) {
                self.headlines.fetch_place(far as usize);
            }
            if let Some(&near) = touched.get(at + 8) {
                self.headlines.fetch_units(near as usize);
            }
            if let Some(coverage) = self.coverage(headline as usize, &tally.words) {
                candidates.push(Candidate { headline, coverage });
            }
        }
        candidates.sort_unstable_by_key(|c| c.headline);
        candidates
    }

    /// The headlines of a story's own related block that its words cover
    /// whole: coverage 1, which no pairing exceeds (a sum over some of a
    /// headline's weights never exceeds the sum over all of them, added in
    /// the same order), whatever the weights are.
    pub fn covered_whole(
        &self,
        words: &[WordId],
        own_block: &[usize],
        tally: &mut Tally,
    ) -> Vec<u32> {
        tally.words.hold(self.weights.len(), words);
        own_block
            .iter()
            .filter(|&&headline| headline < self.headlines.len())
            .filter(|&&headline| self.coverage(headline, &tally.words) == Some(1.0))
            .map(|&headline| headline as u32)
            .collect()
    }

    /// The headline's coverage by the story; None below the thresholds.
    /// Words are checked heaviest first, giving up as soon as the
    /// threshold is out of reach.
    fn coverage(&self, headline: usize, story: &WordSet) -> Option<f32> {
        let (words, _, total) = self.headlines.get(headline);
        let needed = self.min_coverage * total;
        let (mut matched, mut matched_words, mut reachable) = (0.0, 0u64, total);
        for &(word, weight, number) in words {
            if reachable < needed {
                return None;
            }
            if story.contains(word) {
                matched += weight;
                matched_words |= 1 << number;
            } else {
                reachable -= weight;
            }
        }
        (matched_words.count_ones() >= MIN_MATCHED_WORDS && matched >= needed)
            .then(|| matched / total)
    }
}

/// A plain story as title inference sees it (its words come separately).
pub struct Untitled<'a> {
    /// Headlines of its own related block.
    pub related: &'a [usize],
    /// Its id, to break ties the same way whatever order files load in.
    pub tie: &'a str,
}

/// What title inference found.
pub struct Inferred {
    /// Each story's own headline, or none.
    pub titles: Vec<Option<usize>>,
    /// Each story's headlines of its own block that its words cover whole
    /// (see [`assign_in_two_steps`]): they depend on no other story, so a
    /// library that grows keeps them.
    pub whole: Vec<Vec<u32>>,
}

/// Picks each story's own headline from the pool, or none. `keys` are the
/// headlines' folded keys (order-independent tie-breakers); headlines
/// already `claimed` as stated titles are not proposed. `words` gives each
/// story's words in the headlines' vocabulary (read from its text, or from
/// what the index stored of it).
pub fn infer(
    headlines: &[&str],
    keys: &[u128],
    claimed: &[bool],
    stories: &[Untitled],
    words: impl FnOnce(&Vocabulary) -> Vec<Vec<WordId>>,
) -> Inferred {
    if stories.is_empty() {
        return Inferred {
            titles: Vec::new(),
            whole: Vec::new(),
        };
    }
    let available: Vec<bool> = claimed.iter().map(|c| !c).collect();
    let vocabulary = Vocabulary::new(headlines, &available);
    let mut words = words(&vocabulary);
    let index = vocabulary.index(&words, MIN_COVERAGE);
    let whole: Vec<Vec<u32>> = stories
        .par_iter()
        .zip(&words)
        .map_init(Tally::default, |tally, (story, words)| {
            index.covered_whole(words, story.related, tally)
        })
        .collect();
    let ties: Vec<&str> = stories.iter().map(|s| s.tie).collect();
    let titles = assign_in_two_steps(&index, keys, &ties, &whole, |left| {
        left.iter()
            .map(|&story| {
                (
                    std::mem::take(&mut words[story]),
                    stories[story].related.to_vec(),
                )
            })
            .collect()
    });
    Inferred { titles, whole }
}

/// The result of one greedy pass over every story's candidates
/// ([`assign`]), found in two steps. No pairing can rank above a headline
/// of the story's own related block that its words cover whole (coverage
/// 1, own block: `whole`, by story), and whether one does depends on no
/// weight; so those are assigned first, and only the stories left without
/// a title (a tenth, where most stories name their own headline) have
/// every headline of the pool searched for candidates. `left` gives those
/// stories' words and own blocks. `ties` are the stories' ids.
pub fn assign_in_two_steps(
    index: &TitleIndex,
    keys: &[u128],
    ties: &[&str],
    whole: &[Vec<u32>],
    left: impl FnOnce(&[usize]) -> Vec<(Vec<WordId>, Vec<usize>)>,
) -> Vec<Option<usize>> {
    let mut assignment = Assignment::new(ties.len(), keys.len());
    let pairing = |story: usize, candidate: Candidate, own_block: bool| Pairing {
        story,
        candidate,
        own_block,
        tie: (ties[story], keys[candidate.headline as usize]),
    };
    let first: Vec<Pairing<(&str, u128)>> = whole
        .iter()
        .enumerate()
        .flat_map(|(story, whole)| {
            whole.iter().map(move |&headline| {
                let candidate = Candidate {
                    headline,
                    coverage: 1.0,
                };
                pairing(story, candidate, true)
            })
        })
        .collect();
    assignment.take(first);
    let chosen: Vec<usize> = (0..ties.len())
        .filter(|&story| assignment.title[story].is_none())
        .collect();
    let found = left(&chosen);
    let rest: Vec<Pairing<(&str, u128)>> = chosen
        .par_iter()
        .zip(&found)
        .map_init(Tally::default, |tally, (&story, (words, block))| {
            index
                .candidates(words, block, tally)
                .into_iter()
                .map(move |candidate| {
                    let own_block = block.contains(&(candidate.headline as usize));
                    pairing(story, candidate, own_block)
                })
        })
        .flatten_iter()
        .collect();
    assignment.take(rest);
    assignment.title
}

/// Per-thread scratch for [`TitleIndex::candidates`]: which headlines were
/// proposed, dense by headline so that proposing one costs a store, not a
/// search.
#[derive(Default)]
pub struct Tally {
    proposed: Vec<bool>,
    touched: Vec<u32>,
    by_rarity: Vec<(usize, WordId)>,
    /// The story's words, for checking a headline's against.
    words: WordSet,
}

/// A set of words: one bit per word of the vocabulary (a few kilobytes,
/// which stay in cache), emptied by clearing only the bits it set.
/// Per-thread scratch.
#[derive(Default)]
pub struct WordSet {
    bits: Vec<u64>,
    members: Vec<WordId>,
}

impl WordSet {
    /// Empties the set for a vocabulary of `len` words.
    fn start(&mut self, len: usize) {
        for &word in &self.members {
            self.bits[word as usize / 64] = 0;
        }
        self.members.clear();
        self.bits.resize(len.div_ceil(64), 0);
    }

    /// Holds just `words`, of a vocabulary of `len` words.
    fn hold(&mut self, len: usize, words: &[WordId]) {
        self.start(len);
        for &word in words {
            self.insert(word);
        }
    }

    /// Adds `word`; false if it was there already.
    pub(super) fn insert(&mut self, word: WordId) -> bool {
        let Some(slot) = self.bits.get_mut(word as usize / 64) else {
            return false;
        };
        let bit = 1 << (word % 64);
        if *slot & bit != 0 {
            return false;
        }
        *slot |= bit;
        self.members.push(word);
        true
    }

    fn contains(&self, word: WordId) -> bool {
        self.bits
            .get(word as usize / 64)
            .is_some_and(|slot| slot & (1 << (word % 64)) != 0)
    }
}

impl Tally {
    fn reset(&mut self, headlines: usize) {
        for &h in &self.touched {
            self.proposed[h as usize] = false;
        }
        self.touched.clear();
        self.proposed.resize(headlines, false);
    }

    fn proposed_at(&mut self, headline: u32) {
        if let Some(slot) = self.proposed.get_mut(headline as usize)
            && !*slot
        {
            *slot = true;
            self.touched.push(headline);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Gives each story at most one headline and each headline at most one
    /// story, best coverage first: when two stories compete for a headline, the
    /// better match wins, and the loser keeps its next best.
    fn assign<K: Ord + Send>(
        pairings: Vec<Pairing<K>>,
        stories: usize,
        headlines: usize,
    ) -> Vec<Option<usize>> {
        let mut assignment = Assignment::new(stories, headlines);
        assignment.take(pairings);
        assignment.title
    }

    /// Candidates for each story, indexed over all of them.
    fn candidates(pool: &[&str], available: &[bool], stories: &[&str]) -> Vec<Vec<Candidate>> {
        let (index, words) = index_over(pool, available, stories.iter().map(|s| s.to_string()));
        words
            .iter()
            .map(|w| index.candidates(w, &[], &mut Tally::default()))
            .collect()
    }

    /// The index over `pool` and `stories` (one paragraph each), as
    /// `infer` builds it.
    fn index_over(
        pool: &[&str],
        available: &[bool],
        stories: impl IntoIterator<Item = String>,
    ) -> (TitleIndex, Vec<Vec<WordId>>) {
        let vocabulary = Vocabulary::new(pool, available);
        let words: Vec<Vec<WordId>> = stories
            .into_iter()
            .map(|s| vocabulary.story_words([s.as_str()], &mut WordSet::default()))
            .collect();
        (vocabulary.index(&words, MIN_COVERAGE), words)
    }

    fn best(candidates: &[Candidate]) -> Option<Candidate> {
        candidates
            .iter()
            .copied()
            .max_by(|a, b| a.coverage.total_cmp(&b.coverage))
    }

    #[test]
    fn rare_words_decide_between_similar_headlines() {
        let pool = [
            "Rail Strike Enters Third Day as Talks Stall",
            "Rail Strike Ends After Union Accepts Deal",
            "City Council Approves Budget",
        ];
        let found = candidates(
            &pool,
            &[true; 3],
            &[
                "The rail strike entered its third day on Wednesday as talks between the union and the operator stalled.",
                "The rail strike ended on Friday after the union accepted a deal.",
            ],
        );
        let third_day = best(&found[0]).unwrap();
        assert_eq!(third_day.headline, 0);
        assert!(third_day.coverage > 0.9);
        assert_eq!(best(&found[1]).unwrap().headline, 1);
    }

    #[test]
    fn unavailable_headlines_are_never_proposed() {
        let found = candidates(
            &["Markets Rally Strongly"],
            &[false],
            &["Markets rally strongly today."],
        );
        assert!(found[0].is_empty());
    }

    #[test]
    fn one_shared_word_is_not_enough() {
        let found = candidates(
            &["Obituaries", "Taiwan Votes"],
            &[true, true],
            &["Obituaries and Taiwan news."],
        );
        assert!(found[0].is_empty());
    }

    /// A small vocabulary, so that pseudo-random texts share many words.
    const WORDS: [&str; 12] = [
        "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa",
        "lambda", "mu",
    ];

    /// Pseudo-random numbers below `n`, the same for the same seed.
    fn picker(mut seed: u64) -> impl FnMut(usize) -> usize {
        move |n| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        }
    }

    #[test]
    fn pruned_candidates_are_exactly_those_a_full_scan_finds() {
        // Pseudo-random pools and stories over a small vocabulary, so that
        // many pairs land near the threshold.
        let words = &WORDS[..10];
        let mut pick = picker(7);
        let mut text = |len: usize| {
            (0..len)
                .map(|_| words[pick(words.len())])
                .collect::<Vec<_>>()
                .join(" ")
        };
        let pool: Vec<String> = (0..40).map(|i| text(2 + i % 5)).collect();
        let stories: Vec<String> = (0..40).map(|i| text(3 + i % 7)).collect();

        let pool: Vec<&str> = pool.iter().map(String::as_str).collect();
        let (index, story_words) = index_over(&pool, &[true; 40], stories.iter().cloned());
        let mut near_threshold = 0;
        for words in &story_words {
            let mut expected = Vec::new();
            for h in 0..index.headlines.len() {
                let (headline, _, total) = index.headlines.get(h);
                let held: Vec<(WordId, u8)> = headline
                    .iter()
                    .map(|&(w, _, n)| (w, n))
                    .filter(|(w, _)| words.contains(w))
                    .collect();
                let coverage = held
                    .iter()
                    .map(|&(w, _)| index.weights[w as usize])
                    .sum::<f32>()
                    / total;
                let held_words = held.iter().fold(0u64, |all, &(_, n)| all | 1 << n);
                if (coverage - MIN_COVERAGE).abs() < 0.15 {
                    near_threshold += 1;
                }
                if held_words.count_ones() >= MIN_MATCHED_WORDS && coverage >= MIN_COVERAGE {
                    expected.push(h as u32);
                }
            }
            let found: Vec<u32> = index
                .candidates(words, &[], &mut Tally::default())
                .iter()
                .map(|c| c.headline)
                .collect();
            assert_eq!(found, expected);
        }
        assert!(
            near_threshold > 50,
            "the test should exercise the threshold"
        );
    }

    #[test]
    fn better_match_wins_a_contested_headline() {
        let pairing = |story, headline, coverage| Pairing {
            story,
            candidate: Candidate { headline, coverage },
            own_block: false,
            tie: story,
        };
        let titles = assign(
            vec![pairing(0, 0, 0.7), pairing(1, 0, 0.9), pairing(0, 1, 0.6)],
            2,
            2,
        );
        assert_eq!(titles, [Some(1), Some(0)]);
    }

    /// What `infer` gives by its two steps, against one greedy pass over
    /// every story's candidates, on pseudo-random libraries where many
    /// stories hold whole headlines of their own blocks and several hold
    /// the same one.
    #[test]
    fn titles_in_two_steps_are_those_of_one_pass_over_every_candidate() {
        let vocabulary = WORDS;
        let mut pick = picker(11);
        let (mut lost_whole, mut titled_later) = (0, 0);
        for _ in 0..200 {
            let pool: Vec<String> = (0..30)
                .map(|_| {
                    (0..2 + pick(4))
                        .map(|_| vocabulary[pick(vocabulary.len())])
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect();
            let pool: Vec<&str> = pool.iter().map(String::as_str).collect();
            let keys: Vec<u128> = (0..pool.len() as u128).map(|k| k * 7919 % 31).collect();
            let claimed: Vec<bool> = (0..pool.len()).map(|_| pick(10) == 0).collect();
            let mut texts = Vec::new();
            let mut blocks = Vec::new();
            for _ in 0..40 {
                let mut block: Vec<usize> = (0..pick(5)).map(|_| pick(pool.len())).collect();
                block.sort_unstable();
                block.dedup();
                let mut text: Vec<&str> = (0..2 + pick(6))
                    .map(|_| vocabulary[pick(vocabulary.len())])
                    .collect();
                if let Some(&own) = block.get(pick(block.len() + 2)) {
                    text.extend(pool[own].split(' '));
                }
                texts.push(text.join(" "));
                blocks.push(block);
            }
            let ids: Vec<String> = (0..texts.len())
                .map(|i| format!("{:02}", (i * 17) % 40))
                .collect();
            let stories: Vec<Untitled> = blocks
                .iter()
                .zip(&ids)
                .map(|(related, tie)| Untitled { related, tie })
                .collect();
            let words_of = |vocabulary: &Vocabulary| -> Vec<Vec<WordId>> {
                texts
                    .iter()
                    .map(|t| vocabulary.story_words([t.as_str()], &mut WordSet::default()))
                    .collect()
            };
            let two_steps = infer(&pool, &keys, &claimed, &stories, words_of).titles;

            let available: Vec<bool> = claimed.iter().map(|c| !c).collect();
            let vocabulary = Vocabulary::new(&pool, &available);
            let words = words_of(&vocabulary);
            let index = vocabulary.index(&words, MIN_COVERAGE);
            // The own-block headlines each story covers whole.
            let mut whole = vec![Vec::new(); stories.len()];
            let mut pairings = Vec::new();
            for (story, untitled) in stories.iter().enumerate() {
                for candidate in
                    index.candidates(&words[story], untitled.related, &mut Tally::default())
                {
                    let headline = candidate.headline as usize;
                    let own_block = untitled.related.contains(&headline);
                    if own_block && candidate.coverage == 1.0 {
                        whole[story].push(headline);
                    }
                    pairings.push(Pairing {
                        story,
                        candidate,
                        own_block,
                        tie: (untitled.tie, keys[headline]),
                    });
                }
            }
            let one_pass = assign(pairings, stories.len(), pool.len());
            assert_eq!(two_steps, one_pass);
            for (story, title) in one_pass.iter().enumerate() {
                let whole = &whole[story];
                if !whole.is_empty() && title.is_none_or(|h| !whole.contains(&h)) {
                    lost_whole += 1;
                }
                if whole.is_empty() && title.is_some() {
                    titled_later += 1;
                }
            }
        }
        assert!(
            lost_whole > 20 && titled_later > 20,
            "the test should exercise both steps: {lost_whole} stories lost a whole headline, {titled_later} were titled in the second step"
        );
    }
}
