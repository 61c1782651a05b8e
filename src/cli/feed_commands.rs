//! `tidings feeds`: subscribing, unsubscribing, listing, and OPML in and
//! out; and `tidings update`, which fetches them.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{Failure, exit, write_stdout};
use crate::config::FeedSettings;
use crate::feeds::discover::Found;
use crate::feeds::folder::{Bookkeeping, Starred};
use crate::feeds::update::Outcome;
use crate::feeds::{self, EditError, Subscription};
use crate::state::ReadState;
use crate::text::sanitize;

#[derive(Debug, clap::Subcommand)]
pub enum FeedsCommand {
    /// Subscribe to a feed by its web address, or to the feed a web page
    /// links (asking which when it links several)
    Add {
        url: String,
        /// Every feed the page links, not one
        #[arg(long)]
        all: bool,
        /// The feed's name in lists
        #[arg(long)]
        title: Option<String>,
        /// A tag for the feed's stories; repeat for more
        #[arg(long = "tag", value_name = "TAG")]
        tags: Vec<String>,
        /// Fetch each new story's web page and keep its article as the
        /// story's text (for feeds that send only a summary)
        #[arg(long)]
        full_text: bool,
    },
    /// Unsubscribe from a feed; the stories already fetched stay
    Remove { url: String },
    /// List the subscriptions
    List {
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Subscribe to every feed of an OPML file, such as newsboat -e writes
    Import {
        #[arg(value_name = "FILE", value_hint = clap::ValueHint::FilePath)]
        file: PathBuf,
    },
    /// Print the subscriptions as OPML 2.0
    Export,
}

impl FeedsCommand {
    /// Add, remove and import: with `[sync]`, the server's to carry out.
    pub fn changes_subscriptions(&self) -> bool {
        matches!(
            self,
            FeedsCommand::Add { .. } | FeedsCommand::Remove { .. } | FeedsCommand::Import { .. }
        )
    }
}

/// Subscribing and unsubscribing with `[sync]`: on the server, which
/// fetches the feeds (the Fever API has no call for it: nothing changes).
pub fn on_server(
    command: FeedsCommand,
    sync: &crate::config::SyncSettings,
    settings: &FeedSettings,
) -> Result<u8, Failure> {
    let (urls, adding) = match command {
        FeedsCommand::Add { url, .. } => (vec![url], true),
        FeedsCommand::Remove { url } => (vec![url], false),
        FeedsCommand::Import { file } => {
            let shown = sanitize(&file.to_string_lossy()).into_owned();
            let bytes = std::fs::read(&file).map_err(|e| {
                Failure::runtime(format!("{shown}: {}", crate::io_error::in_words(&e)))
            })?;
            let listed =
                feeds::opml::read(&bytes).map_err(|e| Failure::runtime(format!("{shown}: {e}")))?;
            (listed.into_iter().map(|f| f.url).collect(), true)
        }
        FeedsCommand::List { .. } | FeedsCommand::Export => return Ok(exit::SUCCESS),
    };
    if sync.service == crate::config::Service::Fever {
        return Err(Failure::runtime(format!(
            "sync: {}",
            crate::sync::fever::NO_SUBSCRIBING
        )));
    }
    let server = crate::sync::connect(sync, settings.timeout).map_err(Failure::runtime)?;
    for url in &urls {
        let url = crate::web::checked_url(url).map_err(Failure::usage)?;
        let done = if adding {
            server.subscribe(&url)
        } else {
            server.unsubscribe(&url)
        };
        done.map_err(|fault| Failure::runtime(fault.said(sync, 0)))?;
        let said = if adding {
            "subscribed to"
        } else {
            "unsubscribed from"
        };
        print_line(&format!(
            "{said} {} on {}",
            sanitize(&url),
            sanitize(&sync.url)
        ))?;
    }
    Ok(exit::SUCCESS)
}

/// Where the subscriptions live, and the feeds' stories.
pub(super) fn places() -> Result<(PathBuf, PathBuf), String> {
    let path = crate::paths::feeds_file().ok_or("no home folder, so no place for feeds.toml")?;
    let data =
        crate::paths::feeds_data().ok_or("no home folder, so no place for the feeds' stories")?;
    Ok((path, data))
}

/// `marks`: the saved read marks and stars, for the unread counts.
pub fn run(
    command: FeedsCommand,
    marks: &ReadState,
    settings: &FeedSettings,
) -> Result<u8, Failure> {
    let (path, _) = places().map_err(Failure::runtime)?;
    match command {
        FeedsCommand::Add {
            url,
            all,
            title,
            tags,
            full_text,
        } => {
            let url = crate::web::checked_url(&url).map_err(Failure::usage)?;
            // A mistake in feeds.toml is said before anything is fetched.
            read(&path)?;
            let found = feeds_at(&url, all, settings)?;
            for feed in found {
                let subscription = Subscription {
                    title: title.clone(),
                    tags: tags.clone(),
                    full_text,
                    ..Subscription::new(&feed.url)
                };
                let added = feeds::add(&path, &[subscription]).map_err(edit_failure)?;
                let said = if added.is_empty() {
                    "already subscribed to"
                } else {
                    "subscribed to"
                };
                let mut line = format!("{said} {}", sanitize(&feed.url));
                if feed.url != url {
                    line.push_str(&format!(" (the feed {} links)", sanitize(&url)));
                }
                if let Some(name) = &feed.title {
                    line.push_str(&format!(": {}", sanitize(name)));
                }
                print_line(&line)?;
            }
            Ok(exit::SUCCESS)
        }
        FeedsCommand::Remove { url } => {
            if !feeds::remove(&path, &url).map_err(edit_failure)? {
                return Err(Failure::runtime(format!(
                    "not subscribed to {}",
                    sanitize(&url)
                )));
            }
            print_line(&format!("unsubscribed from {}", sanitize(url.trim())))
        }
        FeedsCommand::List { json } => list(&read(&path)?, marks, json),
        FeedsCommand::Import { file } => import(&path, &file, settings),
        FeedsCommand::Export => {
            let opml = feeds::opml::write(&read(&path)?);
            write_stdout(|out| out.write_all(opml.as_bytes()))?;
            Ok(exit::SUCCESS)
        }
    }
}

/// The feeds to subscribe to for `url`: the feed it is, or the one its page
/// links; of several, all with `all`, else the one chosen (asked on a
/// terminal; elsewhere the list is the error).
fn feeds_at(url: &str, all: bool, settings: &FeedSettings) -> Result<Vec<Found>, Failure> {
    let agent = crate::web::agent(settings.timeout);
    let found = feeds::discover::discover(&agent, url, settings.max_bytes, settings.timeout)
        .map_err(|why| {
            Failure::runtime(format!(
                "not subscribed: {}: {}",
                sanitize(url),
                sanitize(&why)
            ))
        })?;
    if all || found.len() == 1 {
        return Ok(found);
    }
    let listed: Vec<String> = found
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let title = f
                .title
                .as_deref()
                .map(|t| format!("  {}", sanitize(t)))
                .unwrap_or_default();
            format!("  {}. {}{title}", i + 1, sanitize(&f.url))
        })
        .collect();
    let heading = format!(
        "{} links {} feeds:\n{}",
        sanitize(url),
        found.len(),
        listed.join("\n")
    );
    if !std::io::stdin().is_terminal() {
        return Err(Failure::runtime(format!(
            "{heading}\nnot subscribed: name one of them, or add --all for every one"
        )));
    }
    eprint!("{heading}\nsubscribe to which (1-{})? ", found.len());
    let mut answer = String::new();
    std::io::stdin()
        .read_line(&mut answer)
        .map_err(|e| Failure::runtime(crate::io_error::in_words(&e)))?;
    let chosen = answer
        .trim()
        .parse::<usize>()
        .ok()
        .and_then(|n| found.get(n.wrapping_sub(1)))
        .ok_or_else(|| Failure::runtime("not subscribed: no feed chosen"))?;
    Ok(vec![chosen.clone()])
}

fn read(path: &Path) -> Result<Vec<Subscription>, Failure> {
    feeds::read(path).map_err(|e| Failure::usage(e.to_string()))
}

/// A mistake in feeds.toml is a usage error, as one in the config is.
fn edit_failure(error: EditError) -> Failure {
    match error {
        EditError::Invalid(e) => Failure::usage(e.to_string()),
        write @ EditError::Write { .. } => Failure::runtime(write.to_string()),
    }
}

fn print_line(line: &str) -> Result<u8, Failure> {
    write_stdout(|out| writeln!(out, "{line}"))?;
    Ok(exit::SUCCESS)
}

#[derive(Serialize)]
struct FeedEntry<'a> {
    url: &'a str,
    title: Option<&'a str>,
    tags: &'a [String],
    stories: usize,
    unread: usize,
    last_update: Option<String>,
    last_error: Option<String>,
    /// The feed's own title, as its last update read it.
    feed_title: Option<String>,
    /// The feed is ill-formed and was read by mending it.
    read_with_repairs: bool,
}

fn list(subscriptions: &[Subscription], marks: &ReadState, json: bool) -> Result<u8, Failure> {
    let data = crate::paths::feeds_data();
    let entries: Vec<FeedEntry> = subscriptions
        .iter()
        .map(|feed| {
            let folder = data
                .as_ref()
                .map(|data| data.join(feeds::folder_name(&feed.url)));
            let book = folder.as_deref().map(Bookkeeping::load).unwrap_or_default();
            let stories = folder.as_deref().map(stories_in).unwrap_or_default();
            FeedEntry {
                url: &feed.url,
                title: feed.title.as_deref(),
                tags: &feed.tags,
                stories: stories.len(),
                unread: stories.iter().filter(|id| !marks.is_read(id)).count(),
                last_update: book.last_update.map(|d| d.to_string()),
                last_error: book.last_error,
                feed_title: book.title,
                read_with_repairs: book.repaired,
            }
        })
        .collect();
    write_stdout(|out| {
        if json {
            serde_json::to_writer(&mut *out, &entries).map_err(std::io::Error::other)?;
            return writeln!(out);
        }
        for entry in &entries {
            let mut line = format!(
                "{:>5} stories {:>5} unread  {}",
                entry.stories,
                entry.unread,
                sanitize(entry.url)
            );
            if let Some(title) = entry.title {
                line.push_str(&format!("  {}", sanitize(title)));
            }
            if !entry.tags.is_empty() {
                line.push_str(&format!("  [{}]", sanitize(&entry.tags.join(", "))));
            }
            if entry.read_with_repairs {
                line.push_str("  (read with repairs)");
            }
            writeln!(out, "{line}")?;
        }
        Ok(())
    })?;
    Ok(exit::SUCCESS)
}

/// The ids of the stories in a feed's folder: each is a file named by
/// its id (the bookkeeping, `.feed.toml`, is hidden and no story).
fn stories_in(folder: &Path) -> Vec<String> {
    std::fs::read_dir(folder).map_or(Vec::new(), |entries| {
        entries
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                let id = name.strip_suffix(".toml")?;
                (!id.starts_with('.')).then(|| id.to_owned())
            })
            .collect()
    })
}

fn import(path: &Path, file: &Path, settings: &FeedSettings) -> Result<u8, Failure> {
    let shown = sanitize(&file.to_string_lossy()).into_owned();
    let bytes = std::fs::read(file)
        .map_err(|e| Failure::runtime(format!("{shown}: {}", crate::io_error::in_words(&e))))?;
    let listed =
        feeds::opml::read(&bytes).map_err(|e| Failure::runtime(format!("{shown}: {e}")))?;
    let mut feeds_found = Vec::new();
    let mut skipped = 0;
    for feed in listed {
        match crate::web::checked_url(&feed.url) {
            Ok(url) => feeds_found.push(Subscription { url, ..feed }),
            Err(why) => {
                skipped += 1;
                eprintln!("tidings: {shown}: skipped: {}", sanitize(&why));
            }
        }
    }
    let feeds_found = feeds::discover::feeds_of_pages(feeds_found, settings);
    let added = feeds::add(path, &feeds_found).map_err(edit_failure)?;
    let already = feeds_found.len() - added.len();
    print_line(&format!(
        "imported {} feed{} ({already} already subscribed, {skipped} skipped)",
        added.len(),
        if added.len() == 1 { "" } else { "s" }
    ))
}

#[derive(Serialize)]
struct UpdateEntry<'a> {
    url: &'a str,
    new: usize,
    updated: usize,
    skipped: usize,
    /// Why each page not fetched was not (`full_text` feeds).
    pages_failed: &'a [String],
    not_modified: bool,
    error: Option<&'a str>,
}

pub(super) const NO_FEEDS_YET: &str =
    "no feeds followed yet (tidings feeds add URL, or tidings feeds import FILE)";

/// `tidings update [URL]...`: fetches every subscription, or those named;
/// one line (or JSON object) per feed; exit 1 if any failed.
pub fn update(
    settings: &FeedSettings,
    urls: &[String],
    json: bool,
    marks: &ReadState,
) -> Result<u8, Failure> {
    let (path, data) = places().map_err(Failure::runtime)?;
    let mut subscriptions = read(&path)?;
    if !urls.is_empty() {
        for url in urls {
            if !subscriptions.iter().any(|f| f.url == url.trim()) {
                return Err(Failure::usage(format!(
                    "not subscribed to {}",
                    sanitize(url)
                )));
            }
        }
        subscriptions.retain(|f| urls.iter().any(|u| u.trim() == f.url));
    }
    if subscriptions.is_empty() && !json {
        write_stdout(|out| writeln!(out, "{NO_FEEDS_YET}"))?;
        return Ok(exit::SUCCESS);
    }
    let line = super::progress_line::ProgressLine::feeds(subscriptions.len());
    let starred = starred_ids(marks);
    let outcomes = feeds::update::update(&subscriptions, &data, settings, &starred, |feed, _| {
        line.feed_done(&feed.url)
    });
    drop(line);
    let failed = outcomes.iter().any(|o| matches!(o, Outcome::Failed(_)));
    write_stdout(|out| {
        if json {
            let entries: Vec<UpdateEntry> = subscriptions
                .iter()
                .zip(&outcomes)
                .map(|(feed, outcome)| update_entry(&feed.url, outcome))
                .collect();
            serde_json::to_writer(&mut *out, &entries).map_err(std::io::Error::other)?;
            return writeln!(out);
        }
        for (feed, outcome) in subscriptions.iter().zip(&outcomes) {
            writeln!(out, "{}: {}", sanitize(&feed.url), said(outcome))?;
        }
        Ok(())
    })?;
    Ok(if failed { exit::FAILURE } else { exit::SUCCESS })
}

fn update_entry<'a>(url: &'a str, outcome: &'a Outcome) -> UpdateEntry<'a> {
    let mut entry = UpdateEntry {
        url,
        new: 0,
        updated: 0,
        skipped: 0,
        pages_failed: &[],
        not_modified: false,
        error: None,
    };
    match outcome {
        Outcome::Stored {
            stored,
            skipped,
            pages_failed,
        } => {
            (entry.new, entry.updated, entry.skipped) = (stored.new, stored.updated, *skipped);
            entry.pages_failed = pages_failed;
        }
        Outcome::NotModified => entry.not_modified = true,
        Outcome::Failed(why) => entry.error = Some(why),
    }
    entry
}

/// "3 new, 1 updated", "not modified", or the error in words.
fn said(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Stored {
            stored,
            skipped,
            pages_failed,
        } => {
            let mut line = format!("{} new", stored.new);
            if stored.updated > 0 {
                line.push_str(&format!(", {} updated", stored.updated));
            }
            if *skipped > 0 {
                line.push_str(&format!(", {skipped} without title or text skipped"));
            }
            if !pages_failed.is_empty() {
                let mut why: Vec<&str> = pages_failed.iter().map(String::as_str).collect();
                why.sort_unstable();
                why.dedup();
                let pages = if pages_failed.len() == 1 {
                    "page"
                } else {
                    "pages"
                };
                let why = sanitize(&why.join("; ")).into_owned();
                line.push_str(&format!(", {} {pages} failed ({why})", pages_failed.len()));
            }
            line
        }
        Outcome::NotModified => "not modified".into(),
        Outcome::Failed(why) => sanitize(why).into_owned(),
    }
}

/// Where sync keeps the synced stories and its journal.
pub fn sync_places(state: &Path) -> Result<crate::sync::Places, Failure> {
    let (_, data) = places().map_err(Failure::runtime)?;
    let data = data.parent().map_or(data.clone(), Path::to_owned);
    Ok(crate::sync::Places::new(&data, state))
}

/// `tidings update` with `[sync]`: the server, not the feeds.
pub fn sync(
    settings: &crate::config::SyncSettings,
    feeds: &FeedSettings,
    state: &Path,
) -> Result<u8, Failure> {
    let report =
        crate::sync::sync(settings, feeds, &sync_places(state)?).map_err(Failure::runtime)?;
    print_line(&format!(
        "{}: {} new, {} marks sent, {} marks taken",
        sanitize(&settings.url),
        report.new,
        report.sent,
        report.taken
    ))
}

/// The starred stories' ids, which `max_items` never drops.
pub(super) fn starred_ids(marks: &ReadState) -> Starred {
    marks
        .marks
        .iter()
        .filter(|(_, mark)| mark.starred)
        .map(|(id, _)| id.to_string())
        .collect()
}
