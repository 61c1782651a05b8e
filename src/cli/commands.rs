//! The scriptable commands: `list`, `search` and `check`.

use std::io::Write;

use serde::Serialize;

use super::{Failure, exit, write_stdout};
use crate::load::Diagnostic;
use crate::model::{Library, Story, TitleSource};
use crate::search::{self, Field};
use crate::state::ReadState;

#[derive(Serialize)]
struct ListEntry<'a> {
    id: &'a str,
    title: &'a str,
    title_source: TitleSource,
    path: &'a str,
    read: bool,
    related: Vec<RelatedEntry<'a>>,
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

pub fn list(
    library: &Library,
    marks: &ReadState,
    json: bool,
    unread_only: bool,
) -> Result<u8, Failure> {
    report_diagnostics(library);
    let is_read = |story: &Story| marks.is_read(&story.id);
    let stories = library
        .stories
        .iter()
        .filter(|s| !(unread_only && is_read(s)));
    if json {
        let entries: Vec<ListEntry> = stories
            .map(|story| ListEntry {
                id: &story.id,
                title: &story.title,
                title_source: story.title_source,
                path: &story.path,
                read: is_read(story),
                related: story
                    .related()
                    .map(|h| RelatedEntry {
                        headline: &library.headlines[h].text,
                        story: library.headlines[h]
                            .story
                            .map(|s| library.stories[s].id.as_str()),
                    })
                    .collect(),
            })
            .collect();
        write_json(&entries)?;
    } else {
        write_stdout(|out| {
            for story in stories {
                let mark = if is_read(story) { ' ' } else { 'N' };
                writeln!(out, "{mark} {}  {}", story.id, story.title)?;
            }
            Ok(())
        })?;
    }
    Ok(exit::SUCCESS)
}

pub fn search(library: &Library, query: &str, json: bool) -> Result<u8, Failure> {
    report_diagnostics(library);
    let hits = search::search(library, query).hits;
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
