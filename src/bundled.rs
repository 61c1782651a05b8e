//! The stories compiled into the binary, shown when no PATH is given.

use crate::load::{Loaded, load_sources};

/// File name and contents of each bundled story, from `assets/stories/`.
pub const STORIES: &[(&str, &str)] = &[
    (
        "000_59c09bcc1ec4cdab.txt",
        include_str!("../assets/stories/000_59c09bcc1ec4cdab.txt"),
    ),
    (
        "001_getting-started.txt",
        include_str!("../assets/stories/001_getting-started.txt"),
    ),
    (
        "002_keys.txt",
        include_str!("../assets/stories/002_keys.txt"),
    ),
    (
        "003_file-formats.txt",
        include_str!("../assets/stories/003_file-formats.txt"),
    ),
    (
        "004_search-and-marks.txt",
        include_str!("../assets/stories/004_search-and-marks.txt"),
    ),
    (
        "005_config.txt",
        include_str!("../assets/stories/005_config.txt"),
    ),
];

/// How bundled stories are named in paths: they are not files on disk.
pub const PATH_PREFIX: &str = "bundled:";

pub fn load() -> Loaded {
    let named: Vec<(String, &str)> = STORIES
        .iter()
        .map(|(name, text)| (format!("{PATH_PREFIX}{name}"), *text))
        .collect();
    load_sources(
        named
            .iter()
            .map(|(path, text)| (path.as_str(), text.as_bytes())),
    )
}

#[cfg(test)]
mod tests {
    use super::STORIES;

    #[test]
    fn every_file_in_assets_stories_is_bundled() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/stories");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        on_disk.sort();
        let bundled: Vec<&str> = STORIES.iter().map(|(name, _)| *name).collect();
        assert_eq!(on_disk, bundled);
    }
}
