//! Sync with the feed server the user already runs (Tiny Tiny RSS, or one
//! that speaks the Fever API): a sibling of `feeds`, not a second model.
//! The server's articles become TOML stories in folders of their own (one
//! per feed, under `$XDG_DATA_HOME/tidings/sync/`), read and starred marks
//! meet the same state file, and changes that could not be sent wait in a
//! journal. Each protocol is one small client behind [`Remote`].
//!
//! One sync: the marks changed here since the last sync go into the
//! journal; those the server changed meanwhile leave it (`settle`);
//! the rest is sent, in order; then new articles come in, and marks
//! changed on the server since the last sync are taken.

mod book;
pub mod fever;
mod journal;
mod login;
mod pusher;
mod remote;
mod steps;
pub mod ttrss;

pub use book::{Book, Places, Seen};
pub use journal::{Change, Journal};
pub use login::{connect, password};
pub use pusher::Pusher;
pub use remote::{Fault, MarkKind, Remote, RemoteArticle, RemoteFeed, Unread};
pub use steps::{Report, push, status, sync};
