//! The in-memory model (SPEC section 2): stories in index order, the pool
//! of distinct headlines, and the links between them.

mod assemble;
mod prepare;
mod story;
pub mod titles;

use std::borrow::Cow;
use std::path::PathBuf;

use compact_str::CompactString;
use toml::value::{Datetime, Offset};
use xxhash_rust::xxh3::Xxh3;

use crate::load::{self, Article, Diagnostic, Loaded, Parsed, Progress};
pub use prepare::{
    Body, Offered, Piece, Place, Prepared, Spellings, Stored, length, place, prepare,
};

pub use story::{
    FileText, Headline, HeadlineIndex, MAX_SENTENCE_TITLE_CHARS, Story, StoryIndex, Text,
    TitleSource, first_sentence_title, truncate_at_word,
};

#[derive(Debug, Default)]
pub struct Library {
    /// In index order: dated stories newest first, then undated by path.
    pub stories: Vec<Story>,
    pub headlines: Vec<Headline>,
    /// Everything the load had to say, in load order.
    pub diagnostics: Vec<Diagnostic>,
    /// Where each story's text is, by story.
    texts: Vec<Text>,
    errors: usize,
    /// The index it was opened through, if any.
    index: Option<PathBuf>,
}

impl Library {
    /// Loads files and folders and builds the model, every story's text in
    /// memory. Files are read and parsed in parallel, and each is made
    /// ready for the model on the thread that read it.
    pub fn load(paths: &[PathBuf]) -> Library {
        Library::load_reporting(paths, &Progress::default())
    }

    /// [`Library::load`], saying how far it got in `progress`.
    pub fn load_reporting(paths: &[PathBuf], progress: &Progress) -> Library {
        Library::load_walked(load::walk(paths), progress)
    }

    /// Loads the files a walk found (and keeps the problems it met).
    pub fn load_walked(
        files: Vec<Result<load::FileToLoad, Diagnostic>>,
        progress: &Progress,
    ) -> Library {
        let spellings = Spellings::default();
        let pieces: Vec<Piece> = load::load_each(
            files,
            progress,
            Offered::default,
            |offered, file, parsed| prepare(file, parsed, &spellings, offered).collect::<Vec<_>>(),
        );
        progress.start_building();
        Library::assemble(pieces, spellings, &[])
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
        Library::assemble(pieces, spellings, &[])
    }

    /// A library put back together from its parts (as the index stored
    /// it).
    pub fn from_parts(
        stories: Vec<Story>,
        headlines: Vec<Headline>,
        diagnostics: Vec<Diagnostic>,
        texts: Vec<Text>,
    ) -> Library {
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        Library {
            stories,
            headlines,
            diagnostics,
            texts,
            errors,
            index: None,
        }
    }

    /// Notes the index the library was opened through.
    pub fn with_index(mut self, path: &std::path::Path) -> Library {
        self.index = Some(path.to_owned());
        self
    }

    /// The index the library was opened through, if any.
    pub fn index(&self) -> Option<&std::path::Path> {
        self.index.as_deref()
    }

    /// Whether any story's text is in memory (then full-text search reads
    /// it there).
    pub fn has_text_in_memory(&self) -> bool {
        self.texts.iter().any(|t| matches!(t, Text::Memory(_)))
    }

    /// A story's paragraphs: from memory, or read from its file. A file
    /// that changed since it was indexed gives its new text.
    pub fn text(&self, story: StoryIndex) -> Result<Cow<'_, [String]>, String> {
        match self.texts.get(story) {
            Some(Text::Memory(paragraphs)) => Ok(Cow::Borrowed(paragraphs)),
            Some(Text::File(file)) => {
                load::read_paragraphs(&file.path, file.article as usize).map(Cow::Owned)
            }
            None => Err("no such story".into()),
        }
    }

    /// Where a story's text is.
    pub fn text_source(&self, story: StoryIndex) -> Option<&Text> {
        self.texts.get(story)
    }

    /// What full-text search reads of a story: the title it states, if any,
    /// and its paragraphs (none if its file cannot be read).
    pub fn searchable(&self, story: StoryIndex) -> (Option<&str>, Cow<'_, [String]>) {
        let paragraphs = self.text(story).unwrap_or(Cow::Borrowed(&[]));
        (self.stories[story].stated_title(), paragraphs)
    }

    /// The story with this id, if it is loaded.
    pub fn story_by_id(&self, id: &str) -> Option<StoryIndex> {
        self.stories.iter().position(|s| s.id == id)
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

/// Puts stories in index order (dated newest first, then undated by
/// path), each with its text.
fn in_index_order(stories: &mut [(Story, Text)]) {
    stories.sort_by(|(a, _), (b, _)| {
        let (da, db) = (
            a.meta().date.as_ref().and_then(timestamp),
            b.meta().date.as_ref().and_then(timestamp),
        );
        db.cmp(&da)
            .then_with(|| (da.is_none()).cmp(&db.is_none()))
            .then_with(|| a.path.cmp(&b.path))
            .then_with(|| a.id.cmp(&b.id))
    });
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
