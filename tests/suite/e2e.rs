//! The real binary in a pseudo-terminal: start-up, keys, quitting, signals
//! and suspend, read off the emulated screen.

use crate::common::pty::{BACKSPACE, ENTER, Session, TAB};
use crate::common::{Corpus, SEED_TITLE, seed};

/// Two stories that name each other, beside the seed.
fn linked_corpus() -> Corpus {
    let corpus = Corpus::new();
    corpus.write("a-seed.txt", seed());
    corpus.write(
        "b-ferry.txt",
        "The harbour ferry will run every fifteen minutes from March, the port authority announced on Monday.\nExtra crews have been hired for the busier timetable.\n\n\nHarbour Ferry to Run Every Fifteen Minutes From March\nBridge Repairs Delayed Until Summer\n",
    );
    corpus.write(
        "c-bridge.txt",
        "Repairs to the old bridge are delayed until summer because the steel arrived late, the city said.\nTraffic will use the ferry and the ring road meanwhile.\n\n\nBridge Repairs Delayed Until Summer\nHarbour Ferry to Run Every Fifteen Minutes From March\n",
    );
    corpus
}

#[test]
fn read_follow_a_related_headline_go_back_and_quit() {
    let corpus = linked_corpus();
    let dir = corpus.path().to_str().unwrap();
    let mut session = Session::start(&[dir], 100, 30);
    // The first unread story in the index is open, with its related list.
    let screen = session.wait_for_all(&[SEED_TITLE, "Cuba Quietly Signals"]);
    assert!(screen.contains("Cuba Quietly Signals"), "{screen}");
    session.with_parser(|p| assert!(p.screen().alternate_screen()));

    // Open the ferry story from the index, then follow its related headline.
    session.send(TAB);
    session.send(TAB);
    session.send("j");
    session.send(ENTER);
    session.wait_for("The harbour ferry will run every fifteen minutes");
    session.send(TAB);
    session.send(ENTER);
    let screen = session.wait_for("Repairs to the old bridge are delayed");
    assert!(screen.contains("Bridge Repairs Delayed Until Summer"));

    session.send(BACKSPACE);
    session.wait_for("The harbour ferry will run every fifteen minutes");
    session.send(BACKSPACE);
    session.wait_for("The Kremlin signaled a notable shift");

    session.send("q");
    assert_eq!(session.wait_exit(), 0);
    session.assert_restored();
}

#[test]
fn the_bundled_stories_open_without_arguments_and_help_shows_keys() {
    let mut session = Session::start(&[], 100, 30);
    session.wait_for(SEED_TITLE);
    session.send("?");
    let screen = session.wait_for_all(&["Keys · Esc closes", "open the selected story"]);
    assert!(screen.contains("open the selected story"));
    session.send("\x1b");
    session.wait_until(|s| !s.contains("Keys · Esc closes"), "the help to close");
    session.send("\x03");
    assert_eq!(session.wait_exit(), 0);
    session.assert_restored();
}

#[test]
fn sigterm_restores_the_terminal() {
    let corpus = linked_corpus();
    let mut session = Session::start(&[corpus.path().to_str().unwrap()], 100, 30);
    session.wait_for(SEED_TITLE);
    session.signal("TERM");
    session.wait_exit();
    session.assert_restored();
}

#[test]
fn sighup_restores_the_terminal() {
    let corpus = linked_corpus();
    let mut session = Session::start(&[corpus.path().to_str().unwrap()], 100, 30);
    session.wait_for(SEED_TITLE);
    session.signal("HUP");
    session.wait_exit();
    session.assert_restored();
}

#[test]
fn ctrl_z_gives_the_terminal_back_and_fg_redraws() {
    let corpus = linked_corpus();
    let mut session = Session::start(&[corpus.path().to_str().unwrap()], 100, 30);
    session.wait_for(SEED_TITLE);
    session.send("\x1a");
    session.wait_until(
        |_| session.with_parser(|p| !p.screen().alternate_screen()),
        "the main screen",
    );
    session.assert_restored();
    session.signal("CONT");
    session.wait_until(
        |_| session.with_parser(|p| p.screen().alternate_screen()),
        "the reader to come back",
    );
    session.wait_for(SEED_TITLE);
    session.send("q");
    assert_eq!(session.wait_exit(), 0);
    session.assert_restored();
}

#[test]
fn escape_sequences_in_a_story_render_as_plain_words() {
    let corpus = Corpus::new();
    corpus.write(
        "evil.txt",
        "Alpha \u{1b}]0;PWNED TITLE\u{7}bravo \u{1b}]52;c;cHduZWQ=\u{7}charlie \u{1b}[2J\u{1b}[Hdelta \u{9b}5Aecho foxtrot.\nSecond line stays put.\n",
    );
    let mut session = Session::start(&[corpus.path().to_str().unwrap()], 100, 30);
    let screen = session.wait_for("Alpha bravo charlie delta echo foxtrot.");
    let rows: Vec<&str> = screen.lines().collect();
    // Nothing moved: the body starts on its usual row under the title, and
    // the frame is intact.
    let body_row = rows
        .iter()
        .position(|r| r.starts_with("│ Alpha bravo charlie"))
        .unwrap();
    assert_eq!(body_row, 4, "{screen}");
    assert!(
        rows[body_row + 2].contains("Second line stays put."),
        "{screen}"
    );
    assert!(rows[0].starts_with("┌ Story"), "{screen}");
    assert!(rows[28].starts_with("└"), "{screen}");
    assert!(!screen.contains("PWNED"));
    session.with_parser(|p| {
        assert!(p.callbacks().titles.is_empty(), "the title was set");
        assert!(
            p.callbacks().clipboard.is_empty(),
            "the clipboard was written"
        );
    });
    session.send("q");
    assert_eq!(session.wait_exit(), 0);
}

#[test]
fn clicks_select_and_open_and_the_wheel_scrolls() {
    let corpus = linked_corpus();
    let mut session = Session::start(&[corpus.path().to_str().unwrap()], 100, 30);
    let screen = session.wait_for_all(&[SEED_TITLE, "● Harbour Ferry to Run"]);
    session.with_parser(|p| {
        assert_ne!(
            p.screen().mouse_protocol_mode(),
            vt100::MouseProtocolMode::None
        )
    });
    // The index row of the ferry story; SGR mouse reports count from 1.
    let row = screen
        .lines()
        .position(|l| l.contains("● Harbour Ferry to Run"))
        .unwrap();
    let column = screen.lines().nth(row).unwrap().find("Harbour").unwrap();
    let column = screen.lines().nth(row).unwrap()[..column].chars().count();
    let click = format!(
        "\x1b[<0;{};{}M\x1b[<0;{};{}m",
        column + 1,
        row + 1,
        column + 1,
        row + 1
    );
    session.send(&click);
    session.send(&click);
    session.wait_for("The harbour ferry will run every fifteen minutes");
    // Back on the seed, longer than the screen, the wheel scrolls it.
    session.send(BACKSPACE);
    session.wait_for("The Kremlin signaled a notable shift");
    session.send("\x1b[<65;10;10M");
    session.send("\x1b[<65;10;10M");
    session.wait_until(
        |s| !s.contains("The Kremlin signaled a notable shift"),
        "the story to scroll",
    );
    session.send("q");
    assert_eq!(session.wait_exit(), 0);
}

#[test]
fn search_type_a_query_and_open_the_result() {
    let corpus = linked_corpus();
    let mut session = Session::start(&[corpus.path().to_str().unwrap()], 100, 30);
    session.wait_for(SEED_TITLE);
    session.send("/");
    session.wait_for("type to search");
    session.send("bridge");
    session.wait_for("H Bridge Repairs Delayed");
    session.send(ENTER);
    let screen = session.wait_for("Repairs to the old bridge are delayed");
    assert!(screen.contains("Bridge Repairs Delayed Until Summer"));
    session.send("q");
    assert_eq!(session.wait_exit(), 0);
}

#[test]
fn closing_the_terminal_ends_the_reader() {
    let corpus = linked_corpus();
    let mut session = Session::start(&[corpus.path().to_str().unwrap()], 100, 30);
    session.wait_for(SEED_TITLE);
    session.hang_up();
    // It exits rather than spinning on a terminal that is gone.
    session.wait_exit();
}

/// Each frame is written inside synchronized output, so a terminal (and
/// these tests) never shows one half drawn.
#[test]
fn every_frame_is_written_whole() {
    let mut session = Session::start(&[], 80, 24);
    session.wait_for("U.S.-Russia Talks");
    session.send("j");
    session.send("q");
    session.wait_exit();
    let transcript = session.transcript();
    let begins = transcript.matches("\x1b[?2026h").count();
    let ends = transcript.matches("\x1b[?2026l").count();
    assert!(
        begins >= 2 && begins == ends,
        "{begins} frames begun, {ends} ended"
    );
    // The title is drawn between the first frame's markers.
    let first = transcript.find("\x1b[?2026h").unwrap();
    let end = transcript[first..].find("\x1b[?2026l").unwrap() + first;
    assert!(
        transcript[first..end].contains("U.S.-Russia"),
        "no title in the first frame"
    );
}

#[test]
fn the_screen_is_read_only_between_frames() {
    use crate::common::pty::whole_frames;
    assert_eq!(whole_frames(b"plain"), 5);
    assert_eq!(whole_frames(b"a\x1b[?2026hhalf"), 1);
    assert_eq!(whole_frames(b"a\x1b[?2026hwhole\x1b[?2026lb"), 23);
    assert_eq!(whole_frames(b"\x1b[?2026hone\x1b[?2026l\x1b[?2026htwo"), 19);
    // A marker cut in two waits for its end.
    assert_eq!(whole_frames(b"ab\x1b[?20"), 2);
}
