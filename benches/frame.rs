//! The cost of one frame: drawing a 200x60 screen with a 1 MB story
//! scrolled to its end, and a keystroke (scroll one line) with its frame,
//! with 1,000, 10,000 and 100,000 stories loaded: it must not grow with
//! them. And keys with 100,000 stories opened through the index, where
//! opening a story reads its file; and the same while the index is being
//! filled in the background, as on a first start (keys first: the
//! background runs at lower priority, as in the reader;
//! `TIDINGS_BENCH_SAME_PRIORITY=1` runs it at the reader's, as before).
//!
//!     cargo bench --bench frame

// A developer's tool: a failure ends the run, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use tidings::action::Action;
use tidings::app::App;
use tidings::config::{KeyMap, ReaderSettings, Theme};
use tidings::load::load_sources;
use tidings::model::Library;
use tidings::state::ReadState;

#[path = "support/corpus.rs"]
mod corpus;

const BIG: &str = "zz-one-megabyte.txt";

/// `n` generated stories and one of 1 MB, open at its end.
fn app(n: usize) -> App {
    let mut files: Vec<(String, String)> = corpus::stories(n, 1).collect();
    let paragraphs: Vec<&str> = files
        .iter()
        .flat_map(|(_, text)| text.split("\n\n\n").next().unwrap().lines())
        .collect();
    let mut big = String::new();
    for paragraph in paragraphs.iter().cycle() {
        if big.len() >= 1 << 20 {
            break;
        }
        big.push_str(paragraph);
        big.push('\n');
    }
    files.push((BIG.into(), big));
    let library = Library::build(load_sources(
        files.iter().map(|(p, t)| (p.as_str(), t.as_bytes())),
    ));
    let big = library.stories.iter().position(|s| s.path == BIG).unwrap();
    let settings = ReaderSettings {
        text_width: 0,
        ..ReaderSettings::default()
    };
    let area = Rect::new(0, 0, 200, 60);
    let mut app = App::new(
        library,
        ReadState::default(),
        settings,
        KeyMap::default(),
        Theme::default(),
        area,
    );
    app.open_story(big);
    app.update(Action::Last);
    assert!(app.page.view.len() > 5_000, "the big story should be long");
    app
}

/// The reader's state over `library` with default settings, in a 200x60
/// terminal.
fn reader_200x60(library: tidings::model::Library) -> App {
    App::new(
        library,
        ReadState::default(),
        ReaderSettings::default(),
        KeyMap::default(),
        Theme::default(),
        Rect::new(0, 0, 200, 60),
    )
}

/// 100,000 generated stories written under `dir`, and on disk before any
/// key is timed, as a library is: else the kernel's flusher writes them
/// back while the keys are timed, on the reader's core.
fn stories_on_disk(dir: &std::path::Path) -> std::path::PathBuf {
    let stories = dir.join("stories");
    corpus::write(&stories, 100_000, 1).unwrap();
    // SAFETY: sync takes nothing and cannot fail.
    unsafe { libc::sync() };
    stories
}

fn frame(c: &mut Criterion) {
    let mut group = c.benchmark_group("frame 200x60, 1 MB story at its end");
    for n in [1_000, 10_000, 100_000] {
        let mut app = app(n);
        let mut terminal = Terminal::new(TestBackend::new(200, 60)).unwrap();
        group.bench_function(format!("draw, {n} stories"), |b| {
            b.iter(|| {
                terminal
                    .draw(|frame| tidings::ui::render(black_box(&app), frame))
                    .unwrap();
            })
        });
        let mut up = true;
        group.bench_function(
            format!("keystroke (scroll a line) and draw, {n} stories"),
            |b| {
                b.iter(|| {
                    app.update(if up {
                        Action::ScrollUp
                    } else {
                        Action::ScrollDown
                    });
                    up = !up;
                    terminal
                        .draw(|frame| tidings::ui::render(&app, frame))
                        .unwrap();
                })
            },
        );
    }
    group.finish();
}

/// 100,000 stories through the index: the keys a reader presses most,
/// each with its frame.
fn through_the_index(c: &mut Criterion) {
    use tidings::index::{Mode, open_library};
    let dir = tempfile::tempdir().unwrap();
    let stories = stories_on_disk(dir.path());
    let index = dir.path().join("index.sqlite");
    let open = || {
        open_library(
            std::slice::from_ref(&stories),
            Some(&index),
            Mode::Now,
            &Default::default(),
        )
    };
    open();
    let library = open().library;
    assert!(!library.has_text_in_memory());
    let mut app = reader_200x60(library);
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).unwrap();
    let mut group = c.benchmark_group("keys and frame 200x60, 100,000 stories through the index");
    let mut down = true;
    group.bench_function("scroll a line", |b| {
        b.iter(|| {
            app.update(if down {
                Action::ScrollDown
            } else {
                Action::ScrollUp
            });
            down = !down;
            terminal
                .draw(|frame| tidings::ui::render(&app, frame))
                .unwrap();
        })
    });
    app.update(Action::FocusNext);
    app.update(Action::FocusNext);
    group.bench_function(
        "move down the index and open the story (its file read)",
        |b| {
            b.iter(|| {
                app.update(Action::ScrollDown);
                app.update(Action::OpenSelected);
                app.update(Action::FocusPrevious);
                terminal
                    .draw(|frame| tidings::ui::render(&app, frame))
                    .unwrap();
            })
        },
    );
    group.finish();
}

/// Keys while the background fills every story's text into the index,
/// again and again: the latency of each key and its frame, with the
/// slowest written out (criterion gives the typical).
fn while_indexing(c: &mut Criterion) {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::{Duration, Instant};
    use tidings::index::{Mode, open_library};

    let same_priority = std::env::var_os("TIDINGS_BENCH_SAME_PRIORITY").is_some();
    if !same_priority {
        tidings::background::lower_pool_priority();
    }
    let dir = tempfile::tempdir().unwrap();
    let stories = stories_on_disk(dir.path());
    let index = dir.path().join("index.sqlite");
    let paths = vec![stories];
    let open = |mode| open_library(&paths, Some(&index), mode, &Default::default());
    // Loaded on a thread of its own and what that freed given back, as
    // the reader does: the reader's thread allocates in an arena of its own.
    let library = std::thread::scope(|s| s.spawn(|| open(Mode::Now).library).join().unwrap());
    tidings::background::return_freed_memory();
    let stop = Arc::new(AtomicBool::new(false));
    let fills = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let busy = {
        let (stop, fills, paths, index) = (
            Arc::clone(&stop),
            Arc::clone(&fills),
            paths.clone(),
            index.clone(),
        );
        let work = move || {
            while !stop.load(Ordering::Relaxed) {
                let opened = open_library(&paths, Some(&index), Mode::Soon, &Default::default());
                let pending = opened.pending.expect("text to fill");
                pending.run(&Default::default()).unwrap();
                fills.fetch_add(1, Ordering::Relaxed);
                let conn = rusqlite::Connection::open(&index).unwrap();
                conn.execute_batch(
                    "INSERT INTO text(text) VALUES ('delete-all'); UPDATE stories SET searchable = 0",
                )
                .unwrap();
            }
        };
        if same_priority {
            std::thread::spawn(work)
        } else {
            tidings::background::spawn("busy", work).unwrap()
        }
    };
    let mut app = reader_200x60(library);
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).unwrap();
    let mut group = c.benchmark_group("keys and frame 200x60, 100,000 stories, index filling");
    group.measurement_time(Duration::from_secs(10));
    let mut latencies: Vec<(&str, Vec<Duration>)> = Vec::new();
    let mut timed = |app: &mut App, keys: &[Action]| {
        let start = Instant::now();
        for &key in keys {
            app.update(key);
        }
        terminal
            .draw(|frame| tidings::ui::render(app, frame))
            .unwrap();
        start.elapsed()
    };
    let mut scroll = Vec::new();
    let mut down = true;
    group.bench_function("scroll a line", |b| {
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| {
                    down = !down;
                    let key = if down {
                        Action::ScrollDown
                    } else {
                        Action::ScrollUp
                    };
                    let took = timed(&mut app, &[key]);
                    scroll.push(took);
                    took
                })
                .sum()
        })
    });
    latencies.push(("scroll a line", scroll));
    app.update(Action::FocusNext);
    app.update(Action::FocusNext);
    let mut open = Vec::new();
    group.bench_function("move down the index and open the story", |b| {
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| {
                    let keys = [
                        Action::ScrollDown,
                        Action::OpenSelected,
                        Action::FocusPrevious,
                    ];
                    let took = timed(&mut app, &keys);
                    open.push(took);
                    took
                })
                .sum()
        })
    });
    latencies.push(("move down the index and open the story", open));
    group.finish();
    stop.store(true, Ordering::Relaxed);
    busy.join().unwrap();
    for (what, mut all) in latencies {
        all.sort_unstable();
        let at = |q: f64| all[((all.len() - 1) as f64 * q) as usize];
        println!(
            "{what}, while indexing: {} keys, median {:?}, 99% {:?}, slowest {:?} ({} fills of the text)",
            all.len(),
            at(0.5),
            at(0.99),
            all[all.len() - 1],
            fills.load(Ordering::Relaxed)
        );
    }
}

criterion_group!(benches, frame, through_the_index, while_indexing);
criterion_main!(benches);
