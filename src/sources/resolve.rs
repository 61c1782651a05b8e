//! A query's filters made into tests over one library: the one function
//! from filters to the stories they keep.

use super::{Catalog, Flags};
use crate::model::{Library, StoryIndex};
use crate::query::{Clause, Filter};

impl Catalog {
    /// Makes the filters of a query into tests over `library` (the one
    /// this catalog was made of); a feed or tag that matches nothing is an
    /// error that says so.
    pub fn resolve(&self, library: &Library, filters: &[Clause]) -> Result<Resolved, String> {
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
pub(super) enum Test {
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
    pub(super) fn one(test: Test) -> Resolved {
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
}

/// The stories a query's filters keep, in index order.
pub fn filtered(catalog: &Catalog, resolved: &Resolved, flags: &[Flags]) -> Vec<StoryIndex> {
    (0..flags.len())
        .filter(|&s| resolved.keeps(catalog, s, flags[s]))
        .collect()
}
