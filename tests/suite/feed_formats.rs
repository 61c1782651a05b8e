//! Feeds as real sites send them, served on 127.0.0.1 and stored by
//! `tidings update`: every format feedparser reads, every encoding route,
//! ill-formed XML read with repairs, podcasts' enclosures, and the errors
//! said in words.

use crate::common::tidings_at;
use crate::common::web::*;

/// Serves `feeds` (path, Content-Type, body) and updates a home that
/// follows them all; gives the home and the update's JSON outcomes.
type Served = Vec<(&'static str, &'static str, Vec<u8>)>;

fn updated(feeds: Served) -> (crate::common::Corpus, serde_json::Value) {
    let paths: Vec<&str> = feeds.iter().map(|(path, _, _)| *path).collect();
    let server = Server::start(move |request| {
        match feeds.iter().find(|(path, _, _)| *path == request.url()) {
            Some((_, kind, body)) => Reply::Full(
                200,
                vec![("Content-Type", (*kind).to_owned())],
                body.clone(),
            ),
            None => Reply::Full(404, vec![], Vec::new()),
        }
    });
    let urls: Vec<String> = paths.iter().map(|path| server.url(path)).collect();
    let home = home_with(&urls, "");
    let run = update(home.path(), &["--json"]);
    (home, run.json())
}

/// Each stored story's title, by the path of the feed it came from.
fn titles_by_feed(home: &std::path::Path) -> Vec<(String, String)> {
    let mut titles: Vec<(String, String)> = stories_of(home)
        .iter()
        .map(|s| {
            let feed = s["feed"].as_str().unwrap_or_default();
            let path = feed.splitn(4, '/').nth(3).unwrap_or_default();
            (
                format!("/{path}"),
                s["title"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    titles.sort();
    titles
}

const RSS_090: &[u8] = br#"<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://my.netscape.com/rdf/simple/0.9/">
<channel><title>Nachrichten</title><link>https://news.example/</link></channel>
<item><title>Bahnstreik beendet</title><link>https://news.example/1</link></item>
</rdf:RDF>"#;

const ATOM_03: &[u8] = br#"<?xml version="1.0" encoding="utf-8"?>
<feed version="0.3" xmlns="http://purl.org/atom/ns#">
<title>Old Atom</title>
<entry><title>Ferry Timetable Changes</title><id>tag:old,1</id><issued>2004-01-01T19:48:21Z</issued>
<content type="text/html" mode="escaped">&lt;p&gt;From Monday.&lt;/p&gt;</content></entry>
</feed>"#;

const RSS_1_0_DUBLIN_CORE: &[u8] = br#"<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://dc.example/"><title>DC</title></channel>
<item rdf:about="https://dc.example/1"><dc:title>Harbour Bridge Reopens</dc:title><dc:description>After repairs.</dc:description><dc:date>2026-11-20T08:00:00Z</dc:date></item>
</rdf:RDF>"#;

/// `<rss>` with no version, Latin-1 bytes, no declaration.
const RSS_NO_VERSION_LATIN1: &[u8] =
    b"<rss><channel><title>Portal</title><item><title>S\xe3o Paulo anuncia nova linha de metr\xf4</title>\
      <description>A linha ter\xe1 doze esta\xe7\xf5es.</description></item></channel></rss>";

const JSON_FEED_1: &[u8] = br#"{"version": "http://jsonfeed.org/version/1", "title": "Notes",
 "items": [{"id": "1", "title": "Tags As A String", "tags": "workflow,omnifocus", "content_text": "Fine."}]}"#;

/// An Atom feed inside an XHTML page, with HTML entities XML lacks.
const ATOM_IN_XHTML: &[u8] = br#"<html xmlns="http://www.w3.org/1999/xhtml"><body><pre>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Wrapped</title>
<entry><id>w1</id><title>Caf&eacute; Opens&nbsp;Early</title><summary>Bread &amp; coffee &copy; them</summary></entry>
</feed></pre></body></html>"#;

#[test]
fn every_format_feedparser_reads_gives_stories() {
    let (home, outcomes) = updated(vec![
        ("/090", "application/rdf+xml", RSS_090.to_vec()),
        ("/atom03", "application/atom+xml", ATOM_03.to_vec()),
        ("/dc", "application/rss+xml", RSS_1_0_DUBLIN_CORE.to_vec()),
        ("/latin1", "text/xml", RSS_NO_VERSION_LATIN1.to_vec()),
        ("/json1", "application/json", JSON_FEED_1.to_vec()),
        ("/xhtml", "text/html", ATOM_IN_XHTML.to_vec()),
    ]);
    for outcome in outcomes.as_array().unwrap() {
        assert_eq!(outcome["new"], 1, "{outcome}");
    }
    assert_eq!(
        titles_by_feed(home.path()),
        [
            ("/090".to_owned(), "Bahnstreik beendet".to_owned()),
            ("/atom03".into(), "Ferry Timetable Changes".into()),
            ("/dc".into(), "Harbour Bridge Reopens".into()),
            ("/json1".into(), "Tags As A String".into()),
            (
                "/latin1".into(),
                "São Paulo anuncia nova linha de metrô".into()
            ),
            ("/xhtml".into(), "Café Opens Early".into()),
        ]
    );
    // Only the ill-formed ones are said to be.
    let listed = tidings_at(home.path(), &["feeds", "list"]).stdout;
    let repaired: Vec<&str> = listed
        .lines()
        .filter(|l| l.contains("(read with repairs)"))
        .filter_map(|l| l.split_whitespace().find(|w| w.starts_with("http")))
        .map(|u| u.rsplit('/').next().unwrap_or_default())
        .collect();
    assert_eq!(repaired, ["xhtml"], "{listed}");
}

#[test]
fn encodings_come_from_the_bom_header_declaration_or_the_bytes() {
    // "東京で新しい駅が開業" and more, so the detector has text to go on.
    const JAPANESE: &str = "東京で新しい駅が開業しました。駅は来月から利用できます。";
    fn encoded(encoding: &'static encoding_rs::Encoding, declared: Option<&str>) -> Vec<u8> {
        let declaration = declared
            .map(|d| format!("<?xml version=\"1.0\" encoding=\"{d}\"?>"))
            .unwrap_or_default();
        let xml = format!(
            "{declaration}<rss version=\"2.0\"><channel><title>JP</title><item><title>{JAPANESE}</title></item></channel></rss>"
        );
        encoding.encode(&xml).0.into_owned()
    }
    let feeds = vec![
        (
            "/eucjp-declared",
            "text/xml",
            encoded(encoding_rs::EUC_JP, Some("EUC-JP")),
        ),
        (
            "/sjis-undeclared",
            "text/xml",
            encoded(encoding_rs::SHIFT_JIS, None),
        ),
        (
            "/sjis-by-header",
            "text/xml; charset=Shift_JIS",
            encoded(encoding_rs::SHIFT_JIS, Some("utf-8")),
        ),
        (
            "/bom",
            "text/xml; charset=iso-8859-1",
            [
                b"\xef\xbb\xbf".as_slice(),
                &encoded(encoding_rs::UTF_8, Some("iso-8859-1")),
            ]
            .concat(),
        ),
    ];
    let (home, _) = updated(feeds);
    let titles = titles_by_feed(home.path());
    assert_eq!(titles.len(), 4, "{titles:?}");
    for (feed, title) in titles {
        assert_eq!(title, JAPANESE, "{feed}");
    }
}

const PODCAST: &[u8] = br#"<?xml version="1.0"?>
<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd">
<channel><title>Harbour Talk</title>
<item><guid>ep1</guid><title>Episode One: The Ferries</title><itunes:summary>We ride every ferry.</itunes:summary>
<enclosure url="https://cdn.example/ep1.mp3" type="audio/mpeg" length="43000000"/>
<itunes:duration>45:10</itunes:duration><pubDate>Sat, 05 Dec 2026 08:00:00 +0000</pubDate></item>
</channel></rss>"#;

#[test]
fn a_podcasts_enclosures_are_kept_listed_and_opened_with_the_player() {
    let (home, _) = updated(vec![("/podcast", "application/rss+xml", PODCAST.to_vec())]);
    let stories = stories_of(home.path());
    assert_eq!(
        stories[0]["enclosures"],
        serde_json::json!([{"url": "https://cdn.example/ep1.mp3", "type": "audio/mpeg", "length": 43000000, "duration": 2710}])
    );

    // The "player" writes down the arguments it is given.
    let played = home.path().join("played.txt");
    let player = home.path().join("player.sh");
    std::fs::write(
        &player,
        format!("#!/bin/sh\nprintf '%s|' \"$@\" >> '{}'\n", played.display()),
    )
    .unwrap();
    std::fs::set_permissions(&player, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    home.write(
        "config/tidings/config.toml",
        format!(
            "[open]\nmedia = [\"{}\", \"--no-video\", \"{{url}}\"]\n",
            player.display()
        ),
    );
    let folder = home.path().join("data/tidings/feeds");
    let config = home.path().join("config");
    let mut reader = crate::common::pty::Session::start_with_env(
        &[folder.to_str().unwrap()],
        120,
        30,
        &[("XDG_CONFIG_HOME", config.to_str().unwrap())],
    );
    reader.wait_for_all(&[
        "Episode One: The Ferries",
        "Harbour Talk · 2026-12-05 08:00 · audio · 45 min",
        "Enclosure: audio/mpeg · 45 min · 41.0 MB ·",
        "https://cdn.example/ep1.mp3 (e opens it)",
    ]);
    reader.send("e");
    reader.wait_for("opening https://cdn.example/ep1.mp3");
    let deadline = std::time::Instant::now() + crate::common::pty::WAIT;
    while std::fs::read_to_string(&played)
        .unwrap_or_default()
        .is_empty()
    {
        assert!(std::time::Instant::now() < deadline, "the player never ran");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(
        std::fs::read_to_string(&played).unwrap(),
        "--no-video|https://cdn.example/ep1.mp3|"
    );
    reader.send("q");
    reader.wait_exit();
}

#[test]
fn what_is_wrong_with_a_feed_is_said_in_one_line() {
    let cut = RSS_090[..RSS_090.len() - 60].to_vec();
    let cut_length = cut.len();
    let (_, outcomes) = updated(vec![
        (
            "/page",
            "text/html; charset=utf-8",
            b"<!DOCTYPE html><html><head><title>Home</title></head><body><p>Hi</p></body></html>"
                .to_vec(),
        ),
        ("/cut", "application/xml", cut),
        (
            "/json",
            "application/json",
            br#"{"version": "https://jsonfeed.org/version/1.1", "items": 7}"#.to_vec(),
        ),
        (
            "/other",
            "application/xml",
            b"<?xml version='1.0'?><svg><g/></svg>".to_vec(),
        ),
    ]);
    let errors: Vec<&str> = outcomes
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["error"].as_str().unwrap_or("none"))
        .collect();
    assert_eq!(
        errors,
        [
            "not a feed: the server sent an HTML page (text/html) with no feed linked from it"
                .to_owned(),
            format!("not XML: unexpected end at byte {cut_length}"),
            "the feed's items could not be read: \"items\" is not a list".to_owned(),
            "not a feed: an XML document whose root is <svg>, not <rss>, <feed> or <rdf:RDF>"
                .to_owned(),
        ]
    );
}

#[test]
fn feeds_add_finds_the_feed_a_page_links_or_refuses_and_says_why() {
    const FEED: &str = "<rss version='2.0'><channel><title>Site News</title><item><title>One</title></item></channel></rss>";
    let server = Server::start(|request| match request.url() {
        "/one" => ok(
            "<html><head><link rel='alternate' type='application/rss+xml' title='Site News' href='/rss.xml'></head><body></body></html>",
        ),
        "/two" => ok(
            "<html><head><link rel=alternate type=application/rss+xml href=/rss.xml>\
                      <link rel=alternate type=application/atom+xml title=Comments href=/comments.atom></head></html>",
        ),
        "/usual/" => ok("<html><head><title>Blog</title></head><body></body></html>"),
        "/usual/feed" | "/rss.xml" | "/comments.atom" => ok(FEED),
        "/feed-itself" => ok(FEED),
        _ => Reply::Full(404, vec![], Vec::new()),
    });
    let home = crate::common::Corpus::new();
    let add = |args: &[&str]| {
        let mut all = vec!["feeds", "add"];
        all.extend(args);
        tidings_at(home.path(), &all)
    };
    let subscribed = || {
        std::fs::read_to_string(home.path().join("config/tidings/feeds.toml")).unwrap_or_default()
    };

    let one = add(&[&server.url("/one")]);
    assert_eq!(one.status, 0, "{}", one.stderr);
    assert_eq!(
        one.stdout.trim(),
        format!(
            "subscribed to {} (the feed {} links): Site News",
            server.url("/rss.xml"),
            server.url("/one")
        )
    );
    let itself = add(&[&server.url("/feed-itself")]);
    assert_eq!(
        itself.stdout.trim(),
        format!("subscribed to {}: Site News", server.url("/feed-itself"))
    );
    let usual = add(&[&server.url("/usual/")]);
    assert!(
        usual
            .stdout
            .starts_with(&format!("subscribed to {}", server.url("/usual/feed"))),
        "{}",
        usual.stdout
    );

    // Several, and no terminal to ask on: the list, and nothing subscribed.
    let before = subscribed();
    let two = add(&[&server.url("/two")]);
    assert_eq!(two.status, 1);
    assert!(two.stderr.contains("links 2 feeds"), "{}", two.stderr);
    assert!(
        two.stderr
            .contains(&format!("2. {}  Comments", server.url("/comments.atom"))),
        "{}",
        two.stderr
    );
    assert!(two.stderr.contains("--all"), "{}", two.stderr);
    assert_eq!(subscribed(), before);
    let all = add(&["--all", &server.url("/two")]);
    assert_eq!(all.status, 0, "{}", all.stderr);
    assert!(subscribed().contains(&server.url("/comments.atom")));

    // Neither a feed nor a page with one (on a site with no feed at any
    // usual path either): refused at once, with why.
    let bare = Server::start(|request| match request.url() {
        "/none/" => {
            ok("<html><head><title>Nothing</title></head><body>No feed here.</body></html>")
        }
        _ => Reply::Full(404, vec![], Vec::new()),
    });
    let before = subscribed();
    let none = add(&[&bare.url("/none/")]);
    assert_eq!(none.status, 1);
    assert_eq!(
        none.stderr.trim(),
        format!(
            "tidings: not subscribed: {}: not a feed: the server sent an HTML page with no feed linked from it",
            bare.url("/none/")
        )
    );
    let missing = add(&[&bare.url("/gone.xml")]);
    assert!(missing.stderr.contains("HTTP 404"), "{}", missing.stderr);
    assert_eq!(subscribed(), before);

    // An OPML outline that names a page is the feed the page links; one
    // that cannot be fetched now stays, for the update to say why.
    let elsewhere = crate::common::Corpus::new();
    let opml = elsewhere.write(
        "list.opml",
        format!(
            "<opml><body><outline xmlUrl=\"{}\"/><outline xmlUrl=\"{}\"/></body></opml>",
            server.url("/one"),
            bare.url("/gone.xml")
        ),
    );
    let imported = tidings_at(
        elsewhere.path(),
        &["feeds", "import", opml.to_str().unwrap()],
    );
    assert_eq!(
        imported.stdout,
        "imported 2 feeds (0 already subscribed, 0 skipped)\n"
    );
    let listed =
        std::fs::read_to_string(elsewhere.path().join("config/tidings/feeds.toml")).unwrap();
    assert_eq!(
        listed,
        format!(
            "[[feed]]\nurl = \"{}\"\n\n[[feed]]\nurl = \"{}\"\n",
            server.url("/rss.xml"),
            bare.url("/gone.xml")
        )
    );
}
