//! The terminal: entering and leaving the interface, the main loop, and
//! keeping the terminal as it was found on quit, panic, signals and
//! suspend.

pub mod event;
mod loading;
pub mod opener;

use std::fmt;
use std::io::{self, Write};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use ratatui::backend::Backend;
use ratatui::crossterm::{Command, execute};
use ratatui::{DefaultTerminal, Terminal};

use crate::app::{App, Effect, FeedsWork, PageNews, PageRequest};
use crate::state::{Chosen, Mark, SaveStatus, Saver};
use crate::ui;
use event::{Event, Events, TerminalEvents};
pub use loading::{Loading, run_loading};
pub use opener::OpenError;

/// With nothing happening, the loop still wakes this often.
const IDLE: Duration = Duration::from_secs(1);
/// How often the loop looks for search results while a query is out.
const SEARCH_POLL: Duration = Duration::from_millis(5);
/// How often the background indexing's progress is redrawn.
const INDEXING_POLL: Duration = Duration::from_millis(250);

/// Shows the load's progress until the library is built, then runs the
/// reader (made by `open`) until it quits. The terminal is restored however
/// it ends; the app comes back so its state can be saved, or None when the
/// user quit before the stories were loaded.
pub fn run<T>(
    loading: Loading<T>,
    theme: &crate::config::Theme,
    keymap: &crate::config::KeyMap,
    edge: &mut impl Edge,
    open: impl FnOnce(T, ratatui::layout::Rect) -> App,
) -> io::Result<Option<App>> {
    let mut events = TerminalEvents::new()?;
    let mut terminal = enter()?;
    let outside = Outside {
        events: &mut events,
        suspender: &mut Suspender,
        edge,
    };
    let result = run_loading(&mut terminal, outside, loading, theme, keymap, open);
    leave(&mut terminal);
    result
}

/// A backend that can show a frame whole: the terminal is told where a
/// frame begins and ends (synchronized output, DEC mode 2026), so it never
/// shows one half drawn. Terminals that do not know the mode ignore it.
pub trait WholeFrames: Backend {
    fn begin_frame(&mut self) -> io::Result<()>;
    fn end_frame(&mut self) -> io::Result<()>;
}

impl<W: Write> WholeFrames for ratatui::backend::CrosstermBackend<W> {
    fn begin_frame(&mut self) -> io::Result<()> {
        execute!(self, ratatui::crossterm::terminal::BeginSynchronizedUpdate)
    }

    fn end_frame(&mut self) -> io::Result<()> {
        execute!(self, ratatui::crossterm::terminal::EndSynchronizedUpdate)
    }
}

/// Tests draw into a buffer, which has no halves to hide.
impl WholeFrames for ratatui::backend::TestBackend {
    fn begin_frame(&mut self) -> io::Result<()> {
        Ok(())
    }

    fn end_frame(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Draws one frame, whole.
pub fn draw_whole<B: WholeFrames>(
    terminal: &mut Terminal<B>,
    render: impl FnOnce(&mut ratatui::Frame),
) -> io::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    terminal.backend_mut().begin_frame()?;
    let drawn = terminal.draw(render).map(drop).map_err(io::Error::other);
    // Ended even when drawing failed, so the terminal shows again.
    terminal.backend_mut().end_frame()?;
    drawn
}

/// What Ctrl-Z does to the terminal; tests replace it.
pub trait Suspend {
    fn suspend<B: Backend>(&mut self, terminal: &mut Terminal<B>) -> io::Result<()>;
}

/// The world outside the app that its effects reach: the browser and the
/// saving of marks. Tests replace it.
pub trait Edge {
    /// Opens a web address; gives the program it was given to, or why not.
    fn open_url(&mut self, url: &str) -> Result<String, OpenError>;
    /// Opens an enclosure's address with the media player.
    fn open_media(&mut self, url: &str) -> Result<String, OpenError> {
        self.open_url(url)
    }
    /// Saves a story's changed mark (in the background).
    fn save(&mut self, id: &str, mark: Mark);
    /// News of the saving since last asked, oldest first.
    fn saving(&mut self) -> Vec<SaveStatus>;
    /// Starts updating the feeds in the background; or why it cannot.
    fn update_feeds(&mut self) -> Result<FeedsWork, String>;
    /// Keeps the chosen source for the next start (in the background).
    fn choose_source(&mut self, _chosen: Chosen) {}
    /// Starts fetching a story's page in the background; or why it cannot.
    fn fetch_page(&mut self, _request: PageRequest) -> Result<Receiver<PageNews>, String> {
        Err("pages are not fetched here".into())
    }
}

/// Where the loop's input comes from and its effects go.
pub struct Outside<'a, E: Events, S: Suspend, D: Edge> {
    pub events: &'a mut E,
    pub suspender: &'a mut S,
    pub edge: &'a mut D,
}

/// Starts an update of the feeds (made by the command line, which knows
/// where they and the library are).
pub type FeedsUpdater = Box<dyn FnMut() -> Result<FeedsWork, String>>;

/// Starts fetching a story's page (made by the command line, which knows
/// the feed settings and where the library is).
pub type PageFetcher = Box<dyn FnMut(PageRequest) -> Receiver<PageNews>>;

/// The real world: the configured opener, the saving thread, the feeds.
pub struct Desktop {
    pub opener: Option<String>,
    /// `[open] media`: the player's program and arguments; empty for the
    /// opener.
    pub media: Vec<String>,
    pub saver: Saver,
    pub feeds: FeedsUpdater,
    pub pages: PageFetcher,
    /// With `[sync]`: sends marks to the server soon after they change.
    pub pusher: Option<crate::sync::Pusher>,
}

impl Edge for Desktop {
    fn open_url(&mut self, url: &str) -> Result<String, OpenError> {
        opener::open(self.opener.as_deref(), url)
    }

    fn open_media(&mut self, url: &str) -> Result<String, OpenError> {
        if self.media.is_empty() {
            return self.open_url(url);
        }
        opener::open_with(&self.media, url)
    }

    fn save(&mut self, id: &str, mark: Mark) {
        self.saver.record(id, mark);
        if let Some(pusher) = &self.pusher {
            pusher.nudge();
        }
    }

    fn saving(&mut self) -> Vec<SaveStatus> {
        self.saver.statuses()
    }

    fn update_feeds(&mut self) -> Result<FeedsWork, String> {
        (self.feeds)()
    }

    fn choose_source(&mut self, chosen: Chosen) {
        self.saver.choose_source(chosen);
    }

    fn fetch_page(&mut self, request: PageRequest) -> Result<Receiver<PageNews>, String> {
        Ok((self.pages)(request))
    }
}

/// The main loop, over any backend: draw when something changed, carry
/// out what the input asked, wait for input, apply it.
pub fn run_loop<B: WholeFrames>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    outside: Outside<impl Events, impl Suspend, impl Edge>,
) -> io::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    let Outside {
        events,
        suspender,
        edge,
    } = outside;
    let mut dirty = true;
    // What the app asked for, and the signals, which ask the same.
    let mut effects = Vec::new();
    loop {
        if dirty {
            draw_whole(terminal, |frame| ui::render(app, frame))?;
            dirty = false;
            // After the first frame, so it does not delay it.
            app.start_searcher();
        }
        effects.extend(app.take_effects());
        // Every effect is carried out, the saves after a quit too.
        let mut quit = false;
        for effect in effects.drain(..) {
            match effect {
                Effect::Quit => quit = true,
                effect => dirty |= carry_out(effect, terminal, app, suspender, edge)?,
            }
        }
        if quit {
            return Ok(());
        }
        if dirty {
            continue;
        }
        let wait = poll_every(app);
        let wait = app
            .until_update(Instant::now())
            .map_or(wait, |until| wait.min(until));
        let event = events.next(wait)?;
        dirty |= take_news(app, edge);
        match event {
            None => {}
            Some(Event::Terminate) => effects.push(Effect::Quit),
            Some(Event::Suspend) => effects.push(Effect::Suspend),
            Some(event) => {
                apply(app, event);
                dirty = true;
            }
        }
    }
}

/// Carries out one effect but quitting; true if the screen changed.
fn carry_out<B: WholeFrames>(
    effect: Effect,
    terminal: &mut Terminal<B>,
    app: &mut App,
    suspender: &mut impl Suspend,
    edge: &mut impl Edge,
) -> io::Result<bool>
where
    B::Error: Send + Sync + 'static,
{
    match effect {
        Effect::Quit => Ok(false),
        Effect::Suspend => {
            suspender.suspend(terminal)?;
            force_full_redraw(terminal)?;
            let size = terminal.size().map_err(io::Error::other)?;
            app.resize(size.width, size.height);
            Ok(true)
        }
        Effect::OpenUrl(url) => {
            let outcome = edge.open_url(&url);
            app.opened_url(&url, outcome);
            Ok(true)
        }
        Effect::OpenMedia(url) => {
            let outcome = edge.open_media(&url);
            app.opened_url(&url, outcome);
            Ok(true)
        }
        Effect::Save(id, mark) => {
            edge.save(&id, mark);
            Ok(false)
        }
        Effect::ChooseSource(chosen) => {
            edge.choose_source(chosen);
            Ok(false)
        }
        Effect::FetchPage(request) => {
            let work = edge.fetch_page(request.clone());
            app.page_with(&request, work);
            Ok(true)
        }
        Effect::UpdateFeeds => {
            match edge.update_feeds() {
                Ok(work) => app.feeds_with(work),
                Err(why) => app.message = Some(format!("feeds not updated: {why}")),
            }
            Ok(true)
        }
    }
}

/// How long to wait for input: while results are awaited, look for them
/// often; they arrive from the workers, not the terminal.
fn poll_every(app: &App) -> Duration {
    if app.search_pending() {
        SEARCH_POLL
    } else if app.indexing().is_some()
        || app.feeds_progress().is_some()
        || app.page_progress().is_some()
    {
        INDEXING_POLL
    } else {
        IDLE
    }
}

/// Takes in what the workers and the saver sent; true if the screen
/// changed.
fn take_news(app: &mut App, edge: &mut impl Edge) -> bool {
    let mut saved = false;
    for status in edge.saving() {
        saved |= app.saved(status);
    }
    app.poll_search()
        | saved
        | app.poll_indexing()
        | app.poll_feeds()
        | app.poll_page()
        | app.update_if_due(Instant::now())
}

/// Input that goes to the app; the loops deal with the signals themselves.
fn apply(app: &mut App, event: Event) {
    match event {
        Event::Key(key) => app.on_key(&key),
        Event::Mouse(mouse) => app.on_mouse(mouse),
        Event::Resize(width, height) => app.resize(width, height),
        Event::Terminate | Event::Suspend => {}
    }
}

/// After a suspend the screen holds whatever the shell drew: clear it and
/// forget the last frame, so the next draw paints every cell. (Terminal::
/// clear would do this too, but asks the terminal for the cursor position
/// first, and not every terminal answers.)
fn force_full_redraw<B: Backend>(terminal: &mut Terminal<B>) -> io::Result<()>
where
    B::Error: Send + Sync + 'static,
{
    terminal
        .backend_mut()
        .clear_region(ratatui::backend::ClearType::All)
        .map_err(io::Error::other)?;
    terminal.swap_buffers();
    terminal.swap_buffers();
    Ok(())
}

/// Clicks and the wheel, without motion reports: SGR-encoded button events
/// (1000, 1006). crossterm's EnableMouseCapture also asks for every motion.
struct EnableMouse;
struct DisableMouse;

impl Command for EnableMouse {
    fn write_ansi(&self, f: &mut impl fmt::Write) -> fmt::Result {
        f.write_str("\x1b[?1000h\x1b[?1006h")
    }
}

impl Command for DisableMouse {
    fn write_ansi(&self, f: &mut impl fmt::Write) -> fmt::Result {
        f.write_str("\x1b[?1006l\x1b[?1000l")
    }
}

fn enter() -> io::Result<DefaultTerminal> {
    let terminal = ratatui::try_init()?;
    // ratatui's panic hook restores raw mode and the screen; mouse reporting
    // and the cursor are ours to undo first.
    let restore_screen = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if crate::contained::is_contained() {
            return;
        }
        let _ = execute!(io::stdout(), DisableMouse, ratatui::crossterm::cursor::Show);
        restore_screen(info);
    }));
    execute!(io::stdout(), EnableMouse)?;
    Ok(terminal)
}

fn leave(terminal: &mut DefaultTerminal) {
    let _ = execute!(io::stdout(), DisableMouse);
    let _ = terminal.show_cursor();
    ratatui::restore();
    let _ = io::stdout().flush();
}

/// Ctrl-Z: give the terminal back, stop, and take it again on `fg`.
struct Suspender;

impl Suspend for Suspender {
    fn suspend<B: Backend>(&mut self, _terminal: &mut Terminal<B>) -> io::Result<()> {
        let _ = execute!(io::stdout(), DisableMouse, ratatui::crossterm::cursor::Show);
        ratatui::restore();
        // Our SIGTSTP handler only sets a flag; this stops the process the
        // way the default action would, and returns on SIGCONT.
        signal_hook::low_level::emulate_default_handler(signal_hook::consts::SIGTSTP)?;
        ratatui::crossterm::terminal::enable_raw_mode()?;
        execute!(
            io::stdout(),
            ratatui::crossterm::terminal::EnterAlternateScreen,
            EnableMouse
        )?;
        Ok(())
    }
}
