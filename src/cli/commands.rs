//! The scriptable commands: `list`, `search` and `check`.

use std::io::Write;

use serde::Serialize;

use super::{Failure, exit, write_stdout};
use crate::load::Diagnostic;
use crate::model::{Library, StoryIndex, TitleSource};
use crate::query::{Clause, Query};
use crate::search::{self, Field, Hit};
use crate::sources::{self, Catalog, Flags, Root};
use crate::state::{ReadState, Store};

#[derive(Serialize)]
struct ListEntry<'a> {
    id: &'a str,
    title: &'a str,
    title_source: TitleSource,
    path: &'a str,
    read: bool,
    starred: bool,
    /// The address of the feed it came from.
    feed: Option<&'a str>,
    tags: &'a [String],
    /// As the file states it (TOML date or date-time).
    date: Option<String>,
    /// Files it carries: `url`, and `type`, `length`, `duration` if known.
    enclosures: &'a [crate::load::Enclosure],
    related: Vec<RelatedEntry<'a>>,
    /// The id of its event's cluster (its earliest story's), shared by
    /// every story of it; None for a story alone.
    cluster: Option<&'a str>,
    /// The feeds it came from.
    sources: Vec<&'a str>,
}

/// The library with what filters read beside it: each story's feed, tags
/// and folder, and its marks.
pub struct Filtering<'a> {
    pub library: &'a Library,
    pub catalog: Catalog,
    pub flags: Vec<Flags>,
}

impl<'a> Filtering<'a> {
    pub fn new(
        library: &'a Library,
        marks: &ReadState,
        feeds: &[(String, Option<String>)],
        roots: &[Root],
    ) -> Filtering<'a> {
        let flags = library.stories.iter().map(|s| marks.flags(&s.id)).collect();
        Filtering {
            library,
            catalog: Catalog::new(library, feeds, roots),
            flags,
        }
    }

    /// The stories the filters keep, in index order; a feed or tag that
    /// matches nothing is an error that says so.
    pub fn filtered(&self, filters: &[Clause]) -> Result<Vec<StoryIndex>, Failure> {
        let resolved = self
            .catalog
            .resolve(self.library, filters)
            .map_err(Failure::runtime)?;
        Ok(sources::filtered(&self.catalog, &resolved, &self.flags))
    }

    /// What a query finds, at most `limit`: its words searched among the
    /// stories its filters keep, best first; filters alone list their
    /// stories newest first.
    pub fn found(&self, query: &Query, limit: usize) -> Result<Vec<Hit>, Failure> {
        let library = self.library;
        if query.filters.is_empty() {
            return Ok(search::search_limited(library, &query.words, limit, None).hits);
        }
        let kept = self.filtered(&query.filters)?;
        if query.is_filters_only() {
            return Ok(kept.into_iter().take(limit).map(Hit::story).collect());
        }
        let mut keep = vec![false; library.stories.len()];
        for story in kept {
            keep[story] = true;
        }
        Ok(search::search_limited(library, &query.words, limit, Some(&keep)).hits)
    }
}

/// A query from the command line, or a usage error saying what is wrong.
pub fn parse_query(text: &str) -> Result<Query, Failure> {
    Query::parse(text, crate::query::now()).map_err(|e| Failure::usage(e.to_string()))
}

#[derive(Serialize)]
struct RelatedEntry<'a> {
    headline: &'a str,
    story: Option<&'a str>,
}

#[derive(Serialize)]
struct SearchEntry<'a> {
    headline: &'a str,
    story: Option<&'a str>,
    field: Field,
}

#[derive(Serialize)]
struct CheckReport<'a> {
    stories: usize,
    headlines: usize,
    errors: usize,
    warnings: usize,
    diagnostics: &'a [Diagnostic],
}

pub fn list(view: &Filtering, json: bool, filters: &[Clause]) -> Result<u8, Failure> {
    let library = view.library;
    report_diagnostics(library);
    let kept = view.filtered(filters)?;
    let flags = &view.flags;
    if json {
        let entries: Vec<ListEntry> = kept.iter().map(|&index| view.entry(index)).collect();
        write_json(&entries)?;
    } else {
        write_stdout(|out| {
            for &index in &kept {
                let story = &library.stories[index];
                let mark = if flags[index].read { ' ' } else { 'N' };
                let star = if flags[index].starred { '*' } else { ' ' };
                writeln!(out, "{mark}{star} {}  {}", story.id, story.title)?;
            }
            Ok(())
        })?;
    }
    Ok(exit::SUCCESS)
}

impl Filtering<'_> {
    /// A story as `list --json` prints it.
    fn entry(&self, index: StoryIndex) -> ListEntry<'_> {
        let (library, flags) = (self.library, &self.flags);
        let story = &library.stories[index];
        let feed = self.catalog.feed_of(index).map(|f| f.url.as_str());
        ListEntry {
            id: &story.id,
            title: &story.title,
            title_source: story.title_source,
            path: &story.path,
            read: flags[index].read,
            starred: flags[index].starred,
            feed,
            tags: &story.meta().tags,
            date: story.meta().date.as_ref().map(ToString::to_string),
            enclosures: &story.meta().enclosures,
            related: story
                .related()
                .map(|h| RelatedEntry {
                    headline: &library.headlines[h].text,
                    story: library.headlines[h]
                        .story()
                        .map(|s| library.stories[s].id.as_str()),
                })
                .collect(),
            cluster: library
                .cluster(index)
                .and_then(|id| library.cluster_name(id)),
            sources: feed.into_iter().collect(),
        }
    }
}

#[derive(Serialize)]
struct ClusterEntry<'a> {
    id: &'a str,
    /// The headline that best names its event.
    title: &'a str,
    size: usize,
    unread: usize,
    stories: Vec<ListEntry<'a>>,
}

/// `tidings clusters`: every cluster of at least `min` stories, largest
/// first, with its stories in index order.
pub fn clusters(view: &Filtering, json: bool, min: usize) -> Result<u8, Failure> {
    let library = view.library;
    report_diagnostics(library);
    let clusters = library
        .clusters()
        .into_iter()
        .take_while(|&id| library.cluster_size(id) >= min);
    let mut members = library.cluster_members();
    let entries: Vec<ClusterEntry> = clusters
        .filter_map(|id| {
            let stories = members.remove(&id)?;
            Some(ClusterEntry {
                id: library.cluster_name(id)?,
                title: &library.stories[library.cluster_headline(id)?].title,
                size: stories.len(),
                unread: stories.iter().filter(|&&s| !view.flags[s].read).count(),
                stories: stories.into_iter().map(|s| view.entry(s)).collect(),
            })
        })
        .collect();
    if json {
        return write_json(&entries).map(|()| exit::SUCCESS);
    }
    write_stdout(|out| {
        for cluster in &entries {
            writeln!(out, "{}  {} · {}", cluster.id, cluster.title, cluster.size)?;
            for story in &cluster.stories {
                let source = story.sources.first().copied().unwrap_or(story.path);
                writeln!(out, "    {}  {}  ({source})", story.id, story.title)?;
            }
        }
        Ok(())
    })?;
    Ok(exit::SUCCESS)
}

pub fn search(
    view: &Filtering,
    query: &Query,
    limit: Option<usize>,
    json: bool,
) -> Result<u8, Failure> {
    let library = view.library;
    report_diagnostics(library);
    let hits = view.found(query, limit.unwrap_or(usize::MAX))?;
    let story_id = |hit: &search::Hit| hit.story.map(|s| library.stories[s].id.as_str());
    if json {
        let entries: Vec<SearchEntry> = hits
            .iter()
            .map(|hit| SearchEntry {
                headline: hit.text(library),
                story: story_id(hit),
                field: hit.field,
            })
            .collect();
        write_json(&entries)?;
    } else {
        write_stdout(|out| {
            for hit in &hits {
                let field = match hit.field {
                    Field::Headline => "headline",
                    Field::Body => "body",
                };
                let story = story_id(hit).unwrap_or("-");
                writeln!(out, "{field:8}  {story:16}  {}", hit.text(library))?;
                if let Some(snippet) = &hit.snippet {
                    writeln!(out, "{:28}“{snippet}”", "")?;
                }
            }
            Ok(())
        })?;
    }
    Ok(exit::SUCCESS)
}

pub fn check(library: &Library, json: bool) -> Result<u8, Failure> {
    let errors = library.error_count();
    let report = CheckReport {
        stories: library.stories.len(),
        headlines: library.headlines.len(),
        errors,
        warnings: library.warning_count(),
        diagnostics: &library.diagnostics,
    };
    if json {
        write_json(&report)?;
    } else {
        report_diagnostics(library);
        let count =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        write_stdout(|out| {
            writeln!(
                out,
                "{}, {}, {}, {}",
                count(report.stories, "story", "stories"),
                count(report.headlines, "headline", "headlines"),
                count(report.errors, "error", "errors"),
                count(report.warnings, "warning", "warnings"),
            )
        })?;
    }
    Ok(if errors > 0 {
        exit::FAILURE
    } else {
        exit::SUCCESS
    })
}

/// Every diagnostic as one line on stderr: `tidings: PATH: what is wrong`.
fn report_diagnostics(library: &Library) {
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    for diagnostic in &library.diagnostics {
        let _ = writeln!(err, "tidings: {diagnostic}");
    }
}

fn write_json(value: &impl Serialize) -> Result<(), Failure> {
    write_stdout(|out| {
        serde_json::to_writer_pretty(&mut *out, value)?;
        writeln!(out)
    })
}

/// What `tidings mark` does to each story.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MarkHow {
    Read,
    Unread,
    Star,
    Unstar,
}

/// What `tidings mark` marks.
pub enum Named<'a> {
    Ids(&'a [String]),
    /// Every story the query finds.
    Query(&'a Query),
    /// Every story of a cluster, by its name.
    Cluster(&'a str),
}

impl Filtering<'_> {
    /// The stories `named` names; an id or cluster that names none is
    /// an error.
    fn named(&self, named: Named) -> Result<Vec<StoryIndex>, Failure> {
        let (library, view) = (self.library, self);
        Ok(match named {
            // Only what the words surely find: a fuzzy headline match
            // ranks a search, but must not mark a story.
            Named::Query(query) => {
                let found = (!query.words.trim().is_empty())
                    .then(|| search::stories_found(library, &query.words));
                view.filtered(&query.filters)?
                    .into_iter()
                    .filter(|&s| found.as_ref().is_none_or(|found| found[s]))
                    .collect()
            }
            Named::Ids(ids) => {
                let by_id: rustc_hash::FxHashMap<&str, StoryIndex> = library
                    .stories
                    .iter()
                    .enumerate()
                    .map(|(index, story)| (story.id.as_str(), index))
                    .collect();
                let mut named = Vec::with_capacity(ids.len());
                for id in ids {
                    let Some(&story) = by_id.get(id.as_str()) else {
                        return Err(Failure::runtime(format!(
                            "no story with id {}; nothing marked (tidings list --json shows the ids)",
                            crate::text::sanitize(id)
                        )));
                    };
                    named.push(story);
                }
                named
            }
            Named::Cluster(name) => match library.cluster_named(name) {
                Some(id) => library.cluster_stories(id),
                None => {
                    return Err(Failure::runtime(format!(
                        "no cluster with id {}; nothing marked (tidings clusters shows the ids)",
                        crate::text::sanitize(name)
                    )));
                }
            },
        })
    }
}

/// `tidings mark HOW ID...` or `--query Q`: every story named (or found)
/// marked, in one save of the state file (under its lock, merged with what
/// a reader saved). An id that names no story changes nothing.
pub fn mark(
    view: &Filtering,
    how: MarkHow,
    named: Named,
    store: &mut Store,
) -> Result<u8, Failure> {
    let library = view.library;
    let stories = view.named(named)?;
    let loaded = store.load();
    if let Some(notice) = loaded.notice {
        eprintln!("tidings: {notice}");
    }
    let mut state = loaded.state;
    let now = crate::dates::now_millis();
    let mut changed = 0;
    for &story in &stories {
        let id = &library.stories[story].id;
        let mark = match how {
            MarkHow::Read => state.set_read(id, true, now),
            MarkHow::Unread => state.set_read(id, false, now),
            MarkHow::Star => state.set_starred(id, true, now),
            MarkHow::Unstar => state.set_starred(id, false, now),
        };
        changed += usize::from(mark.is_some());
    }
    if changed > 0 {
        store
            .save(&mut state)
            .map_err(|e| Failure::runtime(format!("marks not saved: {e}")))?;
    }
    let done = match how {
        MarkHow::Read => "marked read",
        MarkHow::Unread => "marked unread",
        MarkHow::Star => "starred",
        MarkHow::Unstar => "unstarred",
    };
    let noun = if stories.len() == 1 {
        "story"
    } else {
        "stories"
    };
    write_stdout(|out| {
        writeln!(
            out,
            "{} {noun} {done} ({changed} changed)",
            crate::text::grouped(stories.len())
        )
    })?;
    Ok(exit::SUCCESS)
}
