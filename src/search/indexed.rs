//! Full-text search through the index's FTS5 table, for a library whose
//! text stays in its files. FTS5 finds the stories holding every word and
//! counts them ([`crate::index::fts`]); how many stories of this library
//! hold each word is asked word by word (and remembered); the ranking is
//! the one text in memory gets ([`super::rank`]).

use std::path::Path;

use rusqlite::Connection;
use rustc_hash::FxHashMap;

use super::Counts;
use super::rank::{self, BodyMatch, Corpus};
use super::terms::{Term, Terms};
use crate::index::fts::{self, MatchQuery, QueryToken};
use crate::model::{Library, StoryIndex, Text};

pub struct IndexSearch {
    conn: Connection,
    /// Full-text row -> story, sorted by row.
    rows: Vec<(i64, StoryIndex)>,
    /// How many stories of the library hold a word, by the word's tokens.
    documents: FxHashMap<Vec<QueryToken>, u32>,
}

/// Why the index cannot answer for a library (then the text is searched
/// where it is).
#[derive(Debug, thiserror::Error)]
pub enum Unready {
    #[error("a story is not in the index")]
    NotIndexed,
    #[error("some stories are not in the full-text table yet")]
    Incomplete,
    #[error(transparent)]
    Index(#[from] crate::index::Problem),
    #[error(transparent)]
    Sqlite(#[from] rusqlite::Error),
}

impl IndexSearch {
    /// Opens the index at `path` for searching `library`, whose stories
    /// must all be in files the index knows.
    pub fn open(path: &Path, library: &Library) -> Result<IndexSearch, Unready> {
        let mut rows = Vec::with_capacity(library.stories.len());
        for story in 0..library.stories.len() {
            match library.text_source(story).as_deref() {
                Some(Text::File(file)) => rows.push((file.row, story)),
                _ => return Err(Unready::NotIndexed),
            }
        }
        rows.sort_unstable();
        let conn = crate::index::open_for_search(path)?;
        let search = IndexSearch {
            conn,
            rows,
            documents: FxHashMap::default(),
        };
        match search.complete()? {
            true => Ok(search),
            false => Err(Unready::Incomplete),
        }
    }

    /// Whether every story of the library is in the full-text table.
    fn complete(&self) -> rusqlite::Result<bool> {
        let missing = crate::index::missing_rows(&self.conn)?;
        Ok(missing.iter().all(|&row| self.story(row).is_none()))
    }

    fn story(&self, row: i64) -> Option<StoryIndex> {
        let at = self.rows.binary_search_by_key(&row, |&(r, _)| r).ok()?;
        Some(self.rows[at].1)
    }

    /// Stories holding every word, best first; None if cancelled.
    pub fn bodies(
        &mut self,
        library: &Library,
        terms: &Terms,
        cancelled: &(dyn Fn() -> bool + Sync),
    ) -> rusqlite::Result<Option<Vec<BodyMatch>>> {
        let query = MatchQuery {
            words: terms.words().iter().map(tokens_of).collect(),
            phrase: terms.phrase().map(tokens_of),
        };
        // With one word, the stories holding it are those found.
        let mut documents = Vec::with_capacity(query.words.len());
        if query.words.len() > 1 {
            for word in &query.words {
                documents.push(self.documents_holding(word)?);
            }
        }
        let Some(found) = fts::find(
            &self.conn,
            &query,
            |row| self.story(row).is_some(),
            cancelled,
        )?
        else {
            return Ok(None);
        };
        if query.words.len() == 1 {
            documents.push(found.len() as u32);
        }
        let matches = found.into_iter().filter_map(|found| {
            let story = self.story(found.row)?;
            let counts = Counts {
                words: found.words,
                phrase: found.phrase,
            };
            Some((story, library.stories[story].tokens, counts))
        });
        Ok(Some(rank::rank(corpus(library), &documents, matches)))
    }

    fn documents_holding(&mut self, word: &[QueryToken]) -> rusqlite::Result<u32> {
        if let Some(&known) = self.documents.get(word) {
            return Ok(known);
        }
        let mut count = 0;
        fts::rows_holding(&self.conn, word, |row| {
            count += u32::from(self.story(row).is_some());
        })?;
        self.documents.insert(word.to_vec(), count);
        Ok(count)
    }
}

fn tokens_of(term: &Term) -> Vec<QueryToken> {
    term.tokens()
        .iter()
        .map(|t| QueryToken {
            text: t.text.clone(),
            prefix: t.prefix,
        })
        .collect()
}

/// The library's size for ranking.
pub fn corpus(library: &Library) -> Corpus {
    Corpus {
        stories: library.stories.len() as u64,
        tokens: library.stories.iter().map(|s| u64::from(s.tokens)).sum(),
    }
}
