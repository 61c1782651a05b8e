//! A story and the facts derived from it.

use arcstr::{ArcStr, Substr};
use compact_str::CompactString;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use unicode_segmentation::UnicodeSegmentation;

use crate::load::Meta;

/// Index into [`super::Library::stories`], which is in index order.
pub type StoryIndex = usize;
/// Index into [`super::Library::headlines`].
pub type HeadlineIndex = usize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TitleSource {
    /// The file states it (`title` in TOML).
    Explicit,
    /// Inferred: a headline from the pool that matches the body.
    Headline,
    /// Nothing matched well enough: the body's first sentence.
    #[default]
    FirstSentence,
}

/// (`Default`: an empty story, a place for one being decoded.)
#[derive(Debug, Clone, Default)]
pub struct Story {
    /// Sixteen hex digits unless the file names its own: kept inline.
    pub id: CompactString,
    /// Shared with its headline's text where it is one.
    pub title: Substr,
    pub title_source: TitleSource,
    /// Related headlines in file order, without duplicates or the story's
    /// own (see [`Story::related`]; 32 bits each, as a hundred thousand
    /// stories name some fifteen each).
    pub(crate) related: Related,
    /// Display path of the file it came from (like titles, a slice of a
    /// buffer shared by many stories: see [`packed`]).
    pub path: Substr,
    pub meta: Option<Box<Meta>>,
    /// The headline this story is the title of, if it is one (see
    /// [`Story::headline`]).
    pub(crate) headline: Option<u32>,
    /// Its length in search tokens, stated title and body, for ranking.
    pub tokens: u32,
    /// The cluster of its event (alone, or with other sources' stories:
    /// see [`super::Library::cluster`]).
    pub cluster: super::clusters::ClusterId,
    /// Its related headlines were found ([`super::similar`]), not given
    /// by its file: its event's other stories may come first.
    pub related_found: bool,
}

impl Story {
    /// Its related headlines, in file order.
    pub fn related(&self) -> impl ExactSizeIterator<Item = HeadlineIndex> + '_ {
        self.related.as_slice().iter().map(|&h| h as HeadlineIndex)
    }

    /// The headline this story is the title of, if it is one.
    pub fn headline(&self) -> Option<HeadlineIndex> {
        self.headline.map(|h| h as HeadlineIndex)
    }

    /// The facts its file states, if any.
    pub fn meta(&self) -> &Meta {
        static NONE: Meta = Meta::NONE;
        self.meta.as_deref().unwrap_or(&NONE)
    }

    /// The title it states itself (TOML `title`), which search reads with
    /// the body.
    pub fn stated_title(&self) -> Option<&str> {
        (self.title_source == TitleSource::Explicit).then_some(&*self.title)
    }
}

/// A story's related headlines: a slice of one list shared by the stories
/// made or decoded with it (see [`packed_lists`]).
#[derive(Debug, Clone, Default)]
pub(crate) struct Related {
    list: Option<Arc<Vec<u32>>>,
    start: u32,
    len: u32,
}

impl Related {
    pub(crate) fn as_slice(&self) -> &[u32] {
        let (start, len) = (self.start as usize, self.len as usize);
        self.list
            .as_ref()
            .and_then(|list| list.get(start..start + len))
            .unwrap_or_default()
    }
}

/// Where a story's text is. Only the open story's text needs to be in
/// memory when the library has an index: the rest stays in the files.
#[derive(Debug, Clone)]
pub enum Text {
    /// Kept in memory: loaded without an index, or bundled. What is
    /// shown, and the story's own text when that is its page's.
    Memory(Vec<String>, Option<Box<[String]>>),
    /// Read from its file when it is shown; searched through the index.
    File(FileText),
}

/// A place in a story's text that survives re-wrapping: paragraph and byte
/// offset. The reading position is kept as one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Anchor {
    pub paragraph: u32,
    pub offset: u32,
}

/// A story in a file, as the index knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileText {
    /// The file as opened, if its story's path shows it otherwise
    /// (sanitized): most files are the path shown, and a million stories
    /// then hold their paths once.
    pub path: Option<std::path::PathBuf>,
    /// Which of the file's stories it is.
    pub article: u32,
    /// Its row in the index's full-text table.
    pub row: i64,
}

impl FileText {
    /// The file of a story whose path shows as `shown`.
    pub fn path<'a>(&'a self, shown: &'a str) -> &'a std::path::Path {
        self.path
            .as_deref()
            .unwrap_or_else(|| std::path::Path::new(shown))
    }

    /// What [`FileText::path`] keeps of a file `path` that shows as `shown`.
    pub fn own_path(shown: &str, path: &std::path::Path) -> Option<std::path::PathBuf> {
        (path.as_os_str().as_encoded_bytes() != shown.as_bytes()).then(|| path.to_owned())
    }
}

/// A distinct headline of the pool, as first seen, and the story it opens.
#[derive(Debug, Clone)]
pub struct Headline {
    /// Shared with the story it titles; a stored library's headlines
    /// are slices of a few large buffers, which search reads in order.
    pub text: Substr,
    /// See [`Headline::story`] (32 bits, as for related headlines).
    pub(crate) story: Option<u32>,
}

impl Headline {
    /// The story it opens, if any.
    pub fn story(&self) -> Option<StoryIndex> {
        self.story.map(|s| s as StoryIndex)
    }
}

/// Texts as slices of a few shared buffers of up to [`PACKED`] bytes
/// each: a million headlines or paths are then a few hundred allocations
/// instead of a million (each with its count and the allocator's own
/// overhead), and search reads headlines front to back.
pub fn packed(texts: &[&str]) -> Vec<Substr> {
    let mut slices = Vec::with_capacity(texts.len());
    for group in groups(texts, |text| text.len()) {
        let buffer = ArcStr::from(group.concat());
        let mut at = 0;
        slices.extend(group.iter().map(|text| {
            at += text.len();
            buffer.substr(at - text.len()..at)
        }));
    }
    slices
}

/// Lists as slices of a few shared lists (as [`packed`] does for texts).
pub(crate) fn packed_lists(lists: &[&[u32]]) -> Vec<Related> {
    let mut slices = Vec::with_capacity(lists.len());
    for group in groups(lists, |list| list.len()) {
        let shared = Arc::new(group.concat());
        let mut at = 0;
        slices.extend(group.iter().map(|list| {
            at += list.len() as u32;
            Related {
                list: Some(Arc::clone(&shared)),
                start: at - list.len() as u32,
                len: list.len() as u32,
            }
        }));
    }
    slices
}

/// `items` cut into runs of at most [`PACKED`] in `size` (or one item,
/// if that alone is more): offsets within a run fit in 32 bits.
fn groups<T>(items: &[T], size: impl Fn(&T) -> usize) -> impl Iterator<Item = &[T]> {
    let mut rest = items;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut total = 0;
        let fit = rest
            .iter()
            .take_while(|item| {
                total += size(item);
                total <= PACKED
            })
            .count();
        let (group, tail) = rest.split_at(fit.max(1));
        rest = tail;
        Some(group)
    })
}

const PACKED: usize = 1 << 20;

/// Headlines' texts moved into shared buffers (see [`packed`]).
pub fn pack_texts(headlines: &mut [Headline]) {
    let texts: Vec<&str> = headlines.iter().map(|h| &*h.text).collect();
    let texts = packed(&texts);
    for (headline, text) in headlines.iter_mut().zip(texts) {
        headline.text = text;
    }
}

/// Titles made from the body are cut to this many characters.
pub const MAX_SENTENCE_TITLE_CHARS: usize = 120;

/// Abbreviations after which a period does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr.", "mrs.", "ms.", "dr.", "st.", "jr.", "sr.", "prof.", "gen.", "gov.", "sen.", "rep.",
    "lt.", "col.", "capt.", "sgt.", "no.", "vs.", "e.g.", "i.e.", "inc.", "co.", "corp.",
];

/// The first sentence of the text, cut at a word boundary to at most
/// [`MAX_SENTENCE_TITLE_CHARS`] characters, ellipsis included.
pub fn first_sentence_title(text: &str) -> String {
    let mut end = 0;
    for (start, sentence) in text.split_sentence_bound_indices() {
        end = start + sentence.len();
        let last_word = sentence
            .split_whitespace()
            .last()
            .unwrap_or("")
            .to_lowercase();
        let is_initial = last_word.len() == 2
            && last_word.ends_with('.')
            && last_word.starts_with(char::is_alphabetic);
        if !(ABBREVIATIONS.contains(&last_word.as_str()) || is_initial) {
            break;
        }
    }
    truncate_at_word(text[..end].trim(), MAX_SENTENCE_TITLE_CHARS)
}

/// Cuts `text` to at most `max` characters including a trailing ellipsis,
/// at the last space that fits; a single overlong word is cut between
/// graphemes.
pub fn truncate_at_word(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let limit = text
        .char_indices()
        .nth(max - 1)
        .map_or(text.len(), |(i, _)| i);
    let head = &text[..limit];
    let ends_at_word = text[limit..].starts_with(char::is_whitespace);
    let boundary = if ends_at_word {
        Some(limit)
    } else {
        head.rfind(char::is_whitespace)
    };
    let cut = match boundary {
        Some(space) if space > 0 => head[..space]
            .trim_end_matches(|c: char| c.is_whitespace() || c == ',' || c == ';' || c == ':'),
        _ => {
            let mut end = 0;
            for (i, g) in head.grapheme_indices(true) {
                if i + g.len() <= limit {
                    end = i + g.len();
                }
            }
            &head[..end]
        }
    };
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_texts_and_lists_read_back_as_given_across_buffers() {
        let (near_full, overlong) = ("x".repeat(PACKED - 3), "y".repeat(PACKED + 1));
        let texts = ["a", "", &near_full, "bcd", "é", &overlong, "z"];
        let slices = packed(&texts);
        assert_eq!(slices.iter().map(Substr::as_str).collect::<Vec<_>>(), texts);
        let buffer = |i: usize| slices[i].parent().as_ptr();
        assert_eq!(buffer(0), buffer(2), "short texts share a buffer");
        assert_ne!(buffer(2), buffer(3), "a buffer holds at most PACKED bytes");
        assert_ne!(buffer(4), buffer(5), "a text longer than that has its own");

        let long: Vec<u32> = (0..PACKED as u32 + 5).collect();
        let lists: [&[u32]; 4] = [&[3, 1], &[], &long, &[7]];
        let slices = packed_lists(&lists);
        assert_eq!(
            slices.iter().map(Related::as_slice).collect::<Vec<_>>(),
            lists
        );
    }

    #[test]
    fn first_sentence_skips_abbreviations_and_initials() {
        assert_eq!(
            first_sentence_title("Mr. Smith met U.S. envoys. Then left."),
            "Mr. Smith met U.S. envoys."
        );
        assert_eq!(
            first_sentence_title("John F. Kennedy spoke. More."),
            "John F. Kennedy spoke."
        );
        assert_eq!(first_sentence_title("No period at all"), "No period at all");
    }

    #[test]
    fn long_sentences_are_cut_at_a_word_with_an_ellipsis() {
        let sentence = format!("{} end.", "word ".repeat(40));
        let title = first_sentence_title(&sentence);
        assert_eq!(title.chars().count(), 120);
        assert!(title.ends_with("word…"));
        let unbroken = "x".repeat(300);
        assert_eq!(first_sentence_title(&unbroken).chars().count(), 120);
    }
}
