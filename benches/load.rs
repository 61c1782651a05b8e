//! Loading and model building: the work that grows with the corpus.
//!
//!     cargo bench --bench load

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use tidings::text::fold::for_each_word_hash;

fn tokenize(c: &mut Criterion) {
    let seed = include_str!("../assets/stories/000_59c09bcc1ec4cdab.txt");
    c.bench_function("tokenize seed body (3 KB)", |b| {
        b.iter(|| {
            let mut n = 0u64;
            for_each_word_hash(black_box(seed), |h| n = n.wrapping_add(h));
            n
        })
    });
    let ascii = "The rail strike entered its third day on Wednesday as talks between the union and the operator stalled, and commuters crowded onto buses. ".repeat(24);
    c.bench_function("tokenize ASCII text (3 KB)", |b| {
        b.iter(|| {
            let mut n = 0u64;
            for_each_word_hash(black_box(&ascii), |h| n = n.wrapping_add(h));
            n
        })
    });
}

criterion_group!(benches, tokenize);
criterion_main!(benches);
