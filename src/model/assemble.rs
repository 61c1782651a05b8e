//! Building the model from every file's prepared articles, in load order:
//! one story per id, the pool of distinct headlines, titles, links, and the
//! index order. The same steps run whether the articles were just parsed
//! or read back from the index, so both give the same library.

use arcstr::Substr;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::events;
use super::growth::{self, Growth, StoryGrowth};
use super::prepare::{Body, Piece, Place, Prepared, Spellings, line_place};
use super::similar;
use super::titles::{self, Untitled, Vocabulary, WordId, WordSet};
use super::{
    Headline, HeadlineIndex, Library, Related, Story, Text, Texts, TitleSource,
    first_sentence_title, packed, packed_lists,
};
use crate::load::Diagnostic;

impl Library {
    /// Builds the model from the pieces of every file, in load order.
    /// `dictionary` is the hash of each word id that stored bodies use.
    pub fn assemble(pieces: Vec<Piece>, spellings: Spellings, dictionary: &[u64]) -> Library {
        Library::assemble_growing(pieces, spellings, dictionary).0
    }

    /// [`Library::assemble`], and what the library needs to grow by
    /// stories added later ([`Library::grow`]) if every story's text is in
    /// the index.
    pub fn assemble_growing(
        pieces: Vec<Piece>,
        mut spellings: Spellings,
        dictionary: &[u64],
    ) -> (Library, Option<Growth>) {
        let (articles, loose, mut diagnostics) = sort_pieces(pieces);
        let mut articles = drop_duplicate_stories(articles, &mut diagnostics);
        let (mut pool, links) = pool_headlines(&articles, loose, &mut spellings);
        super::pack_texts(&mut pool.headlines);
        drop(spellings);
        let (own, whole) = own_headlines(&articles, &links, &pool, dictionary);
        let title_at: Vec<u32> = links
            .iter()
            .zip(&own)
            .map(|(links, own)| growth::title_at(&links.related, links.stated.or(*own)))
            .collect();
        let (links, seeking) = related_where_missing(&articles, links, &own, &pool, dictionary);
        let stored = articles.iter().all(|a| matches!(a.body, Body::Stored(_)));
        let in_untitled = stored.then(|| growth::in_untitled(&articles, dictionary));
        let grown: Vec<StoryGrowth> = title_at
            .into_iter()
            .zip(seeking)
            .zip(whole)
            .map(|((title_at, seeking), whole)| StoryGrowth {
                title_at,
                seeking,
                whole,
            })
            .collect();
        let openings: Vec<Box<[u32]>> = articles
            .iter_mut()
            .map(|a| std::mem::take(&mut a.opening))
            .collect();
        let mut stories: Vec<_> = make_stories(articles, links, &own, &pool.headlines)
            .into_iter()
            .zip(grown)
            .zip(openings)
            .collect();
        stories.sort_by(|(((a, _), _), _), (((b, _), _), _)| super::index_order(a, b));

        let mut headlines = pool.headlines;
        let mut grown = Vec::with_capacity(stories.len());
        let mut texts = Texts::default();
        let mut openings = Vec::with_capacity(stories.len());
        let mut stories: Vec<Story> = stories
            .into_iter()
            .map(|(((mut story, text), growth), opening)| {
                story.related_found = growth.seeking;
                grown.push(growth);
                texts.extend([text]);
                openings.push(opening);
                story
            })
            .collect();
        let clusterer = events::cluster_all(&mut stories, &openings);
        drop(openings);
        for (index, story) in stories.iter().enumerate() {
            if let Some(h) = story.headline() {
                headlines[h].story = Some(index as u32);
            }
        }
        let growth = in_untitled.map(|in_untitled| Growth {
            first: pool.first,
            spelled: pool.spelled,
            stories: grown,
            in_untitled,
            clusterer: clusterer.stored(),
        });
        let library = Library::from_parts(stories, headlines, diagnostics, texts);
        (library, growth)
    }
}

fn sort_pieces(pieces: Vec<Piece>) -> (Vec<Prepared>, Vec<(u128, Place)>, Vec<Diagnostic>) {
    let (mut articles, mut loose, mut diagnostics) = (Vec::new(), Vec::new(), Vec::new());
    for piece in pieces {
        match piece {
            Piece::Article(article) => articles.push(article),
            Piece::Loose(key, place) => loose.push((key, place)),
            Piece::Problem(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    (articles, loose, diagnostics)
}

/// Keeps one article per id, warning about the others with both paths.
fn drop_duplicate_stories(
    articles: Vec<Prepared>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Prepared> {
    let mut first_path: FxHashMap<&str, &str> = FxHashMap::default();
    let mut keep = vec![true; articles.len()];
    for (i, article) in articles.iter().enumerate() {
        if let Some(first) = first_path.insert(&article.id, &article.path) {
            diagnostics.push(Diagnostic::warning(
                &article.path,
                format!(
                    "same story (id {}) as {first}; only that one is kept",
                    article.id
                ),
            ));
            first_path.insert(&article.id, first);
            keep[i] = false;
        }
    }
    articles
        .into_iter()
        .zip(keep)
        .filter_map(|(article, keep)| keep.then_some(article))
        .collect()
}

/// Distinct headlines, keyed by their folded form, in the order first
/// named; the first spelling seen is the one shown.
#[derive(Default)]
struct Pool {
    index: FxHashMap<u128, HeadlineIndex>,
    /// The key of each headline, by index.
    keys: Vec<u128>,
    headlines: Vec<Headline>,
    /// Where each was first named (see [`Growth`]).
    first: Vec<Place>,
    /// Where the spelling shown was seen.
    spelled: Vec<Place>,
}

impl Pool {
    /// The headline with this key, named at `place`, added with its first
    /// spelling if new.
    fn intern(&mut self, key: u128, place: Place, spellings: &mut Spellings) -> HeadlineIndex {
        let next = self.headlines.len();
        let index = *self.index.entry(key).or_insert(next);
        if index == next {
            let (spelled, text) = spellings.take(key);
            self.headlines.push(Headline {
                text: text.into(),
                story: None,
            });
            self.keys.push(key);
            self.first.push(place);
            self.spelled.push(spelled);
        }
        index
    }
}

/// An article's headlines in the pool.
pub(super) struct Links {
    /// The headline its stated title is, if it states one.
    pub stated: Option<HeadlineIndex>,
    /// Its related block, without repeats.
    pub related: Vec<HeadlineIndex>,
}

/// The pool takes headlines in load order, each with the spelling first
/// seen; articles keep only indices.
fn pool_headlines(
    articles: &[Prepared],
    loose: Vec<(u128, Place)>,
    spellings: &mut Spellings,
) -> (Pool, Vec<Links>) {
    let mut pool = Pool::default();
    let links = articles
        .iter()
        .map(|article| {
            let stated = article
                .title_key
                .map(|key| pool.intern(key, article.place, spellings));
            let mut related = Vec::with_capacity(article.related_keys.len());
            for (line, &key) in article.related_keys.iter().enumerate() {
                let index = pool.intern(key, line_place(article.place, line + 1), spellings);
                if !related.contains(&index) {
                    related.push(index);
                }
            }
            Links { stated, related }
        })
        .collect();
    for (key, place) in loose {
        pool.intern(key, growth::LOOSE | place, spellings);
    }
    (pool, links)
}

/// Each article's own headline: the one its stated title is (the first
/// article to state a headline keeps it), else the one title inference
/// finds for it among the rest; and for each article without a stated
/// title, the headlines of its block its words cover whole.
fn own_headlines(
    articles: &[Prepared],
    links: &[Links],
    pool: &Pool,
    dictionary: &[u64],
) -> (Vec<Option<HeadlineIndex>>, Vec<Vec<u32>>) {
    let mut claimed = vec![false; pool.headlines.len()];
    let mut own: Vec<Option<HeadlineIndex>> = links
        .iter()
        .map(|link| {
            let index = link.stated?;
            (!std::mem::replace(&mut claimed[index], true)).then_some(index)
        })
        .collect();
    let untitled: Vec<usize> = (0..articles.len())
        .filter(|&i| articles[i].title.is_none())
        .collect();
    let headline_texts: Vec<&str> = pool.headlines.iter().map(|h| &*h.text).collect();
    let stories: Vec<Untitled> = untitled
        .iter()
        .map(|&i| Untitled {
            related: &links[i].related,
            tie: &articles[i].id,
        })
        .collect();
    let words = |vocabulary: &Vocabulary| words_of(&untitled, articles, vocabulary, dictionary);
    let found = titles::infer(&headline_texts, &pool.keys, &claimed, &stories, words);
    let mut whole = vec![Vec::new(); articles.len()];
    for ((&article, headline), covered) in untitled.iter().zip(found.titles).zip(found.whole) {
        own[article] = own[article].or(headline);
        whole[article] = covered;
    }
    (own, whole)
}

/// Each chosen article's words in `vocabulary`: those of its stated title
/// and its text, read from memory or from what the index stored of it.
fn words_of(
    chosen: &[usize],
    articles: &[Prepared],
    vocabulary: &Vocabulary,
    dictionary: &[u64],
) -> Vec<Vec<WordId>> {
    let stored_ids = vocabulary.ids_of(dictionary);
    chosen
        .par_iter()
        .map_init(WordSet::default, |seen, &i| {
            let article = &articles[i];
            let title = article.title.as_deref();
            match &article.body {
                Body::Text(paragraphs, _) => vocabulary.story_words(
                    title
                        .into_iter()
                        .chain(paragraphs.iter().map(String::as_str)),
                    seen,
                ),
                Body::Stored(stored) => {
                    vocabulary.stored_words(title, &stored.words, &stored_ids, seen)
                }
            }
        })
        .collect()
}

/// Articles that bring no related headlines (none but their own title) get
/// those of the stories most like them: see [`similar`]. Also says which
/// articles those are.
fn related_where_missing(
    articles: &[Prepared],
    mut links: Vec<Links>,
    own: &[Option<HeadlineIndex>],
    pool: &Pool,
    dictionary: &[u64],
) -> (Vec<Links>, Vec<bool>) {
    let title_of = |i: usize| links[i].stated.or(own[i]);
    let seeking: Vec<bool> = (0..articles.len())
        .map(|i| growth::seeks(&links[i].related, title_of(i)))
        .collect();
    let chosen: Vec<usize> = (0..articles.len()).filter(|&i| seeking[i]).collect();
    if chosen.is_empty() {
        return (links, seeking);
    }
    let headline_texts: Vec<&str> = pool.headlines.iter().map(|h| &*h.text).collect();
    let chosen_titles: Vec<Option<HeadlineIndex>> = chosen.iter().map(|&i| title_of(i)).collect();
    let found = similar::related(
        &headline_texts,
        &pool.keys,
        &growth::titles_of(own, pool.headlines.len()),
        &chosen_titles,
        |vocabulary| words_of(&chosen, articles, vocabulary, dictionary),
    );
    for (&article, related) in chosen.iter().zip(found) {
        links[article].related = related;
    }
    (links, seeking)
}

/// Stories are made this many at a time, on every core, each batch's
/// paths and related lists put in shared buffers (see [`super::packed`]).
const STORIES_AT_ONCE: usize = 4096;

/// The stories, each with its text, in load order.
pub(super) fn make_stories(
    articles: Vec<Prepared>,
    links: Vec<Links>,
    own: &[Option<HeadlineIndex>],
    headlines: &[Headline],
) -> Vec<(Story, Text)> {
    let (paths, lists): (Vec<Substr>, Vec<Related>) = articles
        .par_chunks(STORIES_AT_ONCE)
        .zip(links.par_chunks(STORIES_AT_ONCE))
        .zip(own.par_chunks(STORIES_AT_ONCE))
        .flat_map_iter(|((articles, links), own)| {
            let paths: Vec<&str> = articles.iter().map(|a| a.path.as_str()).collect();
            // A story's own headline is not among its related ones.
            let lists: Vec<Vec<u32>> = links
                .iter()
                .zip(own)
                .map(|(links, &own)| {
                    let title = links.stated.or(own);
                    links
                        .related
                        .iter()
                        .filter(|&&h| Some(h) != title)
                        .map(|&h| h as u32)
                        .collect()
                })
                .collect();
            let lists: Vec<&[u32]> = lists.iter().map(Vec::as_slice).collect();
            packed(&paths).into_iter().zip(packed_lists(&lists))
        })
        .unzip();
    drop(links);
    articles
        .into_par_iter()
        .zip(own)
        .zip(paths)
        .zip(lists)
        .map(|(((article, &own), path), related)| {
            let (title, title_source) = match (article.title, own) {
                (Some(title), _) => (title.into(), TitleSource::Explicit),
                (None, Some(h)) => (headlines[h].text.clone(), TitleSource::Headline),
                (None, None) => (
                    first_sentence(&article.body).into(),
                    TitleSource::FirstSentence,
                ),
            };
            let story = Story {
                id: article.id,
                title,
                title_source,
                related,
                path,
                meta: article.meta,
                headline: own.map(|h| h as u32),
                tokens: article.tokens,
                cluster: 0,
                related_found: false,
            };
            let text = match article.body {
                Body::Text(shown, own) => Text::Memory(shown, own),
                Body::Stored(stored) => Text::File(stored.file),
            };
            (story, text)
        })
        .collect()
}

fn first_sentence(body: &Body) -> String {
    match body {
        Body::Text(paragraphs, _) => {
            first_sentence_title(paragraphs.first().map_or("", String::as_str))
        }
        Body::Stored(stored) => stored.first_sentence.clone(),
    }
}
