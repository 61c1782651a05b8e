//! Sync against a real Tiny Tiny RSS on loopback (started by .ci/run with
//! tests/servers/ttrss.sh; `TIDINGS_TTRSS` is its address and
//! `TIDINGS_TTRSS_PROXY` the port of the proxy it fetches feeds through,
//! which these tests serve). In CI a missing server fails the tests;
//! elsewhere they say why they skip.

mod common;

use std::path::Path;
use std::sync::Mutex;

use common::{Corpus, Run};
use serde_json::{Value, json};

/// The proxy port is one: the tests that serve feeds take turns.
static FEED_PROXY: Mutex<()> = Mutex::new(());

struct Server {
    url: String,
    proxy: u16,
}

fn server() -> Option<Server> {
    let url = std::env::var("TIDINGS_TTRSS").ok();
    let proxy = std::env::var("TIDINGS_TTRSS_PROXY")
        .ok()
        .and_then(|p| p.parse().ok());
    match (url, proxy) {
        (Some(url), Some(proxy)) => Some(Server { url, proxy }),
        _ if std::env::var_os("CI").is_some() => {
            panic!("no Tiny Tiny RSS to test against: .ci/run starts one (tests/servers/ttrss.sh)")
        }
        _ => {
            eprintln!(
                "skipped: no Tiny Tiny RSS (start one with tests/servers/ttrss.sh and set TIDINGS_TTRSS, TIDINGS_TTRSS_PROXY)"
            );
            None
        }
    }
}

/// The API, spoken directly, as another client of the same server would.
fn api(server: &Server, body: Value) -> Value {
    let login = json!({"op": "login", "user": "admin", "password": "password"});
    let sid = call(server, login)["session_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut body = body;
    body["sid"] = json!(sid);
    call(server, body)
}

fn call(server: &Server, body: Value) -> Value {
    let text = ureq::post(format!("{}/api/", server.url.trim_end_matches('/')))
        .send(body.to_string())
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    let reply: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(reply["status"], 0, "{reply}");
    reply["content"].clone()
}

/// A feed served to whatever asks the proxy, until dropped.
struct FeedProxy(std::sync::Arc<tiny_http::Server>);

impl Drop for FeedProxy {
    fn drop(&mut self) {
        self.0.unblock();
    }
}

/// Serves `items` as an RSS feed to whatever asks the proxy.
fn feed_proxy(port: u16, items: &[(&str, &str)]) -> FeedProxy {
    let mut xml = String::from(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Harbor Gazette</title><link>http://0.0.0.0/</link>",
    );
    for (i, (title, text)) in items.iter().enumerate() {
        xml.push_str(&format!(
            "<item><guid>http://0.0.0.0/story-{i}</guid><title>{title}</title><link>http://0.0.0.0/story-{i}</link>\
             <pubDate>Fri, 27 Nov 2026 0{i}:00:00 GMT</pubDate><description>{text}</description></item>"
        ));
    }
    xml.push_str("</channel></rss>");
    let server = std::sync::Arc::new(tiny_http::Server::http(format!("127.0.0.1:{port}")).unwrap());
    let answering = std::sync::Arc::clone(&server);
    std::thread::spawn(move || {
        for request in answering.incoming_requests() {
            let _ = request.respond(tiny_http::Response::from_string(xml.clone()));
        }
    });
    FeedProxy(server)
}

fn home(server_url: &str) -> Corpus {
    let home = Corpus::new();
    home.write(
        "config/tidings/config.toml",
        format!(
            "[sync]\nservice = \"ttrss\"\nurl = \"{server_url}\"\nuser = \"admin\"\npassword_env = \"TTRSS_PASSWORD\"\n"
        ),
    );
    home
}

fn tidings(home: &Path, args: &[&str]) -> Run {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_tidings"))
        .args(args)
        .env("HOME", home)
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("TTRSS_PASSWORD", "password")
        .output()
        .unwrap();
    Run {
        status: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn stories(home: &Path) -> Vec<Value> {
    let run = tidings(home, &["list", "--json", "--no-index"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    run.json().as_array().unwrap().clone()
}

/// The server's article for a title, as the API lists it.
fn article(server: &Server, title: &str) -> Value {
    let all = api(
        server,
        json!({"op": "getHeadlines", "feed_id": -4, "view_mode": "all_articles", "limit": 200}),
    );
    all.as_array()
        .unwrap()
        .iter()
        .find(|a| a["title"] == title)
        .cloned()
        .unwrap_or_else(|| panic!("no article {title} on the server: {all}"))
}

#[test]
fn marks_and_stars_travel_both_ways_and_wait_while_the_server_is_away() {
    let Some(server) = server() else { return };
    let _turn = FEED_PROXY.lock().unwrap_or_else(|e| e.into_inner());
    let _feed = feed_proxy(
        server.proxy,
        &[
            ("Harbor Strike Enters Third Day", "Dockers stay out."),
            ("Ferries Run Late Again", "The ferries run late."),
        ],
    );
    let subscribed = api(
        &server,
        json!({"op": "subscribeToFeed", "feed_url": "http://0.0.0.0/harbor.xml"}),
    );
    assert!(
        matches!(subscribed["status"]["code"].as_i64(), Some(0 | 1)),
        "{subscribed}"
    );
    let feeds = api(&server, json!({"op": "getFeeds", "cat_id": -4}));
    let feed = feeds
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["feed_url"] == "http://0.0.0.0/harbor.xml")
        .unwrap_or_else(|| panic!("{feeds}"))["id"]
        .clone();
    api(&server, json!({"op": "updateFeed", "feed_id": feed}));

    // Pull: the articles become stories, with the server's marks.
    let home = home(&server.url);
    let run = tidings(home.path(), &["update"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains(": 2 new, 0 marks sent"),
        "{}",
        run.stdout
    );
    let listed = stories(home.path());
    let strike = listed
        .iter()
        .find(|s| s["title"] == "Harbor Strike Enters Third Day")
        .unwrap_or_else(|| panic!("{listed:?}"));
    assert_eq!(strike["read"], false);
    let id = strike["id"].as_str().unwrap().to_owned();

    // Push: read here, read there.
    assert_eq!(tidings(home.path(), &["mark", "read", &id]).status, 0);
    let run = tidings(home.path(), &["update"]);
    assert!(
        run.stdout.contains("1 marks sent"),
        "{} {}",
        run.stdout,
        run.stderr
    );
    assert_eq!(
        article(&server, "Harbor Strike Enters Third Day")["unread"],
        false
    );

    // Starred on the server: starred here after the next sync.
    let ferries = article(&server, "Ferries Run Late Again")["id"].clone();
    api(
        &server,
        json!({"op": "updateArticle", "article_ids": ferries.to_string(), "field": 0, "mode": 1}),
    );
    let run = tidings(home.path(), &["update"]);
    assert!(
        run.stdout.contains("1 marks taken"),
        "{} {}",
        run.stdout,
        run.stderr
    );
    let listed = stories(home.path());
    let starred: Vec<&Value> = listed.iter().filter(|s| s["starred"] == true).collect();
    assert_eq!(starred.len(), 1, "{listed:?}");
    assert_eq!(starred[0]["title"], "Ferries Run Late Again");

    // The server away: the change waits in the journal, and goes when it
    // is back.
    let away = home.path().join("config/tidings/config.toml");
    let config = std::fs::read_to_string(&away).unwrap();
    std::fs::write(&away, config.replace(&server.url, "http://127.0.0.1:9/")).unwrap();
    assert_eq!(tidings(home.path(), &["mark", "unread", &id]).status, 0);
    let run = tidings(home.path(), &["update"]);
    assert_eq!(run.status, 1);
    assert!(
        run.stderr
            .contains("sync: cannot reach http://127.0.0.1:9/: ")
            && run
                .stderr
                .trim_end()
                .ends_with("; 1 change kept for next time"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    let status = tidings(home.path(), &["sync", "status"]);
    assert!(
        status.stdout.contains("changes waiting to be sent: 1"),
        "{}",
        status.stdout
    );
    std::fs::write(&away, config).unwrap();
    let run = tidings(home.path(), &["update"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(run.stdout.contains("1 marks sent"), "{}", run.stdout);
    assert_eq!(
        article(&server, "Harbor Strike Enters Third Day")["unread"],
        true
    );
    let status = tidings(home.path(), &["sync", "status"]);
    assert!(
        status.stdout.contains("changes waiting to be sent: 0"),
        "{}",
        status.stdout
    );
    // Nothing duplicated: still the two stories.
    assert_eq!(stories(home.path()).len(), 2);
}

#[test]
fn a_wrong_password_and_a_page_that_is_not_the_api_say_so_in_one_line() {
    let Some(server) = server() else { return };
    let home = home(&server.url);
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_tidings"))
        .arg("update")
        .env("XDG_STATE_HOME", home.path().join("state"))
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("TTRSS_PASSWORD", "not the password")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1));
    assert_eq!(
        stderr.trim_end(),
        format!(
            "tidings: sync: {} refused the user or the password",
            server.url
        )
    );
    // The web root answers HTML, not the API's JSON.
    let page = format!("{}/index.php/", server.url.trim_end_matches('/'));
    let config = home.path().join("config/tidings/config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, text.replace(&server.url, &page)).unwrap();
    let run = tidings(home.path(), &["update"]);
    assert_eq!(run.status, 1);
    assert!(
        run.stderr
            .contains("did not answer as Tiny Tiny RSS's API does"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_password_in_the_config_is_refused_with_what_to_use() {
    let home = Corpus::new();
    home.write(
        "config/tidings/config.toml",
        "[sync]\nservice = \"ttrss\"\nurl = \"http://127.0.0.1:9/\"\nuser = \"me\"\npassword = \"hunter2\"\n",
    );
    let run = tidings(home.path(), &["update"]);
    assert_eq!(run.status, 2);
    assert!(
        run.stderr
            .contains("config.toml:5:1: a password is not kept in the configuration")
            && run.stderr.contains("use password_command"),
        "{}",
        run.stderr
    );
}
