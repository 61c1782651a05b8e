//! Why a file gave no stories. The words are for the file's owner: they
//! become the file's diagnostic, or the note where a story's text would be.

use std::io;

use super::MAX_FILE_BYTES;
use crate::io_error;

#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("{}", io_error::in_words(.0))]
    Io(#[from] io::Error),
    #[error("not a regular file; not read")]
    NotRegular,
    #[error("larger than the {} MiB limit; not read", MAX_FILE_BYTES >> 20)]
    TooLarge,
    #[error("binary file (NUL byte at offset {0}); not read")]
    Binary(usize),
    #[error("not UTF-8 text: invalid byte at offset {0}")]
    NotUtf8(usize),
    #[error("not a story file")]
    NotAStoryFile,
    /// The file changed since it was indexed and no longer holds the story
    /// asked for; what is wrong with it now, if anything is.
    #[error("{}", .0.as_deref().unwrap_or("the file no longer holds this story"))]
    StoryGone(Option<String>),
}
