//! A web server on loopback for the tests that fetch (feeds, pages),
//! and a home whose feeds it serves.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use tiny_http::{Header, Request, Response};

use super::{Corpus, Run, tidings_at};

/// A reply: status, headers, body; or a body that never ends.
pub enum Reply {
    Full(u16, Vec<(&'static str, String)>, Vec<u8>),
    Endless,
}

/// Each request's path and headers (names lowercased), in arrival order.
pub type Logged = Vec<(String, Vec<(String, String)>)>;

/// A loopback HTTP server answering each request (on a thread of its own,
/// so that requests overlap) with `route`; counts requests in flight.
pub struct Server {
    pub base: String,
    pub in_flight_peak: Arc<AtomicUsize>,
    pub requests: Arc<Mutex<Logged>>,
}

/// Requests in flight, and the most there were at once: shared by servers
/// that count together.
#[derive(Clone, Default)]
pub struct InFlight {
    pub now: Arc<AtomicUsize>,
    pub peak: Arc<AtomicUsize>,
}

impl Server {
    pub fn start(route: impl Fn(&Request) -> Reply + Send + Sync + 'static) -> Server {
        Server::start_on("127.0.0.1", InFlight::default(), route)
    }

    /// A server on loopback address `ip` (127.0.0.2 is another host to a
    /// client), counting its requests into `counted`.
    pub fn start_on(
        ip: &str,
        counted: InFlight,
        route: impl Fn(&Request) -> Reply + Send + Sync + 'static,
    ) -> Server {
        let server = tiny_http::Server::http(format!("{ip}:0")).unwrap();
        let base = format!("http://{}", server.server_addr().to_ip().unwrap());
        let route = Arc::new(route);
        let InFlight {
            now: in_flight,
            peak: in_flight_peak,
        } = counted;
        let requests = Arc::new(Mutex::new(Vec::new()));
        let (peak, log) = (Arc::clone(&in_flight_peak), Arc::clone(&requests));
        std::thread::spawn(move || {
            for request in server.incoming_requests() {
                let (route, in_flight, peak, log) = (
                    Arc::clone(&route),
                    Arc::clone(&in_flight),
                    Arc::clone(&peak),
                    Arc::clone(&log),
                );
                std::thread::spawn(move || {
                    let now = in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                    peak.fetch_max(now, Ordering::SeqCst);
                    let headers = request
                        .headers()
                        .iter()
                        .map(|h| {
                            (
                                h.field.to_string().to_ascii_lowercase(),
                                h.value.to_string(),
                            )
                        })
                        .collect();
                    log.lock()
                        .unwrap()
                        .push((request.url().to_owned(), headers));
                    let reply = route(&request);
                    in_flight.fetch_sub(1, Ordering::SeqCst);
                    let _ = match reply {
                        Reply::Full(status, headers, body) => {
                            let mut response = Response::from_data(body).with_status_code(status);
                            for (name, value) in headers {
                                response.add_header(
                                    Header::from_bytes(name, value.as_bytes()).unwrap(),
                                );
                            }
                            request.respond(response)
                        }
                        Reply::Endless => request.respond(Response::new(
                            200.into(),
                            vec![],
                            std::io::repeat(b'<'),
                            None,
                            None,
                        )),
                    };
                });
            }
        });
        Server {
            base,
            in_flight_peak,
            requests,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

pub fn ok(body: &str) -> Reply {
    Reply::Full(200, vec![], body.as_bytes().to_vec())
}

/// A home with these feeds subscribed (and `config` as config.toml).
pub fn home_with(feeds: &[String], config: &str) -> Corpus {
    let home = Corpus::new();
    home.write("config/tidings/config.toml", config);
    // Written, not added: `feeds add` refuses what is not a feed, and
    // these include feeds that fail on purpose.
    let listed: String = feeds
        .iter()
        .map(|url| format!("[[feed]]\nurl = \"{url}\"\n\n"))
        .collect();
    home.write("config/tidings/feeds.toml", &listed);
    home
}

pub fn stories_of(home: &Path) -> Vec<serde_json::Value> {
    let dir = home.join("data/tidings/feeds");
    let run = tidings_at(
        home,
        &["list", "--json", "--no-index", dir.to_str().unwrap()],
    );
    run.json().as_array().unwrap().clone()
}

pub fn story_files(home: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walk(&home.join("data/tidings/feeds"));
    files.sort();
    files
}

pub fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "toml")
            && !path.file_name().unwrap().to_string_lossy().starts_with('.')
        {
            out.push(path);
        }
    }
    out
}

pub fn update(home: &Path, args: &[&str]) -> Run {
    let mut all = vec!["update"];
    all.extend(args);
    tidings_at(home, &all)
}
