//! The daily loop at 100,000 stories in 2,000 feeds and 50 tags: the
//! sources and their counts, keeping them current as a mark changes,
//! switching source (key to frame), a filter query, catching up every
//! story (saved), and loading a state file of 100,000 read marks and
//! 10,000 stars.
//!
//!     cargo bench --bench sources

// A developer's tool: a failure ends the run, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use tidings::action::Action;
use tidings::app::{App, Pane, SourceSetup};
use tidings::config::{KeyMap, ReaderSettings, Theme};
use tidings::load::load_sources;
use tidings::model::Library;
use tidings::query::Query;
use tidings::sources::{Catalog, Flags, Sources, filtered};
use tidings::state::{ReadState, Store, parse, serialize};

#[path = "support/corpus.rs"]
mod corpus;

const STORIES: usize = 100_000;
const FEEDS: usize = 2_000;
const TAGS: usize = 50;

/// Feeds spread over 97 hosts.
fn feed_url(feed: usize) -> String {
    format!("https://news{}.example/feed-{feed}.xml", feed % 97)
}

/// 100,000 feed stories, each in its feed's folder with two of 50 tags
/// and a date; and the feeds as the sources know them.
fn library() -> (Library, Vec<(String, Option<String>)>) {
    let titles = corpus::headlines(STORIES, 3);
    let files: Vec<(String, String)> = (0..STORIES)
        .map(|i| {
            let feed = i % FEEDS;
            let folder = tidings::feeds::folder_name(&feed_url(feed));
            let text = format!(
                "title = \"{}\"\nbody = \"Story {i} of feed {feed}.\"\n\
                 date = 2026-{:02}-{:02}T08:00:00Z\ntags = [\"tag{}\", \"tag{}\"]\n",
                titles[i],
                1 + i % 12,
                1 + i % 28,
                i % TAGS,
                (i / 7) % TAGS,
            );
            (format!("/data/feeds/{folder}/{i:06}.toml"), text)
        })
        .collect();
    let library = Library::build(load_sources(
        files.iter().map(|(p, t)| (p.as_str(), t.as_bytes())),
    ));
    let feeds = (0..FEEDS)
        .map(|f| (feed_url(f), Some(format!("Feed {f}"))))
        .collect();
    (library, feeds)
}

/// A third read, a tenth starred.
fn marks(library: &Library) -> ReadState {
    let mut state = ReadState::default();
    for (i, story) in library.stories.iter().enumerate() {
        state.set_read(&story.id, i % 3 == 0, 1_764_158_400_000 + i as i64);
        if i % 10 == 0 {
            state.set_starred(&story.id, true, 1_764_158_500_000);
        }
    }
    state
}

fn sources(c: &mut Criterion) {
    let (library, feeds) = library();
    let state = marks(&library);
    let flags: Vec<Flags> = library.stories.iter().map(|s| state.flags(&s.id)).collect();
    let mut group = c.benchmark_group("100,000 stories, 2,000 feeds, 50 tags");
    group.bench_function("the sources and their counts", |b| {
        b.iter(|| {
            let catalog = Catalog::new(&library, &feeds, &[]);
            Sources::new(&library, &catalog, &[], &flags, |_| Vec::new())
        })
    });
    let catalog = Catalog::new(&library, &feeds, &[]);
    group.bench_function("the counts alone, each story's feed and tags known", |b| {
        b.iter(|| Sources::new(&library, &catalog, &[], &flags, |_| Vec::new()))
    });
    let mut counted = Sources::new(&library, &catalog, &[], &flags, |_| Vec::new());
    assert_eq!(counted.list.len(), 3 + TAGS + FEEDS);
    let mut read = false;
    group.bench_function("counts kept current as one mark changes", |b| {
        b.iter(|| {
            let before = Flags {
                read,
                starred: false,
            };
            read = !read;
            let after = Flags {
                read,
                starred: false,
            };
            counted.changed(&catalog, black_box(12_345), before, after);
        })
    });
    let query = "feed:news42 tag:tag7 -is:read since:2026-06-01";
    group.bench_function(format!("a filter query ({query})"), |b| {
        b.iter(|| {
            let parsed = Query::parse(query, 1_800_000_000).unwrap();
            let resolved = catalog.resolve(&library, &parsed.filters).unwrap();
            filtered(&catalog, &resolved, &flags)
        })
    });

    let mut app = App::with_sources(
        library,
        state.clone(),
        ReaderSettings::default(),
        KeyMap::default(),
        Theme::default(),
        Rect::new(0, 0, 160, 50),
        SourceSetup {
            feeds,
            ..SourceSetup::default()
        },
    );
    let mut terminal = Terminal::new(TestBackend::new(160, 50)).unwrap();
    app.update(Action::ShowSources);
    assert_eq!(app.focus, Pane::Sources);
    // Between All and a tag of 2,000 stories, as a user goes back and
    // forth.
    let mut down = true;
    group.bench_function("switching source, key to frame", |b| {
        b.iter(|| {
            app.update(Action::ShowSources);
            app.update(Action::ShowSources);
            if down {
                app.update(Action::PageDown);
            } else {
                app.update(Action::First);
            }
            down = !down;
            app.update(Action::OpenSelected);
            terminal
                .draw(|frame| tidings::ui::render(&app, frame))
                .unwrap();
        })
    });
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::new(dir.path().join("state.toml"));
    group.bench_function("catching up every story, saved", |b| {
        b.iter(|| {
            app.update(Action::First);
            app.update(Action::OpenSelected); // All
            app.update(Action::CatchUp);
            let mut saved = app.marks.saved.clone();
            store.save(&mut saved).unwrap();
            app.update(Action::Undo);
            app.take_effects();
        })
    });
    group.finish();

    let mut stars = ReadState::default();
    for i in 0..100_000u64 {
        let id = format!("{:016x}", i.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        stars.set_read(&id, i % 3 != 0, 1_764_158_400_000 + i as i64);
        if i % 10 == 0 {
            stars.set_starred(&id, true, 1_764_158_500_000);
        }
    }
    let text = serialize(&stars);
    c.bench_function(
        "a state file of 100,000 read marks and 10,000 stars, loaded",
        |b| b.iter(|| parse(black_box(&text)).unwrap()),
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = sources
}
criterion_main!(benches);
