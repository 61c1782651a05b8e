//! Sync against a real Tiny Tiny RSS on loopback (started by .ci/run with
//! tests/servers/ttrss.sh; `TIDINGS_TTRSS` is its address and
//! `TIDINGS_TTRSS_PROXY` the port of the proxy it fetches feeds through,
//! which these tests serve). In CI a missing server fails the tests;
//! elsewhere they say why they skip.

use std::path::Path;
use std::sync::Mutex;

use crate::common::{Corpus, tidings_at as tidings};
use serde_json::{Value, json};

/// One server and one proxy port: the tests that use them take turns
/// (one of them switches the API off for a moment).
static TURN: Mutex<()> = Mutex::new(());

fn turn() -> std::sync::MutexGuard<'static, ()> {
    TURN.lock().unwrap_or_else(|e| e.into_inner())
}

struct Server {
    url: String,
    proxy: u16,
    /// Its folder: its database's socket, and what pauses it.
    dir: String,
}

/// The server's web side stopped, as if it were away, until dropped.
struct Away<'a>(&'a Server);

impl Server {
    fn script(&self, what: &str) {
        let done = std::process::Command::new("bash")
            .args(["tests/servers/ttrss.sh", what, &self.dir])
            .status()
            .unwrap();
        assert!(done.success(), "ttrss.sh {what}");
    }

    fn away(&self) -> Away<'_> {
        self.script("pause");
        Away(self)
    }
}

impl Drop for Away<'_> {
    fn drop(&mut self) {
        self.0.script("resume");
    }
}

fn server() -> Option<Server> {
    let url = std::env::var("TIDINGS_TTRSS").ok();
    let proxy = std::env::var("TIDINGS_TTRSS_PROXY")
        .ok()
        .and_then(|p| p.parse().ok());
    let dir = std::env::var("TIDINGS_TTRSS_DIR").ok();
    match (url, proxy, dir) {
        (Some(url), Some(proxy), Some(dir)) => Some(Server { url, proxy, dir }),
        _ if std::env::var_os("CI").is_some() => {
            panic!("no Tiny Tiny RSS to test against: .ci/run starts one (tests/servers/ttrss.sh)")
        }
        _ => {
            eprintln!(
                "skipped: no Tiny Tiny RSS (start one with tests/servers/ttrss.sh and set TIDINGS_TTRSS, TIDINGS_TTRSS_PROXY, TIDINGS_TTRSS_DIR)"
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
    // The proxy of the test before may still be letting go of the port.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let server = loop {
        match tiny_http::Server::http(format!("127.0.0.1:{port}")) {
            Ok(server) => break std::sync::Arc::new(server),
            Err(e) if std::time::Instant::now() < deadline => {
                let _ = e;
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            Err(e) => panic!("cannot serve the feed proxy on {port}: {e}"),
        }
    };
    let answering = std::sync::Arc::clone(&server);
    std::thread::spawn(move || {
        for request in answering.incoming_requests() {
            let _ = request.respond(tiny_http::Response::from_string(xml.clone()));
        }
    });
    FeedProxy(server)
}

/// Subscribes the server to a feed the proxy serves, has it fetched, and
/// puts its articles back as a fresh server has them: unread, no star.
fn subscribe_fresh(server: &Server, url: &str, titles: &[&str]) {
    let subscribed = api(server, json!({"op": "subscribeToFeed", "feed_url": url}));
    assert!(
        matches!(subscribed["status"]["code"].as_i64(), Some(0 | 1)),
        "{subscribed}"
    );
    let feeds = api(server, json!({"op": "getFeeds", "cat_id": -4}));
    let feed = feeds
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["feed_url"] == url)
        .unwrap_or_else(|| panic!("{feeds}"))["id"]
        .clone();
    api(server, json!({"op": "updateFeed", "feed_id": feed}));
    let ids: Vec<String> = titles
        .iter()
        .map(|title| article(server, title)["id"].to_string())
        .collect();
    let ids = ids.join(",");
    for (field, mode) in [(2, 1), (0, 0)] {
        let set = json!({"op": "updateArticle", "article_ids": ids, "field": field, "mode": mode});
        api(server, set);
    }
}

fn home(server_url: &str) -> Corpus {
    let home = Corpus::new();
    home.write(
        "config/tidings/config.toml",
        format!(
            "[sync]\nservice = \"ttrss\"\nurl = \"{server_url}\"\nuser = \"admin\"\npassword_command = [\"printf\", \"password\\\\n\"]\n"
        ),
    );
    home
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
    let _turn = turn();
    let _feed = feed_proxy(
        server.proxy,
        &[
            ("Harbor Strike Enters Third Day", "Dockers stay out."),
            ("Ferries Run Late Again", "The ferries run late."),
            // A right-to-left override, which the server passes on.
            ("Quay \u{202e}Closed for Repairs", "The quay closes."),
        ],
    );
    subscribe_fresh(
        &server,
        "http://0.0.0.0/harbor.xml",
        &["Harbor Strike Enters Third Day", "Ferries Run Late Again"],
    );

    // Pull: the articles become stories, with the server's marks.
    let home = home(&server.url);
    let run = tidings(home.path(), &["update"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains(": 3 new, 0 marks sent"),
        "{}",
        run.stdout
    );
    let listed = stories(home.path());
    // Cleaned as feed text is.
    assert!(
        listed
            .iter()
            .any(|s| s["title"] == "Quay Closed for Repairs"),
        "{listed:?}"
    );
    // The server's feed is a feed here too: a source, and a filter.
    let of_feed = tidings(
        home.path(),
        &["list", "--no-index", "--feed", "harbor gazette"],
    );
    assert_eq!(
        of_feed.stdout.lines().count(),
        3,
        "{} {}",
        of_feed.stdout,
        of_feed.stderr
    );
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
    let away = server.away();
    assert_eq!(tidings(home.path(), &["mark", "unread", &id]).status, 0);
    let run = tidings(home.path(), &["update"]);
    assert_eq!(run.status, 1);
    let cannot = format!("tidings: sync: cannot reach {}: ", server.url);
    assert!(
        run.stderr.starts_with(&cannot)
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
    drop(away);
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
    // Changed on both sides since the last sync: here read, then unread
    // again while the server was away; there, read. The server's change
    // counts as made when the sync sees it, the later: read it stays.
    let away = server.away();
    assert_eq!(tidings(home.path(), &["mark", "read", &id]).status, 0);
    assert_eq!(tidings(home.path(), &["update"]).status, 1);
    assert_eq!(tidings(home.path(), &["mark", "unread", &id]).status, 0);
    assert_eq!(tidings(home.path(), &["update"]).status, 1);
    drop(away);
    let strike_id = article(&server, "Harbor Strike Enters Third Day")["id"].to_string();
    api(
        &server,
        json!({"op": "updateArticle", "article_ids": strike_id, "field": 2, "mode": 0}),
    );
    let run = tidings(home.path(), &["update"]);
    assert!(
        run.stdout.contains("0 marks sent, 1 marks taken"),
        "{} {}",
        run.stdout,
        run.stderr
    );
    assert_eq!(
        article(&server, "Harbor Strike Enters Third Day")["unread"],
        false
    );
    let listed = stories(home.path());
    let strike = listed.iter().find(|s| s["id"] == id.as_str()).unwrap();
    assert_eq!(strike["read"], true, "{listed:?}");
    // Nothing duplicated: still the three stories.
    assert_eq!(stories(home.path()).len(), 3);
}

#[test]
fn a_wrong_password_and_a_page_that_is_not_the_api_say_so_in_one_line() {
    let Some(server) = server() else { return };
    let _turn = turn();
    let home = home(&server.url);
    let config = home.path().join("config/tidings/config.toml");
    let right = std::fs::read_to_string(&config).unwrap();
    std::fs::write(
        &config,
        right.replace("\"password\\\\n\"", "\"wrong\\\\n\""),
    )
    .unwrap();
    let run = tidings(home.path(), &["update"]);
    assert_eq!(run.status, 1);
    assert_eq!(
        run.stderr.trim_end(),
        format!(
            "tidings: sync: {} refused the user or the password",
            server.url
        )
    );
    std::fs::write(&config, &right).unwrap();
    // The web root answers HTML, not the API's JSON.
    let page = format!("{}/index.php/", server.url.trim_end_matches('/'));
    std::fs::write(&config, right.replace(&server.url, &page)).unwrap();
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

/// The Fever server (coldsweat, started by .ci/run with
/// tests/servers/coldsweat.sh): its API address, its proxy port and its
/// folder (to have it fetch).
struct FeverServer {
    url: String,
    proxy: u16,
    dir: String,
}

fn fever_server() -> Option<FeverServer> {
    let var = |name: &str| std::env::var(name).ok();
    match (
        var("TIDINGS_FEVER"),
        var("TIDINGS_FEVER_PROXY"),
        var("TIDINGS_FEVER_DIR"),
    ) {
        (Some(url), Some(proxy), Some(dir)) => Some(FeverServer {
            url,
            proxy: proxy.parse().unwrap(),
            dir,
        }),
        _ if std::env::var_os("CI").is_some() => {
            panic!(
                "no Fever server to test against: .ci/run starts one (tests/servers/coldsweat.sh)"
            )
        }
        _ => {
            eprintln!(
                "skipped: no Fever server (tests/servers/coldsweat.sh; TIDINGS_FEVER, TIDINGS_FEVER_PROXY, TIDINGS_FEVER_DIR)"
            );
            None
        }
    }
}

const FEVER_USER: &str = "reader@example.invalid";
const FEVER_PASSWORD: &str = "password1234";

fn fever(server: &FeverServer, what: &str, form: &[(&str, &str)]) -> Value {
    let digest = {
        use md5::{Digest, Md5};
        Md5::digest(format!("{FEVER_USER}:{FEVER_PASSWORD}").as_bytes())
    };
    let key: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    let mut fields = vec![("api_key", key.as_str())];
    fields.extend_from_slice(form);
    let text = ureq::post(format!("{}?api{what}", server.url))
        .send_form(fields)
        .unwrap()
        .body_mut()
        .read_to_string()
        .unwrap();
    serde_json::from_str(&text).unwrap()
}

fn fever_home(server: &FeverServer) -> Corpus {
    let home = Corpus::new();
    home.write(
        "config/tidings/config.toml",
        format!(
            "[sync]\nservice = \"fever\"\nurl = \"{}\"\nuser = \"{FEVER_USER}\"\npassword_command = [\"printf\", \"{FEVER_PASSWORD}\\\\n\"]\n",
            server.url
        ),
    );
    home
}

#[test]
fn with_a_fever_server_marks_and_stars_travel_both_ways() {
    let Some(server) = fever_server() else { return };
    let _feed = feed_proxy(
        server.proxy,
        &[
            ("Quay Cranes Idle in the Wind", "Gales stop the cranes."),
            ("Night Buses Return to the Coast", "Buses run at night."),
        ],
    );
    let home = fever_home(&server);
    let opml = home.write(
        "feeds.opml",
        "<opml version=\"2.0\"><body><outline text=\"Quay\" xmlUrl=\"http://0.0.0.0/quay.xml\"/></body></opml>",
    );
    let fetched = std::process::Command::new("bash")
        .args([
            "tests/servers/coldsweat.sh",
            "fetch",
            &server.dir,
            opml.to_str().unwrap(),
        ])
        .status()
        .unwrap();
    assert!(fetched.success());
    let item = |title: &str| {
        let items = fever(&server, "&items", &[]);
        items["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["title"] == title)
            .unwrap_or_else(|| panic!("no item {title}: {items}"))["id"]
            .as_i64()
            .unwrap()
    };
    let cranes = item("Quay Cranes Idle in the Wind");
    let buses = item("Night Buses Return to the Coast");
    for id in [cranes, buses] {
        let id = id.to_string();
        fever(
            &server,
            "",
            &[("mark", "item"), ("as", "unread"), ("id", &id)],
        );
        fever(
            &server,
            "",
            &[("mark", "item"), ("as", "unsaved"), ("id", &id)],
        );
    }

    let run = tidings(home.path(), &["update"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains(": 2 new, 0 marks sent"),
        "{}",
        run.stdout
    );
    let listed = stories(home.path());
    let story = |title: &str| {
        listed
            .iter()
            .find(|s| s["title"] == title)
            .unwrap_or_else(|| panic!("{listed:?}"))["id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let cranes_story = story("Quay Cranes Idle in the Wind");

    // Read and starred here: read and saved there.
    assert_eq!(
        tidings(home.path(), &["mark", "read", &cranes_story]).status,
        0
    );
    assert_eq!(
        tidings(home.path(), &["mark", "star", &cranes_story]).status,
        0
    );
    let run = tidings(home.path(), &["update"]);
    assert!(
        run.stdout.contains("2 marks sent"),
        "{} {}",
        run.stdout,
        run.stderr
    );
    let unread = fever(&server, "&unread_item_ids", &[]);
    let saved = fever(&server, "&saved_item_ids", &[]);
    let has = |list: &Value, id: i64| {
        list.as_str()
            .unwrap_or_default()
            .split(',')
            .any(|i| i.trim() == id.to_string())
    };
    assert!(!has(&unread["unread_item_ids"], cranes), "{unread}");
    assert!(has(&saved["saved_item_ids"], cranes), "{saved}");

    // Read on the server: read here.
    let id = buses.to_string();
    fever(
        &server,
        "",
        &[("mark", "item"), ("as", "read"), ("id", &id)],
    );
    let run = tidings(home.path(), &["update"]);
    assert!(
        run.stdout.contains("1 marks taken"),
        "{} {}",
        run.stdout,
        run.stderr
    );
    let listed = stories(home.path());
    assert!(listed.iter().all(|s| s["read"] == true), "{listed:?}");

    // Fever cannot subscribe: said, and nothing changes.
    let add = tidings(home.path(), &["feeds", "add", "http://0.0.0.0/more.xml"]);
    assert_eq!(add.status, 1);
    assert!(
        add.stderr.contains("the Fever API cannot subscribe"),
        "{}",
        add.stderr
    );
    assert!(!home.path().join("config/tidings/feeds.toml").exists());
}

#[test]
fn feeds_add_and_remove_subscribe_and_unsubscribe_on_tt_rss() {
    let Some(server) = server() else { return };
    // The server fetches a feed when it subscribes to it.
    let _turn = turn();
    let _feed = feed_proxy(server.proxy, &[("Subscribed", "By tidings.")]);
    let home = home(&server.url);
    let listed = |url: &str| {
        let feeds = api(&server, json!({"op": "getFeeds", "cat_id": -4}));
        feeds
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["feed_url"] == url)
    };
    let url = "http://0.0.0.0/subscribed-by-tidings.xml";
    let add = tidings(home.path(), &["feeds", "add", url]);
    assert_eq!(add.status, 0, "{}", add.stderr);
    assert!(listed(url));
    let remove = tidings(home.path(), &["feeds", "remove", url]);
    assert_eq!(remove.status, 0, "{}", remove.stderr);
    assert!(!listed(url));
}

/// A loopback server that answers every connection with `reply` (raw
/// bytes, then the connection closed), or never answers if it is None.
fn raw_server(reply: Option<&'static [u8]>) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            let mut stream = stream;
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            match reply {
                Some(bytes) => {
                    let _ = stream.write_all(bytes);
                }
                None => held.push(stream), // kept open, never answered
            }
        }
    });
    format!("{address}")
}

#[test]
fn each_fault_is_one_line_and_exit_1() {
    let cases: [(&str, Option<&'static [u8]>, &str); 5] = [
        (
            "http",
            Some(b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n"),
            "answered HTTP 500",
        ),
        (
            "http",
            Some(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 15\r\n\r\n<html>hi</html>"),
            "did not answer as Tiny Tiny RSS's API does",
        ),
        // Stops in the middle of its answer.
        (
            "http",
            Some(b"HTTP/1.1 200 OK\r\nContent-Length: 400\r\n\r\n{\"seq\":0,\"status\":0,\"conte"),
            "sync: ",
        ),
        ("http", None, "timed out"),
        // TLS spoken to a server that speaks plain HTTP.
        (
            "https",
            Some(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"),
            "cannot reach",
        ),
    ];
    for (scheme, reply, said) in cases {
        let address = raw_server(reply);
        let home = Corpus::new();
        let url = format!("{scheme}://{address}/");
        home.write(
            "config/tidings/config.toml",
            format!(
                "[feeds]\ntimeout = 1\n[sync]\nservice = \"ttrss\"\nurl = \"{url}\"\nuser = \"me\"\npassword_command = [\"printf\", \"x\"]\n"
            ),
        );
        let run = tidings(home.path(), &["update"]);
        assert_eq!(run.status, 1, "{url}: {}", run.stderr);
        assert_eq!(run.stderr.lines().count(), 1, "{url}: {}", run.stderr);
        assert!(
            run.stderr.starts_with("tidings: sync: ") && run.stderr.contains(said),
            "{url}: {}",
            run.stderr
        );
        assert!(
            !home
                .path()
                .join("data/tidings/sync")
                .read_dir()
                .is_ok_and(|mut d| d.any(|e| e.is_ok_and(|e| e.path().is_dir())))
        );
    }
}

#[test]
fn in_the_reader_a_mark_reaches_the_server_and_r_syncs() {
    let Some(server) = server() else { return };
    let _turn = turn();
    let _feed = feed_proxy(server.proxy, &[("Tram Line Opens Downtown", "Trams run.")]);
    subscribe_fresh(
        &server,
        "http://0.0.0.0/tram.xml",
        &["Tram Line Opens Downtown"],
    );
    let tram = article(&server, "Tram Line Opens Downtown")["id"].to_string();

    let home = home(&server.url);
    assert_eq!(tidings(home.path(), &["update"]).status, 0);
    let dir = |name: &str| home.path().join(name).to_str().unwrap().to_owned();
    let (state, config, data) = (dir("state"), dir("config"), dir("data"));
    let mut reader = crate::common::pty::Session::start_with_env(
        &[],
        100,
        30,
        &[
            ("XDG_STATE_HOME", state.as_str()),
            ("XDG_CONFIG_HOME", config.as_str()),
            ("XDG_DATA_HOME", data.as_str()),
        ],
    );
    reader.wait_for("Index");
    reader.send("/Tram Line");
    // The hit itself, not the prompt: Enter before the results arrive
    // opens nothing ("still searching…").
    reader.wait_for("H Tram Line Opens Downtown");
    reader.send("\r");
    reader.wait_until(
        |s| s.contains("Index · ") && s.contains("│ Tram Line Opens Downtown"),
        "the story opened, read",
    );
    // Opened, so read: on the server within a few seconds.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while article(&server, "Tram Line Opens Downtown")["unread"] != false {
        assert!(
            std::time::Instant::now() < deadline,
            "the read mark never reached the server"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    // Starred on the server; r brings it.
    api(
        &server,
        json!({"op": "updateArticle", "article_ids": tram, "field": 0, "mode": 1}),
    );
    reader.send("r");
    reader.wait_for_all(&["★ starred", "★ Tram Line Opens Downtown"]);
    reader.send("q");
    reader.wait_exit();
}

#[test]
fn an_api_switched_off_says_where_to_switch_it_on() {
    let Some(server) = server() else { return };
    let _turn = turn();
    let dir = &server.dir;
    let api_access = |on: bool| {
        let sql = format!(
            "update ttrss_user_prefs set value = '{on}' where pref_name = 'ENABLE_API_ACCESS'"
        );
        let socket = format!("{dir}/sock");
        let done = std::process::Command::new("runuser")
            .args([
                "-u", "postgres", "--", "psql", "-q", "-h", &socket, "ttrss", "-c", &sql,
            ])
            .status()
            .unwrap();
        assert!(done.success());
    };
    api_access(false);
    let home = home(&server.url);
    let run = tidings(home.path(), &["update"]);
    api_access(true);
    assert_eq!(run.status, 1);
    assert_eq!(
        run.stderr.trim_end(),
        format!(
            "tidings: sync: {} has its API switched off for this user (Preferences: Enable API access)",
            server.url
        )
    );
}
