//! Search at scale: each keystroke of a fuzzy headline query over
//! 1,000,000 headlines (a query extending the last searches only its hits),
//! and full-text queries over 100,000 stories.
//!
//!     cargo bench --bench search

// A developer's tool: a failure ends the run, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use tidings::index::Mode;
use tidings::load::{Loaded, load_sources};
use tidings::model::Library;
use tidings::search::worker::RESULT_LIMIT;
use tidings::search::{Engine, Field};

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

/// Full-text search as a library opened through the index does it: FTS5
/// finds the stories, and only the best shown get their files read (for
/// the sentence shown with each).
fn full_text_indexed(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    corpus::write(&dir.path().join("stories"), 100_000, 1).unwrap();
    let index = dir.path().join("index.sqlite");
    let paths = [dir.path().join("stories")];
    let open = || {
        tidings::index::open_library(&paths, Some(&index), Mode::Now, &Default::default()).library
    };
    open();
    let library = open();
    let text = library.text(4242).unwrap();
    let words: Vec<&str> = text[0].split(' ').collect();
    let name = library.stories[4242]
        .title
        .split(' ')
        .next()
        .unwrap()
        .to_owned();
    let phrase = format!("{} {}", words[3], words[4]);
    let two_words = format!("{} {}", words[3], words[8]);
    // A word with its last two letters left off, as in `strik*`.
    let long = words.iter().find(|w| w.len() >= 7).unwrap();
    let prefix = format!("{}*", &long[..long.len() - 2]);
    // And one a third of the stories match.
    let common_prefix = format!("{}*", &words[3][..4]);
    let mut engine = Engine::new(&library);
    let mut group = c.benchmark_group("full text 100k stories, through the index");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(8));
    for (kind, query) in [
        ("one word", name.as_str()),
        ("two words", two_words.as_str()),
        ("a phrase", phrase.as_str()),
        ("a prefix", prefix.as_str()),
        ("a prefix of a common word", common_prefix.as_str()),
    ] {
        let found = engine
            .search(&library, query, RESULT_LIMIT, &|| false)
            .unwrap();
        let body = found.hits.iter().filter(|h| h.field == Field::Body).count();
        group.bench_function(
            format!(
                "{kind}: {query:?} ({} hits, {body} shown from text)",
                found.total
            ),
            |b| {
                b.iter(|| {
                    engine.search(&library, "", RESULT_LIMIT, &|| false);
                    engine.search(&library, query, RESULT_LIMIT, &|| false)
                })
            },
        );
    }
    group.finish();
}

/// What the input thread does per key while the worker searches a million
/// headlines on both cores: take the key, hand the query over, draw.
fn input_thread(c: &mut Criterion) {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use tidings::action::Action;
    use tidings::app::App;
    use tidings::config::{KeyMap, ReaderSettings, Theme};

    let library = headline_library(1_000_000);
    let area = ratatui::layout::Rect::new(0, 0, 200, 60);
    let mut app = App::new(
        library,
        Default::default(),
        ReaderSettings::default(),
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

criterion_group!(
    benches,
    keystrokes,
    full_text,
    full_text_indexed,
    input_thread
);
criterion_main!(benches);
