//! Where tidings keeps its files when the command line names none: the
//! XDG base directories, each under a `tidings` folder of its own.

use std::path::PathBuf;

use etcetera::BaseStrategy;

fn xdg() -> Option<etcetera::base_strategy::Xdg> {
    etcetera::base_strategy::Xdg::new().ok()
}

/// `tidings/config.toml` under `$XDG_CONFIG_HOME`, else `~/.config`.
pub fn config_file() -> Option<PathBuf> {
    Some(xdg()?.config_dir().join("tidings").join("config.toml"))
}

/// `tidings/feeds.toml` under `$XDG_CONFIG_HOME`, else `~/.config`.
pub fn feeds_file() -> Option<PathBuf> {
    Some(xdg()?.config_dir().join("tidings").join("feeds.toml"))
}

/// `tidings/feeds` under `$XDG_DATA_HOME`, else `~/.local/share`: one
/// folder of stories per feed.
pub fn feeds_data() -> Option<PathBuf> {
    Some(xdg()?.data_dir().join("tidings").join("feeds"))
}

/// `tidings/state.toml` under `$XDG_STATE_HOME`, else `~/.local/state`.
pub fn state_file() -> Option<PathBuf> {
    Some(xdg()?.state_dir()?.join("tidings").join("state.toml"))
}

/// `tidings/index.sqlite` under `$XDG_CACHE_HOME`, else `~/.cache`.
pub fn index_file() -> Option<PathBuf> {
    Some(xdg()?.cache_dir().join("tidings").join("index.sqlite"))
}
