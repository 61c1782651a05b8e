//! Turning the command line's paths into the list of files to read.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::Diagnostic;
use super::format::{self, Format};
use crate::text::sanitize;

/// A file the walk found, with the format that will read it.
pub struct FileToLoad {
    pub path: PathBuf,
    pub format: &'static dyn Format,
}

impl FileToLoad {
    /// The path as shown to people, sanitized: made when it is wanted, so
    /// that a walk of a million files holds only their paths.
    pub fn display(&self) -> String {
        display(&self.path)
    }
}

/// What a walk finds, told in walk order.
pub trait Findings {
    /// Files found next, in order: a batch of a folder's, or one named.
    fn files(&mut self, files: Vec<FileToLoad>);
    fn problem(&mut self, problem: Diagnostic);
}

/// Findings kept in one list, in walk order.
impl Findings for Vec<Result<FileToLoad, Diagnostic>> {
    fn files(&mut self, files: Vec<FileToLoad>) {
        self.extend(files.into_iter().map(Ok));
    }

    fn problem(&mut self, problem: Diagnostic) {
        self.push(Err(problem));
    }
}

/// Walks `paths` in order (see [`walk`]) into one list.
pub fn collect(paths: &[PathBuf]) -> Vec<Result<FileToLoad, Diagnostic>> {
    let mut out = Vec::new();
    walk(paths, &mut out);
    out
}

/// Walks `paths` in order; directories recursively, in file-name order,
/// skipping hidden entries and files of other formats. Explicitly named
/// files must be of a known format. Problems are told in walk order,
/// between the files, so reports follow the order of the tree.
pub fn walk(paths: &[PathBuf], out: &mut impl Findings) {
    let mut seen = HashSet::new();
    for path in paths {
        if !seen.insert(path.clone()) {
            continue;
        }
        let display = display(path);
        match std::fs::metadata(path) {
            Err(e) => out.problem(Diagnostic::error(&display, crate::io_error::in_words(&e))),
            Ok(meta) if meta.is_dir() => visit(path, &meta, &mut Vec::new(), out),
            Ok(meta) if !meta.is_file() => {
                out.problem(Diagnostic::error(&display, "not a regular file; not read"))
            }
            Ok(_) => match format::for_path(path) {
                Some(format) => out.files(vec![FileToLoad {
                    path: path.clone(),
                    format,
                }]),
                None => out.problem(Diagnostic::error(
                    &display,
                    format!(
                        "unsupported file type: tidings reads {} files",
                        format::known_extensions()
                    ),
                )),
            },
        }
    }
}

/// A folder on the way down, to catch a symbolic link back to it.
struct Ancestor {
    device: u64,
    inode: u64,
    path: PathBuf,
}

/// Lists `dir` in file-name order, following symbolic links, going down
/// into folders as they come. Each entry's type comes from the listing;
/// only symbolic links and folders are stat'ed. The files between two
/// folders are made ready (path and format) on every core.
fn visit(
    dir: &Path,
    meta: &std::fs::Metadata,
    ancestors: &mut Vec<Ancestor>,
    out: &mut impl Findings,
) {
    use std::os::unix::fs::MetadataExt;
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            out.problem(Diagnostic::error(
                &display(dir),
                crate::io_error::in_words(&e),
            ));
            return;
        }
    };
    ancestors.push(Ancestor {
        device: meta.dev(),
        inode: meta.ino(),
        path: dir.to_owned(),
    });
    let mut listing = Listing::default();
    for entry in entries {
        match entry {
            Ok(entry) => {
                let name = entry.file_name();
                if let (false, Ok(kind)) = (is_hidden(&name), entry.file_type()) {
                    listing.push(&name, kind);
                }
            }
            Err(e) => out.problem(Diagnostic::error(
                &display(dir),
                crate::io_error::in_words(&e),
            )),
        }
    }
    listing.sort();
    let mut files: Vec<&std::ffi::OsStr> = Vec::new();
    for (name, kind) in listing.iter() {
        if files.len() == BATCH {
            push_files(dir, &mut files, out);
        }
        // Only regular files: FIFOs, sockets and devices are never opened,
        // so a named pipe cannot hang the load.
        if kind.is_file() {
            files.push(name);
            continue;
        }
        if !(kind.is_symlink() || kind.is_dir()) {
            continue;
        }
        let path = dir.join(name);
        match std::fs::metadata(&path) {
            Err(e) => {
                push_files(dir, &mut files, out);
                out.problem(Diagnostic::error(
                    &display(&path),
                    crate::io_error::in_words(&e),
                ));
            }
            Ok(meta) if meta.is_file() => files.push(name),
            Ok(meta) if meta.is_dir() => {
                push_files(dir, &mut files, out);
                let back = ancestors
                    .iter()
                    .find(|a| a.device == meta.dev() && a.inode == meta.ino());
                match back {
                    Some(ancestor) => out.problem(Diagnostic::error(
                        &display(&path),
                        format!(
                            "symbolic link loop back to {}; not followed",
                            display(&ancestor.path)
                        ),
                    )),
                    None => visit(&path, &meta, ancestors, out),
                }
            }
            Ok(_) => {}
        }
    }
    push_files(dir, &mut files, out);
    ancestors.pop();
}

/// Files told at a time: a folder of a million files is never held twice.
const BATCH: usize = 8192;

/// The files named (in order) in `dir` that tidings reads, at most a
/// [`BATCH`], made ready in parallel and told; `names` is emptied.
fn push_files(dir: &Path, names: &mut Vec<&std::ffi::OsStr>, out: &mut impl Findings) {
    use rayon::prelude::*;
    out.files(
        names
            .par_iter()
            .with_min_len(512)
            .filter_map(|name| {
                Some(FileToLoad {
                    format: format::for_path(Path::new(name))?,
                    path: dir.join(name),
                })
            })
            .collect(),
    );
    names.clear();
}

/// A folder's entries, their names in one buffer: a folder of a million
/// files is listed in about 30 MB, not the 100 MB a string per name takes.
#[derive(Default)]
struct Listing {
    names: Vec<u8>,
    entries: Vec<Listed>,
}

struct Listed {
    start: usize,
    len: u32,
    kind: std::fs::FileType,
}

impl Listing {
    fn push(&mut self, name: &std::ffi::OsStr, kind: std::fs::FileType) {
        let name = std::os::unix::ffi::OsStrExt::as_bytes(name);
        // A file name is at most a few hundred bytes.
        let Ok(len) = u32::try_from(name.len()) else {
            return;
        };
        self.entries.push(Listed {
            start: self.names.len(),
            len,
            kind,
        });
        self.names.extend_from_slice(name);
    }

    fn name(&self, entry: &Listed) -> &std::ffi::OsStr {
        use std::os::unix::ffi::OsStrExt;
        std::ffi::OsStr::from_bytes(&self.names[entry.start..entry.start + entry.len as usize])
    }

    /// In file-name order.
    fn sort(&mut self) {
        let mut entries = std::mem::take(&mut self.entries);
        entries.sort_unstable_by(|a, b| self.name(a).cmp(self.name(b)));
        self.entries = entries;
    }

    fn iter(&self) -> impl Iterator<Item = (&std::ffi::OsStr, std::fs::FileType)> {
        self.entries.iter().map(|e| (self.name(e), e.kind))
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.as_encoded_bytes().first() == Some(&b'.')
}

pub fn display(path: &Path) -> String {
    sanitize(&path.to_string_lossy()).into_owned()
}
