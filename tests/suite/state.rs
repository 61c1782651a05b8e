//! Read marks that survive: restarts, renamed files, two readers on one
//! state file, an unreadable state file, and SIGKILL mid-stream.

use std::path::Path;
use std::time::Duration;

use crate::common::pty::Session;
use crate::common::{Corpus, tidings};
use tidings::state::Store;

/// `n` stories, each with its own words so titles are their first
/// sentences and every story is distinct.
fn corpus(n: usize) -> Corpus {
    let corpus = Corpus::new();
    for i in 0..n {
        corpus.write(
            &format!("story-{i:03}.txt"),
            format!("Story number {i} says something of its own. It is {i} of {n}.\n"),
        );
    }
    corpus
}

fn title(i: usize) -> String {
    format!("Story number {i} says something of its own.")
}

fn list(corpus: &Corpus, state: &Path) -> serde_json::Value {
    let run = tidings(&[
        "list",
        "--json",
        "--state",
        state.to_str().unwrap(),
        corpus.path().to_str().unwrap(),
    ]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    run.json()
}

fn read_titles(corpus: &Corpus, state: &Path) -> Vec<String> {
    let stories = list(corpus, state);
    stories
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["read"] == true)
        .map(|s| s["title"].as_str().unwrap().to_owned())
        .collect()
}

fn reader(corpus: &Corpus, state: &Path) -> Session {
    Session::start(
        &[
            "--state",
            state.to_str().unwrap(),
            corpus.path().to_str().unwrap(),
        ],
        100,
        30,
    )
}

#[test]
fn a_mark_survives_quitting_and_restarting() {
    let corpus = corpus(3);
    let state = corpus.path().join("state/state.toml");
    let mut session = reader(&corpus, &state);
    session.wait_for(&format!("● {}", title(0)));
    session.send("m");
    session.wait_for("marked read");
    session.send("q");
    assert_eq!(session.wait_exit(), 0);
    assert_eq!(read_titles(&corpus, &state), [title(0)]);

    // On restart the marked story is read, so the first unread opens.
    let mut session = reader(&corpus, &state);
    let screen = session.wait_for_all(&[&format!("● {}", title(1)), "2 unread / 3"]);
    assert!(screen.contains("2 unread / 3"), "{screen}");
    session.send("q");
    assert_eq!(session.wait_exit(), 0);
}

#[test]
fn a_mark_follows_its_story_to_a_renamed_file() {
    let corpus = corpus(3);
    let state = corpus.path().join("state.toml");
    let mut session = reader(&corpus, &state);
    session.wait_for(&title(0));
    session.send("m");
    session.send("q");
    assert_eq!(session.wait_exit(), 0);
    std::fs::create_dir(corpus.path().join("moved")).unwrap();
    std::fs::rename(
        corpus.path().join("story-000.txt"),
        corpus.path().join("moved/renamed.txt"),
    )
    .unwrap();
    let stories = list(&corpus, &state);
    let moved = stories
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["path"].as_str().unwrap().ends_with("renamed.txt"))
        .unwrap();
    assert_eq!(moved["read"], true);
    assert_eq!(moved["title"], title(0));
}

#[test]
fn two_readers_on_one_state_file_keep_both_their_marks() {
    let corpus = corpus(4);
    let state = corpus.path().join("state.toml");
    let mut first = reader(&corpus, &state);
    let mut second = reader(&corpus, &state);
    first.wait_for(&title(0));
    second.wait_for(&title(0));
    // At once: one marks the story it opened with, the other opens (and so
    // marks) the next two.
    first.send("m");
    second.send("]]");
    first.wait_for("marked read");
    second.wait_for(&format!("{} ", title(2)));
    // Each saves when it quits, merging what the other saved.
    first.send("q");
    second.send("q");
    assert_eq!(first.wait_exit(), 0);
    assert_eq!(second.wait_exit(), 0);
    let mut read = read_titles(&corpus, &state);
    read.sort();
    assert_eq!(read, [title(0), title(1), title(2)]);
}

#[test]
fn a_reader_takes_in_the_marks_another_reader_saves() {
    let corpus = corpus(4);
    let state = corpus.path().join("state.toml");
    let mut first = reader(&corpus, &state);
    let mut second = reader(&corpus, &state);
    first.wait_for(&title(0));
    second.wait_for("4 unread / 4");
    first.send("m");
    first.wait_for("marked read");
    // The second counts the story read, and says who marked it rather
    // than claiming its own user did.
    let screen = second.wait_until(
        |s| s.contains("3 unread / 4"),
        "the other reader's mark to arrive",
    );
    assert!(
        screen.contains("marks updated by another tidings") && !screen.contains("marked read"),
        "{screen}"
    );
    for session in [&mut first, &mut second] {
        session.send("q");
        assert_eq!(session.wait_exit(), 0);
    }
    assert_eq!(read_titles(&corpus, &state), [title(0)]);
}

#[test]
fn an_unreadable_state_file_is_set_aside_and_never_overwritten() {
    let corpus = corpus(2);
    let dir = corpus.path().join("state");
    std::fs::create_dir(&dir).unwrap();
    let state = dir.join("state.toml");
    std::fs::write(&state, "version = 1\n[stories\nbroken").unwrap();
    let mut session = reader(&corpus, &state);
    session.wait_for("state file unreadable: set aside, no marks loaded");
    session.send("m");
    session.send("q");
    assert_eq!(session.wait_exit(), 0);
    // Told on stderr after the screen came back.
    let screen = session.screen();
    assert!(
        screen.contains("state.toml: unreadable (line 2")
            && screen.contains("started with no marks"),
        "{screen}"
    );
    // The broken file is kept, byte for byte, beside a fresh one.
    let kept: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("unreadable"))
        .collect();
    assert_eq!(kept.len(), 1);
    assert_eq!(
        std::fs::read_to_string(&kept[0]).unwrap(),
        "version = 1\n[stories\nbroken"
    );
    assert_eq!(read_titles(&corpus, &state), [title(0)]);
}

#[test]
fn a_state_folder_that_cannot_be_written_is_reported_and_retried() {
    let corpus = corpus(3);
    // A file where the folder should be: no one, root included, can save
    // there.
    let blocker = corpus.path().join("state");
    std::fs::write(&blocker, "in the way").unwrap();
    let state = blocker.join("state.toml");
    let mut session = reader(&corpus, &state);
    session.wait_for(&title(0));
    session.send("m");
    session.wait_for("marks not saved");
    // The reader goes on; once the folder can be made, the next change
    // saves everything.
    std::fs::remove_file(&blocker).unwrap();
    session.send("]");
    session.wait_for(&format!("{} ", title(1)));
    let deadline = std::time::Instant::now() + crate::common::pty::WAIT;
    while !state.exists() {
        assert!(
            std::time::Instant::now() < deadline,
            "the next change did not try again"
        );
        std::thread::yield_now();
    }
    session.send("q");
    assert_eq!(session.wait_exit(), 0);
    let mut read = read_titles(&corpus, &state);
    read.sort();
    assert_eq!(read, [title(0), title(1)]);
}

/// SIGKILL at random moments of a stream of marks: whatever is on disk
/// parses, and holds the marks in the order they were made, with no gap.
#[test]
fn sigkill_mid_stream_leaves_a_whole_state_file() {
    let corpus = corpus(60);
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut random = |below: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % below
    };
    let mut saved_runs = 0;
    for run in 0..24 {
        let state = corpus.path().join(format!("state-{run}.toml"));
        let mut session = reader(&corpus, &state);
        session.wait_for(&title(0));
        // `]` opens the next unread story, marking it read, and the story
        // shown at start with the first: stories 0, 1, 2...; `s` stars
        // each one opened: stories 1, 2... Bursts of keys, with now and
        // then a pause long enough for the reader to save.
        let keys = 3 + random(12);
        for _ in 0..keys {
            session.send("]s");
            std::thread::sleep(Duration::from_millis(if random(6) == 0 { 350 } else { 15 }));
        }
        session.signal("KILL");
        session.wait_exit();
        if !state.exists() {
            continue;
        }
        saved_runs += 1;
        let marks = Store::peek(&state)
            .unwrap_or_else(|e| panic!("run {run}: state file does not parse: {e}"));
        let read = read_titles(&corpus, &state);
        assert_eq!(marks.marks.values().filter(|m| m.read).count(), read.len());
        let expected: Vec<String> = (0..read.len()).map(title).collect();
        let mut read_sorted = read.clone();
        read_sorted.sort();
        let mut expected_sorted = expected.clone();
        expected_sorted.sort();
        assert_eq!(
            read_sorted, expected_sorted,
            "run {run}: marks saved out of order or with a gap"
        );
        // Stars too: each after its story's read mark, none lost between.
        let mut starred: Vec<String> = list(&corpus, &state)
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["starred"] == true)
            .map(|s| s["title"].as_str().unwrap().to_owned())
            .collect();
        starred.sort();
        let mut expected: Vec<String> = (1..=starred.len()).map(title).collect();
        expected.sort();
        assert_eq!(
            starred, expected,
            "run {run}: stars saved out of order or with a gap"
        );
        assert!(
            (1..=2).contains(&(read.len() - starred.len())),
            "run {run}: {} read, {} starred",
            read.len(),
            starred.len()
        );
    }
    assert!(
        saved_runs >= 8,
        "only {saved_runs} of 24 runs saved anything before the kill"
    );
}
