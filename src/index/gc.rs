//! Collecting what nothing refers to any more. Headlines and words are
//! stored once and referred to by number from the rows of stories and
//! files; when files change or go, their rows go, but the headlines and
//! words they named stay, and FTS5 keeps deleted stories' entries in its
//! segments until they are merged. Left alone, an index whose stories
//! churn grows without end; so once the stories deleted since the last
//! collection reach a tenth of those there are, the unreferenced rows are
//! deleted, the full-text index is merged into one segment, and the file
//! is written again without its free pages and half-empty ones (VACUUM):
//! seconds at 100,000 stories, once in a tenth of them changing.

use rusqlite::Connection;
use rustc_hash::FxHashSet;

use super::records::{FileFacts, StoryFacts, decode, decode_words};
use super::schema;

/// Collects when the stories deleted since the last collection are at
/// least this many and a tenth of the stories there are.
const MIN_GARBAGE: i64 = 100;

/// Whether enough was deleted since the last collection.
pub fn due(conn: &Connection) -> rusqlite::Result<bool> {
    let (garbage, live): (i64, i64) =
        conn.query_row(schema::GARBAGE, [], |row| Ok((row.get(0)?, row.get(1)?)))?;
    Ok(garbage >= MIN_GARBAGE && garbage * 10 >= live)
}

/// Collects if it is [`due`]. Call under the writers' lock, outside a
/// transaction.
pub fn collect_if_due(conn: &Connection) -> rusqlite::Result<()> {
    if due(conn)? {
        collect(conn)?;
    }
    Ok(())
}

/// Deletes the headlines and words no story or file refers to, merges
/// the full-text index, and shrinks the file.
pub fn collect(conn: &Connection) -> rusqlite::Result<()> {
    let mut headlines = FxHashSet::default();
    let mut words = FxHashSet::default();
    {
        let mut stories = conn.prepare(schema::SELECT_STORY_REFERENCES)?;
        let mut rows = stories.query([])?;
        while let Some(row) = rows.next()? {
            // A row that cannot be decoded is read again from its file
            // (see `stored_pieces`), and then refers to what it needs anew.
            if let Ok(facts) = decode::<StoryFacts>(row.get_ref(0)?.as_blob()?) {
                headlines.extend(facts.title_headline);
                headlines.extend(facts.related.iter().map(|h| h.id));
            }
            if let Ok(ids) = decode_words(row.get_ref(1)?.as_blob()?) {
                words.extend(ids);
            }
        }
        let mut files = conn.prepare(schema::SELECT_FILE_FACTS)?;
        let mut rows = files.query([])?;
        while let Some(row) = rows.next()? {
            if let Ok(facts) = decode::<FileFacts>(row.get_ref(0)?.as_blob()?) {
                headlines.extend(facts.loose.iter().map(|h| h.id));
            }
        }
    }
    conn.execute_batch("BEGIN IMMEDIATE")?;
    delete_unreferenced(
        conn,
        schema::HEADLINE_IDS,
        schema::DELETE_HEADLINE,
        &headlines,
    )?;
    delete_unreferenced(conn, schema::WORD_IDS, schema::DELETE_WORD, &words)?;
    conn.execute_batch(schema::RESET_GARBAGE)?;
    conn.execute_batch("COMMIT")?;
    conn.execute_batch(schema::MERGE_TEXT)?;
    conn.execute_batch("VACUUM; PRAGMA wal_checkpoint(TRUNCATE)")
}

fn delete_unreferenced(
    conn: &Connection,
    all: &str,
    delete: &str,
    referenced: &FxHashSet<u32>,
) -> rusqlite::Result<()> {
    let unreferenced: Vec<u32> = conn
        .prepare(all)?
        .query_map([], |row| row.get(0))?
        .filter(|id| id.as_ref().map_or(true, |id| !referenced.contains(id)))
        .collect::<rusqlite::Result<_>>()?;
    let mut statement = conn.prepare(delete)?;
    for id in unreferenced {
        statement.execute([id])?;
    }
    Ok(())
}
