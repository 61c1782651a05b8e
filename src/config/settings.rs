//! The settings a config file holds, as plain data: what each section
//! means, never how the reader, the updater or a sync carries it out.

use std::time::Duration;

/// `[reader]`: behaviour of the reader.
#[derive(Debug, Clone, PartialEq)]
pub struct ReaderSettings {
    pub mark_read_on_open: bool,
    /// Reading a story of an event's cluster marks the whole cluster
    /// read.
    pub read_whole_event: bool,
    /// Columns of the sidebar; None sizes it to the terminal.
    pub sidebar_width: Option<u16>,
    pub sidebar_order: SidebarOrder,
    /// The story text is at most this wide, centred; 0 for no limit.
    pub text_width: u16,
    /// The program that opens web addresses; None picks the platform's.
    pub opener: Option<String>,
}

impl Default for ReaderSettings {
    fn default() -> Self {
        ReaderSettings {
            mark_read_on_open: true,
            read_whole_event: true,
            sidebar_width: None,
            sidebar_order: SidebarOrder::RelatedFirst,
            text_width: 100,
            opener: None,
        }
    }
}

/// `[open]`: the programs that open what a story links to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OpenSettings {
    /// The player for enclosures (`e`): a program and its arguments, where
    /// `{url}` stands for the address (added last if no argument has it);
    /// empty: the same opener as `o`.
    pub media: Vec<String>,
}

/// Which of the sidebar's lists is on top.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SidebarOrder {
    #[default]
    RelatedFirst,
    IndexFirst,
}

/// How `tidings update` fetches: the `[feeds]` options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedSettings {
    /// Seconds a feed may take, connecting and reading, before it fails.
    pub timeout: u64,
    /// Feeds fetched at once.
    pub jobs: usize,
    /// Bytes a response may hold; a longer one fails, read no further.
    pub max_bytes: u64,
    /// Stories kept per feed, unless its `max_items` says otherwise.
    pub max_items: usize,
    /// When the reader updates the feeds by itself.
    pub update: UpdateSchedule,
}

impl Default for FeedSettings {
    fn default() -> Self {
        FeedSettings {
            timeout: 20,
            jobs: 8,
            max_bytes: 16 * 1024 * 1024,
            max_items: 500,
            update: UpdateSchedule::default(),
        }
    }
}

/// `update_on_start` and `update_every` of `[feeds]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct UpdateSchedule {
    /// The reader updates the feeds when it starts...
    pub on_start: bool,
    /// ...and then this often; None never.
    pub every: Option<Duration>,
}

/// A saved search, `[[source]]`: a name and a query in the filter
/// language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedSearch {
    pub name: String,
    pub query: String,
}

/// `[sync]`: the server, the user, and where the password comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncSettings {
    pub service: Service,
    pub url: String,
    pub user: String,
    pub password: PasswordFrom,
}

/// The servers tidings syncs with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Service {
    TtRss,
    Fever,
}

impl Service {
    /// Its name in the config file.
    pub fn name(self) -> &'static str {
        match self {
            Service::TtRss => "ttrss",
            Service::Fever => "fever",
        }
    }

    /// Its API, as a message names it.
    pub fn api(self) -> &'static str {
        match self {
            Service::TtRss => "Tiny Tiny RSS's API",
            Service::Fever => "the Fever API",
        }
    }
}

/// Where the password comes from: never the configuration file itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PasswordFrom {
    /// A program and its arguments, run without a shell; the first line
    /// it prints.
    Command(Vec<String>),
    /// An environment variable's value.
    Env(String),
}
