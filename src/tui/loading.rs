//! The wait before the reader: the library is built on a thread of its
//! own while the screen shows how far it got, so a big corpus shows signs
//! of life at once and can be left with the quit key. Keys typed meanwhile
//! are kept and given to the reader when it opens, as a shell keeps
//! type-ahead.

use std::io;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use ratatui::Terminal;
use ratatui::layout::Rect;

use super::event::{Event, Events};
use super::{Edge, Outside, Suspend, WholeFrames, apply, draw_whole, force_full_redraw, run_loop};
use crate::action::Action;
use crate::app::App;
use crate::config::{KeyMap, Theme};
use crate::load::{Progress, ProgressReport};
use crate::model::Library;
use crate::ui;

/// A load that ends sooner is never shown, so that small ones do not
/// flash a progress box before the stories.
const SHOW_AFTER: Duration = Duration::from_millis(100);
/// How often the progress is redrawn at most.
const REDRAW_EVERY: Duration = Duration::from_millis(100);
/// How soon the end of the load is noticed: a millisecond is part of
/// the time to the headlines, and waking a thousand times a second for
/// the length of a load costs nothing to see.
const POLL: Duration = Duration::from_millis(1);

/// A library (or what the reader is made from) being built on another
/// thread, and how far it got.
pub struct Loading<T = Library> {
    progress: Arc<Progress>,
    library: JoinHandle<T>,
}

impl<T: Send + 'static> Loading<T> {
    /// Runs `load` on a new thread, reporting into the progress it is given.
    pub fn spawn(load: impl FnOnce(&Progress) -> T + Send + 'static) -> io::Result<Self> {
        let progress = Arc::new(Progress::default());
        let reported = Arc::clone(&progress);
        let library = std::thread::Builder::new()
            .name("load".into())
            .spawn(move || load(&reported))?;
        Ok(Loading { progress, library })
    }
}

/// Draws the load's progress until the library is ready, then runs the
/// reader `open` makes of it for the screen's area, over any backend. None
/// when the user quit (or a signal ended it) before the load was done.
pub fn run_loading<B: WholeFrames, T>(
    terminal: &mut Terminal<B>,
    outside: Outside<impl Events, impl Suspend, impl Edge>,
    loading: Loading<T>,
    theme: &Theme,
    keymap: &KeyMap,
    open: impl FnOnce(T, Rect) -> App,
) -> io::Result<Option<App>>
where
    B::Error: Send + Sync + 'static,
{
    let quit_key = keymap
        .keys_for(Action::Quit)
        .first()
        .map(ToString::to_string);
    let mut typed = Vec::new();
    let started = Instant::now();
    // When the progress was last drawn, and what it said then.
    let mut shown: Option<(Instant, ProgressReport)> = None;
    while !loading.library.is_finished() {
        let progress = loading.progress.report();
        let due = match shown {
            None => started.elapsed() >= SHOW_AFTER,
            Some((at, said)) => said != progress && at.elapsed() >= REDRAW_EVERY,
        };
        if due {
            draw_whole(terminal, |frame| {
                let area = frame.area();
                let quit = quit_key.as_deref();
                ui::loading_screen::render(progress, theme, quit, area, frame.buffer_mut());
            })?;
            shown = Some((Instant::now(), progress));
        }
        let Some(event) = outside.events.next(POLL)? else {
            continue;
        };
        let action = match &event {
            Event::Key(key) => keymap.action(key),
            _ => None,
        };
        match (event, action) {
            (Event::Terminate, _) | (_, Some(Action::Quit)) => return Ok(None),
            (Event::Suspend, _) | (_, Some(Action::Suspend)) => {
                outside.suspender.suspend(terminal)?;
                force_full_redraw(terminal)?;
                shown = None;
            }
            // Where a click lands means nothing yet.
            (Event::Mouse(_), _) => {}
            (event @ Event::Resize(..), _) => {
                typed.push(event);
                shown = None;
            }
            (event, _) => typed.push(event),
        }
    }
    let library = loading
        .library
        .join()
        .map_err(|_| io::Error::other("loading the stories failed"))?;
    // Made for the screen as it is, so the first story is laid out once.
    let size = terminal.size().map_err(io::Error::other)?;
    let mut app = open(library, Rect::new(0, 0, size.width, size.height));
    for event in typed {
        apply(&mut app, event);
    }
    run_loop(terminal, &mut app, outside)?;
    Ok(Some(app))
}
