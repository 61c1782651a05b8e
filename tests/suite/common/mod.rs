//! Helpers shared by the integration tests: story folders on disk and runs
//! of the real binary.

pub mod pty;
pub mod web;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use tempfile::TempDir;
use tidings::app::App;
use tidings::config::{KeyMap, ReaderSettings, Theme};
use tidings::model::Library;
use tidings::state::ReadState;

/// The reader on `library` at `width` x `height`, with the default
/// settings, keys and theme, and no marks.
pub fn reader(library: Library, width: u16, height: u16) -> App {
    App::new(
        library,
        ReadState::default(),
        ReaderSettings::default(),
        KeyMap::default(),
        Theme::default(),
        Rect::new(0, 0, width, height),
    )
}

/// The reader drawn as it would be on a terminal of its size.
pub fn draw(app: &App) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(app.area.width, app.area.height)).unwrap();
    terminal
        .draw(|frame| tidings::ui::render(app, frame))
        .unwrap();
    terminal
}

/// The story text on the top line of the story pane, as drawn.
pub fn top_story_line(app: &App) -> String {
    let terminal = draw(app);
    let buffer = terminal.backend().buffer();
    let body = app.story_areas().body;
    (body.x..body.x + body.width)
        .map(|x| buffer[(x, body.y)].symbol())
        .collect::<String>()
        .trim_end()
        .to_owned()
}

/// Polls the reader's search worker until the newest query's results have
/// arrived; false if they did not within `timeout`.
pub fn wait_for_search(app: &mut App, timeout: std::time::Duration) -> bool {
    let deadline = std::time::Instant::now() + timeout;
    while app.search_pending() {
        if std::time::Instant::now() > deadline {
            return false;
        }
        if !app.poll_search() {
            std::thread::sleep(std::time::Duration::from_millis(2));
        }
    }
    true
}

/// The reader on the bundled stories.
pub fn bundled_reader(width: u16, height: u16) -> App {
    reader(Library::build(tidings::bundled::load()), width, height)
}

/// The world outside the app, as tests see it: web addresses it was asked
/// to open and marks it was asked to save, kept, nothing done.
#[derive(Default)]
pub struct Recorder {
    pub opened: Vec<String>,
    pub saved: Vec<(String, tidings::state::Mark)>,
}

impl tidings::tui::Edge for Recorder {
    fn open_url(&mut self, url: &str) -> Result<String, tidings::tui::OpenError> {
        self.opened.push(url.to_owned());
        Ok("the test's browser".into())
    }

    fn save(&mut self, id: &str, mark: tidings::state::Mark) {
        self.saved.push((id.to_owned(), mark));
    }

    fn saving(&mut self) -> Vec<tidings::state::SaveStatus> {
        Vec::new()
    }

    fn update_feeds(&mut self) -> Result<tidings::app::FeedsWork, String> {
        Err("no feeds in this test".into())
    }
}

/// A temporary folder of story files.
pub struct Corpus {
    pub dir: TempDir,
}

impl Corpus {
    pub fn new() -> Self {
        Corpus {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `contents` to `name` (folders created as needed).
    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap();
        path
    }
}

/// The result of one run of the binary.
pub struct Run {
    pub status: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("{e}: {}", self.stdout))
    }
}

/// Runs `tidings` with `args`, with state and config kept out of the
/// user's home.
pub fn tidings(args: &[&str]) -> Run {
    let home = tempfile::tempdir().unwrap();
    tidings_at(home.path(), args)
}

/// Runs `tidings` with `args` and its config, state, cache and data under
/// `home`, which lasts from one run to the next.
pub fn tidings_at(home: &Path, args: &[&str]) -> Run {
    let output: Output = Command::new(env!("CARGO_BIN_EXE_tidings"))
        .args(args)
        .env("HOME", home)
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("XDG_DATA_HOME", home.join("data"))
        .output()
        .unwrap();
    Run {
        status: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

pub fn seed() -> &'static str {
    include_str!("../../../assets/stories/000_59c09bcc1ec4cdab.txt")
}

pub const SEED_TITLE: &str = "U.S.-Russia Talks Leave Ukraine Peace Efforts Uncertain";
