//! Article formats. Each format is a parser from a file's text to articles
//! and diagnostics; the loader picks one by file extension and the model
//! never sees which one it was. A new format (RSS, Atom, JSON Feed) is one
//! more module and one more entry in [`FORMATS`].

mod plain;
mod toml;

use std::path::Path;

use super::article::Parsed;

pub use plain::Plain;
pub use toml::Toml;

pub trait Format: Sync {
    /// File extensions this format reads, lowercase, without the dot.
    fn extensions(&self) -> &'static [&'static str];

    /// Parses decoded text (UTF-8, byte-order mark removed). `path` is the
    /// display path, used in the articles and diagnostics it yields.
    fn parse(&self, text: &str, path: &str) -> Parsed;
}

pub static FORMATS: &[&dyn Format] = &[&Plain, &Toml];

/// The format that reads `path`, judged by its extension, in any case.
/// Runs for every file of a walk, so it allocates nothing.
pub fn for_path(path: &Path) -> Option<&'static dyn Format> {
    let ext = path.extension()?.as_encoded_bytes();
    FORMATS.iter().copied().find(|format| {
        format
            .extensions()
            .iter()
            .any(|known| ext.eq_ignore_ascii_case(known.as_bytes()))
    })
}

/// "`.txt` or `.toml`", for messages about unsupported files.
pub fn known_extensions() -> String {
    let all: Vec<String> = FORMATS
        .iter()
        .flat_map(|f| f.extensions())
        .map(|ext| format!(".{ext}"))
        .collect();
    all.join(" or ")
}
