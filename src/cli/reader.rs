//! The reader's start: the state file and its saver, the loading screen,
//! the app on the library, and what its keys start beside it (an update
//! of the feeds or a sync, a story's page fetched, marks pushed).

use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::{
    Failure, Files, exit, feed_commands, followed_feeds, open_library, roots_of, state_path,
};
use crate::app::{App, Effect, SourceSetup};
use crate::config::{Config, FeedSettings};
use crate::feeds::update::Outcome;
use crate::index::{Mode, Opened};
use crate::load::Progress;
use crate::state::{Saver, Store};
use crate::tui;

/// Opens the reader on PATHs, with marks from the state file, saved as
/// they change; reports on stderr, after the screen is back, anything the
/// status line said about the state file.
pub(super) fn read(paths: &[PathBuf], files: &Files, config: Config) -> Result<u8, Failure> {
    use std::io::IsTerminal;
    if !io::stdin().is_terminal() || !io::stdout().is_terminal() {
        return Err(Failure::runtime(
            "the reader needs a terminal; `tidings list` prints the stories instead",
        ));
    }
    let state_file = state_path(files)?;
    let mut store = Store::new(state_file.clone());
    let loaded = store.load();
    let note = loaded.status_note().map(str::to_owned);
    let (state, notice) = (loaded.state, loaded.notice);
    let Config {
        settings,
        keymap,
        theme,
        feeds: feed_settings,
        open,
        sources: saved,
        sync,
    } = config;
    let setup = SourceSetup {
        feeds: followed_feeds(),
        roots: roots_of(paths),
        saved,
    };
    let (quit_keys, colours) = (keymap.clone(), theme.clone());
    let schedule = feed_settings.update;
    let paths = paths.to_vec();
    let index = files.index_choice();
    let (again, index_again) = (paths.clone(), index.clone());
    let reopen =
        move || open_library(&again, &index_again, Mode::Search, &Progress::default()).library;
    let mut desktop = tui::Desktop {
        opener: settings.opener.clone(),
        media: open.media,
        saver: Saver::spawn(store, state.clone()),
        pusher: match &sync {
            Some(sync) => Some(crate::sync::Pusher::spawn(
                sync.clone(),
                feed_settings.clone(),
                feed_commands::sync_places(&state_file)?,
            )),
            None => None,
        },
        pages: page_fetcher(feed_settings.clone(), reopen.clone()),
        feeds: reader_updater(feed_settings, sync, state_file, reopen),
    };
    let loading =
        tui::Loading::spawn(move |progress| open_library(&paths, &index, Mode::Soon, progress))
            .map_err(|e| Failure::runtime(format!("cannot start loading: {e}")))?;
    let open = move |opened: Opened, area| {
        // Loaded: from now on parallel work is background work, and
        // yields to the thread that reads the keys.
        crate::background::lower_pool_priority();
        crate::background::return_freed_memory();
        let state = state.clone();
        let mut app =
            App::with_sources(opened.library, state, settings, keymap, theme, area, setup);
        app.plan_updates(schedule);
        let said: Vec<String> = opened.warning.into_iter().chain(note).collect();
        app.message = (!said.is_empty()).then(|| said.join("; "));
        if let Some(pending) = opened.pending {
            app.index_with(pending.start());
        }
        app
    };
    let app = tui::run(loading, &colours, &quit_keys, &mut desktop, open)
        .map_err(|e| Failure::runtime(format!("terminal error: {e}")))?;
    if let Some(notice) = notice {
        eprintln!("tidings: {notice}");
    }
    // None: quit before the stories were loaded, so nothing was marked.
    for effect in app.map(|mut app| app.finish()).unwrap_or_default() {
        if let Effect::Save(id, mark) = effect {
            desktop.saver.record(&id, mark);
        }
    }
    if let Err(reason) = desktop.saver.flush(Duration::from_secs(10)) {
        return Err(Failure::runtime(format!("marks not saved: {reason}")));
    }
    Ok(exit::SUCCESS)
}

/// What `F` in the reader starts: the story's page fetched, its article
/// kept in the story's file, and the library opened again with it (so
/// that search finds it), on a thread of its own.
pub fn page_fetcher(
    settings: FeedSettings,
    reopen: impl Fn() -> crate::model::Library + Send + Clone + 'static,
) -> crate::tui::PageFetcher {
    use crate::app::PageNews;
    Box::new(move |request| {
        let (news, heard) = std::sync::mpsc::channel();
        let (settings, reopen) = (settings.clone(), reopen.clone());
        let work = move || {
            let agent = crate::web::agent(settings.timeout);
            let title = Some(request.title.as_str());
            let outcome =
                crate::extract::fetch(&agent, &request.url, title, &settings).map(|text| {
                    let kept = match &request.file {
                        Some(file) => crate::extract::kept::write(file, &text)
                            .map_err(|e| crate::io_error::in_words(&e)),
                        None => Err("the story is not in a file".into()),
                    };
                    (text, kept.map(|()| reopen()))
                });
            let _ = news.send(PageNews { outcome });
        };
        if let Err(e) = crate::background::spawn("page", work) {
            let (news, failed) = std::sync::mpsc::channel();
            let _ = news.send(PageNews {
                outcome: Err(format!("cannot start: {e}")),
            });
            return failed;
        }
        heard
    })
}

/// What `r` in the reader starts: every feed updated on a thread of its
/// own. While feeds are still being fetched, the library is opened again
/// by `reopen` whenever stories have arrived, so they join the reader at
/// once rather than after the slowest feed; then once more at the end,
/// with the feeds that failed.
pub fn reader_updater(
    settings: FeedSettings,
    sync: Option<crate::config::SyncSettings>,
    state: PathBuf,
    reopen: impl Fn() -> crate::model::Library + Clone + Send + 'static,
) -> crate::tui::FeedsUpdater {
    use crate::app::FeedsNews;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    Box::new(move || {
        if let Some(sync) = &sync {
            return reader_sync(sync.clone(), settings.clone(), &state, reopen.clone());
        }
        let (path, data) = feed_commands::places()?;
        let subscriptions = crate::feeds::read(&path).map_err(|e| e.to_string())?;
        if subscriptions.is_empty() {
            return Err(feed_commands::NO_FEEDS_YET.into());
        }
        let done = Arc::new(AtomicUsize::new(0));
        let (news, news_heard) = std::sync::mpsc::channel();
        let total = subscriptions.len();
        let (settings, reopen, counter) = (settings.clone(), reopen.clone(), Arc::clone(&done));
        // The stars as saved now: the reader saves a new one within a
        // second or two.
        let starred =
            feed_commands::starred_ids(&crate::state::Store::peek(&state).unwrap_or_default());
        crate::background::spawn("feeds", move || {
            let (arrived, arrivals) = std::sync::mpsc::channel();
            let outcomes = std::thread::scope(|scope| {
                let (subscriptions, data, settings) = (&subscriptions, &data, &settings);
                let starred = &starred;
                // Owns `arrived`, so that `arrivals` ends with it.
                let fetching = scope.spawn(move || {
                    crate::feeds::update::update(
                        subscriptions,
                        data,
                        settings,
                        starred,
                        |_, outcome| {
                            counter.fetch_add(1, Ordering::Relaxed);
                            if outcome.changed_stories() {
                                let _ = arrived.send(());
                            }
                        },
                    )
                });
                // Each reopening takes in every feed stored before it
                // began; the loop ends when the fetching does.
                while arrivals.recv().is_ok() {
                    while arrivals.try_recv().is_ok() {}
                    if news.send(FeedsNews::Arrived(reopen())).is_err() {
                        break;
                    }
                }
                fetching.join().unwrap_or_default()
            });
            let mut new = 0;
            let mut failed = Vec::new();
            for (feed, outcome) in subscriptions.iter().zip(outcomes) {
                match outcome {
                    Outcome::Stored {
                        stored,
                        pages_failed,
                        ..
                    } => {
                        new += stored.new;
                        failed.extend(pages_failed.iter().map(|why| {
                            let said = format!("a story's page was not fetched: {why}");
                            crate::load::Diagnostic::warning(&feed.url, said)
                        }));
                    }
                    Outcome::Failed(why) => {
                        failed.push(crate::load::Diagnostic::error(&feed.url, why));
                    }
                    Outcome::NotModified => {}
                }
            }
            let _ = news.send(FeedsNews::Finished(Ok((reopen(), failed, new))));
        })
        .map_err(|e| format!("cannot start: {e}"))?;
        Ok(crate::app::FeedsWork {
            done,
            total,
            news: news_heard,
        })
    })
}

/// What `r` starts with `[sync]`: one sync on a thread of its own, the
/// library opened again at its end.
fn reader_sync(
    sync: crate::config::SyncSettings,
    settings: FeedSettings,
    state: &Path,
    reopen: impl Fn() -> crate::model::Library + Send + 'static,
) -> Result<crate::app::FeedsWork, String> {
    use crate::app::FeedsNews;
    let places = feed_commands::sync_places(state).map_err(|f| f.message)?;
    let (news, heard) = std::sync::mpsc::channel();
    crate::background::spawn("sync", move || {
        let outcome = crate::sync::sync(&sync, &settings, &places)
            .map(|report| (reopen(), Vec::new(), report.new));
        let _ = news.send(FeedsNews::Finished(outcome));
    })
    .map_err(|e| format!("cannot start: {e}"))?;
    Ok(crate::app::FeedsWork {
        done: Default::default(),
        total: 1,
        news: heard,
    })
}
