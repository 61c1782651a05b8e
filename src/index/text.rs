//! The full text of stories stored without it. `check` and `list` never
//! read story text, so when they meet new files they store everything but
//! the full text, which would cost as much again. The first search that
//! needs it (or the reader, in the background) fills it in here, reading
//! those files once more.

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::sync::mpsc::sync_channel;

use rayon::prelude::*;
use rusqlite::Connection;
use rustc_hash::FxHashSet;

use super::pieces::search_text;
use super::records::{StoryFacts, decode};
use super::write::write_texts;
use super::{Problem, schema};
use crate::load::{self, Progress};

/// Stories read per step: in parallel, then handed to the writer in order.
const CHUNK: usize = 256;

/// Whether any story in the index lacks its full text.
pub fn any_missing(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row(schema::ANY_UNSEARCHABLE, [], |row| row.get(0))
}

/// The rows of stories that lack their full text.
pub fn missing_rows(conn: &Connection) -> rusqlite::Result<Vec<i64>> {
    conn.prepare_cached(schema::UNSEARCHABLE_ROWS)?
        .query_map([], |row| row.get(0))?
        .collect()
}

/// Fills in the full text of the stories, in the files with these
/// absolute paths, that lack it. Call under the writers' lock.
pub fn fill(
    conn: &mut Connection,
    paths: &FxHashSet<&[u8]>,
    progress: &Progress,
) -> Result<(), Problem> {
    // Each story's path is the one in `paths`, not a copy of its own.
    let mut missing: Vec<(i64, &[u8], u32, Option<String>)> = Vec::new();
    {
        let mut statement = conn.prepare(schema::UNSEARCHABLE_STORIES)?;
        let mut rows = statement.query([])?;
        while let Some(row) = rows.next()? {
            let blob = |column| row.get_ref(column).and_then(|v| Ok(v.as_blob()?));
            let Some(&path) = paths.get(blob(3)?) else {
                continue;
            };
            let facts = blob(2)?;
            let title = decode::<StoryFacts>(facts).ok().and_then(|f| f.title);
            missing.push((row.get(0)?, path, row.get(1)?, title));
        }
    }
    if missing.is_empty() {
        return Ok(());
    }
    missing.sort_unstable_by_key(|m| m.0);
    // What loading the library freed goes back before the writing takes
    // its own: the peak is then the library and one batch.
    crate::background::return_freed_memory();
    progress.start_reading(missing.len());
    let (sender, receiver) = sync_channel(4);
    std::thread::scope(|scope| {
        let writer = scope.spawn(move || write_texts(conn, receiver));
        for chunk in missing.chunks(CHUNK) {
            if progress.stopping() {
                break;
            }
            let texts = chunk
                .par_iter()
                .map(|(row, path, article, title)| {
                    // A file that cannot be read now gives no words, as it
                    // would to a search without the index.
                    let path = Path::new(OsStr::from_bytes(path));
                    let paragraphs =
                        load::read_paragraphs(path, *article as usize).unwrap_or_default();
                    progress.file_read();
                    (*row, search_text(title.as_deref(), &paragraphs))
                })
                .collect();
            if sender.send(texts).is_err() {
                break;
            }
        }
        drop(sender);
        match writer.join() {
            Ok(outcome) => outcome.map_err(Problem::from),
            Err(_) => Err(Problem::Unusable("writing it failed".into())),
        }
    })
}
