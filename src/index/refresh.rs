//! Bringing the index up to date with the files: the changed ones read and
//! parsed on every core while one thread writes their rows, the vanished
//! ones deleted, and the library built from every file's stored facts by
//! the same steps as a load without the index, so the result is the same.
//!
//! Full text is stored only when it is wanted: see [`super::fill`].

use std::path::PathBuf;
use std::sync::mpsc::sync_channel;

use rayon::prelude::*;
use rusqlite::Connection;
use rustc_hash::{FxHashMap, FxHashSet};

use super::ids::Ids;
use super::libraries::keep;
use super::pieces::{FileContext, stored_pieces};
use super::plan::{Mode, Plan, Want, now_nanos, settled};
use super::rows::IndexRows;
use super::walked::Walk;
use super::write::{FileWrite, write};
use super::{Index, Problem, fill, gc};
use crate::load::{self, Progress};
use crate::model::{Body, Library, Offered, Piece, Prepared, Spellings};

/// Under the writers' lock, with what the index holds and what is to be
/// done: brings the index up to date with the files of `walk` (their full
/// text too, unless `mode` is [`Mode::Now`]), builds the library from it
/// and keeps it for next time; then collects garbage if it is due and
/// `collect` says so.
pub(super) fn build(
    index: &mut Index,
    paths: &[PathBuf],
    walk: &Walk,
    (lock, rows, plan): (std::fs::File, IndexRows, Plan),
    mode: Mode,
    collect: bool,
    progress: &Progress,
) -> Result<Library, Problem> {
    let want = Want::Library {
        text: mode != Mode::Now,
    };
    let Some(built) = update(&mut index.conn, walk, rows, &plan, want, progress)? else {
        return Err(Problem::Unusable("nothing was built".into()));
    };
    progress.start_building();
    let (library, growth) =
        Library::assemble_growing(built.pieces, built.spellings, &built.dictionary);
    if built.settled {
        keep(&index.conn, paths, walk, &library, growth.as_ref())?;
    }
    if collect {
        gc::collect_if_due(&index.conn)?;
    }
    if mode == Mode::Search {
        let files = fill::TextWanted::new(plan.paths.iter().map(Vec::as_slice));
        fill::fill(&mut index.conn, &files, progress)?;
    }
    drop(lock);
    Ok(library)
}

/// What the model is built from.
pub(super) struct Built {
    /// Every file's pieces, in walk order.
    pub pieces: Vec<Piece>,
    /// The headlines' spellings.
    pub spellings: Spellings,
    /// The words' hashes, by number.
    pub dictionary: Vec<u64>,
    /// The library may be kept as it is for next time.
    pub settled: bool,
}

/// A changed file read: its walk position, its pieces (when the library
/// is wanted) and whether it was as the walk saw it.
struct ReadFile {
    position: usize,
    pieces: Vec<Piece>,
    as_walked: bool,
}

/// Reads the changed files, writes what they give and deletes what
/// vanished; gives what the model is built from when that is wanted. The
/// library may be kept when every file was settled and read as the walk
/// saw it.
pub(super) fn update(
    conn: &mut Connection,
    walk: &Walk,
    rows: IndexRows,
    plan: &Plan,
    want: Want,
    progress: &Progress,
) -> Result<Option<Built>, Problem> {
    let library = want != Want::Index;
    let spellings = Spellings::default();
    let ids = Ids::new(&rows.headlines, &rows.words);
    let now = now_nanos();
    let from_rows = matches!(want, Want::Library { .. });
    let (mut pieces, to_read) = pieces_from_rows(walk, &rows, plan, from_rows, &spellings);
    progress.start_reading(to_read.len());

    let stats = if library { walk.stats() } else { &[] };
    let mut settled_all = library
        && stats
            .iter()
            .zip(walk.entries())
            .all(|(stat, entry)| entry.is_err() || stat.is_some_and(|s| settled(s, now)));
    let reading = Reading {
        walk,
        plan,
        ids: &ids,
        spellings: &spellings,
        stats,
        now,
        library,
        with_text: !matches!(
            want,
            Want::Library { text: false } | Want::Added { text: false }
        ),
        progress,
    };
    let ReadAndWritten { read, first_rows } =
        reading.read_and_write(conn, &to_read, rows.last_story + 1)?;
    if !library {
        return Ok(None);
    }
    for file in read {
        settled_all &= file.as_walked;
        pieces[file.position] = Some(file.pieces);
    }
    for (i, first_row) in first_rows {
        number_stories(pieces[i].iter_mut().flatten(), first_row);
    }
    Ok(Some(Built {
        pieces: pieces.into_iter().flatten().flatten().collect(),
        spellings,
        dictionary: ids.dictionary(rows.words),
        settled: settled_all,
    }))
}

/// Each walked file's pieces from its stored rows where it is unchanged
/// (when `from_rows`), and the walk positions of the files to read: the
/// changed ones, and those whose rows cannot be decoded.
fn pieces_from_rows(
    walk: &Walk,
    rows: &IndexRows,
    plan: &Plan,
    from_rows: bool,
    spellings: &Spellings,
) -> (Vec<Option<Vec<Piece>>>, Vec<usize>) {
    let changed: FxHashSet<usize> = plan.changed.iter().copied().collect();
    let mut pieces: Vec<Option<Vec<Piece>>> = (0..walk.entries().len()).map(|_| None).collect();
    let found: Vec<(usize, Option<Vec<Piece>>)> = (0..walk.entries().len())
        .into_par_iter()
        .filter(|i| from_rows && !changed.contains(i))
        .map_init(Offered::default, |offered, i| {
            let found = match &walk.entries()[i] {
                Err(problem) => Some(vec![Piece::Problem(problem.clone())]),
                Ok(file) => rows.files.get(&plan.paths[i]).and_then(|row| {
                    let stories = rows.stories.get(&row.id).map_or(&[][..], Vec::as_slice);
                    stored_pieces(i, file, row, stories, rows, spellings, offered)
                }),
            };
            (i, found)
        })
        .collect();
    let mut to_read = plan.changed.clone();
    for (i, found) in found {
        match found {
            Some(found) => pieces[i] = Some(found),
            None => to_read.push(i),
        }
    }
    to_read.sort_unstable();
    (pieces, to_read)
}

/// The changed files read, and the first story row of each written, by
/// walk position.
struct ReadAndWritten {
    read: Vec<ReadFile>,
    first_rows: Vec<(usize, i64)>,
}

/// What reading the changed files needs to know.
struct Reading<'a> {
    walk: &'a Walk,
    plan: &'a Plan,
    ids: &'a Ids,
    spellings: &'a Spellings,
    stats: &'a [Option<load::FileStat>],
    now: i64,
    /// The library is wanted: keep what the files give.
    library: bool,
    with_text: bool,
    progress: &'a Progress,
}

impl Reading<'_> {
    /// Reads and parses the files at `to_read` on every core while one
    /// thread writes their rows (numbered from `next_row`) and deletes the
    /// vanished files'; gives what was read and each written file's first
    /// story row.
    fn read_and_write(
        &self,
        conn: &mut Connection,
        to_read: &[usize],
        next_row: i64,
    ) -> Result<ReadAndWritten, Problem> {
        let (sender, receiver) = sync_channel::<FileWrite>(64);
        std::thread::scope(|scope| {
            let (vanished, ids) = (&self.plan.vanished, self.ids);
            let writer = scope.spawn(move || write(conn, receiver, vanished, ids, next_row));
            let read = to_read
                .par_iter()
                .map_init(
                    || (Vec::new(), Offered::default(), FxHashMap::default()),
                    |(buffer, offered, words), &i| {
                        self.read_one(i, &sender, buffer, offered, words)
                    },
                )
                .collect();
            drop(sender);
            match writer.join() {
                Ok(Ok(first_rows)) => Ok(ReadAndWritten { read, first_rows }),
                Ok(Err(e)) => Err(Problem::from(e)),
                Err(_) => Err(Problem::Unusable("writing it failed".into())),
            }
        })
    }

    /// Reads the file at walk position `i` and sends its rows to the writer.
    fn read_one(
        &self,
        i: usize,
        sender: &std::sync::mpsc::SyncSender<FileWrite>,
        buffer: &mut Vec<u8>,
        offered: &mut Offered,
        words: &mut FxHashMap<u64, u32>,
    ) -> ReadFile {
        let done = |pieces, as_walked| ReadFile {
            position: i,
            pieces,
            as_walked,
        };
        let Ok(file) = &self.walk.entries()[i] else {
            return done(Vec::new(), true);
        };
        // Asked to stop (the reader quits): the rest is left for next
        // time, and this library is not kept.
        if self.progress.stopping() {
            return done(Vec::new(), false);
        }
        let (parsed, read_stat) = load::read_file(file, buffer);
        let walked = self.stats.get(i).copied().flatten();
        let stat = read_stat.or(walked).or_else(|| load::stat(&file.path).ok());
        let context = FileContext {
            position: i,
            file,
            ids: self.ids,
            spellings: self.spellings,
            with_text: self.with_text,
        };
        let (found, written) = context.index(parsed, offered, words);
        if let Some(stat) = stat {
            let _ = sender.send(FileWrite {
                position: i,
                path: self.plan.paths[i].clone(),
                stat,
                settled: settled(stat, self.now),
                facts: written.facts,
                stories: written.stories,
            });
        }
        self.progress.file_read();
        let as_walked = read_stat.is_none() || read_stat == walked;
        done(if self.library { found } else { Vec::new() }, as_walked)
    }
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
