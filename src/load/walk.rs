//! Turning the command line's paths into the list of files to read.

use std::collections::HashSet;
use std::io;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

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
            Err(e) => out.push(Err(Diagnostic::error(&display, describe_io(&e)))),
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

fn walk_dir(root: &Path, out: &mut Vec<Result<FileToLoad, Diagnostic>>) {
    let walker = WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !is_hidden(entry.file_name()));
    for entry in walker {
        match entry {
            Err(e) => out.push(Err(walk_error(root, &e))),
            Ok(entry) => {
                // Only regular files: FIFOs, sockets and devices are never
                // opened, so a named pipe cannot hang the load.
                if !entry.file_type().is_file() {
                    continue;
                }
                if let Some(format) = format::for_path(entry.path()) {
                    out.push(Ok(FileToLoad {
                        display: display(entry.path()),
                        path: entry.into_path(),
                        format,
                    }));
                }
            }
        }
    }
}

fn walk_error(root: &Path, e: &walkdir::Error) -> Diagnostic {
    let path = e.path().unwrap_or(root);
    if let Some(ancestor) = e.loop_ancestor() {
        return Diagnostic::error(
            &display(path),
            format!(
                "symbolic link loop back to {}; not followed",
                display(ancestor)
            ),
        );
    }
    let message = e.io_error().map_or_else(|| e.to_string(), describe_io);
    Diagnostic::error(&display(path), message)
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.as_encoded_bytes().first() == Some(&b'.')
}

pub fn display(path: &Path) -> String {
    sanitize(&path.to_string_lossy()).into_owned()
}

/// An I/O error in words, without the "(os error 2)" tail.
pub fn describe_io(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or directory".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        io::ErrorKind::IsADirectory => "is a directory".into(),
        _ => {
            let text = e.to_string();
            match text.find(" (os error") {
                Some(cut) => text[..cut].to_lowercase(),
                None => text,
            }
        }
    }
}
