//! Feeds: turning a large HTML item into plain paragraphs.

// A developer's tool: a failure ends the run, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};

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

criterion_group!(benches, convert);
criterion_main!(benches);
