//! The reader on tests/fixtures/hostile/: one file per hostile case (every
//! escape family, invalid UTF-8, NUL bytes, broken and mistyped TOML, a
//! 200,000-character line, headlines only, an empty file) and an oversize
//! file made here. The good stories show, the load problems are listed,
//! the terminal's title and clipboard are untouched, and nothing is drawn
//! outside the panes.

use crate::common::pty::Session;
use crate::common::{Corpus, tidings};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/hostile");

/// The fixtures, plus a file over the 16 MiB limit (sparse, so cheap).
fn hostile_folder() -> Corpus {
    let corpus = Corpus::new();
    for entry in std::fs::read_dir(FIXTURES).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, corpus.path().join(path.file_name().unwrap())).unwrap();
    }
    let huge = std::fs::File::create(corpus.path().join("huge.txt")).unwrap();
    huge.set_len(17 << 20).unwrap();
    corpus
}

#[test]
fn check_names_every_bad_file_and_its_reason() {
    let corpus = hostile_folder();
    let run = tidings(&["check", corpus.path().to_str().unwrap()]);
    assert_eq!(run.status, 1);
    let expect = [
        (
            "binary-nul.txt",
            "binary file (NUL byte at offset 7); not read",
        ),
        ("huge.txt", "larger than the 16 MiB limit; not read"),
        (
            "invalid-utf8.txt",
            "not UTF-8 text: invalid byte at offset 17",
        ),
        ("invalid.toml", "line 1, column 18: invalid basic string"),
        (
            "mistyped.toml",
            "line 3, column 8: invalid type: string \"yesterday\", expected a TOML datetime",
        ),
        (
            "unknown-key.toml",
            "line 3, column 1: unknown field `author`",
        ),
        ("empty.txt", "warning: empty file: no story in it"),
        (
            "headlines-only.txt",
            "warning: headlines only, no story text: 2 headlines added, no story made",
        ),
    ];
    for (name, reason) in expect {
        let prefix = format!("tidings: {}: {reason}", corpus.path().join(name).display());
        assert!(
            run.stderr.lines().any(|l| l.starts_with(&prefix)),
            "{prefix}\nin\n{}",
            run.stderr
        );
    }
    assert_eq!(
        run.stdout,
        "12 stories, 13 headlines, 6 errors, 2 warnings\n"
    );
}

#[test]
fn the_reader_shows_the_good_stories_lists_the_rest_and_keeps_the_terminal() {
    let corpus = hostile_folder();
    let (cols, rows) = (120u16, 40u16);
    let mut session = Session::start(&[corpus.path().to_str().unwrap()], cols, rows);
    let screen = session.wait_for("6 files not loaded, ! lists them");
    for title in [
        "Cursor Jumps and Colours",
        "Window Title Stays the",
        "Clipboard Write Never",
        "Eight Bit Controls",
        "Unbrokenxxx",
    ] {
        assert!(screen.contains(title), "{title} missing from\n{screen}");
    }
    assert!(
        !screen.contains("PWNED") && !screen.contains("hidden"),
        "{screen}"
    );

    // Every story opens and draws inside its pane, the long line too.
    for _ in 0..12 {
        let before = session.screen();
        session.send("]");
        // Each key draws a new frame (the next story, or a message); a
        // frame half-arrived is not yet one to judge.
        let screen = session.wait_until(
            |s| s != before && frame_problem(s, cols, rows).is_none(),
            "the next frame, drawn inside its panes",
        );
        assert!(
            !screen.contains("PWNED") && !screen.contains("evil.example"),
            "{screen}"
        );
    }

    session.send("!");
    // The list arrives in pieces: wait for all of it.
    let names = [
        "binary-nul.txt",
        "huge.txt",
        "invalid-utf8.txt",
        "invalid.toml",
        "mistyped.toml",
        "unknown-key.toml",
        "empty.txt",
        "headlines-only.txt",
    ];
    let listed = session.wait_until(
        |s| {
            s.contains("Load problems · 6 not loaded, 2 warnings")
                && names.iter().all(|name| s.contains(name))
        },
        "every problem file listed",
    );
    assert!(
        listed.contains("not UTF-8 text: invalid byte at offset 17"),
        "{listed}"
    );
    session.send("\x1b");
    session.wait_until(|s| !s.contains("Load problems"), "the list to close");

    session.with_parser(|p| {
        assert!(
            p.callbacks().titles.is_empty(),
            "the terminal title was set: {:?}",
            p.callbacks().titles
        );
        assert!(
            p.callbacks().clipboard.is_empty(),
            "the clipboard was written"
        );
    });
    session.send("q");
    assert_eq!(session.wait_exit(), 0);
    session.assert_restored();
}

/// The frame is where the layout puts it: each row opens and closes with a
/// border, the status line is last, so no text escaped its pane.
/// What is wrong with a frame, if anything: a row that does not start and
/// end on a pane's border, or is wider than the terminal.
fn frame_problem(screen: &str, cols: u16, rows: u16) -> Option<String> {
    let lines: Vec<&str> = screen.lines().collect();
    if lines.len() > usize::from(rows) {
        return Some(format!("{} rows", lines.len()));
    }
    for (y, line) in lines.iter().enumerate().take(usize::from(rows) - 1) {
        let first = line.chars().next().unwrap_or(' ');
        let last = line.chars().last().unwrap_or(' ');
        if !matches!(first, '┌' | '│' | '└') {
            return Some(format!("row {y} starts with {first:?}"));
        }
        if !matches!(last, '┐' | '│' | '┘') {
            return Some(format!("row {y} ends with {last:?}"));
        }
        if unicode_width::UnicodeWidthStr::width(*line) > usize::from(cols) {
            return Some(format!("row {y} too wide"));
        }
    }
    None
}
