//! How well tidings finds a page's article, measured on Mozilla
//! Readability's own test pages (github.com/mozilla/readability,
//! test/test-pages: each a `source.html`, the `expected.html` Readability
//! extracts, and `expected-metadata.json` saying whether it is readable).
//!
//! For each readable page: the text tidings stores (full_text::extract)
//! against the expected article converted by the same converter, as
//! lowercased words (search tokens); tidings' own notation (link numbers,
//! the list of addresses, "image") is left out of both. Precision, recall
//! and F1 over the words, then the mean F1 and the share of pages at 0.8
//! or more.
//!
//!     cargo run --release --example readability_corpus -- PATH/test-pages

// A developer's tool: a failure ends the run, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;

use tidings::extract::readability;
use tidings::text::html;
use tidings::text::tokens;

/// The address Readability's tests give every page.
const PAGE_URL: &str = "http://fakehost/test/page.html";

fn main() {
    let Some(root) = std::env::args().nth(1) else {
        eprintln!("usage: readability_corpus PATH/test-pages");
        std::process::exit(2);
    };
    let mut pages: Vec<_> = std::fs::read_dir(&root)
        .expect("a folder of test pages")
        .flatten()
        .map(|e| e.path())
        .collect();
    pages.sort();
    let mut scores = Vec::new();
    for page in pages {
        let meta = std::fs::read_to_string(page.join("expected-metadata.json")).unwrap_or_default();
        if !meta.contains("\"readerable\": true") {
            continue;
        }
        let source = std::fs::read(page.join("source.html")).unwrap();
        let expected = std::fs::read_to_string(page.join("expected.html")).unwrap();
        // The corpus is saved as UTF-8, whatever its pages declare.
        let source = tidings::web::decode(&source, Some("utf-8"));
        let name = page.file_name().unwrap().to_string_lossy().into_owned();
        let ours = match readability::article(&source, PAGE_URL, None) {
            Ok(lines) => lines,
            Err(why) => {
                println!("{name:50} refused: {why}");
                Vec::new()
            }
        };
        let theirs = html::paragraphs(&expected);
        let (p, r, f) = f1(&words(&ours), &words(&theirs));
        println!("{name:50} precision {p:.3} recall {r:.3} F1 {f:.3}");
        scores.push(f);
    }
    let n = scores.len() as f64;
    let mean = scores.iter().sum::<f64>() / n;
    let good = scores.iter().filter(|&&f| f >= 0.8).count();
    println!(
        "{} readable pages: mean F1 {mean:.4}; F1 >= 0.8 on {good} ({:.1}%)",
        scores.len(),
        100.0 * good as f64 / n
    );
}

/// The words of converted lines, without tidings' notation.
fn words(lines: &[String]) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for line in lines {
        if is_reference(line) {
            continue;
        }
        let line = line.replace("[image: ", " ").replace("[image]", " ");
        for word in tokens::of(&without_link_numbers(&line)) {
            *counts.entry(word).or_default() += 1;
        }
    }
    counts
}

/// "[3]: https://..." at the end of the text.
fn is_reference(line: &str) -> bool {
    line.strip_prefix('[')
        .and_then(|rest| rest.split_once("]: "))
        .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// "[the table][1]" as "the table".
fn without_link_numbers(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while let Some(at) = rest.find("][") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && after[digits..].starts_with(']') {
            rest = &after[digits + 1..];
        } else {
            out.push_str("][");
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

fn f1(ours: &HashMap<String, usize>, theirs: &HashMap<String, usize>) -> (f64, f64, f64) {
    let total = |m: &HashMap<String, usize>| m.values().sum::<usize>() as f64;
    let common: usize = ours
        .iter()
        .map(|(w, &n)| n.min(theirs.get(w).copied().unwrap_or(0)))
        .sum();
    let (o, t) = (total(ours), total(theirs));
    if o == 0.0 || t == 0.0 {
        return (0.0, 0.0, 0.0);
    }
    let (p, r) = (common as f64 / o, common as f64 / t);
    let f = if p + r == 0.0 {
        0.0
    } else {
        2.0 * p * r / (p + r)
    };
    (p, r, f)
}
