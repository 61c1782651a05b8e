//! Getting an article ready for the model on the thread that parsed it:
//! its id and length are worked out, and its related lines become headline
//! keys (128-bit hashes of the folded text) and the text is dropped at once. Only one spelling per distinct
//! headline is kept, in a table shared by the threads: a hundred thousand
//! files name some fifteen headlines each, and holding all that text until
//! the model is built would cost more memory than the stories themselves.

use std::sync::{Mutex, PoisonError};

use rustc_hash::FxHashMap;

use compact_str::CompactString;

use super::{FileText, story_id};
use crate::load::{Article, Diagnostic, Meta, Parsed};
use crate::text::{headline_key, tokens};

/// What the model needs of one file's contribution.
pub enum Piece {
    Article(Prepared),
    /// A headline from a headlines-only file, and where it was seen.
    Loose(u128, Place),
    Problem(Diagnostic),
}

/// An article as the model needs it: its related lines are headline keys.
pub struct Prepared {
    pub id: CompactString,
    /// Where it is in load order (its stated title's [`place`]).
    pub place: Place,
    /// Display path of its file.
    pub path: String,
    /// The title the file states, if any.
    pub title: Option<String>,
    pub meta: Option<Box<Meta>>,
    pub title_key: Option<u128>,
    /// In file order, repeats included.
    pub related_keys: Vec<u128>,
    /// Length in search tokens (stated title and body).
    pub tokens: u32,
    /// Its text's opening as cluster terms ([`super::clusters::opening`]).
    pub opening: Box<[u32]>,
    pub body: Body,
}

/// A story's text, or what the model needs of it when it stays on disk.
pub enum Body {
    /// What is shown, and the story's own text when that is its page's.
    Text(Vec<String>, Option<Box<[String]>>),
    Stored(Stored),
}

/// What the index keeps of a story's text.
pub struct Stored {
    pub file: FileText,
    /// The body's distinct words, as ids of the index's word list, for
    /// title inference.
    pub words: Vec<u32>,
    /// The title the story gets if no headline fits.
    pub first_sentence: String,
}

/// Where a spelling was seen: earlier in load order wins, so that the
/// spelling shown does not depend on which thread got there first.
pub type Place = u64;

/// The place of line `line` of the `article`-th story of the `file`-th
/// file (line 0 is a stated title, then the related block; the headlines
/// of a headlines-only file are at article 0xffff).
pub fn place(file: usize, article: usize, line: usize) -> Place {
    ((file as u64) << 32) | ((article.min(0xffff) as u64) << 16) | line.min(0xffff) as u64
}

/// The place of line `line` of the article at `article` (its [`place`]).
pub fn line_place(article: Place, line: usize) -> Place {
    article | line.min(0xffff) as u64
}

/// Headline key -> where its earliest spelling so far was seen, and that
/// spelling.
type Shard = FxHashMap<u128, (Place, Box<str>)>;

/// The first spelling of each headline key, shared by the loading threads.
pub struct Spellings {
    shards: Vec<Mutex<Shard>>,
}

const SHARDS: usize = 64;

impl Default for Spellings {
    fn default() -> Self {
        Spellings {
            shards: (0..SHARDS).map(|_| Mutex::default()).collect(),
        }
    }
}

/// What one thread has offered already, so that it takes the shared lock
/// only for headlines new to it (or seen at an earlier place).
#[derive(Default)]
pub struct Offered(FxHashMap<u128, Place>);

impl Spellings {
    /// Offers `text` as the spelling of `key`, seen at `place`.
    pub fn offer(&self, offered: &mut Offered, key: u128, place: Place, text: &str) {
        match offered.0.get_mut(&key) {
            Some(best) if *best <= place => return,
            Some(best) => *best = place,
            None => {
                offered.0.insert(key, place);
            }
        }
        let mut shard = self.shards[key as usize % SHARDS]
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        match shard.get_mut(&key) {
            Some(known) if known.0 <= place => {}
            Some(known) => *known = (place, text.into()),
            None => {
                shard.insert(key, (place, text.into()));
            }
        }
    }

    /// The spelling kept for `key`, and where it was seen, handed over
    /// once.
    pub fn take(&mut self, key: u128) -> (Place, String) {
        let shard = self.shards[key as usize % SHARDS]
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner);
        shard
            .remove(&key)
            .map(|(place, text)| (place, text.into_string()))
            .unwrap_or_default()
    }
}

/// An article's length in search tokens, its stated title and body: what
/// ranking divides by.
pub fn length(article: &Article) -> u32 {
    article.title.as_deref().map_or(0, tokens::count)
        + article.text().iter().map(|p| tokens::count(p)).sum::<u32>()
}

/// Turns the `file`-th file's parse into pieces, offering its headline
/// spellings to `spellings`.
pub fn prepare(
    file: usize,
    parsed: Parsed,
    spellings: &Spellings,
    offered: &mut Offered,
) -> impl Iterator<Item = Piece> {
    let mut buf = String::new();
    let mut articles = Vec::with_capacity(parsed.articles.len());
    for (a, article) in parsed.articles.into_iter().enumerate() {
        let title_key = article.title.as_deref().map(|title| {
            let key = headline_key(title, &mut buf);
            spellings.offer(offered, key, place(file, a, 0), title);
            key
        });
        let related_keys = article
            .related
            .iter()
            .enumerate()
            .map(|(l, line)| {
                let key = headline_key(line, &mut buf);
                spellings.offer(offered, key, place(file, a, l + 1), line);
                key
            })
            .collect();
        let tokens = length(&article);
        let opening = super::clusters::opening(article.text());
        articles.push(Piece::Article(Prepared {
            id: story_id(&article),
            place: place(file, a, 0),
            path: article.path,
            title: article.title,
            meta: article.meta,
            title_key,
            related_keys,
            tokens,
            opening,
            body: match article.full_text {
                Some(page) => Body::Text(page, Some(article.paragraphs.into())),
                None => Body::Text(article.paragraphs, None),
            },
        }));
    }
    let loose: Vec<Piece> = parsed
        .loose_headlines
        .iter()
        .enumerate()
        .map(|(l, line)| {
            let key = headline_key(line, &mut buf);
            let at = place(file, 0xffff, l);
            spellings.offer(offered, key, at, line);
            Piece::Loose(key, at)
        })
        .collect();
    articles
        .into_iter()
        .chain(loose)
        .chain(parsed.diagnostics.into_iter().map(Piece::Problem))
}
