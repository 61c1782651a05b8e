//! The binary's edge: parse the command line, run a command, turn the
//! outcome into an exit status and one-line messages on stderr.

mod args;
mod commands;
mod feed_commands;
mod progress_line;
mod reader;

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;

pub use args::{Cli, Command, Files, SyncCommand};
pub use commands::MarkHow;
pub use feed_commands::FeedsCommand;

use crate::bundled;
use crate::config::{self, Config};
use crate::index::{self, Choice, Mode, Opened};
use crate::load::Progress;
use crate::model::Library;
use crate::query::{Clause, Filter};
use crate::sources::Root;
use crate::state::{ReadState, Store};

/// Exit statuses of the README's "Command line".
pub mod exit {
    pub const SUCCESS: u8 = 0;
    /// A file could not be loaded (`check`), or a runtime error.
    pub const FAILURE: u8 = 1;
    pub const USAGE: u8 = 2;
}

/// A failure that ends the program with a message and a status.
#[derive(Debug)]
pub struct Failure {
    pub message: String,
    pub status: u8,
}

impl Failure {
    pub fn usage(message: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            status: exit::USAGE,
        }
    }

    pub fn runtime(message: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            status: exit::FAILURE,
        }
    }
}

pub fn main() -> ExitCode {
    crate::contained::quiet_contained_panics();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return clap_exit(&e),
    };
    match run(cli) {
        Ok(status) => ExitCode::from(status),
        Err(failure) => {
            eprintln!("tidings: {}", failure.message);
            ExitCode::from(failure.status)
        }
    }
}

pub fn run(cli: Cli) -> Result<u8, Failure> {
    if cli.print_default_config {
        write_stdout(|out| out.write_all(config::DEFAULT_CONFIG.as_bytes()))?;
        return Ok(exit::SUCCESS);
    }
    // Read before anything touches the terminal: a mistake ends start-up
    // with one line and the terminal as it was. A completion script needs
    // none.
    let config = match cli.command {
        Some(Command::Completions { shell }) => return print_completions(shell),
        _ => load_config(&cli.files)?,
    };
    match cli.command {
        None => reader::read(&cli.paths, &cli.files, config),
        Some(Command::Completions { shell }) => print_completions(shell),
        Some(command @ (Command::Feeds { .. } | Command::Update { .. } | Command::Sync { .. })) => {
            feeds_command(command, &config, &cli.files)
        }
        Some(command) => library_command(command, &config, &cli.files),
    }
}

/// `list`, `search`, `mark` and `check`: a command over the library.
fn library_command(command: Command, config: &Config, files: &Files) -> Result<u8, Failure> {
    let index = files.index_choice();
    match command {
        Command::List {
            json,
            unread,
            starred,
            feed,
            tag,
            since,
            paths,
        } => {
            let filters = list_filters(unread, starred, feed, tag, since.as_deref())?;
            let library = load_library(&paths, &index, Mode::Now);
            let marks = saved_marks(files);
            let status = commands::list(&filtering(&library, &marks, &paths), json, &filters);
            leave(library, status)
        }
        Command::Search {
            json,
            limit,
            query,
            paths,
        } => {
            let query = commands::parse_query(&query)?;
            let library = load_library(&paths, &index, Mode::Search);
            let marks = saved_marks(files);
            let view = filtering(&library, &marks, &paths);
            let status = commands::search(&view, &query, limit, json);
            leave(library, status)
        }
        Command::Clusters { json, min, paths } => {
            let library = load_library(&paths, &index, Mode::Now);
            let marks = saved_marks(files);
            let view = filtering(&library, &marks, &paths);
            let status = commands::clusters(&view, json, min);
            leave(library, status)
        }
        Command::Mark {
            how,
            ids,
            query,
            cluster,
            paths,
        } => {
            let query = query.as_deref().map(commands::parse_query).transpose()?;
            let mut store = Store::new(state_path(files)?);
            let mode = if query.is_some() {
                Mode::Search
            } else {
                Mode::Now
            };
            let library = load_library(&paths, &index, mode);
            let marks = saved_marks(files);
            let view = filtering(&library, &marks, &paths);
            let named = match (&query, &cluster) {
                (Some(query), _) => commands::Named::Query(query),
                (None, Some(cluster)) => commands::Named::Cluster(cluster),
                (None, None) => commands::Named::Ids(&ids),
            };
            let status = commands::mark(&view, how, named, &mut store);
            leave(library, status)
        }
        Command::Check { json, paths } => {
            let library = load_library(&paths, &index, Mode::Now);
            let status = commands::check(&library, json);
            leave(library, status)
        }
        Command::Completions { shell } => print_completions(shell),
        other => feeds_command(other, config, files),
    }
}

/// `feeds`, `update` and `sync`: the subscriptions, or the server that
/// holds them.
fn feeds_command(command: Command, config: &Config, files: &Files) -> Result<u8, Failure> {
    match command {
        Command::Feeds { command } => match &config.sync {
            Some(sync) if command.changes_subscriptions() => {
                feed_commands::on_server(command, sync, &config.feeds)
            }
            _ => feed_commands::run(command, &saved_marks(files), &config.feeds),
        },
        Command::Update { json, urls } => match &config.sync {
            Some(sync) => feed_commands::sync(sync, &config.feeds, &state_path(files)?),
            None => feed_commands::update(&config.feeds, &urls, json, &saved_marks(files)),
        },
        Command::Sync {
            command: SyncCommand::Status,
        } => {
            let sync = config.sync.as_ref().ok_or_else(|| {
                Failure::usage("no [sync] in the configuration: tidings syncs with no server")
            })?;
            let places = feed_commands::sync_places(&state_path(files)?)?;
            let said = crate::sync::status(sync, &places).map_err(Failure::runtime)?;
            write_stdout(|out| out.write_all(said.as_bytes()))?;
            Ok(exit::SUCCESS)
        }
        other => library_command(other, config, files),
    }
}

fn print_completions(shell: clap_complete::Shell) -> Result<u8, Failure> {
    let mut command = <Cli as clap::CommandFactory>::command();
    write_stdout(|out| {
        clap_complete::generate(shell, &mut command, "tidings", out);
        Ok(())
    })?;
    Ok(exit::SUCCESS)
}

/// The command's outcome, leaving the library to the operating system:
/// freeing a hundred thousand stories one by one takes longer than the
/// process takes to end.
fn leave(library: Library, status: Result<u8, Failure>) -> Result<u8, Failure> {
    std::mem::forget(library);
    status
}

/// The state file: `--state FILE`, else the XDG default.
fn state_path(files: &Files) -> Result<PathBuf, Failure> {
    files
        .state
        .clone()
        .or_else(crate::paths::state_file)
        .ok_or_else(|| {
            Failure::runtime(
                "no place for the state file: set HOME or XDG_STATE_HOME, or pass --state FILE",
            )
        })
}

/// The saved marks, for commands that only look. An unreadable file is
/// reported and treated as no marks; it is left where it is.
fn saved_marks(files: &Files) -> ReadState {
    let Ok(path) = state_path(files) else {
        return ReadState::default();
    };
    Store::peek(&path).unwrap_or_else(|problem| {
        let shown = crate::text::sanitize(&path.to_string_lossy()).into_owned();
        eprintln!("tidings: {shown}: unreadable ({problem}); every story counts as unread");
        ReadState::default()
    })
}

/// Loads PATHs through the index, or the bundled stories when there are
/// none; says on stderr what is wrong with the index, if anything.
pub fn load_library(paths: &[PathBuf], index: &Choice, mode: Mode) -> Library {
    let line = progress_line::ProgressLine::new();
    let opened = open_library(paths, index, mode, &line.progress);
    drop(line); // cleared before anything else is said

    if let Some(warning) = &opened.warning {
        eprintln!("tidings: {warning}");
    }
    opened.library
}

fn open_library(paths: &[PathBuf], index: &Choice, mode: Mode, progress: &Progress) -> Opened {
    let library;
    let paths = match paths {
        [] => {
            library = own_library();
            if library.is_empty() {
                return Opened {
                    library: Library::build(bundled::load()),
                    warning: None,
                    pending: None,
                    grown: false,
                };
            }
            &library[..]
        }
        named => named,
    };
    index::open_library(paths, index.path().as_deref(), mode, progress)
}

/// The library opened when no PATH is named: the feeds' stories and the
/// user's own story folder, those that hold a story file.
fn own_library() -> Vec<PathBuf> {
    let data = crate::paths::feeds_data().and_then(|feeds| feeds.parent().map(Path::to_owned));
    let stories = data.as_ref().map(|data| data.join("stories"));
    let synced = data.as_ref().map(|data| data.join("sync"));
    [crate::paths::feeds_data(), synced, stories]
        .into_iter()
        .flatten()
        .filter(|dir| holds_stories(dir))
        .collect()
}

/// The filters `tidings list` takes as options.
fn list_filters(
    unread: bool,
    starred: bool,
    feed: Option<String>,
    tag: Option<String>,
    since: Option<&str>,
) -> Result<Vec<Clause>, Failure> {
    let term = |filter| Clause {
        negated: false,
        filter,
    };
    let mut filters = Vec::new();
    if unread {
        filters.push(term(Filter::Unread));
    }
    if starred {
        filters.push(term(Filter::Starred));
    }
    if let Some(feed) = feed {
        filters.push(term(Filter::Feed(feed)));
    }
    if let Some(tag) = tag {
        filters.push(term(Filter::Tag(tag)));
    }
    if let Some(since) = since {
        let at = crate::query::when(since, crate::query::now()).ok_or_else(|| {
            Failure::usage(format!(
                "--since wants a time ago (30m, 12h, 7d, 2w) or a date (2026-11-01), not “{}”",
                crate::text::sanitize(since)
            ))
        })?;
        filters.push(term(Filter::Since(at)));
    }
    Ok(filters)
}

/// The library with its stories' feeds, folders and marks, for filters.
fn filtering<'a>(
    library: &'a Library,
    marks: &ReadState,
    paths: &[PathBuf],
) -> commands::Filtering<'a> {
    commands::Filtering::new(library, marks, &followed_feeds(), &roots_of(paths))
}

/// The feeds followed, address and title, for the sources: those of
/// feeds.toml (none if it cannot be read: `tidings feeds list` says why),
/// then those a sync brought.
fn followed_feeds() -> Vec<(String, Option<String>)> {
    let own = crate::paths::feeds_file()
        .and_then(|path| crate::feeds::read(&path).ok())
        .unwrap_or_default()
        .into_iter()
        .map(|feed| (feed.url, feed.title));
    let synced = crate::paths::feeds_data()
        .and_then(|feeds| feeds.parent().map(|data| data.join("sync")))
        .map(|dir| crate::sync::Book::load(&dir).feeds)
        .unwrap_or_default()
        .into_iter()
        .map(|(key, title)| (key, Some(title)));
    own.chain(synced).collect()
}

/// The folders of stories opened, each a source: the PATHs named, else
/// the user's stories folder, else the bundled stories. (The feeds'
/// folder is not one: each feed is a source of its own.)
fn roots_of(paths: &[PathBuf]) -> Vec<Root> {
    if !paths.is_empty() {
        return paths.iter().map(|p| Root::of(p)).collect();
    }
    let own = own_library();
    if own.is_empty() {
        return vec![Root::bundled()];
    }
    let feeds = crate::paths::feeds_data();
    let synced = feeds
        .as_ref()
        .and_then(|f| f.parent())
        .map(|data| data.join("sync"));
    own.iter()
        .filter(|dir| Some(*dir) != feeds.as_ref() && Some(*dir) != synced.as_ref())
        .map(|dir| Root::of(dir))
        .collect()
}

/// Whether any story file lies in `dir` or below; stops at the first.
fn holds_stories(dir: &std::path::Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().any(|entry| {
        let path = entry.path();
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        match entry.file_type() {
            Ok(kind) if kind.is_dir() && !hidden => holds_stories(&path),
            Ok(kind) if kind.is_file() && !hidden => {
                path.extension().is_some_and(|e| e == "txt" || e == "toml")
            }
            _ => false,
        }
    })
}

/// The configuration: `--config FILE` (which must exist), else the XDG
/// default (which may be missing). Errors are usage errors: exit status 2.
fn load_config(files: &Files) -> Result<Config, Failure> {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let (path, required) = match &files.config {
        Some(path) => (path.clone(), true),
        None => match crate::paths::config_file() {
            Some(path) => (path, false),
            None => return Ok(Config::default()),
        },
    };
    config::load(&path, required, no_color).map_err(|e| Failure::usage(e.to_string()))
}

/// Help and version go to stdout as clap writes them; a usage error becomes
/// one line on stderr and exit status 2.
fn clap_exit(e: &clap::Error) -> ExitCode {
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        let _ = e.print();
        return ExitCode::SUCCESS;
    }
    let rendered = e.render().to_string();
    let first = rendered.lines().next().unwrap_or("invalid arguments");
    let first = first.strip_prefix("error: ").unwrap_or(first);
    eprintln!(
        "tidings: {} (see tidings --help)",
        crate::text::sanitize(first)
    );
    ExitCode::from(exit::USAGE)
}

/// Writes to stdout; a closed pipe (`tidings list | head`) ends the output
/// quietly instead of failing.
pub(crate) fn write_stdout(
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Failure> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match write(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            Err(Failure::runtime(format!("cannot write output: {e}")))
        }
        _ => Ok(()),
    }
}
