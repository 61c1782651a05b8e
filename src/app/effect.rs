//! What applying input asks of the world outside the app. `update` only
//! changes the app and lists these; the loop in [`crate::tui`] carries them
//! out, so that what a key does can be tested without a browser, a disk or
//! a terminal.

use compact_str::CompactString;

use crate::state::{Chosen, Mark};

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    Quit,
    /// Ctrl-Z: give the terminal back until `fg`.
    Suspend,
    /// Open this web address (an http or https one) in the browser.
    OpenUrl(String),
    /// Open this enclosure's address with the media player.
    OpenMedia(String),
    /// A story's read mark or reading position changed: save it.
    Save(CompactString, Mark),
    /// Fetch the feeds in the background (see [`super::FeedsWork`]).
    UpdateFeeds,
    /// A source was chosen: keep it for the next start.
    ChooseSource(Chosen),
    /// Fetch a story's web page and keep its text (see [`super::PageWork`]).
    FetchPage(super::PageRequest),
}
