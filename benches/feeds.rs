//! Feeds: reading a 1 MB feed (well-formed, and ill-formed enough to need
//! mending), and turning a large HTML item into plain paragraphs.

// A developer's tool: a failure ends the run, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};

#[path = "support/feeds.rs"]
mod feeds;

/// About `bytes` of article HTML: paragraphs with links, emphasis, lists.
fn html(bytes: usize) -> String {
    let mut html = String::from("<html><body><article>");
    let mut i = 0;
    while html.len() < bytes {
        html.push_str(&format!(
            "<p>Paragraph {i}: the <b>harbor</b> authority said on <i>Friday</i> that the \
             <a href=\"https://harbor.example/{i}\">berth</a> would reopen &amp; ferries resume.</p>\
             <ul><li>Fares stay</li><li>Times change</li></ul>"
        ));
        i += 1;
    }
    html.push_str("</article></body></html>");
    html
}

fn convert(c: &mut Criterion) {
    let page = html(1_000_000);
    c.bench_function("HTML item to plain text, 1 MB", |b| {
        b.iter(|| tidings::feeds::items::html_to_text(black_box(&page)))
    });
}

fn parse(c: &mut Criterion) {
    let url = "https://harbor.example/feed.xml";
    for (name, feed) in [
        ("an RSS feed of 1 MB read", feeds::rss(1_000_000)),
        (
            "an ill-formed RSS feed of 1 MB read with repairs",
            feeds::ill_formed(1_000_000),
        ),
    ] {
        let items = tidings::feeds::parse::parse(feed.as_bytes(), None, url)
            .unwrap()
            .items
            .len();
        c.bench_function(&format!("{name} ({items} items)"), |b| {
            b.iter(|| tidings::feeds::parse::parse(black_box(feed.as_bytes()), None, url))
        });
    }
}

criterion_group!(benches, parse, convert);
criterion_main!(benches);
