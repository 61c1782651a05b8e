//! Related headlines of a grown library, where they change: a retitled
//! story's block without its new title, and those found again for every
//! story that seeks them, as what they find depends on every story.

use rustc_hash::FxHashMap;

use super::Growing;
use super::retitle::Titles;
use crate::model::growth::{seeks, title_at, titles_of};
use crate::model::prepare::Body;
use crate::model::titles::{WordId, WordSet};
use crate::model::{HeadlineIndex, TitleSource, packed_lists, similar};

/// Related headlines of the grown library, where they change.
pub(super) struct RelatedChanges {
    /// By old story whose list changes: the list.
    pub(super) old_lists: FxHashMap<usize, crate::model::Related>,
    pub(super) old_seeking: Vec<bool>,
    /// By retitled old story: where its new title is in its block.
    pub(super) old_title_at: FxHashMap<usize, u32>,
    pub(super) added_seeking: Vec<bool>,
    /// By added story that seeks related headlines: those found.
    pub(super) added_found: FxHashMap<usize, Vec<usize>>,
}

impl Growing<'_> {
    /// Related headlines: a retitled story's block without its new title;
    /// found again for every story that seeks them, as what they find
    /// depends on every story.
    pub(super) fn related(&self, titles: &Titles) -> Option<RelatedChanges> {
        let (pool, added, links) = (self.pool, self.added, self.links);
        let mut blocks: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
        let old_seeking: Vec<bool> = (0..self.stories.len())
            .map(|i| {
                if !titles.retitled[i] {
                    return self.kept[i].seeking;
                }
                let block = self.block(i);
                let seeking = seeks(&block, titles.old_own[i]);
                blocks.insert(i, block);
                seeking
            })
            .collect();
        let added_seeking: Vec<bool> = links
            .iter()
            .zip(&titles.added_own)
            .map(|(links, &own)| seeks(&links.related, links.stated.or(own)))
            .collect();
        let seeking_old: Vec<usize> = (0..old_seeking.len()).filter(|&i| old_seeking[i]).collect();
        let seeking_added: Vec<usize> = (0..added.len()).filter(|&i| added_seeking[i]).collect();
        let mut found = self
            .found_for_seekers(titles, &seeking_old, &seeking_added)?
            .into_iter();
        let mut lists: FxHashMap<usize, Vec<usize>> = FxHashMap::default();
        for &i in &seeking_old {
            lists.insert(i, found.next()?);
        }
        let added_found: FxHashMap<usize, Vec<usize>> = seeking_added
            .iter()
            .map(|&i| Some((i, found.next()?)))
            .collect::<Option<_>>()?;
        let old_title_at: FxHashMap<usize, u32> = blocks
            .iter()
            .map(|(&i, block)| (i, title_at(block, titles.old_own[i])))
            .collect();
        for (i, block) in blocks {
            let title = titles.old_own[i];
            lists
                .entry(i)
                .or_insert_with(|| block.into_iter().filter(|&h| Some(h) != title).collect());
        }
        if pool.moved {
            for i in 0..self.stories.len() {
                lists.entry(i).or_insert_with(|| {
                    self.stories[i]
                        .related()
                        .map(|h| pool.renumber[h])
                        .collect()
                });
            }
        }
        let old_lists = packed_in_index_order(lists);
        Some(RelatedChanges {
            old_lists,
            old_seeking,
            old_title_at,
            added_seeking,
            added_found,
        })
    }

    /// Related headlines found for the seeking old and added stories, in
    /// that order.
    fn found_for_seekers(
        &self,
        titles: &Titles,
        seeking_old: &[usize],
        seeking_added: &[usize],
    ) -> Option<Vec<Vec<usize>>> {
        if seeking_old.is_empty() && seeking_added.is_empty() {
            return Some(Vec::new());
        }
        let (pool, added, links) = (self.pool, self.added, self.links);
        let title_of_old = |i: usize| match self.stories[i].title_source {
            TitleSource::Explicit => pool.find(&self.stories[i].title),
            _ => titles.old_own[i],
        };
        let seeking_titles: Vec<Option<HeadlineIndex>> = seeking_old
            .iter()
            .map(|&i| title_of_old(i))
            .chain(
                seeking_added
                    .iter()
                    .map(|&i| links[i].stated.or(titles.added_own[i])),
            )
            .collect();
        let own: Vec<Option<HeadlineIndex>> = titles
            .old_own
            .iter()
            .chain(&titles.added_own)
            .copied()
            .collect();
        let texts: Vec<&str> = pool.headlines.iter().map(|h| &*h.text).collect();
        let read = self.read(seeking_old)?;
        Some(similar::related(
            &texts,
            &pool.keys,
            &titles_of(&own, texts.len()),
            &seeking_titles,
            |vocabulary| {
                let stored_ids = vocabulary.ids_of(self.dictionary);
                let mut seen = WordSet::default();
                let mut words = |title: Option<&str>, stored: &[u32]| {
                    vocabulary.stored_words(title, stored, &stored_ids, &mut seen)
                };
                let olds: Vec<Vec<WordId>> = seeking_old
                    .iter()
                    .zip(&read)
                    .map(|(&i, stored)| words(self.stories[i].stated_title(), &stored.words))
                    .collect();
                let news = seeking_added.iter().map(|&i| match &added[i].body {
                    Body::Stored(stored) => words(added[i].title.as_deref(), &stored.words),
                    Body::Text(..) => Vec::new(),
                });
                olds.into_iter().chain(news).collect()
            },
        ))
    }
}

/// The changed related lists, packed in index order as the stories are.
fn packed_in_index_order(
    lists: FxHashMap<usize, Vec<usize>>,
) -> FxHashMap<usize, crate::model::Related> {
    let mut lists: Vec<(usize, Vec<usize>)> = lists.into_iter().collect();
    lists.sort_unstable_by_key(|&(i, _)| i);
    let (changed, lists): (Vec<usize>, Vec<Vec<u32>>) = lists
        .into_iter()
        .map(|(i, list)| (i, list.into_iter().map(|h| h as u32).collect()))
        .unzip();
    let slices: Vec<&[u32]> = lists.iter().map(Vec::as_slice).collect();
    changed.into_iter().zip(packed_lists(&slices)).collect()
}
