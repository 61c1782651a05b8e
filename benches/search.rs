//! Search at scale: each keystroke of a fuzzy headline query over
//! 1,000,000 headlines (a query extending the last searches only its hits),
//! and full-text queries over 100,000 stories.
//!
//!     cargo bench --bench search

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use tidings::load::{Loaded, load_sources};
use tidings::model::Library;
use tidings::search::Engine;
use tidings::search::worker::RESULT_LIMIT;

#[path = "support/corpus.rs"]
mod corpus;

fn headline_library(n: usize) -> Library {
    Library::build(Loaded {
        loose_headlines: corpus::headlines(n, 7),
        ..Loaded::default()
    })
}

fn keystrokes(c: &mut Criterion) {
    let library = headline_library(1_000_000);
    let mut engine = Engine::new(&library);
    // A word from the middle of the pool, typed a letter at a time.
    let word = library.headlines[500_000]
        .text
        .split(' ')
        .nth(2)
        .unwrap()
        .to_lowercase();
    let query: String = word.chars().take(8).collect();
    let mut group = c.benchmark_group("headlines 1M");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(8));
    for typed in 1..=query.chars().count() {
        let before: String = query.chars().take(typed - 1).collect();
        let now: String = query.chars().take(typed).collect();
        let hits = engine
            .search(&library, &now, RESULT_LIMIT, &|| false)
            .unwrap()
            .total;
        group.bench_function(format!("keystroke {typed}: {now:?} ({hits} hits)"), |b| {
            b.iter_custom(|iters| {
                let mut timed = Duration::ZERO;
                for _ in 0..iters {
                    // The state a user is in before this key: the previous
                    // query's hits (none before the first key).
                    engine.search(&library, &before, RESULT_LIMIT, &|| false);
                    let start = Instant::now();
                    engine.search(&library, &now, RESULT_LIMIT, &|| false);
                    timed += start.elapsed();
                }
                timed
            })
        });
    }
    group.finish();
}

fn full_text(c: &mut Criterion) {
    let files: Vec<(String, String)> = corpus::stories(100_000, 1).collect();
    let bytes: usize = files.iter().map(|(_, t)| t.len()).sum();
    let library = Library::build(load_sources(
        files.iter().map(|(p, t)| (p.as_str(), t.as_bytes())),
    ));
    drop(files);
    let story = &library.stories[4242];
    let text = library.text(4242).unwrap();
    let first: Vec<&str> = text[0].split(' ').collect();
    let name = story.title.split(' ').next().unwrap().to_owned();
    let phrase = format!("{} {}", first[3], first[4]);
    let mut group = c.benchmark_group(format!("full text 100k stories ({} MB)", bytes / 1_000_000));
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    group.bench_function("build the story filters (once, in the background)", |b| {
        b.iter(|| Engine::build_filters(&library))
    });
    // As in the reader: story filters built, so most stories are skipped.
    let mut engine = Engine::new(&library);
    engine.use_filters(Engine::build_filters(&library));
    for query in [name.as_str(), phrase.as_str(), "the"] {
        let hits = engine
            .search(&library, query, RESULT_LIMIT, &|| false)
            .unwrap()
            .total;
        group.bench_function(format!("{query:?} ({hits} hits)"), |b| {
            b.iter(|| {
                // A fresh query each time: nothing narrowed from the last.
                engine.search(&library, "", RESULT_LIMIT, &|| false);
                engine.search(&library, query, RESULT_LIMIT, &|| false)
            })
        });
    }
    // As `tidings search` runs: one query, every story read.
    let mut once = Engine::new(&library);
    group.bench_function(format!("{name:?} without filters, every story read"), |b| {
        b.iter(|| {
            once.search(&library, "", RESULT_LIMIT, &|| false);
            once.search(&library, &name, RESULT_LIMIT, &|| false)
        })
    });
    group.finish();
}

/// What the input thread does per key while the worker searches a million
/// headlines on both cores: take the key, hand the query over, draw.
fn input_thread(c: &mut Criterion) {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use tidings::app::{Action, App, KeyMap, Settings, Theme};

    let library = headline_library(1_000_000);
    let area = ratatui::layout::Rect::new(0, 0, 200, 60);
    let mut app = App::new(
        library,
        Default::default(),
        Settings::default(),
        KeyMap::default(),
        Theme::default(),
        area,
    );
    app.update(Action::Search);
    // Let the worker build its index first.
    std::thread::sleep(Duration::from_secs(3));
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).unwrap();
    let letters = ['n', 'u', 's', 'e', 'l'];
    let mut typed = 0usize;
    c.bench_function(
        "input thread: key + frame while searching 1M headlines",
        |b| {
            b.iter_custom(|iters| {
                let mut timed = Duration::ZERO;
                for _ in 0..iters {
                    // Type five letters, then erase them, over and over: every
                    // key starts a search that the next key abandons.
                    let key = if typed % 10 < 5 {
                        KeyCode::Char(letters[typed % 5])
                    } else {
                        KeyCode::Backspace
                    };
                    typed += 1;
                    let start = Instant::now();
                    app.on_key(&KeyEvent::new(key, KeyModifiers::NONE));
                    app.poll_search();
                    terminal
                        .draw(|frame| tidings::ui::render(&app, frame))
                        .unwrap();
                    timed += start.elapsed();
                    // Keys a fast typist's 60 ms apart.
                    std::thread::sleep(Duration::from_millis(60));
                }
                timed
            })
        },
    );
}

criterion_group!(benches, keystrokes, full_text, input_thread);
criterion_main!(benches);
