//! The loader: from paths (or the bundled stories) to articles and
//! diagnostics. One bad file never stops the load; each gets a diagnostic.

mod article;
mod diagnostic;
pub mod format;
mod load_error;
mod progress;
mod walk;

use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;

use rayon::prelude::*;

pub use article::{Article, Enclosure, Lines, Meta, Parsed};
pub use diagnostic::{Diagnostic, Severity};
pub use load_error::FileError;
pub use progress::{Progress, ProgressReport, Stage};
pub use walk::{FileToLoad, Findings, collect as walk, display, walk as walk_with};

/// Files larger than this are refused unread.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Everything a load produced, in load order.
#[derive(Debug, Default)]
pub struct Loaded {
    pub articles: Vec<Article>,
    pub loose_headlines: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    fn merge(parts: impl IntoIterator<Item = Parsed>) -> Self {
        let mut loaded = Loaded::default();
        for part in parts {
            loaded.articles.extend(part.articles);
            loaded.loose_headlines.extend(part.loose_headlines);
            loaded.diagnostics.extend(part.diagnostics);
        }
        loaded
    }
}

/// Reads and parses every file a walk found in parallel, each thread
/// reading into one buffer of its own. Each file's result goes to `take`,
/// on the thread that parsed it, with the file's place in walk order and
/// some scratch state of that thread's (made by `init`); what `take` makes
/// of it comes back in walk order, whatever the threads' timing. Each file
/// read counts in `progress`.
pub fn load_each<S, T, I>(
    files: Vec<Result<FileToLoad, Diagnostic>>,
    progress: &Progress,
    init: impl Fn() -> S + Sync + Send,
    take: impl Fn(&mut S, usize, Parsed) -> I + Sync + Send,
) -> Vec<T>
where
    T: Send,
    I: IntoIterator<Item = T> + Send,
{
    progress.start_reading(files.len());
    files
        .into_par_iter()
        .enumerate()
        .map_init(
            || (Vec::new(), init()),
            |(buffer, state), (index, entry)| {
                let parsed = match entry {
                    Ok(file) => read_file(&file, buffer).0,
                    Err(diagnostic) => Parsed::from(diagnostic),
                };
                progress.file_read();
                take(state, index, parsed)
            },
        )
        .flat_map_iter(|pieces| pieces)
        .collect()
}

/// What decides whether a file changed since it was indexed: a file whose
/// size, times and inode are all the same is taken to be unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FileStat {
    pub size: u64,
    /// Modification and status-change times, in nanoseconds since the
    /// epoch. The status change catches a permission change, which can
    /// make a file readable without touching its contents.
    pub modified: i64,
    pub changed: i64,
    pub inode: u64,
}

impl FileStat {
    pub fn of(meta: &std::fs::Metadata) -> FileStat {
        use std::os::unix::fs::MetadataExt;
        let nanos = |secs: i64, nsec: i64| secs.saturating_mul(1_000_000_000).saturating_add(nsec);
        FileStat {
            size: meta.size(),
            modified: nanos(meta.mtime(), meta.mtime_nsec()),
            changed: nanos(meta.ctime(), meta.ctime_nsec()),
            inode: meta.ino(),
        }
    }
}

/// The file's stat now, following symbolic links as the walk does.
pub fn stat(path: &std::path::Path) -> std::io::Result<FileStat> {
    std::fs::metadata(path).map(|meta| FileStat::of(&meta))
}

/// Reads and parses one file the walk found, into `buffer`; also says
/// what the file was when it was read (None if it could not be opened).
pub fn read_file(file: &FileToLoad, buffer: &mut Vec<u8>) -> (Parsed, Option<FileStat>) {
    let display = file.display();
    match read_limited(&file.path, buffer) {
        Ok(stat) => (parse_bytes(buffer, &display, file.format), Some(stat)),
        Err((error, stat)) => (
            Parsed::from(Diagnostic::error(&display, error.to_string())),
            stat,
        ),
    }
}

/// The paragraphs of the `article`-th story in the file at `path`, read
/// now: how a story whose text stays on disk is shown.
pub fn read_paragraphs(path: &std::path::Path, article: usize) -> Result<Vec<String>, FileError> {
    read_article(path, article).map(|found| match found.full_text {
        Some(page) => page,
        None => found.paragraphs,
    })
}

/// The `article`-th story in the file at `path`, as it is now.
pub fn read_article(path: &std::path::Path, article: usize) -> Result<Article, FileError> {
    let format = format::for_path(path).ok_or(FileError::NotAStoryFile)?;
    let mut bytes = Vec::new();
    read_limited(path, &mut bytes).map_err(|(error, _)| error)?;
    let parsed = parse_bytes(&bytes, &walk::display(path), format);
    match parsed.articles.into_iter().nth(article) {
        Some(found) => Ok(found),
        None => Err(FileError::StoryGone(
            parsed.diagnostics.into_iter().next().map(|d| d.message),
        )),
    }
}

/// Loads in-memory files given as (display path, contents); the format
/// follows from the path's extension as for files on disk.
pub fn load_sources<'a>(sources: impl IntoIterator<Item = (&'a str, &'a [u8])>) -> Loaded {
    Loaded::merge(sources.into_iter().map(|(path, bytes)| {
        match format::for_path(std::path::Path::new(path)) {
            Some(format) => parse_bytes(bytes, path, format),
            None => Parsed::from(Diagnostic::error(path, "unsupported file type")),
        }
    }))
}

impl From<Diagnostic> for Parsed {
    fn from(diagnostic: Diagnostic) -> Self {
        Parsed {
            diagnostics: vec![diagnostic],
            ..Parsed::default()
        }
    }
}

fn parse_bytes(bytes: &[u8], path: &str, format: &dyn format::Format) -> Parsed {
    match decode(bytes) {
        Ok(text) => format.parse(text, path),
        Err(error) => Parsed::from(Diagnostic::error(path, error.to_string())),
    }
}

/// Reads at most [`MAX_FILE_BYTES`]; a larger file is refused before it is
/// read, and one that grows past the limit while being read is refused too.
/// Gives the file's stat as opened, also with a refusal when there is one.
fn read_limited(
    path: &std::path::Path,
    bytes: &mut Vec<u8>,
) -> Result<FileStat, (FileError, Option<FileStat>)> {
    // Without blocking: had the file been swapped for a named pipe since
    // the walk saw it, a plain open would wait for a writer forever.
    let file = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| (e.into(), None))?;
    let meta = file.metadata().map_err(|e| (e.into(), None))?;
    let stat = FileStat::of(&meta);
    if !meta.is_file() {
        return Err((FileError::NotRegular, Some(stat)));
    }
    let len = meta.len();
    if len > MAX_FILE_BYTES {
        return Err((FileError::TooLarge, Some(stat)));
    }
    bytes.clear();
    bytes.reserve(len as usize + 1);
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(bytes)
        .map_err(|e| (e.into(), Some(stat)))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err((FileError::TooLarge, Some(stat)));
    }
    Ok(stat)
}

const BOM: &[u8] = b"\xef\xbb\xbf";

/// Checks that the bytes are text: no NUL (a binary file), valid UTF-8.
/// Drops a leading byte-order mark. Offsets count from the file's start.
fn decode(bytes: &[u8]) -> Result<&str, FileError> {
    if let Some(offset) = memchr::memchr(0, bytes) {
        return Err(FileError::Binary(offset));
    }
    let skipped = if bytes.starts_with(BOM) { BOM.len() } else { 0 };
    std::str::from_utf8(&bytes[skipped..])
        .map_err(|e| FileError::NotUtf8(skipped + e.valid_up_to()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_drops_bom_and_reports_offsets() {
        fn said(bytes: &[u8]) -> Result<&str, String> {
            decode(bytes).map_err(|e| e.to_string())
        }
        assert_eq!(said(b"\xef\xbb\xbfhi"), Ok("hi"));
        assert_eq!(
            said(b"ok \xff"),
            Err("not UTF-8 text: invalid byte at offset 3".to_owned())
        );
        assert_eq!(
            said(b"\xef\xbb\xbfab\xc3"),
            Err("not UTF-8 text: invalid byte at offset 5".to_owned())
        );
        assert_eq!(
            said(b"ab\0cd"),
            Err("binary file (NUL byte at offset 2); not read".to_owned())
        );
    }
}
