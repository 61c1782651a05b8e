//! `tidings feeds`: subscribing, unsubscribing, listing, and OPML in and
//! out. Fetching the feeds (`tidings update`) is yet to come.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{Failure, exit, write_stdout};
use crate::feeds::{self, EditError, Subscription};
use crate::text::sanitize;

#[derive(Debug, clap::Subcommand)]
pub enum FeedsCommand {
    /// Subscribe to a feed by its web address
    Add {
        url: String,
        /// The feed's name in lists
        #[arg(long)]
        title: Option<String>,
        /// A tag for the feed's stories; repeat for more
        #[arg(long = "tag", value_name = "TAG")]
        tags: Vec<String>,
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

pub fn run(command: FeedsCommand) -> Result<u8, Failure> {
    let path = feeds::default_path()
        .ok_or_else(|| Failure::runtime("no home folder, so no place for feeds.toml"))?;
    match command {
        FeedsCommand::Add { url, title, tags } => {
            let url = feeds::checked_url(&url).map_err(Failure::usage)?;
            let feed = Subscription {
                title,
                tags,
                ..Subscription::new(&url)
            };
            let added = feeds::add(&path, &[feed]).map_err(edit_failure)?;
            let said = if added.is_empty() {
                "already subscribed to"
            } else {
                "subscribed to"
            };
            print_line(&format!("{said} {}", sanitize(&url)))
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
        FeedsCommand::List { json } => list(&read(&path)?, json),
        FeedsCommand::Import { file } => import(&path, &file),
        FeedsCommand::Export => {
            let opml = feeds::opml::write(&read(&path)?);
            write_stdout(|out| out.write_all(opml.as_bytes()))?;
            Ok(exit::SUCCESS)
        }
    }
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
    last_update: Option<String>,
    last_error: Option<String>,
}

fn list(subscriptions: &[Subscription], json: bool) -> Result<u8, Failure> {
    let data = feeds::default_data_dir();
    let entries: Vec<FeedEntry> = subscriptions
        .iter()
        .map(|feed| FeedEntry {
            url: &feed.url,
            title: feed.title.as_deref(),
            tags: &feed.tags,
            stories: data.as_ref().map_or(0, |data| {
                stories_in(&data.join(feeds::folder_name(&feed.url)))
            }),
            // Kept by `tidings update`, which is yet to come.
            last_update: None,
            last_error: None,
        })
        .collect();
    write_stdout(|out| {
        if json {
            serde_json::to_writer(&mut *out, &entries).map_err(std::io::Error::other)?;
            return writeln!(out);
        }
        for entry in &entries {
            let mut line = format!("{:>5} stories  {}", entry.stories, sanitize(entry.url));
            if let Some(title) = entry.title {
                line.push_str(&format!("  {}", sanitize(title)));
            }
            if !entry.tags.is_empty() {
                line.push_str(&format!("  [{}]", sanitize(&entry.tags.join(", "))));
            }
            writeln!(out, "{line}")?;
        }
        Ok(())
    })?;
    Ok(exit::SUCCESS)
}

/// The story files in a feed's folder.
fn stories_in(folder: &Path) -> usize {
    std::fs::read_dir(folder).map_or(0, |entries| {
        entries
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "toml"))
            .count()
    })
}

fn import(path: &Path, file: &Path) -> Result<u8, Failure> {
    let shown = sanitize(&file.to_string_lossy()).into_owned();
    let bytes = std::fs::read(file)
        .map_err(|e| Failure::runtime(format!("{shown}: {}", crate::io_error::describe(&e))))?;
    let listed =
        feeds::opml::read(&bytes).map_err(|e| Failure::runtime(format!("{shown}: {e}")))?;
    let mut feeds_found = Vec::new();
    let mut skipped = 0;
    for feed in listed {
        match feeds::checked_url(&feed.url) {
            Ok(url) => feeds_found.push(Subscription { url, ..feed }),
            Err(why) => {
                skipped += 1;
                eprintln!("tidings: {shown}: skipped: {}", sanitize(&why));
            }
        }
    }
    let added = feeds::add(path, &feeds_found).map_err(edit_failure)?;
    let already = feeds_found.len() - added.len();
    print_line(&format!(
        "imported {} feed{} ({already} already subscribed, {skipped} skipped)",
        added.len(),
        if added.len() == 1 { "" } else { "s" }
    ))
}
