//! Loading and model building: the work that grows with the corpus. Load
//! and build from files on disk at 1,000, 10,000 and 100,000 stories (the
//! scale curve), the model alone, title inference alone, and the word
//! scanner all of it rests on.
//!
//!     cargo bench --bench load

// A developer's tool: a failure ends the run, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use rayon::prelude::*;
use tidings::load::load_sources;
use tidings::model::{Library, titles};
use tidings::text::fold::for_each_word_hash;

#[path = "support/corpus.rs"]
mod corpus;

fn load_and_build(c: &mut Criterion) {
    let mut group = c.benchmark_group("load and build from disk");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    for n in [1_000, 10_000, 100_000] {
        let dir = tempfile::tempdir().unwrap();
        let bytes = corpus::write(dir.path(), n, 1).unwrap();
        let paths = [dir.path().to_owned()];
        group.bench_function(format!("{n} stories ({} MB)", bytes / 1_000_000), |b| {
            b.iter(|| Library::load(black_box(&paths)))
        });
    }
    group.finish();
}

fn model(c: &mut Criterion) {
    let files: Vec<(String, String)> = corpus::stories(100_000, 1).collect();
    let mut group = c.benchmark_group("model of 100,000 stories");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("parse in memory and build", |b| {
        b.iter(|| {
            Library::build(load_sources(
                files.iter().map(|(p, t)| (p.as_str(), t.as_bytes())),
            ))
        })
    });
    let feeds: Vec<(String, String)> = corpus::feed_stories(100_000, 1).collect();
    group.bench_function("parse in memory and build, as feed stories", |b| {
        b.iter(|| {
            Library::build(load_sources(
                feeds.iter().map(|(p, t)| (p.as_str(), t.as_bytes())),
            ))
        })
    });
    drop(feeds);
    let library = Library::build(load_sources(
        files.iter().map(|(p, t)| (p.as_str(), t.as_bytes())),
    ));
    drop(files);
    let headlines: Vec<&str> = library.headlines.iter().map(|h| &*h.text).collect();
    let keys: Vec<u128> = library
        .headlines
        .iter()
        .map(|h| tidings::text::headline_key(&h.text, &mut String::new()))
        .collect();
    let claimed = vec![false; headlines.len()];
    let related: Vec<Vec<usize>> = library
        .stories
        .iter()
        .map(|s| s.related().collect())
        .collect();
    let texts: Vec<Vec<String>> = (0..library.stories.len())
        .map(|i| library.text(i).unwrap().into_owned())
        .collect();
    group.bench_function("title inference alone", |b| {
        b.iter_batched(
            || {
                library
                    .stories
                    .iter()
                    .zip(&related)
                    .map(|(s, related)| titles::Untitled {
                        related,
                        tie: &s.id,
                    })
                    .collect::<Vec<_>>()
            },
            |stories| {
                titles::infer(&headlines, &keys, &claimed, &stories, |vocabulary| {
                    texts
                        .par_iter()
                        .map_init(titles::WordSet::default, |seen, text| {
                            vocabulary.story_words(text.iter().map(String::as_str), seen)
                        })
                        .collect()
                })
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

fn tokenize(c: &mut Criterion) {
    let seed = include_str!("../assets/stories/000_59c09bcc1ec4cdab.txt");
    c.bench_function("tokenize the seed story (3 KB)", |b| {
        b.iter(|| {
            let mut n = 0u64;
            for_each_word_hash(black_box(seed), |h| n = n.wrapping_add(h));
            n
        })
    });
}

criterion_group!(benches, load_and_build, model, tokenize);
criterion_main!(benches);
