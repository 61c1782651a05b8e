//! The in-memory model (README, "Headlines, links and ids"): stories in index
//! order, the pool of distinct headlines, and the links between them.

mod assemble;
pub mod clusters;
mod events;
mod growing;
mod growth;
mod pairing;
mod prepare;
mod similar;
mod story;
mod texts;
pub mod titles;

use std::borrow::Cow;
use std::path::PathBuf;

use compact_str::CompactString;
use xxhash_rust::xxh3::Xxh3;

use crate::load::{self, Article, Diagnostic, Loaded, Parsed, Progress};
pub use growth::{Growth, StoredStory};
pub use prepare::{
    Body, Offered, Piece, Place, Prepared, Spellings, Stored, length, place, prepare,
};

pub use story::{
    Anchor, FileText, Headline, HeadlineIndex, MAX_SENTENCE_TITLE_CHARS, Story, StoryIndex, Text,
    TitleSource, first_sentence_title, pack_texts, packed, truncate_at_word,
};
pub(crate) use story::{Related, packed_lists};
pub use texts::Texts;

#[derive(Debug, Default)]
pub struct Library {
    /// In index order: dated stories newest first, then undated by path.
    pub stories: Vec<Story>,
    pub headlines: Vec<Headline>,
    /// Everything the load had to say, in load order.
    pub diagnostics: Vec<Diagnostic>,
    /// Where each story's text is, by story.
    texts: Texts,
    /// The clusters of more than one story.
    events: events::Events,
    errors: usize,
    /// The index it was opened through, if any.
    index: Option<PathBuf>,
}

impl Library {
    /// Loads files and folders and builds the model, every story's text in
    /// memory. Files are read and parsed in parallel, and each is made
    /// ready for the model on the thread that read it.
    pub fn load(paths: &[PathBuf]) -> Library {
        Library::load_walked(load::walk(paths), &Progress::default())
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
        texts: Texts,
    ) -> Library {
        let errors = diagnostics.iter().filter(|d| d.is_error()).count();
        Library {
            events: events::Events::of(&stories),
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
        self.texts.any_in_memory()
    }

    /// A story's paragraphs: from memory, or read from its file. A file
    /// that changed since it was indexed gives its new text.
    pub fn text(&self, story: StoryIndex) -> Result<Cow<'_, [String]>, load::FileError> {
        match self.texts.get(story) {
            Some(Cow::Borrowed(Text::Memory(paragraphs, _))) => Ok(Cow::Borrowed(paragraphs)),
            Some(text) => match &*text {
                Text::Memory(paragraphs, _) => Ok(Cow::Owned(paragraphs.clone())),
                Text::File(file) => {
                    let path = file.path(&self.stories[story].path);
                    load::read_paragraphs(path, file.article as usize).map(Cow::Owned)
                }
            },
            None => Err(load::FileError::StoryGone(None)),
        }
    }

    /// What [`Library::text`] gives, and the story's own text when that
    /// is its web page's: what the reader shows, and what `F` turns to.
    pub fn texts(&self, story: StoryIndex) -> Result<StoryTexts, load::FileError> {
        match self.texts.get(story).as_deref() {
            Some(Text::Memory(shown, own)) => Ok(StoryTexts {
                shown: shown.clone(),
                own: own.as_ref().map(|own| own.to_vec()),
            }),
            Some(Text::File(file)) => {
                let path = file.path(&self.stories[story].path);
                load::read_article(path, file.article as usize).map(|article| {
                    match article.full_text {
                        Some(page) => StoryTexts {
                            shown: page,
                            own: Some(article.paragraphs),
                        },
                        None => StoryTexts {
                            shown: article.paragraphs,
                            own: None,
                        },
                    }
                })
            }
            None => Err(load::FileError::StoryGone(None)),
        }
    }

    /// The file a story is kept in, if it is in one.
    pub fn file_of(&self, story: StoryIndex) -> Option<std::path::PathBuf> {
        match &*self.texts.get(story)? {
            Text::File(file) => Some(file.path(&self.stories[story].path).to_owned()),
            Text::Memory(..) => Some(self.stories[story].path.as_str().into()),
        }
    }

    /// Where a story's text is.
    pub fn text_source(&self, story: StoryIndex) -> Option<Cow<'_, Text>> {
        self.texts.get(story)
    }

    /// What full-text search reads of a story: the title it states, if any,
    /// and its paragraphs (none if its file cannot be read).
    pub fn searchable(&self, story: StoryIndex) -> (Option<&str>, Cow<'_, [String]>) {
        let paragraphs = self.text(story).unwrap_or(Cow::Borrowed(&[]));
        (self.stories[story].stated_title(), paragraphs)
    }

    /// Files that could not be loaded (counted once: the status line asks
    /// every frame).
    pub fn error_count(&self) -> usize {
        self.errors
    }

    /// Adds problems found beside the files (feeds that failed), for the
    /// problems view and its counts.
    pub fn add_problems(&mut self, problems: Vec<Diagnostic>) {
        self.errors += problems.iter().filter(|d| d.is_error()).count();
        self.diagnostics.extend(problems);
    }

    pub fn warning_count(&self) -> usize {
        self.diagnostics.len() - self.error_count()
    }
}

/// A story's texts as the reader wants them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoryTexts {
    /// The page's text if it was fetched, else its own.
    pub shown: Vec<String>,
    /// Its own text (its feed's), when `shown` is the page's.
    pub own: Option<Vec<String>>,
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

/// Index order: dated stories newest first, then undated ones by path
/// (and id, so that no two stories tie).
fn index_order(a: &Story, b: &Story) -> std::cmp::Ordering {
    let (da, db) = (
        a.meta().date.as_ref().and_then(crate::dates::timestamp),
        b.meta().date.as_ref().and_then(crate::dates::timestamp),
    );
    db.cmp(&da)
        .then_with(|| (da.is_none()).cmp(&db.is_none()))
        .then_with(|| a.path.cmp(&b.path))
        .then_with(|| a.id.cmp(&b.id))
}
