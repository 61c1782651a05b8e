//! Saving in the background: the reader hands over each changed mark and
//! goes on; a thread of its own saves soon after changes stop (and at least
//! every few seconds while they do not), so keys never wait on the disk.

use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use compact_str::CompactString;

use super::{Mark, ReadState, Store};

/// Quiet time after a change before saving.
const DEBOUNCE: Duration = Duration::from_millis(300);
/// Changes that keep coming are saved at least this often.
const MAX_DELAY: Duration = Duration::from_secs(2);

/// How a save went, for the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveStatus {
    Saved,
    /// Nothing saved; the reason. Tried again on the next change.
    Failed(String),
    /// Saved, but something needs saying (an unreadable file set aside).
    Notice(String),
}

enum Command {
    Change(CompactString, Mark),
    Flush(Sender<Result<(), String>>),
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

    /// Saves now and waits (at most `timeout`) until it is done.
    pub fn flush(&self, timeout: Duration) -> Result<(), String> {
        let (ack, done) = mpsc::channel();
        self.commands
            .send(Command::Flush(ack))
            .map_err(|_| "the saving thread has stopped".to_owned())?;
        done.recv_timeout(timeout)
            .map_err(|_| "saving took too long".to_owned())?
    }

    /// The newest news from the saving thread, if any.
    pub fn try_status(&self) -> Option<SaveStatus> {
        self.statuses.try_iter().last()
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
    let mut save = |state: &mut ReadState| -> Result<(), String> {
        let status = match store.save(state) {
            Ok(None) => SaveStatus::Saved,
            Ok(Some(notice)) => SaveStatus::Notice(notice),
            Err(reason) => SaveStatus::Failed(reason),
        };
        let result = match &status {
            SaveStatus::Failed(reason) => Err(reason.clone()),
            _ => Ok(()),
        };
        let _ = report.send(status);
        result
    };
    loop {
        let command = match dirty_since {
            Some(since) if !failed => {
                let wait = DEBOUNCE.min(MAX_DELAY.saturating_sub(since.elapsed()));
                inbox.recv_timeout(wait)
            }
            _ => inbox.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };
        match command {
            Ok(Command::Change(id, mark)) => {
                let merged = state
                    .marks
                    .get(&id)
                    .map_or(mark, |&known| mark.merge(known));
                state.marks.insert(id, merged);
                dirty_since.get_or_insert_with(Instant::now);
                failed = false;
                if dirty_since.is_some_and(|since| since.elapsed() >= MAX_DELAY) {
                    failed = save(&mut state).is_err();
                    dirty_since = dirty_since.filter(|_| failed);
                }
            }
            Ok(Command::Flush(ack)) => {
                let result = if dirty_since.is_some() {
                    save(&mut state)
                } else {
                    Ok(())
                };
                failed = result.is_err();
                dirty_since = dirty_since.filter(|_| failed);
                let _ = ack.send(result);
            }
            Err(RecvTimeoutError::Timeout) => {
                failed = save(&mut state).is_err();
                dirty_since = dirty_since.filter(|_| failed);
            }
            Err(RecvTimeoutError::Disconnected) => {
                if dirty_since.is_some() {
                    let _ = save(&mut state);
                }
                return;
            }
        }
    }
}
