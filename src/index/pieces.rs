//! From a file to what the model is built from (its pieces, as
//! [`crate::model::prepare`] makes them) and back: a changed file's parse
//! becomes pieces and rows to write; an unchanged file's rows become the
//! same pieces again.

use compact_str::CompactString;
use rustc_hash::FxHashMap;

use super::ids::Ids;
use super::records::{
    FileFacts, HeadlineRef, MetaFacts, StoryFacts, decode, decode_words, encode, encode_words,
};
use super::rows::{FileRow, IndexRows, StoryRow};
use super::write::{SearchText, StoryWrite};
use crate::load::{Diagnostic, FileToLoad, Parsed};
use crate::model::{
    Body, FileText, Offered, Piece, Prepared, Spellings, Stored, first_sentence_title, length,
    place, story_id,
};
use crate::text::fold::for_each_word_hash;
use crate::text::{headline_key, tokens};

/// An unchanged file's pieces from its rows; None if a row cannot be read
/// back (the file is then read again).
pub fn stored_pieces(
    position: usize,
    file: &FileToLoad,
    row: &FileRow,
    stories: &[StoryRow],
    rows: &IndexRows,
    spellings: &Spellings,
    offered: &mut Offered,
) -> Option<Vec<Piece>> {
    let facts: FileFacts = decode(&row.facts).ok()?;
    // A related line's key and spelling, lent: a spelling is copied only
    // when it is the first seen (`Spellings::offer`), not for each of the
    // some fifteen lines of every story.
    fn headline<'a>(rows: &'a IndexRows, reference: &'a HeadlineRef) -> Option<(u128, &'a str)> {
        let (key, text) = rows.headlines.get(reference.id as usize)?.as_ref()?;
        Some((*key, reference.spelling.as_deref().unwrap_or(text)))
    }
    let mut ordered: Vec<&StoryRow> = stories.iter().collect();
    ordered.sort_by_key(|s| s.article);
    let mut pieces = Vec::with_capacity(ordered.len() + facts.diagnostics.len());
    let display = file.display();
    for story in ordered {
        let a = story.article as usize;
        let story_facts: StoryFacts = decode(&story.facts).ok()?;
        let title_key = match (&story_facts.title, story_facts.title_headline) {
            (Some(title), Some(id)) => {
                let (key, _) = rows.headlines.get(id as usize)?.as_ref()?;
                spellings.offer(offered, *key, place(position, a, 0), title);
                Some(*key)
            }
            _ => None,
        };
        let mut related_keys = Vec::with_capacity(story_facts.related.len());
        for (l, reference) in story_facts.related.iter().enumerate() {
            let (key, text) = headline(rows, reference)?;
            spellings.offer(offered, key, place(position, a, l + 1), text);
            related_keys.push(key);
        }
        pieces.push(Piece::Article(Prepared {
            id: CompactString::from(story_facts.id),
            place: place(position, a, 0),
            path: display.clone(),
            title: story_facts.title,
            meta: story_facts.meta.map(|m| Box::new(m.into_meta())),
            title_key,
            related_keys,
            tokens: story_facts.tokens,
            opening: story_facts.opening,
            body: Body::Stored(Stored {
                file: FileText {
                    path: FileText::own_path(&display, &file.path),
                    article: story.article,
                    row: story.row,
                },
                words: decode_words(&story.words).ok()?,
                first_sentence: story_facts.first_sentence,
            }),
        }));
    }
    for (l, reference) in facts.loose.iter().enumerate() {
        let (key, text) = headline(rows, reference)?;
        let at = place(position, 0xffff, l);
        spellings.offer(offered, key, at, text);
        pieces.push(Piece::Loose(key, at));
    }
    for (severity, message) in facts.diagnostics {
        pieces.push(Piece::Problem(Diagnostic::new(severity, &display, message)));
    }
    Some(pieces)
}

/// A changed file being turned into pieces and rows.
pub struct FileContext<'a> {
    /// Its place in the walk.
    pub position: usize,
    pub file: &'a FileToLoad,
    pub ids: &'a Ids,
    pub spellings: &'a Spellings,
    /// Whether its stories' full text is written now.
    pub with_text: bool,
}

/// A changed file's rows: its own facts and its stories'.
pub struct Written {
    pub facts: Vec<u8>,
    pub stories: Vec<StoryWrite>,
}

impl FileContext<'_> {
    /// The file's pieces for the model and its rows for the index.
    pub fn index(
        &self,
        parsed: Parsed,
        offered: &mut Offered,
        known_words: &mut FxHashMap<u64, u32>,
    ) -> (Vec<Piece>, Written) {
        let mut pieces = Vec::with_capacity(parsed.articles.len() + parsed.diagnostics.len());
        let mut stories = Vec::with_capacity(parsed.articles.len());
        let mut key_buf = String::new();
        let mut reference = |text: &str, at: u64, offered: &mut Offered| {
            let key = headline_key(text, &mut key_buf);
            self.spellings.offer(offered, key, at, text);
            let (id, canonical) = self.ids.headline(key, text);
            let spelling = (*canonical != *text).then(|| text.to_owned());
            (key, HeadlineRef { id, spelling })
        };
        for (a, article) in parsed.articles.into_iter().enumerate() {
            let id = story_id(&article);
            let stated = article
                .title
                .as_deref()
                .map(|title| reference(title, place(self.position, a, 0), offered));
            let related: Vec<(u128, HeadlineRef)> = article
                .related
                .iter()
                .enumerate()
                .map(|(l, line)| reference(line, place(self.position, a, l + 1), offered))
                .collect();
            let words = self.words(article.text(), known_words);
            let length = length(&article);
            let opening = crate::model::clusters::opening(article.text());
            let first_sentence =
                first_sentence_title(article.paragraphs.first().map_or("", String::as_str));
            let facts = StoryFacts {
                id: id.to_string(),
                title: article.title.clone(),
                title_headline: stated.as_ref().map(|(_, r)| r.id),
                related: related.iter().map(|(_, r)| r.clone()).collect(),
                meta: article.meta.as_deref().map(MetaFacts::from),
                tokens: length,
                first_sentence: first_sentence.clone(),
                opening: opening.clone(),
            };
            stories.push(StoryWrite {
                article: a as u32,
                facts: encode(&facts),
                words: encode_words(&words),
                text: self
                    .with_text
                    .then(|| search_text(article.title.as_deref(), article.text())),
            });
            let own_path = FileText::own_path(&article.path, &self.file.path);
            pieces.push(Piece::Article(Prepared {
                id,
                place: place(self.position, a, 0),
                path: article.path,
                title: article.title,
                meta: article.meta,
                title_key: stated.map(|(key, _)| key),
                related_keys: related.iter().map(|(key, _)| *key).collect(),
                tokens: length,
                opening,
                body: Body::Stored(Stored {
                    file: FileText {
                        path: own_path,
                        article: a as u32,
                        // Numbered by the writer: see `write::write`.
                        row: 0,
                    },
                    words,
                    first_sentence,
                }),
            }));
        }
        let mut facts = FileFacts::default();
        for (l, line) in parsed.loose_headlines.iter().enumerate() {
            let at = place(self.position, 0xffff, l);
            let (key, headline) = reference(line, at, offered);
            facts.loose.push(headline);
            pieces.push(Piece::Loose(key, at));
        }
        for diagnostic in parsed.diagnostics {
            facts
                .diagnostics
                .push((diagnostic.severity, diagnostic.message.clone()));
            pieces.push(Piece::Problem(diagnostic));
        }
        let written = Written {
            facts: encode(&facts),
            stories,
        };
        (pieces, written)
    }

    /// The body's distinct words, by number, sorted. Each word is looked up
    /// once: most words of a story repeat, and a lookup costs more than
    /// sorting.
    fn words(&self, paragraphs: &[String], known: &mut FxHashMap<u64, u32>) -> Vec<u32> {
        let mut hashes: Vec<u64> = Vec::new();
        for paragraph in paragraphs {
            for_each_word_hash(paragraph, |hash| hashes.push(hash));
        }
        hashes.sort_unstable();
        hashes.dedup();
        let mut words: Vec<u32> = hashes.iter().map(|&h| self.ids.word(h, known)).collect();
        words.sort_unstable();
        words
    }
}

/// A story's tokens as the full-text table takes them.
pub fn search_text(title: Option<&str>, paragraphs: &[String]) -> SearchText {
    let mut buf = String::new();
    let mut text = SearchText {
        body: String::with_capacity(paragraphs.iter().map(String::len).sum()),
        title: String::new(),
    };
    if let Some(title) = title {
        tokens::push_joined(title, &mut buf, &mut text.title);
    }
    for paragraph in paragraphs {
        tokens::push_joined(paragraph, &mut buf, &mut text.body);
    }
    text
}
