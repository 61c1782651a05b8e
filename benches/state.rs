//! Saving and loading read marks at scale.
//!
//!     cargo bench --bench state

// A developer's tool: a failure ends the run, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{Criterion, criterion_group, criterion_main};
use tidings::model::Anchor;
use tidings::state::{ReadState, Store, parse, serialize};

fn marks(n: usize) -> ReadState {
    let mut state = ReadState::default();
    for i in 0..n {
        let id = format!("{:016x}", (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
        state.set_read(&id, i % 3 != 0, 1_764_158_400_000 + i as i64);
        if i % 4 == 0 {
            state.set_position(
                &id,
                Anchor {
                    paragraph: (i % 7) as u32,
                    offset: (i % 500) as u32,
                },
                1_764_158_500_000,
            );
        }
    }
    state
}

fn save(c: &mut Criterion) {
    let mut state = marks(100_000);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("state.toml");
    let mut store = Store::new(path.clone());
    store.save(&mut state).unwrap();
    let bytes = std::fs::metadata(&path).unwrap().len();
    let mut group = c.benchmark_group(format!("100,000 marks ({} KB file)", bytes / 1000));
    group.bench_function("save: serialize, write, fsync, rename, fsync folder", |b| {
        b.iter(|| store.save(&mut state).unwrap())
    });
    group.bench_function("serialize only", |b| b.iter(|| serialize(&state)));
    let text = serialize(&state);
    group.bench_function("parse (loading at start)", |b| {
        b.iter(|| parse(&text).unwrap())
    });
    group.finish();
}

criterion_group!(benches, save);
criterion_main!(benches);
