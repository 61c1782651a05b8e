//! The in-memory model (SPEC section 2): stories in index order, the pool
//! of distinct headlines, and the links between them.

mod prepare;
mod story;
pub mod titles;

use compact_str::CompactString;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use toml::value::{Datetime, Offset};
use xxhash_rust::xxh3::Xxh3;

use std::path::PathBuf;

use crate::load::{self, Article, Diagnostic, Loaded, Parsed, Progress};
use crate::text::tokens;
use prepare::{Offered, Piece, Prepared, Spellings, prepare};
use titles::Untitled;

pub use story::{
    Headline, HeadlineIndex, MAX_SENTENCE_TITLE_CHARS, Story, StoryIndex, TitleSource,
    first_sentence_title, truncate_at_word,
};

#[derive(Debug, Default)]
pub struct Library {
    /// In index order: dated stories newest first, then undated by path.
    pub stories: Vec<Story>,
    pub headlines: Vec<Headline>,
    /// Everything the load had to say, in load order.
    pub diagnostics: Vec<Diagnostic>,
    errors: usize,
    by_id: FxHashMap<CompactString, StoryIndex>,
}

impl Library {
    /// Loads files and folders and builds the model. Files are read and
    /// parsed in parallel, and each is made ready for the model on the
    /// thread that read it.
    pub fn load(paths: &[PathBuf]) -> Library {
        Library::load_reporting(paths, &Progress::default())
    }

    /// [`Library::load`], saying how far it got in `progress`.
    pub fn load_reporting(paths: &[PathBuf], progress: &Progress) -> Library {
        let spellings = Spellings::default();
        let pieces: Vec<Piece> = load::load_each(
            paths,
            progress,
            Offered::default,
            |offered, file, parsed| prepare(file, parsed, &spellings, offered).collect::<Vec<_>>(),
        );
        progress.start_building();
        Library::assemble(pieces, spellings)
    }

    /// Builds the model from articles already parsed (the bundled stories,
    /// in-memory sources).
    pub fn build(loaded: Loaded) -> Library {
        let Loaded {
            articles,
            loose_headlines,
            diagnostics,
        } = loaded;
        let spellings = Spellings::default();
        let articles = articles.into_iter().map(|a| Parsed {
            articles: vec![a],
            ..Parsed::default()
        });
        let rest = Parsed {
            loose_headlines,
            diagnostics,
            ..Parsed::default()
        };
        let mut offered = Offered::default();
        let pieces: Vec<Piece> = articles
            .chain([rest])
            .enumerate()
            .flat_map(|(file, parsed)| {
                prepare(file, parsed, &spellings, &mut offered).collect::<Vec<_>>()
            })
            .collect();
        Library::assemble(pieces, spellings)
    }

    fn assemble(pieces: Vec<Piece>, mut spellings: Spellings) -> Library {
        let mut prepared = Vec::new();
        let mut loose = Vec::new();
        let mut diagnostics = Vec::new();
        for piece in pieces {
            match piece {
                Piece::Article(article) => prepared.push(article),
                Piece::Loose(key) => loose.push(key),
                Piece::Problem(diagnostic) => diagnostics.push(diagnostic),
            }
        }
        let prepared = drop_duplicate_stories(prepared, &mut diagnostics);

        // The pool takes headlines in load order, each with the spelling
        // first seen; articles keep only indices.
        let mut pool = Pool::default();
        let mut title_headlines: Vec<Option<HeadlineIndex>> = Vec::with_capacity(prepared.len());
        let mut related: Vec<Vec<HeadlineIndex>> = Vec::with_capacity(prepared.len());
        let mut articles: Vec<(Article, CompactString)> = Vec::with_capacity(prepared.len());
        for (
            Prepared {
                article,
                title_key,
                related_keys,
            },
            id,
        ) in prepared
        {
            title_headlines.push(title_key.map(|key| pool.intern(key, &mut spellings)));
            let mut seen = Vec::with_capacity(related_keys.len());
            for key in related_keys {
                let index = pool.intern(key, &mut spellings);
                if !seen.contains(&index) {
                    seen.push(index);
                }
            }
            related.push(seen);
            articles.push((article, id));
        }
        for key in loose {
            pool.intern(key, &mut spellings);
        }
        drop(spellings);

        // A stated title claims its headline first; the first story to state
        // it keeps it if two do.
        let mut claimed = vec![false; pool.headlines.len()];
        let mut own_headline: Vec<Option<HeadlineIndex>> = title_headlines
            .iter()
            .map(|&title| {
                let index = title?;
                (!std::mem::replace(&mut claimed[index], true)).then_some(index)
            })
            .collect();
        let untitled: Vec<usize> = (0..articles.len())
            .filter(|&i| articles[i].0.title.is_none())
            .collect();
        let headline_texts: Vec<&str> = pool.headlines.iter().map(|h| h.text.as_str()).collect();
        let stories_to_title: Vec<Untitled> = untitled
            .iter()
            .map(|&i| Untitled {
                paragraphs: &articles[i].0.paragraphs,
                related: &related[i],
                tie: &articles[i].1,
            })
            .collect();
        let found = titles::infer(&headline_texts, &pool.keys, &claimed, &stories_to_title);
        let mut inferred = vec![None; articles.len()];
        for (&story, headline) in untitled.iter().zip(found) {
            inferred[story] = headline;
        }
        drop((headline_texts, stories_to_title));

        // Built on the worker threads, whose memory holds the related
        // lines just freed, so the new titles and lists reuse it.
        for (own, &found) in own_headline.iter_mut().zip(&inferred) {
            *own = own.or(found);
        }
        let stories: Vec<Story> = articles
            .into_par_iter()
            .zip(related)
            .enumerate()
            .map(|(i, ((article, id), related))| {
                let (title, title_source) = match (&article.title, inferred[i]) {
                    (Some(title), _) => (title.clone(), TitleSource::Explicit),
                    (None, Some(h)) => (pool.headlines[h].text.clone(), TitleSource::Headline),
                    (None, None) => (
                        first_sentence_title(article.paragraphs.first().map_or("", String::as_str)),
                        TitleSource::FirstSentence,
                    ),
                };
                let title_headline = title_headlines[i].or(own_headline[i]);
                let stated = article.title.as_deref().map_or(0, tokens::count);
                let body: u32 = article.paragraphs.iter().map(|p| tokens::count(p)).sum();
                Story {
                    id,
                    title,
                    title_source,
                    related: related
                        .into_iter()
                        .filter(|&h| Some(h) != title_headline)
                        .collect(),
                    path: article.path,
                    meta: article.meta,
                    headline: own_headline[i],
                    paragraphs: article.paragraphs,
                    tokens: stated + body,
                }
            })
            .collect();

        let mut library = Library {
            stories: in_index_order(stories),
            headlines: pool.headlines,
            diagnostics,
            errors: 0,
            by_id: FxHashMap::default(),
        };
        library.errors = library.diagnostics.iter().filter(|d| d.is_error()).count();
        for (index, story) in library.stories.iter().enumerate() {
            library.by_id.insert(story.id.clone(), index);
            if let Some(h) = story.headline {
                library.headlines[h].story = Some(index);
            }
        }
        library
    }

    /// What full-text search reads of a story: the title it states, if any,
    /// and its paragraphs.
    pub fn searchable(&self, story: StoryIndex) -> (Option<&str>, &[String]) {
        let story = &self.stories[story];
        (story.stated_title(), &story.paragraphs)
    }

    pub fn story_by_id(&self, id: &str) -> Option<StoryIndex> {
        self.by_id.get(id).copied()
    }

    /// Files that could not be loaded (counted once: the status line asks
    /// every frame).
    pub fn error_count(&self) -> usize {
        self.errors
    }

    pub fn warning_count(&self) -> usize {
        self.diagnostics.len() - self.error_count()
    }
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
    /// The headline with this key (from [`headline_key`]), added with
    /// `text` as its spelling if it is new.
    fn intern(&mut self, key: u128, spellings: &mut Spellings) -> HeadlineIndex {
        let next = self.headlines.len();
        let index = *self.index.entry(key).or_insert(next);
        if index == next {
            self.headlines.push(Headline {
                text: spellings.take(key),
                story: None,
            });
            self.keys.push(key);
        }
        index
    }
}

/// Gives each article its id and keeps one article per id, warning about
/// the others with both paths.
fn drop_duplicate_stories(
    articles: Vec<Prepared>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(Prepared, CompactString)> {
    let ids: Vec<CompactString> = articles.par_iter().map(|p| story_id(&p.article)).collect();
    let mut first_path: FxHashMap<&str, &str> = FxHashMap::default();
    let mut keep = vec![true; articles.len()];
    for (i, (prepared, id)) in articles.iter().zip(&ids).enumerate() {
        let article = &prepared.article;
        if let Some(first) = first_path.insert(id, &article.path) {
            diagnostics.push(Diagnostic::warning(
                &article.path,
                format!("same story (id {id}) as {first}; only that one is kept"),
            ));
            first_path.insert(id, first);
            keep[i] = false;
        }
    }
    articles
        .into_iter()
        .zip(ids)
        .zip(keep)
        .filter_map(|(pair, keep)| keep.then_some(pair))
        .collect()
}

/// A stable id: the file's own `id`, else a hash of what makes the story
/// (its stated title, if any, and its paragraphs), so renaming, moving,
/// load order and other files never change it.
pub fn story_id(article: &Article) -> CompactString {
    if let Some(id) = &article.id {
        return id.into();
    }
    let mut hasher = Xxh3::new();
    if let Some(title) = &article.title {
        hasher.update(title.as_bytes());
        hasher.update(b"\n\n");
    }
    for paragraph in &article.paragraphs {
        hasher.update(paragraph.as_bytes());
        hasher.update(b"\n");
    }
    compact_str::format_compact!("{:016x}", hasher.digest())
}

fn in_index_order(mut stories: Vec<Story>) -> Vec<Story> {
    stories.sort_by(|a, b| {
        let (da, db) = (
            a.meta().date.as_ref().and_then(timestamp),
            b.meta().date.as_ref().and_then(timestamp),
        );
        db.cmp(&da)
            .then_with(|| (da.is_none()).cmp(&db.is_none()))
            .then_with(|| a.path.cmp(&b.path))
            .then_with(|| a.id.cmp(&b.id))
    });
    stories
}

/// Seconds since the Unix epoch in UTC, for ordering. A date alone counts as
/// its midnight; a local date-time as if it were UTC.
pub fn timestamp(datetime: &Datetime) -> Option<i64> {
    let date = datetime.date?;
    let (y, m, d) = (
        i64::from(date.year),
        i64::from(date.month),
        i64::from(date.day),
    );
    // Days from civil, after Howard Hinnant's algorithm.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let day_of_year = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = era * 146_097 + day_of_era - 719_468;
    let seconds = datetime.time.map_or(0, |t| {
        i64::from(t.hour) * 3600 + i64::from(t.minute) * 60 + i64::from(t.second.unwrap_or(0))
    });
    let offset = match datetime.offset {
        Some(Offset::Custom { minutes }) => i64::from(minutes) * 60,
        _ => 0,
    };
    Some(days * 86_400 + seconds - offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_order_dates_and_offsets() {
        let ts = |s: &str| timestamp(&s.parse::<Datetime>().unwrap()).unwrap();
        assert_eq!(ts("1970-01-01"), 0);
        assert_eq!(ts("2000-03-01"), 951_868_800);
        assert_eq!(ts("2026-11-20T10:00:00+02:00"), ts("2026-11-20T08:00:00Z"));
    }
}
