//! Title inference: which headline in the pool is a plain story's own.
//!
//! A headline matches a story by *coverage*: the share of the headline's
//! word weight found in the story's body, where a word weighs more the fewer
//! headlines use it (inverse document frequency). Two headlines about the
//! same strike share "rail" and "strike"; what decides is "third day" versus
//! "ends after deal", and those rarer words weigh the most.
//!
//! Scoring every story against every headline would be quadratic. Instead
//! each headline is indexed only under its rarest words, a *prefix* heavy
//! enough that a story missing all of them cannot reach [`MIN_COVERAGE`]
//! (prefix filtering, as in similarity joins). A story then looks up its own
//! words and scores only the few headlines found, and the rare words' lists
//! are short.

use std::collections::HashMap;

use nohash_hasher::BuildNoHashHasher;

use crate::text::fold::for_each_word_hash;

/// A headline must have at least this share of its word weight in a
/// story's body to be that story's title.
pub const MIN_COVERAGE: f32 = 0.5;
/// And at least this many of its distinct words, so that one shared name
/// never makes a title.
const MIN_MATCHED_WORDS: usize = 2;

type WordMap<V> = HashMap<u64, V, BuildNoHashHasher<u64>>;

pub struct TitleMatcher {
    /// Per headline: its distinct words with their weights, rarest first.
    words: Vec<Vec<(u64, f32)>>,
    totals: Vec<f32>,
    /// Word -> headlines that have it among their rarest words.
    prefix_index: WordMap<Vec<u32>>,
}

/// A possible title for a story.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    pub headline: u32,
    pub coverage: f32,
}

impl TitleMatcher {
    /// Indexes the headline pool. Headlines with `available[h] == false`
    /// (already some story's stated title) are never proposed.
    pub fn new<'a>(headlines: impl IntoIterator<Item = &'a str>, available: &[bool]) -> Self {
        let word_sets: Vec<Vec<u64>> = headlines.into_iter().map(distinct_words).collect();
        let mut document_frequency: WordMap<u32> = WordMap::default();
        for words in &word_sets {
            for &word in words {
                *document_frequency.entry(word).or_default() += 1;
            }
        }
        let pool = word_sets.len() as f32;
        let weight = |word: &u64| (1.0 + pool / document_frequency[word] as f32).ln();

        let mut matcher = TitleMatcher {
            words: Vec::with_capacity(word_sets.len()),
            totals: Vec::with_capacity(word_sets.len()),
            prefix_index: WordMap::default(),
        };
        for (index, words) in word_sets.into_iter().enumerate() {
            let mut weighted: Vec<(u64, f32)> = if available.get(index).copied().unwrap_or(true) {
                words.iter().map(|w| (*w, weight(w))).collect()
            } else {
                Vec::new()
            };
            weighted.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let total: f32 = weighted.iter().map(|(_, w)| w).sum();
            if weighted.len() >= MIN_MATCHED_WORDS {
                // A story without any prefix word has at most `total - prefix`
                // of the weight, which must fall short of MIN_COVERAGE.
                let mut prefix = 0.0;
                for &(word, w) in &weighted {
                    matcher
                        .prefix_index
                        .entry(word)
                        .or_default()
                        .push(index as u32);
                    prefix += w;
                    if prefix > (1.0 - MIN_COVERAGE) * total {
                        break;
                    }
                }
            }
            matcher.words.push(weighted);
            matcher.totals.push(total);
        }
        matcher
    }

    /// Headlines that could title a story with these paragraphs.
    pub fn candidates(&self, paragraphs: &[String]) -> Vec<Candidate> {
        let mut body = Vec::new();
        for paragraph in paragraphs {
            for_each_word_hash(paragraph, |w| body.push(w));
        }
        body.sort_unstable();
        body.dedup();

        let mut proposed: Vec<u32> = body
            .iter()
            .filter_map(|word| self.prefix_index.get(word))
            .flatten()
            .copied()
            .collect();
        proposed.sort_unstable();
        proposed.dedup();

        proposed
            .into_iter()
            .filter_map(|headline| {
                let words = &self.words[headline as usize];
                let (mut matched, mut count) = (0.0, 0);
                for (word, weight) in words {
                    if body.binary_search(word).is_ok() {
                        matched += weight;
                        count += 1;
                    }
                }
                let coverage = matched / self.totals[headline as usize];
                (count >= MIN_MATCHED_WORDS && coverage >= MIN_COVERAGE)
                    .then_some(Candidate { headline, coverage })
            })
            .collect()
    }
}

fn distinct_words(text: &str) -> Vec<u64> {
    let mut words = Vec::new();
    for_each_word_hash(text, |w| words.push(w));
    words.sort_unstable();
    words.dedup();
    words
}

/// A candidate pairing, with what breaks ties between equal coverages.
pub struct Pairing<K> {
    pub story: usize,
    pub candidate: Candidate,
    /// The headline stands in the story's own related block.
    pub own_block: bool,
    /// Order-independent tie-breaker (story id, headline key), so titles do
    /// not depend on the order files were loaded in.
    pub tie: K,
}

/// Gives each story at most one headline and each headline at most one
/// story, best coverage first: when two stories compete for a headline, the
/// better match wins, and the loser keeps its next best.
pub fn assign<K: Ord>(
    mut pairings: Vec<Pairing<K>>,
    stories: usize,
    headlines: usize,
) -> Vec<Option<usize>> {
    pairings.sort_by(|a, b| {
        b.candidate
            .coverage
            .total_cmp(&a.candidate.coverage)
            .then(b.own_block.cmp(&a.own_block))
            .then_with(|| a.tie.cmp(&b.tie))
    });
    let mut title: Vec<Option<usize>> = vec![None; stories];
    let mut taken = vec![false; headlines];
    for pairing in pairings {
        let headline = pairing.candidate.headline as usize;
        if title[pairing.story].is_none() && !taken[headline] {
            title[pairing.story] = Some(headline);
            taken[headline] = true;
        }
    }
    title
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraphs(text: &str) -> Vec<String> {
        vec![text.to_owned()]
    }

    #[test]
    fn rare_words_decide_between_similar_headlines() {
        let pool = [
            "Rail Strike Enters Third Day as Talks Stall",
            "Rail Strike Ends After Union Accepts Deal",
            "City Council Approves Budget",
        ];
        let matcher = TitleMatcher::new(pool, &[true; 3]);
        let third_day = matcher.candidates(&paragraphs(
            "The rail strike entered its third day on Wednesday as talks between the union and the operator stalled.",
        ));
        let best = third_day
            .iter()
            .max_by(|a, b| a.coverage.total_cmp(&b.coverage))
            .unwrap();
        assert_eq!(best.headline, 0);
        assert!(best.coverage > 0.9);
    }

    #[test]
    fn unavailable_headlines_are_never_proposed() {
        let matcher = TitleMatcher::new(["Markets Rally Strongly"], &[false]);
        assert!(
            matcher
                .candidates(&paragraphs("Markets rally strongly today."))
                .is_empty()
        );
    }

    #[test]
    fn one_shared_word_is_not_enough() {
        let matcher = TitleMatcher::new(["Obituaries", "Taiwan Votes"], &[true, true]);
        assert!(
            matcher
                .candidates(&paragraphs("Obituaries and Taiwan news."))
                .is_empty()
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
}
