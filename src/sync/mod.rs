//! Sync with the feed server the user already runs (Tiny Tiny RSS, or one
//! that speaks the Fever API): a sibling of `feeds`, not a second model.
//! The server's articles become TOML stories in folders of their own (one
//! per feed, under `$XDG_DATA_HOME/tidings/sync/`), read and starred marks
//! meet the same state file, and changes that could not be sent wait in a
//! journal. Each protocol is one small client behind [`Remote`].
//!
//! One sync: the marks changed here since the last sync go into the
//! journal; those the server changed meanwhile leave it (`settle`);
//! the rest is sent, in order; then new articles come in, and marks
//! changed on the server since the last sync are taken.

pub mod fever;
mod journal;
pub mod ttrss;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use journal::{Change, Journal};

use crate::config::{FeedSettings, PasswordFrom, Service, SyncSettings};
use crate::feeds::store::{self, Bookkeeping, Starred};
use crate::state::{ReadState, Store};
use crate::text::sanitize;

/// A feed on the server.
#[derive(Debug, Clone)]
pub struct RemoteFeed {
    pub id: i64,
    pub title: String,
    pub url: String,
    /// Its category (TT-RSS) or group (Fever): a tag here.
    pub category: Option<String>,
}

/// An article on the server.
#[derive(Debug, Clone)]
pub struct Article {
    pub id: i64,
    pub feed: i64,
    pub title: String,
    pub html: String,
    pub url: String,
    /// Seconds since the epoch; 0 for none.
    pub date: i64,
    pub read: bool,
    pub starred: bool,
}

/// What a sync asks of a server, whatever its protocol. Each protocol
/// is one small client (newsboat's `remote_api` shape).
pub trait Remote {
    fn feeds(&self) -> Result<Vec<RemoteFeed>, Fault>;
    /// Articles newer than `since_id`, a page at a time to `take` (which
    /// stores them, so memory holds one page); when `since_id` is 0, the
    /// newest `per_feed` of each feed.
    fn new_articles(
        &self,
        feeds: &[RemoteFeed],
        since_id: i64,
        per_feed: usize,
        take: &mut dyn FnMut(Vec<Article>) -> Result<(), Fault>,
    ) -> Result<(), Fault>;
    /// The unread articles' ids; `seen` is each feed's unread count as
    /// the last sync left it, so a server that tells its counts may leave
    /// out the feeds whose count has not moved.
    fn unread(&self, seen: &HashMap<i64, usize>) -> Result<Unread, Fault>;
    /// The ids of every starred article.
    fn starred_ids(&self) -> Result<HashSet<i64>, Fault>;
    /// Sets one mark of several articles.
    fn mark(&self, ids: &[i64], mark: MarkKind, on: bool) -> Result<(), Fault>;
    fn subscribe(&self, url: &str) -> Result<(), Fault>;
    fn unsubscribe(&self, url: &str) -> Result<(), Fault>;
}

/// The unread articles, but for the feeds left out.
#[derive(Debug, Default)]
pub struct Unread {
    pub ids: HashSet<i64>,
    /// Feeds whose unread count is what the last sync saw: their
    /// articles' read marks are taken to be unchanged.
    pub unchanged: HashSet<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkKind {
    Read,
    Starred,
}

/// Logs in to the server the settings name.
pub fn connect(settings: &SyncSettings, timeout: u64) -> Result<Box<dyn Remote>, String> {
    let password = password(&settings.password).map_err(|why| format!("sync: {why}"))?;
    let agent = crate::web::agent(timeout);
    let url = settings.url.as_str();
    let remote: Box<dyn Remote> = match settings.service {
        Service::TtRss => Box::new(
            ttrss::TtRss::login(agent, url, &settings.user, &password)
                .map_err(|f| f.said(settings, 0))?,
        ),
        Service::Fever => Box::new(
            fever::Fever::login(agent, url, &settings.user, &password)
                .map_err(|f| f.said(settings, 0))?,
        ),
    };
    Ok(remote)
}

/// The password, from where the config says it comes.
pub fn password(from: &PasswordFrom) -> Result<String, String> {
    match from {
        PasswordFrom::Env(name) => {
            std::env::var(name).map_err(|_| format!("password_env names {name}, which is not set"))
        }
        PasswordFrom::Command(argv) => {
            let (program, args) = argv.split_first().ok_or("password_command is empty")?;
            let output = std::process::Command::new(program)
                .args(args)
                .stdin(std::process::Stdio::null())
                .output()
                .map_err(|e| {
                    format!(
                        "password_command {program}: {}",
                        crate::io_error::describe(&e)
                    )
                })?;
            if !output.status.success() {
                return Err(format!(
                    "password_command {program} failed ({})",
                    output.status
                ));
            }
            let text = String::from_utf8_lossy(&output.stdout);
            Ok(text.lines().next().unwrap_or_default().to_owned())
        }
    }
}

/// Why a sync stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// No answer: refused, no route, a timeout, TLS, cut off.
    Unreachable(String),
    Http(u16),
    /// An answer that is not the API's: a web page, the wrong address.
    NotTheApi,
    /// The user or password.
    Refused,
    /// The API is switched off for this user.
    ApiOff,
    Protocol(String),
}

impl Fault {
    pub(crate) fn from_transport(error: ureq::Error) -> Fault {
        Fault::Unreachable(match error {
            ureq::Error::Timeout(_) => "timed out".to_owned(),
            ureq::Error::Io(e) => crate::io_error::describe(&e),
            other => sanitize(&other.to_string()).into_owned(),
        })
    }

    /// One line, `sync: ...`, with the changes kept for next time.
    pub fn said(&self, settings: &SyncSettings, waiting: usize) -> String {
        with_kept(self.line(settings), waiting)
    }

    fn line(&self, settings: &SyncSettings) -> String {
        let url = sanitize(&settings.url);
        let api = settings.service.api();
        match self {
            Fault::Unreachable(why) => format!("sync: cannot reach {url}: {why}"),
            Fault::Http(status) => format!("sync: {url} answered HTTP {status}"),
            Fault::NotTheApi => {
                format!("sync: {url} did not answer as {api} does (a web page? the wrong address?)")
            }
            Fault::Refused => format!("sync: {url} refused the user or the password"),
            Fault::ApiOff => format!(
                "sync: {url} has its API switched off for this user (Preferences: Enable API access)"
            ),
            Fault::Protocol(what) => format!("sync: {url}: {what}"),
        }
    }
}

/// A line about a sync that stopped, saying what waits for next time.
fn with_kept(mut line: String, waiting: usize) -> String {
    if waiting > 0 {
        let s = if waiting == 1 { "" } else { "s" };
        line.push_str(&format!("; {waiting} change{s} kept for next time"));
    }
    line
}

/// The JSON of a server's answer; the fault in words when there is none:
/// no answer, an HTTP error, or something that is not JSON.
fn json_answer(
    sent: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
) -> Result<serde_json::Value, Fault> {
    let mut answer = sent.map_err(Fault::from_transport)?;
    let status = answer.status().as_u16();
    if status != 200 {
        return Err(Fault::Http(status));
    }
    let text = answer
        .body_mut()
        .with_config()
        .limit(256 * 1024 * 1024)
        .read_to_string()
        .map_err(Fault::from_transport)?;
    serde_json::from_str(&text).map_err(|_| Fault::NotTheApi)
}

/// Where sync keeps its things.
pub struct Places {
    /// The synced stories, a folder per feed, and `.sync.toml`.
    pub stories: PathBuf,
    /// The changes not yet sent, beside the state file.
    pub journal: PathBuf,
    pub state: PathBuf,
}

impl Places {
    pub fn new(data: &Path, state: &Path) -> Places {
        Places {
            stories: data.join("sync"),
            journal: state.with_file_name("sync-journal.toml"),
            state: state.to_owned(),
        }
    }
}

/// What the last sync saw, kept in `.sync.toml` in the synced stories'
/// folder: each article's story id, server id and marks as the server
/// had them.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Book {
    /// Milliseconds since the epoch.
    pub last_sync: Option<i64>,
    /// The newest article id seen: later syncs ask only for newer ones.
    #[serde(default)]
    pub max_id: i64,
    #[serde(default)]
    pub articles: BTreeMap<String, Seen>,
    /// The feeds synced, by the address their stories are named after
    /// (`URL#ID`), with their titles: sources in the reader, like the
    /// feeds of feeds.toml.
    #[serde(default)]
    pub feeds: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seen {
    pub id: i64,
    /// The feed it is in, on the server.
    #[serde(default)]
    pub feed: i64,
    pub read: bool,
    pub starred: bool,
}

const BOOK: &str = ".sync.toml";

impl Book {
    pub fn load(folder: &Path) -> Book {
        std::fs::read_to_string(folder.join(BOOK))
            .ok()
            .and_then(|text| toml::from_str(&text).ok())
            .unwrap_or_default()
    }

    fn save(&self, folder: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(folder)?;
        let text = toml::to_string(self).map_err(std::io::Error::other)?;
        crate::atomic_file::write(&folder.join(BOOK), text.as_bytes())
    }
}

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
    locked.map_err(|e| format!("sync: cannot lock: {}", crate::io_error::describe(&e)))
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
            crate::io_error::describe(&e)
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
        .map_err(|e| format!("sync: cannot save: {}", crate::io_error::describe(&e)))?;
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
    let mut store_page = |articles: Vec<Article>| -> Result<(), Fault> {
        for feed in &feeds {
            let of_feed: Vec<&Article> = articles.iter().filter(|a| a.feed == feed.id).collect();
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
            let place = store::Feed {
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
            let stored = store::store(&folder, &place, &items, &mut feed_book)
                .and_then(|stored| feed_book.save(&folder).map(|()| stored))
                .map_err(|e| {
                    Fault::Protocol(format!("cannot save: {}", crate::io_error::describe(&e)))
                })?;
            new += stored.new;
            for article in of_feed {
                book.max_id = book.max_id.max(article.id);
                let story = store::story_id(&key, &article.id.to_string());
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

/// Sends the marks made in the reader a moment after they are made, on a
/// thread of its own, while the server answers; what cannot be sent waits
/// in the journal for the next sync.
pub struct Pusher {
    nudges: std::sync::mpsc::Sender<()>,
}

/// Quiet after the last mark before pushing: long enough for the reader
/// to have saved its marks (within 2 s).
const PUSH_AFTER: std::time::Duration = std::time::Duration::from_millis(2500);

impl Pusher {
    pub fn spawn(settings: SyncSettings, feeds: FeedSettings, places: Places) -> Pusher {
        let (nudges, heard) = std::sync::mpsc::channel::<()>();
        let _ = crate::background::spawn("sync-push", move || {
            while heard.recv().is_ok() {
                while heard.recv_timeout(PUSH_AFTER).is_ok() {}
                let _ = push(&settings, &feeds, &places);
            }
        });
        Pusher { nudges }
    }

    /// A mark changed.
    pub fn nudge(&self) {
        let _ = self.nudges.send(());
    }
}
