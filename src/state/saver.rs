//! Saving in the background: the reader hands over each changed mark and
//! goes on; a thread of its own saves soon after changes stop (and at least
//! every few seconds while they do not), so keys never wait on the disk.
//! While idle it looks at the file now and then, and passes on the marks
//! another tidings saved there.

use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use compact_str::CompactString;

use super::{Chosen, Mark, ReadState, SaveError, Store};

/// Quiet time after a change before saving.
const DEBOUNCE: Duration = Duration::from_millis(300);
/// Changes that keep coming are saved at least this often.
const MAX_DELAY: Duration = Duration::from_secs(2);
/// With nothing to save, the file is looked at this often for marks
/// another tidings saved: one stat each time.
const WATCH_EVERY: Duration = Duration::from_secs(1);

/// News from the saving thread, for the reader.
#[derive(Debug)]
pub enum SaveStatus {
    Saved,
    /// Nothing saved; why. Tried again on the next change.
    Failed(SaveError),
    /// Saved, but something needs saying (an unreadable file set aside).
    Notice(String),
    /// Another tidings saved these marks; they are now this one's too.
    Merged(Vec<(CompactString, Mark)>),
}

enum Command {
    Change(CompactString, Mark),
    Source(Chosen),
    Flush(Sender<Result<(), SaveError>>),
}

pub struct Saver {
    commands: Sender<Command>,
    statuses: Receiver<SaveStatus>,
    thread: Option<JoinHandle<()>>,
}

impl Saver {
    /// Starts saving to `store`; `state` is what was loaded from it.
    pub fn spawn(store: Store, state: ReadState) -> Saver {
        let (commands, inbox) = mpsc::channel();
        let (report, statuses) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name("state".into())
            .spawn(move || run(store, state, &inbox, &report))
            .ok();
        Saver {
            commands,
            statuses,
            thread,
        }
    }

    /// A mark changed; it will be saved soon.
    pub fn record(&self, id: &str, mark: Mark) {
        let _ = self.commands.send(Command::Change(id.into(), mark));
    }

    /// The reader chose a source; it will be saved soon.
    pub fn choose_source(&self, chosen: Chosen) {
        let _ = self.commands.send(Command::Source(chosen));
    }

    /// Saves now and waits (at most `timeout`) until it is done.
    pub fn flush(&self, timeout: Duration) -> Result<(), SaveError> {
        let (ack, done) = mpsc::channel();
        self.commands
            .send(Command::Flush(ack))
            .map_err(|_| SaveError::Stopped)?;
        done.recv_timeout(timeout)
            .map_err(|_| SaveError::TimedOut)?
    }

    /// The news from the saving thread since last asked, oldest first.
    pub fn statuses(&self) -> Vec<SaveStatus> {
        self.statuses.try_iter().collect()
    }
}

impl Drop for Saver {
    /// Dropping the sender ends the thread after a last save.
    fn drop(&mut self) {
        let (commands, _) = mpsc::channel();
        drop(std::mem::replace(&mut self.commands, commands));
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn run(
    mut store: Store,
    mut state: ReadState,
    inbox: &Receiver<Command>,
    report: &Sender<SaveStatus>,
) {
    // Unsaved changes since this time; and whether the last save failed,
    // in which case the next change, not the clock, brings the next try.
    let mut dirty_since: Option<Instant> = None;
    let mut failed = false;
    loop {
        let wait = match dirty_since {
            Some(since) if !failed => DEBOUNCE.min(MAX_DELAY.saturating_sub(since.elapsed())),
            _ => WATCH_EVERY,
        };
        match inbox.recv_timeout(wait) {
            Ok(command @ (Command::Change(..) | Command::Source(_))) => {
                match command {
                    Command::Change(id, mark) => {
                        let merged = state
                            .marks
                            .get(&id)
                            .map_or(mark, |&known| mark.merge(known));
                        state.marks.insert(id, merged);
                    }
                    Command::Source(chosen) => state.source = Some(chosen),
                    Command::Flush(_) => {}
                }
                dirty_since.get_or_insert_with(Instant::now);
                failed = false;
                if dirty_since.is_some_and(|since| since.elapsed() >= MAX_DELAY) {
                    failed = !save(&mut store, &mut state, report);
                    dirty_since = dirty_since.filter(|_| failed);
                }
            }
            Ok(Command::Flush(ack)) => {
                let result = match dirty_since {
                    Some(_) => store.save(&mut state).map(drop),
                    None => Ok(()),
                };
                failed = result.is_err();
                dirty_since = dirty_since.filter(|_| failed);
                let _ = ack.send(result);
            }
            Err(RecvTimeoutError::Timeout) if dirty_since.is_some() && !failed => {
                failed = !save(&mut store, &mut state, report);
                dirty_since = dirty_since.filter(|_| failed);
            }
            Err(RecvTimeoutError::Timeout) => {
                let merged = store.refresh(&mut state);
                if !merged.is_empty() {
                    let _ = report.send(SaveStatus::Merged(merged));
                }
            }
            Err(RecvTimeoutError::Disconnected) => {
                if dirty_since.is_some() {
                    let _ = store.save(&mut state);
                }
                return;
            }
        }
    }
}

/// Saves and reports how it went; true if it was saved.
fn save(store: &mut Store, state: &mut ReadState, report: &Sender<SaveStatus>) -> bool {
    let status = match store.save(state) {
        Ok(saved) => {
            if !saved.merged.is_empty() {
                let _ = report.send(SaveStatus::Merged(saved.merged));
            }
            saved.notice.map_or(SaveStatus::Saved, SaveStatus::Notice)
        }
        Err(error) => SaveStatus::Failed(error),
    };
    let saved = !matches!(status, SaveStatus::Failed(_));
    let _ = report.send(status);
    saved
}
