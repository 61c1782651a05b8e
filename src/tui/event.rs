//! Input for the main loop: terminal events, and the signals that must end
//! or suspend the reader.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::Duration;

use ratatui::crossterm::event::{self, KeyEvent, MouseEvent, MouseEventKind};
use ratatui::crossterm::terminal;
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM, SIGTSTP};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// SIGTERM, SIGHUP or SIGINT, or the terminal went away: quit cleanly.
    Terminate,
    /// SIGTSTP from outside (`kill -TSTP`): suspend as Ctrl-Z does.
    Suspend,
}

/// Where the main loop gets its input; tests script one.
pub trait Events {
    /// The next event, or None when `timeout` passes first.
    fn next(&mut self, timeout: Duration) -> io::Result<Option<Event>>;
}

/// The real terminal, plus signal flags.
///
/// crossterm reads the terminal on a thread of its own here: when the
/// terminal vanishes (its window closed), crossterm's reader retries a
/// read that returns nothing, forever, without returning to its caller
/// (crossterm-rs/crossterm#793). With reading on its own thread, the main
/// loop still sees the signal, or notices the terminal is gone, and quits;
/// the stuck thread ends with the process.
pub struct TerminalEvents {
    terminate: Arc<AtomicBool>,
    suspend: Arc<AtomicBool>,
    input: Receiver<io::Result<event::Event>>,
}

impl TerminalEvents {
    pub fn new() -> io::Result<Self> {
        let terminate = Arc::new(AtomicBool::new(false));
        let suspend = Arc::new(AtomicBool::new(false));
        for signal in [SIGTERM, SIGHUP, SIGINT] {
            signal_hook::flag::register(signal, Arc::clone(&terminate))?;
        }
        signal_hook::flag::register(SIGTSTP, Arc::clone(&suspend))?;
        let (sender, input) = mpsc::channel();
        std::thread::Builder::new()
            .name("input".into())
            .spawn(move || {
                loop {
                    let event = event::read();
                    let failed = event.is_err();
                    if sender.send(event).is_err() || failed {
                        return;
                    }
                }
            })?;
        Ok(TerminalEvents {
            terminate,
            suspend,
            input,
        })
    }
}

/// Signals, and a vanished terminal, are noticed within this long.
const CHECK_EVERY: Duration = Duration::from_millis(100);

impl Events for TerminalEvents {
    fn next(&mut self, timeout: Duration) -> io::Result<Option<Event>> {
        let mut left = timeout;
        loop {
            if self.terminate.swap(false, Ordering::Relaxed) {
                return Ok(Some(Event::Terminate));
            }
            if self.suspend.swap(false, Ordering::Relaxed) {
                return Ok(Some(Event::Suspend));
            }
            let wait = left.min(CHECK_EVERY);
            match self.input.recv_timeout(wait) {
                Ok(Ok(event)) => {
                    if let Some(event) = translate(event) {
                        return Ok(Some(event));
                    }
                }
                Ok(Err(e)) => return Err(e),
                Err(RecvTimeoutError::Disconnected) => return Ok(Some(Event::Terminate)),
                Err(RecvTimeoutError::Timeout) => {
                    // A terminal that no longer answers is gone for good.
                    if terminal::window_size().is_err() {
                        return Ok(Some(Event::Terminate));
                    }
                }
            }
            left = left.saturating_sub(wait);
            if left.is_zero() {
                return Ok(None);
            }
        }
    }
}

fn translate(event: event::Event) -> Option<Event> {
    match event {
        event::Event::Key(key) => Some(Event::Key(key)),
        // Motion is not asked for, but some terminals send it.
        event::Event::Mouse(m)
            if matches!(m.kind, MouseEventKind::Moved | MouseEventKind::Drag(_)) =>
        {
            None
        }
        event::Event::Mouse(mouse) => Some(Event::Mouse(mouse)),
        event::Event::Resize(w, h) => Some(Event::Resize(w, h)),
        _ => None,
    }
}
