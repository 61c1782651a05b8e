//! The writing thread. Everything a sync stores goes through one thread,
//! fed by the threads that parse, in transactions of a few megabytes of
//! full text, so that a process killed half-way leaves whole files behind.
//!
//! Two things keep FTS5 from writing many small segments (and merging them
//! later at a cost): rows come with increasing numbers, so stories are
//! numbered here in the order they are written; and no statement opens a
//! savepoint (no UPSERT, no RETURNING), which would make it write out what
//! it holds. Bulk writes also skip checkpoints until the end.

use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use rusqlite::{Connection, params};

use super::ids::Ids;
use super::schema;
use crate::load::FileStat;

/// Full text written per transaction, in bytes: within what FTS5 keeps
/// in memory before writing a segment (`hashsize` in [`schema::CREATE`]).
const BATCH_BYTES: usize = 24 << 20;
/// ...and at least this often, so that a process killed part way keeps
/// all but its last moment of work, and the next run goes on from there
/// (rows without text are small: a build without it would otherwise be
/// one transaction). Each commit makes FTS5 write a segment, to be merged
/// later; at this pace building 100,000 stories took no longer
/// (BENCHMARKS.md).
const BATCH_TIME: Duration = Duration::from_millis(250);

/// What one changed file gives the writer.
pub struct FileWrite {
    /// Its place in the walk.
    pub position: usize,
    /// Its absolute path.
    pub path: Vec<u8>,
    pub stat: FileStat,
    pub settled: bool,
    pub facts: Vec<u8>,
    pub stories: Vec<StoryWrite>,
}

pub struct StoryWrite {
    pub article: u32,
    pub facts: Vec<u8>,
    pub words: Vec<u8>,
    /// For the full-text table, when it is wanted now.
    pub text: Option<SearchText>,
}

/// A story's tokens for the full-text table, separated by spaces.
pub struct SearchText {
    pub body: String,
    pub title: String,
}

impl SearchText {
    fn len(&self) -> usize {
        self.body.len() + self.title.len()
    }
}

/// Transactions of about [`BATCH_BYTES`] of text, with bulk settings on
/// while they last.
struct Batches<'a> {
    conn: &'a Connection,
    bytes: usize,
    began: Instant,
}

impl<'a> Batches<'a> {
    /// The page cache stays small (4 MB): bulk writes fill new pages,
    /// which a larger cache only holds on to (64 MB cost the reader 60 MB
    /// at its peak while filling text, and saved no time: BENCHMARKS.md).
    fn begin(conn: &'a Connection) -> rusqlite::Result<Self> {
        conn.execute_batch(
            "PRAGMA cache_size = -4096; PRAGMA wal_autocheckpoint = 0; BEGIN IMMEDIATE",
        )?;
        Ok(Batches {
            conn,
            bytes: 0,
            began: Instant::now(),
        })
    }

    /// Counts `bytes` written; commits (after `before_commit`) when a
    /// batch is full.
    fn wrote(
        &mut self,
        bytes: usize,
        before_commit: impl FnOnce() -> rusqlite::Result<()>,
    ) -> rusqlite::Result<()> {
        self.bytes += bytes;
        if self.bytes >= BATCH_BYTES || self.began.elapsed() >= BATCH_TIME {
            before_commit()?;
            self.conn.execute_batch("COMMIT; BEGIN IMMEDIATE")?;
            self.bytes = 0;
            self.began = Instant::now();
        }
        Ok(())
    }

    fn end(self) -> rusqlite::Result<()> {
        self.conn.execute_batch(
            "COMMIT; PRAGMA wal_checkpoint(TRUNCATE); PRAGMA wal_autocheckpoint = 1000; \
             PRAGMA cache_size = -2000",
        )
    }
}

/// Writes changed files' rows, then deletes the vanished files' rows.
/// Gives the number of each file's first story, by the file's place in the
/// walk.
pub fn write(
    conn: &Connection,
    files: Receiver<FileWrite>,
    vanished: &[i64],
    ids: &Ids,
    mut next_row: i64,
) -> rusqlite::Result<Vec<(usize, i64)>> {
    let mut rows = Vec::new();
    let mut batches = Batches::begin(conn)?;
    for file in files {
        rows.push((file.position, next_row));
        write_file(conn, &file, next_row)?;
        next_row += file.stories.len() as i64;
        let bytes = file
            .stories
            .iter()
            .map(|s| s.text.as_ref().map_or(0, SearchText::len) + s.facts.len())
            .sum();
        batches.wrote(bytes, || write_ids(conn, ids))?;
    }
    for &file in vanished {
        delete_file(conn, file)?;
    }
    write_ids(conn, ids)?;
    batches.end()?;
    Ok(rows)
}

/// Writes stories' full text, by their rows (in increasing order), and
/// marks them searchable, just before each commit (an update among the
/// inserts might make FTS5 write out what it holds).
pub fn write_texts(
    conn: &Connection,
    texts: Receiver<Vec<(i64, SearchText)>>,
) -> rusqlite::Result<()> {
    let mut batches = Batches::begin(conn)?;
    let mut written = Vec::new();
    let mark = |written: &mut Vec<i64>| -> rusqlite::Result<()> {
        let mut update = conn.prepare_cached(schema::MARK_SEARCHABLE)?;
        for row in written.drain(..) {
            update.execute([row])?;
        }
        Ok(())
    };
    for chunk in texts {
        for (row, text) in chunk {
            conn.prepare_cached(schema::INSERT_TEXT)?
                .execute(params![row, text.body, text.title])?;
            written.push(row);
            batches.wrote(text.len(), || mark(&mut written))?;
        }
    }
    mark(&mut written)?;
    batches.end()
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
        let searchable = s.text.is_some();
        story.execute(params![row, id, s.article, searchable, s.facts, s.words])?;
        if let Some(search) = &s.text {
            text.execute(params![row, search.body, search.title])?;
        }
    }
    Ok(())
}

/// Deletes a file's rows: its stories', and their full text where it was
/// written.
fn delete_file(conn: &Connection, file: i64) -> rusqlite::Result<()> {
    let rows: Vec<(i64, bool)> = conn
        .prepare_cached(schema::STORIES_OF_FILE)?
        .query_map([file], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for &(row, searchable) in &rows {
        if searchable {
            conn.prepare_cached(schema::DELETE_TEXT)?.execute([row])?;
        }
        conn.prepare_cached(schema::DELETE_STORY)?.execute([row])?;
    }
    conn.prepare_cached(schema::DELETE_FILE)?.execute([file])?;
    conn.prepare_cached(schema::ADD_GARBAGE)?
        .execute([rows.len() as i64])?;
    Ok(())
}

/// Stores the headlines and words numbered since the last call.
fn write_ids(conn: &Connection, ids: &Ids) -> rusqlite::Result<()> {
    let new = ids.take_new();
    let mut insert = conn.prepare_cached(schema::INSERT_HEADLINE)?;
    for (id, key, text) in new.headlines {
        insert.execute(params![id, key.to_le_bytes(), &*text])?;
    }
    let mut insert = conn.prepare_cached(schema::INSERT_WORD)?;
    for (id, hash) in new.words {
        insert.execute(params![id, hash as i64])?;
    }
    Ok(())
}
