//! Building the model from every file's prepared articles, in load order:
//! one story per id, the pool of distinct headlines, titles, links, and the
//! index order. The same steps run whether the articles were just parsed
//! or read back from the index, so both give the same library.

use arcstr::Substr;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::prepare::{Body, Piece, Prepared, Spellings};
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
    pub fn assemble(pieces: Vec<Piece>, mut spellings: Spellings, dictionary: &[u64]) -> Library {
        let (articles, loose, mut diagnostics) = sort_pieces(pieces);
        let articles = drop_duplicate_stories(articles, &mut diagnostics);
        let (mut pool, links) = pool_headlines(&articles, loose, &mut spellings);
        super::pack_texts(&mut pool.headlines);
        drop(spellings);
        let own = own_headlines(&articles, &links, &pool, dictionary);
        let links = related_where_missing(&articles, links, &own, &pool, dictionary);
        let mut stories = make_stories(articles, links, &own, &pool);
        super::in_index_order(&mut stories);

        let (stories, texts): (Vec<Story>, Texts) = stories.into_iter().unzip();
        let mut headlines = pool.headlines;
        for (index, story) in stories.iter().enumerate() {
            if let Some(h) = story.headline() {
                headlines[h].story = Some(index as u32);
            }
        }
        Library::from_parts(stories, headlines, diagnostics, texts)
    }
}

fn sort_pieces(pieces: Vec<Piece>) -> (Vec<Prepared>, Vec<u128>, Vec<Diagnostic>) {
    let (mut articles, mut loose, mut diagnostics) = (Vec::new(), Vec::new(), Vec::new());
    for piece in pieces {
        match piece {
            Piece::Article(article) => articles.push(article),
            Piece::Loose(key) => loose.push(key),
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

/// Distinct headlines, keyed by their folded form; the first spelling seen
/// is the one shown.
#[derive(Default)]
struct Pool {
    index: FxHashMap<u128, HeadlineIndex>,
    /// The key of each headline, by index.
    keys: Vec<u128>,
    headlines: Vec<Headline>,
}

impl Pool {
    /// The headline with this key, added with its first spelling if new.
    fn intern(&mut self, key: u128, spellings: &mut Spellings) -> HeadlineIndex {
        let next = self.headlines.len();
        let index = *self.index.entry(key).or_insert(next);
        if index == next {
            self.headlines.push(Headline {
                text: spellings.take(key).into(),
                story: None,
            });
            self.keys.push(key);
        }
        index
    }
}

/// An article's headlines in the pool.
struct Links {
    /// The headline its stated title is, if it states one.
    stated: Option<HeadlineIndex>,
    /// Its related block, without repeats.
    related: Vec<HeadlineIndex>,
}

/// The pool takes headlines in load order, each with the spelling first
/// seen; articles keep only indices.
fn pool_headlines(
    articles: &[Prepared],
    loose: Vec<u128>,
    spellings: &mut Spellings,
) -> (Pool, Vec<Links>) {
    let mut pool = Pool::default();
    let links = articles
        .iter()
        .map(|article| {
            let stated = article.title_key.map(|key| pool.intern(key, spellings));
            let mut related = Vec::with_capacity(article.related_keys.len());
            for &key in &article.related_keys {
                let index = pool.intern(key, spellings);
                if !related.contains(&index) {
                    related.push(index);
                }
            }
            Links { stated, related }
        })
        .collect();
    for key in loose {
        pool.intern(key, spellings);
    }
    (pool, links)
}

/// Each article's own headline: the one its stated title is (the first
/// article to state a headline keeps it), else the one title inference
/// finds for it among the rest.
fn own_headlines(
    articles: &[Prepared],
    links: &[Links],
    pool: &Pool,
    dictionary: &[u64],
) -> Vec<Option<HeadlineIndex>> {
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
    for (&article, headline) in untitled.iter().zip(found) {
        own[article] = own[article].or(headline);
    }
    own
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
                    // `seen` holds the title's words, and keeps out those
                    // the body repeats.
                    let mut words = vocabulary.story_words(title, seen);
                    words.extend(
                        stored
                            .words
                            .iter()
                            .filter_map(|&word| stored_ids.get(word as usize).copied().flatten())
                            .filter(|&id| seen.insert(id)),
                    );
                    words
                }
            }
        })
        .collect()
}

/// Articles that bring no related headlines (none but their own title) get
/// those of the stories most like them: see [`similar`].
fn related_where_missing(
    articles: &[Prepared],
    mut links: Vec<Links>,
    own: &[Option<HeadlineIndex>],
    pool: &Pool,
    dictionary: &[u64],
) -> Vec<Links> {
    let title_of = |i: usize| links[i].stated.or(own[i]);
    let seeking: Vec<usize> = (0..articles.len())
        .filter(|&i| links[i].related.iter().all(|&h| Some(h) == title_of(i)))
        .collect();
    if seeking.is_empty() {
        return links;
    }
    let mut titles = vec![false; pool.headlines.len()];
    for &h in own.iter().flatten() {
        titles[h] = true;
    }
    let headline_texts: Vec<&str> = pool.headlines.iter().map(|h| &*h.text).collect();
    let seeking_titles: Vec<Option<HeadlineIndex>> = seeking.iter().map(|&i| title_of(i)).collect();
    let found = similar::related(
        &headline_texts,
        &pool.keys,
        &titles,
        &seeking_titles,
        |vocabulary| words_of(&seeking, articles, vocabulary, dictionary),
    );
    for (&article, related) in seeking.iter().zip(found) {
        links[article].related = related;
    }
    links
}

/// Stories are made this many at a time, on every core, each batch's
/// paths and related lists put in shared buffers (see [`super::packed`]).
const STORIES_AT_ONCE: usize = 4096;

/// The stories, each with its text, in load order.
fn make_stories(
    articles: Vec<Prepared>,
    links: Vec<Links>,
    own: &[Option<HeadlineIndex>],
    pool: &Pool,
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
                (None, Some(h)) => (pool.headlines[h].text.clone(), TitleSource::Headline),
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
