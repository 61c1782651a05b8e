//! A library grown by the stories of files added since it was built,
//! without building it again: the same library a build over every file
//! gives (the property tests in `index/grow.rs` and `tests/index.rs`
//! compare them).
//!
//! Adding stories can retitle old ones: a new story may win an old one's
//! headline, and each new story moves every word's weight. What does not
//! move is kept beside the library ([`Growth`]): where each headline was
//! first named (the pool's order and spellings), where each story's title
//! stands in its related block, and which headlines of its block each
//! untitled story's words cover whole. Those pairings come first in title
//! inference whatever the weights are (see
//! [`titles::assign_in_two_steps`]), so only the stories they leave
//! without a title, a tenth, are matched against the whole pool again,
//! with the weights of the grown library (word counts are kept too); their
//! words, and the first sentences of stories that lose a title, are read
//! from the index.
//!
//! Anything else (a problem in a new file, a story id seen before, a new
//! story stating a title an old one states) is left to a full build.

use std::cmp::Ordering;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use super::assemble::{Links, make_stories};
use super::prepare::{Body, Piece, Place, Prepared, Spellings, line_place};
use super::similar;
use super::titles::{
    MIN_COVERAGE, Tally, TitleIndex, Vocabulary, WordId, WordSet, assign_in_two_steps,
};
use super::{
    Headline, HeadlineIndex, Library, Story, Text, Texts, TitleSource, index_order, packed,
    packed_lists,
};
use crate::text::headline_key;

/// Marks the place of a headline first named by a headlines-only file:
/// those come after every story's in the pool.
pub const LOOSE: Place = 1 << 63;
/// A story whose title is not in its related block.
const NOT_IN_BLOCK: u32 = u32::MAX;

/// What a library keeps so that it can grow (see the module's comment).
#[derive(Debug, Default, Serialize, Deserialize)]
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

impl Library {
    /// This library (with its `growth`) grown by the `pieces` of files
    /// added since it was built, in load order (`spellings` from reading
    /// them). `moved` gives, by place in the walk the library was built
    /// from, each old file's place now. `dictionary` is the hash of each
    /// word number; `stored` reads what the index keeps of old stories, by
    /// text row. None when only a full build can tell (see the module's
    /// comment).
    pub fn grow(
        self,
        growth: Growth,
        moved: &[usize],
        pieces: Vec<Piece>,
        spellings: Spellings,
        dictionary: &[u64],
        stored: impl Fn(&[i64]) -> Option<Vec<StoredStory>>,
    ) -> Option<(Library, Growth)> {
        if growth.first.len() != self.headlines.len()
            || growth.spelled.len() != self.headlines.len()
            || growth.stories.len() != self.stories.len()
        {
            return None;
        }
        let added = added_articles(pieces, &self.stories)?;
        let Growth {
            first,
            spelled,
            stories: kept,
            in_untitled,
        } = growth;
        let places = first.into_iter().zip(spelled);
        let pool = GrownPool::new(self.headlines, places, moved, &added, spellings)?;
        let links = pool.links(&added);
        let growing = Growing {
            stories: &self.stories,
            kept: &kept,
            texts: &self.texts,
            pool: &pool,
            added: &added,
            links: &links,
            dictionary,
            stored: &stored,
        };
        let (claimed, added_own) = growing.claims()?;
        let titles = growing.titles(&claimed, added_own, in_untitled.into_iter().collect())?;
        let related = growing.related(&titles)?;
        let mut sentences = growing.first_sentences(&titles)?;
        let Library {
            stories,
            texts,
            diagnostics,
            ..
        } = self;
        let GrownPool {
            mut headlines,
            first,
            spelled,
            respelled,
            ..
        } = pool;
        let Titles {
            old_own,
            retitled,
            mut old_whole,
            added_own,
            added_whole,
            in_untitled,
        } = titles;
        let Related {
            mut old_lists,
            old_seeking,
            old_title_at,
            added_seeking,
            added_found,
        } = related;

        // The old stories, changed where they must be.
        let mut old_stories: Vec<Made> = Vec::with_capacity(stories.len());
        for (i, (mut story, kept)) in stories.into_iter().zip(kept).enumerate() {
            let text = texts.get(i)?.into_owned();
            if let Some(related) = old_lists.remove(&i) {
                story.related = related;
            }
            let own = old_own[i];
            if story.title_source != TitleSource::Explicit
                && (retitled[i] || own.is_some_and(|h| respelled[h]))
            {
                story.title_source = match own {
                    Some(h) => {
                        story.title = headlines[h].text.clone();
                        TitleSource::Headline
                    }
                    None => {
                        if let Some(sentence) = sentences.remove(&i) {
                            story.title = sentence.as_str().into();
                        }
                        TitleSource::FirstSentence
                    }
                };
            }
            story.headline = own.map(|h| h as u32);
            let grown = StoryGrowth {
                title_at: old_title_at.get(&i).copied().unwrap_or(kept.title_at),
                seeking: old_seeking[i],
                whole: std::mem::take(&mut old_whole[i]),
            };
            old_stories.push(((story, text), grown));
        }
        drop(texts);

        // The new stories, made as a build makes them.
        let added_grown: Vec<StoryGrowth> = links
            .iter()
            .zip(&added_own)
            .zip(added_seeking)
            .zip(added_whole)
            .map(|(((links, &own), seeking), whole)| StoryGrowth {
                title_at: title_at(&links.related, links.stated.or(own)),
                seeking,
                whole,
            })
            .collect();
        let mut links = links;
        for (i, found) in added_found {
            links[i].related = found;
        }
        let mut added_stories: Vec<Made> = make_stories(added, links, &added_own, &headlines)
            .into_iter()
            .zip(added_grown)
            .collect();
        added_stories.sort_by(|((a, _), _), ((b, _), _)| index_order(a, b));

        // Both in index order, as one.
        let mut stories = Vec::with_capacity(old_stories.len() + added_stories.len());
        let mut grown = Vec::with_capacity(stories.capacity());
        let mut texts = Texts::default();
        let mut added_stories = added_stories.into_iter().peekable();
        let mut put = |((story, text), growth): Made| {
            stories.push(story);
            texts.extend([text]);
            grown.push(growth);
        };
        for old in old_stories {
            while let Some(new) =
                added_stories.next_if(|((new, _), _)| index_order(new, &old.0.0) == Ordering::Less)
            {
                put(new);
            }
            put(old);
        }
        added_stories.for_each(&mut put);
        for (index, story) in stories.iter().enumerate() {
            if let Some(h) = story.headline() {
                headlines[h].story = Some(index as u32);
            }
        }
        let mut in_untitled: Vec<(u64, u32)> = in_untitled.into_iter().collect();
        in_untitled.sort_unstable();
        let growth = Growth {
            first,
            spelled,
            stories: grown,
            in_untitled,
        };
        let library = Library::from_parts(stories, headlines, diagnostics, texts);
        Some((library, growth))
    }
}

/// A story made, with its text and what it keeps for growing.
type Made = ((Story, Text), StoryGrowth);

/// The added files' stories; None if they hold anything else (headlines
/// alone, problems) or a story seen before (which is kept depends on the
/// order files load in).
fn added_articles(pieces: Vec<Piece>, old: &[Story]) -> Option<Vec<Prepared>> {
    let mut added = Vec::new();
    for piece in pieces {
        match piece {
            Piece::Article(article) if matches!(article.body, Body::Stored(_)) => {
                added.push(article)
            }
            _ => return None,
        }
    }
    let mut ids: FxHashSet<&str> = old.iter().map(|s| s.id.as_str()).collect();
    let all_new = added.iter().all(|a| ids.insert(&a.id));
    drop(ids);
    all_new.then_some(added)
}

/// The headlines of the grown library: in the order first named, with the
/// spelling seen first, as a build over every file would have them.
struct GrownPool {
    headlines: Vec<Headline>,
    keys: Vec<u128>,
    /// Key -> headline, in the grown pool.
    by_key: FxHashMap<u128, usize>,
    first: Vec<Place>,
    spelled: Vec<Place>,
    /// Old headline -> its number now.
    renumber: Vec<usize>,
    /// Old headlines in places of their own.
    moved: bool,
    /// Headlines whose spelling is now a new file's.
    respelled: Vec<bool>,
}

/// A headline of the grown pool, being placed.
struct Entry {
    key: u128,
    first: Place,
    spelled: Place,
    /// Its spelling, where a new file gives the one shown now.
    spelling: Option<String>,
}

impl GrownPool {
    /// `old` and where each was first named and spelled (`places`, as the
    /// old walk numbers files: `moved` renumbers them), grown by what the
    /// `added` articles name.
    fn new(
        old: Vec<Headline>,
        places: impl Iterator<Item = (Place, Place)>,
        moved: &[usize],
        added: &[Prepared],
        mut spellings: Spellings,
    ) -> Option<GrownPool> {
        let remap = |place: Place| -> Option<Place> {
            let file = ((place & !LOOSE) >> 32) as usize;
            let now = *moved.get(file)? as u64;
            Some(place & LOOSE | now << 32 | place & 0xffff_ffff)
        };
        let old_keys: Vec<u128> = old
            .par_iter()
            .map_init(String::new, |buf, h| headline_key(&h.text, buf))
            .collect();
        let mut entries: Vec<Entry> = old_keys
            .iter()
            .zip(places)
            .map(|(&key, (first, spelled))| {
                Some(Entry {
                    key,
                    first: remap(first)?,
                    spelled: remap(spelled)?,
                    spelling: None,
                })
            })
            .collect::<Option<_>>()?;
        let mut by_key: FxHashMap<u128, usize> =
            old_keys.iter().enumerate().map(|(h, &k)| (k, h)).collect();
        // Where the added articles name headlines: earlier than the old
        // files, a headline moves up the pool.
        let mut named = Vec::new();
        for article in added {
            let stated = article.title_key.iter().map(|&key| (key, 0));
            let related = article.related_keys.iter().enumerate();
            for (key, line) in stated.chain(related.map(|(l, &key)| (key, l + 1))) {
                let at = line_place(article.place, line);
                let h = *by_key.entry(key).or_insert_with(|| {
                    entries.push(Entry {
                        key,
                        first: at,
                        spelled: Place::MAX,
                        spelling: None,
                    });
                    entries.len() - 1
                });
                entries[h].first = entries[h].first.min(at);
                named.push(key);
            }
        }
        named.sort_unstable();
        named.dedup();
        for key in named {
            let (at, spelling) = spellings.take(key);
            let entry = &mut entries[by_key[&key]];
            if at < entry.spelled {
                (entry.spelled, entry.spelling) = (at, Some(spelling));
            }
        }
        drop(spellings);

        let mut order: Vec<usize> = (0..entries.len()).collect();
        order.par_sort_unstable_by_key(|&h| entries[h].first);
        // Places are distinct but for lines beyond the 65,535th of a block.
        if order
            .windows(2)
            .any(|w| entries[w[0]].first == entries[w[1]].first)
        {
            return None;
        }
        let mut renumber = vec![0; entries.len()];
        for (now, &h) in order.iter().enumerate() {
            renumber[h] = now;
        }
        by_key.values_mut().for_each(|h| *h = renumber[*h]);
        let moved = (0..old.len()).any(|h| renumber[h] != h);
        renumber.truncate(old.len());

        let spellings: Vec<&str> = order
            .iter()
            .filter_map(|&h| entries[h].spelling.as_deref())
            .collect();
        let mut spellings = packed(&spellings).into_iter();
        let mut old: Vec<Option<Headline>> = old.into_iter().map(Some).collect();
        let mut respelled = vec![false; entries.len()];
        let headlines = order
            .iter()
            .zip(&mut respelled)
            .map(|(&h, respelled)| {
                let story = None;
                let kept = old.get_mut(h).and_then(Option::take);
                match (&entries[h].spelling, kept) {
                    (None, Some(kept)) => Some(Headline { story, ..kept }),
                    (Some(_), _) => {
                        *respelled = true;
                        let text = spellings.next()?;
                        Some(Headline { text, story })
                    }
                    (None, None) => None,
                }
            })
            .collect::<Option<_>>()?;
        Some(GrownPool {
            headlines,
            keys: order.iter().map(|&h| entries[h].key).collect(),
            by_key,
            first: order.iter().map(|&h| entries[h].first).collect(),
            spelled: order.iter().map(|&h| entries[h].spelled).collect(),
            renumber,
            moved,
            respelled,
        })
    }

    /// Each added article's stated title and related block.
    fn links(&self, added: &[Prepared]) -> Vec<Links> {
        added
            .iter()
            .map(|article| {
                let mut related: Vec<usize> = Vec::with_capacity(article.related_keys.len());
                for key in &article.related_keys {
                    let h = self.by_key[key];
                    if !related.contains(&h) {
                        related.push(h);
                    }
                }
                let stated = article.title_key.map(|key| self.by_key[&key]);
                Links { stated, related }
            })
            .collect()
    }

    /// The headline with this text.
    fn find(&self, text: &str) -> Option<usize> {
        self.by_key
            .get(&headline_key(text, &mut String::new()))
            .copied()
    }
}

/// What the steps of growing share: the old library and its growth, the
/// grown pool, and the added articles.
struct Growing<'a> {
    stories: &'a [Story],
    kept: &'a [StoryGrowth],
    texts: &'a Texts,
    pool: &'a GrownPool,
    added: &'a [Prepared],
    links: &'a [Links],
    dictionary: &'a [u64],
    stored: &'a dyn Fn(&[i64]) -> Option<Vec<StoredStory>>,
}

/// Titles of the grown library.
struct Titles {
    /// By old story: its own headline now.
    old_own: Vec<Option<HeadlineIndex>>,
    /// By old story: whether that changed.
    retitled: Vec<bool>,
    /// By old story: the headlines of its block its words cover whole.
    old_whole: Vec<Vec<u32>>,
    added_own: Vec<Option<HeadlineIndex>>,
    added_whole: Vec<Vec<u32>>,
    /// See [`Growth::in_untitled`].
    in_untitled: FxHashMap<u64, u32>,
}

/// Related headlines of the grown library, where they change.
struct Related {
    /// By old story whose list changes: the list.
    old_lists: FxHashMap<usize, super::Related>,
    old_seeking: Vec<bool>,
    /// By retitled old story: where its new title is in its block.
    old_title_at: FxHashMap<usize, u32>,
    added_seeking: Vec<bool>,
    /// By added story that seeks related headlines: those found.
    added_found: FxHashMap<usize, Vec<usize>>,
}

impl Growing<'_> {
    /// What the index keeps of these old stories.
    fn read(&self, stories: &[usize]) -> Option<Vec<StoredStory>> {
        let rows: Vec<i64> = stories
            .iter()
            .map(|&i| match self.texts.get(i).as_deref() {
                Some(Text::File(file)) => file.row,
                _ => 0,
            })
            .collect();
        (self.stored)(&rows).filter(|found| found.len() == rows.len())
    }

    /// An old story's related block, in the grown pool's numbers.
    fn block(&self, i: usize) -> Vec<usize> {
        let (story, kept) = (&self.stories[i], &self.kept[i]);
        let mut block: Vec<usize> = if kept.seeking {
            Vec::new()
        } else {
            story.related().collect()
        };
        if let Some(title) = story.headline().filter(|_| kept.title_at != NOT_IN_BLOCK) {
            block.insert((kept.title_at as usize).min(block.len()), title);
        }
        block.into_iter().map(|h| self.pool.renumber[h]).collect()
    }

    /// Which headlines stated titles claim, and the added articles' own
    /// headlines by stating them; None if an added article states one an
    /// old story states (which keeps it depends on the order files load
    /// in).
    fn claims(&self) -> Option<(Vec<bool>, Vec<Option<HeadlineIndex>>)> {
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
    fn titles(
        &self,
        claimed: &[bool],
        mut added_own: Vec<Option<HeadlineIndex>>,
        mut in_untitled: FxHashMap<u64, u32>,
    ) -> Option<Titles> {
        let (pool, added, dictionary) = (self.pool, self.added, self.dictionary);
        let old_untitled: Vec<usize> = (0..self.stories.len())
            .filter(|&i| self.stories[i].title_source != TitleSource::Explicit)
            .collect();
        let added_untitled: Vec<usize> = (0..added.len())
            .filter(|&i| added[i].title.is_none())
            .collect();
        for &i in &added_untitled {
            if let Body::Stored(stored) = &added[i].body {
                for &word in &stored.words {
                    *in_untitled
                        .entry(*dictionary.get(word as usize)?)
                        .or_default() += 1;
                }
            }
        }
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

        let mut old_own: Vec<Option<HeadlineIndex>> = self
            .stories
            .iter()
            .map(|s| s.headline().map(|h| pool.renumber[h]))
            .collect();
        let mut retitled = vec![false; old_own.len()];
        let mut old_whole = vec![Vec::new(); old_own.len()];
        let mut added_whole = vec![Vec::new(); added.len()];
        let mut found = found.into_iter().zip(whole);
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

    /// Related headlines: a retitled story's block without its new title;
    /// found again for every story that seeks them, as what they find
    /// depends on every story.
    fn related(&self, titles: &Titles) -> Option<Related> {
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
        let mut found = if seeking_old.is_empty() && seeking_added.is_empty() {
            Vec::new()
        } else {
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
            let read = self.read(&seeking_old)?;
            similar::related(
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
            )
        }
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
        // Packed in index order, as the stories are.
        let mut lists: Vec<(usize, Vec<usize>)> = lists.into_iter().collect();
        lists.sort_unstable_by_key(|&(i, _)| i);
        let (changed, lists): (Vec<usize>, Vec<Vec<u32>>) = lists
            .into_iter()
            .map(|(i, list)| (i, list.into_iter().map(|h| h as u32).collect()))
            .unzip();
        let slices: Vec<&[u32]> = lists.iter().map(Vec::as_slice).collect();
        let old_lists = changed.into_iter().zip(packed_lists(&slices)).collect();
        Some(Related {
            old_lists,
            old_seeking,
            old_title_at,
            added_seeking,
            added_found,
        })
    }

    /// The first sentences of old stories left without a title, from the
    /// index (a story titled by a headline does not keep its own).
    fn first_sentences(&self, titles: &Titles) -> Option<FxHashMap<usize, String>> {
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
