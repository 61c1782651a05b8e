//! Story clusters through the real binary: feeds on 127.0.0.1 telling one
//! event, `list --json`'s `cluster` and `sources`, `tidings clusters`,
//! `mark --cluster`, a cluster growing as a story arrives in an update,
//! and the folded index in a pseudo-terminal.

use std::sync::{Arc, Mutex};

use crate::common::pty::Session;
use crate::common::tidings_at;
use crate::common::web::*;

/// An RSS feed called `name` with `items` (guid, title, text, date).
fn feed(name: &str, items: &[(&str, &str, &str, &str)]) -> String {
    let mut xml = format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{name}</title>\
         <link>https://{name}.example/</link>"
    );
    for (guid, title, text, date) in items {
        xml.push_str(&format!(
            "<item><guid>{guid}</guid><title>{title}</title><link>https://{name}.example/{guid}</link>\
             <pubDate>{date}</pubDate><description>{text}</description></item>"
        ));
    }
    xml.push_str("</channel></rss>");
    xml
}

const DAY1: &str = "Fri, 27 Nov 2026 08:00:00 GMT";
/// The strike's reports, later that day than the other news.
const NEWS: &str = "Fri, 27 Nov 2026 10:00:00 GMT";
const DAY2: &str = "Sat, 28 Nov 2026 09:00:00 GMT";

const CRANES: &str = "Harbor Cranes Fall Silent as Lindmouth Dockworkers Strike";
const SHIPS: &str = "Ships Queue Off Lindmouth on First Day of Dockworkers Strike";
const TALKS: &str = "Lindmouth Dockworkers Strike Talks Stall Over Pay";
const LATER: &str = "Lindmouth Dockworkers End Strike After Pay Deal";

/// Three feeds telling one strike, each with a story of its own; and a
/// fourth story of the strike that the radio's feed gains when `more`.
fn server(more: Arc<Mutex<bool>>) -> Server {
    Server::start(move |request| {
        let strike = "Dockworkers at the port of Lindmouth walked out over pay, leaving the \
                      harbor cranes silent and ships waiting offshore.";
        match request.url() {
            "/gazette" => ok(&feed(
                "Gazette",
                &[
                    ("cranes", CRANES, strike, NEWS),
                    (
                        "lanes",
                        "Council Approves Cycle Lanes on Mill Road",
                        "Mill Road will get protected cycle lanes next spring.",
                        DAY1,
                    ),
                ],
            )),
            "/radio" => {
                let mut items = vec![
                    ("ships", SHIPS, strike, NEWS),
                    (
                        "choir",
                        "Cathedral Choir Tours Norway",
                        "The cathedral choir leaves for a ten-day tour of Norway.",
                        DAY1,
                    ),
                ];
                if *more.lock().unwrap() {
                    items.push((
                        "deal",
                        LATER,
                        "The Lindmouth dockworkers' strike over pay ended after a deal.",
                        DAY2,
                    ));
                }
                ok(&feed("Radio", &items))
            }
            "/weekly" => ok(&feed(
                "Weekly",
                &[
                    ("talks", TALKS, strike, NEWS),
                    (
                        "bakery",
                        "Old Bakery Reopens as a Museum",
                        "The old bakery on Quay Street reopens as a museum of bread.",
                        DAY1,
                    ),
                ],
            )),
            _ => Reply::Full(404, vec![], Vec::new()),
        }
    })
}

fn listed(home: &std::path::Path, args: &[&str]) -> Vec<serde_json::Value> {
    let run = tidings_at(home, args);
    assert_eq!(run.status, 0, "{}", run.stderr);
    run.json().as_array().unwrap().clone()
}

fn by_title<'a>(stories: &'a [serde_json::Value], title: &str) -> &'a serde_json::Value {
    stories
        .iter()
        .find(|s| s["title"] == title)
        .unwrap_or_else(|| panic!("no story {title}"))
}

#[test]
fn one_event_from_three_feeds_is_one_cluster_that_grows_and_is_marked_whole() {
    let more = Arc::new(Mutex::new(false));
    let server = server(Arc::clone(&more));
    let feeds = [
        server.url("/gazette"),
        server.url("/radio"),
        server.url("/weekly"),
    ];
    let home = home_with(&feeds, "");
    assert_eq!(update(home.path(), &[]).status, 0);

    // Fresh, through the index being built, and back from it: the same.
    let mut names = Vec::new();
    for args in [
        &["list", "--json", "--no-index"][..],
        &["list", "--json"],
        &["list", "--json"],
    ] {
        let stories = listed(home.path(), args);
        let cluster = by_title(&stories, CRANES)["cluster"].clone();
        assert!(cluster.is_string(), "{args:?}: {cluster}");
        for title in [SHIPS, TALKS] {
            assert_eq!(by_title(&stories, title)["cluster"], cluster, "{args:?}");
        }
        for alone in [
            "Council Approves Cycle Lanes on Mill Road",
            "Cathedral Choir Tours Norway",
            "Old Bakery Reopens as a Museum",
        ] {
            assert!(by_title(&stories, alone)["cluster"].is_null(), "{alone}");
        }
        let sources = &by_title(&stories, SHIPS)["sources"];
        assert_eq!(sources, &serde_json::json!([feeds[1]]));
        names.push(cluster);
    }
    assert!(names.windows(2).all(|w| w[0] == w[1]), "{names:?}");
    let name = names[0].as_str().unwrap().to_owned();

    let clusters = tidings_at(home.path(), &["clusters", "--json"]).json();
    let clusters = clusters.as_array().unwrap();
    assert_eq!(clusters.len(), 1, "{clusters:?}");
    assert_eq!(clusters[0]["id"], name.as_str());
    assert_eq!(clusters[0]["size"], 3);
    assert_eq!(clusters[0]["unread"], 3);
    let text = tidings_at(home.path(), &["clusters"]);
    assert!(text.stdout.contains(" · 3"), "{}", text.stdout);
    let none = tidings_at(home.path(), &["clusters", "--json", "--min", "4"]).json();
    assert_eq!(none, serde_json::json!([]));

    // A fourth report arrives: it joins the cluster, which keeps its id.
    *more.lock().unwrap() = true;
    assert_eq!(update(home.path(), &[]).status, 0);
    let stories = listed(home.path(), &["list", "--json"]);
    assert_eq!(by_title(&stories, LATER)["cluster"], name.as_str());
    assert_eq!(by_title(&stories, CRANES)["cluster"], name.as_str());

    let marked = tidings_at(home.path(), &["mark", "read", "--cluster", &name]);
    assert_eq!(marked.status, 0, "{}", marked.stderr);
    assert!(
        marked.stdout.starts_with("4 stories marked read"),
        "{}",
        marked.stdout
    );
    let stories = listed(home.path(), &["list", "--json"]);
    for story in &stories {
        let in_event = story["cluster"] == name.as_str();
        assert_eq!(story["read"], in_event, "{}", story["title"]);
    }
    let wrong = tidings_at(home.path(), &["mark", "read", "--cluster", "nope\u{1b}[2J"]);
    assert_ne!(wrong.status, 0);
    assert!(
        wrong.stderr.contains("no cluster with id nope"),
        "{}",
        wrong.stderr
    );
    assert!(!wrong.stderr.contains('\u{1b}'), "{}", wrong.stderr);
}

/// The reader on `home`'s library (its feeds), its state there too.
fn reader_at(home: &std::path::Path) -> Session {
    let at = |dir: &str| home.join(dir).to_str().unwrap().to_owned();
    let (state, config, cache, data) = (at("state"), at("config"), at("cache"), at("data"));
    let env = [
        ("XDG_STATE_HOME", state.as_str()),
        ("XDG_CONFIG_HOME", config.as_str()),
        ("XDG_CACHE_HOME", cache.as_str()),
        ("XDG_DATA_HOME", data.as_str()),
    ];
    Session::start_with_env(&[], 110, 30, &env)
}

#[test]
fn the_index_folds_an_event_into_one_row_that_reads_as_one() {
    let server = server(Arc::new(Mutex::new(false)));
    let feeds = [
        server.url("/gazette"),
        server.url("/radio"),
        server.url("/weekly"),
    ];
    let home = home_with(&feeds, "");
    assert_eq!(update(home.path(), &[]).status, 0);

    let mut reader = reader_at(home.path());
    // Four rows: the event (told by three sources) and three stories.
    let screen = reader.wait_for("Index · 4 events · 6 stories");
    assert!(screen.contains("· 3"), "{screen}");
    assert!(screen.contains("4 unread / 4 events"), "{screen}");
    // The event's row, opened: the story and its event's other two first
    // in the related pane; all three read at once.
    // The strike is the newest news: its row is the first.
    let mut index = screen.lines().skip_while(|l| !l.contains("Index ·"));
    let first_row = index.nth(1).unwrap_or_default();
    assert!(first_row.contains("· 3"), "{screen}");
    reader.send("\t\t");
    reader.send("g");
    reader.send("\r");
    let screen = reader.wait_for("3 unread / 4 events");
    assert!(screen.contains("Related · 2"), "{screen}");
    // Each of the event's other stories says who told it.
    let told = ["Gazette: ", "Radio: ", "Weekly: "];
    let named = told
        .iter()
        .filter(|source| screen.contains(*source))
        .count();
    assert_eq!(named, 2, "{screen}");
    // c unfolds: every story its own row; and the choice is kept.
    reader.send("c");
    let screen = reader.wait_for("every story its own row");
    assert!(screen.contains("Index · 6"), "{screen}");
    assert!(screen.contains("3 unread / 6"), "{screen}");
    reader.send("q");
    assert_eq!(reader.wait_exit(), 0);
    let mut again = reader_at(home.path());
    again.wait_for("Index · 6");
    again.send("c");
    again.wait_for("Index · 4 events · 6 stories");
    // Another process marks the event unread: the open reader takes it in
    // and counts the event unread again.
    let clusters = tidings_at(home.path(), &["clusters", "--json"]).json();
    let name = clusters[0]["id"].as_str().unwrap().to_owned();
    let marked = tidings_at(home.path(), &["mark", "unread", "--cluster", &name]);
    assert_eq!(marked.status, 0, "{}", marked.stderr);
    again.wait_for_all(&["marks updated by another tidings", "4 unread / 4 events"]);
    again.send("q");
    assert_eq!(again.wait_exit(), 0);
}
