//! Full text: a page's article found and made text, and the pages of a
//! `full_text` feed fetched from a loopback server during one update.

// A developer's tool: a failure ends the run, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use tidings::config::FeedSettings;
use tidings::feeds::Subscription;

#[path = "support/pages.rs"]
mod pages;

/// A news page of about `bytes`, the article inside navigation, a share
/// bar and comments.
fn page_of(bytes: usize) -> String {
    let per_paragraph = pages::news_page(3).len() - pages::news_page(2).len();
    pages::news_page(bytes / per_paragraph)
}

fn extract(c: &mut Criterion) {
    let page = page_of(1_000_000);
    c.bench_function("page's article found and made text, 1 MB", |b| {
        b.iter(|| {
            tidings::extract::readability::article(
                black_box(&page),
                "https://harbor.example/news/ferries",
                Some("Night Ferries Return"),
            )
        })
    });
    // A real page of that size, when Mozilla Readability's test pages are
    // at hand (TIDINGS_READABILITY_PAGES=.../test/test-pages).
    if let Some(pages) = std::env::var_os("TIDINGS_READABILITY_PAGES") {
        let path = std::path::Path::new(&pages).join("yahoo-1/source.html");
        if let Ok(bytes) = std::fs::read(path) {
            let page = tidings::web::decode(&bytes, Some("utf-8"));
            c.bench_function(
                "page's article found and made text, yahoo-1 (1.2 MB)",
                |b| {
                    b.iter(|| {
                        tidings::extract::readability::article(
                            black_box(&page),
                            "http://fakehost/test/page.html",
                            None,
                        )
                    })
                },
            );
        }
    }
}

/// A loopback server: a feed of `items` stories, each linking to a page.
fn serve(items: usize) -> String {
    let server = tiny_http::Server::http("127.0.0.1:0").unwrap();
    let base = format!("http://{}", server.server_addr().to_ip().unwrap());
    let mut feed = String::from("<rss version=\"2.0\"><channel><title>Pier News</title>");
    for i in 0..items {
        feed.push_str(&format!(
            "<item><guid>{i}</guid><title>Story {i}</title><link>{base}/story/{i}</link>\
             <description>Summary {i}.</description></item>"
        ));
    }
    feed.push_str("</channel></rss>");
    let page = Arc::new(pages::news_page(20));
    let server = Arc::new(server);
    for _ in 0..4 {
        let (server, feed, page) = (Arc::clone(&server), feed.clone(), Arc::clone(&page));
        std::thread::spawn(move || {
            for request in server.incoming_requests() {
                let (body, kind) = if request.url() == "/feed" {
                    (feed.clone(), "application/rss+xml")
                } else {
                    (page.to_string(), "text/html; charset=utf-8")
                };
                let header = tiny_http::Header::from_bytes("Content-Type", kind).unwrap();
                let _ = request.respond(tiny_http::Response::from_string(body).with_header(header));
            }
        });
    }
    format!("{base}/feed")
}

fn update(c: &mut Criterion) {
    let url = serve(100);
    let feed = Subscription {
        full_text: true,
        ..Subscription::new(&url)
    };
    let settings = FeedSettings::default();
    let starred = Default::default();
    let mut group = c.benchmark_group("full_text");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("update of a full_text feed: 100 pages from loopback", |b| {
        b.iter_batched(
            || tempfile::tempdir().unwrap(),
            |data| {
                let outcomes = tidings::feeds::update::update(
                    std::slice::from_ref(&feed),
                    data.path(),
                    &settings,
                    &starred,
                    |_, _| {},
                );
                assert!(matches!(
                    &outcomes[0],
                    tidings::feeds::update::Outcome::Stored { stored, pages_failed, .. }
                        if stored.new == 100 && pages_failed.is_empty()
                ));
                data
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, extract, update);
criterion_main!(benches);
