//! The sources the pane lists, in its order, with their counts, kept as
//! marks change.

use super::{Catalog, Flags, NONE, Resolved, Test};
use crate::config::SavedSearch;
use crate::model::{Library, StoryIndex};
use crate::query::{self, Query};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    All,
    Unread,
    Starred,
    Saved,
    Tag,
    Feed,
    Folder,
}

/// One source in the list, with its counts.
#[derive(Debug, Clone)]
pub struct Source {
    pub kind: Kind,
    pub name: String,
    /// What the state file keeps to choose it again: `all`, `tag:world`,
    /// `feed:URL`, `search:NAME`, `folder:PREFIX`.
    pub key: String,
    pub unread: usize,
    pub total: usize,
    /// Which stories it holds, beside `words`.
    test: Resolved,
    /// For a saved search with words: the stories they find.
    words: Option<Vec<bool>>,
    /// A saved search whose query could not be used, and why.
    pub problem: Option<String>,
}

impl Source {
    fn new(kind: Kind, name: String, key: String, test: Resolved) -> Source {
        Source {
            kind,
            name,
            key,
            unread: 0,
            total: 0,
            test,
            words: None,
            problem: None,
        }
    }

    /// Whether it holds the story.
    pub fn holds(&self, catalog: &Catalog, story: StoryIndex, flags: Flags) -> bool {
        self.problem.is_none()
            && self
                .words
                .as_ref()
                .is_none_or(|found| found.get(story).copied().unwrap_or(false))
            && self.test.keeps(catalog, story, flags)
    }
}

/// Every source, in the order the pane lists them: All, Unread, Starred,
/// the saved searches, the tags, the feeds, the folders.
#[derive(Debug, Default)]
pub struct Sources {
    pub list: Vec<Source>,
    /// Where the tags, feeds and folders start in `list`.
    tags_at: usize,
    feeds_at: usize,
    folders_at: usize,
}

impl Sources {
    /// The sources of a library and their counts. `find` gives, for a
    /// saved search's words, the stories they find (the search engine's
    /// work, left to the caller).
    pub fn new(
        library: &Library,
        catalog: &Catalog,
        saved: &[SavedSearch],
        flags: &[Flags],
        mut find: impl FnMut(&str) -> Vec<bool>,
    ) -> Sources {
        let mut list = vec![
            Source::new(Kind::All, "All".into(), "all".into(), Resolved::default()),
            Source::new(
                Kind::Unread,
                "Unread".into(),
                "unread".into(),
                Resolved::one(Test::Unread),
            ),
            Source::new(
                Kind::Starred,
                "Starred".into(),
                "starred".into(),
                Resolved::one(Test::Starred),
            ),
        ];
        let now = query::now();
        for search in saved {
            let key = format!("search:{}", search.name);
            let mut source =
                Source::new(Kind::Saved, search.name.clone(), key, Resolved::default());
            match Query::parse(&search.query, now)
                .map_err(|e| e.to_string())
                .and_then(|q| Ok((catalog.resolve(library, &q.filters)?, q.words)))
            {
                Ok((test, words)) => {
                    source.test = test;
                    if !words.trim().is_empty() {
                        source.words = Some(find(&words));
                    }
                }
                Err(problem) => source.problem = Some(problem),
            }
            list.push(source);
        }
        let tags_at = list.len();
        for (tag, name) in catalog.tags.iter().enumerate() {
            let test = Resolved::one(Test::Tag(tag as u32));
            list.push(Source::new(
                Kind::Tag,
                name.clone(),
                format!("tag:{name}"),
                test,
            ));
        }
        let feeds_at = list.len();
        for (feed, name) in catalog.feeds.iter().enumerate() {
            let test = Resolved::one(Test::Feed(feed as u32));
            let key = format!("feed:{}", name.url);
            list.push(Source::new(Kind::Feed, name.title.clone(), key, test));
        }
        let folders_at = list.len();
        for (folder, root) in catalog.folders.iter().enumerate() {
            let test = Resolved::one(Test::Folder(folder as u32));
            let key = format!("folder:{}", root.prefix);
            list.push(Source::new(Kind::Folder, root.name.clone(), key, test));
        }
        let mut sources = Sources {
            list,
            tags_at,
            feeds_at,
            folders_at,
        };
        sources.count(catalog, flags);
        sources
    }

    /// Counts every source's stories, in one pass over the library.
    fn count(&mut self, catalog: &Catalog, flags: &[Flags]) {
        for source in &mut self.list {
            (source.unread, source.total) = (0, 0);
        }
        let mut held = Vec::new();
        for (story, &flag) in flags.iter().enumerate() {
            self.holding(catalog, story, flag, &mut held);
            for &source in &held {
                let source = &mut self.list[source];
                source.total += 1;
                source.unread += usize::from(!flag.read);
            }
        }
    }

    /// The sources that hold a story, into `held`.
    fn holding(&self, catalog: &Catalog, story: StoryIndex, flags: Flags, held: &mut Vec<usize>) {
        held.clear();
        held.push(0);
        if !flags.read {
            held.push(1);
        }
        if flags.starred {
            held.push(2);
        }
        for saved in 3..self.tags_at {
            if self.list[saved].holds(catalog, story, flags) {
                held.push(saved);
            }
        }
        held.extend(
            catalog
                .tags_of(story)
                .iter()
                .map(|&t| self.tags_at + t as usize),
        );
        if let Some(&feed) = catalog.story_feed.get(story)
            && feed != NONE
        {
            held.push(self.feeds_at + feed as usize);
        }
        if let Some(&folder) = catalog.story_folder.get(story)
            && folder != NONE
        {
            held.push(self.folders_at + folder as usize);
        }
    }

    /// A story's marks changed from `before` to `after`: the counts follow.
    /// Costs the sources that hold it, not the library.
    pub fn changed(&mut self, catalog: &Catalog, story: StoryIndex, before: Flags, after: Flags) {
        if before == after {
            return;
        }
        let mut held = Vec::new();
        self.holding(catalog, story, before, &mut held);
        for &source in &held {
            let source = &mut self.list[source];
            source.total -= 1;
            source.unread -= usize::from(!before.read);
        }
        self.holding(catalog, story, after, &mut held);
        for &source in &held {
            let source = &mut self.list[source];
            source.total += 1;
            source.unread += usize::from(!after.read);
        }
    }

    /// The stories a source holds, in index order.
    pub fn stories(&self, catalog: &Catalog, source: usize, flags: &[Flags]) -> Vec<StoryIndex> {
        let Some(source) = self.list.get(source) else {
            return (0..flags.len()).collect();
        };
        if source.kind == Kind::All {
            return (0..flags.len()).collect();
        }
        (0..flags.len())
            .filter(|&s| source.holds(catalog, s, flags[s]))
            .collect()
    }

    /// The source with this key, if there is one.
    pub fn find(&self, key: &str) -> Option<usize> {
        self.list.iter().position(|s| s.key == key)
    }

    /// Sources beyond All, Unread and Starred: what makes the pane worth
    /// showing before it is asked for.
    pub fn narrowing(&self) -> usize {
        self.list.len() - 3
    }
}
