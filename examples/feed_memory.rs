//! The memory one feed costs to read: its bytes decoded, its XML made a
//! tree and its items stories, as `tidings update` does for each feed.
//! Prints the feed's size and how much the process's peak grew.
//!
//!     cargo run --release --example feed_memory -- [FEED.xml | BYTES]
//!
//! With a number (default 1000000), a generated RSS feed of about that
//! many bytes.

// A developer's tool: a failure ends the run, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../benches/support/feeds.rs"]
mod feeds;

#[path = "../benches/support/peak.rs"]
mod peak;
use peak::peak_kib;

fn main() {
    let arg = std::env::args().nth(1).unwrap_or_else(|| "1000000".into());
    let bytes = match arg.parse::<usize>() {
        Ok(size) => feeds::rss(size).into_bytes(),
        Err(_) => std::fs::read(&arg).expect("a feed to read"),
    };
    // A small feed first, so that the code's own pages, touched for the
    // first time, are not counted as the feed's.
    let _ = tidings::feeds::parse::parse(feeds::rss(20_000).as_bytes(), None, "https://x.example/");
    let before = peak_kib();
    let parsed = tidings::feeds::parse::parse(&bytes, None, "https://x.example/feed.xml");
    let grew = peak_kib() - before;
    let feed_mib = bytes.len() as f64 / 1048576.0;
    println!(
        "feed {feed_mib:.2} MiB, {} items: peak grew {:.1} MiB ({:.1}x the feed)",
        parsed.map_or(0, |p| p.items.len()),
        grew as f64 / 1024.0,
        grew as f64 / 1024.0 / feed_mib
    );
}
