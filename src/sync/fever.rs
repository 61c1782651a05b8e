//! The Fever API (FreshRSS, Miniflux, coldsweat, TT-RSS's plugin): a POST
//! to `URL?api&WHAT` with the form field `api_key`, the MD5 of
//! `user:password`; items come 50 at a time; a mark is one item per call.

use std::collections::{HashMap, HashSet};

use md5::{Digest, Md5};
use serde::Deserialize;
use serde_json::Value;

use super::remote::json_answer;
use super::{Fault, MarkKind, Remote, RemoteArticle, RemoteFeed, Unread};

pub struct Fever {
    agent: ureq::Agent,
    /// The endpoint, without its query.
    url: String,
    key: String,
}

#[derive(Deserialize)]
struct Item {
    id: i64,
    #[serde(default)]
    feed_id: i64,
    #[serde(default)]
    title: String,
    #[serde(default)]
    html: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    is_saved: i64,
    #[serde(default)]
    is_read: i64,
    #[serde(default)]
    created_on_time: i64,
}

impl Item {
    fn article(self) -> RemoteArticle {
        RemoteArticle {
            id: self.id,
            feed: self.feed_id,
            title: self.title,
            html: self.html,
            url: self.url,
            date: self.created_on_time,
            read: self.is_read != 0,
            starred: self.is_saved != 0,
        }
    }
}

impl Fever {
    /// Checks the key at `url` (the API's address, as the server documents
    /// it: `https://host/fever/`, `https://host/api/fever.php`).
    pub fn login(agent: ureq::Agent, url: &str, user: &str, password: &str) -> Result<Self, Fault> {
        let digest = Md5::digest(format!("{user}:{password}").as_bytes());
        let key: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        let url = url.split_once('?').map_or(url, |(base, _)| base).to_owned();
        let fever = Fever { agent, url, key };
        fever.call("", &[])?;
        Ok(fever)
    }

    fn call(&self, what: &str, form: &[(&str, &str)]) -> Result<Value, Fault> {
        let address = format!("{}?api{what}", self.url);
        let mut fields = vec![("api_key", self.key.as_str())];
        fields.extend_from_slice(form);
        let reply = json_answer(self.agent.post(&address).send_form(fields))?;
        match reply["auth"].as_i64() {
            Some(1) => Ok(reply),
            Some(_) => Err(Fault::Refused),
            None => Err(Fault::NotTheApi),
        }
    }

    /// Items, 50 at most; `query` is `&since_id=N` or `&max_id=N` (the
    /// API reads them from the address, not the form).
    fn items(&self, query: &str) -> Result<Vec<Item>, Fault> {
        let reply = self.call(&format!("&items{query}"), &[])?;
        serde_json::from_value(reply["items"].clone()).map_err(|_| Fault::NotTheApi)
    }

    /// A comma-separated list of ids, as Fever gives them.
    fn ids(&self, what: &str, field: &str) -> Result<HashSet<i64>, Fault> {
        let reply = self.call(what, &[])?;
        let list = reply[field].as_str().unwrap_or_default();
        Ok(list
            .split(',')
            .filter_map(|id| id.trim().parse().ok())
            .collect())
    }
}

impl Remote for Fever {
    fn feeds(&self) -> Result<Vec<RemoteFeed>, Fault> {
        let groups = self.call("&groups", &[])?;
        let mut group_title = HashMap::new();
        for group in groups["groups"].as_array().into_iter().flatten() {
            if let (Some(id), Some(title)) = (group["id"].as_i64(), group["title"].as_str()) {
                group_title.insert(id, title.to_owned());
            }
        }
        let mut feed_group = HashMap::new();
        for link in groups["feeds_groups"].as_array().into_iter().flatten() {
            let Some(group) = link["group_id"].as_i64() else {
                continue;
            };
            let feeds = link["feed_ids"].as_str().unwrap_or_default();
            for feed in feeds
                .split(',')
                .filter_map(|f| f.trim().parse::<i64>().ok())
            {
                feed_group.entry(feed).or_insert(group);
            }
        }
        let reply = self.call("&feeds", &[])?;
        let feeds = reply["feeds"].as_array().ok_or(Fault::NotTheApi)?;
        Ok(feeds
            .iter()
            .filter_map(|f| {
                let id = f["id"].as_i64()?;
                Some(RemoteFeed {
                    id,
                    title: f["title"].as_str().unwrap_or_default().to_owned(),
                    url: f["url"].as_str().unwrap_or_default().to_owned(),
                    category: feed_group
                        .get(&id)
                        .and_then(|g| group_title.get(g))
                        .cloned(),
                })
            })
            .collect())
    }

    fn new_articles(
        &self,
        _feeds: &[RemoteFeed],
        since_id: i64,
        per_feed: usize,
        take: &mut dyn FnMut(Vec<RemoteArticle>) -> Result<(), Fault>,
    ) -> Result<(), Fault> {
        if since_id > 0 {
            // Forward from the newest seen, 50 at a time.
            let mut cursor = since_id;
            loop {
                let page = self.items(&format!("&since_id={cursor}"))?;
                let newest = page.iter().map(|i| i.id).max().unwrap_or(cursor);
                if newest <= cursor {
                    return Ok(()); // nothing newer (or a server that ignores since_id)
                }
                cursor = newest;
                take(page.into_iter().map(Item::article).collect())?;
            }
        }
        // The first time: back from the newest, keeping `per_feed` of each.
        let mut kept: HashMap<i64, usize> = HashMap::new();
        let mut cursor: Option<i64> = None;
        loop {
            let below = cursor.map_or_else(String::new, |c| format!("&max_id={c}"));
            let page = self.items(&below)?;
            let Some(oldest) = page.iter().map(|i| i.id).min() else {
                return Ok(());
            };
            if cursor.is_some_and(|c| oldest >= c) {
                return Ok(()); // a server that ignores max_id: one page
            }
            cursor = Some(oldest);
            let wanted: Vec<RemoteArticle> = page
                .into_iter()
                .filter(|item| {
                    let count = kept.entry(item.feed_id).or_default();
                    *count += 1;
                    *count <= per_feed
                })
                .map(Item::article)
                .collect();
            take(wanted)?;
        }
    }

    fn unread(&self, _seen: &HashMap<i64, usize>) -> Result<Unread, Fault> {
        // One call gives them all.
        Ok(Unread {
            ids: self.ids("&unread_item_ids", "unread_item_ids")?,
            unchanged: HashSet::new(),
        })
    }

    fn starred_ids(&self) -> Result<HashSet<i64>, Fault> {
        self.ids("&saved_item_ids", "saved_item_ids")
    }

    fn mark(&self, ids: &[i64], mark: MarkKind, on: bool) -> Result<(), Fault> {
        let what = match (mark, on) {
            (MarkKind::Read, true) => "read",
            (MarkKind::Read, false) => "unread",
            (MarkKind::Starred, true) => "saved",
            (MarkKind::Starred, false) => "unsaved",
        };
        // Fever marks one item per call.
        for id in ids {
            let id = id.to_string();
            self.call("", &[("mark", "item"), ("as", what), ("id", &id)])?;
        }
        Ok(())
    }

    fn subscribe(&self, _url: &str) -> Result<(), Fault> {
        Err(Fault::Protocol(NO_SUBSCRIBING.into()))
    }

    fn unsubscribe(&self, _url: &str) -> Result<(), Fault> {
        Err(Fault::Protocol(NO_SUBSCRIBING.into()))
    }
}

/// What `feeds add` and `remove` say with a Fever server.
pub const NO_SUBSCRIBING: &str =
    "the Fever API cannot subscribe or unsubscribe: do it on the server itself; nothing changed";
