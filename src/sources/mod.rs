//! Sources: the ways to narrow the library (All, Unread, Starred, each
//! saved search, tag, feed and folder), with their counts; and the one
//! function from a query's filters to the stories they keep, which `/`,
//! `tidings list`, `tidings search`, `tidings mark` and saved searches
//! share. The reader's pane only draws what is here.

mod catalog;
mod list;
mod resolve;

pub use crate::state::Flags;
pub use catalog::{Catalog, FeedName, Root};
pub use list::{Kind, Source, Sources};
pub use resolve::{Resolved, filtered};

use catalog::NONE;
use resolve::Test;

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::config::SavedSearch;
    use crate::load::{Article, Loaded, Meta};
    use crate::model::{Library, StoryIndex};
    use crate::query::Query;

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
