//! The index's tables and every statement run on them, in one place.
//!
//! - `files`: one row per story file: what decides whether it changed
//!   (size, times, inode) and what it gave besides stories (headlines of a
//!   headlines-only file, diagnostics).
//! - `stories`: one row per story in a file: everything the loader derived
//!   (id, stated title, headlines, metadata, length) and title inference's
//!   input (the body's distinct words). Its row id is the story's row in
//!   `text`, and is never reused; `searchable` says whether it is there
//!   yet (see `text.rs`).
//! - `headlines`, `words`: the distinct headlines and words the rows refer
//!   to by number, so each is stored once.
//! - `libraries`: per set of paths opened together, the library as last
//!   built (titles inferred, links made) and the walk it was built from
//!   (apart, so that comparing a walk reads only that).
//! - `text`: FTS5 over stated titles and bodies, given the tokens of
//!   [`crate::text::tokens`] separated by spaces, without the text itself.
//! - `garbage`: how many stories' rows were deleted since unreferenced
//!   headlines and words were last collected (see `gc.rs`).

/// Bumped whenever a table or an encoding changes; an index of another
/// version is rebuilt. 3: title inference's units for words beyond Latin
/// (n-grams) and marks kept outside Latin. 4: garbage collected. 5: a
/// library's walk apart from the rest. 6: what a library needs to grow.
/// 8: story clusters (each story's opening terms and cluster).
pub const VERSION: i64 = 8;

// FTS5 keeps new rows in memory until a transaction ends or they pass
// `hashsize` (1 MB by default), then writes them as a segment; segments
// are merged as they pile up. With 32 MB, building 300 MB of text writes a
// few large segments instead of hundreds of small ones. A statement that
// opens a savepoint also makes FTS5 write its rows out: the writes here
// use none (no UPSERT, no RETURNING).
//
// The body is the first column: positions in any other column carry a
// column number, two bytes more for every word of every story.

/// Makes the tables in a new, empty database.
pub const CREATE: &str = "
CREATE TABLE files(
    id INTEGER PRIMARY KEY,
    path BLOB NOT NULL UNIQUE,
    size INTEGER NOT NULL,
    modified INTEGER NOT NULL,
    changed INTEGER NOT NULL,
    inode INTEGER NOT NULL,
    settled INTEGER NOT NULL,
    facts BLOB NOT NULL
);
CREATE TABLE stories(
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    file INTEGER NOT NULL,
    article INTEGER NOT NULL,
    searchable INTEGER NOT NULL,
    facts BLOB NOT NULL,
    words BLOB NOT NULL
);
CREATE INDEX stories_by_file ON stories(file);
CREATE INDEX stories_without_text ON stories(id) WHERE searchable = 0;
CREATE TABLE headlines(
    id INTEGER PRIMARY KEY,
    key BLOB NOT NULL UNIQUE,
    text TEXT NOT NULL
);
CREATE TABLE words(
    id INTEGER PRIMARY KEY,
    hash INTEGER NOT NULL
);
CREATE TABLE libraries(
    id INTEGER PRIMARY KEY,
    roots BLOB NOT NULL UNIQUE,
    used INTEGER NOT NULL,
    walk BLOB NOT NULL,
    snapshot BLOB NOT NULL,
    growth BLOB NOT NULL
);
CREATE VIRTUAL TABLE text USING fts5(
    body, title,
    tokenize = 'ascii',
    content = '',
    contentless_delete = 1,
    detail = full
);
INSERT INTO text(text, rank) VALUES ('hashsize', 33554432);
CREATE TABLE garbage(stories INTEGER NOT NULL);
INSERT INTO garbage(stories) VALUES (0);
";

pub const GARBAGE: &str = "SELECT stories, (SELECT count(*) FROM stories) FROM garbage";
pub const ADD_GARBAGE: &str = "UPDATE garbage SET stories = stories + ?1";
pub const RESET_GARBAGE: &str = "UPDATE garbage SET stories = 0";
pub const SELECT_STORY_REFERENCES: &str = "SELECT facts, words FROM stories";
pub const SELECT_FILE_FACTS: &str = "SELECT facts FROM files";
pub const HEADLINE_IDS: &str = "SELECT id FROM headlines";
pub const WORD_IDS: &str = "SELECT id FROM words";
pub const DELETE_HEADLINE: &str = "DELETE FROM headlines WHERE id = ?1";
pub const DELETE_WORD: &str = "DELETE FROM words WHERE id = ?1";
/// One segment, without the entries of deleted stories.
pub const MERGE_TEXT: &str = "INSERT INTO text(text) VALUES ('optimize')";

pub const SELECT_FILES: &str =
    "SELECT id, path, size, modified, changed, inode, settled, facts FROM files";
pub const SELECT_STORIES: &str = "SELECT id, file, article, facts, words FROM stories";
pub const SELECT_HEADLINES: &str = "SELECT id, key, text FROM headlines";
pub const SELECT_WORDS: &str = "SELECT id, hash FROM words";
pub const MAX_STORY_ROW: &str =
    "SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = 'stories'";

pub const INSERT_FILE: &str = "
INSERT INTO files(path, size, modified, changed, inode, settled, facts)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
pub const FILE_ID: &str = "SELECT id FROM files WHERE path = ?1";
pub const STORIES_OF_FILE: &str = "SELECT id, searchable FROM stories WHERE file = ?1";
pub const DELETE_STORY: &str = "DELETE FROM stories WHERE id = ?1";
pub const DELETE_TEXT: &str = "DELETE FROM text WHERE rowid = ?1";
pub const DELETE_FILE: &str = "DELETE FROM files WHERE id = ?1";
pub const INSERT_STORY: &str = "
INSERT INTO stories(id, file, article, searchable, facts, words)
VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
pub const MARK_SEARCHABLE: &str = "UPDATE stories SET searchable = 1 WHERE id = ?1";
pub const ANY_UNSEARCHABLE: &str = "SELECT EXISTS (SELECT 1 FROM stories WHERE searchable = 0)";
pub const UNSEARCHABLE_ROWS: &str = "SELECT id FROM stories WHERE searchable = 0";
pub const UNSEARCHABLE_PATHS: &str = "
SELECT f.path FROM stories AS s JOIN files AS f ON f.id = s.file WHERE s.searchable = 0";
pub const UNSEARCHABLE_STORIES: &str = "
SELECT s.id, s.article, s.facts, f.path
FROM stories AS s JOIN files AS f ON f.id = s.file
WHERE s.searchable = 0 AND s.id > ?1 ORDER BY s.id LIMIT ?2";
pub const INSERT_TEXT: &str = "INSERT INTO text(rowid, body, title) VALUES (?1, ?2, ?3)";
pub const INSERT_HEADLINE: &str = "INSERT INTO headlines(id, key, text) VALUES (?1, ?2, ?3)";
pub const INSERT_WORD: &str = "INSERT INTO words(id, hash) VALUES (?1, ?2)";

/// A library's row and walk; its library is read in pieces (blob I/O).
pub const SELECT_SNAPSHOT: &str = "SELECT id, walk FROM libraries WHERE roots = ?1";
/// The row of the library of a set of paths, whose walk and library are
/// read in pieces.
pub const SELECT_LIBRARY: &str = "SELECT id FROM libraries WHERE roots = ?1";
pub const UPSERT_SNAPSHOT: &str = "
INSERT INTO libraries(roots, used, walk, snapshot, growth) VALUES (?1, ?2, ?3, ?4, ?5)
ON CONFLICT(roots) DO UPDATE SET
    used = excluded.used, walk = excluded.walk, snapshot = excluded.snapshot,
    growth = excluded.growth";
/// What a library needs to grow (see `model::growth`).
pub const SELECT_GROWTH: &str = "SELECT growth FROM libraries WHERE id = ?1";
/// What growing a library reads of an old story.
pub const SELECT_STORY: &str = "SELECT facts, words FROM stories WHERE id = ?1";
/// Libraries opened long ago go, so that one-off runs on single files do
/// not pile up; the most recently used ones stay.
pub const FORGET_OLD_LIBRARIES: &str =
    "DELETE FROM libraries WHERE id NOT IN (SELECT id FROM libraries ORDER BY used DESC LIMIT 16)";
