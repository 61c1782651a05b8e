//! Story clusters: a library of 100,000 stories clustered at once (their
//! words read on every core, then placed in date order), and one story
//! placed in it afterwards, as an update brings one.

// A developer's tool: a failure ends the run, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use rayon::prelude::*;
use tidings::model::clusters::{Features, Tuning, build};

#[path = "support/corpus.rs"]
mod corpus;

/// Headlines of `events` events told `tellings` times each, an event a
/// few hours after the one before and its tellings over two days: each
/// names the event's three words and two of thirty common ones, from one
/// of 2,000 sources.
fn headlines(events: usize, tellings: usize) -> Vec<(String, u64, i64)> {
    let mut state = 7u64;
    let mut next = move |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let mut out = Vec::with_capacity(events * tellings);
    for event in 0..events {
        for _ in 0..tellings {
            let title = format!(
                "Name{event} place{} thing{} says common{} after common{}",
                event * 7 % 1_009,
                event * 13 % 2_003,
                next(30),
                next(30)
            );
            let date = event as i64 * 3 * 3_600 + next(2 * 86_400) as i64;
            out.push((title, next(2_000) as u64, date));
        }
    }
    out
}

fn features(headlines: &[(String, u64, i64)]) -> Vec<Features> {
    headlines
        .par_iter()
        .map(|(title, source, date)| Features::new(title, "", *source, Some(*date)))
        .collect()
}

fn clusters(c: &mut Criterion) {
    let library = headlines(2_000, 50);
    let mut group = c.benchmark_group("clusters");
    group.sample_size(10);
    group.bench_function("100,000 stories clustered at once", |b| {
        b.iter(|| build(black_box(&features(&library)), Tuning::default()))
    });
    // Feed stories with text: the generated corpus's, its titles and the
    // opening of their text, from 300 feeds, 500 a day (as `gen_corpus
    // --feeds` writes them).
    let titles = corpus::headlines(100_000, 1);
    let texts: Vec<(String, String)> = corpus::stories(100_000, 1).collect();
    let stories: Vec<Features> = texts
        .par_iter()
        .zip(&titles)
        .enumerate()
        .map(|(i, ((_, text), title))| {
            let body = text.split("\n\n\n").next().unwrap_or_default();
            let date = (i / 500) as i64 * 86_400 + (i % 500) as i64 * 172;
            Features::new(title, body, (i % 300) as u64, Some(date))
        })
        .collect();
    drop(texts);
    group.bench_function("100,000 feed stories with text clustered at once", |b| {
        b.iter(|| build(black_box(&stories), Tuning::default()))
    });
    drop(stories);
    let (clusterer, _) = build(&features(&library), Tuning::default());
    let last = library.last().map_or(0, |h| h.2);
    let arriving = Features::new("Name1999 place1 thing1 says common3", "", 5, Some(last));
    group.bench_function("a story placed among 100,000", |b| {
        b.iter_batched_ref(
            || clusterer.clone(),
            |clusterer| clusterer.add(black_box(&arriving), false),
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, clusters);
criterion_main!(benches);
