//! Sources: the ways to narrow the library (All, Unread, Starred, each
//! saved search, tag, feed and folder), with their counts; and the one
//! function from a query's filters to the stories they keep, which `/`,
//! `tidings list`, `tidings search`, `tidings mark` and saved searches
//! share. The reader's pane only draws what is here.

use std::path::Path;

use rustc_hash::FxHashMap;

use rayon::prelude::*;

use crate::config::SavedSearch;
use crate::model::{Library, Story, StoryIndex};
use crate::prefetch::prefetch;
use crate::query::{self, Filter, Query, Term};
pub use crate::state::Flags;

/// No feed, folder or date.
const NONE: u32 = u32::MAX;

/// A feed followed, as the sources name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedName {
    pub url: String,
    /// The subscription's title, else the feed's own (its stories'
    /// source), else the address.
    pub title: String,
}

/// A folder of stories the user opened: where its stories' paths start,
/// and its name in the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Root {
    pub prefix: String,
    pub name: String,
}

impl Root {
    /// A PATH as opened, named by its last part.
    pub fn of(path: &Path) -> Root {
        let prefix = crate::text::sanitize(&path.to_string_lossy()).into_owned();
        let name = path
            .file_name()
            .map(|n| crate::text::sanitize(&n.to_string_lossy()).into_owned())
            .unwrap_or_else(|| prefix.clone());
        Root { prefix, name }
    }

    /// The bundled stories.
    pub fn bundled() -> Root {
        Root {
            prefix: "bundled:".into(),
            name: "bundled stories".into(),
        }
    }

    fn holds(&self, path: &str) -> bool {
        match path.strip_prefix(self.prefix.trim_end_matches('/')) {
            Some(rest) => rest.is_empty() || rest.starts_with('/') || self.prefix.ends_with(':'),
            None => false,
        }
    }
}

/// One run of stories' feeds, folders and tags, as one thread read them;
/// tags numbered by their spellings in the run.
struct ChunkFacts<'a> {
    feeds: Vec<u32>,
    folders: Vec<u32>,
    /// Where each story's tags start in `tag_ids` (none at the end).
    tag_starts: Vec<u32>,
    tag_ids: Vec<u32>,
    spellings: Vec<&'a str>,
}

impl<'a> ChunkFacts<'a> {
    fn of(stories: &'a [Story], by_folder: &FxHashMap<String, u32>, roots: &[Root]) -> Self {
        let mut facts = ChunkFacts {
            feeds: Vec::with_capacity(stories.len()),
            folders: Vec::with_capacity(stories.len()),
            tag_starts: Vec::with_capacity(stories.len() + 1),
            tag_ids: Vec::new(),
            spellings: Vec::new(),
        };
        let mut spelt: FxHashMap<&str, u32> = FxHashMap::default();
        for (at, story) in stories.iter().enumerate() {
            fetch_ahead(stories, at);
            let path = story.path.as_str();
            let folder = path
                .rsplit_once('/')
                .and_then(|(dir, _)| dir.rsplit('/').next());
            let feed = folder.and_then(|f| by_folder.get(f)).copied();
            facts.feeds.push(feed.unwrap_or(NONE));
            let root = roots.iter().position(|r| r.holds(path));
            facts.folders.push(root.map_or(NONE, |r| r as u32));
            facts.tag_starts.push(facts.tag_ids.len() as u32);
            for tag in &story.meta().tags {
                let id = *spelt.entry(tag.as_str()).or_insert_with(|| {
                    facts.spellings.push(tag.as_str());
                    (facts.spellings.len() - 1) as u32
                });
                facts.tag_ids.push(id);
            }
        }
        facts.tag_starts.push(facts.tag_ids.len() as u32);
        facts
    }
}

/// Asks for the memory of stories a few places ahead: their metadata
/// first, then the tag lists in it, then the tags' text, each once the
/// step before has arrived. Reading 100,000 stories scattered over the
/// heap takes half the time with it.
fn fetch_ahead(stories: &[Story], at: usize) {
    if let Some(far) = stories.get(at + 16) {
        prefetch(far.path.as_ptr());
        if let Some(meta) = &far.meta {
            prefetch(&**meta);
        }
    }
    if let Some(meta) = stories.get(at + 8).and_then(|s| s.meta.as_deref()) {
        prefetch(meta.tags.as_ptr());
    }
    if let Some(meta) = stories.get(at + 4).and_then(|s| s.meta.as_deref()) {
        for tag in &meta.tags {
            prefetch(tag.as_ptr());
        }
    }
}

/// What sources and filters know of each story beside its marks: its
/// feed, tags, folder and date; built once per library.
#[derive(Debug, Default)]
pub struct Catalog {
    pub feeds: Vec<FeedName>,
    /// Distinct tags, in the spelling first met, sorted.
    pub tags: Vec<String>,
    pub folders: Vec<Root>,
    story_feed: Vec<u32>,
    story_folder: Vec<u32>,
    /// Each story's tags: `tag_ids[tag_starts[s]..tag_starts[s + 1]]`.
    tag_starts: Vec<u32>,
    tag_ids: Vec<u32>,
}

impl Catalog {
    /// Looks up each story's feed (by the folder its file is in, see
    /// [`crate::feeds::folder_name`]), tags, folder and date.
    pub fn new(library: &Library, feeds: &[(String, Option<String>)], roots: &[Root]) -> Catalog {
        let by_folder: FxHashMap<String, u32> = feeds
            .iter()
            .enumerate()
            .map(|(i, (url, _))| (crate::feeds::folder_name(url), i as u32))
            .collect();
        let mut catalog = Catalog {
            feeds: feeds
                .iter()
                .map(|(url, title)| FeedName {
                    url: url.clone(),
                    title: title.clone().unwrap_or_default(),
                })
                .collect(),
            folders: roots.to_vec(),
            ..Catalog::default()
        };
        // Each story's feed, folder and tags, read in parallel: the
        // stories' paths and tags lie all over the heap, and the time goes
        // in waiting for memory, which two cores wait for at once.
        let chunks: Vec<ChunkFacts> = library
            .stories
            .par_chunks(4096)
            .map(|stories| ChunkFacts::of(stories, &by_folder, roots))
            .collect();
        let mut tag_of: FxHashMap<String, u32> = FxHashMap::default();
        let mut tags: Vec<String> = Vec::new();
        for chunk in chunks {
            // The chunk's own tag numbers become the library's.
            let global: Vec<u32> = chunk
                .spellings
                .iter()
                .map(|&tag| {
                    *tag_of.entry(tag.to_lowercase()).or_insert_with(|| {
                        tags.push(tag.to_owned());
                        (tags.len() - 1) as u32
                    })
                })
                .collect();
            for window in chunk.tag_starts.windows(2) {
                let first = catalog.tag_ids.len();
                catalog.tag_starts.push(first as u32);
                for &local in &chunk.tag_ids[window[0] as usize..window[1] as usize] {
                    let id = global[local as usize];
                    if !catalog.tag_ids[first..].contains(&id) {
                        catalog.tag_ids.push(id);
                    }
                }
            }
            catalog.story_feed.extend(chunk.feeds);
            catalog.story_folder.extend(chunk.folders);
        }
        catalog.tag_starts.push(catalog.tag_ids.len() as u32);
        for (feed, name) in catalog.feeds.iter_mut().enumerate() {
            if name.title.is_empty() {
                // The feed's own title, as its stories carry it.
                let story = catalog.story_feed.iter().position(|&f| f == feed as u32);
                name.title = story
                    .and_then(|s| library.stories[s].meta().source.clone())
                    .unwrap_or_else(|| name.url.clone());
            }
        }
        // Sorted by name; the ids stories hold are renumbered to match.
        let mut order: Vec<u32> = (0..tags.len() as u32).collect();
        order.sort_by_cached_key(|&t| tags[t as usize].to_lowercase());
        let mut new_id = vec![0u32; tags.len()];
        for (new, &old) in order.iter().enumerate() {
            new_id[old as usize] = new as u32;
        }
        for id in &mut catalog.tag_ids {
            *id = new_id[*id as usize];
        }
        catalog.tags = order.iter().map(|&t| tags[t as usize].clone()).collect();
        catalog
    }

    /// The feed a story came from, if any.
    pub fn feed_of(&self, story: StoryIndex) -> Option<&FeedName> {
        let feed = *self.story_feed.get(story)?;
        self.feeds.get(feed as usize)
    }

    fn tags_of(&self, story: StoryIndex) -> &[u32] {
        match (self.tag_starts.get(story), self.tag_starts.get(story + 1)) {
            (Some(&from), Some(&to)) => &self.tag_ids[from as usize..to as usize],
            _ => &[],
        }
    }

    /// Makes the filters of a query into tests over `library` (the one
    /// this catalog was made of); a feed or tag that matches nothing is an
    /// error that says so.
    pub fn resolve(&self, library: &Library, filters: &[Term]) -> Result<Resolved, String> {
        let mut tests = Vec::with_capacity(filters.len());
        // Stories are in index order, dated ones first and newest first:
        // a time is a place in the list, found by bisection.
        let date = |s: StoryIndex| {
            library.stories[s]
                .meta()
                .date
                .as_ref()
                .and_then(crate::dates::timestamp)
        };
        let dated = partition(library.stories.len(), |s| date(s).is_some());
        let newer = |at: i64| partition(dated, |s| date(s).is_some_and(|d| d >= at));
        for term in filters {
            let test = match &term.filter {
                Filter::Feed(name) => {
                    let name = name.to_lowercase();
                    let feeds: Vec<bool> = self
                        .feeds
                        .iter()
                        .map(|f| {
                            f.title.to_lowercase().contains(&name)
                                || f.url.to_lowercase().contains(&name)
                        })
                        .collect();
                    if !feeds.contains(&true) {
                        return Err(format!("no feed followed matches “{name}”"));
                    }
                    Test::Feeds(feeds)
                }
                Filter::Tag(name) => {
                    let wanted = name.to_lowercase();
                    match self.tags.iter().position(|t| t.to_lowercase() == wanted) {
                        Some(tag) => Test::Tag(tag as u32),
                        None => return Err(format!("no story is tagged “{name}”")),
                    }
                }
                Filter::Unread => Test::Unread,
                Filter::Read => Test::Read,
                Filter::Starred => Test::Starred,
                Filter::Since(at) => Test::Stories(0, newer(*at)),
                Filter::Before(at) => Test::Stories(newer(*at), dated),
            };
            tests.push((term.negated, test));
        }
        Ok(Resolved { tests })
    }
}

/// A query's filters made into tests over one library.
#[derive(Debug, Clone, Default)]
pub struct Resolved {
    tests: Vec<(bool, Test)>,
}

#[derive(Debug, Clone)]
enum Test {
    Feeds(Vec<bool>),
    Feed(u32),
    Tag(u32),
    Folder(u32),
    Unread,
    Read,
    Starred,
    /// Stories from the first number up to the second: those dated in a
    /// span.
    Stories(StoryIndex, StoryIndex),
}

/// The first of `0..len` for which `holds` is false, where it holds of a
/// first part of the range and not of the rest.
fn partition(len: usize, holds: impl Fn(usize) -> bool) -> usize {
    let (mut low, mut high) = (0, len);
    while low < high {
        let middle = low + (high - low) / 2;
        if holds(middle) {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    low
}

impl Test {
    fn passes(&self, catalog: &Catalog, story: StoryIndex, flags: Flags) -> bool {
        match self {
            Test::Feeds(feeds) => feeds
                .get(catalog.story_feed[story] as usize)
                .copied()
                .unwrap_or(false),
            Test::Feed(feed) => catalog.story_feed[story] == *feed,
            Test::Tag(tag) => catalog.tags_of(story).contains(tag),
            Test::Folder(folder) => catalog.story_folder[story] == *folder,
            Test::Unread => !flags.read,
            Test::Read => flags.read,
            Test::Starred => flags.starred,
            Test::Stories(from, to) => (*from..*to).contains(&story),
        }
    }
}

impl Resolved {
    fn one(test: Test) -> Resolved {
        Resolved {
            tests: vec![(false, test)],
        }
    }

    /// Whether the story passes every test.
    pub fn keeps(&self, catalog: &Catalog, story: StoryIndex, flags: Flags) -> bool {
        self.tests
            .iter()
            .all(|(negated, test)| test.passes(catalog, story, flags) != *negated)
    }

    /// Whether the result depends on the marks (so counts move with them).
    fn reads_marks(&self) -> bool {
        self.tests
            .iter()
            .any(|(_, t)| matches!(t, Test::Unread | Test::Read | Test::Starred))
    }
}

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
    /// Sources whose membership moves with marks: Unread, Starred, and
    /// saved searches that filter by marks.
    moving: Vec<usize>,
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
        let moving = (0..list.len())
            .filter(|&s| {
                matches!(list[s].kind, Kind::Unread | Kind::Starred)
                    || (list[s].kind == Kind::Saved && list[s].test.reads_marks())
            })
            .collect();
        let mut sources = Sources {
            list,
            tags_at,
            feeds_at,
            folders_at,
            moving,
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

    /// Whether a source's stories change as marks do (Unread, Starred, a
    /// saved search with `is:`).
    pub fn moves_with_marks(&self, source: usize) -> bool {
        self.moving.contains(&source)
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

/// The stories a query's filters keep, in index order.
pub fn filtered(catalog: &Catalog, resolved: &Resolved, flags: &[Flags]) -> Vec<StoryIndex> {
    (0..flags.len())
        .filter(|&s| resolved.keeps(catalog, s, flags[s]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::{Article, Loaded, Meta};

    fn story(path: &str, title: &str, tags: &[&str], date: Option<&str>) -> Article {
        Article {
            path: path.into(),
            title: Some(title.into()),
            paragraphs: vec![format!("{title} body text")],
            meta: Some(Box::new(Meta {
                date: date.map(|d| d.parse().unwrap()),
                tags: tags.iter().map(|t| t.to_string()).collect(),
                ..Meta::default()
            })),
            ..Article::default()
        }
    }

    fn library() -> (Library, Catalog) {
        let feed = crate::feeds::folder_name("https://news.example/rss");
        let library = Library::build(Loaded {
            articles: vec![
                story(
                    &format!("/d/feeds/{feed}/a.toml"),
                    "Alpha",
                    &["World"],
                    Some("2026-11-20"),
                ),
                story(
                    &format!("/d/feeds/{feed}/b.toml"),
                    "Beta",
                    &["world", "city"],
                    Some("2026-11-01"),
                ),
                story("/home/me/stories/c.toml", "Gamma", &["city"], None),
            ],
            ..Loaded::default()
        });
        let catalog = Catalog::new(
            &library,
            &[(
                "https://news.example/rss".into(),
                Some("Example News".into()),
            )],
            &[Root::of(Path::new("/home/me/stories"))],
        );
        (library, catalog)
    }

    fn flags(library: &Library, read: &[&str], starred: &[&str]) -> Vec<Flags> {
        library
            .stories
            .iter()
            .map(|s| Flags {
                read: read.contains(&&*s.title),
                starred: starred.contains(&&*s.title),
            })
            .collect()
    }

    fn titles(library: &Library, stories: &[StoryIndex]) -> Vec<String> {
        stories
            .iter()
            .map(|&s| library.stories[s].title.to_string())
            .collect()
    }

    #[test]
    fn sources_count_and_follow_marks() {
        let (library, catalog) = library();
        let mut marks = flags(&library, &["Beta"], &["Gamma"]);
        let saved = [SavedSearch {
            name: "fresh world".into(),
            query: "tag:world is:unread".into(),
        }];
        let mut sources = Sources::new(&library, &catalog, &saved, &marks, |_| Vec::new());
        let counts = |s: &Sources| {
            s.list
                .iter()
                .map(|s| format!("{} {}/{}", s.name, s.unread, s.total))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            counts(&sources),
            [
                "All 2/3",
                "Unread 2/2",
                "Starred 1/1",
                "fresh world 1/1",
                "city 1/2",
                "World 1/2",
                "Example News 1/2",
                "stories 1/1"
            ]
        );
        // Marking Alpha read and starring it moves every count that holds it.
        let alpha = library
            .stories
            .iter()
            .position(|s| &*s.title == "Alpha")
            .unwrap();
        let after = Flags {
            read: true,
            starred: true,
        };
        sources.changed(&catalog, alpha, marks[alpha], after);
        marks[alpha] = after;
        let recounted = Sources::new(&library, &catalog, &saved, &marks, |_| Vec::new());
        assert_eq!(counts(&sources), counts(&recounted));
        assert_eq!(counts(&sources)[3], "fresh world 0/0");
        let world = sources.find("tag:World").unwrap();
        assert_eq!(
            titles(&library, &sources.stories(&catalog, world, &marks)),
            ["Alpha", "Beta"]
        );
    }

    #[test]
    fn filters_keep_what_they_name() {
        let (library, catalog) = library();
        let marks = flags(&library, &["Beta"], &["Gamma"]);
        let now = 1_764_547_200; // 2025-12-01
        let kept = |q: &str| {
            let query = Query::parse(q, now).unwrap();
            let resolved = catalog.resolve(&library, &query.filters).unwrap();
            titles(&library, &filtered(&catalog, &resolved, &marks))
        };
        assert_eq!(kept("feed:example"), ["Alpha", "Beta"]);
        assert_eq!(kept("feed:news.example/rss -is:read"), ["Alpha"]);
        assert_eq!(kept("tag:CITY"), ["Beta", "Gamma"]);
        assert_eq!(kept("is:starred"), ["Gamma"]);
        assert_eq!(kept("-tag:world"), ["Gamma"]);
        assert_eq!(kept("since:2026-11-10"), ["Alpha"]);
        assert_eq!(kept("before:2026-11-10"), ["Beta"]);
        assert_eq!(kept("-since:2026-11-10"), ["Beta", "Gamma"]);
        let query = Query::parse("feed:nowhere", now).unwrap();
        assert_eq!(
            catalog.resolve(&library, &query.filters).unwrap_err(),
            "no feed followed matches “nowhere”"
        );
        let query = Query::parse("tag:sport", now).unwrap();
        assert_eq!(
            catalog.resolve(&library, &query.filters).unwrap_err(),
            "no story is tagged “sport”"
        );
    }
}
