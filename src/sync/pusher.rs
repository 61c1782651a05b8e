//! Marks sent to the server from the reader as they are made.

use super::Places;
use super::push;
use crate::config::{FeedSettings, SyncSettings};

/// Sends the marks made in the reader a moment after they are made, on a
/// thread of its own, while the server answers; what cannot be sent waits
/// in the journal for the next sync.
pub struct Pusher {
    nudges: std::sync::mpsc::Sender<()>,
}

/// Quiet after the last mark before pushing: long enough for the reader
/// to have saved its marks (within 2 s).
const PUSH_AFTER: std::time::Duration = std::time::Duration::from_millis(2500);

impl Pusher {
    pub fn spawn(settings: SyncSettings, feeds: FeedSettings, places: Places) -> Pusher {
        let (nudges, heard) = std::sync::mpsc::channel::<()>();
        let _ = crate::background::spawn("sync-push", move || {
            while heard.recv().is_ok() {
                while heard.recv_timeout(PUSH_AFTER).is_ok() {}
                let _ = push(&settings, &feeds, &places);
            }
        });
        Pusher { nudges }
    }

    /// A mark changed.
    pub fn nudge(&self) {
        let _ = self.nudges.send(());
    }
}
