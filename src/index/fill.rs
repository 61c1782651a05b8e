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
use xxhash_rust::xxh3::xxh3_128;

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

/// The files whose stories [`fill`] fills with their text, by their absolute paths,
/// hashed as headlines are keyed (128 bits): a library's worth is a couple
/// of megabytes however long its paths.
pub struct TextWanted(FxHashSet<u128>);

impl TextWanted {
    pub fn new<'a>(absolute_paths: impl IntoIterator<Item = &'a [u8]>) -> TextWanted {
        TextWanted(absolute_paths.into_iter().map(xxh3_128).collect())
    }

    fn contains(&self, absolute_path: &[u8]) -> bool {
        self.0.contains(&xxh3_128(absolute_path))
    }
}

/// Stories lacking their text read from the index per page: they are
/// never all in memory.
const PAGE: usize = 4096;

/// Fills in the full text of the stories in `files` that lack it. Call
/// under the writers' lock.
pub fn fill(conn: &mut Connection, files: &TextWanted, progress: &Progress) -> Result<(), Problem> {
    let count = {
        let mut statement = conn.prepare(schema::UNSEARCHABLE_PATHS)?;
        let mut rows = statement.query([])?;
        let mut count = 0;
        while let Some(row) = rows.next()? {
            let path = row.get_ref(0).and_then(|v| Ok(v.as_blob()?))?;
            count += usize::from(files.contains(path));
        }
        count
    };
    if count == 0 {
        return Ok(());
    }
    // The pages are read on a connection of their own while this one
    // writes.
    let pages = match conn.path() {
        Some(path) => super::connect(Path::new(path))?,
        None => return Err(Problem::Unusable("no file".into())),
    };
    // What loading the library freed goes back before the writing takes
    // its own: the peak is then the library and one batch.
    crate::background::return_freed_memory();
    progress.start_reading(count);
    let (sender, receiver) = sync_channel(4);
    std::thread::scope(|scope| {
        let writer = scope.spawn(move || write_texts(conn, receiver));
        let mut after = i64::MIN;
        'pages: loop {
            let (page, last) = missing_page(&pages, after, files)?;
            let Some(last) = last else {
                break;
            };
            after = last;
            for chunk in page.chunks(CHUNK) {
                if progress.stopping() {
                    break 'pages;
                }
                let texts = chunk
                    .par_iter()
                    .map(|missing| {
                        // A file that cannot be read now gives no words, as
                        // it would to a search without the index.
                        let path = Path::new(OsStr::from_bytes(&missing.path));
                        let paragraphs = load::read_paragraphs(path, missing.article as usize)
                            .unwrap_or_default();
                        progress.file_read();
                        let title = missing.title.as_deref();
                        (missing.row, search_text(title, &paragraphs))
                    })
                    .collect();
                if sender.send(texts).is_err() {
                    break 'pages;
                }
            }
        }
        drop(sender);
        match writer.join() {
            Ok(outcome) => outcome.map_err(Problem::from),
            Err(_) => Err(Problem::Unusable("writing it failed".into())),
        }
    })
}

/// A story lacking its text.
struct Missing {
    row: i64,
    /// Its file's absolute path.
    path: Vec<u8>,
    /// Its place among the file's articles.
    article: u32,
    /// Its stated title.
    title: Option<String>,
}

/// The next stories after row `after` that lack their text, in `files`,
/// in row order; and the last row looked at, None at the end.
fn missing_page(
    conn: &Connection,
    after: i64,
    files: &TextWanted,
) -> rusqlite::Result<(Vec<Missing>, Option<i64>)> {
    let mut statement = conn.prepare_cached(schema::UNSEARCHABLE_STORIES)?;
    let mut rows = statement.query(rusqlite::params![after, PAGE as i64])?;
    let (mut page, mut last) = (Vec::new(), None);
    while let Some(row) = rows.next()? {
        let id: i64 = row.get(0)?;
        last = Some(id);
        let blob = |column| row.get_ref(column).and_then(|v| Ok(v.as_blob()?));
        let path = blob(3)?;
        if !files.contains(path) {
            continue;
        }
        let title = decode::<StoryFacts>(blob(2)?).ok().and_then(|f| f.title);
        page.push(Missing {
            row: id,
            path: path.to_vec(),
            article: row.get(1)?,
            title,
        });
    }
    Ok((page, last))
}
