//! `tidings feeds`: subscriptions in feeds.toml, added, removed, listed,
//! imported from OPML and exported to it, through the real binary.

use std::path::Path;

use crate::common::web::{Server, ok as reply};
use crate::common::{Corpus, Run, tidings_at};
use serde_json::json;

/// A server whose every address is a feed (`feeds add` subscribes only
/// to feeds).
fn feed_server() -> Server {
    Server::start(|_| reply("<rss version=\"2.0\"><channel><title>Any</title></channel></rss>"))
}

fn ok(home: &Path, args: &[&str]) -> Run {
    let run = tidings_at(home, args);
    assert_eq!(run.status, 0, "{args:?}: {}", run.stderr);
    run
}

fn feeds_toml(home: &Path) -> String {
    std::fs::read_to_string(home.join("config/tidings/feeds.toml")).unwrap()
}

#[test]
fn add_list_and_remove_keep_the_file_as_written() {
    let server = feed_server();
    let b = server.url("/atom.xml");
    let home = Corpus::new();
    let home = home.path();
    std::fs::create_dir_all(home.join("config/tidings")).unwrap();
    std::fs::write(
        home.join("config/tidings/feeds.toml"),
        "# My feeds, read every morning.\n[[feed]]\nurl = \"https://a.example/rss\"  # the first\n",
    )
    .unwrap();
    let run = ok(
        home,
        &[
            "feeds", "add", &b, "--title", "B News", "--tag", "world", "--tag", "daily",
        ],
    );
    assert_eq!(run.stdout, format!("subscribed to {b}: Any\n"));
    let run = ok(home, &["feeds", "add", &b]);
    assert_eq!(run.stdout, format!("already subscribed to {b}: Any\n"));
    assert_eq!(
        feeds_toml(home),
        format!(
            "# My feeds, read every morning.\n[[feed]]\nurl = \"https://a.example/rss\"  # the first\n\n\
             [[feed]]\nurl = \"{b}\"\ntitle = \"B News\"\ntags = [\"world\", \"daily\"]\n"
        )
    );

    let listed = ok(home, &["feeds", "list", "--json"]);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&listed.stdout).unwrap(),
        json!([
            {"url": "https://a.example/rss", "title": null, "tags": [], "stories": 0,
             "unread": 0, "last_update": null, "last_error": null, "feed_title": null,
             "read_with_repairs": false},
            {"url": b, "title": "B News", "tags": ["world", "daily"],
             "stories": 0, "unread": 0, "last_update": null, "last_error": null,
             "feed_title": null, "read_with_repairs": false},
        ])
    );
    let listed = ok(home, &["feeds", "list"]);
    assert_eq!(
        listed.stdout,
        format!(
            "    0 stories     0 unread  https://a.example/rss\n    0 stories     0 unread  {b}  B News  [world, daily]\n"
        )
    );

    let run = ok(home, &["feeds", "remove", "https://a.example/rss"]);
    assert_eq!(run.stdout, "unsubscribed from https://a.example/rss\n");
    assert!(!feeds_toml(home).contains("a.example"));
    assert!(
        feeds_toml(home).starts_with("# My feeds"),
        "{}",
        feeds_toml(home)
    );
    let run = tidings_at(home, &["feeds", "remove", "https://a.example/rss"]);
    assert_eq!(
        (run.status, run.stderr.as_str()),
        (1, "tidings: not subscribed to https://a.example/rss\n")
    );
}

#[test]
fn only_web_addresses_are_subscribed() {
    let home = Corpus::new();
    for url in [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "example.org/feed",
        "ftp://a.example/",
    ] {
        let run = tidings_at(home.path(), &["feeds", "add", url]);
        assert_eq!(run.status, 2, "{url}");
        assert_eq!(
            run.stderr,
            format!("tidings: url must be an http or https address, not \"{url}\"\n")
        );
    }
    assert!(!home.path().join("config/tidings/feeds.toml").exists());
}

#[test]
fn mistakes_in_feeds_toml_name_the_line_and_a_likely_key() {
    let home = Corpus::new();
    let path = home.write(
        "config/tidings/feeds.toml",
        "[[feed]]\nurl = \"https://a.example/rss\"\ntgas = [\"x\"]\n",
    );
    for args in [
        &["feeds", "list"][..],
        &["feeds", "add", "https://b.example/"],
    ] {
        let run = tidings_at(home.path(), args);
        assert_eq!(run.status, 2);
        assert_eq!(
            run.stderr,
            format!(
                "tidings: {}:3:1: unknown key \"tgas\" in [[feed]]; did you mean \"tags\"?\n",
                path.display()
            )
        );
    }
}

#[test]
fn opml_from_other_readers_is_imported_leniently() {
    let home = Corpus::new();
    // No version, `url` instead of `xmlUrl`, folders two deep, a folder
    // with no feed, a feed listed twice, a link that is not a web address,
    // escaped text: what real exports hold.
    let opml = home.write(
        "export.opml",
        r#"<?xml version="1.0"?>
<opml>
  <head><title>newsboat - Exported Feeds</title></head>
  <body>
    <outline text="World">
      <outline text="Europe">
        <outline type="rss" text="Harbor &amp; Rail" xmlUrl="https://harbor.example/rss" htmlUrl="https://harbor.example/"/>
      </outline>
      <outline type="rss" title="Globe" text="Globe daily" url="http://globe.example/atom"/>
    </outline>
    <outline text="Empty folder"></outline>
    <outline type="rss" xmlUrl="https://plain.example/feed.json"/>
    <outline type="rss" xmlUrl="https://harbor.example/rss"/>
    <outline type="rss" xmlUrl="javascript:alert(1)"/>
  </body>
</opml>"#,
    );
    let run = ok(home.path(), &["feeds", "import", opml.to_str().unwrap()]);
    assert_eq!(
        run.stdout,
        "imported 3 feeds (1 already subscribed, 1 skipped)\n"
    );
    assert_eq!(
        run.stderr,
        format!(
            "tidings: {}: skipped: url must be an http or https address, not \"javascript:alert(1)\"\n",
            opml.display()
        )
    );
    let listed = ok(home.path(), &["feeds", "list", "--json"]);
    let listed: serde_json::Value = serde_json::from_str(&listed.stdout).unwrap();
    let summary: Vec<(&str, Option<&str>, Vec<&str>)> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let tags = f["tags"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t.as_str().unwrap())
                .collect();
            (f["url"].as_str().unwrap(), f["title"].as_str(), tags)
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                "https://harbor.example/rss",
                Some("Harbor & Rail"),
                vec!["World", "Europe"]
            ),
            ("http://globe.example/atom", Some("Globe"), vec!["World"]),
            ("https://plain.example/feed.json", None, vec![]),
        ]
    );

    // Importing again adds nothing.
    let run = ok(home.path(), &["feeds", "import", opml.to_str().unwrap()]);
    assert_eq!(
        run.stdout,
        "imported 0 feeds (4 already subscribed, 1 skipped)\n"
    );
}

#[test]
fn export_gives_opml_2_that_imports_back_the_same() {
    let server = feed_server();
    let a = server.url("/rss?x=1&y=2");
    let home = Corpus::new();
    ok(
        home.path(),
        &["feeds", "add", &a, "--title", "A <b>", "--tag", "x"],
    );
    ok(home.path(), &["feeds", "add", &server.url("/atom")]);
    let exported = ok(home.path(), &["feeds", "export"]).stdout;
    assert!(exported.contains("<opml version=\"2.0\">"), "{exported}");
    assert!(
        exported.contains(&format!("xmlUrl=\"{}\"", a.replace('&', "&amp;"))),
        "{exported}"
    );

    let elsewhere = Corpus::new();
    let file = elsewhere.write("feeds.opml", &exported);
    ok(
        elsewhere.path(),
        &["feeds", "import", file.to_str().unwrap()],
    );
    assert_eq!(
        ok(elsewhere.path(), &["feeds", "list", "--json"]).stdout,
        ok(home.path(), &["feeds", "list", "--json"]).stdout
    );
}

#[test]
fn a_file_that_is_not_opml_is_named_with_the_problem() {
    let home = Corpus::new();
    let file = home.write(
        "feeds.opml",
        "<opml><body><outline text=\"x\" xmlUrl=\"https://a.example/\"",
    );
    let run = tidings_at(home.path(), &["feeds", "import", file.to_str().unwrap()]);
    assert_eq!(run.status, 1);
    assert!(
        run.stderr.starts_with(&format!(
            "tidings: {}: not readable as OPML (at byte",
            file.display()
        )),
        "{}",
        run.stderr
    );
}
