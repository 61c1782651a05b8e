//! A loopback feed server for measuring `tidings update` (BENCHMARKS.md):
//! `FEEDS` RSS feeds of `ITEMS` items each at `/feed/N`, answering 304 to
//! a request that sends back its ETag; `/endless`, a response that never
//! ends; and the list of feeds as OPML in the file `OPML`, for
//! `tidings feeds import`. With `--hostile`, feed N is instead the
//! (N mod 15)-th kind of broken or hostile feed of benches/support/hostile.rs.
//!
//! ```sh
//! cargo run --release --example feed_server -- 100 50 /tmp/feeds.opml [--hostile]
//! ```
//!
//! Prints its address, then serves until killed. `--port N` serves on
//! that port; the server also answers requests made to it as a proxy
//! (`GET http://0.0.0.0/feed/3`), as Tiny Tiny RSS makes them in the sync
//! figures.

// A developer's tool: a failure ends the run, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};

#[path = "../benches/support/hostile.rs"]
mod hostile;

// A plain HTTP/1.1 server over std's TcpListener, each response written
// whole in one write: a server that sends headers and body apart meets
// the client's delayed ACK and stalls 40 ms per response, which would be
// measured instead of tidings.
fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let hostile = args.iter().any(|a| a == "--hostile");
    args.retain(|a| a != "--hostile");
    let port = match args.iter().position(|a| a == "--port") {
        Some(at) => {
            let port = args.get(at + 1).and_then(|p| p.parse::<u16>().ok());
            args.drain(at..(at + 2).min(args.len()));
            port.unwrap_or(0)
        }
        None => 0,
    };
    let (Some(feeds), Some(items), Some(opml)) = (
        args.first().and_then(|a| a.parse::<usize>().ok()),
        args.get(1).and_then(|a| a.parse::<usize>().ok()),
        args.get(2),
    ) else {
        eprintln!("usage: feed_server FEEDS ITEMS OPML [--hostile]");
        std::process::exit(2);
    };
    let listener = TcpListener::bind(("127.0.0.1", port)).expect("a loopback port");
    let base = format!("http://{}", listener.local_addr().expect("an address"));
    let mut list = String::from("<?xml version=\"1.0\"?><opml version=\"2.0\"><body>\n");
    for n in 0..feeds {
        list.push_str(&format!(
            "<outline type=\"rss\" text=\"Feed {n}\" xmlUrl=\"{base}/feed/{n}\"/>\n"
        ));
    }
    list.push_str("</body></opml>\n");
    std::fs::write(opml, list).expect("the OPML file written");
    println!("{base}");
    std::io::stdout().flush().ok();
    for stream in listener.incoming().flatten() {
        std::thread::spawn(move || serve(stream, items, hostile));
    }
}

fn serve(stream: TcpStream, items: usize, hostile: bool) {
    let _ = stream.set_nodelay(true);
    let mut reader = BufReader::new(&stream);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let target = request_line.split_whitespace().nth(1).unwrap_or("/");
    // Asked as a proxy: the path after the host.
    let path = match target.strip_prefix("http://") {
        Some(rest) => rest.find('/').map_or("/", |at| &rest[at..]),
        None => target,
    }
    .to_owned();
    let mut if_none_match = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("if-none-match")
        {
            if_none_match = Some(value.trim().to_owned());
        }
    }
    let mut out = &stream;
    if path == "/endless" {
        let _ = out.write_all(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");
        let chunk = [b'<'; 65536];
        while out.write_all(&chunk).is_ok() {}
        return;
    }
    let n: usize = path.trim_start_matches("/feed/").parse().unwrap_or(0);
    if hostile {
        let answer = hostile::answer(n, &path);
        let mut response = format!("HTTP/1.1 {} Whatever\r\n", answer.status);
        for (name, value) in answer.headers {
            response.push_str(&format!("{name}: {value}\r\n"));
        }
        response.push_str(&format!(
            "Content-Length: {}\r\nConnection: close\r\n\r\n",
            answer.body.len()
        ));
        let mut bytes = response.into_bytes();
        bytes.extend(answer.body);
        let _ = out.write_all(&bytes);
        return;
    }
    let etag = format!("\"feed-{n}-v1\"");
    let response = if if_none_match.as_deref() == Some(etag.as_str()) {
        "HTTP/1.1 304 Not Modified\r\nConnection: close\r\n\r\n".to_owned()
    } else {
        let body = feed(n, items);
        format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nETag: {etag}\r\n\
             Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
    };
    let _ = out.write_all(response.as_bytes());
}

/// An RSS feed of `items` stories, each of a few sentences of HTML.
fn feed(n: usize, items: usize) -> String {
    let mut xml =
        format!("<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Feed {n}</title>");
    for i in 0..items {
        xml.push_str(&format!(
            "<item><guid>{n}-{i}</guid><title>Story {i} of Feed {n} About the Harbor</title>\
             <link>https://feed{n}.example/{i}</link><pubDate>Fri, 27 Nov 2026 08:00:00 GMT</pubDate>\
             <description>&lt;p&gt;The harbor authority of town {n} said on Friday that berth {i} \
             would reopen after repairs.&lt;/p&gt;&lt;p&gt;Ferries resume &lt;b&gt;next week&lt;/b&gt;, \
             and fares stay as they are.&lt;/p&gt;</description></item>"
        ));
    }
    xml.push_str("</channel></rss>");
    xml
}
