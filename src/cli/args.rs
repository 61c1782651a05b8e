//! The command line (README, "Command line"), declared for clap.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueHint};

#[derive(Debug, Parser)]
#[command(
    name = "tidings",
    version = env!("TIDINGS_VERSION"),
    about = "A terminal news reader",
    long_about = "A terminal news reader. With no command, opens the reader on PATHs \
                  (files or folders, walked recursively), or on the bundled stories when none are given.",
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Story files or folders to open; the bundled stories when none are given
    #[arg(value_name = "PATH", value_hint = ValueHint::AnyPath)]
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub files: Files,

    /// Print the default configuration, every option explained, and exit
    #[arg(long)]
    pub print_default_config: bool,
}

/// Where state and configuration live; accepted by every command.
#[derive(Debug, Clone, Default, Args)]
pub struct Files {
    /// Read marks file [default: $XDG_STATE_HOME/tidings/state.toml]
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath, global = true)]
    pub state: Option<PathBuf>,

    /// Configuration file [default: $XDG_CONFIG_HOME/tidings/config.toml]
    #[arg(long, value_name = "FILE", value_hint = ValueHint::FilePath, global = true)]
    pub config: Option<PathBuf>,

    /// The index, a cache of the library [default: $XDG_CACHE_HOME/tidings/index.sqlite]
    #[arg(
        long,
        value_name = "FILE",
        value_hint = ValueHint::FilePath,
        global = true,
        conflicts_with = "no_index"
    )]
    pub index: Option<PathBuf>,

    /// Read every file, without the index
    #[arg(long, global = true)]
    pub no_index: bool,
}

impl Files {
    /// The index to use.
    pub fn index_choice(&self) -> crate::index::Choice {
        use crate::index::Choice;
        match (&self.index, self.no_index) {
            (_, true) => Choice::Off,
            (Some(path), false) => Choice::File(path.clone()),
            (None, false) => Choice::Default,
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List stories in index order
    List {
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
        /// Only stories not yet read
        #[arg(long)]
        unread: bool,
        /// Only starred stories
        #[arg(long)]
        starred: bool,
        /// Only stories of feeds whose title or address holds NAME
        #[arg(long, value_name = "NAME")]
        feed: Option<String>,
        /// Only stories tagged TAG
        #[arg(long, value_name = "TAG")]
        tag: Option<String>,
        /// Only stories dated since WHEN: a time ago (12h, 7d, 2w) or a date (2026-11-01)
        #[arg(long, value_name = "WHEN")]
        since: Option<String>,
        #[arg(value_name = "PATH", value_hint = ValueHint::AnyPath)]
        paths: Vec<PathBuf>,
    },
    /// Search headlines and story text, best match first; filters (feed:, tag:, is:, since:, before:) narrow it
    Search {
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
        /// Print at most N results, the best first [default: every match]
        #[arg(long, value_name = "N")]
        limit: Option<usize>,
        query: String,
        #[arg(value_name = "PATH", value_hint = ValueHint::AnyPath)]
        paths: Vec<PathBuf>,
    },
    /// List the clusters of stories that tell one event, largest first, with their stories
    Clusters {
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
        /// Only clusters of at least N stories
        #[arg(long, value_name = "N", default_value_t = 2)]
        min: usize,
        #[arg(value_name = "PATH", value_hint = ValueHint::AnyPath)]
        paths: Vec<PathBuf>,
    },
    /// Load stories and report every problem found; exit 1 if a file could not be loaded
    Check {
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
        #[arg(value_name = "PATH", value_hint = ValueHint::AnyPath)]
        paths: Vec<PathBuf>,
    },
    /// Mark stories read or unread, star or unstar them, by id or by query
    Mark {
        #[arg(value_enum)]
        how: super::MarkHow,
        /// Story ids, as `tidings list --json` prints them
        #[arg(value_name = "ID", required_unless_present_any = ["query", "cluster"])]
        ids: Vec<String>,
        /// Every story the query finds (words and filters, as `tidings search` takes)
        #[arg(long, value_name = "QUERY", conflicts_with_all = ["ids", "cluster"])]
        query: Option<String>,
        /// Every story of one event's cluster (its id as `tidings clusters` prints it)
        #[arg(long, value_name = "ID", conflicts_with = "ids")]
        cluster: Option<String>,
        /// Where the stories are, if not in your library; repeat for more
        #[arg(long = "path", value_name = "PATH", value_hint = ValueHint::AnyPath)]
        paths: Vec<PathBuf>,
    },
    /// Follow web feeds: add, remove, list, import from or export to OPML
    Feeds {
        #[command(subcommand)]
        command: super::FeedsCommand,
    },
    /// Fetch every feed followed, or those named, into the library
    Update {
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
        #[arg(value_name = "URL")]
        urls: Vec<String>,
    },
    /// The feed server tidings syncs with ([sync] in the configuration)
    Sync {
        #[command(subcommand)]
        command: SyncCommand,
    },
    /// Print a shell completion script (see the README for where it goes)
    Completions {
        #[arg(value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
}

#[derive(Debug, Subcommand)]
pub enum SyncCommand {
    /// The service, the last sync and the local changes waiting to be sent
    Status,
}
