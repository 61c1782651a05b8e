//! The `libraries` table: for each set of paths opened, the library last
//! built from them and the walk it was built from, kept for next time.

use std::os::unix::ffi::OsStrExt;
use std::path::PathBuf;

use rusqlite::{Connection, params};

use super::plan::now_nanos;
use super::records::encode;
use super::walked::Walk;
use super::{Problem, schema, snapshot};
use crate::model::{Growth, Library};

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
pub(super) fn stored_walk(
    conn: &Connection,
    id: i64,
) -> rusqlite::Result<rusqlite::blob::Blob<'_>> {
    conn.blob_open(rusqlite::MAIN_DB, "libraries", "walk", id, true)
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
