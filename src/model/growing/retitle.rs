//! Titles of a grown library: stated titles' claims, then title inference
//! where it can change (see the growing module's comment).

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::Growing;
use crate::model::prepare::Body;
use crate::model::titles::{
    MIN_COVERAGE, Tally, TitleIndex, Vocabulary, WordId, WordSet, assign_in_two_steps,
};
use crate::model::{HeadlineIndex, TitleSource};

/// Titles of the grown library.
pub(super) struct Titles {
    /// By old story: its own headline now.
    pub(super) old_own: Vec<Option<HeadlineIndex>>,
    /// By old story: whether that changed.
    pub(super) retitled: Vec<bool>,
    /// By old story: the headlines of its block its words cover whole.
    pub(super) old_whole: Vec<Vec<u32>>,
    pub(super) added_own: Vec<Option<HeadlineIndex>>,
    pub(super) added_whole: Vec<Vec<u32>>,
    /// See [`Growth::in_untitled`].
    pub(super) in_untitled: FxHashMap<u64, u32>,
}

impl Growing<'_> {
    /// Which headlines stated titles claim, and the added articles' own
    /// headlines by stating them; None if an added article states one an
    /// old story states (which keeps it depends on the order files load
    /// in).
    pub(super) fn claims(&self) -> Option<(Vec<bool>, Vec<Option<HeadlineIndex>>)> {
        let mut claimed = vec![false; self.pool.headlines.len()];
        for story in self.stories {
            if story.title_source == TitleSource::Explicit
                && let Some(h) = story.headline()
            {
                claimed[self.pool.renumber[h]] = true;
            }
        }
        let mut claimed_now = vec![false; claimed.len()];
        let mut own = vec![None; self.added.len()];
        for (own, links) in own.iter_mut().zip(self.links) {
            if let Some(h) = links.stated {
                if claimed[h] {
                    return None;
                }
                if !std::mem::replace(&mut claimed_now[h], true) {
                    *own = Some(h);
                }
            }
        }
        claimed
            .iter_mut()
            .zip(claimed_now)
            .for_each(|(c, now)| *c |= now);
        Some((claimed, own))
    }

    /// Title inference over the grown library: the old stories' whole
    /// pairings as kept, the added stories' found, and the stories left
    /// matched against the whole pool with the grown library's weights.
    pub(super) fn titles(
        &self,
        claimed: &[bool],
        mut added_own: Vec<Option<HeadlineIndex>>,
        mut in_untitled: FxHashMap<u64, u32>,
    ) -> Option<Titles> {
        let (pool, added) = (self.pool, self.added);
        let old_untitled: Vec<usize> = (0..self.stories.len())
            .filter(|&i| self.stories[i].title_source != TitleSource::Explicit)
            .collect();
        let added_untitled: Vec<usize> = (0..added.len())
            .filter(|&i| added[i].title.is_none())
            .collect();
        self.count_words(&added_untitled, &mut in_untitled)?;
        let found = self.infer(claimed, &old_untitled, &added_untitled, &in_untitled)?;
        let mut old_own: Vec<Option<HeadlineIndex>> = self
            .stories
            .iter()
            .map(|s| s.headline().map(|h| pool.renumber[h]))
            .collect();
        let mut retitled = vec![false; old_own.len()];
        let mut old_whole = vec![Vec::new(); old_own.len()];
        let mut added_whole = vec![Vec::new(); added.len()];
        let mut found = found.into_iter();
        for &i in &old_untitled {
            let (title, whole) = found.next()?;
            retitled[i] = old_own[i] != title;
            (old_own[i], old_whole[i]) = (title, whole);
        }
        for &i in &added_untitled {
            (added_own[i], added_whole[i]) = found.next()?;
        }
        Some(Titles {
            old_own,
            retitled,
            old_whole,
            added_own,
            added_whole,
            in_untitled,
        })
    }

    /// Counts the words of the added untitled stories into `in_untitled`.
    fn count_words(
        &self,
        added_untitled: &[usize],
        in_untitled: &mut FxHashMap<u64, u32>,
    ) -> Option<()> {
        for &i in added_untitled {
            if let Body::Stored(stored) = &self.added[i].body {
                for &word in &stored.words {
                    *in_untitled
                        .entry(*self.dictionary.get(word as usize)?)
                        .or_default() += 1;
                }
            }
        }
        Some(())
    }

    /// Title inference for the untitled old and added stories, in that
    /// order: each one's title, and the headlines of its block its words
    /// cover whole.
    fn infer(
        &self,
        claimed: &[bool],
        old_untitled: &[usize],
        added_untitled: &[usize],
        in_untitled: &FxHashMap<u64, u32>,
    ) -> Option<Vec<(Option<HeadlineIndex>, Vec<u32>)>> {
        let (pool, added, dictionary) = (self.pool, self.added, self.dictionary);
        let texts: Vec<&str> = pool.headlines.iter().map(|h| &*h.text).collect();
        let available: Vec<bool> = claimed.iter().map(|c| !c).collect();
        let vocabulary = Vocabulary::new(&texts, &available);
        drop(texts);
        let counts = vocabulary.counted(|hash| in_untitled.get(&hash).copied().unwrap_or(0));
        let untitled = old_untitled.len() + added_untitled.len();
        let index: TitleIndex = vocabulary.index_counted(&counts, untitled, MIN_COVERAGE);
        let stored_ids = vocabulary.ids_of(dictionary);
        let mut added_words: Vec<Vec<WordId>> = added_untitled
            .par_iter()
            .map_init(WordSet::default, |seen, &i| match &added[i].body {
                Body::Stored(stored) => {
                    vocabulary.stored_words(None, &stored.words, &stored_ids, seen)
                }
                Body::Text(..) => Vec::new(),
            })
            .collect();
        let mut whole: Vec<Vec<u32>> = old_untitled
            .iter()
            .map(|&i| {
                let whole = self.kept[i].whole.iter();
                let now = whole.map(|&h| pool.renumber[h as usize]);
                now.filter(|&h| !claimed[h]).map(|h| h as u32).collect()
            })
            .collect();
        whole.par_extend(
            added_untitled
                .par_iter()
                .zip(&added_words)
                .map_init(Tally::default, |tally, (&i, words)| {
                    index.covered_whole(words, &self.links[i].related, tally)
                }),
        );
        let ties: Vec<&str> = old_untitled
            .iter()
            .map(|&i| self.stories[i].id.as_str())
            .chain(added_untitled.iter().map(|&i| added[i].id.as_str()))
            .collect();
        let mut unread = false;
        let found = assign_in_two_steps(&index, &pool.keys, &ties, &whole, |left| {
            let (olds, news): (Vec<usize>, Vec<usize>) =
                left.iter().partition(|&&u| u < old_untitled.len());
            let olds: Vec<usize> = olds.into_iter().map(|u| old_untitled[u]).collect();
            let Some(read) = self.read(&olds) else {
                unread = true;
                return vec![(Vec::new(), Vec::new()); left.len()];
            };
            let mut seen = WordSet::default();
            let old_left = olds.iter().zip(read).map(|(&i, stored)| {
                let words = vocabulary.stored_words(None, &stored.words, &stored_ids, &mut seen);
                (words, self.block(i))
            });
            let new_left = news.into_iter().map(|u| {
                let i = u - old_untitled.len();
                let words = std::mem::take(&mut added_words[i]);
                (words, self.links[added_untitled[i]].related.clone())
            });
            old_left.chain(new_left).collect()
        });
        if unread {
            return None;
        }
        Some(found.into_iter().zip(whole).collect())
    }

    /// The first sentences of old stories left without a title, from the
    /// index (a story titled by a headline does not keep its own).
    pub(super) fn first_sentences(&self, titles: &Titles) -> Option<FxHashMap<usize, String>> {
        let losing: Vec<usize> = (0..self.stories.len())
            .filter(|&i| {
                titles.retitled[i]
                    && titles.old_own[i].is_none()
                    && self.stories[i].title_source == TitleSource::Headline
            })
            .collect();
        let read = self.read(&losing)?;
        Some(
            losing
                .into_iter()
                .zip(read.into_iter().map(|s| s.first_sentence))
                .collect(),
        )
    }
}
