//! What can go wrong with the state file, in the words the user is shown.

use std::io;

use super::FORMAT_VERSION;
use crate::io_error;

/// Why the state file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{}", io_error::in_words(.0))]
    Io(#[from] io::Error),
    #[error("not UTF-8 text")]
    NotUtf8,
    #[error("line {line}: {message}")]
    Syntax { line: usize, message: String },
    #[error("format version {0} is not one this tidings reads ({FORMAT_VERSION})")]
    Version(u32),
}

/// Why marks were not saved. `path` is the state file, as shown.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("{path}: {}", io_error::in_words(source))]
    Write { path: String, source: io::Error },
    #[error("{path}: cannot lock: {}", io_error::in_words(source))]
    Lock { path: String, source: io::Error },
    #[error("the saving thread has stopped")]
    Stopped,
    #[error("saving took too long")]
    TimedOut,
}
