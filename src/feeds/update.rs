//! `tidings update`: every feed fetched, parsed and stored, several at
//! once but never more than two from one host, one feed's failure never
//! stopping the others. Then, for feeds with `full_text`, each new story's
//! web page, within the same limits.

use std::collections::{HashMap, VecDeque};
use std::path::Path;
use std::sync::{Condvar, Mutex, PoisonError};

use super::fetch::{self, Fetched};
use super::folder::{self, Bookkeeping, FolderChanges, NewPage, Starred};
use super::{Subscription, folder_name};
use crate::config::FeedSettings;

/// Connections to one host at once.
const PER_HOST: usize = 2;

/// How one feed's update ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Stored {
        stored: FolderChanges,
        /// Items with neither title nor text.
        skipped: usize,
        /// Why each page that was not fetched was not (`full_text` feeds).
        pages_failed: Vec<String>,
    },
    NotModified,
    Failed(String),
}

impl Outcome {
    /// Whether the feed's folder changed: stories added or rewritten.
    pub fn changed_stories(&self) -> bool {
        matches!(self, Outcome::Stored { stored, .. } if stored.new + stored.updated > 0)
    }
}

/// Updates `feeds` into their folders under `data`; `done` hears of each
/// feed as it ends, with how it ended (on the thread that did it).
/// Outcomes come back in the order of `feeds`. Stories in `starred` are
/// kept past `max_items`.
pub fn update(
    feeds: &[Subscription],
    data: &Path,
    settings: &FeedSettings,
    starred: &Starred,
    done: impl Fn(&Subscription, &Outcome) + Sync,
) -> Vec<Outcome> {
    let agent = crate::web::agent(settings.timeout);
    let hosts: Vec<&str> = feeds.iter().map(|f| f.url.as_str()).collect();
    let mut outcomes: Vec<Outcome> = in_parallel(
        &hosts,
        settings.jobs,
        |i| {
            let outcome = update_one(&feeds[i], data, &agent, settings, starred);
            if !feeds[i].full_text {
                done(&feeds[i], &outcome);
            }
            outcome
        },
        || Outcome::Failed("not fetched".into()),
    );
    fetch_pages(feeds, &mut outcomes, &agent, settings);
    for (feed, outcome) in feeds.iter().zip(&outcomes) {
        if feed.full_text {
            done(feed, outcome);
        }
    }
    // One wait for the disk, for every feed's files (see folder::store).
    let _ = crate::atomic_file::sync_folder(data);
    outcomes
}

/// Fetches the page of each new story of the `full_text` feeds and keeps
/// its article in the story's file; a page that fails is said in its
/// feed's outcome.
fn fetch_pages(
    feeds: &[Subscription],
    outcomes: &mut [Outcome],
    agent: &ureq::Agent,
    settings: &FeedSettings,
) {
    let pages: Vec<(usize, NewPage)> = outcomes
        .iter_mut()
        .enumerate()
        .filter(|(i, _)| feeds[*i].full_text)
        .filter_map(|(i, outcome)| match outcome {
            Outcome::Stored { stored, .. } => Some((i, std::mem::take(&mut stored.pages))),
            _ => None,
        })
        .flat_map(|(i, pages)| pages.into_iter().map(move |page| (i, page)))
        .collect();
    let addresses: Vec<&str> = pages.iter().map(|(_, page)| page.url.as_str()).collect();
    let keep = |p: usize| {
        let page = &pages[p].1;
        let text = crate::extract::fetch(agent, &page.url, Some(&page.title), settings)?;
        crate::extract::kept::write_unsynced(&page.file, &text)
            .map_err(|e| format!("cannot save: {}", crate::io_error::in_words(&e)))
    };
    let kept = in_parallel(
        &addresses,
        settings.jobs,
        keep,
        || Err("not fetched".into()),
    );
    for ((i, _), result) in pages.iter().zip(kept) {
        if let (Outcome::Stored { pages_failed, .. }, Err(why)) = (&mut outcomes[*i], result) {
            pages_failed.push(why);
        }
    }
}

/// `work(i)` for every i of `addresses`, on up to `jobs` threads, never
/// more than [`PER_HOST`] at once for one host; the results in order
/// (`lost` for one whose thread died).
pub(super) fn in_parallel<T: Send>(
    addresses: &[&str],
    jobs: usize,
    work: impl Fn(usize) -> T + Sync,
    lost: impl Fn() -> T,
) -> Vec<T> {
    let queue = Queue::new(addresses);
    let results: Mutex<Vec<Option<T>>> = Mutex::new(
        std::iter::repeat_with(|| None)
            .take(addresses.len())
            .collect(),
    );
    std::thread::scope(|scope| {
        for _ in 0..jobs.min(addresses.len()) {
            scope.spawn(|| {
                while let Some(i) = queue.take() {
                    let result = work(i);
                    queue.finish(i);
                    lock(&results)[i] = Some(result);
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner)
        .into_iter()
        .map(|r| r.unwrap_or_else(&lost))
        .collect()
}

fn update_one(
    feed: &Subscription,
    data: &Path,
    agent: &ureq::Agent,
    settings: &FeedSettings,
    starred: &Starred,
) -> Outcome {
    let folder = data.join(folder_name(&feed.url));
    let mut book = Bookkeeping::load(&folder);
    let outcome = fetch_and_store(feed, &folder, agent, settings, starred, &mut book);
    book.last_update = crate::dates::toml_datetime(crate::dates::now_millis() / 1000);
    book.last_error = match &outcome {
        Outcome::Failed(why) => Some(why.clone()),
        _ => None,
    };
    if let Err(e) = std::fs::create_dir_all(&folder).and_then(|()| book.save(&folder)) {
        return Outcome::Failed(format!("cannot save: {}", crate::io_error::in_words(&e)));
    }
    outcome
}

fn fetch_and_store(
    feed: &Subscription,
    folder: &Path,
    agent: &ureq::Agent,
    settings: &FeedSettings,
    starred: &Starred,
    book: &mut Bookkeeping,
) -> Outcome {
    let fetched = fetch::fetch(agent, &feed.url, book, settings.max_bytes, settings.timeout);
    let (bytes, content_type, etag, last_modified) = match fetched {
        Ok(Fetched::NotModified) => return Outcome::NotModified,
        Ok(Fetched::Body {
            bytes,
            content_type,
            etag,
            last_modified,
            ..
        }) => (bytes, content_type, etag, last_modified),
        Err(why) => return Outcome::Failed(why),
    };
    let parsed = match super::parse::parse(&bytes, content_type.as_deref(), &feed.url) {
        Ok(parsed) => parsed,
        Err(why) => return Outcome::Failed(why),
    };
    let source = feed.title.as_deref().or(parsed.title.as_deref());
    let place = folder::Feed {
        url: &feed.url,
        source,
        tags: &feed.tags,
        max_items: feed.max_items.unwrap_or(settings.max_items),
        starred,
    };
    match folder::store(folder, &place, &parsed.items, book) {
        Ok(stored) => {
            book.repaired = parsed.repaired;
            book.title.clone_from(&parsed.title);
            // Only a feed stored whole may be asked "anything new since?".
            (book.etag, book.last_modified) = (etag, last_modified);
            Outcome::Stored {
                stored,
                skipped: parsed.skipped,
                pages_failed: Vec::new(),
            }
        }
        Err(e) => Outcome::Failed(format!("cannot save: {}", crate::io_error::in_words(&e))),
    }
}

/// The feeds not yet started, and how many connections each host has.
struct Queue {
    state: Mutex<(VecDeque<usize>, HashMap<String, usize>)>,
    freed: Condvar,
    hosts: Vec<String>,
}

impl Queue {
    fn new(addresses: &[&str]) -> Queue {
        let hosts = addresses
            .iter()
            .map(|url| {
                url::Url::parse(url)
                    .ok()
                    .and_then(|u| u.host_str().map(str::to_owned))
                    .unwrap_or_default()
            })
            .collect();
        Queue {
            state: Mutex::new(((0..addresses.len()).collect(), HashMap::new())),
            freed: Condvar::new(),
            hosts,
        }
    }

    /// The next feed whose host has a connection free, waiting for one if
    /// need be; None when every feed has been taken.
    fn take(&self) -> Option<usize> {
        let mut state = lock(&self.state);
        loop {
            let (waiting, busy) = &mut *state;
            if waiting.is_empty() {
                return None;
            }
            let free = |i: &usize| busy.get(&self.hosts[*i]).copied().unwrap_or(0) < PER_HOST;
            if let Some(at) = waiting.iter().position(free) {
                let i = waiting.remove(at)?;
                *busy.entry(self.hosts[i].clone()).or_default() += 1;
                return Some(i);
            }
            state = self
                .freed
                .wait(state)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }

    fn finish(&self, i: usize) {
        if let Some(count) = lock(&self.state).1.get_mut(&self.hosts[i]) {
            *count -= 1;
        }
        self.freed.notify_all();
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
