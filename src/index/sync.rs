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
//! Full text is stored only when it is wanted: see [`super::text`].

use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::sync_channel;

use rayon::prelude::*;
use rusqlite::{Connection, params};
use rustc_hash::{FxHashMap, FxHashSet};

use super::ids::Ids;
use super::pieces::{FileContext, stored_pieces};
use super::records::encode;
use super::rows::Rows;
use super::snapshot::Kept;
use super::walk::{Walk, absolute};
use super::write::{FileWrite, write};
use super::{Index, Problem, gc, schema, snapshot, text};
use crate::load::{self, Diagnostic, FileStat, FileToLoad, Progress};
use crate::model::{Body, Growth, Library, Offered, Piece, Prepared, Spellings};

/// What a library is opened for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// For `check` and `list`: the index is brought up to date first, all
    /// but the stories' full text, which they never read.
    Now,
    /// For `search`: the same, and every story's full text.
    Search,
    /// For the reader: when most files are to be read (a first run), the
    /// stories are read into memory and shown, and the index is brought up
    /// to date in the background ([`Pending`]), full text too.
    Soon,
}

/// A library, opened.
pub struct Opened {
    pub library: Library,
    /// One line about the index, when something about it is worth saying.
    pub warning: Option<String>,
    /// Indexing left to do in the background.
    pub pending: Option<Pending>,
}

/// Bringing the index up to date later, off the reader's way; and, when
/// the reader shows the library stored last time, building the library
/// of the files as they are now.
pub struct Pending {
    index: PathBuf,
    paths: Vec<PathBuf>,
    shown: Shown,
}

/// What the reader shows while [`Pending`] runs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shown {
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
/// A file modified this recently may change again within the same tick of
/// its file system's clock (two seconds on FAT), keeping its size and
/// times: it is read again next time. (Its status-change time is compared
/// too, but is not waited for: it moves whenever a file is touched, and
/// cannot be set back.)
const SETTLE_NANOS: i64 = 2_000_000_000;

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
            };
        }
        note = opened;
    }
    let walk = Walk::new(paths);
    let shown = load::display(index_path);
    for attempt in 0..2 {
        let result = Index::open(index_path).and_then(|(mut index, opened)| {
            note = note.take().or(opened);
            sync(&mut index, paths, &walk, mode, progress)
        });
        let warning = note.as_ref().map(|n| format!("{shown}: {n}"));
        match result {
            Ok(Synced::Built { library, more }) => {
                return Opened {
                    library: library.with_index(index_path),
                    warning,
                    pending: more.then(|| pending(Shown::Current)),
                };
            }
            Ok(Synced::Stale(library)) => {
                return Opened {
                    library: library.with_index(index_path),
                    warning,
                    pending: Some(pending(Shown::Stale)),
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

/// The stored library of the `libraries` row `id`, to be read in pieces:
/// never whole (its walk is, when its paths become the stories' files).
pub(super) fn stored_snapshot(
    conn: &Connection,
    id: i64,
) -> rusqlite::Result<rusqlite::blob::Blob<'_>> {
    conn.blob_open(rusqlite::MAIN_DB, "libraries", "snapshot", id, true)
}

/// The walk the library of the `libraries` row `id` was built from, to be
/// read in pieces.
fn stored_walk(conn: &Connection, id: i64) -> rusqlite::Result<rusqlite::blob::Blob<'_>> {
    conn.blob_open(rusqlite::MAIN_DB, "libraries", "walk", id, true)
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
            return Ok(Done::Rebuilt(library.with_index(&self.index)));
        }
        let rows = Rows::read(&index.conn).map_err(|e| fail(e.into()))?;
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
        let files = text::Files::new(plan.paths.iter().map(Vec::as_slice));
        text::fill(&mut index.conn, &files, progress).map_err(fail)?;
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
    pub fn progress(&self) -> load::Snapshot {
        self.progress.snapshot()
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

enum Synced {
    /// `more`: stories of the index lack their full text, for the
    /// background to fill in.
    Built { library: Library, more: bool },
    /// The library stored last time, files having changed since: shown
    /// while [`Pending`] builds the one of the files as they are.
    Stale(Library),
    /// Left for [`Pending`].
    Later,
}

fn sync(
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
        let more = mode == Mode::Soon && text::any_missing(&index.conn)?;
        drop(lock);
        return Ok(Synced::Built { library, more });
    }
    // The files are stat'ed (for the plan, and for the library to be
    // kept) on the other core while the index's rows are read.
    let rows = rayon::in_place_scope(|scope| {
        scope.spawn(|_| {
            walk.stats();
        });
        Rows::read(&index.conn)
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
    let more = mode == Mode::Soon && (text::any_missing(&index.conn)? || gc::due(&index.conn)?);
    Ok(Synced::Built { library, more })
}

/// Under the writers' lock, with what the index holds and what is to be
/// done: brings the index up to date with the files of `walk` (their full
/// text too, unless `mode` is [`Mode::Now`]), builds the library from it
/// and keeps it for next time; then collects garbage if it is due and
/// `collect` says so.
fn build(
    index: &mut Index,
    paths: &[PathBuf],
    walk: &Walk,
    (lock, rows, plan): (std::fs::File, Rows, Plan),
    mode: Mode,
    collect: bool,
    progress: &Progress,
) -> Result<Library, Problem> {
    let want = Want::Library {
        text: mode != Mode::Now,
    };
    let Some((pieces, spellings, dictionary, settled)) =
        update(&mut index.conn, walk, rows, &plan, want, progress)?
    else {
        return Err(Problem::Unusable("nothing was built".into()));
    };
    progress.start_building();
    let (library, growth) = Library::assemble_growing(pieces, spellings, &dictionary);
    if settled {
        keep(&index.conn, paths, walk, &library, growth.as_ref())?;
    }
    if collect {
        gc::collect_if_due(&index.conn)?;
    }
    if mode == Mode::Search {
        let files = text::Files::new(plan.paths.iter().map(Vec::as_slice));
        text::fill(&mut index.conn, &files, progress)?;
    }
    drop(lock);
    Ok(library)
}

/// Keeps `library`, built from `walk`, for next time, with what it needs
/// to grow.
pub(super) fn keep(
    conn: &Connection,
    paths: &[PathBuf],
    walk: &Walk,
    library: &Library,
    growth: Option<&Growth>,
) -> Result<(), Problem> {
    let Some((walked, built)) = snapshot::encode_library(library, walk) else {
        return Ok(());
    };
    let growth = growth.map(encode).unwrap_or_default();
    conn.execute_batch("BEGIN IMMEDIATE")?;
    conn.prepare_cached(schema::UPSERT_SNAPSHOT)?
        .execute(params![
            roots_key(paths),
            now_nanos(),
            walked,
            built,
            growth
        ])?;
    conn.execute_batch(schema::FORGET_OLD_LIBRARIES)?;
    conn.execute_batch("COMMIT")?;
    Ok(())
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
    let missing = mode != Mode::Now && text::any_missing(&index.conn)?;
    // Should another process hold the lock, a search reads the files
    // instead: slower, and the same.
    if missing
        && mode == Mode::Search
        && let Some(_lock) = index.try_lock()?
    {
        let files = text::Files::new(walk.absolute_paths().iter().map(Vec::as_slice));
        text::fill(&mut index.conn, &files, progress)?;
        return Ok(Synced::Built {
            library,
            more: false,
        });
    }
    Ok(Synced::Built {
        library,
        more: missing && mode == Mode::Soon,
    })
}

/// The library stored last time turned out to be the one of the files
/// as they are: what is left is the full text of stories that lack it and
/// garbage due for collection, under the writers' lock.
fn finish_stored(
    index: &mut Index,
    paths: &[PathBuf],
    progress: &Progress,
) -> Result<Done, Problem> {
    let missing = text::any_missing(&index.conn)?;
    let due = gc::due(&index.conn)?;
    if missing {
        let files = text::Files::new(Walk::new(paths).absolute_paths().iter().map(Vec::as_slice));
        text::fill(&mut index.conn, &files, progress)?;
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

/// The paths as given (and the folder they are relative to, if any are):
/// a library's display paths depend on both.
pub(super) fn roots_key(paths: &[PathBuf]) -> Vec<u8> {
    let relative = paths.iter().any(|p| p.is_relative());
    let cwd = relative
        .then(|| std::env::current_dir().ok())
        .flatten()
        .unwrap_or_default();
    let paths: Vec<&[u8]> = paths.iter().map(|p| p.as_os_str().as_bytes()).collect();
    encode(&(cwd.as_os_str().as_bytes(), paths))
}

fn now_nanos() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}

/// What a sync has to do.
pub(super) struct Plan {
    /// Absolute path of each walked file (empty for problems).
    pub paths: Vec<Vec<u8>>,
    /// Walk positions of files to read.
    pub changed: Vec<usize>,
    /// Files in the index under the walked roots that the walk no longer
    /// finds.
    pub vanished: Vec<i64>,
}

impl Plan {
    fn new(roots: &[PathBuf], walk: &Walk, rows: &Rows) -> Plan {
        let now = now_nanos();
        let paths = walk.absolute_paths();
        let known = |i: usize| rows.files.get(&paths[i]);
        let compare = (0..walk.entries().len()).any(|i| known(i).is_some());
        let stats = if compare { walk.stats() } else { &[] };
        let changed = (0..walk.entries().len())
            .filter(|&i| {
                walk.entries()[i].is_ok()
                    && known(i).is_none_or(|row| {
                        !row.settled
                            || stats.get(i) != Some(&Some(row.stat))
                            || !settled(row.stat, now)
                    })
            })
            .collect();
        let walked: FxHashSet<&[u8]> = paths.iter().map(Vec::as_slice).collect();
        let roots: Vec<Vec<u8>> = roots.iter().map(|r| absolute(r)).collect();
        let under_a_root = |path: &[u8]| {
            roots.iter().any(|root| {
                path == root.as_slice()
                    || (path.starts_with(root)
                        && (root.ends_with(b"/") || path.get(root.len()) == Some(&b'/')))
            })
        };
        let vanished = rows
            .files
            .iter()
            .filter(|(path, _)| !walked.contains(path.as_slice()) && under_a_root(path))
            .map(|(_, row)| row.id)
            .collect();
        Plan {
            paths,
            changed,
            vanished,
        }
    }
}

fn settled(stat: FileStat, now: i64) -> bool {
    now - stat.modified >= SETTLE_NANOS
}

/// What an update is for.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Want {
    /// Building the library: every file's pieces are wanted, and the full
    /// text of changed files if `text`.
    Library { text: bool },
    /// Growing a library: only the changed files' pieces are wanted.
    Added { text: bool },
    /// Only the index, full text included (in the background): nothing is
    /// kept.
    Index,
}

/// What the model is built from: every file's pieces in walk order, the
/// headlines' spellings, the words' hashes by number, and whether the
/// library may be kept as it is for next time.
type Built = (Vec<Piece>, Spellings, Vec<u64>, bool);

/// Reads the changed files, writes what they give and deletes what
/// vanished; gives what the model is built from when that is wanted. The
/// library may be kept when every file was settled and read as the walk
/// saw it.
pub(super) fn update(
    conn: &mut Connection,
    walk: &Walk,
    rows: Rows,
    plan: &Plan,
    want: Want,
    progress: &Progress,
) -> Result<Option<Built>, Problem> {
    let library = want != Want::Index;
    let from_rows = matches!(want, Want::Library { .. });
    let spellings = Spellings::default();
    let ids = Ids::new(&rows.headlines, &rows.words);
    let now = now_nanos();
    let changed: FxHashSet<usize> = plan.changed.iter().copied().collect();
    let mut pieces: Vec<Option<Vec<Piece>>> = (0..walk.entries().len()).map(|_| None).collect();

    // Unchanged files from their rows; one that cannot be decoded is read
    // again.
    let from_rows: Vec<(usize, Option<Vec<Piece>>)> = (0..walk.entries().len())
        .into_par_iter()
        .filter(|i| from_rows && !changed.contains(i))
        .map_init(Offered::default, |offered, i| {
            let found = match &walk.entries()[i] {
                Err(problem) => Some(vec![Piece::Problem(problem.clone())]),
                Ok(file) => rows.files.get(&plan.paths[i]).and_then(|row| {
                    let stories = rows.stories.get(&row.id).map_or(&[][..], Vec::as_slice);
                    stored_pieces(i, file, row, stories, &rows, &spellings, offered)
                }),
            };
            (i, found)
        })
        .collect();
    let mut to_read = plan.changed.clone();
    for (i, found) in from_rows {
        match found {
            Some(found) => pieces[i] = Some(found),
            None => to_read.push(i),
        }
    }
    to_read.sort_unstable();
    progress.start_reading(to_read.len());

    let stats = if library { walk.stats() } else { &[] };
    let mut settled_all = library
        && stats
            .iter()
            .zip(walk.entries())
            .all(|(stat, entry)| entry.is_err() || stat.is_some_and(|s| settled(s, now)));
    let with_text = !matches!(
        want,
        Want::Library { text: false } | Want::Added { text: false }
    );
    let (sender, receiver) = sync_channel::<FileWrite>(64);
    type Read = (Vec<(usize, Vec<Piece>, bool)>, Vec<(usize, i64)>);
    let writing = &mut *conn;
    let (read, first_rows): Read = std::thread::scope(|scope| {
        let (next_row, vanished, ids) = (rows.last_story + 1, &plan.vanished, &ids);
        let writer = scope.spawn(move || write(writing, receiver, vanished, ids, next_row));
        let read = to_read
            .par_iter()
            .map_init(
                || (Vec::new(), Offered::default(), FxHashMap::default()),
                |(buffer, offered, words), &i| {
                    let Ok(file) = &walk.entries()[i] else {
                        return (i, Vec::new(), true);
                    };
                    // Asked to stop (the reader quits): the rest is left
                    // for next time, and this library is not kept.
                    if progress.stopping() {
                        return (i, Vec::new(), false);
                    }
                    let (parsed, read_stat) = load::read_file(file, buffer);
                    let walked = stats.get(i).copied().flatten();
                    let stat = read_stat.or(walked).or_else(|| load::stat(&file.path).ok());
                    let context = FileContext {
                        position: i,
                        file,
                        ids,
                        spellings: &spellings,
                        with_text,
                    };
                    let (found, written) = context.index(parsed, offered, words);
                    if let Some(stat) = stat {
                        let _ = sender.send(FileWrite {
                            position: i,
                            path: plan.paths[i].clone(),
                            stat,
                            settled: settled(stat, now),
                            facts: written.facts,
                            stories: written.stories,
                        });
                    }
                    progress.file_read();
                    let as_walked = read_stat.is_none() || read_stat == walked;
                    (i, if library { found } else { Vec::new() }, as_walked)
                },
            )
            .collect();
        drop(sender);
        match writer.join() {
            Ok(Ok(first_rows)) => Ok((read, first_rows)),
            Ok(Err(e)) => Err(Problem::from(e)),
            Err(_) => Err(Problem::Unusable("writing it failed".into())),
        }
    })?;
    if !library {
        return Ok(None);
    }
    for (i, found, as_walked) in read {
        settled_all &= as_walked;
        pieces[i] = Some(found);
    }
    for (i, first_row) in first_rows {
        number_stories(pieces[i].iter_mut().flatten(), first_row);
    }
    let dictionary = ids.dictionary(rows.words);
    Ok(Some((
        pieces.into_iter().flatten().flatten().collect(),
        spellings,
        dictionary,
        settled_all,
    )))
}

/// Gives a changed file's stories the rows the writer numbered them with.
fn number_stories<'a>(pieces: impl Iterator<Item = &'a mut Piece>, first_row: i64) {
    let stories = pieces.filter_map(|piece| match piece {
        Piece::Article(Prepared {
            body: Body::Stored(stored),
            ..
        }) => Some(stored),
        _ => None,
    });
    for (row, stored) in (first_row..).zip(stories) {
        stored.file.row = row;
    }
}
