//! Ranking stories whose text matched: those holding the query as a phrase
//! first, then by BM25 (Okapi), then in index order.
//!
//! BM25 is computed here, from counts taken over the library being read,
//! and not by SQLite's `bm25()`: the index on disk is shared by every
//! library a user opens, and its own counts would rank one library by the
//! words of another. Computed here, from the same whole numbers, a search
//! with the index and one without it give the same order to the last bit.

use std::cmp::Ordering;

use crate::model::StoryIndex;

/// Term frequency saturation.
const K1: f64 = 1.2;
/// Length normalization.
const B: f64 = 0.75;

/// The library's size, in stories and in tokens.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Corpus {
    pub stories: u64,
    pub tokens: u64,
}

impl Corpus {
    fn average_length(&self) -> f64 {
        if self.stories == 0 {
            0.0
        } else {
            self.tokens as f64 / self.stories as f64
        }
    }
}

/// BM25 of one story: `frequency[i]` occurrences of word `i`, which
/// `documents[i]` stories of the corpus hold, in a story `length` tokens
/// long.
pub fn bm25(corpus: Corpus, documents: &[u32], frequency: &[u32], length: u32) -> f64 {
    let n = corpus.stories as f64;
    let average = corpus.average_length();
    let norm = if average > 0.0 {
        1.0 - B + B * f64::from(length) / average
    } else {
        1.0
    };
    documents
        .iter()
        .zip(frequency)
        .map(|(&df, &tf)| {
            let df = f64::from(df);
            let tf = f64::from(tf);
            // The "+ 1" keeps the weight of a word found in most stories
            // above zero (as Lucene does).
            let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
            idf * tf * (K1 + 1.0) / (tf + K1 * norm)
        })
        .sum()
}

/// A story whose text holds every word.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BodyMatch {
    pub story: StoryIndex,
    /// The words stand together, in order.
    pub phrase: bool,
    pub score: f64,
}

/// Best first: phrase matches, then higher scores, then index order.
pub fn order(a: &BodyMatch, b: &BodyMatch) -> Ordering {
    b.phrase
        .cmp(&a.phrase)
        .then(b.score.total_cmp(&a.score))
        .then(a.story.cmp(&b.story))
}

/// Scores the stories holding every word (with their length and counts),
/// `documents[i]` being how many stories of the corpus hold word `i`, and
/// puts them in order.
pub fn rank(
    corpus: Corpus,
    documents: &[u32],
    matches: impl IntoIterator<Item = (StoryIndex, u32, super::Counts)>,
) -> Vec<BodyMatch> {
    let mut matches: Vec<BodyMatch> = matches
        .into_iter()
        .filter(|(_, _, counts)| counts.has_all())
        .map(|(story, length, counts)| BodyMatch {
            story,
            phrase: counts.phrase > 0,
            score: bm25(corpus, documents, &counts.words, length),
        })
        .collect();
    matches.sort_by(order);
    matches
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rarer_words_and_more_occurrences_score_higher() {
        let corpus = Corpus {
            stories: 100,
            tokens: 10_000,
        };
        let rare = bm25(corpus, &[2], &[1], 100);
        let common = bm25(corpus, &[90], &[1], 100);
        assert!(rare > common && common > 0.0);
        assert!(bm25(corpus, &[2], &[3], 100) > rare);
        // The same count weighs less in a longer story.
        assert!(bm25(corpus, &[2], &[1], 400) < rare);
    }

    #[test]
    fn phrases_come_first_then_score_then_index() {
        let m = |story, phrase, score| BodyMatch {
            story,
            phrase,
            score,
        };
        let mut hits = [
            m(0, false, 9.0),
            m(1, true, 1.0),
            m(2, false, 9.0),
            m(3, false, 10.0),
        ];
        hits.sort_by(order);
        let stories: Vec<usize> = hits.iter().map(|h| h.story).collect();
        assert_eq!(stories, [1, 3, 0, 2]);
    }
}
