//! Opening a library through the index.
//!
//! 1. Walk the paths (no file is opened; files are stat'ed when there is
//!    something to compare them with).
//! 2. If the walk is the one the library was last built from (same files,
//!    sizes, times and inodes, same problems), that library is the answer.
//! 3. Else, if files were only added, the library stored grows by their
//!    stories (see `grow.rs`), unless something about them takes a full
//!    build.
//! 4. Else, under the writers' lock: files whose stat matches their row are
//!    taken from the index; changed and new files are read, parsed and
//!    stored (the parsing threads hand rows to one writing thread); rows of
//!    vanished files are deleted. The library is then built from every
//!    file's stored facts by the same steps as a load without the index
//!    (title inference reads each story's stored words instead of its text),
//!    so the result is the same; it is kept for next time.
//!

use std::path::{Path, PathBuf};

use super::libraries::{roots_key, stored_snapshot};
use super::pending::{Pending, Shown};
use super::plan::{Mode, Plan};
use super::refresh::build;
use super::rows::IndexRows;
use super::snapshot::Kept;
use super::walked::Walk;
use super::{Index, Problem, fill, gc, schema, snapshot};
use crate::load::{self, Diagnostic, FileToLoad, Progress};
use crate::model::Library;

/// A library, opened.
pub struct Opened {
    pub library: Library,
    /// One line about the index, when something about it is worth saying.
    pub warning: Option<String>,
    /// Indexing left to do in the background.
    pub pending: Option<Pending>,
    /// The library stored last time, grown by files added since (rather
    /// than built from every file).
    pub grown: bool,
}

/// In [`Mode::Soon`], reading more files than this (and more than half
/// the library) is left to the background.
const DEFER_ABOVE: usize = 2000;
/// In [`Mode::Soon`], a library of more files than this is shown as
/// stored last time, at once; its files are walked and compared in the
/// background (a second at a million files), and if they changed the
/// library of the files as they are is built there, which takes seconds
/// (title inference runs over every story again).
const SHOW_STORED_ABOVE: usize = 5000;
/// Opens the library of `paths` with the index at `index` (None: without
/// one). Problems with the index never fail the load: the library is then
/// loaded without it, and the warning says why.
pub fn open_library(
    paths: &[PathBuf],
    index: Option<&Path>,
    mode: Mode,
    progress: &Progress,
) -> Opened {
    let Some(index_path) = index else {
        return in_memory(Walk::new(paths), progress, None, None);
    };
    let pending = |shown| Pending {
        index: index_path.to_owned(),
        paths: paths.to_vec(),
        shown,
    };
    // What opening the index had to say (rebuilt, say), if it was opened
    // to look for a stored library.
    let mut note = None;
    if mode == Mode::Soon {
        let (stored, opened) = stored_library(paths, index_path);
        if let Some(library) = stored {
            return Opened {
                library: library.with_index(index_path),
                warning: None,
                pending: Some(pending(Shown::Stored)),
                grown: false,
            };
        }
        note = opened;
    }
    let walk = Walk::new(paths);
    let shown = load::display(index_path);
    for attempt in 0..2 {
        let result = Index::open(index_path).and_then(|(mut index, opened)| {
            note = note.take().or(opened);
            bring_up_to_date(&mut index, paths, &walk, mode, progress)
        });
        let warning = note.as_ref().map(|n| format!("{shown}: {n}"));
        match result {
            Ok(Synced::Built {
                library,
                more,
                grown,
            }) => {
                return Opened {
                    library: library.with_index(index_path),
                    warning,
                    pending: more.then(|| pending(Shown::Current)),
                    grown,
                };
            }
            Ok(Synced::Stale(library)) => {
                return Opened {
                    library: library.with_index(index_path),
                    warning,
                    pending: Some(pending(Shown::Stale)),
                    grown: false,
                };
            }
            Ok(Synced::Later) => {
                return in_memory(walk, progress, warning, Some(pending(Shown::Current)));
            }
            Err(problem) if problem.is_damage() && attempt == 0 => {
                super::remove(index_path);
                note = Some(format!("damaged ({}); rebuilt", problem.cause()));
            }
            Err(problem) => {
                let warning = Some(format!("{shown}: {problem}"));
                return in_memory(walk, progress, warning, None);
            }
        }
    }
    let warning = Some(format!("{shown}: damaged; running without it"));
    in_memory(walk, progress, warning, None)
}

fn in_memory(
    walk: Walk,
    progress: &Progress,
    warning: Option<String>,
    pending: Option<Pending>,
) -> Opened {
    Opened {
        library: Library::load_walked(walk.into_entries(), progress),
        warning,
        pending,
        grown: false,
    }
}

/// The library stored last time for `paths`, if it was built from more
/// than [`SHOW_STORED_ABOVE`] files: decoded without walking them. And
/// what opening the index had to say.
fn stored_library(paths: &[PathBuf], index_path: &Path) -> (Option<Library>, Option<String>) {
    let Ok((index, note)) = Index::open(index_path) else {
        return (None, None);
    };
    let library = index
        .conn
        .prepare_cached(schema::SELECT_SNAPSHOT)
        .and_then(|mut select| {
            select.query_row([roots_key(paths)], |row| {
                let mut library = stored_snapshot(&index.conn, row.get(0)?)?;
                let walked = row.get_ref(1)?.as_blob()?;
                Ok(snapshot::decode_stored(
                    walked,
                    &mut library,
                    SHOW_STORED_ABOVE,
                ))
            })
        })
        .ok()
        .flatten();
    (library, note)
}

enum Synced {
    /// `more`: stories of the index lack their full text, for the
    /// background to fill in; `grown`: see [`Opened::grown`].
    Built {
        library: Library,
        more: bool,
        grown: bool,
    },
    /// The library stored last time, files having changed since: shown
    /// while [`Pending`] builds the one of the files as they are.
    Stale(Library),
    /// Left for [`Pending`].
    Later,
}

/// Brings the index up to date with the files of `walk`, or says what is
/// left for the background, and gives the library to show.
fn bring_up_to_date(
    index: &mut Index,
    paths: &[PathBuf],
    walk: &Walk,
    mode: Mode,
    progress: &Progress,
) -> Result<Synced, Problem> {
    let roots = roots_key(paths);
    let files = || walk.entries().iter().filter(|e| e.is_ok()).count();
    let stale_wanted = || mode == Mode::Soon && files() > SHOW_STORED_ABOVE;
    let kept = index
        .conn
        .prepare_cached(schema::SELECT_SNAPSHOT)?
        .query_row([&roots], |row| {
            let id = row.get(0)?;
            let mut library = stored_snapshot(&index.conn, id)?;
            let walked = row.get_ref(1)?.as_blob()?;
            let kept = snapshot::decode_library(walked, &mut library, walk, stale_wanted);
            Ok((id, kept))
        })
        .unwrap_or((0, Kept::None));
    let grows = match kept {
        (_, Kept::Same(library)) => return finish_text(index, walk, mode, library, progress),
        (_, Kept::Stale(library)) => return Ok(Synced::Stale(library)),
        (id, Kept::Grows(library, added)) => Some((library, id, added)),
        (_, Kept::None) => None,
    };
    let Some(lock) = index.try_lock()? else {
        // Another tidings is writing; reading the files gives the same.
        return Ok(match mode {
            Mode::Now | Mode::Search => Synced::Built {
                library: Library::load_walked(clone_entries(walk), progress),
                more: false,
                grown: false,
            },
            Mode::Soon => Synced::Later,
        });
    };
    // Files only added: the stored library grows by their stories, if
    // nothing about them needs a full build.
    if let Some((library, id, added)) = grows
        && (mode != Mode::Soon || added.files.len() <= DEFER_ABOVE)
        && let Some(library) =
            super::grow::grow(index, paths, walk, (library, id), added, mode, progress)?
    {
        let more = mode == Mode::Soon && fill::any_missing(&index.conn)?;
        drop(lock);
        return Ok(Synced::Built {
            library,
            more,
            grown: true,
        });
    }
    // The files are stat'ed (for the plan, and for the library to be
    // kept) on the other core while the index's rows are read.
    let rows = rayon::in_place_scope(|scope| {
        scope.spawn(|_| {
            walk.stats();
        });
        IndexRows::read(&index.conn)
    })?;
    let plan = Plan::new(paths, walk, &rows);
    if mode == Mode::Soon && plan.changed.len() > DEFER_ABOVE && plan.changed.len() * 2 > files() {
        return Ok(Synced::Later);
    }
    // The reader waits for the library, not for the full text of many
    // files read: that is filled in the background. So is collecting
    // garbage (gc.rs): seconds, once in a while.
    let many = plan.changed.len() > DEFER_ABOVE;
    let now = if mode == Mode::Soon && many {
        Mode::Now
    } else {
        mode
    };
    let collect = mode != Mode::Soon;
    let library = build(
        index,
        paths,
        walk,
        (lock, rows, plan),
        now,
        collect,
        progress,
    )?;
    let more = mode == Mode::Soon && (fill::any_missing(&index.conn)? || gc::due(&index.conn)?);
    Ok(Synced::Built {
        library,
        more,
        grown: false,
    })
}

/// A library taken from the index as it was stored: makes sure the
/// stories a search will look for are in the full-text table; for
/// `search`, now (under the writers' lock); for the reader, by saying there
/// is more to do in the background.
fn finish_text(
    index: &mut Index,
    walk: &Walk,
    mode: Mode,
    library: Library,
    progress: &Progress,
) -> Result<Synced, Problem> {
    let missing = mode != Mode::Now && fill::any_missing(&index.conn)?;
    // Should another process hold the lock, a search reads the files
    // instead: slower, and the same.
    if missing
        && mode == Mode::Search
        && let Some(_lock) = index.try_lock()?
    {
        let files = fill::TextWanted::new(walk.absolute_paths().iter().map(Vec::as_slice));
        fill::fill(&mut index.conn, &files, progress)?;
        return Ok(Synced::Built {
            library,
            more: false,
            grown: false,
        });
    }
    Ok(Synced::Built {
        library,
        more: missing && mode == Mode::Soon,
        grown: false,
    })
}

fn clone_entries(walk: &Walk) -> Vec<Result<FileToLoad, Diagnostic>> {
    walk.entries()
        .iter()
        .map(|entry| match entry {
            Ok(file) => Ok(FileToLoad {
                path: file.path.clone(),
                format: file.format,
            }),
            Err(problem) => Err(problem.clone()),
        })
        .collect()
}
