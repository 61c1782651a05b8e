//! Updating the feeds from the reader (`r`): the fetching runs elsewhere
//! (the command line layer starts it, see `cli`); the app shows how far
//! it got and takes in the library it gives back, keeping the reader's
//! place.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError};

use super::App;
use crate::config::UpdateSchedule;
use crate::load::Diagnostic;
use crate::model::Library;

/// An update of the feeds under way.
pub struct FeedsWork {
    /// Feeds done, of `total`.
    pub done: Arc<AtomicUsize>,
    pub total: usize,
    pub news: Receiver<FeedsNews>,
}

/// What an update of the feeds sends the reader.
pub enum FeedsNews {
    /// Stories have arrived: the library with them, while other feeds are
    /// still being fetched.
    Arrived(Library),
    /// The library as it is after the update, the feeds that failed (a
    /// diagnostic each, for the `!` view) and how many stories are new; or
    /// why nothing was updated.
    Finished(Result<(Library, Vec<Diagnostic>, usize), String>),
}

impl App {
    pub(super) fn update_feeds(&mut self) {
        if self.work.feeds.is_some() {
            self.message = Some("already updating the feeds".into());
        } else {
            self.effects.push(super::Effect::UpdateFeeds);
        }
    }

    /// Starts an update when one is due (`update_every`); true if it did.
    pub fn update_if_due(&mut self, now: std::time::Instant) -> bool {
        if self.next_update.is_some_and(|due| due <= now) && self.work.feeds.is_none() {
            self.next_update = None;
            self.effects.push(super::Effect::UpdateFeeds);
            return true;
        }
        false
    }

    /// How long until the next automatic update, if one is planned.
    pub fn until_update(&self, now: std::time::Instant) -> Option<std::time::Duration> {
        self.next_update
            .map(|due| due.saturating_duration_since(now))
    }

    /// The automatic updates `[feeds]` asks for: one now, or the first
    /// after `update_every`.
    pub fn plan_updates(&mut self, schedule: UpdateSchedule) {
        self.update_every = schedule.every;
        if schedule.on_start {
            self.effects.push(super::Effect::UpdateFeeds);
        } else if let Some(every) = schedule.every {
            self.next_update = Some(std::time::Instant::now() + every);
        }
    }

    /// The update the loop started for [`super::Effect::UpdateFeeds`].
    pub fn feeds_with(&mut self, work: FeedsWork) {
        self.work.feeds = Some((work, 0));
    }

    /// Feeds done and in all, while an update runs (as last drawn).
    pub fn feeds_progress(&self) -> Option<(usize, usize)> {
        let (work, shown) = self.work.feeds.as_ref()?;
        Some((*shown, work.total))
    }

    /// Takes the update's news; true if the screen changed.
    pub fn poll_feeds(&mut self) -> bool {
        let Some((work, shown)) = &mut self.work.feeds else {
            return false;
        };
        let news = match work.news.try_recv() {
            Ok(news) => news,
            Err(TryRecvError::Empty) => {
                let done = work.done.load(Ordering::Relaxed);
                return std::mem::replace(shown, done) != done;
            }
            Err(TryRecvError::Disconnected) => {
                FeedsNews::Finished(Err("the update stopped".into()))
            }
        };
        let outcome = match news {
            FeedsNews::Arrived(library) => {
                self.replace_library(library);
                return true;
            }
            FeedsNews::Finished(outcome) => outcome,
        };
        self.work.feeds = None;
        self.last_update = Some(crate::dates::clock_now());
        self.next_update = self
            .update_every
            .map(|every| std::time::Instant::now() + every);
        match outcome {
            Ok((mut library, failed, new)) => {
                // Feeds that failed are errors; pages of full_text feeds
                // that were not fetched, warnings.
                let failures = failed.iter().filter(|d| d.is_error()).count();
                let pages = failed.len() - failures;
                library.add_problems(failed);
                self.replace_library(library);
                let stories = if new == 1 { "story" } else { "stories" };
                let mut message =
                    format!("feeds updated: {} new {stories}", crate::text::grouped(new));
                if failures > 0 {
                    let feeds = if failures == 1 { "feed" } else { "feeds" };
                    message.push_str(&format!("; {failures} {feeds} failed"));
                }
                if pages > 0 {
                    let were = if pages == 1 { "page was" } else { "pages were" };
                    message.push_str(&format!("; {pages} {were} not fetched"));
                }
                if failures + pages > 0 {
                    message.push_str(", ! lists them");
                }
                self.message = Some(message);
            }
            Err(why) => self.message = Some(format!("feeds not updated: {why}")),
        }
        true
    }
}
