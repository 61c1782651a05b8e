//! The wait before the reader: the progress screen, quitting before the
//! load is done, and keys typed during the load reaching the reader.

use std::collections::VecDeque;
use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::{Backend, TestBackend};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tidings::app::App;
use tidings::config::{KeyMap, Theme};
use tidings::load::{Progress, ProgressReport, Stage};
use tidings::model::Library;
use tidings::tui::event::{Event, Events};
use tidings::tui::{Loading, Outside, Suspend, run_loading};

fn key(c: char) -> Event {
    Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

/// After `pause`, hands out `typed` during the load; once the reader is
/// open, `q`.
struct Script {
    pause: Duration,
    typed: VecDeque<Event>,
    /// Told when every typed key has been handed out.
    typed_all: Option<mpsc::Sender<()>>,
    opened: Arc<AtomicBool>,
}

impl Events for Script {
    fn next(&mut self, timeout: Duration) -> io::Result<Option<Event>> {
        if !self.pause.is_zero() {
            let wait = timeout.min(self.pause);
            std::thread::sleep(wait);
            self.pause -= wait;
            return Ok(None);
        }
        if let Some(event) = self.typed.pop_front() {
            return Ok(Some(event));
        }
        if let Some(done) = self.typed_all.take() {
            let _ = done.send(());
        }
        if self.opened.load(Ordering::SeqCst) {
            return Ok(Some(key('q')));
        }
        std::thread::sleep(timeout);
        Ok(None)
    }
}

struct NoSuspend;

impl Suspend for NoSuspend {
    fn suspend<B: Backend>(&mut self, _: &mut Terminal<B>) -> io::Result<()> {
        Ok(())
    }
}

/// Records, for each suspend, whether the reader was open yet.
struct SuspendLog {
    opened: Arc<AtomicBool>,
    while_open: Vec<bool>,
}

impl Suspend for SuspendLog {
    fn suspend<B: Backend>(&mut self, _: &mut Terminal<B>) -> io::Result<()> {
        self.while_open.push(self.opened.load(Ordering::SeqCst));
        Ok(())
    }
}

/// Shows the load on an 80x24 test terminal, then the reader, which the
/// script is told about once it is open.
fn load_then_read(
    loading: Loading,
    events: &mut Script,
    suspender: &mut impl Suspend,
) -> (Option<App>, Terminal<TestBackend>) {
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let opened = Arc::clone(&events.opened);
    let outside = Outside {
        events,
        suspender,
        edge: &mut crate::common::Recorder::default(),
    };
    let app = run_loading(
        &mut terminal,
        outside,
        loading,
        &Theme::default(),
        &KeyMap::default(),
        |library, area| {
            opened.store(true, Ordering::SeqCst);
            crate::common::reader(library, area.width, area.height)
        },
    )
    .unwrap();
    (app, terminal)
}

#[test]
fn keys_typed_while_loading_reach_the_reader() {
    // The load waits until every key has been typed, so they all arrive
    // while the progress screen is up.
    let (typed_all, go) = mpsc::channel();
    let loading = Loading::spawn(move |_| {
        let _ = go.recv();
        Library::build(tidings::bundled::load())
    })
    .unwrap();
    let mut events = Script {
        pause: Duration::ZERO,
        typed: [key('j'), key('j'), key('j')].into(),
        typed_all: Some(typed_all),
        opened: Arc::default(),
    };
    let (app, _) = load_then_read(loading, &mut events, &mut NoSuspend);
    let app = app.expect("the reader opened");
    assert_eq!(app.page.scroll, 3, "each j scrolled the first story a line");
}

#[test]
fn the_quit_key_leaves_before_the_load_is_done() {
    // This load never finishes on its own.
    let (release, blocked) = mpsc::channel::<()>();
    let loading = Loading::spawn(move |_: &Progress| {
        let _ = blocked.recv();
        Library::default()
    })
    .unwrap();
    // Long enough for the progress to be shown.
    let mut events = Script {
        pause: Duration::from_millis(200),
        typed: [key('q')].into(),
        typed_all: None,
        opened: Arc::new(AtomicBool::new(false)),
    };
    let (app, terminal) = load_then_read(loading, &mut events, &mut NoSuspend);
    assert!(app.is_none(), "no reader was opened");
    // The progress screen was up, with the key that quits.
    let screen = terminal.backend().to_string();
    assert!(screen.contains("Looking for stories…"), "{screen}");
    assert!(screen.contains("q quit"), "{screen}");
    // Lets the load thread end.
    drop(release);
}

fn progress_screen(snapshot: ProgressReport, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| {
            let area = frame.area();
            tidings::ui::loading_screen::render(
                snapshot,
                &Theme::default(),
                Some("q"),
                area,
                frame.buffer_mut(),
            );
        })
        .unwrap();
    terminal.backend().to_string()
}

#[test]
fn progress_screen_while_reading() {
    let snapshot = ProgressReport {
        stage: Stage::Reading,
        files: 100_000,
        read: 42_318,
    };
    insta::assert_snapshot!(progress_screen(snapshot, 60, 12));
}

#[test]
fn progress_screen_while_building_and_at_any_size() {
    let snapshot = ProgressReport {
        stage: Stage::Building,
        files: 100_000,
        read: 100_000,
    };
    assert!(
        progress_screen(snapshot, 80, 24).contains("Read 100,000 files; finding titles and links…")
    );
    for (width, height) in [(1, 1), (2, 3), (10, 2), (30, 5), (300, 100)] {
        progress_screen(snapshot, width, height);
    }
}

#[test]
fn ctrl_z_while_loading_suspends_at_once() {
    let (typed_all, go) = mpsc::channel();
    let loading = Loading::spawn(move |_| {
        let _ = go.recv();
        Library::build(tidings::bundled::load())
    })
    .unwrap();
    let opened = Arc::new(AtomicBool::new(false));
    let ctrl_z = Event::Key(KeyEvent::new(KeyCode::Char('z'), KeyModifiers::CONTROL));
    let mut events = Script {
        pause: Duration::ZERO,
        typed: [ctrl_z].into(),
        typed_all: Some(typed_all),
        opened: Arc::clone(&opened),
    };
    let mut suspender = SuspendLog {
        opened: Arc::clone(&opened),
        while_open: Vec::new(),
    };
    let (app, _) = load_then_read(loading, &mut events, &mut suspender);
    assert!(app.is_some(), "the reader opened");
    assert_eq!(
        suspender.while_open,
        [false],
        "one suspend, during the load"
    );
}
