//! One search engine for `tidings search` and the reader's `/`: fuzzy
//! matching over headlines, whole-word and phrase matching over story text.
//!
//! Results come in tiers. A headline holding every word of the query comes
//! first (by fuzzy score), then stories whose text holds the words as a
//! phrase, then stories holding them apart (by BM25, see [`rank`]), and
//! last the headlines that match only fuzzily. A story is listed once, at
//! its best tier.

mod bloom;
mod headlines;
mod indexed;
pub mod rank;
mod terms;
pub mod worker;

use std::collections::HashSet;
use std::sync::Arc;

use nucleo_matcher::pattern::Pattern;
use nucleo_matcher::{Config, Matcher};
use rayon::prelude::*;
use serde::Serialize;

pub use rank::{BodyMatch, Corpus};
pub use terms::{Counts, MAX_TOKEN_BYTES, Term, Terms, TextMatch, Token};
pub use worker::Searcher;

use crate::model::{HeadlineIndex, Library, StoryIndex};
use crate::text::fold::fold_into;

/// A headline hit: the headline's index and its score.
type Scored = (u32, u32);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    Headline,
    Body,
}

/// One result.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub field: Field,
    /// The headline that matched (headline hits).
    pub headline: Option<HeadlineIndex>,
    /// The story the result opens, if one is loaded.
    pub story: Option<StoryIndex>,
    /// Character positions of the headline that matched.
    pub highlights: Vec<u32>,
    /// The sentence that matched (body hits).
    pub snippet: Option<String>,
}

impl Hit {
    /// A story listed for itself, not for a match (a query of filters
    /// alone).
    pub fn story(story: StoryIndex) -> Hit {
        Hit {
            field: Field::Headline,
            headline: None,
            story: Some(story),
            highlights: Vec::new(),
            snippet: None,
        }
    }

    /// Whether it is a story listed for itself (see [`Hit::story`]).
    pub fn is_listed(&self) -> bool {
        self.field == Field::Headline && self.headline.is_none()
    }

    /// The text shown for the hit: the headline, or the story's title.
    pub fn text<'a>(&self, library: &'a Library) -> &'a str {
        match (self.headline, self.story) {
            (Some(h), _) => &library.headlines[h].text,
            (None, Some(s)) => &library.stories[s].title,
            (None, None) => "",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Results {
    pub query: String,
    /// Best first; at most the limit asked for.
    pub hits: Vec<Hit>,
    /// How many there were before the limit.
    pub total: usize,
}

/// The search engine with what it keeps between queries: folded headlines,
/// the previous query's headline hits, which a query that extends it need
/// only search again, and how story text is searched.
pub struct Engine {
    haystacks: headlines::Haystacks,
    previous: Option<(String, Vec<u32>)>,
    text: TextSearch,
    /// An index not ready for searching when the engine was made (stories
    /// still being put in its full-text table): tried again at each query.
    index_later: Option<std::path::PathBuf>,
}

/// Where full-text search looks.
enum TextSearch {
    /// At each story's text in turn (in memory, or read from its file);
    /// once built, the filters let most stories be skipped.
    Scan(Option<Arc<bloom::StoryFilters>>),
    /// In the index the library was opened through.
    Index(indexed::IndexSearch),
}

impl Engine {
    /// An engine for `library`: through its index when it was opened
    /// through one and its text stays in the files.
    pub fn new(library: &Library) -> Engine {
        let mut engine = Engine {
            haystacks: headlines::Haystacks::new(library),
            previous: None,
            text: TextSearch::Scan(None),
            index_later: None,
        };
        if let Some(path) = library.index()
            && !library.has_text_in_memory()
        {
            engine.index_later = Some(path.to_owned());
            engine.try_index(library);
        }
        engine
    }

    /// Searches through the index from now on, if it is ready.
    fn try_index(&mut self, library: &Library) {
        if let Some(path) = &self.index_later
            && let Ok(index) = indexed::IndexSearch::open(path, library)
        {
            self.text = TextSearch::Index(index);
            self.index_later = None;
        }
    }

    /// Whether filters would help: the text is in memory and searched by
    /// reading it.
    pub fn wants_filters(&self, library: &Library) -> bool {
        matches!(self.text, TextSearch::Scan(None)) && library.has_text_in_memory()
    }

    /// Builds the story filters that let full-text queries skip most
    /// stories; until then every story is read.
    pub fn build_filters(library: &Library) -> Arc<bloom::StoryFilters> {
        Arc::new(bloom::StoryFilters::new(library))
    }

    pub fn use_filters(&mut self, filters: Arc<bloom::StoryFilters>) {
        self.text = TextSearch::Scan(Some(filters));
    }

    /// Stories whose text holds every word, best first; None if cancelled.
    /// Should the index fail, the text is read from the files instead, so
    /// the answer is the same.
    fn bodies(
        &mut self,
        library: &Library,
        terms: &Terms,
        cancelled: &(dyn Fn() -> bool + Sync),
    ) -> Option<Vec<BodyMatch>> {
        self.try_index(library);
        if let TextSearch::Index(index) = &mut self.text {
            match index.bodies(library, terms, cancelled) {
                Ok(found) => return found,
                Err(_) => self.text = TextSearch::Scan(None),
            }
        }
        let filters = match &self.text {
            TextSearch::Scan(filters) => filters.as_deref(),
            TextSearch::Index(_) => None,
        };
        bodies(library, terms, filters, cancelled)
    }

    /// Searches; None when `cancelled` turned true on the way. `limit` caps
    /// the hits returned (only those get highlights and snippets).
    pub fn search(
        &mut self,
        library: &Library,
        query: &str,
        limit: usize,
        cancelled: &(dyn Fn() -> bool + Sync),
    ) -> Option<Results> {
        self.search_within(library, query, limit, None, cancelled)
    }

    /// Searches only the stories `keep` marks (by story index), when it is
    /// given: a query's filters.
    pub fn search_within(
        &mut self,
        library: &Library,
        query: &str,
        limit: usize,
        keep: Option<&[bool]>,
        cancelled: &(dyn Fn() -> bool + Sync),
    ) -> Option<Results> {
        let pattern = headlines::pattern(query);
        if pattern.atoms.is_empty() {
            self.previous = None;
            return Some(Results {
                query: query.to_owned(),
                ..Results::default()
            });
        }
        let (headline_hits, unscored) =
            self.headlines(library, query, &pattern, limit, cancelled)?;
        let terms = Terms::parse(query);
        let body_hits = if terms.is_empty() {
            Vec::new()
        } else {
            self.bodies(library, &terms, cancelled)?
        };
        let mut hits = merge(library, &terms, headline_hits, &body_hits);
        let mut unscored = unscored;
        if let Some(keep) = keep {
            hits.retain(|hit| {
                hit.story
                    .is_some_and(|s| keep.get(s).copied().unwrap_or(false))
            });
            // Headlines left unscored are not counted: which of them pass
            // the filters is not known.
            unscored = 0;
        }
        let total = hits.len() + unscored;
        hits.truncate(limit);

        let mut matcher = Matcher::new(Config::DEFAULT);
        for hit in &mut hits {
            if let (Field::Headline, Some(h)) = (hit.field, hit.headline) {
                hit.highlights =
                    headlines::indices(self.haystacks.over(library), &pattern, h, &mut matcher);
            }
        }
        // Text on disk is read for the first results only; the rest get
        // theirs from `snippets`, later.
        let now = if library.has_text_in_memory() {
            hits.len()
        } else {
            hits.len().min(SNIPPETS_AT_ONCE)
        };
        snippets(library, &terms, &mut hits[..now]);
        Some(Results {
            query: query.to_owned(),
            hits,
            total,
        })
    }

    /// Headlines the query matches, the best `limit` with exact scores and
    /// best first; and how many more matched, left unscored. None if
    /// cancelled.
    fn headlines(
        &mut self,
        library: &Library,
        query: &str,
        pattern: &Pattern,
        limit: usize,
        cancelled: &(dyn Fn() -> bool + Sync),
    ) -> Option<(Vec<Scored>, usize)> {
        // Typing on narrows the last answer: only its hits can still match.
        let within = match &self.previous {
            Some((old, hits)) if headlines::narrows(old, query) => Some(hits.as_slice()),
            _ => None,
        };
        let hay = self.haystacks.over(library);
        let quick = headlines::matches(hay, pattern, within, cancelled)?;
        self.previous = Some((query.to_owned(), quick.iter().map(|&(h, _)| h).collect()));
        let matched = quick.len();
        // Exact scores for those that can be shown, with room for quick
        // scores that undersold a headline.
        let mut shortlist = quick;
        best_first(&mut shortlist, limit.saturating_mul(2).max(RESCORED));
        let mut scored = headlines::rescore(hay, pattern, &shortlist);
        scored.truncate(limit);
        Some((scored, matched - shortlist.len()))
    }
}

/// Headline and text hits in one list: first the headlines that hold every
/// word of the query, then the stories whose text does (but whose
/// headline is not already listed), then the other headlines, but for
/// stories already found by their text.
fn merge(
    library: &Library,
    terms: &Terms,
    headline_hits: Vec<Scored>,
    body_hits: &[BodyMatch],
) -> Vec<Hit> {
    let mut buf = String::new();
    let mut holds_every_word = |h: u32| {
        buf.clear();
        fold_into(&library.headlines[h as usize].text, &mut buf);
        terms.all_in(&buf)
    };
    let (strong, weak): (Vec<Scored>, Vec<Scored>) = headline_hits
        .into_iter()
        .partition(|&(h, _)| holds_every_word(h));
    let strong_stories: HashSet<StoryIndex> = strong
        .iter()
        .filter_map(|&(h, _)| library.headlines[h as usize].story())
        .collect();
    let body_stories: HashSet<StoryIndex> = body_hits.iter().map(|m| m.story).collect();

    let headline_hit = |h: u32| Hit {
        field: Field::Headline,
        headline: Some(h as usize),
        story: library.headlines[h as usize].story(),
        highlights: Vec::new(),
        snippet: None,
    };
    let body_hit = |m: &BodyMatch| Hit {
        field: Field::Body,
        headline: None,
        story: Some(m.story),
        highlights: Vec::new(),
        snippet: None,
    };
    let new_story = |&&(h, _): &&Scored| {
        library.headlines[h as usize]
            .story()
            .is_none_or(|s| !body_stories.contains(&s))
    };
    strong
        .iter()
        .map(|&(h, _)| headline_hit(h))
        .chain(
            body_hits
                .iter()
                .filter(|m| !strong_stories.contains(&m.story))
                .map(body_hit),
        )
        .chain(weak.iter().filter(new_story).map(|&(h, _)| headline_hit(h)))
        .collect()
}

/// At least this many headline hits get exact scores.
const RESCORED: usize = 2000;
/// Text hits whose sentence is found with the results when the text is
/// on disk: more than a screen holds.
pub const SNIPPETS_AT_ONCE: usize = 100;

/// Fills in the sentence each text hit matched in, reading the stories'
/// text (in parallel, since it may come from disk).
pub fn snippets(library: &Library, terms: &Terms, hits: &mut [Hit]) {
    hits.par_iter_mut().for_each(|hit| {
        if let (Field::Body, Some(story), None) = (hit.field, hit.story, &hit.snippet) {
            hit.snippet = library
                .text(story)
                .ok()
                .and_then(|paragraphs| terms.snippet(&paragraphs));
        }
    });
}

/// Sorts hits by score, best first, ties in pool order; when only `limit`
/// are wanted, sorts just those.
fn best_first(hits: &mut Vec<Scored>, limit: usize) {
    let key = |&(h, score): &Scored| (std::cmp::Reverse(score), h);
    if hits.len() > limit && limit > 0 {
        hits.select_nth_unstable_by_key(limit - 1, key);
        hits.truncate(limit);
    }
    hits.sort_unstable_by_key(key);
}

/// Stories whose text holds every word, best first (see [`rank`]).
fn bodies(
    library: &Library,
    terms: &Terms,
    filters: Option<&bloom::StoryFilters>,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Option<Vec<BodyMatch>> {
    let probes: Vec<bloom::Probe> = terms.words().iter().map(bloom::Probe::new).collect();
    let found: Vec<Option<Option<(StoryIndex, u32, Counts)>>> = library
        .stories
        .par_iter()
        .enumerate()
        .with_min_len(64)
        .map_init(String::new, |buf, (index, story)| {
            // Every story that may hold any one word is read, since how
            // many stories hold each word weighs in the ranking.
            if filters.is_some_and(|f| probes.iter().all(|p| !f.may_hold(index, p))) {
                return Some(None);
            }
            if cancelled() {
                return None;
            }
            let counts = count_story(library, index, terms, buf);
            Some((!counts.is_empty()).then_some((index, story.tokens, counts)))
        })
        .collect();
    let mut stories = Vec::new();
    for item in found {
        stories.extend(item?);
    }
    let mut documents = vec![0u32; terms.words().len()];
    for (_, _, counts) in &stories {
        for (df, &tf) in documents.iter_mut().zip(&counts.words) {
            *df += u32::from(tf > 0);
        }
    }
    Some(rank::rank(indexed::corpus(library), &documents, stories))
}

/// How often the query's words stand in a story: its stated title and its
/// body are each one run of tokens, so a phrase may cross paragraphs (as
/// in the index) but not run from the title into the body.
fn count_story(library: &Library, story: StoryIndex, terms: &Terms, buf: &mut String) -> Counts {
    let mut counts = Counts::default();
    let (title, paragraphs) = library.searchable(story);
    if let Some(title) = title {
        buf.clear();
        fold_into(title, buf);
        terms.count_in(buf, &mut counts);
    }
    buf.clear();
    for paragraph in paragraphs.iter() {
        fold_into(paragraph, buf);
        buf.push('\n');
    }
    terms.count_in(buf, &mut counts);
    counts
}

/// The stories a query's words find for good, by story index: a headline
/// holding every word, or text holding them (not the fuzzy headline
/// matches, which only rank a live search). What a saved search holds.
pub fn stories_found(library: &Library, words: &str) -> Vec<bool> {
    let mut found = vec![false; library.stories.len()];
    let terms = Terms::parse(words);
    let results = Engine::new(library)
        .search(library, words, usize::MAX, &|| false)
        .unwrap_or_default();
    let mut buf = String::new();
    for hit in &results.hits {
        let Some(story) = hit.story else { continue };
        let holds_every_word = match (hit.field, hit.headline) {
            (Field::Headline, Some(h)) => {
                buf.clear();
                fold_into(&library.headlines[h].text, &mut buf);
                terms.all_in(&buf)
            }
            _ => true,
        };
        found[story] |= holds_every_word;
    }
    found
}

/// A one-off search with every hit, each with its sentence.
pub fn search(library: &Library, query: &str) -> Results {
    search_limited(library, query, usize::MAX, None)
}

/// A one-off search, the best `limit` hits each with its sentence (only
/// the stories kept by `keep`, when it is given): what `tidings search`
/// prints.
pub fn search_limited(
    library: &Library,
    query: &str,
    limit: usize,
    keep: Option<&[bool]>,
) -> Results {
    let mut results = Engine::new(library)
        .search_within(library, query, limit, keep, &|| false)
        .unwrap_or_default();
    snippets(library, &Terms::parse(query), &mut results.hits);
    results
}
