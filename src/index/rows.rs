//! Everything the index holds about files, read at once under the writers'
//! lock when a library must be rebuilt.

use std::sync::Arc;

use rusqlite::Connection;
use rustc_hash::FxHashMap;

use super::schema;
use crate::load::FileStat;

pub struct IndexRows {
    /// By absolute path.
    pub files: FxHashMap<Vec<u8>, FileRow>,
    /// By file row.
    pub stories: FxHashMap<i64, Vec<StoryRow>>,
    /// By number: key and text.
    pub headlines: Vec<Option<(u128, Arc<str>)>>,
    /// By number: the word's hash.
    pub words: Vec<u64>,
    /// The highest story row ever given (rows are never reused).
    pub last_story: i64,
}

pub struct FileRow {
    pub id: i64,
    pub stat: FileStat,
    /// Old enough when read to trust its stat (see `plan::SETTLE_NANOS`).
    pub settled: bool,
    pub facts: Vec<u8>,
}

pub struct StoryRow {
    pub row: i64,
    pub article: u32,
    pub facts: Vec<u8>,
    pub words: Vec<u8>,
}

impl IndexRows {
    pub fn read(conn: &Connection) -> rusqlite::Result<IndexRows> {
        let mut rows = IndexRows::numbers(conn)?;
        rows.files = IndexRows::files(conn)?;
        rows.stories = IndexRows::stories(conn)?;
        Ok(rows)
    }

    /// Only the numbers of headlines and words and the last story row:
    /// what reading and writing new files needs.
    pub fn numbers(conn: &Connection) -> rusqlite::Result<IndexRows> {
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
        Ok(IndexRows {
            files: FxHashMap::default(),
            stories: FxHashMap::default(),
            headlines,
            words,
            last_story,
        })
    }

    fn files(conn: &Connection) -> rusqlite::Result<FxHashMap<Vec<u8>, FileRow>> {
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
        Ok(files)
    }

    fn stories(conn: &Connection) -> rusqlite::Result<FxHashMap<i64, Vec<StoryRow>>> {
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
        Ok(stories)
    }
}
