//! The configuration file: every bad config (one per fixture file under
//! tests/fixtures/config/, its expected message in its first line) stops
//! start-up with that one line and status 2; a remapped key works in the
//! reader and shows in its help; NO_COLOR draws without colour.

use crate::common::pty::Session;
use crate::common::{SEED_TITLE, tidings};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use ratatui::style::Color;
use tidings::app::App;
use tidings::config::ReaderSettings;
use tidings::config::{self, Config};
use tidings::model::Library;

const FIXTURES: &str = "tests/fixtures/config";

/// Each fixture with the message it must produce.
fn bad_configs() -> Vec<(String, String)> {
    let mut fixtures: Vec<(String, String)> = std::fs::read_dir(FIXTURES)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            let expect = text
                .lines()
                .next()
                .unwrap()
                .strip_prefix("# expect: ")
                .unwrap()
                .to_owned();
            let path = format!("{FIXTURES}/{}", path.file_name().unwrap().to_string_lossy());
            (path, expect)
        })
        .collect();
    fixtures.sort();
    assert!(fixtures.len() >= 8);
    fixtures
}

#[test]
fn each_bad_config_stops_start_up_with_its_message_and_status_2() {
    for (path, expect) in bad_configs() {
        for args in [vec!["--config", &path, "list"], vec!["--config", &path]] {
            let run = tidings(&args);
            assert_eq!(run.status, 2, "{path}: {}", run.stderr);
            assert_eq!(run.stderr, format!("tidings: {path}:{expect}\n"), "{path}");
            assert_eq!(run.stdout, "");
        }
    }
}

#[test]
fn a_config_error_never_leaves_the_terminal_raw() {
    let (path, expect) = bad_configs().remove(0);
    let mut session = Session::start(&["--config", &path], 100, 30);
    let screen = session.wait_for("tidings: ");
    assert_eq!(session.wait_exit(), 2);
    assert!(screen.contains(&expect), "{screen}");
    session.assert_restored();
}

#[test]
fn print_default_config_prints_the_embedded_file() {
    let run = tidings(&["--print-default-config"]);
    assert_eq!(run.status, 0);
    assert_eq!(run.stdout, config::DEFAULT_CONFIG);
}

#[test]
fn the_default_config_file_is_optional_but_read_when_present() {
    let corpus = crate::common::Corpus::new();
    // Through XDG_CONFIG_HOME, as a user's own file would be found.
    let run = tidings(&["list"]);
    assert_eq!(run.status, 0, "no config file is fine: {}", run.stderr);
    let config = corpus.write("config.toml", "[keys]\nj = \"warp\"\n");
    let run = tidings(&["--config", config.to_str().unwrap(), "list"]);
    assert_eq!(run.status, 2);
}

#[test]
fn a_remapped_key_works_and_the_help_shows_it() {
    let corpus = crate::common::Corpus::new();
    let config = corpus.write(
        "config.toml",
        "[keys]\n# Quit with x, and keep q for nothing.\nx = \"quit\"\nq = \"none\"\nf1 = \"help\"\n\n[theme]\nunread = \"bold #ff8800\"\n",
    );
    let mut session = Session::start(&["--config", config.to_str().unwrap()], 100, 40);
    session.wait_for(SEED_TITLE);
    session.send("\x1bOP");
    let help = session.wait_for_all(&["Keys · Esc closes", "Ctrl-C", "show this help"]);
    let quit_line = help.lines().find(|l| l.contains("quit")).unwrap();
    assert!(
        quit_line.contains(" x/Ctrl-C ") && !quit_line.contains("q/"),
        "{quit_line}"
    );
    assert!(
        help.lines()
            .any(|l| l.contains("?/F1") && l.contains("show this help")),
        "{help}"
    );
    session.send("\x1b");
    session.wait_until(|s| !s.contains("Keys · Esc closes"), "the help to close");
    // The status line's hints show the keys in force too.
    assert!(session.screen().contains("x quit"), "{}", session.screen());
    // q is unbound: it does nothing, which the help opened after it shows
    // (keys are taken in order, so q was taken first).
    session.send("q?");
    session.wait_for("Keys · Esc closes");
    session.send("\x1b");
    session.wait_until(|s| !s.contains("Keys · Esc closes"), "the help to close");
    session.send("x");
    assert_eq!(session.wait_exit(), 0);
}

#[test]
fn no_color_draws_without_colour_and_keeps_every_distinction() {
    let corpus = crate::common::Corpus::new();
    let path = corpus.path().join("none.toml");
    let config: Config = config::load(&path, false, true).unwrap();
    let library = Library::build(tidings::bundled::load());
    let area = Rect::new(0, 0, 80, 24);
    let mut app = App::new(
        library,
        Default::default(),
        ReaderSettings { ..config.settings },
        config.keymap,
        config.theme,
        area,
    );
    app.set_read(1, true);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal
        .draw(|frame| tidings::ui::render(&app, frame))
        .unwrap();
    let buffer = terminal.backend().buffer();
    for cell in buffer.content() {
        assert!(
            matches!(cell.fg, Color::Reset) && matches!(cell.bg, Color::Reset),
            "a coloured cell: {cell:?}"
        );
    }
    // The whole screen, styles included, as reviewed.
    insta::assert_snapshot!(format!("{buffer:?}"));
}

#[test]
fn the_readme_example_config_is_valid() {
    let readme = include_str!("../../README.md");
    let after = readme
        .split("An example that remaps two keys and one colour:")
        .nth(1)
        .unwrap();
    let example = after
        .split("```toml\n")
        .nth(1)
        .unwrap()
        .split("```")
        .next()
        .unwrap();
    let mut config = Config::default();
    config::apply(&mut config, example, "README.md").unwrap();
    assert_ne!(config, Config::default());
}
