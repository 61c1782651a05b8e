//! A story and the facts derived from it.

use compact_str::CompactString;
use serde::{Deserialize, Serialize};
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
    pub title: std::sync::Arc<str>,
    pub title_source: TitleSource,
    /// Related headlines in file order, without duplicates or the story's
    /// own (see [`Story::related`]; 32 bits each, as a hundred thousand
    /// stories name some fifteen each).
    pub(crate) related: Box<[u32]>,
    /// Display path of the file it came from.
    pub path: String,
    pub meta: Option<Box<Meta>>,
    /// The headline this story is the title of, if it is one (see
    /// [`Story::headline`]).
    pub(crate) headline: Option<u32>,
    /// Its length in search tokens, stated title and body, for ranking.
    pub tokens: u32,
}

impl Story {
    /// Its related headlines, in file order.
    pub fn related(&self) -> impl ExactSizeIterator<Item = HeadlineIndex> + '_ {
        self.related.iter().map(|&h| h as HeadlineIndex)
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
#[derive(Debug, Clone, PartialEq, Eq, Default)]
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
    /// Shared with the story it titles.
    pub text: std::sync::Arc<str>,
    pub story: Option<StoryIndex>,
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
