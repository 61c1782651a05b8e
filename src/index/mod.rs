//! The index on disk: a cache of everything loading a library derives from
//! its files, in SQLite, one file shared by every library a user opens. A
//! library whose files are as they were opens without reading them, a few
//! changed files are read alone, and full-text search runs on FTS5. It is
//! only a cache: tidings gives the same answers without it, and deleting
//! it costs only time.
//!
//! Writers take a lock file beside the database, one at a time; readers
//! never wait (SQLite's write-ahead log).

mod fill;
pub mod fts;
mod gc;
mod grow;
mod ids;
mod libraries;
mod open;
mod pending;
mod pieces;
mod plan;
mod records;
mod refresh;
mod rows;
mod schema;
mod snapshot;
mod walked;
mod write;

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags};

pub use fill::missing_rows;
pub use open::{Opened, open_library};
pub use pending::{Background, Done, Pending};
pub use plan::Mode;
pub use walked::Walk;

/// Marks a database as a tidings index (SQLite's `application_id`).
const APPLICATION_ID: i32 = 0x7469_646e;
/// How long a statement waits on another process's write before failing.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Which index a command uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    /// `$XDG_CACHE_HOME/tidings/index.sqlite`.
    Default,
    /// `--index FILE`.
    File(PathBuf),
    /// `--no-index`: load every file, as without an index.
    Off,
}

impl Choice {
    pub fn path(&self) -> Option<PathBuf> {
        match self {
            Choice::Default => crate::paths::index_file(),
            Choice::File(path) => Some(path.clone()),
            Choice::Off => None,
        }
    }
}

/// Why an index cannot be used; said in one line, after the index's path.
#[derive(Debug, thiserror::Error)]
pub enum Problem {
    #[error("cannot be used ({0}); running without it")]
    Unusable(String),
    #[error("not a tidings index ({0}); left as it is, running without it")]
    Foreign(&'static str),
    #[error("{}", sqlite_in_words(.0))]
    Sqlite(#[from] rusqlite::Error),
}

impl Problem {
    /// What went wrong, without what tidings does about it.
    pub fn cause(&self) -> String {
        match self {
            Problem::Sqlite(e) => e.to_string(),
            Problem::Unusable(why) => why.clone(),
            Problem::Foreign(what) => (*what).to_owned(),
        }
    }

    /// The database itself is damaged: it can be thrown away and rebuilt.
    pub fn is_damage(&self) -> bool {
        match self {
            Problem::Sqlite(e) => matches!(
                e.sqlite_error_code(),
                Some(ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase)
            ),
            _ => false,
        }
    }
}

fn sqlite_in_words(e: &rusqlite::Error) -> String {
    match e.sqlite_error_code() {
        Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => {
            format!("cannot be written ({e}); running without it")
        }
        Some(ErrorCode::DiskFull) => "the disk is full; running without it".into(),
        _ => format!("cannot be used ({e}); running without it"),
    }
}

/// An open index.
pub struct Index {
    conn: Connection,
    path: PathBuf,
}

impl Index {
    /// Opens the index at `path`, making it (and its folder) if needed. An
    /// index that is damaged or from another version is rebuilt, and the
    /// note says so; a file that is not a tidings index is never touched.
    pub fn open(path: &Path) -> Result<(Index, Option<String>), Problem> {
        if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(folder)
                .map_err(|e| Problem::Unusable(crate::io_error::in_words(&e)))?;
        }
        let note = match inspect(path)? {
            Found::Usable => None,
            Found::Truncated => {
                remove(path);
                Some("damaged (shorter than it says it is); rebuilt".to_owned())
            }
        };
        let conn = connect(path)?;
        // One statement, so one snapshot: another tidings creating the
        // index at this moment is seen before or after, never half done.
        let (application, version, tables): (i32, i64, i64) = conn.query_row(
            "SELECT application_id, user_version, (SELECT count(*) FROM sqlite_master) \
             FROM pragma_application_id, pragma_user_version",
            [],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )?;
        let index = Index {
            conn,
            path: path.to_owned(),
        };
        match (application, version) {
            (APPLICATION_ID, schema::VERSION) => Ok((index, note)),
            (APPLICATION_ID, _) => {
                drop(index);
                remove(path);
                let index = Index::create(path)?;
                Ok((
                    index,
                    Some("made by another version of tidings; rebuilt".into()),
                ))
            }
            (0, _) if tables == 0 => {
                drop(index);
                Ok((Index::create(path)?, note))
            }
            _ => Err(Problem::Foreign("a database of another program")),
        }
    }

    /// Makes the tables, unless another process just did.
    fn create(path: &Path) -> Result<Index, Problem> {
        let conn = connect(path)?;
        use_wal(&conn)?;
        conn.execute_batch("BEGIN IMMEDIATE")?;
        let application: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
        if application != APPLICATION_ID {
            conn.execute_batch(schema::CREATE)?;
            conn.pragma_update(None, "application_id", APPLICATION_ID)?;
            conn.pragma_update(None, "user_version", schema::VERSION)?;
        }
        conn.execute_batch("COMMIT")?;
        Ok(Index {
            conn,
            path: path.to_owned(),
        })
    }

    /// The lock only one writer holds at a time; None while another
    /// process holds it.
    fn try_lock(&self) -> Result<Option<File>, Problem> {
        let file = self.lock_file()?;
        match file.try_lock() {
            Ok(()) => Ok(Some(file)),
            Err(std::fs::TryLockError::WouldBlock) => Ok(None),
            Err(std::fs::TryLockError::Error(e)) => {
                Err(Problem::Unusable(crate::io_error::in_words(&e)))
            }
        }
    }

    /// The writers' lock, waiting for it.
    fn lock(&self) -> Result<File, Problem> {
        let file = self.lock_file()?;
        file.lock()
            .map_err(|e| Problem::Unusable(crate::io_error::in_words(&e)))?;
        Ok(file)
    }

    fn lock_file(&self) -> Result<File, Problem> {
        let mut name = self.path.clone().into_os_string();
        name.push(".lock");
        std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(name)
            .map_err(|e| Problem::Unusable(crate::io_error::in_words(&e)))
    }
}

/// Puts the database in WAL mode. Another process making the index at the
/// same moment makes SQLite answer "busy" at once (its busy handler does
/// not wait for a change of journal mode), so it is tried again for a
/// while.
fn use_wal(conn: &Connection) -> rusqlite::Result<()> {
    let deadline = std::time::Instant::now() + BUSY_TIMEOUT;
    loop {
        match conn.pragma_update(None, "journal_mode", "WAL") {
            Err(e)
                if e.sqlite_error_code() == Some(ErrorCode::DatabaseBusy)
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(10));
            }
            done => return done,
        }
    }
}

/// A connection for full-text search in an index opened before.
pub fn open_for_search(path: &Path) -> Result<Connection, Problem> {
    connect(path)
}

fn connect(path: &Path) -> Result<Connection, Problem> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(BUSY_TIMEOUT)?;
    // A crash loses at most the last transactions, never the index's
    // consistency; what is lost is read again next time.
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    fts::register(&conn)?;
    Ok(conn)
}

/// What the file at an index's path looks like before SQLite opens it.
enum Found {
    /// Missing, empty, or an SQLite database as long as it says it is.
    Usable,
    /// A tidings index shorter than its header says: cut off.
    Truncated,
}

fn inspect(path: &Path) -> Result<Found, Problem> {
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Found::Usable),
        Err(e) => return Err(Problem::Unusable(crate::io_error::in_words(&e))),
    };
    let len = file
        .metadata()
        .map_err(|e| Problem::Unusable(crate::io_error::in_words(&e)))?
        .len();
    if len == 0 {
        return Ok(Found::Usable);
    }
    let mut header = [0u8; 100];
    if file.read_exact(&mut header).is_err() || !header.starts_with(b"SQLite format 3\0") {
        return Err(Problem::Foreign("not an SQLite database"));
    }
    let be32 = |at: usize| {
        u32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
    };
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65_536,
        size => u64::from(size),
    };
    // The page count is valid when the "version valid for" number matches
    // the change counter (SQLite's file format, section 1.3).
    let pages = u64::from(be32(28));
    let ours = be32(68) == APPLICATION_ID as u32;
    if ours && be32(92) == be32(24) && page_size * pages > len {
        return Ok(Found::Truncated);
    }
    Ok(Found::Usable)
}

/// Removes the index and its write-ahead log; what cannot be removed will
/// fail to open and be reported then.
fn remove(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(name);
    }
}
