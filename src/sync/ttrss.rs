//! Tiny Tiny RSS's JSON API: one POST of a JSON body to `URL/api/` per
//! call, answered `{"seq", "status", "content"}`; status 1 is an error
//! whose content names it (`LOGIN_ERROR`, `API_DISABLED`, ...).

use serde::Deserialize;
use serde_json::{Value, json};

use std::collections::{HashMap, HashSet};

use super::remote::json_answer;
use super::{Fault, MarkKind, Remote, RemoteArticle, RemoteFeed, Unread};

/// A logged-in session.
pub struct TtRss {
    agent: ureq::Agent,
    api: String,
    session: String,
}

/// One article as `getHeadlines` lists it.
#[derive(Debug, Deserialize)]
struct Headline {
    pub id: i64,
    #[serde(default)]
    pub unread: bool,
    #[serde(default)]
    pub marked: bool,
    #[serde(default)]
    pub updated: i64,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub link: String,
    #[serde(default)]
    pub content: String,
    #[serde(default, deserialize_with = "number_or_text")]
    pub feed_id: i64,
}

impl Headline {
    fn article(self) -> RemoteArticle {
        RemoteArticle {
            id: self.id,
            feed: self.feed_id,
            title: self.title,
            html: self.content,
            url: self.link,
            date: self.updated,
            read: !self.unread,
            starred: self.marked,
        }
    }
}

/// A feed subscribed to, with its category.
#[derive(Debug, Deserialize)]
struct Feed {
    pub id: i64,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub feed_url: String,
    #[serde(default)]
    pub cat_id: i64,
    #[serde(default)]
    pub unread: usize,
}

#[derive(Debug, Deserialize)]
pub struct Category {
    #[serde(deserialize_with = "number_or_text")]
    pub id: i64,
    #[serde(default)]
    pub title: String,
}

/// The most `getHeadlines` gives at once.
pub const PAGE: usize = 200;

impl TtRss {
    /// Logs in at `url` (the server's root, where `api/` is).
    pub fn login(agent: ureq::Agent, url: &str, user: &str, password: &str) -> Result<Self, Fault> {
        let api = format!("{}/api/", url.trim_end_matches('/'));
        let mut client = TtRss {
            agent,
            api,
            session: String::new(),
        };
        let content = client.call(json!({"op": "login", "user": user, "password": password}))?;
        client.session = content["session_id"]
            .as_str()
            .ok_or_else(|| Fault::Protocol("no session in its answer to login".into()))?
            .to_owned();
        Ok(client)
    }

    fn call(&self, mut body: Value) -> Result<Value, Fault> {
        if !self.session.is_empty() {
            body["sid"] = json!(self.session);
        }
        let reply = json_answer(
            self.agent
                .post(&self.api)
                .header("Content-Type", "application/json")
                .send(body.to_string()),
        )?;
        if reply["status"] == 0 {
            return Ok(reply["content"].clone());
        }
        Err(match reply["content"]["error"].as_str() {
            Some("LOGIN_ERROR") => Fault::Refused,
            Some("API_DISABLED") => Fault::ApiOff,
            Some(other) => Fault::Protocol(crate::text::sanitize(other).into_owned()),
            None => Fault::NotTheApi,
        })
    }

    fn categories(&self) -> Result<Vec<Category>, Fault> {
        let content = self.call(json!({"op": "getCategories", "include_empty": true}))?;
        serde_json::from_value(content).map_err(|_| Fault::NotTheApi)
    }

    fn server_feeds(&self) -> Result<Vec<Feed>, Fault> {
        let content = self.call(json!({"op": "getFeeds", "cat_id": -4}))?;
        let feeds: Vec<Feed> = serde_json::from_value(content).map_err(|_| Fault::NotTheApi)?;
        // Special feeds (starred, published, ...) have ids below 1.
        Ok(feeds.into_iter().filter(|f| f.id > 0).collect())
    }

    /// One page of a feed's articles (`feed_id` -4: all of them; -1: the
    /// starred ones), newest first, with their content when asked.
    fn headlines(
        &self,
        feed_id: i64,
        view: &str,
        since_id: i64,
        skip: usize,
        content: bool,
    ) -> Result<Vec<Headline>, Fault> {
        let found = self.call(json!({
            "op": "getHeadlines", "feed_id": feed_id, "limit": PAGE, "skip": skip,
            "view_mode": view, "since_id": since_id, "show_content": content,
            // tidings makes the HTML plain and clean itself; the server's
            // own sanitizing of each article was most of a first sync.
            "sanitize": false,
        }))?;
        serde_json::from_value(found).map_err(|_| Fault::NotTheApi)
    }

    /// The ids of every article a view lists, page by page.
    fn ids(&self, feed: i64, view: &str) -> Result<HashSet<i64>, Fault> {
        let mut ids = HashSet::new();
        let mut skip = 0;
        loop {
            let page = self.headlines(feed, view, 0, skip, false)?;
            skip += page.len();
            let short = page.len() < PAGE;
            ids.extend(page.iter().map(|h| h.id));
            if short {
                return Ok(ids);
            }
        }
    }
}

impl Remote for TtRss {
    fn feeds(&self) -> Result<Vec<RemoteFeed>, Fault> {
        let categories = self.categories()?;
        let category = |id: i64| {
            categories
                .iter()
                .find(|c| c.id == id && id > 0)
                .map(|c| c.title.clone())
        };
        Ok(self
            .server_feeds()?
            .into_iter()
            .map(|f| RemoteFeed {
                id: f.id,
                category: category(f.cat_id),
                title: f.title,
                url: f.feed_url,
            })
            .collect())
    }

    fn new_articles(
        &self,
        feeds: &[RemoteFeed],
        since_id: i64,
        per_feed: usize,
        take: &mut dyn FnMut(Vec<RemoteArticle>) -> Result<(), Fault>,
    ) -> Result<(), Fault> {
        // The first time, feed by feed, newest first; then everything newer
        // than the newest seen (feed -4: all articles).
        let streams: Vec<(i64, usize)> = if since_id == 0 {
            feeds.iter().map(|f| (f.id, per_feed)).collect()
        } else {
            vec![(-4, usize::MAX)]
        };
        for (feed, most) in streams {
            let mut taken = 0;
            while taken < most {
                let page = self.headlines(feed, "all_articles", since_id, taken, true)?;
                let short = page.len() < PAGE;
                let mut articles: Vec<RemoteArticle> =
                    page.into_iter().map(Headline::article).collect();
                articles.truncate(most - taken);
                taken += articles.len();
                take(articles)?;
                if short {
                    break;
                }
            }
        }
        Ok(())
    }

    fn unread(&self, seen: &HashMap<i64, usize>) -> Result<Unread, Fault> {
        // Each feed's unread count comes with the feeds, in one call; only
        // the feeds whose count moved are listed, 200 ids a call.
        let mut unread = Unread::default();
        for feed in self.server_feeds()? {
            if seen.get(&feed.id).copied().unwrap_or(0) == feed.unread {
                unread.unchanged.insert(feed.id);
            } else {
                unread.ids.extend(self.ids(feed.id, "unread")?);
            }
        }
        Ok(unread)
    }

    fn starred_ids(&self) -> Result<HashSet<i64>, Fault> {
        self.ids(-1, "all_articles")
    }

    fn mark(&self, ids: &[i64], mark: MarkKind, on: bool) -> Result<(), Fault> {
        // updateArticle's fields: 0 starred, 2 unread.
        let (field, set) = match mark {
            MarkKind::Starred => (0, on),
            MarkKind::Read => (2, !on),
        };
        let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
        self.call(json!({
            "op": "updateArticle", "article_ids": ids.join(","),
            "field": field, "mode": u8::from(set),
        }))
        .map(drop)
    }

    fn subscribe(&self, url: &str) -> Result<(), Fault> {
        let content = self.call(json!({"op": "subscribeToFeed", "feed_url": url}))?;
        match content["status"]["code"].as_i64() {
            Some(0 | 1) => Ok(()),
            _ => Err(Fault::Protocol(format!(
                "the server could not subscribe to {}",
                crate::text::sanitize(url)
            ))),
        }
    }

    fn unsubscribe(&self, url: &str) -> Result<(), Fault> {
        let feed = self
            .server_feeds()?
            .into_iter()
            .find(|f| f.feed_url == url)
            .ok_or_else(|| {
                Fault::Protocol(format!("not subscribed to {}", crate::text::sanitize(url)))
            })?;
        self.call(json!({"op": "unsubscribeFeed", "feed_id": feed.id}))
            .map(drop)
    }
}

/// TT-RSS writes some ids as numbers and some as strings.
fn number_or_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    match Value::deserialize(d)? {
        Value::Number(n) => n
            .as_i64()
            .ok_or_else(|| serde::de::Error::custom("not an id")),
        Value::String(s) => s.parse().map_err(serde::de::Error::custom),
        _ => Err(serde::de::Error::custom("not an id")),
    }
}
