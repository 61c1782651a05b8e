//! A library grown by the stories of files added since it was built,
//! without building it again: the same library a build over every file
//! gives (the property tests in `index/grow.rs` and `tests/suite/index.rs`
//! compare them).
//!
//! Adding stories can retitle old ones: a new story may win an old one's
//! headline, and each new story moves every word's weight. What does not
//! move is kept beside the library ([`Growth`]): where each headline was
//! first named (the pool's order and spellings), where each story's title
//! stands in its related block, and which headlines of its block each
//! untitled story's words cover whole. Those pairings come first in title
//! inference whatever the weights are (see
//! [`super::titles::assign_in_two_steps`]), so only the stories they leave
//! without a title, a tenth, are matched against the whole pool again,
//! with the weights of the grown library (word counts are kept too); their
//! words, and the first sentences of stories that lose a title, are read
//! from the index.
//!
//! Anything else (a problem in a new file, a story id seen before, a new
//! story stating a title an old one states) is left to a full build.

mod pool;
mod relink;
mod retitle;

use std::cmp::Ordering;

use rustc_hash::{FxHashMap, FxHashSet};

use super::assemble::{Links, make_stories};
use super::growth::{Growth, NOT_IN_BLOCK, StoredStory, StoryGrowth, title_at};
use super::prepare::{Body, Piece, Prepared, Spellings};
use super::{Library, Story, Text, Texts, TitleSource, events, index_order};
use pool::GrownPool;
use relink::RelatedChanges;
use retitle::Titles;

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
            mut clusterer,
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
        let mut titles = growing.titles(&claimed, added_own, in_untitled.into_iter().collect())?;
        let mut related = growing.related(&titles)?;
        let sentences = growing.first_sentences(&titles)?;
        let Library {
            stories,
            texts,
            diagnostics,
            ..
        } = self;
        let old = (stories, kept, texts);
        let old_stories = remade(old, &mut titles, &mut related, sentences, &pool)?;
        let GrownPool {
            mut headlines,
            first,
            spelled,
            ..
        } = pool;
        let mut added_stories = made(added, links, &mut titles, related, &headlines);
        let mut old_stories = old_stories;
        let mut old: Vec<&mut Story> = old_stories.iter_mut().map(|m| &mut m.story).collect();
        let mut new: Vec<(&mut Story, &[u32])> = added_stories
            .iter_mut()
            .map(|Made { story, opening, .. }| (story, &**opening))
            .collect();
        events::cluster_added(&mut clusterer, &mut old, &mut new);
        let (stories, texts, grown) = in_index_order(old_stories, added_stories);
        for (index, story) in stories.iter().enumerate() {
            if let Some(h) = story.headline() {
                headlines[h].story = Some(index as u32);
            }
        }
        let mut in_untitled: Vec<(u64, u32)> = titles.in_untitled.into_iter().collect();
        in_untitled.sort_unstable();
        let growth = Growth {
            first,
            spelled,
            stories: grown,
            in_untitled,
            clusterer: clusterer.stored(),
        };
        let library = Library::from_parts(stories, headlines, diagnostics, texts);
        Some((library, growth))
    }
}

/// A story made, with its text and what it keeps for growing.
struct Made {
    story: Story,
    text: Text,
    growth: StoryGrowth,
    /// A new story's opening terms, to place it into a cluster.
    opening: Box<[u32]>,
}

/// The old stories, changed where they must be: a new related list, a
/// new title where it was inferred and changed or was respelled.
fn remade(
    (stories, kept, texts): (Vec<Story>, Vec<StoryGrowth>, Texts),
    titles: &mut Titles,
    related: &mut RelatedChanges,
    mut sentences: FxHashMap<usize, String>,
    pool: &GrownPool,
) -> Option<Vec<Made>> {
    let mut old_stories = Vec::with_capacity(stories.len());
    for (i, (mut story, kept)) in stories.into_iter().zip(kept).enumerate() {
        let text = texts.get(i)?.into_owned();
        if let Some(list) = related.old_lists.remove(&i) {
            story.related = list;
        }
        let own = titles.old_own[i];
        if story.title_source != TitleSource::Explicit
            && (titles.retitled[i] || own.is_some_and(|h| pool.respelled[h]))
        {
            story.title_source = match own {
                Some(h) => {
                    story.title = pool.headlines[h].text.clone();
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
        let growth = StoryGrowth {
            title_at: related
                .old_title_at
                .get(&i)
                .copied()
                .unwrap_or(kept.title_at),
            seeking: related.old_seeking[i],
            whole: std::mem::take(&mut titles.old_whole[i]),
        };
        old_stories.push(Made {
            story,
            text,
            growth,
            opening: Box::default(),
        });
    }
    Some(old_stories)
}

/// The new stories, made as a build makes them, in index order.
fn made(
    mut added: Vec<Prepared>,
    mut links: Vec<Links>,
    titles: &mut Titles,
    related: RelatedChanges,
    headlines: &[super::Headline],
) -> Vec<Made> {
    let added_whole = std::mem::take(&mut titles.added_whole);
    let grown: Vec<StoryGrowth> = links
        .iter()
        .zip(&titles.added_own)
        .zip(related.added_seeking)
        .zip(added_whole)
        .map(|(((links, &own), seeking), whole)| StoryGrowth {
            title_at: title_at(&links.related, links.stated.or(own)),
            seeking,
            whole,
        })
        .collect();
    for (i, found) in related.added_found {
        links[i].related = found;
    }
    let openings: Vec<Box<[u32]>> = added
        .iter_mut()
        .map(|a| std::mem::take(&mut a.opening))
        .collect();
    let mut made: Vec<Made> = make_stories(added, links, &titles.added_own, headlines)
        .into_iter()
        .zip(grown)
        .zip(openings)
        .map(|(((story, text), growth), opening)| Made {
            story,
            text,
            growth,
            opening,
        })
        .collect();
    made.sort_by(|a, b| index_order(&a.story, &b.story));
    made
}

/// Old and new stories, each in index order, as one: the stories, their
/// texts and what each keeps for growing.
fn in_index_order(old: Vec<Made>, added: Vec<Made>) -> (Vec<Story>, Texts, Vec<StoryGrowth>) {
    let mut stories = Vec::with_capacity(old.len() + added.len());
    let mut grown = Vec::with_capacity(stories.capacity());
    let mut texts = Texts::default();
    let mut added = added.into_iter().peekable();
    let mut put = |mut made: Made| {
        made.story.related_found = made.growth.seeking;
        stories.push(made.story);
        texts.extend([made.text]);
        grown.push(made.growth);
    };
    for old in old {
        while let Some(new) =
            added.next_if(|new| index_order(&new.story, &old.story) == Ordering::Less)
        {
            put(new);
        }
        put(old);
    }
    added.for_each(&mut put);
    (stories, texts, grown)
}

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
}
