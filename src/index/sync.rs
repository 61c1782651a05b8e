//! Opening a library through the index.
//!
//! 1. Walk the paths and stat every file (no file is opened).
//! 2. If the walk is the one the library was last built from (same files,
//!    sizes, times and inodes, same problems), that library is the answer.
//! 3. Else, under the writers' lock: files whose stat matches their row are
//!    taken from the index; changed and new files are read, parsed and
//!    stored (the parsing threads hand rows to one writing thread); rows of
//!    vanished files are deleted. The library is then built from every
//!    file's stored facts by the same steps as a load without the index
//!    (title inference reads each story's stored words instead of its text),
//!    so the result is the same; it is kept for next time.

use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc::{Receiver, sync_channel};
use std::sync::{Arc, Mutex, PoisonError};

use compact_str::CompactString;
use rayon::prelude::*;
use rusqlite::{Connection, params};
use rustc_hash::{FxHashMap, FxHashSet};

use super::records::{
    FileFacts, HeadlineRef, MetaFacts, StoryFacts, decode, decode_words, encode, encode_words,
};
use super::{Index, Problem, schema, snapshot};
use crate::load::{self, Diagnostic, FileStat, FileToLoad, Parsed, Progress};
use crate::model::{
    Body, FileText, Library, Offered, Piece, Prepared, Spellings, Stored as StoredBody,
    first_sentence_title, place, story_id,
};
use crate::text::fold::for_each_word_hash;
use crate::text::{headline_key, tokens};

/// How soon a library must be ready.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// For a command: the index is brought up to date before it answers.
    Now,
    /// For the reader: when most files are to be read (a first run), the
    /// stories are read into memory and shown, and the index is brought up
    /// to date in the background ([`Pending`]).
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

/// Bringing the index up to date later, off the reader's way.
pub struct Pending {
    index: PathBuf,
    paths: Vec<PathBuf>,
}

/// In [`Mode::Soon`], reading more files than this (and more than half
/// the library) is left to the background.
const DEFER_ABOVE: usize = 2000;
/// A file modified this recently may change again within the same tick of
/// its file system's clock (two seconds on FAT), keeping its size and
/// times: it is read again next time. (Its status-change time is compared
/// too, but is not waited for: it moves whenever a file is touched, and
/// cannot be set back.)
const SETTLE_NANOS: i64 = 2_000_000_000;
/// Full text written per transaction, in bytes: within what FTS5 keeps
/// in memory before writing a segment ([`schema::CREATE`]'s `hashsize`),
/// so that a large build writes few segments and merges them seldom.
const BATCH_TOKENS: usize = 24 << 20;

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
    let walk = Walk::new(paths);
    let shown = load::display(index_path);
    let mut note = None;
    for attempt in 0..2 {
        let result = Index::open(index_path).and_then(|(mut index, opened)| {
            note = note.take().or(opened);
            sync(&mut index, paths, &walk, mode, progress)
        });
        match result {
            Ok(Synced::Built(library)) => {
                return Opened {
                    library: library.with_index(index_path),
                    warning: note.map(|n| format!("{shown}: {n}")),
                    pending: None,
                };
            }
            Ok(Synced::Later) => {
                let pending = Pending {
                    index: index_path.to_owned(),
                    paths: paths.to_vec(),
                };
                let warning = note.map(|n| format!("{shown}: {n}"));
                return in_memory(walk, progress, warning, Some(pending));
            }
            Err(problem) if problem.is_damage() && attempt == 0 => {
                super::remove(index_path);
                note = Some(format!("damaged ({problem}); rebuilt"));
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
        library: Library::load_walked(walk.entries, progress),
        warning,
        pending,
    }
}

impl Pending {
    /// Brings the index up to date, waiting for another writer to finish
    /// first. The library is built again on the next start.
    pub fn run(self, progress: &Progress) -> Result<(), String> {
        let shown = load::display(&self.index);
        let fail = |problem: Problem| format!("{shown}: {problem}");
        let (mut index, _) = Index::open(&self.index).map_err(fail)?;
        let _lock = index.lock().map_err(fail)?;
        let walk = Walk::new(&self.paths);
        let stored = Rows::read(&index.conn).map_err(|e| fail(e.into()))?;
        let plan = Plan::new(&self.paths, &walk, &stored);
        update(&mut index.conn, &walk, stored, plan, Want::Index, progress).map_err(fail)?;
        Ok(())
    }
}

/// Indexing under way on a thread of its own.
pub struct Background {
    progress: Arc<Progress>,
    done: Option<std::thread::JoinHandle<Result<(), String>>>,
}

impl Pending {
    /// Starts the work on a thread of its own.
    pub fn start(self) -> Background {
        let progress = Arc::new(Progress::default());
        let reported = Arc::clone(&progress);
        let done = std::thread::Builder::new()
            .name("index".into())
            .spawn(move || self.run(&reported))
            .ok();
        Background { progress, done }
    }
}

impl Background {
    /// How far it got.
    pub fn progress(&self) -> load::Snapshot {
        self.progress.snapshot()
    }

    /// How it ended, once, when it has.
    pub fn finished(&mut self) -> Option<Result<(), String>> {
        if !self.done.as_ref()?.is_finished() {
            return None;
        }
        let outcome = self.done.take()?.join();
        Some(outcome.unwrap_or_else(|_| Err("indexing stopped".into())))
    }
}

/// The files and problems a walk found; each file's stat is taken the
/// first time one is wanted (a first run, with nothing to compare, takes
/// none).
pub struct Walk {
    pub entries: Vec<Result<FileToLoad, Diagnostic>>,
    stats: std::sync::OnceLock<Vec<Option<FileStat>>>,
}

impl Walk {
    pub fn new(paths: &[PathBuf]) -> Walk {
        Walk {
            entries: load::walk(paths),
            stats: std::sync::OnceLock::new(),
        }
    }

    /// Every file's stat now (None for problems and vanished files), taken
    /// on both cores.
    pub fn stats(&self) -> &[Option<FileStat>] {
        self.stats.get_or_init(|| {
            self.entries
                .par_iter()
                .with_min_len(256)
                .map(|entry| load::stat(&entry.as_ref().ok()?.path).ok())
                .collect()
        })
    }
}

enum Synced {
    Built(Library),
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
    // Decoded where SQLite holds it, without a copy.
    let kept: Option<Library> = index
        .conn
        .prepare_cached(schema::SELECT_SNAPSHOT)?
        .query_row([&roots], |row| {
            Ok(snapshot::decode_library(row.get_ref(0)?.as_blob()?, walk))
        })
        .ok()
        .flatten();
    if let Some(library) = kept {
        return Ok(Synced::Built(library));
    }
    let Some(_lock) = index.try_lock()? else {
        // Another tidings is writing; reading the files gives the same.
        return Ok(match mode {
            Mode::Now => Synced::Built(Library::load_walked(clone_entries(walk), progress)),
            Mode::Soon => Synced::Later,
        });
    };
    let stored = Rows::read(&index.conn)?;
    let plan = Plan::new(paths, walk, &stored);
    let files = walk.entries.iter().filter(|e| e.is_ok()).count();
    if mode == Mode::Soon && plan.changed.len() > DEFER_ABOVE && plan.changed.len() * 2 > files {
        return Ok(Synced::Later);
    }
    let Some((pieces, spellings, dictionary, settled)) =
        update(&mut index.conn, walk, stored, plan, Want::Library, progress)?
    else {
        return Ok(Synced::Later);
    };
    progress.start_building();
    let library = Library::assemble(pieces, spellings, &dictionary);
    if settled && let Some(bytes) = snapshot::encode_library(&library, walk) {
        let used = now_nanos();
        index.conn.execute_batch("BEGIN IMMEDIATE")?;
        index
            .conn
            .prepare_cached(schema::UPSERT_SNAPSHOT)?
            .execute(params![roots, used, bytes])?;
        index.conn.execute_batch(schema::FORGET_OLD_LIBRARIES)?;
        index.conn.execute_batch("COMMIT")?;
    }
    Ok(Synced::Built(library))
}

fn clone_entries(walk: &Walk) -> Vec<Result<FileToLoad, Diagnostic>> {
    walk.entries
        .iter()
        .map(|entry| match entry {
            Ok(file) => Ok(FileToLoad {
                path: file.path.clone(),
                display: file.display.clone(),
                format: file.format,
            }),
            Err(problem) => Err(problem.clone()),
        })
        .collect()
}

/// The paths as given (and the folder they are relative to, if any are):
/// a library's display paths depend on both.
fn roots_key(paths: &[PathBuf]) -> Vec<u8> {
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

/// Files are keyed by their absolute path, so one file opened from two
/// folders is one row.
fn absolute(path: &Path) -> Vec<u8> {
    std::path::absolute(path)
        .unwrap_or_else(|_| path.to_owned())
        .into_os_string()
        .into_encoded_bytes()
}

/// Everything the index holds, read at once under the writers' lock.
struct Rows {
    files: FxHashMap<Vec<u8>, FileRow>,
    stories: FxHashMap<i64, Vec<StoryRow>>,
    /// By id: key and text.
    headlines: Vec<Option<(u128, Arc<str>)>>,
    /// By id: the word's hash.
    words: Vec<u64>,
    last_story: i64,
}

struct FileRow {
    id: i64,
    stat: FileStat,
    settled: bool,
    facts: Vec<u8>,
}

struct StoryRow {
    row: i64,
    article: u32,
    facts: Vec<u8>,
    words: Vec<u8>,
}

impl Rows {
    fn read(conn: &Connection) -> rusqlite::Result<Rows> {
        let mut files = FxHashMap::default();
        let mut statement = conn.prepare(schema::SELECT_FILES)?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            files.insert(
                row.get::<_, Vec<u8>>(1)?,
                FileRow {
                    id: row.get(0)?,
                    stat: FileStat {
                        size: row.get::<_, i64>(2)? as u64,
                        modified: row.get(3)?,
                        changed: row.get(4)?,
                        inode: row.get::<_, i64>(5)? as u64,
                    },
                    settled: row.get(6)?,
                    facts: row.get(7)?,
                },
            );
        }
        let mut stories: FxHashMap<i64, Vec<StoryRow>> = FxHashMap::default();
        let mut statement = conn.prepare(schema::SELECT_STORIES)?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            stories.entry(row.get(1)?).or_default().push(StoryRow {
                row: row.get(0)?,
                article: row.get(2)?,
                facts: row.get(3)?,
                words: row.get(4)?,
            });
        }
        let mut headlines = Vec::new();
        let mut statement = conn.prepare(schema::SELECT_HEADLINES)?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let id: u32 = row.get(0)?;
            let key: Vec<u8> = row.get(1)?;
            let text: String = row.get(2)?;
            let Ok(key) = <[u8; 16]>::try_from(key.as_slice()) else {
                continue;
            };
            if headlines.len() <= id as usize {
                headlines.resize(id as usize + 1, None);
            }
            headlines[id as usize] = Some((u128::from_le_bytes(key), Arc::from(text)));
        }
        let mut words = Vec::new();
        let mut statement = conn.prepare(schema::SELECT_WORDS)?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let id: u32 = row.get(0)?;
            if words.len() <= id as usize {
                words.resize(id as usize + 1, 0);
            }
            words[id as usize] = row.get::<_, i64>(1)? as u64;
        }
        let last_story = conn.query_row(schema::MAX_STORY_ROW, [], |row| row.get(0))?;
        Ok(Rows {
            files,
            stories,
            headlines,
            words,
            last_story,
        })
    }
}

/// What a sync has to do.
struct Plan {
    /// Absolute path of each walked file (empty for problems).
    paths: Vec<Vec<u8>>,
    /// Walk positions of files to read.
    changed: Vec<usize>,
    /// Files in the index under the walked roots that the walk no longer
    /// finds.
    vanished: Vec<i64>,
}

impl Plan {
    fn new(roots: &[PathBuf], walk: &Walk, stored: &Rows) -> Plan {
        let now = now_nanos();
        let paths: Vec<Vec<u8>> = walk
            .entries
            .par_iter()
            .map(|entry| {
                entry
                    .as_ref()
                    .map_or_else(|_| Vec::new(), |f| absolute(&f.path))
            })
            .collect();
        let known = |i: usize| stored.files.get(&paths[i]);
        let compare = (0..walk.entries.len()).any(|i| known(i).is_some());
        let stats = if compare { walk.stats() } else { &[] };
        let changed = (0..walk.entries.len())
            .filter(|&i| {
                walk.entries[i].is_ok()
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
        let vanished = stored
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
enum Want {
    /// Building the library: every file's pieces are wanted.
    Library,
    /// Only the index (in the background): nothing is kept.
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
fn update(
    conn: &mut Connection,
    walk: &Walk,
    stored: Rows,
    plan: Plan,
    want: Want,
    progress: &Progress,
) -> Result<Option<Built>, Problem> {
    let spellings = Spellings::default();
    let ids = Ids::new(&stored);
    let now = now_nanos();
    let changed: FxHashSet<usize> = plan.changed.iter().copied().collect();
    let mut pieces: Vec<Option<Vec<Piece>>> = (0..walk.entries.len()).map(|_| None).collect();

    // Unchanged files from their rows; one that cannot be decoded is read
    // again.
    let from_rows: Vec<(usize, Option<Vec<Piece>>)> = (0..walk.entries.len())
        .into_par_iter()
        .filter(|i| want == Want::Library && !changed.contains(i))
        .map_init(Offered::default, |offered, i| {
            let found = match &walk.entries[i] {
                Err(problem) => Some(vec![Piece::Problem(problem.clone())]),
                Ok(file) => stored.files.get(&plan.paths[i]).and_then(|row| {
                    let stories = stored.stories.get(&row.id).map_or(&[][..], Vec::as_slice);
                    stored_pieces(i, file, row, stories, &stored, &spellings, offered)
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

    let stats = match want {
        Want::Library => walk.stats(),
        Want::Index => &[],
    };
    let mut settled_all = want == Want::Library
        && stats
            .iter()
            .zip(&walk.entries)
            .all(|(stat, entry)| entry.is_err() || stat.is_some_and(|s| settled(s, now)));
    let (sender, receiver) = sync_channel::<FileWrite>(64);
    type Read = (Vec<(usize, Vec<Piece>, bool)>, Vec<(usize, i64)>);
    let (read, rows): Read = std::thread::scope(|scope| {
        let (first_row, vanished, ids) = (stored.last_story + 1, &plan.vanished, &ids);
        let writer = scope.spawn(move || write(conn, receiver, vanished, ids, first_row));
        let read = to_read
            .par_iter()
            .map_init(
                || (Vec::new(), Offered::default(), FxHashMap::default()),
                |(buffer, offered, words), &i| {
                    let Ok(file) = &walk.entries[i] else {
                        return (i, Vec::new(), true);
                    };
                    let (parsed, read_stat) = load::read_file(file, buffer);
                    let walked = stats.get(i).copied().flatten();
                    let stat = read_stat.or(walked).or_else(|| load::stat(&file.path).ok());
                    let context = FileContext {
                        position: i,
                        file,
                        ids,
                        spellings: &spellings,
                    };
                    let (found, write) = context.index(parsed, offered, words);
                    let as_walked = read_stat.is_none() || read_stat == walked;
                    if let Some(stat) = stat {
                        let _ = sender.send(FileWrite {
                            position: i,
                            path: plan.paths[i].clone(),
                            stat,
                            settled: settled(stat, now),
                            facts: write.facts,
                            stories: write.stories,
                        });
                    }
                    progress.file_read();
                    let found = if want == Want::Library {
                        found
                    } else {
                        Vec::new()
                    };
                    (i, found, as_walked)
                },
            )
            .collect();
        drop(sender);
        match writer.join() {
            Ok(Ok(rows)) => Ok((read, rows)),
            Ok(Err(e)) => Err(Problem::from(e)),
            Err(_) => Err(Problem::Unusable("writing it failed".into())),
        }
    })?;
    for (i, found, as_walked) in read {
        settled_all &= as_walked;
        pieces[i] = Some(found);
    }
    for (i, first_row) in rows {
        let stored = pieces[i]
            .iter_mut()
            .flatten()
            .filter_map(|piece| match piece {
                Piece::Article(Prepared {
                    body: Body::Stored(stored),
                    ..
                }) => Some(stored),
                _ => None,
            });
        for (row, stored) in (first_row..).zip(stored) {
            stored.file.row = row;
        }
    }
    if want == Want::Index {
        return Ok(None);
    }
    let dictionary = ids.dictionary(stored.words);
    Ok(Some((
        pieces.into_iter().flatten().flatten().collect(),
        spellings,
        dictionary,
        settled_all,
    )))
}

/// An unchanged file's pieces from its rows; None if a row cannot be
/// read back (the file is then read again).
fn stored_pieces(
    position: usize,
    file: &FileToLoad,
    row: &FileRow,
    stories: &[StoryRow],
    stored: &Rows,
    spellings: &Spellings,
    offered: &mut Offered,
) -> Option<Vec<Piece>> {
    let facts: FileFacts = decode(&row.facts).ok()?;
    let headline = |reference: &HeadlineRef| -> Option<(u128, String)> {
        let (key, text) = stored.headlines.get(reference.id as usize)?.as_ref()?;
        let text = reference
            .spelling
            .clone()
            .unwrap_or_else(|| text.to_string());
        Some((*key, text))
    };
    let mut ordered: Vec<&StoryRow> = stories.iter().collect();
    ordered.sort_by_key(|s| s.article);
    let mut pieces = Vec::with_capacity(ordered.len() + facts.diagnostics.len());
    for story in ordered {
        let a = story.article as usize;
        let story_facts: StoryFacts = decode(&story.facts).ok()?;
        let title_key = match (&story_facts.title, story_facts.title_headline) {
            (Some(title), Some(id)) => {
                let (key, _) = stored.headlines.get(id as usize)?.as_ref()?;
                spellings.offer(offered, *key, place(position, a, 0), title);
                Some(*key)
            }
            _ => None,
        };
        let mut related_keys = Vec::with_capacity(story_facts.related.len());
        for (l, reference) in story_facts.related.iter().enumerate() {
            let (key, text) = headline(reference)?;
            spellings.offer(offered, key, place(position, a, l + 1), &text);
            related_keys.push(key);
        }
        pieces.push(Piece::Article(Prepared {
            id: CompactString::from(story_facts.id),
            path: file.display.clone(),
            title: story_facts.title,
            meta: story_facts.meta.map(|m| Box::new(m.into_meta())),
            title_key,
            related_keys,
            tokens: story_facts.tokens,
            body: Body::Stored(StoredBody {
                file: FileText {
                    path: file.path.clone(),
                    article: story.article,
                    row: story.row,
                },
                words: decode_words(&story.words).ok()?,
                first_sentence: story_facts.first_sentence,
            }),
        }));
    }
    for (l, reference) in facts.loose.iter().enumerate() {
        let (key, text) = headline(reference)?;
        spellings.offer(offered, key, place(position, 0xffff, l), &text);
        pieces.push(Piece::Loose(key));
    }
    for (severity, message) in facts.diagnostics {
        pieces.push(Piece::Problem(Diagnostic::new(
            severity,
            &file.display,
            message,
        )));
    }
    Some(pieces)
}

/// What one changed file gives the writer.
struct FileWrite {
    /// Its place in the walk.
    position: usize,
    path: Vec<u8>,
    stat: FileStat,
    settled: bool,
    facts: Vec<u8>,
    stories: Vec<StoryWrite>,
}

struct StoryWrite {
    article: u32,
    facts: Vec<u8>,
    words: Vec<u8>,
    /// Tokens for the full-text table, separated by spaces.
    title: String,
    body: String,
}

/// What a changed file's parse is written with.
struct Written {
    facts: Vec<u8>,
    stories: Vec<StoryWrite>,
}

/// A changed file being turned into pieces and rows.
struct FileContext<'a> {
    position: usize,
    file: &'a FileToLoad,
    ids: &'a Ids,
    spellings: &'a Spellings,
}

impl FileContext<'_> {
    /// The file's pieces for the model and its rows for the index, as
    /// [`crate::model::prepare`] makes pieces of a parse.
    fn index(
        &self,
        parsed: Parsed,
        offered: &mut Offered,
        known_words: &mut FxHashMap<u64, u32>,
    ) -> (Vec<Piece>, Written) {
        let mut pieces = Vec::with_capacity(parsed.articles.len() + parsed.diagnostics.len());
        let mut stories = Vec::with_capacity(parsed.articles.len());
        let mut key_buf = String::new();
        let mut token_buf = String::new();
        let mut reference = |text: &str, at: u64, offered: &mut Offered| {
            let key = headline_key(text, &mut key_buf);
            self.spellings.offer(offered, key, at, text);
            let (id, canonical) = self.ids.headline(key, text);
            let spelling = (*canonical != *text).then(|| text.to_owned());
            (key, HeadlineRef { id, spelling })
        };
        for (a, article) in parsed.articles.into_iter().enumerate() {
            let id = story_id(&article);
            let stated = article
                .title
                .as_deref()
                .map(|title| reference(title, place(self.position, a, 0), offered));
            let related: Vec<(u128, HeadlineRef)> = article
                .related
                .iter()
                .enumerate()
                .map(|(l, line)| reference(line, place(self.position, a, l + 1), offered))
                .collect();
            // Each distinct word once: most words of a story repeat, and
            // looking a word up costs more than sorting it.
            let mut hashes: Vec<u64> = Vec::new();
            for paragraph in &article.paragraphs {
                for_each_word_hash(paragraph, |hash| hashes.push(hash));
            }
            hashes.sort_unstable();
            hashes.dedup();
            let mut words: Vec<u32> = hashes
                .iter()
                .map(|&hash| self.ids.word(hash, known_words))
                .collect();
            words.sort_unstable();
            let mut title_tokens = String::new();
            let mut length = 0;
            if let Some(title) = &article.title {
                length += tokens::push_joined(title, &mut token_buf, &mut title_tokens);
            }
            let mut body_tokens =
                String::with_capacity(article.paragraphs.iter().map(String::len).sum());
            for paragraph in &article.paragraphs {
                length += tokens::push_joined(paragraph, &mut token_buf, &mut body_tokens);
            }
            let first_sentence =
                first_sentence_title(article.paragraphs.first().map_or("", String::as_str));
            let facts = StoryFacts {
                id: id.to_string(),
                title: article.title.clone(),
                title_headline: stated.as_ref().map(|(_, r)| r.id),
                related: related.iter().map(|(_, r)| r.clone()).collect(),
                meta: article.meta.as_deref().map(MetaFacts::from),
                tokens: length,
                first_sentence: first_sentence.clone(),
            };
            stories.push(StoryWrite {
                article: a as u32,
                facts: encode(&facts),
                words: encode_words(&words),
                title: title_tokens,
                body: body_tokens,
            });
            pieces.push(Piece::Article(Prepared {
                id,
                path: article.path,
                title: article.title,
                meta: article.meta,
                title_key: stated.map(|(key, _)| key),
                related_keys: related.iter().map(|(key, _)| *key).collect(),
                tokens: length,
                body: Body::Stored(StoredBody {
                    file: FileText {
                        path: self.file.path.clone(),
                        article: a as u32,
                        // Given by the writer: see `write`.
                        row: 0,
                    },
                    words,
                    first_sentence,
                }),
            }));
        }
        let mut facts = FileFacts::default();
        for (l, line) in parsed.loose_headlines.iter().enumerate() {
            let (key, headline) = reference(line, place(self.position, 0xffff, l), offered);
            facts.loose.push(headline);
            pieces.push(Piece::Loose(key));
        }
        for diagnostic in parsed.diagnostics {
            facts
                .diagnostics
                .push((diagnostic.severity, diagnostic.message.clone()));
            pieces.push(Piece::Problem(diagnostic));
        }
        (
            pieces,
            Written {
                facts: encode(&facts),
                stories,
            },
        )
    }
}

const SHARDS: usize = 64;

/// Headline key -> its number and stored text.
type HeadlineIds = FxHashMap<u128, (u32, Arc<str>)>;

/// Numbers for headlines and words, shared by the parsing threads: those
/// the index has, and new ones, handed to the writer to store with the
/// first rows that use them.
struct Ids {
    headlines: Vec<Mutex<HeadlineIds>>,
    words: Vec<Mutex<FxHashMap<u64, u32>>>,
    next_headline: AtomicU32,
    next_word: AtomicU32,
    new_headlines: Mutex<Vec<(u32, u128, Arc<str>)>>,
    new_words: Mutex<Vec<(u32, u64)>>,
}

fn locked<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Ids {
    fn new(stored: &Rows) -> Ids {
        let ids = Ids {
            headlines: (0..SHARDS).map(|_| Mutex::default()).collect(),
            words: (0..SHARDS).map(|_| Mutex::default()).collect(),
            next_headline: AtomicU32::new(stored.headlines.len().max(1) as u32),
            next_word: AtomicU32::new(stored.words.len().max(1) as u32),
            new_headlines: Mutex::default(),
            new_words: Mutex::default(),
        };
        for (id, entry) in stored.headlines.iter().enumerate() {
            if let Some((key, text)) = entry {
                locked(&ids.headlines[*key as usize % SHARDS])
                    .insert(*key, (id as u32, Arc::clone(text)));
            }
        }
        for (id, &hash) in stored.words.iter().enumerate().skip(1) {
            locked(&ids.words[hash as usize % SHARDS]).insert(hash, id as u32);
        }
        ids
    }

    /// The headline's number and stored text; a new headline is stored
    /// with `text`.
    fn headline(&self, key: u128, text: &str) -> (u32, Arc<str>) {
        let mut shard = locked(&self.headlines[key as usize % SHARDS]);
        if let Some((id, canonical)) = shard.get(&key) {
            return (*id, Arc::clone(canonical));
        }
        let id = self.next_headline.fetch_add(1, Ordering::Relaxed);
        let text: Arc<str> = Arc::from(text);
        shard.insert(key, (id, Arc::clone(&text)));
        locked(&self.new_headlines).push((id, key, Arc::clone(&text)));
        (id, text)
    }

    /// The word's number; `known` is the thread's own copy, so most words
    /// take no lock.
    fn word(&self, hash: u64, known: &mut FxHashMap<u64, u32>) -> u32 {
        if let Some(&id) = known.get(&hash) {
            return id;
        }
        let id = {
            let mut shard = locked(&self.words[hash as usize % SHARDS]);
            *shard.entry(hash).or_insert_with(|| {
                let id = self.next_word.fetch_add(1, Ordering::Relaxed);
                locked(&self.new_words).push((id, hash));
                id
            })
        };
        known.insert(hash, id);
        id
    }

    /// Every word's hash by number: the stored ones and the new ones.
    fn dictionary(&self, mut stored: Vec<u64>) -> Vec<u64> {
        let size = self.next_word.load(Ordering::Relaxed) as usize;
        stored.resize(size.max(stored.len()), 0);
        for shard in &self.words {
            for (&hash, &id) in locked(shard).iter() {
                stored[id as usize] = hash;
            }
        }
        stored
    }
}

/// The writing thread: rows of changed files, in transactions of about
/// [`BATCH_TOKENS`] bytes of full text, each with the new headlines and
/// words its rows use; then the vanished files' rows go. Gives the row of
/// each story written, by the file's place in the walk.
///
/// Stories are numbered here, in the order they are written: FTS5 writes
/// out what it holds whenever a row comes with a lower number than the one
/// before, and the parsing threads finish in no set order.
fn write(
    conn: &mut Connection,
    files: Receiver<FileWrite>,
    vanished: &[i64],
    ids: &Ids,
    mut next_row: i64,
) -> rusqlite::Result<Vec<(usize, i64)>> {
    let mut rows = Vec::new();
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let mut in_batch = 0;
    for file in files {
        rows.push((file.position, next_row));
        write_file(conn, &file, next_row)?;
        next_row += file.stories.len() as i64;
        in_batch += file
            .stories
            .iter()
            .map(|s| s.title.len() + s.body.len())
            .sum::<usize>();
        if in_batch >= BATCH_TOKENS {
            write_ids(conn, ids)?;
            conn.execute_batch("COMMIT; BEGIN IMMEDIATE")?;
            in_batch = 0;
        }
    }
    for &file in vanished {
        delete_file(conn, file)?;
    }
    write_ids(conn, ids)?;
    conn.execute_batch("COMMIT")?;
    Ok(rows)
}

/// Writes a file's rows, its stories numbered from `first_row`.
fn write_file(conn: &Connection, file: &FileWrite, first_row: i64) -> rusqlite::Result<()> {
    let old: Option<i64> = conn
        .prepare_cached(schema::FILE_ID)?
        .query_row([&file.path], |row| row.get(0))
        .ok();
    if let Some(old) = old {
        delete_file(conn, old)?;
    }
    conn.prepare_cached(schema::INSERT_FILE)?.execute(params![
        file.path,
        file.stat.size as i64,
        file.stat.modified,
        file.stat.changed,
        file.stat.inode as i64,
        file.settled,
        file.facts
    ])?;
    let id = conn.last_insert_rowid();
    let mut story = conn.prepare_cached(schema::INSERT_STORY)?;
    let mut text = conn.prepare_cached(schema::INSERT_TEXT)?;
    for (row, s) in (first_row..).zip(&file.stories) {
        story.execute(params![row, id, s.article, s.facts, s.words])?;
        text.execute(params![row, s.body, s.title])?;
    }
    Ok(())
}

/// Deletes a file's rows, its stories' and their full text.
fn delete_file(conn: &Connection, file: i64) -> rusqlite::Result<()> {
    let rows: Vec<i64> = conn
        .prepare_cached(schema::STORIES_OF_FILE)?
        .query_map([file], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for row in rows {
        conn.prepare_cached(schema::DELETE_TEXT)?.execute([row])?;
        conn.prepare_cached(schema::DELETE_STORY)?.execute([row])?;
    }
    conn.prepare_cached(schema::DELETE_FILE)?.execute([file])?;
    Ok(())
}

fn write_ids(conn: &Connection, ids: &Ids) -> rusqlite::Result<()> {
    let headlines = std::mem::take(&mut *locked(&ids.new_headlines));
    let mut insert = conn.prepare_cached(schema::INSERT_HEADLINE)?;
    for (id, key, text) in headlines {
        insert.execute(params![id, key.to_le_bytes(), &*text])?;
    }
    let words = std::mem::take(&mut *locked(&ids.new_words));
    let mut insert = conn.prepare_cached(schema::INSERT_WORD)?;
    for (id, hash) in words {
        insert.execute(params![id, hash as i64])?;
    }
    Ok(())
}
