//! The page's text kept in the story's file, as its `full_text` (README, "Full
//! text"): the file is the library, the index only a cache of it, so the text
//! is there after the index is deleted, offline, and for every tool that reads
//! the files. The rest of the file is left as it was, comments and all.

use std::io;
use std::path::Path;

use toml_edit::{DocumentMut, value};

/// Sets the `full_text` of the TOML story file at `path` to `paragraphs`
/// (replacing one fetched before); the file is replaced whole, synced.
pub fn write(path: &Path, paragraphs: &[String]) -> io::Result<()> {
    let text = with_full_text(path, paragraphs)?;
    crate::atomic_file::write(path, text.as_bytes())
}

/// [`write`], not synced: an update syncs its folder once at its end.
pub fn write_unsynced(path: &Path, paragraphs: &[String]) -> io::Result<()> {
    let text = with_full_text(path, paragraphs)?;
    crate::atomic_file::write_unsynced(path, text.as_bytes())
}

fn with_full_text(path: &Path, paragraphs: &[String]) -> io::Result<String> {
    if path.extension().is_none_or(|e| e != "toml") {
        return Err(io::Error::other(
            "only TOML story files can keep a page's text",
        ));
    }
    let text = std::fs::read_to_string(path)?;
    let mut document: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| io::Error::other(e.message().to_owned()))?;
    document["full_text"] = value(paragraphs.join("\n\n"));
    Ok(document.to_string())
}

/// The `full_text` line of a story file's text, as TOML, if it has one: what
/// a feed update carries over when it rewrites the story.
pub fn carried(file: &str) -> Option<String> {
    if !file.contains("full_text") {
        return None;
    }
    #[derive(serde::Deserialize)]
    struct Kept {
        full_text: Option<String>,
    }
    let kept: Kept = toml::from_str(file).ok()?;
    let mut table = toml::Table::new();
    table.insert("full_text".into(), kept.full_text?.into());
    toml::to_string(&table).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_is_added_then_replaced_and_the_rest_stays() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.toml");
        let story = "# kept comment\ntitle = \"Ferries\"\nbody = \"A summary.\"\nurl = \"https://x.example/f\"\n";
        std::fs::write(&path, story).unwrap();
        write(&path, &["First.".into(), "Second \"quoted\".".into()]).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with(story), "{text}");
        let article = crate::load::read_article(&path, 0).unwrap();
        assert_eq!(article.paragraphs, ["A summary."]);
        assert_eq!(article.full_text.unwrap(), ["First.", "Second \"quoted\"."]);
        write(&path, &["Again.".into()]).unwrap();
        let article = crate::load::read_article(&path, 0).unwrap();
        assert_eq!(article.full_text.unwrap(), ["Again."]);
        assert_eq!(
            carried(&std::fs::read_to_string(&path).unwrap()).unwrap(),
            "full_text = \"Again.\"\n"
        );
        assert_eq!(carried(story), None);
    }
}
