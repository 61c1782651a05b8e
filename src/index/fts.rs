//! Full-text search in the index. FTS5 finds the stories holding a query's
//! words; an auxiliary function, `tidings_counts`, says how often each word
//! and the whole phrase stand in each, so that ranking can be done from the
//! same counts as for stories in memory (see `search::rank`).
//!
//! The function is written against SQLite's C interface, which rusqlite
//! does not wrap for FTS5; the unsafe code is kept to this file.

use std::ffi::{c_int, c_void};

use rusqlite::{Connection, ffi};

/// One token of a query: its text and whether it is a prefix.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct QueryToken {
    pub text: String,
    pub prefix: bool,
}

/// A query as the index answers it: every word must be present (a word is
/// one or more tokens in a row), and how often the phrase of all the words
/// stands is counted.
#[derive(Debug, Clone, Default)]
pub struct MatchQuery {
    pub words: Vec<Vec<QueryToken>>,
    pub phrase: Option<Vec<QueryToken>>,
}

/// A story holding every word, by its row, with the counts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub row: i64,
    pub words: Vec<u32>,
    pub phrase: u32,
}

impl MatchQuery {
    /// The FTS5 expression: each word, all of them required, then the
    /// phrase or again the first word, so that the phrase is counted without
    /// being required. Phrases are numbered in that order.
    fn expression(&self) -> String {
        let words: Vec<String> = self.words.iter().map(|w| phrase(w)).collect();
        let mut expression = words.join(" AND ");
        if let (Some(all), Some(first)) = (&self.phrase, words.first()) {
            expression = format!("{expression} AND ({} OR {first})", phrase(all));
        }
        expression
    }
}

/// Tokens in a row as an FTS5 phrase: `"rail strike"`; a prefix token ends
/// its string with `*`, and strings are joined with `+`, as in
/// `"strik" * + "deal"`.
fn phrase(tokens: &[QueryToken]) -> String {
    let mut out = String::new();
    let mut current: Vec<&str> = Vec::new();
    let flush = |out: &mut String, current: &mut Vec<&str>, prefix: bool| {
        if current.is_empty() {
            return;
        }
        if !out.is_empty() {
            out.push_str(" + ");
        }
        out.push('"');
        out.push_str(&current.join(" ").replace('"', "\"\""));
        out.push('"');
        if prefix {
            out.push_str(" *");
        }
        current.clear();
    };
    for QueryToken { text, prefix } in tokens {
        current.push(text);
        if *prefix {
            flush(&mut out, &mut current, true);
        }
    }
    flush(&mut out, &mut current, false);
    out
}

/// Every story holding all the words, with its counts, calling `keep` on
/// each row first (it answers whether the row belongs to the library being
/// searched) and `cancelled` now and then.
pub fn find(
    conn: &Connection,
    query: &MatchQuery,
    keep: impl Fn(i64) -> bool,
    cancelled: &dyn Fn() -> bool,
) -> rusqlite::Result<Option<Vec<Found>>> {
    let words = query.words.len();
    let mut statement =
        conn.prepare_cached("SELECT rowid, tidings_counts(text) FROM text WHERE text MATCH ?1")?;
    let mut rows = statement.query([query.expression()])?;
    let mut found = Vec::new();
    let mut seen = 0u32;
    while let Some(row) = rows.next()? {
        seen = seen.wrapping_add(1);
        if seen.is_multiple_of(1024) && cancelled() {
            return Ok(None);
        }
        let id: i64 = row.get(0)?;
        if !keep(id) {
            continue;
        }
        let counts: Vec<u32> = row
            .get_ref(1)?
            .as_blob()?
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        found.push(Found {
            row: id,
            words: counts.iter().take(words).copied().collect(),
            phrase: if query.phrase.is_some() {
                counts.get(words).copied().unwrap_or(0)
            } else {
                0
            },
        });
    }
    Ok(Some(found))
}

/// The rows holding one word (for how many stories of the library hold
/// it).
pub fn rows_holding(
    conn: &Connection,
    word: &[QueryToken],
    mut each: impl FnMut(i64),
) -> rusqlite::Result<()> {
    let mut statement = conn.prepare_cached("SELECT rowid FROM text WHERE text MATCH ?1")?;
    let mut rows = statement.query([phrase(word)])?;
    while let Some(row) = rows.next()? {
        each(row.get(0)?);
    }
    Ok(())
}

/// Makes `tidings_counts` known to this connection.
pub fn register(conn: &Connection) -> rusqlite::Result<()> {
    let api = fts5_api(conn)?;
    // SAFETY: `api` is the live FTS5 API of this connection (checked not
    // null); the name is a C string literal; `counts` matches
    // `fts5_extension_function` and keeps no state.
    let rc = unsafe {
        match (*api).xCreateFunction {
            Some(create) => create(
                api,
                c"tidings_counts".as_ptr(),
                std::ptr::null_mut(),
                Some(counts),
                None,
            ),
            None => ffi::SQLITE_ERROR,
        }
    };
    check(conn, rc)
}

/// The connection's FTS5 API, got the documented way: `SELECT fts5(?1)`
/// with a pointer bound to `?1`.
fn fts5_api(conn: &Connection) -> rusqlite::Result<*mut ffi::fts5_api> {
    let mut api: *mut ffi::fts5_api = std::ptr::null_mut();
    let mut statement: *mut ffi::sqlite3_stmt = std::ptr::null_mut();
    // SAFETY: the handle is this open connection's and is used only while
    // `conn` is borrowed; the statement is finalized before returning; the
    // bound pointer is to `api`, which outlives the statement, and is
    // tagged with the type name FTS5 asks for.
    let rc = unsafe {
        let db = conn.handle();
        let rc = ffi::sqlite3_prepare_v2(
            db,
            c"SELECT fts5(?1)".as_ptr(),
            -1,
            &mut statement,
            std::ptr::null_mut(),
        );
        if rc == ffi::SQLITE_OK {
            ffi::sqlite3_bind_pointer(
                statement,
                1,
                (&mut api as *mut *mut ffi::fts5_api).cast::<c_void>(),
                c"fts5_api_ptr".as_ptr(),
                None,
            );
            ffi::sqlite3_step(statement);
        }
        ffi::sqlite3_finalize(statement);
        rc
    };
    check(conn, rc)?;
    if api.is_null() {
        return Err(rusqlite::Error::SqliteFailure(
            ffi::Error::new(ffi::SQLITE_ERROR),
            Some("FTS5 is not available".into()),
        ));
    }
    Ok(api)
}

fn check(conn: &Connection, rc: c_int) -> rusqlite::Result<()> {
    if rc == ffi::SQLITE_OK {
        return Ok(());
    }
    // SAFETY: the handle is this open connection's.
    let message = unsafe {
        let text = ffi::sqlite3_errmsg(conn.handle());
        (!text.is_null()).then(|| {
            std::ffi::CStr::from_ptr(text)
                .to_string_lossy()
                .into_owned()
        })
    };
    Err(rusqlite::Error::SqliteFailure(ffi::Error::new(rc), message))
}

/// `tidings_counts(text)`: for the current row, how many times each phrase
/// of the query stands in it, as little-endian 32-bit numbers in phrase
/// order.
unsafe extern "C" fn counts(
    api: *const ffi::Fts5ExtensionApi,
    fts: *mut ffi::Fts5Context,
    context: *mut ffi::sqlite3_context,
    _argc: c_int,
    _argv: *mut *mut ffi::sqlite3_value,
) {
    // SAFETY: FTS5 calls this with its live API and context for the row
    // being visited; the result is copied by SQLite (SQLITE_TRANSIENT)
    // before `bytes` is dropped.
    unsafe {
        let api = &*api;
        let (Some(phrase_count), Some(inst_count), Some(inst)) =
            (api.xPhraseCount, api.xInstCount, api.xInst)
        else {
            ffi::sqlite3_result_error_code(context, ffi::SQLITE_ERROR);
            return;
        };
        let mut counts = vec![0u32; usize::try_from(phrase_count(fts)).unwrap_or(0)];
        let mut instances: c_int = 0;
        let rc = inst_count(fts, &mut instances);
        if rc != ffi::SQLITE_OK {
            ffi::sqlite3_result_error_code(context, rc);
            return;
        }
        for i in 0..instances {
            let (mut phrase, mut column, mut offset): (c_int, c_int, c_int) = (0, 0, 0);
            if inst(fts, i, &mut phrase, &mut column, &mut offset) == ffi::SQLITE_OK
                && let Some(count) = usize::try_from(phrase).ok().and_then(|p| counts.get_mut(p))
            {
                *count += 1;
            }
        }
        let bytes: Vec<u8> = counts.iter().flat_map(|c| c.to_le_bytes()).collect();
        ffi::sqlite3_result_blob(
            context,
            bytes.as_ptr().cast::<c_void>(),
            bytes.len() as c_int,
            ffi::SQLITE_TRANSIENT(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(text: &str, prefix: bool) -> QueryToken {
        QueryToken {
            text: text.to_owned(),
            prefix,
        }
    }

    #[test]
    fn phrases_are_quoted_and_prefixes_split_them() {
        assert_eq!(phrase(&[token("rail", false)]), "\"rail\"");
        assert_eq!(
            phrase(&[token("rail", false), token("strike", false)]),
            "\"rail strike\""
        );
        assert_eq!(
            phrase(&[token("strik", true), token("deal", false)]),
            "\"strik\" * + \"deal\""
        );
        assert_eq!(phrase(&[token("a", false), token("b", true)]), "\"a b\" *");
    }

    #[test]
    fn counts_come_back_per_word_with_the_phrase() {
        let conn = Connection::open_in_memory().unwrap();
        register(&conn).unwrap();
        conn.execute_batch(
            "CREATE VIRTUAL TABLE text USING fts5(title, body, tokenize='ascii', content='', contentless_delete=1);
             INSERT INTO text(rowid, title, body) VALUES
               (1, '', 'rail strike then rail strike again rail'),
               (2, 'rail', 'the strike'),
               (3, '', 'no match here');",
        )
        .unwrap();
        let query = MatchQuery {
            words: vec![vec![token("rail", false)], vec![token("strike", false)]],
            phrase: Some(vec![token("rail", false), token("strike", false)]),
        };
        let mut found = find(&conn, &query, |_| true, &|| false).unwrap().unwrap();
        found.sort_by_key(|f| f.row);
        assert_eq!(
            found,
            [
                Found {
                    row: 1,
                    words: vec![3, 2],
                    phrase: 2
                },
                Found {
                    row: 2,
                    words: vec![1, 1],
                    phrase: 0
                },
            ]
        );
        let mut rows = Vec::new();
        rows_holding(&conn, &[token("strik", true)], |r| rows.push(r)).unwrap();
        rows.sort();
        assert_eq!(rows, [1, 2]);
    }
}
