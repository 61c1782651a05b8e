//! The memory one page costs: its bytes decoded, its article found and
//! made text, as `F` and a `full_text` feed do. Prints the page's size and
//! how much the process's peak grew.
//!
//!     cargo run --release --example page_memory -- [PAGE.html | BYTES]
//!
//! With a number (default 1000000), a generated news page of about that
//! many bytes.

// A developer's tool: a failure ends the run, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../benches/support/pages.rs"]
mod pages;

#[path = "../benches/support/peak.rs"]
mod peak;
use peak::peak_kib;

fn main() {
    let arg = std::env::args().nth(1).unwrap_or_else(|| "1000000".into());
    let bytes = match arg.parse::<usize>() {
        Ok(size) => {
            let per = pages::news_page(3).len() - pages::news_page(2).len();
            pages::news_page(size / per).into_bytes()
        }
        Err(_) => std::fs::read(&arg).expect("a page to read"),
    };
    let before = peak_kib();
    let html = tidings::web::decode(&bytes, None);
    let lines = tidings::extract::readability::article(&html, "https://x.example/", None);
    let grew = peak_kib() - before;
    let page_mib = bytes.len() as f64 / 1048576.0;
    println!(
        "page {page_mib:.2} MiB, {} lines: peak grew {:.1} MiB ({:.1}x the page)",
        lines.map_or(0, |l| l.len()),
        grew as f64 / 1024.0,
        grew as f64 / 1024.0 / page_mib
    );
}
