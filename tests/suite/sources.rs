//! The daily loop, through the real binary: sources with their counts,
//! stars, catch-up and its undo, filters at the prompt and on the command
//! line, saved searches, `tidings mark`.

use std::path::{Path, PathBuf};

use crate::common::pty::Session;
use crate::common::{Corpus, Run, tidings};

/// Five stories tagged world (one of them also city), two tagged city,
/// one with no tag; dated so the index order is known.
fn library() -> Corpus {
    let corpus = Corpus::new();
    let story = |name: &str, title: &str, tags: &str, day: u32| {
        corpus.write(
            &format!("lib/{name}.toml"),
            format!(
                "title = \"{title}\"\nbody = \"{title}. The text of {name}.\"\n\
                 date = 2026-11-{day:02}T08:00:00Z\ntags = [{tags}]\nid = \"{name}\"\n\
                 source = \"Wire\"\n"
            ),
        );
    };
    story("w1", "Harbor Strike Enters Third Day", "\"world\"", 20);
    story("w2", "Ferry Talks Resume at Dawn", "\"world\"", 19);
    story("w3", "Grain Ships Wait Offshore", "\"world\", \"city\"", 18);
    story("c1", "Council Votes on Bus Lanes", "\"city\"", 17);
    story("c2", "Library Extends Weekend Hours", "\"city\"", 16);
    story("n1", "Untagged Note on Rain", "", 15);
    corpus.write(
        "config.toml",
        "[[source]]\nname = \"harbor news\"\nquery = \"harbor is:unread\"\n",
    );
    corpus
}

/// The state and config given, no index: each run reads the files.
fn args(corpus: &Corpus, state: &Path, rest: &[&str]) -> Vec<String> {
    let config = corpus.path().join("config.toml");
    let mut all = vec![
        "--state".to_owned(),
        state.to_str().unwrap().to_owned(),
        "--config".to_owned(),
        config.to_str().unwrap().to_owned(),
        "--no-index".to_owned(),
    ];
    all.extend(rest.iter().map(|s| s.to_string()));
    all
}

fn strs(args: &[String]) -> Vec<&str> {
    args.iter().map(String::as_str).collect()
}

fn lib(corpus: &Corpus) -> PathBuf {
    corpus.path().join("lib")
}

fn reader(corpus: &Corpus, state: &Path) -> Session {
    let lib = lib(corpus);
    let args = args(corpus, state, &[lib.to_str().unwrap()]);
    Session::start(&strs(&args), 120, 30)
}

fn run(corpus: &Corpus, state: &Path, rest: &[&str]) -> Run {
    tidings(&strs(&args(corpus, state, rest)))
}

/// Each story's id with its read and starred marks, from `list --json`.
fn marks(corpus: &Corpus, state: &Path) -> Vec<(String, bool, bool)> {
    let lib = lib(corpus);
    let listed = run(corpus, state, &["list", "--json", lib.to_str().unwrap()]);
    assert_eq!(listed.status, 0, "{}", listed.stderr);
    listed
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["id"].as_str().unwrap().to_owned(),
                s["read"].as_bool().unwrap(),
                s["starred"].as_bool().unwrap(),
            )
        })
        .collect()
}

fn ids_where(marks: &[(String, bool, bool)], keep: impl Fn(bool, bool) -> bool) -> Vec<&str> {
    marks
        .iter()
        .filter(|(_, read, starred)| keep(*read, *starred))
        .map(|(id, _, _)| id.as_str())
        .collect()
}

#[test]
fn a_source_narrows_the_index_and_is_chosen_again_at_the_next_start() {
    let corpus = library();
    let state = corpus.path().join("state.toml");
    let mut session = reader(&corpus, &state);
    // Tags, a folder and a saved search: the pane is shown from the start,
    // each source with its unread count.
    let screen = session.wait_for_all(&["Sources", "#world", "/harbor news", "lib/", "Index · 6"]);
    let row = |screen: &str, name: &str| {
        screen
            .lines()
            .find(|l| l.contains(name))
            .map(|l| l.split('│').nth(1).unwrap_or("").to_owned())
            .unwrap_or_default()
    };
    assert!(row(&screen, "#world").trim_end().ends_with('3'), "{screen}");
    assert!(row(&screen, "#city").trim_end().ends_with('3'), "{screen}");
    assert!(
        row(&screen, "/harbor news").trim_end().ends_with('1'),
        "{screen}"
    );
    // S focuses the sources; the sixth row is #world (All, Unread, Starred,
    // the saved search, #city, #world).
    session.send("S");
    session.send("jjjjj");
    session.send("\r");
    let screen = session.wait_for("Index · world · 3 unread / 3");
    assert!(!screen.contains("Council Votes"), "{screen}");
    // ] stays in the source: from the first world story to the second.
    session.send("\r");
    session.wait_for("Index · world · 2 unread / 3");
    session.send("]");
    session.wait_for("Index · world · 1 unread / 3");
    session.send("q");
    assert_eq!(session.wait_exit(), 0);

    let mut again = reader(&corpus, &state);
    let screen = again.wait_for("Index · world · 1 unread / 3");
    assert!(screen.contains("▸ #world"), "{screen}");
    again.send("q");
    assert_eq!(again.wait_exit(), 0);
}

#[test]
fn a_star_shows_in_lists_and_facts_and_reaches_another_reader() {
    let corpus = library();
    let state = corpus.path().join("state.toml");
    let mut first = reader(&corpus, &state);
    let mut second = reader(&corpus, &state);
    first.wait_for("Harbor Strike Enters Third Day");
    second.wait_for("Harbor Strike Enters Third Day");
    first.send("s");
    let screen = first.wait_for_all(&["starred", "★ starred", "★ Harbor Strike"]);
    assert!(screen.contains("Starred"), "{screen}");
    // The other reader takes the star in from the state file.
    second.wait_until(
        |s| s.contains("★ Harbor Strike") && s.contains("marks updated by another tidings"),
        "the star made in the other reader",
    );
    for session in [&mut first, &mut second] {
        session.send("q");
        assert_eq!(session.wait_exit(), 0);
    }
    let marks = marks(&corpus, &state);
    assert_eq!(ids_where(&marks, |_, starred| starred), ["w1"]);
    let lib = lib(&corpus);
    let starred = run(
        &corpus,
        &state,
        &["list", "--starred", lib.to_str().unwrap()],
    );
    assert_eq!(starred.stdout.lines().count(), 1, "{}", starred.stdout);
    assert!(
        starred.stdout.starts_with("N* w1  Harbor Strike"),
        "{}",
        starred.stdout
    );
}

#[test]
fn catch_up_marks_the_source_read_at_once_and_z_undoes_it() {
    let corpus = library();
    let state = corpus.path().join("state.toml");
    let mut session = reader(&corpus, &state);
    session.wait_for("Sources");
    // #city: the fifth row.
    session.send("S");
    session.send("jjjj");
    session.send("\r");
    session.wait_for("Index · city · 3 unread / 3");
    session.send("A");
    session.wait_for_all(&[
        "marked 3 stories read; z undoes it",
        "Index · city · 0 unread / 3",
    ]);
    session.send("z");
    session.wait_for_all(&["3 marked unread again", "Index · city · 3 unread / 3"]);
    session.send("A");
    session.wait_for("marked 3 stories read");
    // Any other action ends what z can undo.
    session.send("j");
    session.send("z");
    session.wait_for("nothing to undo");
    session.send("q");
    assert_eq!(session.wait_exit(), 0);
    let marks = marks(&corpus, &state);
    let mut read = ids_where(&marks, |read, _| read);
    read.sort();
    assert_eq!(read, ["c1", "c2", "w3"]);
}

#[test]
fn filters_at_the_prompt_list_search_and_explain_mistakes() {
    let corpus = library();
    let state = corpus.path().join("state.toml");
    let mut session = reader(&corpus, &state);
    session.wait_for("Harbor Strike Enters Third Day");
    // Filters alone: the stories they keep, newest first.
    session.send("/tag:city -tag:world");
    let screen =
        session.wait_for_all(&["Filtered · 2 stories", "Council Votes", "Library Extends"]);
    assert!(!screen.contains("Grain Ships"), "{screen}");
    // Words and filters: only what both keep.
    session.send("\x15harbor tag:city");
    session.wait_for("no matches");
    session.send("\x15strike tag:world");
    session.wait_for_all(&["Search · 1", "Harbor Strike Enters Third Day"]);
    // Mistakes say what is wrong, and what they are.
    session.send(" colour:red");
    session.wait_for("unknown filter “colour:”; the filters are feed:NAME");
    session.send("\x15tag:sport");
    session.wait_for("no story is tagged “sport”");
    session.send("\x15since:yesterday");
    session.wait_for("since: wants a time ago");
    // Ctrl-A at the prompt marks every result read, and z undoes it.
    session.send("\x15is:unread tag:world");
    session.wait_for("Filtered · 3 stories");
    session.send("\x01");
    session.wait_for("marked 3 search results read; z undoes it");
    session.send("q");
    assert_eq!(session.wait_exit(), 0);
    let marks = marks(&corpus, &state);
    let mut read = ids_where(&marks, |read, _| read);
    read.sort();
    assert_eq!(read, ["w1", "w2", "w3"]);
}

#[test]
fn list_and_search_take_filters_and_list_json_gains_marks_feed_tags_and_date() {
    let corpus = library();
    let state = corpus.path().join("state.toml");
    let lib = lib(&corpus);
    let lib = lib.to_str().unwrap();
    let listed = run(&corpus, &state, &["list", "--json", "--tag", "CITY", lib]);
    assert_eq!(listed.status, 0, "{}", listed.stderr);
    let stories = listed.json();
    let ids: Vec<&str> = stories
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["w3", "c1", "c2"]);
    let first = &stories[0];
    assert_eq!(first["starred"], false);
    assert_eq!(first["feed"], serde_json::Value::Null);
    assert_eq!(first["tags"], serde_json::json!(["world", "city"]));
    assert_eq!(first["date"], "2026-11-18T08:00:00Z");

    let since = run(&corpus, &state, &["list", "--since", "2026-11-19", lib]);
    assert_eq!(since.stdout.lines().count(), 2, "{}", since.stdout);
    let bad = run(&corpus, &state, &["list", "--since", "last week", lib]);
    assert_eq!(bad.status, 2);
    assert!(
        bad.stderr.contains(
            "--since wants a time ago (30m, 12h, 7d, 2w) or a date (2026-11-01), not “last week”"
        ),
        "{}",
        bad.stderr
    );
    let nothing = run(&corpus, &state, &["list", "--feed", "gazette", lib]);
    assert_eq!(nothing.status, 1);
    assert!(
        nothing
            .stderr
            .contains("no feed followed matches “gazette”"),
        "{}",
        nothing.stderr
    );

    let found = run(
        &corpus,
        &state,
        &["search", "--json", "ships -tag:city", lib],
    );
    assert_eq!(found.json(), serde_json::json!([]));
    let found = run(
        &corpus,
        &state,
        &["search", "--json", "ships tag:city", lib],
    );
    assert_eq!(found.json()[0]["story"], "w3");
    let unknown = run(&corpus, &state, &["search", "is:new", lib]);
    assert_eq!(unknown.status, 2);
    assert!(
        unknown.stderr.contains("is: takes unread, read or starred"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn mark_sets_marks_by_id_or_query_and_an_unknown_id_changes_nothing() {
    let corpus = library();
    let state = corpus.path().join("state.toml");
    let lib = lib(&corpus);
    let lib = lib.to_str().unwrap();
    let marked = run(
        &corpus,
        &state,
        &["mark", "read", "w1", "c2", "--path", lib],
    );
    assert_eq!(marked.status, 0, "{}", marked.stderr);
    assert_eq!(marked.stdout, "2 stories marked read (2 changed)\n");
    let starred = run(
        &corpus,
        &state,
        &["mark", "star", "--query", "tag:city", "--path", lib],
    );
    assert_eq!(starred.stdout, "3 stories starred (3 changed)\n");
    let before = std::fs::read(&state).unwrap();
    let unknown = run(
        &corpus,
        &state,
        &["mark", "unread", "w1", "nope", "--path", lib],
    );
    assert_eq!(unknown.status, 1);
    assert!(
        unknown
            .stderr
            .contains("no story with id nope; nothing marked"),
        "{}",
        unknown.stderr
    );
    assert_eq!(
        std::fs::read(&state).unwrap(),
        before,
        "the state file is untouched"
    );
    let marks = marks(&corpus, &state);
    let mut read = ids_where(&marks, |read, _| read);
    read.sort();
    assert_eq!(read, ["c2", "w1"]);
    let mut starred = ids_where(&marks, |_, starred| starred);
    starred.sort();
    assert_eq!(starred, ["c1", "c2", "w3"]);
    let unstarred = run(
        &corpus,
        &state,
        &[
            "mark",
            "unstar",
            "--query",
            "is:starred council",
            "--path",
            lib,
        ],
    );
    assert_eq!(unstarred.stdout, "1 story unstarred (1 changed)\n");
}

#[test]
fn a_mistake_in_a_saved_search_is_a_config_error_with_its_place() {
    let corpus = library();
    let state = corpus.path().join("state.toml");
    let config = |text: &str| {
        corpus.write("config.toml", text);
        run(&corpus, &state, &["list", lib(&corpus).to_str().unwrap()])
    };
    let wrong = config("[[source]]\nname = \"mine\"\nquery = \"colour:red\"\n");
    assert_eq!(wrong.status, 2);
    assert!(
        wrong
            .stderr
            .contains("config.toml:3:9: unknown filter “colour:”"),
        "{}",
        wrong.stderr
    );
    let missing = config("[[source]]\nname = \"mine\"\n");
    assert!(
        missing
            .stderr
            .contains("config.toml:1:1: [[source]] needs a query"),
        "{}",
        missing.stderr
    );
    let twice = config(
        "[[source]]\nname = \"a\"\nquery = \"x\"\n[[source]]\nname = \"a\"\nquery = \"y\"\n",
    );
    assert!(
        twice
            .stderr
            .contains("config.toml:5:8: a source named \"a\" is defined twice"),
        "{}",
        twice.stderr
    );
    let every = config("[feeds]\nupdate_every = \"soon\"\n");
    assert!(
        every
            .stderr
            .contains("config.toml:2:16: update_every must be a time such as \"30m\""),
        "{}",
        every.stderr
    );
}

#[test]
fn a_related_headline_opens_its_story_and_the_source_stays() {
    use tidings::action::Action;
    use tidings::app::Pane;
    let files = [
        (
            "w.toml",
            "title = \"Harbor Strike Enters Third Day\"\nbody = \"Dockers stay out.\"\n\
             tags = [\"world\"]\nrelated = [\"Council Votes on Bus Lanes\"]\n",
        ),
        (
            "c.toml",
            "title = \"Council Votes on Bus Lanes\"\nbody = \"Buses get lanes.\"\ntags = [\"city\"]\n",
        ),
        (
            "o.toml",
            "title = \"Other\"\nbody = \"Other text.\"\ntags = [\"other\"]\n",
        ),
    ];
    let library = tidings::model::Library::build(tidings::load::load_sources(
        files.iter().map(|(p, t)| (*p, t.as_bytes())),
    ));
    let mut app = crate::common::reader(library, 120, 30);
    // The sources: All, Unread, Starred, #city, #other, #world.
    app.update(Action::ShowSources);
    app.update(Action::Last);
    app.update(Action::OpenSelected);
    assert_eq!(app.sources.narrowed_to(), Some("world"));
    assert_eq!(app.focus, Pane::Index);
    app.update(Action::OpenSelected);
    app.update(Action::FocusNext); // the related headlines
    assert_eq!(app.focus, Pane::Related);
    app.update(Action::OpenSelected);
    let open = app.open.expect("a story is open");
    assert_eq!(
        &*app.library.stories[open].title,
        "Council Votes on Bus Lanes"
    );
    // Still narrowed to world, though the story opened is not in it.
    assert_eq!(app.sources.narrowed_to(), Some("world"));
    let screen = format!("{:?}", crate::common::draw(&app).backend().buffer());
    assert!(screen.contains("Index · world · 0 unread / 1"), "{screen}");
}
