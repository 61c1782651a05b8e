//! `tidings update` against a server on 127.0.0.1 that the tests start:
//! formats, conditional requests, failures that stop only their feed,
//! limits, and what is stored.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::common::web::*;
use crate::common::{Corpus, tidings_at};

fn rss(items: &[(&str, &str, &str)]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Harbor Gazette</title><link>https://harbor.example/</link>",
    );
    for (guid, title, text) in items {
        xml.push_str(&format!(
            "<item><guid>{guid}</guid><title>{title}</title><link>https://harbor.example/{guid}</link>\
             <pubDate>Fri, 27 Nov 2026 08:00:00 GMT</pubDate><description>{text}</description></item>"
        ));
    }
    xml.push_str("</channel></rss>");
    xml
}

const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Rail Weekly</title>
  <id>urn:rail</id>
  <updated>2026-11-26T10:00:00Z</updated>
  <entry>
    <title>Night Trains Return to the Coast Line</title>
    <id>urn:rail:1</id>
    <link href="https://rail.example/night-trains"/>
    <updated>2026-11-26T10:00:00Z</updated>
    <content type="html">&lt;p&gt;Night trains &lt;b&gt;return&lt;/b&gt; in spring.&lt;/p&gt;&lt;ul&gt;&lt;li&gt;Two a week&lt;/li&gt;&lt;li&gt;Sleeper cars&lt;/li&gt;&lt;/ul&gt;&lt;script&gt;alert(1)&lt;/script&gt;</content>
  </entry>
</feed>"#;

const JSON_FEED: &str = r#"{
  "version": "https://jsonfeed.org/version/1.1",
  "title": "Library Notes",
  "items": [
    {"id": "1", "content_text": "The library opens on Sundays from December. Staff welcome the change.", "date_published": "2026-11-25T09:00:00Z"},
    {"id": "2", "title": "Only a Title Here", "url": "https://library.example/2"},
    {"id": "3"}
  ]
}"#;

#[test]
fn rss_atom_and_json_feed_become_stories() {
    let server = Server::start(|request| match request.url() {
        "/rss" => ok(&rss(&[
            (
                "strike",
                "Dock Workers End Strike",
                "The strike ended after a deal on pay.",
            ),
            (
                "ferry",
                "Ferry Fares Rise",
                "Fares rise by five percent in January.",
            ),
        ])),
        "/atom" => ok(ATOM),
        "/json" => ok(JSON_FEED),
        _ => Reply::Full(404, vec![], Vec::new()),
    });
    let feeds = [server.url("/rss"), server.url("/atom"), server.url("/json")];
    let home = home_with(&feeds, "");
    let run = update(home.path(), &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        format!(
            "{}: 2 new\n{}: 1 new\n{}: 2 new, 1 without title or text skipped\n",
            feeds[0], feeds[1], feeds[2]
        )
    );

    let stories = stories_of(home.path());
    let mut titles: Vec<&str> = stories
        .iter()
        .map(|s| s["title"].as_str().unwrap())
        .collect();
    titles.sort();
    assert_eq!(
        titles,
        [
            "Dock Workers End Strike",
            "Ferry Fares Rise",
            "Night Trains Return to the Coast Line",
            "Only a Title Here",
            "The library opens on Sundays from December.",
        ]
    );

    // The Atom item's HTML as plain paragraphs: no tags, no script, list
    // items as lines.
    let atom = story_files(home.path())
        .into_iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .find(|t| t.contains("Night Trains"))
        .unwrap();
    assert!(
        atom.contains(
            "body = \"\"\"\nNight trains return in spring.\n\n* Two a week\n\n* Sleeper cars\"\"\""
        ),
        "{atom}"
    );
    assert!(!atom.contains("alert"), "{atom}");
    assert!(atom.contains("source = \"Rail Weekly\""), "{atom}");
    assert!(
        atom.contains("url = \"https://rail.example/night-trains\""),
        "{atom}"
    );
    assert!(atom.contains("date = 2026-11-26T10:00:00Z"), "{atom}");
    // The whole file, but for its id (which hashes the server's port).
    let stable: Vec<&str> = atom.lines().filter(|l| !l.starts_with("id = ")).collect();
    insta::assert_snapshot!("stored_atom_story", stable.join("\n"));

    // Asked for again: the same stories, none twice.
    let again = update(home.path(), &[]);
    assert!(
        again.stdout.contains(&format!("{}: 0 new", feeds[0])),
        "{}",
        again.stdout
    );
    assert_eq!(stories_of(home.path()).len(), 5);
}

const RSS_0_91: &str = r#"<?xml version="1.0"?>
<rss version="0.91"><channel><title>Old Town Crier</title><link>https://crier.example/</link>
<description>News</description><language>en</language>
<item><title>Clock Tower Repaired</title><link>https://crier.example/clock</link>
<description>The clock tower chimes again after a year of repairs.</description></item>
</channel></rss>"#;

const RSS_1_0: &str = r#"<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://valley.example/"><title>Valley Post</title><link>https://valley.example/</link><description>News</description>
    <items><rdf:Seq><rdf:li rdf:resource="https://valley.example/bridge"/></rdf:Seq></items></channel>
  <item rdf:about="https://valley.example/bridge"><title>Valley Bridge Reopens</title><link>https://valley.example/bridge</link>
    <description>The bridge reopens to traffic on Monday.</description><dc:date>2026-11-24</dc:date></item>
</rdf:RDF>"#;

/// JSON Feed 1.0, with bidi controls and an escape sequence where a
/// hostile feed would put them.
const JSON_FEED_1_0: &str = r#"{
  "version": "https://jsonfeed.org/version/1",
  "title": "Hill \u202eSdrawkcab\u202c Radio",
  "items": [
    {"id": "q", "title": "Quarry \u2066Plan\u2069 Rejected \u001b[2J", "url": "https://hill.example/quarry",
     "content_html": "<p>The \u202equarry\u202c plan was rejected \u001b]0;pwned\u0007 by the board.</p>"}
  ]
}"#;

#[test]
fn rss_0_91_rss_1_0_and_json_feed_1_0_become_clean_stories() {
    let server = Server::start(|request| match request.url() {
        "/0.91" => ok(RSS_0_91),
        "/1.0" => ok(RSS_1_0),
        "/json1" => ok(JSON_FEED_1_0),
        _ => Reply::Full(404, vec![], Vec::new()),
    });
    let feeds = [
        server.url("/0.91"),
        server.url("/1.0"),
        server.url("/json1"),
    ];
    let home = home_with(&feeds, "");
    let run = update(home.path(), &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        format!(
            "{}: 1 new\n{}: 1 new\n{}: 1 new\n",
            feeds[0], feeds[1], feeds[2]
        )
    );
    let stored: Vec<String> = story_files(home.path())
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let story = |title: &str| {
        stored
            .iter()
            .find(|s| s.contains(&format!("title = \"{title}\"")))
            .unwrap_or_else(|| panic!("no {title:?} in {stored:?}"))
    };
    assert!(story("Clock Tower Repaired").contains("source = \"Old Town Crier\""));
    assert!(story("Valley Bridge Reopens").contains("url = \"https://valley.example/bridge\""));
    assert!(story("Valley Bridge Reopens").contains("date = 2026-11-24"));
    let quarry = story("Quarry Plan Rejected");
    assert!(
        quarry.contains("source = \"Hill Sdrawkcab Radio\""),
        "{quarry}"
    );
    assert!(
        quarry.contains("The quarry plan was rejected by the board."),
        "{quarry}"
    );
    let stored = stored.concat();
    for control in [
        '\u{1b}', '\u{7}', '\u{202e}', '\u{202c}', '\u{2066}', '\u{2069}',
    ] {
        assert!(!stored.contains(control), "{control:?} in {stored}");
    }
    assert!(!stored.contains("pwned"), "{stored}");
}

#[test]
fn an_etag_makes_the_second_update_not_modified() {
    let server = Server::start(|request| {
        let asked = request
            .headers()
            .iter()
            .any(|h| h.field.equiv("If-None-Match") && h.value.as_str() == "\"v1\"");
        if asked {
            Reply::Full(304, vec![], Vec::new())
        } else {
            Reply::Full(
                200,
                vec![("ETag", "\"v1\"".into())],
                rss(&[("a", "Harbor Opens", "The harbor opens.")]).into_bytes(),
            )
        }
    });
    let home = home_with(&[server.url("/feed")], "");
    assert_eq!(
        update(home.path(), &[]).stdout,
        format!("{}: 1 new\n", server.url("/feed"))
    );
    let second = update(home.path(), &[]);
    assert_eq!(
        second.stdout,
        format!("{}: not modified\n", server.url("/feed"))
    );
    assert_eq!(second.status, 0);
    let requests = server.requests.lock().unwrap();
    let agent = requests[0]
        .1
        .iter()
        .find(|(k, _)| k == "user-agent")
        .unwrap();
    assert_eq!(agent.1, format!("tidings/{}", env!("CARGO_PKG_VERSION")));
}

#[test]
fn failures_stop_only_their_feed_and_are_said_in_words() {
    let server = Server::start(|request| match request.url() {
        "/ok" => ok(&rss(&[("a", "Harbor Opens", "The harbor opens.")])),
        "/gone" => Reply::Full(404, vec![], Vec::new()),
        "/slow" => {
            std::thread::sleep(Duration::from_secs(3));
            ok(&rss(&[]))
        }
        "/page" => ok("<!DOCTYPE html><html><body><p>Welcome</p></body></html>"),
        "/endless" => Reply::Endless,
        _ => Reply::Full(500, vec![], Vec::new()),
    });
    let feeds: Vec<String> = ["/gone", "/slow", "/page", "/endless", "/broken", "/ok"]
        .iter()
        .map(|p| server.url(p))
        .collect();
    let home = home_with(&feeds, "[feeds]\ntimeout = 1\nmax_bytes = 65536\n");
    let run = update(home.path(), &["--json"]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    let outcomes = run.json();
    let error = |i: usize| outcomes[i]["error"].as_str().unwrap_or("").to_owned();
    assert_eq!(error(0), "HTTP 404");
    assert_eq!(error(1), "timed out after 1 s");
    assert!(error(2).starts_with("not a feed"), "{}", error(2));
    assert_eq!(error(3), "larger than 64 KiB");
    assert_eq!(error(4), "HTTP 500");
    assert_eq!(outcomes[5]["new"], 1);
    assert_eq!(stories_of(home.path()).len(), 1);

    // The errors are kept for `feeds list`.
    let listed = tidings_at(home.path(), &["feeds", "list", "--json"]).json();
    assert_eq!(listed[0]["last_error"], "HTTP 404");
    assert!(listed[5]["last_update"].is_string());
    assert!(listed[5]["last_error"].is_null());
}

#[test]
fn no_more_than_two_requests_to_one_host_at_once() {
    let server = Server::start(|request| {
        std::thread::sleep(Duration::from_millis(150));
        ok(&rss(&[(request.url(), "One Story", "Its text.")]))
    });
    let feeds: Vec<String> = (0..8).map(|i| server.url(&format!("/f{i}"))).collect();
    let home = home_with(&feeds, "");
    let run = update(home.path(), &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(server.requests.lock().unwrap().len(), 8);
    let peak = server.in_flight_peak.load(Ordering::SeqCst);
    assert!((1..=2).contains(&peak), "{peak} at once");
}

#[test]
fn no_more_than_jobs_feeds_at_once_across_hosts() {
    let counted = InFlight::default();
    let servers: Vec<Server> = ["127.0.0.1", "127.0.0.2", "127.0.0.3"]
        .iter()
        .map(|ip| {
            Server::start_on(ip, counted.clone(), |request| {
                std::thread::sleep(Duration::from_millis(150));
                ok(&rss(&[(request.url(), "One Story", "Its text.")]))
            })
        })
        .collect();
    let feeds: Vec<String> = servers
        .iter()
        .flat_map(|server| (0..4).map(|i| server.url(&format!("/f{i}"))))
        .collect();
    // Two per host would allow six at once.
    let home = home_with(&feeds, "[feeds]\njobs = 3\n");
    let run = update(home.path(), &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let asked: usize = servers
        .iter()
        .map(|s| s.requests.lock().unwrap().len())
        .sum();
    assert_eq!(asked, 12);
    let peak = counted.peak.load(Ordering::SeqCst);
    assert!((1..=3).contains(&peak), "{peak} at once");
}

#[test]
fn deleted_stories_stay_deleted_and_the_oldest_go_past_max_items() {
    let items = Arc::new(Mutex::new(vec![("a", "First Story Here", "Text a.")]));
    let served = Arc::clone(&items);
    let server = Server::start(move |_| ok(&rss(&served.lock().unwrap())));
    let home = home_with(&[server.url("/feed")], "[feeds]\nmax_items = 2\n");
    update(home.path(), &[]);
    let files = story_files(home.path());
    assert_eq!(files.len(), 1);
    std::fs::remove_file(&files[0]).unwrap();
    items
        .lock()
        .unwrap()
        .push(("b", "Second Story Here", "Text b."));
    let run = update(home.path(), &[]);
    assert_eq!(run.stdout, format!("{}: 1 new\n", server.url("/feed")));
    let titles: Vec<String> = stories_of(home.path())
        .iter()
        .map(|s| s["title"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(titles, ["Second Story Here"]);
}

#[test]
fn latin_1_feeds_and_escape_sequences_arrive_clean() {
    let mut body = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss version=\"2.0\"><channel><title>Caf\xe9 News</title><item><guid>1</guid><title>Caf\xe9 \x1b]0;pwned\x07Opens</title><description>Cr\xe8me \xe0 la carte.</description></item></channel></rss>".to_vec();
    body.shrink_to_fit();
    let server = Server::start(move |_| Reply::Full(200, vec![], body.clone()));
    let home = home_with(&[server.url("/feed")], "");
    let run = update(home.path(), &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let stored = std::fs::read_to_string(&story_files(home.path())[0]).unwrap();
    assert!(stored.contains("title = \"Café Opens\""), "{stored}");
    assert!(stored.contains("Crème à la carte."), "{stored}");
    assert!(stored.contains("source = \"Café News\""), "{stored}");
    assert!(
        !stored.contains('\u{1b}') && !stored.contains("pwned"),
        "{stored}"
    );
}

#[test]
fn with_no_path_the_library_is_the_feeds_and_the_users_own_stories() {
    let server = Server::start(|_| {
        ok(&rss(&[(
            "a",
            "Harbor Opens Early",
            "The harbor opens early.",
        )]))
    });
    let home = home_with(&[server.url("/feed")], "");
    // Nothing fetched and no stories of one's own: the bundled guides.
    let bundled = tidings_at(home.path(), &["list", "--json"]).json();
    assert!(bundled.to_string().contains(crate::common::SEED_TITLE));

    assert_eq!(update(home.path(), &[]).status, 0);
    home.write(
        "data/tidings/stories/mine.txt",
        "My own note on the tides.\n",
    );
    let run = tidings_at(home.path(), &["list", "--json"]);
    let mut titles: Vec<String> = run
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["title"].as_str().unwrap().to_owned())
        .collect();
    titles.sort();
    assert_eq!(titles, ["Harbor Opens Early", "My own note on the tides."]);
    let found = tidings_at(home.path(), &["search", "--json", "harbor"]).json();
    assert_eq!(found[0]["headline"], "Harbor Opens Early");
}

#[test]
fn two_feeds_stories_about_one_event_name_each_other() {
    let server = Server::start(|request| match request.url() {
        "/gazette" => ok(&rss(&[
            (
                "cranes",
                "Harbor Cranes Fall Silent as Lindmouth Dockworkers Strike",
                "Dockworkers at the port of Lindmouth walked out at dawn over pay, \
                 leaving the harbor cranes silent and a dozen ships waiting offshore. \
                 The union says the strike will last until the operator improves its offer.",
            ),
            (
                "lanes",
                "Council Approves Cycle Lanes on Mill Road",
                "Mill Road will get protected cycle lanes next spring after the council \
                 voted in favour on Tuesday night.",
            ),
        ])),
        "/radio" => ok(&rss(&[
            (
                "port",
                "Ships Queue Off Lindmouth on First Day of Port Strike",
                "A dozen ships queued off Lindmouth on the first day of the dockworkers' \
                 strike, as talks on pay between the union and the port operator stalled.",
            ),
            (
                "choir",
                "Cathedral Choir Tours Norway",
                "The cathedral choir leaves for a ten-day tour of Norway on Friday.",
            ),
        ])),
        _ => Reply::Full(404, vec![], Vec::new()),
    });
    let home = home_with(&[server.url("/gazette"), server.url("/radio")], "");
    assert_eq!(update(home.path(), &[]).status, 0);

    // Read fresh, then through the index it builds, then back from it.
    for args in [
        &["list", "--json", "--no-index"][..],
        &["list", "--json"],
        &["list", "--json"],
    ] {
        let stories = tidings_at(home.path(), args).json();
        let stories = stories.as_array().unwrap();
        let related = |title: &str| -> Vec<String> {
            let story = stories.iter().find(|s| s["title"] == title).unwrap();
            story["related"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| {
                    // Each related headline opens its story.
                    let opened = stories.iter().find(|s| s["id"] == r["story"]).unwrap();
                    assert_eq!(opened["title"], r["headline"]);
                    r["headline"].as_str().unwrap().to_owned()
                })
                .collect()
        };
        let cranes = "Harbor Cranes Fall Silent as Lindmouth Dockworkers Strike";
        let ships = "Ships Queue Off Lindmouth on First Day of Port Strike";
        assert_eq!(related(cranes), [ships], "{args:?}");
        assert_eq!(related(ships), [cranes], "{args:?}");
        assert!(related("Cathedral Choir Tours Norway").is_empty());
        assert!(related("Council Approves Cycle Lanes on Mill Road").is_empty());
    }
}

#[test]
fn gzip_redirects_and_last_modified_are_followed() {
    use std::io::Write;
    const STAMP: &str = "Fri, 27 Nov 2026 08:00:00 GMT";
    let server = Server::start(|request| {
        let header = |name: &str| {
            request
                .headers()
                .iter()
                .find(|h| h.field.to_string().eq_ignore_ascii_case(name))
                .map(|h| h.value.to_string())
        };
        match request.url() {
            "/moved" => Reply::Full(301, vec![("Location", "/zipped".into())], Vec::new()),
            "/zipped" if header("If-Modified-Since").as_deref() == Some(STAMP) => {
                Reply::Full(304, vec![], Vec::new())
            }
            "/zipped" => {
                let accepts = header("Accept-Encoding").is_some_and(|a| a.contains("gzip"));
                assert!(accepts, "tidings asks for gzip");
                let mut zipped =
                    flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
                zipped
                    .write_all(
                        rss(&[("z", "Packed Story Arrives", "It came compressed.")]).as_bytes(),
                    )
                    .unwrap();
                Reply::Full(
                    200,
                    vec![
                        ("Content-Encoding", "gzip".into()),
                        ("Last-Modified", STAMP.into()),
                    ],
                    zipped.finish().unwrap(),
                )
            }
            _ => Reply::Full(404, vec![], Vec::new()),
        }
    });
    let home = home_with(&[server.url("/moved")], "");
    assert_eq!(
        update(home.path(), &[]).stdout,
        format!("{}: 1 new\n", server.url("/moved"))
    );
    assert_eq!(stories_of(home.path())[0]["title"], "Packed Story Arrives");
    assert_eq!(
        update(home.path(), &[]).stdout,
        format!("{}: not modified\n", server.url("/moved"))
    );
}

#[test]
fn items_without_guid_are_known_again_by_link_or_title() {
    let feed = "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Plain</title>\
        <item><title>Linked Story</title><link>https://plain.example/linked</link>\
        <pubDate>2026-11-20</pubDate><description>Text one.</description>\
        <enclosure url=\"https://plain.example/a.mp3\" length=\"1000\" type=\"audio/mpeg\"/></item>\
        <item><title>Titled Only Story</title><description>Text two.</description></item>\
        </channel></rss>";
    let server = Server::start(move |_| ok(feed));
    let home = home_with(&[server.url("/plain")], "");
    assert_eq!(
        update(home.path(), &[]).stdout,
        format!("{}: 2 new\n", server.url("/plain"))
    );
    assert_eq!(
        update(home.path(), &[]).stdout,
        format!("{}: 0 new\n", server.url("/plain"))
    );
    let stories = stories_of(home.path());
    assert_eq!(stories.len(), 2);
    let linked = story_files(home.path())
        .into_iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .find(|t| t.contains("Linked Story"))
        .unwrap();
    assert!(
        linked.contains("url = \"https://plain.example/linked\""),
        "{linked}"
    );
    assert!(linked.contains("date = 2026-11-20T00:00:00Z"), "{linked}");
}

/// The reader on its library, once started following `feeds` (written
/// to its feeds.toml, as an editor would).
fn reader_following(feeds: &[String]) -> crate::common::pty::Session {
    let reader = crate::common::pty::Session::start(&[], 100, 30);
    reader.wait_for("Index");
    let listed: String = feeds
        .iter()
        .map(|url| format!("[[feed]]\nurl = \"{url}\"\n\n"))
        .collect();
    let config = reader.home.path().join("config/tidings");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("feeds.toml"), listed).unwrap();
    reader
}

#[test]
fn r_in_the_reader_updates_the_feeds_and_shows_their_stories() {
    let server = Server::start(|request| match request.url() {
        "/gone" => Reply::Full(404, vec![], Vec::new()),
        _ => ok(&rss(&[(
            "a",
            "Harbor Opens Early",
            "The harbor opens early.",
        )])),
    });
    let mut reader = reader_following(&[server.url("/feed"), server.url("/gone")]);
    reader.send("r");
    let screen = reader.wait_for("feeds updated: 1 new story; 1 feed failed");
    assert!(screen.contains("Harbor Opens Early"), "{screen}");
    reader.send("!");
    let problems = reader.wait_for("HTTP 404");
    assert!(problems.contains(&server.url("/gone")), "{problems}");
    reader.send("\u{1b}");
    reader.wait_until(
        |screen| !screen.contains("Load problems"),
        "the problems closed",
    );
    reader.send("q");
    reader.wait_exit();
}

#[test]
fn updating_with_no_feeds_says_how_to_follow_one() {
    let home = Corpus::new();
    let run = update(home.path(), &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .starts_with("no feeds followed yet (tidings feeds add URL"),
        "{}",
        run.stdout
    );
    assert_eq!(
        update(home.path(), &["--json"]).json(),
        serde_json::json!([])
    );
}

#[test]
fn hostile_feeds_fail_alone_and_the_good_ones_are_stored_clean() {
    let server = Server::start(|request| {
        let n = request
            .url()
            .trim_start_matches("/hostile/")
            .parse()
            .unwrap_or(0);
        let answer = crate::hostile_feeds::answer(n, request.url());
        Reply::Full(answer.status, answer.headers, answer.body)
    });
    let feeds: Vec<String> = (0..crate::hostile_feeds::KINDS)
        .map(|n| server.url(&format!("/hostile/{n}")))
        .collect();
    let home = home_with(&feeds, "[feeds]\ntimeout = 5\n");
    let run = update(home.path(), &["--json"]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    let outcomes = run.json();
    for (n, outcome) in outcomes.as_array().unwrap().iter().enumerate() {
        let stored = [0, 1, 2, 12, 13].contains(&n);
        assert_eq!(outcome["new"] == 1, stored, "feed {n}: {outcome}");
        assert_eq!(outcome["error"].is_string(), !stored, "feed {n}: {outcome}");
    }
    let files = story_files(home.path());
    assert_eq!(files.len(), 5, "{files:?}");
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        // The entities of the billion laughs stay unexpanded.
        assert!(text.len() < 1_000_000, "{}", file.display());
        let title = text.lines().find(|l| l.starts_with("title = ")).unwrap();
        assert!(title.chars().count() < 320, "{title}");
        assert!(
            !text
                .chars()
                .any(|c| c.is_control() && c != '\n' || ('\u{202a}'..='\u{202e}').contains(&c)),
            "{}",
            file.display()
        );
    }
}

#[test]
fn in_the_reader_stories_arrive_while_a_slow_feed_is_still_fetched() {
    let (release, held) = std::sync::mpsc::channel::<()>();
    let held = Mutex::new(held);
    let server = Server::start(move |request| match request.url() {
        "/slow" => {
            // Answers once the test has seen the other feed's story.
            let _ = held.lock().unwrap().recv_timeout(Duration::from_secs(30));
            ok(&rss(&[(
                "b",
                "Tide Tables Printed Again",
                "The tide tables are printed again.",
            )]))
        }
        _ => ok(&rss(&[(
            "a",
            "Harbor Opens Early",
            "The harbor opens early.",
        )])),
    });
    let mut reader = reader_following(&[server.url("/slow"), server.url("/fast")]);
    reader.send("r");
    let screen = reader.wait_for_all(&["Harbor Opens Early", "updating feeds 1 of 2"]);
    assert!(!screen.contains("Tide Tables"), "{screen}");
    release.send(()).unwrap();
    let screen =
        reader.wait_for_all(&["Tide Tables Printed Again", "feeds updated: 2 new stories"]);
    assert!(screen.contains("Harbor Opens Early"), "{screen}");
    reader.send("q");
    reader.wait_exit();
}

#[test]
fn o_opens_a_feed_storys_web_link_and_refuses_any_other() {
    let feed = r#"<?xml version="1.0"?><rss version="2.0"><channel><title>Links</title>
<item><guid>js</guid><title>Script Link Story</title><link>javascript:alert(1)</link>
  <pubDate>Fri, 27 Nov 2026 10:00:00 GMT</pubDate><description>One.</description></item>
<item><guid>file</guid><title>File Link Story</title><link>file:///etc/passwd</link>
  <pubDate>Fri, 27 Nov 2026 09:00:00 GMT</pubDate><description>Two.</description></item>
<item><guid>web</guid><title>Web Link Story</title><link>https://harbor.example/web</link>
  <pubDate>Fri, 27 Nov 2026 08:00:00 GMT</pubDate><description>Three.</description></item>
</channel></rss>"#;
    let server = Server::start(move |_| ok(feed));
    let home = home_with(&[server.url("/links")], "");
    assert_eq!(update(home.path(), &[]).status, 0);

    // The "browser" writes down each address it is given.
    let opened = home.path().join("opened.txt");
    let browser = home.path().join("browser.sh");
    std::fs::write(
        &browser,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n",
            opened.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(
        &browser,
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    let folder = home.path().join("data/tidings/feeds");
    let mut reader = crate::common::pty::Session::start_with_env(
        &[folder.to_str().unwrap()],
        120,
        30,
        &[("BROWSER", browser.to_str().unwrap())],
    );
    reader.wait_for_all(&["Script Link Story", "Index"]);
    reader.send("o");
    reader.wait_for("only http and https addresses are opened, not “javascript:alert(1)”");
    reader.send("]");
    reader.wait_for("Two.");
    reader.send("o");
    reader.wait_for("only http and https addresses are opened, not “file:///etc/passwd”");
    reader.send("]");
    reader.wait_for("Three.");
    reader.send("o");
    reader.wait_for("opening https://harbor.example/web");
    let deadline = std::time::Instant::now() + crate::common::pty::WAIT;
    while std::fs::read_to_string(&opened)
        .unwrap_or_default()
        .is_empty()
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the browser never ran"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(
        std::fs::read_to_string(&opened).unwrap(),
        "https://harbor.example/web\n"
    );
    reader.send("q");
    reader.wait_exit();
}

#[test]
fn max_items_never_drops_a_starred_story_and_feeds_list_counts_unread() {
    let items = Arc::new(Mutex::new(vec![("a", "First Story Here", "Text a.")]));
    let served = Arc::clone(&items);
    let server = Server::start(move |_| ok(&rss(&served.lock().unwrap())));
    let home = home_with(&[server.url("/feed")], "[feeds]\nmax_items = 1\n");
    update(home.path(), &[]);
    let first = stories_of(home.path())[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let starred = tidings_at(home.path(), &["mark", "star", &first]);
    assert_eq!(starred.status, 0, "{}", starred.stderr);
    items.lock().unwrap().extend([
        ("b", "Second Story Here", "Text b."),
        ("c", "Third Story Here", "Text c."),
    ]);
    update(home.path(), &[]);
    // One story past max_items, and the starred one beside it.
    let stories = stories_of(home.path());
    let ids: Vec<&str> = stories.iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert!(ids.contains(&first.as_str()), "{ids:?}");
    let listed = tidings_at(home.path(), &["feeds", "list", "--json"]).json();
    assert_eq!(
        (listed[0]["stories"].as_u64(), listed[0]["unread"].as_u64()),
        (Some(2), Some(2))
    );
    tidings_at(home.path(), &["mark", "read", &first]);
    let listed = tidings_at(home.path(), &["feeds", "list"]);
    assert!(
        listed
            .stdout
            .starts_with("    2 stories     1 unread  http://127.0.0.1:"),
        "{}",
        listed.stdout
    );
}

#[test]
fn the_reader_updates_on_start_and_then_by_itself() {
    let items = Arc::new(Mutex::new(vec![(
        "a",
        "Harbor Opens Early",
        "The harbor opens early.",
    )]));
    let served = Arc::clone(&items);
    let server = Server::start(move |_| ok(&rss(&served.lock().unwrap())));
    let config = Corpus::new();
    config.write(
        "tidings/config.toml",
        "[feeds]\nupdate_on_start = true\nupdate_every = \"1s\"\n",
    );
    config.write(
        "tidings/feeds.toml",
        format!("[[feed]]\nurl = \"{}\"\n", server.url("/feed")),
    );
    let dir = config.path().to_str().unwrap();
    let mut reader =
        crate::common::pty::Session::start_with_env(&[], 100, 30, &[("XDG_CONFIG_HOME", dir)]);
    reader.wait_for_all(&["Harbor Opens Early", "feeds updated: 1 new story"]);
    items
        .lock()
        .unwrap()
        .push(("b", "Ferries Run Late", "The ferries run late."));
    // No key pressed: the next update comes by itself, and then says when.
    reader.wait_for("Ferries Run Late");
    reader.send("j");
    reader.wait_until(
        |s| s.contains(" updated ") && s.contains(" 2 unread / 2"),
        "the time of the last update",
    );
    // The feed is a source of its own, with its unread count.
    reader.send("S");
    let sources = reader.wait_for("Sources");
    assert!(
        sources
            .lines()
            .any(|l| l.contains("Harbor Gazette") && l.contains(" 2")),
        "{sources}"
    );
    reader.send("q");
    reader.wait_exit();
}
