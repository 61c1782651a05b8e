//! Turning the command line's paths into the list of files to read.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::Diagnostic;
use super::format::{self, Format};
use crate::text::sanitize;

/// A file the walk found, with the format that will read it.
pub struct FileToLoad {
    pub path: PathBuf,
    /// The path as shown to people, sanitized.
    pub display: String,
    pub format: &'static dyn Format,
}

/// Walks `paths` in order; directories recursively, in file-name order,
/// skipping hidden entries and files of other formats. Explicitly named
/// files must be of a known format. Problems come back in walk order,
/// interleaved with the files, so reports follow the order of the tree.
pub fn collect(paths: &[PathBuf]) -> Vec<Result<FileToLoad, Diagnostic>> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for path in paths {
        if !seen.insert(path.clone()) {
            continue;
        }
        let display = display(path);
        match std::fs::metadata(path) {
            Err(e) => out.push(Err(Diagnostic::error(
                &display,
                crate::io_error::describe(&e),
            ))),
            Ok(meta) if meta.is_dir() => walk_dir(path, &mut out),
            Ok(meta) if !meta.is_file() => out.push(Err(Diagnostic::error(
                &display,
                "not a regular file; not read",
            ))),
            Ok(_) => match format::for_path(path) {
                Some(format) => out.push(Ok(FileToLoad {
                    path: path.clone(),
                    display,
                    format,
                })),
                None => out.push(Err(Diagnostic::error(
                    &display,
                    format!(
                        "unsupported file type: tidings reads {} files",
                        format::known_extensions()
                    ),
                ))),
            },
        }
    }
    out
}

/// A folder on the way down, to catch a symbolic link back to it.
struct Ancestor {
    device: u64,
    inode: u64,
    path: PathBuf,
}

fn walk_dir(root: &Path, out: &mut Vec<Result<FileToLoad, Diagnostic>>) {
    match std::fs::metadata(root) {
        Ok(meta) => visit(root, &meta, &mut Vec::new(), out),
        Err(e) => out.push(Err(Diagnostic::error(
            &display(root),
            crate::io_error::describe(&e),
        ))),
    }
}

/// Lists `dir` in file-name order, following symbolic links, going down
/// into folders as they come. Each entry's type comes from the listing;
/// only symbolic links and folders are stat'ed. The files between two
/// folders are made ready (path, display form, format) on every core.
fn visit(
    dir: &Path,
    meta: &std::fs::Metadata,
    ancestors: &mut Vec<Ancestor>,
    out: &mut Vec<Result<FileToLoad, Diagnostic>>,
) {
    use std::os::unix::fs::MetadataExt;
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            out.push(Err(Diagnostic::error(
                &display(dir),
                crate::io_error::describe(&e),
            )));
            return;
        }
    };
    ancestors.push(Ancestor {
        device: meta.dev(),
        inode: meta.ino(),
        path: dir.to_owned(),
    });
    let mut listed: Vec<(std::ffi::OsString, std::fs::FileType)> = Vec::new();
    for entry in entries {
        match entry {
            Ok(entry) => {
                let name = entry.file_name();
                if let (false, Ok(kind)) = (is_hidden(&name), entry.file_type()) {
                    listed.push((name, kind));
                }
            }
            Err(e) => out.push(Err(Diagnostic::error(
                &display(dir),
                crate::io_error::describe(&e),
            ))),
        }
    }
    listed.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut files: Vec<&std::ffi::OsStr> = Vec::new();
    for (name, kind) in &listed {
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
                out.push(Err(Diagnostic::error(
                    &display(&path),
                    crate::io_error::describe(&e),
                )));
            }
            Ok(meta) if meta.is_file() => files.push(name),
            Ok(meta) if meta.is_dir() => {
                push_files(dir, &mut files, out);
                let back = ancestors
                    .iter()
                    .find(|a| a.device == meta.dev() && a.inode == meta.ino());
                match back {
                    Some(ancestor) => out.push(Err(Diagnostic::error(
                        &display(&path),
                        format!(
                            "symbolic link loop back to {}; not followed",
                            display(&ancestor.path)
                        ),
                    ))),
                    None => visit(&path, &meta, ancestors, out),
                }
            }
            Ok(_) => {}
        }
    }
    push_files(dir, &mut files, out);
    ancestors.pop();
}

/// The files named (in order) in `dir` that tidings reads, made ready in
/// parallel; `names` is emptied.
fn push_files(
    dir: &Path,
    names: &mut Vec<&std::ffi::OsStr>,
    out: &mut Vec<Result<FileToLoad, Diagnostic>>,
) {
    use rayon::prelude::*;
    // In batches, so that a folder of a hundred thousand files is not
    // held twice (made ready, then moved to `out`) at any moment.
    out.reserve(names.len());
    for batch in names.chunks(8192) {
        let ready: Vec<FileToLoad> = batch
            .par_iter()
            .with_min_len(512)
            .filter_map(|name| {
                let format = format::for_path(Path::new(name))?;
                let path = dir.join(name);
                Some(FileToLoad {
                    display: display(&path),
                    path,
                    format,
                })
            })
            .collect();
        out.extend(ready.into_iter().map(Ok));
    }
    names.clear();
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.as_encoded_bytes().first() == Some(&b'.')
}

pub fn display(path: &Path) -> String {
    sanitize(&path.to_string_lossy()).into_owned()
}
