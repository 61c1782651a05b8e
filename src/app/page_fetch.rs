//! `F`: the open story's web page as its text. The fetching runs elsewhere
//! (the loop hands the request to the edge, which fetches, extracts and
//! keeps the text in the story's file on a thread of its own); the app
//! turns between the two texts, says what is going on and takes in what
//! comes back, whether or not the story is still open.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError};

use compact_str::CompactString;

use super::{App, Effect, TextKind};
use crate::model::Library;

/// A story's page to fetch and keep.
#[derive(Debug, Clone, PartialEq)]
pub struct PageRequest {
    pub story: CompactString,
    pub url: String,
    pub title: String,
    /// The story's file, where the text is kept.
    pub file: Option<PathBuf>,
}

/// How a fetch ended: the page's text, with whether it was kept (and the
/// library opened again with it, so that search finds it), or why not.
pub struct PageNews {
    pub outcome: Result<(Vec<String>, Result<Library, String>), String>,
}

/// A fetch under way.
pub struct PageWork {
    pub story: CompactString,
    pub title: String,
    pub news: Receiver<PageNews>,
}

impl App {
    /// Turns the open story to its other text: the feed's when the page's
    /// is shown; else the page's, fetched again (the copy kept before is
    /// shown at once, if there is one).
    pub(super) fn full_text(&mut self) {
        let Some(open) = self.open else { return };
        if self.page.kind == TextKind::Page {
            self.turn_text();
            self.message = Some("the feed's text; F fetches the page again".into());
            return;
        }
        let story = &self.library.stories[open];
        let Some(url) = story.meta().url.clone() else {
            self.message = Some("this story has no web address to fetch".into());
            return;
        };
        if let Some(work) = &self.work.page {
            self.message = Some(format!("already fetching the page of “{}”", work.title));
            return;
        }
        let request = PageRequest {
            story: story.id.clone(),
            url,
            title: story.title.to_string(),
            file: self.library.file_of(open),
        };
        self.effects.push(Effect::FetchPage(request));
        self.turn_text();
    }

    /// Shows the other of the open story's two texts, if it has two.
    fn turn_text(&mut self) {
        if let Some(other) = self.page.other.take() {
            self.page.other = Some(std::mem::take(&mut self.page.text));
            self.page.kind = match self.page.kind {
                TextKind::Own => TextKind::Page,
                TextKind::Page => TextKind::Own,
            };
            self.lay_out_text(other);
        }
    }

    /// Whether the story with this id is the open one.
    fn is_open(&self, story: &str) -> bool {
        self.open
            .is_some_and(|open| self.library.stories[open].id == story)
    }

    /// The fetch the loop started for [`Effect::FetchPage`], or why none.
    pub fn page_with(&mut self, request: &PageRequest, work: Result<Receiver<PageNews>, String>) {
        match work {
            Ok(news) => {
                self.work.page = Some(PageWork {
                    story: request.story.clone(),
                    title: request.title.clone(),
                    news,
                })
            }
            Err(why) => self.message = Some(format!("page not fetched: {why}")),
        }
    }

    /// The title of the story whose page is being fetched.
    pub fn page_progress(&self) -> Option<&str> {
        self.work.page.as_ref().map(|w| w.title.as_str())
    }

    /// Takes a fetch's news; true if the screen changed.
    pub fn poll_page(&mut self) -> bool {
        let Some(work) = &self.work.page else {
            return false;
        };
        let news = match work.news.try_recv() {
            Ok(news) => news,
            Err(TryRecvError::Empty) => return false,
            Err(TryRecvError::Disconnected) => PageNews {
                outcome: Err("the fetch stopped".into()),
            },
        };
        let Some(work) = self.work.page.take() else {
            return false;
        };
        let (text, kept) = match news.outcome {
            Ok(fetched) => fetched,
            Err(why) => {
                self.message = Some(match (self.is_open(&work.story), self.page.kind) {
                    (true, TextKind::Page) => {
                        format!("page not fetched again: {why}; this is the text kept before")
                    }
                    _ => format!("page not fetched: {why}"),
                });
                return true;
            }
        };
        let words = crate::text::grouped(crate::text::script::ReadingLength::of(&text).words);
        let kept = kept.map(|library| self.replace_library(library));
        let still_open = self.is_open(&work.story);
        if still_open {
            if self.page.kind == TextKind::Own {
                self.page.other = Some(std::mem::take(&mut self.page.text));
                self.page.kind = TextKind::Page;
            }
            self.lay_out_text(text);
        }
        self.message = Some(match (kept, still_open) {
            (Ok(()), true) => format!("the page's text, {words} words, kept; F: the feed's text"),
            (Ok(()), false) => format!("the page's text of “{}” kept", work.title),
            (Err(why), _) => format!("the page's text, not kept: {why}"),
        });
        true
    }
}
