//! Indexing left for the background while the reader shows a library:
//! the full text of new stories, garbage due for collection, and, when
//! the library shown is the one stored last time, the library of the files
//! as they are now.

use std::path::PathBuf;
use std::sync::Arc;

use super::libraries::{roots_key, stored_walk};
use super::plan::{Mode, Plan, Want};
use super::refresh::{build, update};
use super::rows::IndexRows;
use super::walked::Walk;
use super::{Index, Problem, fill, gc, schema, snapshot};
use crate::load::{self, Progress};
use crate::model::Library;

/// Bringing the index up to date later, off the reader's way; and, when
/// the reader shows the library stored last time, building the library
/// of the files as they are now.
pub struct Pending {
    pub(super) index: PathBuf,
    pub(super) paths: Vec<PathBuf>,
    pub(super) shown: Shown,
}

/// What the reader shows while [`Pending`] runs.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Shown {
    /// The library of the files as they are.
    Current,
    /// The library stored last time, over files that changed since.
    Stale,
    /// The library stored last time, its files not yet looked at.
    Stored,
}

/// How [`Pending`] ended.
pub enum Done {
    /// The library shown is the one of the files as they are, and the
    /// index had nothing to do.
    Nothing,
    /// The library shown is the one of the files as they are; the index
    /// was brought up to date.
    Indexed,
    /// The files changed: their library, to show instead.
    Rebuilt(Library),
    /// Files were only added: the library shown grown by them, to show
    /// instead.
    Grown(Library),
}

impl Pending {
    /// Brings the index up to date, full text included, waiting for
    /// another writer to finish first; gives the library of the files as
    /// they are when the one shown is not (else it is built on the next
    /// start).
    pub fn run(self, progress: &Progress) -> Result<Done, String> {
        let shown = load::display(&self.index);
        let fail = |problem: Problem| format!("{shown}: {problem}");
        let (mut index, _) = Index::open(&self.index).map_err(fail)?;
        let lock = index.lock().map_err(fail)?;
        if self.shown == Shown::Stored {
            let roots = roots_key(&self.paths);
            let current = index
                .conn
                .prepare_cached(schema::SELECT_LIBRARY)
                .and_then(|mut s| s.query_row([&roots], |row| row.get(0)))
                .and_then(|id| stored_walk(&index.conn, id))
                .is_ok_and(|walked| snapshot::walk_unchanged(walked, &self.paths));
            if current {
                return finish_stored(&mut index, &self.paths, progress).map_err(fail);
            }
        }
        let walk = Walk::new(&self.paths);
        if self.shown != Shown::Current
            && let Some(library) =
                super::grow::grow_stored(&mut index, &self.paths, &walk, progress).map_err(fail)?
        {
            return Ok(Done::Grown(library.with_index(&self.index)));
        }
        let rows = IndexRows::read(&index.conn).map_err(|e| fail(e.into()))?;
        let plan = Plan::new(&self.paths, &walk, &rows);
        if self.shown != Shown::Current {
            let locked = (lock, rows, plan);
            let library = build(
                &mut index,
                &self.paths,
                &walk,
                locked,
                Mode::Search,
                true,
                progress,
            )
            .map_err(fail)?;
            return Ok(Done::Rebuilt(library.with_index(&self.index)));
        }
        update(&mut index.conn, &walk, rows, &plan, Want::Index, progress).map_err(fail)?;
        drop(walk);
        let files = fill::TextWanted::new(plan.paths.iter().map(Vec::as_slice));
        fill::fill(&mut index.conn, &files, progress).map_err(fail)?;
        gc::collect_if_due(&index.conn).map_err(|e| fail(e.into()))?;
        Ok(Done::Indexed)
    }

    /// Starts the work on a thread of its own.
    pub fn start(self) -> Background {
        let progress = Arc::new(Progress::default());
        let reported = Arc::clone(&progress);
        let done = crate::background::spawn("index", move || {
            let done = self.run(&reported);
            crate::background::return_freed_memory();
            done
        })
        .ok();
        Background { progress, done }
    }
}

/// Indexing under way on a thread of its own.
pub struct Background {
    progress: Arc<Progress>,
    done: Option<std::thread::JoinHandle<Result<Done, String>>>,
}

impl Background {
    /// How far it got.
    pub fn progress(&self) -> load::ProgressReport {
        self.progress.report()
    }

    /// Asks it to stop, keeping what it did, and waits for it at most
    /// `wait`: the reader is quitting.
    pub fn stop(&mut self, wait: std::time::Duration) {
        self.progress.stop();
        let deadline = std::time::Instant::now() + wait;
        while self.done.as_ref().is_some_and(|d| !d.is_finished())
            && std::time::Instant::now() < deadline
        {
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
    }

    /// How it ended, once, when it has.
    pub fn finished(&mut self) -> Option<Result<Done, String>> {
        if !self.done.as_ref()?.is_finished() {
            return None;
        }
        let outcome = self.done.take()?.join();
        Some(outcome.unwrap_or_else(|_| Err("indexing stopped".into())))
    }
}

/// The library stored last time turned out to be the one of the files
/// as they are: what is left is the full text of stories that lack it and
/// garbage due for collection, under the writers' lock.
fn finish_stored(
    index: &mut Index,
    paths: &[PathBuf],
    progress: &Progress,
) -> Result<Done, Problem> {
    let missing = fill::any_missing(&index.conn)?;
    let due = gc::due(&index.conn)?;
    if missing {
        let files =
            fill::TextWanted::new(Walk::new(paths).absolute_paths().iter().map(Vec::as_slice));
        fill::fill(&mut index.conn, &files, progress)?;
    }
    if due {
        gc::collect_if_due(&index.conn)?;
    }
    Ok(if missing || due {
        Done::Indexed
    } else {
        Done::Nothing
    })
}
