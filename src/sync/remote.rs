//! What every protocol's client offers ([`Remote`]), what it gives, and
//! how a sync that stopped is said: the one trait the steps of a sync use.

use std::collections::{HashMap, HashSet};

use crate::config::SyncSettings;
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
pub struct RemoteArticle {
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
        take: &mut dyn FnMut(Vec<RemoteArticle>) -> Result<(), Fault>,
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
            ureq::Error::Io(e) => crate::io_error::in_words(&e),
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
pub(super) fn with_kept(mut line: String, waiting: usize) -> String {
    if waiting > 0 {
        let s = if waiting == 1 { "" } else { "s" };
        line.push_str(&format!("; {waiting} change{s} kept for next time"));
    }
    line
}

/// The JSON of a server's answer; the fault in words when there is none:
/// no answer, an HTTP error, or something that is not JSON.
pub(super) fn json_answer(
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
