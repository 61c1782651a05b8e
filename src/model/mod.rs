//! The in-memory model (SPEC section 2): stories in index order, the pool
//! of distinct headlines, and the links between them.

mod story;
pub mod titles;

use std::collections::HashMap;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use toml::value::{Datetime, Offset};
use xxhash_rust::xxh3::Xxh3;

use crate::load::{Article, Diagnostic, Loaded};
use crate::text::headline_key;
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
    by_id: HashMap<String, StoryIndex>,
}

impl Library {
    pub fn build(loaded: Loaded) -> Library {
        let Loaded {
            articles,
            loose_headlines,
            mut diagnostics,
        } = loaded;
        let mut articles = drop_duplicate_stories(articles, &mut diagnostics);

        // Folding is the costly part of interning, so keys are made in
        // parallel and only the inserts, in load order, are sequential.
        let keys: Vec<(Option<u128>, Vec<u128>)> = articles
            .par_iter()
            .map_init(String::new, |buf, (a, _)| {
                let title = a.title.as_deref().map(|t| headline_key(t, buf));
                (
                    title,
                    a.related
                        .iter()
                        .map(|line| headline_key(line, buf))
                        .collect(),
                )
            })
            .collect();
        let mut pool = Pool::default();
        let mut title_headlines: Vec<Option<HeadlineIndex>> = Vec::with_capacity(articles.len());
        let mut related: Vec<Vec<HeadlineIndex>> = Vec::with_capacity(articles.len());
        for ((article, _), (title_key, related_keys)) in articles.iter_mut().zip(keys) {
            title_headlines.push(
                title_key
                    .zip(article.title.as_deref())
                    .map(|(key, text)| pool.intern(key, text.to_owned())),
            );
            // The lines move into the pool; the article keeps only indices.
            let lines = std::mem::take(&mut article.related);
            let mut seen = Vec::with_capacity(related_keys.len());
            for (key, line) in related_keys.into_iter().zip(lines) {
                let index = pool.intern(key, line);
                if !seen.contains(&index) {
                    seen.push(index);
                }
            }
            related.push(seen);
        }
        let mut buf = String::new();
        for line in loose_headlines {
            pool.intern(headline_key(&line, &mut buf), line);
        }

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

        let stories: Vec<Story> = articles
            .into_iter()
            .zip(related)
            .enumerate()
            .map(|(i, ((article, id), related))| {
                let (title, title_source) = match (&article.title, inferred[i]) {
                    (Some(title), _) => (title.clone(), TitleSource::Explicit),
                    (None, Some(h)) => {
                        own_headline[i] = Some(h);
                        (pool.headlines[h].text.clone(), TitleSource::Headline)
                    }
                    (None, None) => (
                        first_sentence_title(article.paragraphs.first().map_or("", String::as_str)),
                        TitleSource::FirstSentence,
                    ),
                };
                let title_headline = title_headlines[i].or(own_headline[i]);
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
                }
            })
            .collect();

        let mut library = Library {
            stories: in_index_order(stories),
            headlines: pool.headlines,
            diagnostics,
            by_id: HashMap::new(),
        };
        for (index, story) in library.stories.iter().enumerate() {
            library.by_id.insert(story.id.clone(), index);
            if let Some(h) = story.headline {
                library.headlines[h].story = Some(index);
            }
        }
        library
    }

    pub fn story_by_id(&self, id: &str) -> Option<StoryIndex> {
        self.by_id.get(id).copied()
    }

    pub fn error_count(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
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
    fn intern(&mut self, key: u128, text: String) -> HeadlineIndex {
        let next = self.headlines.len();
        let index = *self.index.entry(key).or_insert(next);
        if index == next {
            self.headlines.push(Headline { text, story: None });
            self.keys.push(key);
        }
        index
    }
}

/// Gives each article its id and keeps one article per id, warning about
/// the others with both paths.
fn drop_duplicate_stories(
    articles: Vec<Article>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<(Article, String)> {
    let ids: Vec<String> = articles.par_iter().map(story_id).collect();
    let mut first_path: HashMap<&str, &str> = HashMap::with_capacity(ids.len());
    let mut keep = vec![true; articles.len()];
    for (i, (article, id)) in articles.iter().zip(&ids).enumerate() {
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
pub fn story_id(article: &Article) -> String {
    if let Some(id) = &article.id {
        return id.clone();
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
    format!("{:016x}", hasher.digest())
}

fn in_index_order(mut stories: Vec<Story>) -> Vec<Story> {
    stories.sort_by(|a, b| {
        let (da, db) = (
            a.meta.date.as_ref().and_then(timestamp),
            b.meta.date.as_ref().and_then(timestamp),
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
