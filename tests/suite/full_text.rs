//! Full text: `F` in the reader and `full_text = true` feeds, against
//! pages a loopback server serves (an article inside navigation, a share
//! bar and comments; a Latin-1 page; a login wall; a page that never
//! ends; an image; a redirect loop).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::common::pty::Session;
use crate::common::web::*;
use crate::common::{Corpus, tidings_at};

const SUMMARY: &str = "The night ferries return, the harbor says.";

/// A folder with one story whose page is at `url`.
fn story_at(url: &str) -> Corpus {
    let corpus = Corpus::new();
    corpus.write(
        "ferries.toml",
        format!("title = \"Night Ferries Return\"\nbody = \"{SUMMARY}\"\nurl = \"{url}\"\n"),
    );
    corpus
}

fn html(body: String) -> Reply {
    Reply::Full(
        200,
        vec![("Content-Type", "text/html; charset=utf-8".into())],
        body.into_bytes(),
    )
}

#[test]
fn f_shows_the_pages_text_keeps_it_and_turns_back_to_the_feeds() {
    // The page waits until the test lets it go: keys must work meanwhile.
    let released = Arc::new(AtomicBool::new(false));
    let release = Arc::clone(&released);
    let server = Server::start(move |request| {
        if request.url() == "/news/ferries" {
            let deadline = Instant::now() + Duration::from_secs(30);
            while !release.load(Ordering::SeqCst) && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(5));
            }
            html(crate::pages::news_page(6))
        } else {
            Reply::Full(404, vec![], Vec::new())
        }
    });
    let corpus = story_at(&server.url("/news/ferries"));
    let folder = corpus.path().to_str().unwrap();
    let mut reader = Session::start(&[folder], 110, 40);
    reader.wait_for(SUMMARY);
    reader.send("F");
    reader.wait_for("fetching the page of “Night Ferries Return”");
    // The reader answers while the page is on its way.
    reader.send("?");
    reader.wait_for("page's full text / feed's text");
    reader.send("\u{1b}");
    reader.wait_until(|s| !s.contains("Keys"), "the help closed");
    released.store(true, Ordering::SeqCst);
    let screen = reader.wait_for("The web page's text · F: the feed's text");
    assert!(
        screen.contains("Paragraph 0: the harbor authority"),
        "{screen}"
    );
    assert!(
        screen.contains("words, kept; F: the feed's text"),
        "{screen}"
    );
    for absent in ["Share on Facebook", "Sport", "Spam", SUMMARY] {
        assert!(!screen.contains(absent), "{absent} shown:\n{screen}");
    }
    reader.send("F");
    let screen = reader.wait_for(SUMMARY);
    assert!(!screen.contains("The web page's text"), "{screen}");
    assert!(!screen.contains("Paragraph 0:"), "{screen}");
    reader.send("q");
    reader.wait_exit();

    // Kept in the story's file: shown at once next time, with no fetch,
    // and found by search.
    let file = std::fs::read_to_string(corpus.path().join("ferries.toml")).unwrap();
    assert!(file.contains("full_text = "), "{file}");
    let fetches = || {
        let requests = server.requests.lock().unwrap();
        requests
            .iter()
            .filter(|(path, _)| path == "/news/ferries")
            .count()
    };
    assert_eq!(fetches(), 1);
    let mut again = Session::start(&[folder], 110, 40);
    let screen = again.wait_for("The web page's text · F: the feed's text");
    assert!(
        screen.contains("Paragraph 0: the harbor authority"),
        "{screen}"
    );
    again.send("q");
    again.wait_exit();
    assert_eq!(fetches(), 1);
    let home = Corpus::new();
    let found = tidings_at(home.path(), &["search", "authority", folder]);
    assert_eq!(found.status, 0, "{}", found.stderr);
    assert!(
        found.stdout.contains("Night Ferries Return"),
        "{}",
        found.stdout
    );
}

#[test]
fn f_on_a_page_with_no_article_says_so_and_leaves_the_story() {
    let server = Server::start(|_| {
        html(
            "<html><body><form><p>Sign in to keep reading.</p><input name=u>\
              <button>Log in</button></form></body></html>"
                .into(),
        )
    });
    let corpus = story_at(&server.url("/login"));
    let before = std::fs::read_to_string(corpus.path().join("ferries.toml")).unwrap();
    let mut reader = Session::start(&[corpus.path().to_str().unwrap()], 110, 40);
    reader.wait_for(SUMMARY);
    reader.send("F");
    let screen = reader.wait_for("page not fetched: no article found on the page");
    assert!(screen.contains(SUMMARY), "{screen}");
    reader.send("q");
    reader.wait_exit();
    let after = std::fs::read_to_string(corpus.path().join("ferries.toml")).unwrap();
    assert_eq!(before, after);
}

/// A Latin-1 article, as an old site serves it.
fn latin1_page() -> Vec<u8> {
    let mut page =
        b"<html><head><meta charset=\"iso-8859-1\"><title>Caf\xe9</title></head><body><article>"
            .to_vec();
    for _ in 0..5 {
        page.extend_from_slice(
            b"<p>The caf\xe9 on the pier re-opens with cr\xe8me br\xfbl\xe9e on the menu, its owner said, \
              and the terrace will be open every evening until the end of the season.</p>",
        );
    }
    page.extend_from_slice(b"</article></body></html>");
    page
}

/// A feed of these items (guid, link), their summaries revised or not.
fn feed_of(items: &[(&str, &str)], revised: bool) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Pier News</title>",
    );
    let revision = if revised { ", revised" } else { "" };
    for (guid, link) in items {
        xml.push_str(&format!(
            "<item><guid>{guid}</guid><title>Story {guid}</title><link>{link}</link>\
             <description>Summary of {guid}{revision}.</description></item>"
        ));
    }
    xml + "</channel></rss>"
}

#[test]
fn a_full_text_feed_fetches_each_new_storys_page_and_says_which_failed() {
    // The second update brings the café story with a new summary.
    let changed = Arc::new(AtomicBool::new(false));
    let second = Arc::clone(&changed);
    let base = Arc::new(std::sync::OnceLock::<String>::new());
    let known = Arc::clone(&base);
    let web = Server::start(move |request| {
        let url = |path: &str| format!("{}{path}", known.get().unwrap());
        match request.url() {
            "/feed" => ok(&feed_of(
                &[
                    ("cafe", &url("/cafe")),
                    ("login", &url("/login")),
                    ("endless", &url("/endless")),
                    ("picture", &url("/picture.png")),
                    ("loop", &url("/loop")),
                    ("ftp", "ftp://pier.example/story"),
                ],
                second.load(Ordering::SeqCst),
            )),
            "/cafe" => Reply::Full(
                200,
                vec![("Content-Type", "text/html".into())],
                latin1_page(),
            ),
            "/login" => html("<html><body><p>Sign in to keep reading.</p></body></html>".into()),
            "/endless" => Reply::Endless,
            "/picture.png" => Reply::Full(
                200,
                vec![("Content-Type", "image/png".into())],
                vec![0x89, b'P'],
            ),
            "/loop" => Reply::Full(302, vec![("Location", url("/loop"))], Vec::new()),
            _ => Reply::Full(404, vec![], Vec::new()),
        }
    });
    base.set(web.url("")).unwrap();
    let home = home_with(&[], "[feeds]\nmax_bytes = 262144\n");
    let feed = web.url("/feed");
    let run = tidings_at(home.path(), &["feeds", "add", "--full-text", &feed]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let run = update(home.path(), &[]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let expected = format!(
        "{feed}: 6 new, 5 pages failed (larger than 256 KiB; more than 10 redirects (a loop?); \
         no article found on the page (5 words of text, 0 in links); not a web page: image/png; \
         only http and https pages are fetched, not ftp:)"
    );
    assert_eq!(run.stdout.trim(), expected);
    let file_of = |guid: &str| {
        story_files(home.path())
            .into_iter()
            .map(|path| std::fs::read_to_string(path).unwrap())
            .find(|text| text.contains(&format!("title = \"Story {guid}\"")))
            .unwrap()
    };
    let cafe = tidings::load::load_sources([("cafe.toml", file_of("cafe").as_bytes())]);
    let full_text = cafe.articles[0].full_text.clone().unwrap();
    assert!(
        full_text[0].starts_with("The café on the pier re-opens with crème brûlée"),
        "{full_text:?}"
    );
    for failed in ["login", "endless", "picture", "loop", "ftp"] {
        let file = file_of(failed);
        assert!(!file.contains("full_text"), "{file}");
        assert!(file.contains(&format!("Summary of {failed}.")), "{file}");
    }

    // A story rewritten by a later update keeps the page's text.
    changed.store(true, Ordering::SeqCst);
    let run = update(home.path(), &[]);
    assert!(
        run.stdout.contains(&format!("{feed}: 0 new, 6 updated")),
        "{}",
        run.stdout
    );
    let cafe = file_of("cafe");
    assert!(cafe.contains("Summary of cafe, revised."), "{cafe}");
    assert!(cafe.contains("crème brûlée"), "{cafe}");
}

#[test]
fn r_in_the_reader_says_which_pages_of_a_full_text_feed_were_not_fetched() {
    let base = Arc::new(std::sync::OnceLock::<String>::new());
    let known = Arc::clone(&base);
    let web = Server::start(move |request| match request.url() {
        "/feed" => ok(&feed_of(
            &[("wall", &format!("{}/login", known.get().unwrap()))],
            false,
        )),
        _ => html("<html><body><p>Sign in to keep reading.</p></body></html>".into()),
    });
    base.set(web.url("")).unwrap();
    let mut reader = Session::start(&[], 100, 30);
    reader.wait_for("Index");
    let config = reader.home.path().join("config/tidings");
    std::fs::create_dir_all(&config).unwrap();
    let feeds = format!(
        "[[feed]]\nurl = \"{}\"\nfull_text = true\n",
        web.url("/feed")
    );
    std::fs::write(config.join("feeds.toml"), feeds).unwrap();
    reader.send("r");
    let screen =
        reader.wait_for("feeds updated: 1 new story; 1 page was not fetched, ! lists them");
    assert!(screen.contains("Story wall"), "{screen}");
    reader.send("!");
    reader.wait_for("a story's page was not fetched: no article found on the page");
    reader.send("\u{1b}");
    reader.wait_until(|s| !s.contains("Load problems"), "the problems closed");
    reader.send("q");
    reader.wait_exit();
}
