//! Input for the main loop: terminal events, and the signals that must end
//! or suspend the reader.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use ratatui::crossterm::event::{self, KeyEvent, MouseEvent, MouseEventKind};
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM, SIGTSTP};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// SIGTERM, SIGHUP or SIGINT: quit cleanly.
    Terminate,
    /// SIGTSTP from outside (`kill -TSTP`): suspend as Ctrl-Z does.
    Suspend,
}

/// Where the main loop gets its input; tests script one.
pub trait Events {
    /// The next event, or None when `timeout` passes first.
    fn next(&mut self, timeout: Duration) -> io::Result<Option<Event>>;
}

/// The real terminal, plus signal flags checked between polls.
pub struct TerminalEvents {
    terminate: Arc<AtomicBool>,
    suspend: Arc<AtomicBool>,
}

impl TerminalEvents {
    pub fn new() -> io::Result<Self> {
        let terminate = Arc::new(AtomicBool::new(false));
        let suspend = Arc::new(AtomicBool::new(false));
        for signal in [SIGTERM, SIGHUP, SIGINT] {
            signal_hook::flag::register(signal, Arc::clone(&terminate))?;
        }
        signal_hook::flag::register(SIGTSTP, Arc::clone(&suspend))?;
        Ok(TerminalEvents { terminate, suspend })
    }
}

/// Signals are noticed within this long even while no key is pressed.
const SIGNAL_CHECK: Duration = Duration::from_millis(100);

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
            let wait = left.min(SIGNAL_CHECK);
            if event::poll(wait)? {
                match event::read()? {
                    event::Event::Key(key) => return Ok(Some(Event::Key(key))),
                    // Motion is not asked for, but some terminals send it.
                    event::Event::Mouse(m)
                        if matches!(m.kind, MouseEventKind::Moved | MouseEventKind::Drag(_)) => {}
                    event::Event::Mouse(mouse) => return Ok(Some(Event::Mouse(mouse))),
                    event::Event::Resize(w, h) => return Ok(Some(Event::Resize(w, h))),
                    _ => {}
                }
            }
            left = left.saturating_sub(wait);
            if left.is_zero() {
                return Ok(None);
            }
        }
    }
}
