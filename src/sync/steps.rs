//! The steps of one sync, and of a push of marks alone (see the sync
//! module's comment for their order).

use std::collections::{BTreeMap, HashMap};

use super::login::connect;
use super::remote::{Remote, RemoteArticle, with_kept};
use super::{Book, Change, Fault, Journal, Places, Seen};
use crate::config::{FeedSettings, SyncSettings};
use crate::feeds::folder::{self, Bookkeeping, Starred};
use crate::state::{ReadState, Store};
use crate::text::sanitize;

/// How a sync went.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub new: usize,
    pub sent: usize,
    pub taken: usize,
}

/// One sync or push at a time: a lock on `.sync.lock` in the synced
/// stories' folder, held until dropped.
fn lock(places: &Places) -> Result<std::fs::File, String> {
    let locked = std::fs::create_dir_all(&places.stories).and_then(|()| {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(places.stories.join(".sync.lock"))?;
        file.lock()?;
        Ok(file)
    });
    locked.map_err(|e| format!("sync: cannot lock: {}", crate::io_error::in_words(&e)))
}

/// The book and the journal, with the marks made here since the last
/// sync noted in the journal, both saved before anything is sent.
fn noted(places: &Places, state: &ReadState) -> Result<(Book, Journal), String> {
    let mut book = Book::load(&places.stories);
    let mut journal = Journal::load(&places.journal)?;
    note_local_changes(&mut book, state, &mut journal);
    journal.save(&places.journal)?;
    book.save(&places.stories).map_err(|e| {
        let folder = places.stories.display();
        format!(
            "sync: cannot save {folder}: {}",
            crate::io_error::in_words(&e)
        )
    })?;
    Ok((book, journal))
}

/// Sends the marks made here since the last sync, and nothing more: what
/// the reader does a moment after each change. Gives how many were sent.
pub fn push(
    settings: &SyncSettings,
    feeds: &FeedSettings,
    places: &Places,
) -> Result<usize, String> {
    let _lock = lock(places)?;
    let state = Store::peek(&places.state).map_err(|e| format!("sync: {e}"))?;
    let (_, mut journal) = noted(places, &state)?;
    if journal.changes.is_empty() {
        return Ok(0);
    }
    let server = connect(settings, feeds.timeout)?;
    let sent = journal.send(server.as_ref());
    journal.save(&places.journal)?;
    sent.map_err(|fault| fault.said(settings, journal.changes.len()))
}

/// A whole sync; the error is one line, with the changes kept for next
/// time.
pub fn sync(
    settings: &SyncSettings,
    feeds: &FeedSettings,
    places: &Places,
) -> Result<Report, String> {
    let _lock = lock(places)?;
    let mut store = Store::new(places.state.clone());
    let mut state = store.load().state;
    let (mut book, mut journal) = noted(places, &state)?;
    let server =
        connect(settings, feeds.timeout).map_err(|line| with_kept(line, journal.changes.len()))?;
    settle(server.as_ref(), &book, &mut journal)
        .map_err(|fault| fault.said(settings, journal.changes.len()))?;
    let sent = journal.send(server.as_ref());
    // What was sent leaves the journal even when the rest could not go.
    journal.save(&places.journal)?;
    let mut report = Report {
        sent: sent.map_err(|fault| fault.said(settings, journal.changes.len()))?,
        ..Report::default()
    };
    let starred: Starred = state
        .marks
        .iter()
        .filter(|(_, m)| m.starred)
        .map(|(id, _)| id.to_string())
        .collect();
    let kept = |fault: Fault| fault.said(settings, 0);
    report.new = pull_articles(
        server.as_ref(),
        feeds,
        places,
        &mut book,
        &mut state,
        &starred,
    )
    .map_err(kept)?;
    report.taken = pull_marks(server.as_ref(), &mut book, &mut state).map_err(kept)?;
    book.last_sync = Some(crate::dates::now_millis());
    book.save(&places.stories)
        .map_err(|e| format!("sync: cannot save: {}", crate::io_error::in_words(&e)))?;
    store
        .save(&mut state)
        .map_err(|e| format!("sync: marks not saved: {e}"))?;
    Ok(report)
}

/// Marks changed here since the last sync, into the journal, each as it
/// stands now; what the book says the server has follows them.
fn note_local_changes(book: &mut Book, state: &ReadState, journal: &mut Journal) {
    let since = book.last_sync.unwrap_or(i64::MAX);
    for (story, seen) in &mut book.articles {
        let Some(mark) = state.marks.get(story.as_str()) else {
            continue;
        };
        if mark.marked > since && mark.read != seen.read {
            journal.note(Change::read(story, seen.id, mark.read, mark.marked));
            seen.read = mark.read;
        }
        if mark.starred_at > since && mark.starred != seen.starred {
            journal.note(Change::starred(
                story,
                seen.id,
                mark.starred,
                mark.starred_at,
            ));
            seen.starred = mark.starred;
        }
    }
}

/// Where a mark was changed here and on the server since the last sync,
/// the later change wins. The APIs give no time for a change on the
/// server, so it counts as made when a sync first sees it: later than
/// any change waiting here, which leaves the journal (the server's value
/// is then taken, by `pull_marks`).
fn settle(server: &dyn Remote, book: &Book, journal: &mut Journal) -> Result<(), Fault> {
    if journal.changes.is_empty() {
        return Ok(());
    }
    let waiting: HashMap<&str, &Change> = journal
        .changes
        .iter()
        .filter(|c| c.mark == "read")
        .map(|c| (c.story.as_str(), c))
        .collect();
    // Each feed's unread count as the server had it at the last sync.
    let mut counts: HashMap<i64, usize> = HashMap::new();
    for (story, seen) in &book.articles {
        let read = waiting.get(story.as_str()).map_or(seen.read, |c| c.was);
        if !read {
            *counts.entry(seen.feed).or_default() += 1;
        }
    }
    let unread = server.unread(&counts)?;
    let starred = server.starred_ids()?;
    journal.changes.retain(|change| {
        let Some(seen) = book.articles.get(&change.story) else {
            return true;
        };
        let now = match change.mark.as_str() {
            "starred" => starred.contains(&seen.id),
            _ if unread.unchanged.contains(&seen.feed) => change.was,
            _ => !unread.ids.contains(&seen.id),
        };
        now == change.was
    });
    Ok(())
}

/// New articles as stories, in a folder per feed; the newest
/// `max_items` of each feed the first time. Gives how many were new.
fn pull_articles(
    server: &dyn Remote,
    settings: &FeedSettings,
    places: &Places,
    book: &mut Book,
    state: &mut ReadState,
    starred: &Starred,
) -> Result<usize, Fault> {
    let feeds = server.feeds()?;
    let now = crate::dates::now_millis();
    let mut new = 0;
    let since = book.max_id;
    let mut store_page = |articles: Vec<RemoteArticle>| -> Result<(), Fault> {
        for feed in &feeds {
            let of_feed: Vec<&RemoteArticle> =
                articles.iter().filter(|a| a.feed == feed.id).collect();
            if of_feed.is_empty() {
                continue;
            }
            // The feed's address and its id on the server name its stories.
            let key = format!("{}#{}", feed.url, feed.id);
            book.feeds
                .insert(key.clone(), sanitize(&feed.title).into_owned());
            let tags: Vec<String> = feed
                .category
                .iter()
                .map(|c| sanitize(c).into_owned())
                .collect();
            let title = sanitize(&feed.title).into_owned();
            let place = folder::Feed {
                url: &key,
                source: Some(&title),
                tags: &tags,
                max_items: settings.max_items,
                starred,
            };
            let items: Vec<_> = of_feed
                .iter()
                .filter_map(|a| {
                    let date = (a.date > 0).then_some(a.date);
                    let id = a.id.to_string();
                    crate::feeds::items::item_of(id, &a.title, &a.html, date, Some(&a.url))
                })
                .collect();
            let folder = places.stories.join(crate::feeds::folder_name(&key));
            let mut feed_book = Bookkeeping::load(&folder);
            let stored = folder::store(&folder, &place, &items, &mut feed_book)
                .and_then(|stored| feed_book.save(&folder).map(|()| stored))
                .map_err(|e| {
                    Fault::Protocol(format!("cannot save: {}", crate::io_error::in_words(&e)))
                })?;
            new += stored.new;
            for article in of_feed {
                book.max_id = book.max_id.max(article.id);
                let story = folder::story_id(&key, &article.id.to_string());
                let seen = Seen {
                    id: article.id,
                    feed: article.feed,
                    read: article.read,
                    starred: article.starred,
                };
                if book.articles.insert(story.clone(), seen).is_none() {
                    // A new article comes with the server's marks.
                    state.set_read(&story, seen.read, now);
                    if seen.starred {
                        state.set_starred(&story, true, now);
                    }
                }
            }
        }
        Ok(())
    };
    server.new_articles(&feeds, since, settings.max_items, &mut store_page)?;
    Ok(new)
}

/// Marks changed on the server since the last sync, taken here. Gives how
/// many.
fn pull_marks(server: &dyn Remote, book: &mut Book, state: &mut ReadState) -> Result<usize, Fault> {
    let mut unread_counts: HashMap<i64, usize> = HashMap::new();
    for seen in book.articles.values().filter(|seen| !seen.read) {
        *unread_counts.entry(seen.feed).or_default() += 1;
    }
    let unread = server.unread(&unread_counts)?;
    let starred = server.starred_ids()?;
    let now = crate::dates::now_millis();
    let mut taken = 0;
    for (story, seen) in &mut book.articles {
        let read = if unread.unchanged.contains(&seen.feed) {
            seen.read
        } else {
            !unread.ids.contains(&seen.id)
        };
        let star = starred.contains(&seen.id);
        if read != seen.read {
            seen.read = read;
            taken += usize::from(state.set_read(story, read, now).is_some());
        }
        if star != seen.starred {
            seen.starred = star;
            taken += usize::from(state.set_starred(story, star, now).is_some());
        }
    }
    Ok(taken)
}

/// What `tidings sync status` says.
pub fn status(settings: &SyncSettings, places: &Places) -> Result<String, String> {
    let book = Book::load(&places.stories);
    let journal = Journal::load(&places.journal)?;
    let mut pending = journal.changes.len();
    // Marks made since the last sync that no sync has noted yet.
    let state = Store::peek(&places.state).unwrap_or_default();
    let mut noted = Book {
        articles: book.articles.clone(),
        feeds: BTreeMap::new(),
        ..book
    };
    let mut more = Journal::default();
    note_local_changes(&mut noted, &state, &mut more);
    pending += more.changes.len();
    let last = match book.last_sync {
        Some(at) => {
            let mut shown = String::new();
            crate::dates::write_millis(&mut shown, at);
            shown
        }
        None => "never".to_owned(),
    };
    Ok(format!(
        "service: {}\nurl: {}\nuser: {}\nlast sync: {last}\narticles: {}\nchanges waiting to be sent: {pending}\n",
        settings.service.name(),
        sanitize(&settings.url),
        sanitize(&settings.user),
        book.articles.len(),
    ))
}
